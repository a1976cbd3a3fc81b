"""Moving a whole database between the two stores: a DuckDB file into PostgreSQL and back.

All or nothing: the target is filled in one transaction (PostgreSQL) or in a temporary file renamed into
place (DuckDB), every table's row count is compared with the source's before it is committed, and after
it every table's content hash (:meth:`Database.table_checksums`, computed by DuckDB on both sides) must
match too. A target that already holds data is refused unless ``replace`` is given.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from analytics.core import pg
from analytics.core.db import Database, DatabaseError
from analytics.core.migrations import LATEST


class TargetNotEmpty(DatabaseError):
    """The target already holds data and ``replace`` was not given."""


@dataclass(frozen=True)
class Copied:
    """What a copy moved: rows per table, and the sequences' positions."""

    rows: dict[str, int]
    sequences: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _tables(db: Database) -> list[str]:
    with db.cursor() as cur:
        return [t for t in pg.user_tables(cur, "duckdb") if t != "schema_version"]


def _counts(db: Database, tables: list[str]) -> dict[str, int]:
    with db.cursor() as cur:
        return {t: int(cur.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in tables}


def _open_source(src: str) -> Database:
    db = Database(src, read_only=True)
    if db.schema_version() != LATEST:
        v = db.schema_version()
        db.close()
        raise DatabaseError(f"Basis data sumber {pg.redact(src)} bervskema {v}; aplikasi ini {LATEST}. "
                            "Mutakhirkan dulu dengan: python -m analytics migrate --path SUMBER")
    return db


def _check(source: dict[str, int], target: dict[str, int], where: str) -> None:
    wrong = [f"{t} ({source[t]} → {target.get(t)})" for t in source if source[t] != target.get(t)]
    if wrong:
        raise DatabaseError(f"Salinan ke {where} dibatalkan: jumlah baris tidak sama pada " + ", ".join(wrong))


def _sequences_duckdb(db: Database) -> dict[str, int]:
    with db.cursor() as cur:
        rows = cur.execute("SELECT sequence_name, last_value FROM duckdb_sequences()").fetchall()
    return {str(n): int(v) for n, v in rows if v is not None}


def to_postgres(src: str, dst: str, replace: bool = False) -> Copied:
    """Copy the DuckDB database file ``src`` into the PostgreSQL database at URL ``dst``."""
    import adbc_driver_postgresql.dbapi as adbc

    source = _open_source(src)
    target = Database(dst)  # creates the schema on an empty PostgreSQL database
    try:
        tables = _tables(source)
        counts = _counts(source, tables)
        sequences = _sequences_duckdb(source)
        with adbc.connect(dst) as ac, ac.cursor() as cur:
            cur.execute(f"SELECT pg_advisory_xact_lock({pg.LOCK_KEY})")  # two servers filling it take turns
            cur.fetchall()
            if not replace:
                held = []
                for t in tables:
                    cur.execute(f'SELECT count(*) FROM "{t}"')
                    if cur.fetchone()[0]:
                        held.append(t)
                if held:
                    raise TargetNotEmpty(f"Basis data tujuan {pg.redact(dst)} sudah berisi data; pakai --replace "
                                         "untuk menggantinya seluruhnya.")
            cur.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables))
            for t in tables:
                if not counts[t]:
                    continue
                with source.cursor() as scur:
                    arrow = scur.sql(f'SELECT * FROM "{t}"').to_arrow_table()
                cur.adbc_ingest(t, _signed(arrow), mode="append")
            for name, value in sequences.items():
                cur.execute(f"SELECT setval('{name}', {value})")
                cur.fetchall()
            got = {}
            for t in tables:
                cur.execute(f'SELECT count(*) FROM "{t}"')
                got[t] = int(cur.fetchone()[0])
            _check(counts, got, pg.redact(dst))
            ac.commit()
        _check_hashes(source, target, pg.redact(dst))
        return Copied(counts, sequences)
    finally:
        source.close()
        target.close()


def _signed(table):  # noqa: ANN001, ANN202 - a pyarrow Table in and out
    """Unsigned integer columns (DuckDB's UTINYINT …) as signed 64-bit, which PostgreSQL can take."""
    import pyarrow as pa

    fields = [pa.field(f.name, pa.int64()) if pa.types.is_unsigned_integer(f.type) else f for f in table.schema]
    return table.cast(pa.schema(fields))


def _check_hashes(source: Database, target: Database, where: str) -> None:
    a, b = source.table_checksums(), target.table_checksums()
    a.pop("schema_version", None)
    b.pop("schema_version", None)
    wrong = sorted(t for t in a if a[t] != b.get(t))
    if wrong:
        raise DatabaseError(f"Salinan ke {where} tidak sama isinya dengan sumbernya pada tabel: " + ", ".join(wrong))


def to_duckdb(src: str, dst: str | Path, replace: bool = False) -> Copied:
    """Copy the PostgreSQL database at URL ``src`` into a new DuckDB file ``dst``."""
    dst = Path(dst)
    if dst.exists() and not replace:
        raise DatabaseError(f"Berkas tujuan {dst.name} sudah ada; pakai --replace untuk menggantinya.")
    source = _open_source(src)
    tmp = dst.with_name(f".{dst.name}.{os.getpid()}.part")
    tmp.unlink(missing_ok=True)
    try:
        Database(tmp).close()  # the schema, by the same migrations
        tables = _tables(source)
        counts = _counts(source, tables)
        with source._pg.con.cursor() as pcur:  # noqa: SLF001 - the data layer's own module
            sequences = {str(n): int(v) for n, v in pcur.execute(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'").fetchall()
                if v is not None}
        with source.cursor() as cur:
            cur.execute(f"ATTACH '{tmp}' AS target")
            try:
                cur.execute("BEGIN TRANSACTION")
                for t in tables:
                    cur.execute(f'INSERT INTO target."{t}" SELECT * FROM main."{t}"')
                for name, value in sequences.items():
                    cur.execute(f"DROP SEQUENCE target.{name}")
                    cur.execute(f"CREATE SEQUENCE target.{name} START {value + 1}")
                got = {t: int(cur.execute(f'SELECT count(*) FROM target."{t}"').fetchone()[0]) for t in tables}
                _check(counts, got, dst.name)
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            finally:
                cur.execute("DETACH target")
        copy = Database(tmp)
        try:
            _check_hashes(source, copy, dst.name)
        finally:
            copy.close()
        os.chmod(tmp, 0o600)
        os.replace(tmp, dst)
        return Copied(counts, sequences)
    except duckdb.Error as exc:
        raise DatabaseError(f"Salinan ke {dst.name} gagal: {str(exc).splitlines()[0]}") from exc
    finally:
        tmp.unlink(missing_ok=True)
        source.close()


def copy(src: str, dst: str, replace: bool = False) -> Copied:
    """Copy a whole database from ``src`` to ``dst``: one is a DuckDB file, the other a PostgreSQL URL."""
    if pg.is_url(src) == pg.is_url(dst):
        raise DatabaseError("Salin dari berkas DuckDB ke URL postgresql://… atau sebaliknya.")
    return to_duckdb(src, dst, replace) if pg.is_url(src) else to_postgres(src, dst, replace)
