"""Malformed files made by the tests: each gives a Bahasa Indonesia message naming the file (and the row
and column where there is one), and the database is unchanged (table checksums before and after)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from analytics.core.db import Database
from analytics.core.problems import ImportRejected
from analytics.io import pipeline
from analytics.io.indicator_tables import ValueColumn
from analytics.testing import hostile
from tests.shared_data import shared_file


@pytest.fixture()
def db(db_copy: Path):
    d = Database(db_copy)
    yield d
    d.close()


@pytest.fixture(scope="module")
def shared(fresh_db):
    """One database copy for the parametrised refusals: each case checks on its own that nothing changed,
    so a refusal that wrote anything still fails where it happens."""

    path = fresh_db("refusals")
    d = Database(path)
    yield d
    d.close()


def rejected(db: Database, fn: Callable[[], object], *pieces: str) -> str:
    """Run an import that must fail; check the message and that no table changed."""
    before = db.table_checksums()
    with pytest.raises(ImportRejected) as exc:
        fn()
    msg = str(exc.value)
    for piece in pieces:
        assert piece in msg, f"{piece!r} not in message: {msg}"
    assert db.table_checksums() == before, "a rejected import changed stored data"
    return msg


def table(db: Database, name: str, data: bytes, **kw) -> Callable[[], object]:
    kw.setdefault("default_period", 2021)
    return lambda: pipeline.import_table(db, "perencana", "tester", name, data, "BPS", **kw)


def bounds(db: Database, name: str, data: bytes, layer: str | None = None) -> Callable[[], object]:
    return lambda: pipeline.import_boundaries(db, "admin", "tester", name, data, layer)


def register(db: Database, name: str, data: bytes) -> Callable[[], object]:
    return lambda: pipeline.import_register(db, "perencana", "tester", name, data, "DTKS", 2024)


GOOD_TABLE = "kode;nama;p0\n35.01;Pacitan;15,11\n35.02;Ponorogo;10,26\n35.03;Trenggalek;12,14\n"
REG_HEADER = "nik,kode_desa,desil,sektor,jenis_kelamin_kk,disabilitas,jumlah_art\n"


def _reg_rows(n: int = 3) -> list[str]:
    return [f"35070101019000{i:02d},35.07.10.2010,2,pertanian,P,tidak,4" for i in range(1, n + 1)]


_feature, _fc = hostile.feature, hostile.collection  # the corpus's own GeoJSON builders


SQUARE = [[[112.0, -7.5], [112.1, -7.5], [112.1, -7.4], [112.0, -7.4], [112.0, -7.5]]]


# ------------------------------------------------------------------ tables
def test_good_table_is_accepted_as_a_control(db: Database) -> None:
    pv = pipeline.import_table(db, "perencana", "tester", "baik.csv", GOOD_TABLE.encode(), "BPS",
                               default_period=2021)
    assert len(pv.values) == 3


def test_wrong_encoding(db: Database) -> None:
    data = "kode;nama;p0\n35.01;Pacitan;15,11\n35.02;Ponorogo Selatan — Caf\u00e9;10,26\n".encode("cp1252")
    rejected(db, table(db, "latin1.csv", data), "Berkas 'latin1.csv'", "baris 3", "UTF-8")


def test_renamed_column(db: Database) -> None:
    data = GOOD_TABLE.replace("p0", "P0 (%)", 1).encode()
    cols = [ValueColumn("p0", "p0", 2021, 1.0, "persen")]
    rejected(db, table(db, "ganti_nama.csv", data, columns=cols), "Berkas 'ganti_nama.csv'", "kolom 'p0'",
             "tidak ada di berkas", "'P0 (%)'")


def test_missing_area_column(db: Database) -> None:
    data = b"tahun;nilai\n2021;15,11\n2021;10,26\n"
    rejected(db, table(db, "tanpa_wilayah.csv", data), "Berkas 'tanpa_wilayah.csv'", "kode atau nama wilayah")


def test_duplicate_codes(db: Database) -> None:
    data = (GOOD_TABLE + "3501;Pacitan;16,00\n").encode()
    rejected(db, table(db, "ganda.csv", data), "Berkas 'ganda.csv'", "baris 5", "kolom 'p0'", "ganda",
             "baris 2")


def test_percentage_out_of_range_and_text_year(db: Database) -> None:
    data = b"kode;tahun;p0\n35.01;2021;15,11\n35.02;2021;110\n35.03;dua ribu;12\n"
    msg = rejected(db, table(db, "rentang.csv", data), "Berkas 'rentang.csv'")
    assert "baris 3, kolom 'p0': persentase 110 di luar 0-100" in msg
    assert "baris 4, kolom 'tahun': 'dua ribu' bukan tahun" in msg


def test_synthetic_source_name_is_refused(db: Database) -> None:
    f = lambda: pipeline.import_table(db, "perencana", "t", "baik.csv", GOOD_TABLE.encode(),  # noqa: E731
                                      "Data contoh (sintetis)", default_period=2021)
    rejected(db, f, "Berkas 'baik.csv'", "sintetis")


# ------------------------------------------------------------------ boundaries
def test_shapefile_zip_without_dbf(db: Database) -> None:
    src = zipfile.ZipFile(shared_file("jatim-standard-formats", "jatim_kecamatan_shp.zip"))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n in src.namelist():
            if not n.lower().endswith(".dbf"):
                z.writestr(n, src.read(n))
    rejected(db, bounds(db, "kec_tanpa_dbf.zip", buf.getvalue()), "Berkas 'kec_tanpa_dbf.zip'", ".dbf")


def test_invalid_and_empty_geometries(db: Database) -> None:
    degenerate = [[[112.0, -7.5], [112.1, -7.5], [112.2, -7.5], [112.0, -7.5]]]  # zero area
    data = _fc(_feature("35.01", SQUARE), _feature("35.02", degenerate), _feature("35.03", None),
               _feature("35.04", [], "Polygon"))
    msg = rejected(db, bounds(db, "geom_rusak.geojson", data), "Berkas 'geom_rusak.geojson'")
    assert "fitur 2, kolom 'geometry'" in msg and "tidak dapat diperbaiki" in msg
    assert "fitur 3, kolom 'geometry'" in msg and "kosong" in msg
    assert "fitur 4, kolom 'geometry'" in msg


def _around(db: Database, kode: str, half: float = 0.1, dx: float = 0.0, dy: float = 0.0) -> list:
    """A square of ``2 × half`` degrees around an area's official centre point (moved by dx, dy)."""
    lon, lat = db.query("SELECT lon, lat FROM areas WHERE kode = ?", [kode]).iloc[0]
    x0, x1, y0, y1 = lon - half + dx, lon + half + dx, lat - half + dy, lat + half + dy
    return [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]


