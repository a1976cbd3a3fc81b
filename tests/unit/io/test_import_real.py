"""Imports of the real files under ../shared/data, read in place (never copied into the repository)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import shapely

from analytics.core import store as core_store
from analytics.core.db import Database
from analytics.io import boundaries, context, pipeline, read
from analytics.io.indicator_tables import ValueColumn
from analytics.poverty import drilldown
from tests.shared_data import SHARED

JATIM = SHARED / "jatim-standard-formats"
P0_2021 = SHARED / "klasifikasi-kemiskinan-indonesia-2021" / "Klasifikasi Tingkat Kemiskinan di Indonesia.csv"
PANEL = SHARED / "windyrrr-kesra-jatim-2016-2021" / "data_uas.xlsx"
PADI = SHARED / "fahriel25-produksi-padi-jatim-2018-2024" / "Produksi Padi Menurut KabupatenKota (Ton).csv"

pytestmark = pytest.mark.skipif(not JATIM.exists(), reason="shared data folder not present")


def _value(db: Database, kode: str, indicator: str, period: int, source: str) -> float:
    return db.scalar("SELECT value FROM indicators WHERE kode=? AND indicator=? AND period=? AND source=?",
                     [kode, indicator, period, source])


def test_kabupaten_geojson_replaces_approximate_boundaries(db_copy: Path) -> None:
    db = Database(db_copy)
    pv = pipeline.import_boundaries(db, "admin", "tester", "jatim_kabupaten.geojson",
                                    (JATIM / "jatim_kabupaten.geojson").read_bytes())
    assert pv.level == "kabupaten" and len(pv.matched) == 38 and pv.unmatched.empty
    rows = db.query("SELECT kode, geom_source, geom_origin, geom, geom_display FROM areas WHERE level='kabupaten' "
                    "AND kode LIKE '35.%'")
    assert (rows["geom_source"] == "official").all()
    assert rows["geom_origin"].str.contains("jatim_kabupaten.geojson").all()
    display = shapely.from_wkb([bytes(b) for b in rows["geom_display"]])
    assert shapely.is_valid(display).all()
    full = shapely.from_wkb([bytes(b) for b in rows["geom"]])
    assert shapely.is_valid(full).all()
    # coverage-preserving: simplification adds no overlap or gap beyond what the source file has
    def overlap(gs):  # share of area counted twice
        return 1 - shapely.union_all(gs).area / sum(g.area for g in gs)
    assert overlap(display) == pytest.approx(overlap(full), abs=2e-4)
    assert shapely.union_all(display).area == pytest.approx(shapely.union_all(full).area, rel=1e-3)
    # the desa level keeps its approximate geometry, and the status says so
    assert db.scalar("SELECT count(*) FROM areas WHERE level='desa' AND geom_source='approximate'") == 83762
    db.close()


def test_kecamatan_zipped_shapefile(db_copy: Path) -> None:
    db = Database(db_copy)
    pv = pipeline.import_boundaries(db, "perencana", "tester", "jatim_kecamatan_shp.zip",
                                    (JATIM / "jatim_kecamatan_shp.zip").read_bytes())
    assert pv.level == "kecamatan" and len(pv.matched) == 666
    assert db.scalar("SELECT count(*) FROM areas WHERE level='kecamatan' AND geom_source='official'") == 666
    db.close()


def test_geopackage_layers_and_desa_layer(db_copy: Path) -> None:
    data = (JATIM / "jatim_batas_wilayah.gpkg").read_bytes()
    assert boundaries.layers("jatim_batas_wilayah.gpkg", data) == ["kabupaten", "kecamatan", "desa"]
    db = Database(db_copy)
    pv = pipeline.import_boundaries(db, "admin", "tester", "jatim_batas_wilayah.gpkg", data, layer="desa")
    assert pv.level == "desa" and len(pv.matched) == 8494
    assert db.scalar("SELECT count(*) FROM areas WHERE level='desa' AND geom_source='official'") == 8494
    pv_kec = pipeline.boundary_preview(db, "jatim_batas_wilayah.gpkg", data, layer="kecamatan")
    assert pv_kec.level == "kecamatan" and len(pv_kec.matched) == 666
    db.close()


def test_national_2021_p0_table(db_copy: Path) -> None:
    db = Database(db_copy)
    pv = pipeline.import_table(db, "perencana", "tester", P0_2021.name, P0_2021.read_bytes(), "BPS",
                               default_period=2021)
    # P0 and, recognised by its name, the open unemployment rate (TPT): all 514 kabupaten/kota, every province
    assert len(pv.values) == 2 * 514 and set(pv.values["indicator"]) == {"p0", "tpt"} and pv.skipped.empty
    stored = set(db.query("SELECT kode FROM indicators WHERE indicator = 'p0' AND period = 2021 AND source = 'BPS'")
                 ["kode"])
    assert stored == set(db.query("SELECT kode FROM areas WHERE level = 'kabupaten'")["kode"])
    counts = context.per_province(db, {"nilai": pv.values["kode"]}).set_index("provinsi")["nilai"]
    # the file's 34 provinces are today's 38: its PAPUA rows (29) fall in Papua (9), Papua Selatan (4),
    # Papua Tengah (8) and Papua Pegunungan (8); PAPUA BARAT (13) in Papua Barat (7) and Papua Barat Daya (6)
    assert len(counts) == 38 and counts["Jawa Timur"] == 2 * 38 and counts["Aceh"] == 2 * 23
    assert counts["Papua Selatan"] == 2 * 4 and counts["Papua Barat Daya"] == 2 * 6
    assert _value(db, "35.01", "p0", 2021, "BPS") == pytest.approx(15.11)   # Pacitan, BPS March 2021
    # values from the file's own lines, matched by name in the province of the row
    assert _value(db, "11.05", "p0", 2021, "BPS") == pytest.approx(18.81)   # ACEH;Aceh Barat
    assert _value(db, "73.03", "p0", 2021, "BPS") == pytest.approx(9.41)    # SULAWESI SELATAN;Bantaeng
    assert _value(db, "93.01", "p0", 2021, "BPS") == pytest.approx(10.16)   # PAPUA;Merauke (Papua Selatan)
    assert _value(db, "12.12", "p0", 2021, "BPS") == pytest.approx(8.99)    # Toba Samosir, now Toba
    assert _value(db, "61.02", "p0", 2021, "BPS") == pytest.approx(5.18)    # Pontianak, now Mempawah
    assert _value(db, "61.71", "p0", 2021, "BPS") == pytest.approx(4.58)    # Kota Pontianak
    assert _value(db, "75.01", "p0", 2021, "BPS") == pytest.approx(17.89)   # GORONTALO;Gorontalo (kabupaten)
    assert _value(db, "75.71", "p0", 2021, "BPS") == pytest.approx(5.93)    # Kota Gorontalo
    # the map of Indonesia shows them: the real source before the synthetic one, every kabupaten/kota
    layer = drilldown.value_layer(db, drilldown.NATIONAL, "kabupaten", "p0", 2021, "id")
    assert len(layer["values"]) == 514 and ("Sumber", "BPS") in layer["tooltip_constants"]
    assert layer["labels"]["11.05"] == "18,8%" and layer["labels"]["93.01"] == "10,2%"
    shapes = json.loads(core_store.area_geojson(db, "kabupaten", drilldown.NATIONAL))["features"]
    assert {f["properties"]["kode"] for f in shapes} == set(layer["values"])
    # Kabupaten vs Kota of the same name: plain "Kediri" is the kabupaten, "Kota Kediri" the city
    text = P0_2021.read_text(encoding="utf-8")
    kab = next(line for line in text.splitlines() if line.startswith("JAWA TIMUR;Kediri;"))
    kota = next(line for line in text.splitlines() if line.startswith("JAWA TIMUR;Kota Kediri;"))
    assert _value(db, "35.06", "p0", 2021, "BPS") == pytest.approx(float(kab.split(";")[2].replace(",", ".")))
    assert _value(db, "35.71", "p0", 2021, "BPS") == pytest.approx(float(kota.split(";")[2].replace(",", ".")))
    # the synthetic values of the same indicator and year are still there, side by side
    assert db.scalar("SELECT count(DISTINCT source) FROM indicators WHERE kode='35.01' AND indicator='p0' "
                     "AND period=2021") == 2
    db.close()


def test_poor_population_panel_2016_2021_in_thousands(db_copy: Path) -> None:
    db = Database(db_copy)
    cols = [ValueColumn("Miskin", "penduduk_miskin", None, 1000.0, "jiwa")]
    pv = pipeline.table_preview(db, PANEL.name, PANEL.read_bytes())
    assert any("ribuan" in p.message for p in pv.problems)  # the unscaled proposal is questioned
    pv = pipeline.import_table(db, "perencana", "tester", PANEL.name, PANEL.read_bytes(),
                               "BPS Provinsi Jawa Timur", columns=cols)
    assert len(pv.values) == 38 * 6
    assert sorted(pv.values["period"].unique()) == [2016, 2017, 2018, 2019, 2020, 2021]
    assert _value(db, "35.01", "penduduk_miskin", 2016, "BPS Provinsi Jawa Timur") == pytest.approx(85530)
    for kab, kota in (("35.06", "35.71"), ("35.07", "35.73"), ("35.05", "35.72"), ("35.19", "35.77"),
                      ("35.16", "35.76"), ("35.14", "35.75"), ("35.13", "35.74")):
        assert _value(db, kab, "penduduk_miskin", 2021, "BPS Provinsi Jawa Timur") > \
            _value(db, kota, "penduduk_miskin", 2021, "BPS Provinsi Jawa Timur")
    db.close()


def test_bps_wide_download_with_total_and_footnote_rows(db_copy: Path) -> None:
    db = Database(db_copy)
    pv = pipeline.table_preview(db, PADI.name, PADI.read_bytes())
    assert len(pv.values) > 0 and pv.ok
    reasons = set(pv.skipped["reason"])
    assert {"baris total provinsi", "catatan kaki"} <= reasons
    assert set(pv.values["period"]) == set(range(2018, 2025))
    assert pv.values["column"].str.contains("Tahunan").all()  # monthly columns are not proposed
    pacitan_2018 = pv.values[(pv.values["kode"] == "35.01") & (pv.values["period"] == 2018)]["value"].iloc[0]
    assert pacitan_2018 == pytest.approx(89684.44)
    # '-' cells are missing values, not zeros and not errors
    cells = read.read_cells(PADI.name, PADI.read_bytes())
    assert (cells == "-").any().any()
    # stored under the name of the file's title, not its first column's year
    from analytics.io import indicator_tables
    indicator_tables.commit(db, "perencana", "tester", pv, "BPS")
    assert db.query("SELECT nama_id, nama_en FROM indicator_defs WHERE indicator = ?",
                    [pv.values["indicator"].iat[0]]).iloc[0].tolist() == ["Produksi padi menurut kabupaten kota"] * 2
    db.close()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_preview_tables_are_written_for_people(ro_db: Database, lang: str) -> None:
    """What the Import page shows before a commit (the padi download: values, areas, skipped rows; the
    Pacitan desa file: matched and unsure features): headers in the reader's language, numbers written
    their way, indicators and areas by name, nothing left as a raw key or a raw number."""
    from analytics.testing import display_scan

    codes = ("Kode", "Code", "Kode BPS", "BPS code", "Kode Kemendagri", "Kemendagri code", "Kode di berkas",
             "Code in the file")
    pv = pipeline.table_preview(ro_db, PADI.name, PADI.read_bytes())
    values = context.shown(context.values_table(ro_db, pv.values, lang), lang)
    areas = context.shown(context.areas_table(ro_db, pv.areas), lang)
    skipped = context.shown(context.skipped_table(pv.skipped), lang)
    if lang == "id":
        assert values.columns.tolist() == ["Kode", "Nama", "Indikator", "Tahun", "Nilai", "Satuan",
                                           "Baris di berkas", "Kolom"]
        assert areas.columns.tolist() == ["Baris di berkas", "Tertulis di berkas", "Kode", "Nama", "Cara cocok"]
        assert skipped.columns.tolist() == ["Baris di berkas", "Isi", "Alasan"]
    else:
        assert values.columns.tolist() == ["Code", "Name", "Indicator", "Year", "Value", "Unit", "Row in the file",
                                           "Column"]
    pacitan = values[(values.iloc[:, 0] == "35.01") & (values.iloc[:, 3] == "2018")].iloc[0]
    assert pacitan.iloc[1] == "Kabupaten Pacitan"
    assert pacitan.iloc[2] == "Produksi padi menurut kabupaten kota"  # new: named from the file's title, not "2018"
    assert pacitan.iloc[4] == ("89.684,44" if lang == "id" else "89,684.44")  # the file's 89684.44 t
    bnd = SHARED / "bps-desa-sample" / "idkab_3501.geojson"
    bpv = pipeline.boundary_preview(ro_db, bnd.name, bnd.read_bytes())
    matched = context.shown(context.matched_table(ro_db, bpv.matched), lang)
    assert matched.columns.tolist()[-2:] == (["Keyakinan", "Geometri diperbaiki"] if lang == "id"
                                             else ["Confidence", "Geometry repaired"])
    assert set(matched.iloc[:, -1]) <= ({"ya", "tidak"} if lang == "id" else {"yes", "no"})
    unmatched = context.shown(context.unmatched_table(pd.DataFrame(
        [(7, "Pulau Entah", "tidak dikenali")], columns=["feature", "value", "reason"])), lang)
    assert unmatched.values.tolist() == [["7", "Pulau Entah", "tidak dikenali"]]
    found = [f"{i} {p}" for i, t in enumerate((values, areas, skipped, matched, unmatched))
             for p in display_scan.problems(t, lang, codes)]
    assert found == []
