"""PostgreSQL as the shared store (issue 19): the same schema, writes that lose nothing between servers,
reads that see other servers' writes, and whole-database copies that are all or nothing."""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import psycopg
import pytest

from analytics.core import transfer
from analytics.core.db import Database, DatabaseError
from analytics.core.dialect import to_postgres
from analytics.core.migrations import LATEST
from analytics.testing import pgtemplates
from tests import plain


@pytest.fixture()
def empty_pg(pg_admin_url: str):
    with psycopg.connect(pg_admin_url, autocommit=True) as con:
        name = "e_" + Path(pgtemplates.clone(pg_admin_url, "template0")).name[2:]
        con.execute(f'ALTER DATABASE "t_{name[2:]}" RENAME TO "{name}"')
    url = pg_admin_url.rsplit("/", 1)[0] + "/" + name
    yield url
    pgtemplates.drop(pg_admin_url, url)


@pytest.fixture()
def pg_copy(pg_admin_url: str, built_pg: str):
    url = pgtemplates.clone(pg_admin_url, built_pg)
    yield url
    pgtemplates.drop(pg_admin_url, url)


# ---------------------------------------------------------------------- translation
@pytest.mark.parametrize(("duck", "postgres"), [
    ("SELECT kode, count(*) FROM areas WHERE kode LIKE '35.%' AND level = ? GROUP BY ALL",
     "SELECT kode, COUNT(*) FROM areas WHERE kode LIKE '35.%%' AND level = %s GROUP BY 1"),
    ("SELECT x FROM t WHERE s = $source AND p = $period", "SELECT x FROM t WHERE s = %(source)s AND p = %(period)s"),
    ("CREATE TABLE r (desil UTINYINT, desa_key UBIGINT, n USMALLINT)",
     "CREATE TABLE r (desil SMALLINT, desa_key BIGINT, n INT)"),
    ("SELECT count(*) FROM (SELECT DISTINCT a FROM t)", "SELECT COUNT(*) FROM (SELECT DISTINCT a FROM t) AS _q1"),
    ("SELECT 5 / 2", "SELECT CAST(5 AS DOUBLE PRECISION) / 2"),  # DuckDB's / is true division
    ("SELECT id % 10 = ? FROM t", "SELECT MOD(id, 10) = %s FROM t"),
])
def test_duckdb_sql_is_translated_for_postgresql(duck: str, postgres: str) -> None:
    assert to_postgres(duck) == (postgres,)


def test_the_postgresql_schema_is_the_duckdb_schema(empty_pg: str) -> None:
    """Every table and column the migrations make, in the same order, on both stores."""
    db = Database(empty_pg)
    assert db.schema_version() == LATEST
    db.close()
    mem = Database(":memory:")
    want = mem.query("""SELECT table_name, list(column_name ORDER BY ordinal_position) AS cols
                        FROM information_schema.columns WHERE table_schema = 'main' GROUP BY 1 ORDER BY 1""")
    mem.close()
    with psycopg.connect(empty_pg) as con:
        got = con.execute("""SELECT table_name, array_agg(column_name::text ORDER BY ordinal_position)
                             FROM information_schema.columns WHERE table_schema = 'public'
                             AND table_name <> 'perantara_changes' GROUP BY 1 ORDER BY 1""").fetchall()
    assert [(t, list(c)) for t, c in got] == [(t, list(c)) for t, c in want.itertuples(index=False)]
    assert len(got) > 40


def test_an_unreachable_server_is_said_in_indonesian_without_the_password() -> None:
    with pytest.raises(DatabaseError) as err:
        Database("postgresql://app:rahasia-sekali@127.0.0.1:1/perantara")
    assert "tidak dapat dihubungi" in str(err.value)
    assert "rahasia-sekali" not in str(err.value) and "app:***@127.0.0.1:1" in str(err.value)