def test_self_intersecting_polygon_is_repaired_not_refused(db: Database) -> None:
    (x0, y0), (x1, y1) = _around(db, "35.01")[0][0], _around(db, "35.01")[0][2]
    bowtie = [[[x0, y0], [x1, y1], [x1, y0], [x0, y1], [x0, y0]]]
    pv = pipeline.boundary_preview(db, "dasi.geojson", _fc(_feature("35.01", bowtie),
                                                           _feature("35.02", _around(db, "35.02"))))
    assert pv.ok and bool(pv.matched.set_index("kode").loc["35.01", "repaired"])
    assert any("diperbaiki" in p.message and p.severity == "warning" for p in pv.problems)


def test_codes_shifted_between_features_are_refused(shared: Database) -> None:
    kabs = ["35.01", "35.02", "35.03", "35.04", "35.05"]
    shapes = [_around(shared, k, 0.08) for k in kabs]
    shifted = _fc(*(_feature(k, shapes[(i + 1) % len(kabs)]) for i, k in enumerate(kabs)))  # each code one over
    msg = rejected(shared, bounds(shared, "geser.geojson", shifted), "Berkas 'geser.geojson', kolom 'kode': "
                   "5 dari 5 fitur memuat titik pusat resmi fitur lain", "tampaknya bergeser atau tertukar")
    assert "fitur 1, kolom 'kode': titik pusat resmi 35.01" in msg and ": kode tertukar" in msg
    # the same shapes under their own codes go in
    assert pipeline.boundary_preview(shared, "benar.geojson", _fc(*(_feature(k, g) for k, g in
                                                                      zip(kabs, shapes, strict=True)))).ok


def test_register_missing_column(db: Database) -> None:
    header = REG_HEADER.replace("desil,", "")
    rows = [r.replace(",2,pertanian", ",pertanian") for r in _reg_rows()]
    rejected(db, register(db, "tanpa_desil.csv", (header + "\n".join(rows)).encode()),
             "Berkas 'tanpa_desil.csv'", "baris 1", "kolom desil tidak ditemukan")


def test_register_duplicate_households_and_bad_values(db: Database) -> None:
    rows = _reg_rows(4)
    rows[2] = rows[0]
    rows[3] = rows[3].replace(",2,pertanian,P,tidak,4", ",12,pertanian,X,mungkin,4")
    msg = rejected(db, register(db, "ganda.csv", (REG_HEADER + "\n".join(rows)).encode()), "Berkas 'ganda.csv'")
    assert "baris 4, kolom 'nik': rumah tangga ganda" in msg and "baris 2" in msg
    assert "baris 5, kolom 'desil'" in msg
    assert "baris 5, kolom 'jenis_kelamin_kk'" in msg
    assert "baris 5, kolom 'disabilitas'" in msg


