"""Matching codes and names of uploaded files to the stored areas."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.core.db import Database
from analytics.io import codes, context, pipeline, read
from tests.shared_data import shared_file


@pytest.fixture(scope="module")
def resolver(ro_db: Database) -> codes.AreaResolver:
    return context.resolver(ro_db)


@pytest.mark.parametrize("text,expected,method", [
    ("35.07", "35.07", "kode"), ("3507", "35.07", "kode"), ("350710", "35.07.10", "kode"),
    ("3507102010", "35.07.10.2010", "kode"), ("35.07.10.2010", "35.07.10.2010", "kode"),
    ("3507.0", "35.07", "kode"),  # a code a spreadsheet turned into a number
    ("Kab. Malang", "35.07", "nama"), ("Kabupaten Malang", "35.07", "nama"), ("Malang", "35.07", "nama"),
    ("Kota Malang", "35.73", "nama"), ("KOTA  KEDIRI", "35.71", "nama"), ("Kediri", "35.06", "nama"),
    ("Kota Batu", "35.79", "nama"), ("Surabaya", "35.78", "nama"),
])
def test_codes_and_names(resolver: codes.AreaResolver, text: str, expected: str, method: str) -> None:
    m = resolver.resolve(text)
    assert m is not None and m.kode == expected and m.method == method


@pytest.mark.parametrize("kab,kota", [("Blitar", "35.72"), ("Madiun", "35.77"), ("Mojokerto", "35.76"),
                                      ("Pasuruan", "35.75"), ("Probolinggo", "35.74")])
def test_kabupaten_and_kota_of_the_same_name(resolver: codes.AreaResolver, kab: str, kota: str) -> None:
    assert resolver.by_name(kab).kode != kota
    assert resolver.by_name(f"Kab. {kab}").kode == resolver.by_name(kab).kode
    assert resolver.by_name(f"Kota {kab}").kode == kota


def test_bps_kecamatan_code_is_matched_by_name_inside_its_kabupaten(ro_db: Database,
                                                                     resolver: codes.AreaResolver) -> None:
    kec = ro_db.query("SELECT kode, nama FROM areas WHERE parent = '35.07' ORDER BY kode LIMIT 1").iloc[0]
    m = resolver.by_code("3507999", kec["nama"])  # BPS numbering differs from Kemendagri's
    assert m is not None and m.kode == kec["kode"] and m.method == "kode BPS + nama"
    assert resolver.by_code("3507999") is None  # without a name a BPS kecamatan code cannot be matched


def test_unknown_and_other_province(resolver: codes.AreaResolver) -> None:
    assert resolver.resolve("35.99") is None
    assert resolver.resolve("Antah Berantah") is None
    assert not resolver.in_scope("3301") and resolver.in_scope("3507")


def test_table_with_bps_codes_and_names(db_copy: Path) -> None:
    db = Database(db_copy)
    kec = db.query("SELECT kode, nama FROM areas WHERE parent = '35.07' ORDER BY kode LIMIT 3")
    rows = "\n".join(f"3507{(i + 1) * 10:03d};{n};{10 + i},5" for i, n in enumerate(kec["nama"]))
    data = f"kode_bps;nama_kecamatan;p0\n{rows}\n".encode()
    pv = pipeline.table_preview(db, "bps_kec.csv", data, 2024)
    assert pv.ok, [p.text() for p in pv.problems]
    assert sorted(pv.values["kode"]) == sorted(kec["kode"])
    assert set(pv.areas["method"]) == {"kode BPS + nama"}
    db.close()


def test_topojson_provinces_keep_only_the_loaded_province(db_copy: Path) -> None:
    src = shared_file("denyherianto-provinces", "indonesia-38-provinces.topo.json")
    db = Database(db_copy)
    pv = pipeline.boundary_preview(db, src.name, src.read_bytes())
    assert pv.ok and pv.level == "provinsi" and pv.matched["kode"].tolist() == ["35"]
    assert (pv.unmatched["reason"] == "provinsi lain (dilewati)").sum() == 37
    db.close()


def test_semicolon_csv_with_decimal_commas_and_utf16(db_copy: Path) -> None:
    db = Database(db_copy)
    text = "kode,p0\n35.01,\"15,11\"\n35.02,\"10,26\"\n"
    semicolon = "kode;p0\n35.01;15,11\n35.02;10,26\n"
    for data in (text.encode("utf-8"), text.encode("utf-16"), semicolon.encode("utf-8-sig")):
        pv = pipeline.table_preview(db, "x.csv", data, 2024)
        assert pv.ok and sorted(pv.values["value"]) == [10.26, 15.11]
    assert read.sniff_delimiter("a;b\n1;2\n") == ";"
    db.close()


@pytest.mark.parametrize("old,new", [
    ("Banjarjo", "Banjarejo"), ("TJANDI", "Candi"), ("Djombang", "Jombang"), ("Surabaja", "Surabaya"),
    ("Kidoel", "Kidul"), ("Chairul", "Khairul"), ("Pattimura", "Patimura"), ("Ds. Karangrejo", "Karangrjo"),
])
def test_old_and_variant_spellings_share_a_key(old: str, new: str) -> None:
    assert codes.spelling_key(old) == codes.spelling_key(new)


@pytest.mark.parametrize("a,b", [("Sidorejo", "Sidoarjo"), ("Kedungrejo", "Kedungrojo"), ("Sumber", "Sumbel")])
def test_different_names_keep_different_keys(a: str, b: str) -> None:
    assert codes.spelling_key(a) != codes.spelling_key(b)