# ---------------------------------------------------------------------- two servers
def test_two_servers_incrementing_one_value_lose_no_update(pg_copy: str) -> None:
    """A read-modify-write from two servers at once (each its own Database, as two processes would have):
    2 × 40 increments give exactly +80. Under PostgreSQL's default isolation some would be lost; the
    serializable transactions are retried instead."""
    servers = [Database(pg_copy), Database(pg_copy)]
    start = servers[0].scalar("SELECT value FROM indicators WHERE kode = '35.07' AND indicator = 'p0' "
                              "AND period = 2024 AND is_synthetic")

    def bump(cur) -> None:  # noqa: ANN001
        v = cur.execute("SELECT value FROM indicators WHERE kode = '35.07' AND indicator = 'p0' "
                        "AND period = 2024 AND is_synthetic").fetchone()[0]
        cur.execute("UPDATE indicators SET value = ? WHERE kode = '35.07' AND indicator = 'p0' "
                    "AND period = 2024 AND is_synthetic", [v + 1])

    gate = threading.Barrier(2)

    def run(db: Database) -> None:
        gate.wait()
        for _ in range(40):
            db.write("uji", "uji.tambah", "satu", bump)

    threads = [threading.Thread(target=run, args=(db,)) for db in servers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    con = plain.connect(pg_copy)
    end = con.execute("SELECT value FROM indicators WHERE kode = '35.07' AND indicator = 'p0' "
                      "AND period = 2024 AND is_synthetic").fetchone()[0]
    audited = con.execute("SELECT count(*) FROM audit_log WHERE action = 'uji.tambah'").fetchone()[0]
    con.close()
    assert end == pytest.approx(start + 80) and audited == 80
    # and each server's replica reads the other's last write at once
    assert servers[1].scalar("SELECT value FROM indicators WHERE kode = '35.07' AND indicator = 'p0' "
                             "AND period = 2024 AND is_synthetic") == pytest.approx(start + 80)
    for db in servers:
        db.close()


def test_a_failed_write_leaves_postgresql_and_the_replica_untouched(pg_copy: str) -> None:
    db = Database(pg_copy)
    before = db.table_checksums()

    def half(cur) -> None:  # noqa: ANN001
        cur.execute("DELETE FROM commodities")
        raise ValueError("berhenti di tengah")

    with pytest.raises(ValueError, match="berhenti"):
        db.write("uji", "uji.gagal", "x", half)
    with pytest.raises(psycopg.errors.CheckViolation):  # a constraint is PostgreSQL's, as DuckDB's is its own
        db.write("uji", "uji.gagal", "x", lambda cur: cur.execute(
            "UPDATE areas SET level = 'planet' WHERE kode = '35'"))
    assert db.table_checksums() == before
    db.close()


# ---------------------------------------------------------------------- frames a write registers
def test_a_registered_frame_reaches_postgresql_value_for_value(empty_pg: str) -> None:
    """A frame with the awkward values of real files (quotes, commas, line breaks, empty text beside a
    missing one, NaN, NaT, the shortest floats, a 64-bit key, dates and times, lists) is the same frame
    when read back from the temporary table the COPY filled."""
    import datetime as dt

    import numpy as np
    import pandas as pd

    from analytics.core.pg import PgCursor, connect

    frame = pd.DataFrame({
        "teks": ['Desa "Maju", Jaya', "baris\nbaru", "", None, "Sidoarjo;Pasuruan", "  spasi  "],
        "angka": [0.1 + 0.2, float("nan"), -1e-300, 1.7976931348623157e308, 3.0, 2 / 3],
        "kunci": np.array([3507102010, 0, 2**63 - 1, 1, 2, 3], dtype="uint64"),
        "bulat": pd.array([1, None, -7, 0, 2**40, 5], dtype="Int64"),
        "ya": [True, False, None, True, False, True],
        "waktu": pd.to_datetime(["2024-01-31 23:59:59.123456", None, "2021-06-01", "2000-01-01 00:00:01",
                                 "2024-02-29 12:00", "1999-12-31 23:59:59"], format="ISO8601"),
        "tanggal": [dt.date(2024, 1, 1), None, dt.date(2021, 6, 1), dt.date(2000, 2, 29), dt.date(2024, 12, 31),
                    dt.date(1970, 1, 1)],
        "kategori": pd.Categorical(["a", "b", "a", None, "b", "a"]),
    })
    con = connect(empty_pg)
    with con.transaction():
        cur = PgCursor(con.cursor())
        cur.register("bingkai", frame)
        got = cur.execute("SELECT * FROM bingkai").df()
        types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                                 "WHERE table_name = 'bingkai'").fetchall())
        listed = PgCursor(con.cursor()).register("daftar", pd.DataFrame({"kode": [["35.07", "35.08"], []]}))
        lists = listed.execute("SELECT kode FROM daftar").fetchall()
        blobs = PgCursor(con.cursor()).register("bentuk", pd.DataFrame({"geom": [b"\\x01\\x00,\\n\"", None]}))
        shapes = blobs.execute("SELECT geom FROM bentuk").fetchall()
    con.close()
    assert types == {"teks": "text", "angka": "double precision", "kunci": "bigint", "bulat": "bigint",
                     "ya": "boolean", "waktu": "timestamp without time zone", "tanggal": "date",
                     "kategori": "text"}
    def plain_list(col: str) -> list:
        return [None if v is None or (not isinstance(v, list | str | bytes) and pd.isna(v)) else v for v in got[col]]

    assert plain_list("teks") == ['Desa "Maju", Jaya', "baris\nbaru", "", None, "Sidoarjo;Pasuruan", "  spasi  "]
    assert got["angka"].tolist()[0] == 0.1 + 0.2 and np.isnan(got["angka"][1])
    assert got["angka"].tolist()[2:] == [-1e-300, 1.7976931348623157e308, 3.0, 2 / 3]
    assert [int(k) for k in got["kunci"]] == [3507102010, 0, 2**63 - 1, 1, 2, 3]
    assert [None if pd.isna(v) else int(v) for v in got["bulat"]] == [1, None, -7, 0, 2**40, 5]
    assert plain_list("ya") == [True, False, None, True, False, True]
    assert [None if pd.isna(v) else pd.Timestamp(v) for v in got["waktu"]] == [
        pd.Timestamp("2024-01-31 23:59:59.123456"), None, pd.Timestamp("2021-06-01"),
        pd.Timestamp("2000-01-01 00:00:01"), pd.Timestamp("2024-02-29 12:00"), pd.Timestamp("1999-12-31 23:59:59")]
    assert plain_list("tanggal") == frame["tanggal"].tolist()
    assert plain_list("kategori") == ["a", "b", "a", None, "b", "a"]
    assert lists == [(["35.07", "35.08"],), ([],)]
    assert shapes == [(b"\\x01\\x00,\\n\"",), (None,)]