def test_register_unknown_desa(db: Database) -> None:
    rows = _reg_rows()
    rows[0] = rows[0].replace("35.07.10.2010", "35.07.10.2999")
    rejected(db, register(db, "desa_asing.csv", (REG_HEADER + "\n".join(rows)).encode()),
             "Berkas 'desa_asing.csv'", "baris 2", "kolom 'kode_desa'", "tidak dikenal")


def test_good_register_stores_pseudonyms_never_nik(db: Database) -> None:
    rows = _reg_rows(12)
    pv = pipeline.import_register(db, "perencana", "tester", "dtks.csv", (REG_HEADER + "\n".join(rows)).encode(),
                                  "DTKS", 2024)
    assert len(pv.households) == 12
    stored = db.query("SELECT * FROM register_households")
    assert len(stored) == 12 and stored["pseudonym"].str.fullmatch(r"[0-9a-f]{32}").all()
    dump = stored.to_csv() + db.query("SELECT * FROM register_agg WHERE source='DTKS'").to_csv()
    assert "35070101019000" not in dump
    agg = db.query("SELECT sum(households) h, sum(persons) p FROM register_agg WHERE source='DTKS' AND period=2024")
    assert int(agg["h"].iloc[0]) == 12 and int(agg["p"].iloc[0]) == 48
    # the same NIK gives the same pseudonym on a later import (linkable without identities)
    again = pipeline.import_register(db, "perencana", "tester", "dtks.csv", (REG_HEADER + "\n".join(rows)).encode(),
                                     "DTKS", 2024)
    assert sorted(again.households["pseudonym"]) == sorted(stored["pseudonym"])
    assert db.scalar("SELECT count(*) FROM register_households") == 12  # replaced, not doubled


def test_register_desa_east_of_jawa_keep_their_codes(db: Database) -> None:
    # undotted, 9601012002 is above UINTEGER's 4,294,967,295: the desa key is a UBIGINT (migration 14)
    far = [f"96010101019000{i:02d},{kode},1,perikanan,L,tidak,5" for i, kode in
           enumerate(("96.01.01.2002", "81.01.01.2001", "35.07.10.2010"), start=1)]
    pipeline.import_register(db, "perencana", "tester", "dtks.csv", (REG_HEADER + "\n".join(far)).encode(),
                             "DTKS", 2024, prov="96")
    assert sorted(db.query("SELECT kode FROM register_agg WHERE source = 'DTKS'")["kode"]) == [
        "35.07.10.2010", "81.01.01.2001", "96.01.01.2002"]
    assert db.scalar("SELECT max(desa_key) FROM register_households") == 9601012002


def test_viewer_may_not_import(db: Database) -> None:
    from analytics.core.auth import PermissionDenied

    before = db.table_checksums()
    with pytest.raises(PermissionDenied):
        pipeline.import_table(db, "viewer", "t", "baik.csv", GOOD_TABLE.encode(), "BPS", default_period=2021)
    assert db.table_checksums() == before


def test_failure_inside_the_transaction_changes_nothing(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    from analytics.io import indicator_tables

    pv = pipeline.table_preview(db, "baik.csv", GOOD_TABLE.encode(), 2021)
    pv.values.loc[1, "value"] = float("nan")
    pv.values["unit"] = None  # NOT NULL column: the insert fails half-way
    before = db.table_checksums()
    import psycopg

    with pytest.raises((duckdb.ConstraintException, psycopg.errors.IntegrityError)):  # the store's own
        indicator_tables.commit(db, "perencana", "tester", pv, "BPS")
    assert db.table_checksums() == before


def test_a_formula_without_a_stored_value_in_the_first_row(db: Database) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["kode", "nama", "p0"])
    ws.append(["35.01", "Pacitan", "=B3*2"])  # openpyxl stores the formula without a computed value
    ws.append(["35.02", "Ponorogo", 10.26])
    buf = io.BytesIO()
    book.save(buf)
    rejected(db, table(db, "rumus.xlsx", buf.getvalue()), "Berkas 'rumus.xlsx'", "baris 2", "kolom 'p0'",
             "rumus tanpa nilai tersimpan", "simpan ulang")


def test_register_with_nik_and_kode_desa_swapped_never_shows_a_nik(db: Database) -> None:
    header = "kode_desa,nik,desil,sektor,jenis_kelamin_kk,disabilitas,jumlah_art\n"  # labels swapped, data not
    msg = rejected(db, register(db, "tertukar.csv", (header + "\n".join(_reg_rows())).encode()),
                   "Berkas 'tertukar.csv'", "baris 2", "periksa urutan kolom")
    for i in (1, 2, 3):
        assert f"350701010190000{i}" not in msg


