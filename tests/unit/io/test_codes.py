"""Matching codes and names of uploaded files to the stored areas."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.core.db import Database
from analytics.io import boundaries, codes, context, pipeline, read
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
    assert resolver.in_scope("3301") and resolver.in_scope("3507") and not resolver.in_scope("9901")
    assert resolver.resolve("3301").kode == "33.01"  # every province is stored: a national table keeps its rows


def test_names_across_the_country(resolver: codes.AreaResolver) -> None:
    # the home province decides a kecamatan named without its province; another province's needs ``within``
    assert resolver.home == "35"
    assert resolver.by_name("Aceh Barat").kode == "11.05" and resolver.by_name("Bantaeng").kode == "73.03"
    # former names still written in BPS tables (Kemendagri 2025 names in the comments)
    assert resolver.by_name("Toba Samosir").kode == "12.12"            # Kabupaten Toba
    assert resolver.by_name("Mamuju Utara").kode == "76.01"            # Kabupaten Pasangkayu
    assert resolver.by_name("Maluku Tenggara Barat").kode == "81.03"   # Kabupaten Kepulauan Tanimbar
    assert resolver.by_name("Kepulauan Seribu").kode == "31.01"        # Kabupaten Administrasi Kepulauan Seribu
    assert resolver.by_name("Pontianak").kode == "61.02"               # Kabupaten Mempawah
    assert resolver.by_name("Kota Pontianak").kode == "61.71"
    # provinces as tables write them; Papua before the 2022 split covers its three new provinces
    assert resolver.province_scope("D I YOGYAKARTA") == ("34",)
    assert resolver.province_scope("KEP. BANGKA BELITUNG") == ("19",)
    assert set(resolver.province_scope("PAPUA")) == {"91", "93", "94", "95"}
    assert set(resolver.province_scope("Papua Barat")) == {"92", "96"}
    assert resolver.province_scope("Jawa Timur") == ("35",) and resolver.province_scope("Atlantis") is None
    assert resolver.by_name("Merauke", within=resolver.province_scope("PAPUA")).kode == "93.01"
    # a province total, not the kabupaten or kota of the same name
    assert resolver.is_province_total("Jambi") and resolver.is_province_total("Provinsi Gorontalo")
    assert not resolver.is_province_total("Gorontalo") and not resolver.is_province_total("Kota Gorontalo")
    # a number is not a code because its first two digits are a province's
    assert not resolver.plausible_code("7148") and resolver.plausible_code("7371")
    assert resolver.plausible_code("3507999") and not resolver.plausible_code("3599999")


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


def test_topojson_provinces_store_every_province(db_copy: Path) -> None:
    src = shared_file("denyherianto-provinces", "indonesia-38-provinces.topo.json")
    db = Database(db_copy)
    pv = pipeline.boundary_preview(db, src.name, src.read_bytes())
    assert pv.ok and pv.level == "provinsi" and len(pv.matched) == 38 and pv.unmatched.empty
    # the file keeps Papua's code 91 for the provinces split from it in 2022; their names decide
    texts = [p.text() for p in pv.problems]
    assert any("fitur 4, kolom 'KODE_PROV': kode 91 dipakai 4 fitur; 'Papua Tengah' dicocokkan lewat namanya (94)"
               in t for t in texts), texts
    assert dict(zip(pv.matched["nama_file"], pv.matched["kode"], strict=True))["Papua Barat Daya"] == "96"
    counts = context.per_province(db, {"wilayah": pv.matched["kode"]})
    assert len(counts) == 38 and counts["wilayah"].eq(1).all()
    assert counts["provinsi"].iloc[0] == "Aceh" and counts["provinsi"].iloc[-1] == "Papua Barat Daya"
    boundaries.commit(db, "admin", "uji", pv)
    assert db.scalar("SELECT count(*) FROM areas WHERE level = 'provinsi' AND geom_source = 'official'") == 38
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