# ---------------------------------------------------------------------- the replica
@pytest.mark.parametrize(("blocks", "jobs", "ranges"), [
    (0, 4, [(0, None)]),  # an empty table: one read
    (4095, 4, [(0, None)]),  # under SPLIT_BLOCKS (4096): one read
    (8192, 4, [(0, 4096), (4096, None)]),  # two ranges of 4096, not four of 2048
    (56_896, 2, [(0, 28_448), (28_448, None)]),  # the demo's indicators on two connections
    (56_896, 4, [(0, 14_224), (14_224, 28_448), (28_448, 42_672), (42_672, None)]),
    (10_001, 3, [(0, 5001), (5001, None)]),  # 10001 // 4096 = 2 ranges, the first rounded up
])
def test_a_large_table_is_read_in_block_ranges(blocks: int, jobs: int, ranges: list) -> None:
    from analytics.core.pg import block_ranges

    assert block_ranges(blocks, jobs) == ranges


def test_a_replica_read_in_block_ranges_by_several_connections_is_each_table_whole(
        pg_copy: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every table split into three block ranges, read by three connections in one exported snapshot: the
    same rows as one connection reading each table whole, and as many as PostgreSQL counts itself."""
    from analytics.core import pg

    whole = Database(pg_copy)
    whole._pg.jobs = 1
    expected = whole.table_checksums()
    whole.close()
    monkeypatch.setattr(pg, "SPLIT_BLOCKS", 1)
    split = Database(pg_copy)
    split._pg.jobs = 3
    assert pg.block_ranges(12, split._pg.jobs) == [(0, 4), (4, 8), (8, None)]
    assert split.table_checksums() == expected
    con = plain.connect(pg_copy)
    for table in ("areas", "indicators", "register_agg", "audit_log"):
        assert expected[table][0] == con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0
    con.close()
    split.close()


def test_a_server_fills_its_replica_at_start_but_not_with_the_household_register(
        pg_copy: str, tmp_path: Path) -> None:
    db = Database(pg_copy)
    assert db._pg._seen == {}  # opening copies nothing
    db.warm().join()
    assert set(db._pg._seen) == set(db._pg._types) - {"register_households"}
    con = plain.connect(pg_copy)
    n = con.execute("SELECT count(*) FROM indicators").fetchone()[0]
    con.close()
    assert db._pg.replica.execute("SELECT count(*) FROM indicators").fetchone()[0] == n > 100_000
    db.close()
    closing = Database(pg_copy)
    thread = closing.warm()
    closing.close()  # waits for the copy under way, then closes: no error in either thread
    thread.join()
    assert not thread.is_alive()
    assert Database(tmp_path / "lokal.duckdb").warm() is None  # a DuckDB file is the data itself
    waited = Database(pg_copy)
    assert waited.warm(background=False) is None  # done before it returns
    assert set(waited._pg._seen) == set(waited._pg._types) - {"register_households"}
    waited.close()


# ---------------------------------------------------------------------- copies
def test_a_duckdb_file_goes_into_postgresql_and_back_whole(built_db: Path, empty_pg: str, tmp_path: Path) -> None:
    con = duckdb.connect(str(built_db), read_only=True)
    tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE "
                                        "table_schema = 'main' AND table_name <> 'schema_version'").fetchall()]
    counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    audit_next = con.execute("SELECT start_value FROM duckdb_sequences() WHERE sequence_name = 'audit_seq'"
                             ).fetchone()[0]
    con.close()
    done = transfer.copy(str(built_db), empty_pg)
    assert done.rows == counts and done.total > 1_000_000
    pcon = plain.connect(empty_pg)
    assert {t: pcon.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables} == counts
    assert pcon.execute("SELECT nextval('audit_seq')").fetchone()[0] == audit_next  # sequences carried on
    pcon.close()
    back = tmp_path / "kembali.duckdb"
    assert transfer.copy(empty_pg, str(back)).rows == counts
    a, b = Database(built_db, read_only=True), Database(back, read_only=True)
    assert {k: v for k, v in a.table_checksums().items() if k != "schema_version"} == \
        {k: v for k, v in b.table_checksums().items() if k != "schema_version"}
    a.close()
    b.close()
    assert back.stat().st_mode & 0o077 == 0  # households' data: owner-only, as every database file


def test_a_copy_into_a_store_with_data_is_refused_and_a_failed_copy_leaves_nothing(
        built_db: Path, pg_copy: str, empty_pg: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    held = Database(pg_copy)
    before = held.table_checksums()
    held.close()
    with pytest.raises(DatabaseError, match="sudah berisi data; pakai --replace"):
        transfer.copy(str(built_db), pg_copy)
    held = Database(pg_copy)
    assert held.table_checksums() == before
    held.close()
    existing = tmp_path / "ada.duckdb"
    existing.write_bytes(b"isi lama")
    with pytest.raises(DatabaseError, match="sudah ada; pakai --replace"):
        transfer.copy(pg_copy, str(existing))
    assert existing.read_bytes() == b"isi lama"
    # a failure in the middle (the tenth table) leaves the empty target empty
    calls = {"n": 0}
    real = transfer._signed

    def failing(table):  # noqa: ANN001, ANN202
        calls["n"] += 1
        if calls["n"] == 10:
            raise DatabaseError("gangguan buatan")
        return real(table)

    monkeypatch.setattr(transfer, "_signed", failing)
    with pytest.raises(DatabaseError, match="gangguan buatan"):
        transfer.copy(str(built_db), empty_pg)
    con = plain.connect(empty_pg)
    assert con.execute("SELECT count(*) FROM areas").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM indicators").fetchone()[0] == 0
    con.close()
    assert calls["n"] == 10


def test_the_copy_command_says_what_it_moved(built_db: Path, empty_pg: str, capsys: pytest.CaptureFixture) -> None:
    from analytics.__main__ import main

    assert main(["copy", str(built_db), empty_pg]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Disalin: ") and "jumlah baris dan isi setiap tabel sama" in out
    assert main(["copy", str(built_db), empty_pg]) == 1
    assert "sudah berisi data" in capsys.readouterr().err
    assert main(["copy", str(built_db), str(built_db)]) == 1
    assert "atau sebaliknya" in capsys.readouterr().err


# ---------------------------------------------------------------------- shared keys
def test_a_server_with_other_key_files_is_told_and_cannot_import_a_register(
        db_copy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The database keeps the fingerprints of the keys it was first used with; a second server with key
    files of its own is told on the Data page, and its register import is refused with nothing stored (its
    pseudonyms would not link to the first server's)."""
    from analytics.core import auth, settings
    from analytics.io import pipeline

    register = (b"nik,kode_desa,desil,sektor,jenis_kelamin_kk,disabilitas,jumlah_art\n"
                b"3507010101900001,35.07.10.2010,2,pertanian,P,tidak,4\n")
    db = Database(db_copy)
    pipeline.import_register(db, "perencana", "server-1", "dtks.csv", register, "DTKS", 2023)
    assert db.query("SELECT name FROM key_fingerprints")["name"].tolist() == ["pseudonym"]  # with the import
    assert auth.record_keys(db) == []  # the first server's keys are the database's
    prints = dict(db.query("SELECT name, fingerprint FROM key_fingerprints").itertuples(index=False))
    assert prints == {"pseudonym": auth.key_fingerprint(settings.pseudonym_key_path().read_bytes()),
                      "sesi": auth.key_fingerprint(Path(settings.get("session_key_path")).read_bytes())}
    pipeline.import_register(db, "perencana", "server-1", "dtks.csv", register, "DTKS", 2024)
    monkeypatch.setenv("PERANTARA_PSEUDONYM_KEY_PATH", str(tmp_path / "lain" / "pseudonym.key"))
    monkeypatch.setenv("PERANTARA_SESSION_KEY_PATH", str(tmp_path / "lain" / "session.key"))
    assert auth.differing_keys(db) == []  # this server has made no keys yet: nothing to compare
    assert auth.record_keys(db) == ["pseudonym", "sesi"]  # made now, and they differ
    before = db.table_checksums()
    with pytest.raises(ValueError, match="kunci pseudonim server ini berbeda .* Tidak ada yang disimpan"):
        pipeline.import_register(db, "perencana", "server-2", "dtks.csv", register, "DTKS", 2025)
    assert db.table_checksums() == before
    assert dict(db.query("SELECT name, fingerprint FROM key_fingerprints").itertuples(index=False)) == prints
    db.close()