def test_an_adkar_file_with_only_its_header_is_refused_not_audited(db: Database) -> None:
    from analytics.monitoring import store as mon_store

    header = b"kode_responden;kelompok_aktor;periode;kode_indikator;skor\n"
    rejected(db, lambda: mon_store.import_responses(db, "pemantau", "m", "judul_saja.csv", header),
             "Berkas 'judul_saja.csv'", "hanya berisi judul kolom")


# ------------------------------------------------------------------ numbers that read two ways, odd values
PEOPLE = "kode;nama;penduduk\n35.01;Pacitan;{a}\n35.02;Ponorogo;{b}\n35.03;Trenggalek;{c}\n"


PEOPLE_COLUMN = [ValueColumn("penduduk", "penduduk", 2021, 1.0, "jiwa")]


def _people(db: Database, numbers: str = "auto", **cells: str):
    data = PEOPLE.format(**cells).encode()
    col = [ValueColumn("penduduk", "penduduk", 2021, 1.0, "jiwa", True, numbers)]
    return pipeline.table_preview(db, "penduduk.csv", data, 2021, col)


def test_thousands_marks_are_decided_per_column_and_shown(shared: Database) -> None:
    # "588,123" could be 588 thousand or 588 and a fraction: nothing in the column decides, so it must be chosen
    pv = _people(shared, a="588,123", b="887,456", c="693,104")
    assert [p.text() for p in pv.problems if p.severity == "error"] == [
        "Berkas 'penduduk.csv', kolom 'penduduk': angka '588,123', '887,456', '693,104' bisa dibaca sebagai ribuan "
        "atau sebagai pecahan desimal, dan tidak ada nilai lain di kolom ini yang memastikan; pilih cara penulisan "
        "angkanya (1.234,5 atau 1,234.5) di tabel kolom."]
    rejected(shared, table(shared, "penduduk.csv", PEOPLE.format(a="588,123", b="887,456", c="693,104").encode(),
                           columns=PEOPLE_COLUMN), "bisa dibaca sebagai ribuan")
    # chosen as 1,234.5 (comma = thousands): 588 123 people
    pv = _people(shared, "dot", a="588,123", b="887,456", c="693,104")
    assert pv.ok and pv.values["value"].tolist() == [588123.0, 887456.0, 693104.0]
    assert pv.number_styles == {"penduduk": "1,234.5"}
    # a value that can only be read one way decides for the whole column: "1.234.567" has dots for thousands
    pv = _people(shared, a="588.123", b="1.287.456", c="693.104")
    assert pv.ok and pv.values["value"].tolist() == [588123.0, 1287456.0, 693104.0]
    assert pv.number_styles == {"penduduk": "1.234,5"}
    pv = _people(shared, a="588,123", b="1,287,456", c="693,104")
    assert pv.values["value"].tolist() == [588123.0, 1287456.0, 693104.0] and pv.number_styles["penduduk"] == "1,234.5"


def test_p0_written_as_a_fraction_needs_a_multiplier_or_a_confirmation(shared: Database) -> None:
    data = GOOD_TABLE.replace("15,11", "0,1511").replace("10,26", "0,1026").replace("12,14", "0,1214").encode()
    msg = rejected(shared, table(shared, "pecahan.csv", data), "Berkas 'pecahan.csv', kolom 'p0': semua 3 nilai "
                   "di antara 0 dan 1 (misalnya 0,1511)", "isi pengali 100", "centang 'sudah diperiksa'")
    assert "baris" not in msg
    times100 = pipeline.table_preview(shared, "pecahan.csv", data, 2021,
                                      [ValueColumn("p0", "p0", 2021, 100.0, "persen")])
    assert times100.ok and times100.values["value"].round(6).tolist() == [15.11, 10.26, 12.14]
    kept = pipeline.table_preview(shared, "pecahan.csv", data, 2021,
                                  [ValueColumn("p0", "p0", 2021, 1.0, "persen", confirmed=True)])
    assert kept.ok and kept.values["value"].tolist() == [0.1511, 0.1026, 0.1214]


def test_a_number_cell_in_a_workbook_never_reads_as_thousands(shared: Database) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["kode", "nama", "p0"])
    for kode, nama, v in (("35.01", "Pacitan", 8.494), ("35.02", "Ponorogo", 10.265), ("35.03", "Trenggalek", 12.5)):
        ws.append([kode, nama, v])
    buf = io.BytesIO()
    book.save(buf)
    pv = pipeline.table_preview(shared, "angka.xlsx", buf.getvalue(), 2021)
    assert pv.ok and pv.values["value"].tolist() == [8.494, 10.265, 12.5]
