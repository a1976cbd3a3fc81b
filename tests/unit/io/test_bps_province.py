"""A province-sized BPS-style desa file (Jawa Timur's 8,494 desa from ../shared/data, renumbered the BPS
way, names spelled the old way, three kecamatan renamed, twelve merges and twelve splits; see
analytics/testing/bps_province.py): at least 97% sure, no sure pair wrong (the file's truth says which desa
each feature is), every merge and split listed with the right desa among the suggestions. The four BPS
samples also go in as a zipped Shapefile and a GeoPackage, with the same pairs as the GeoJSON."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest

from analytics.core.db import Database
from analytics.io import pipeline
from analytics.testing import bps_province
from tests.shared_data import shared_file


@pytest.fixture(scope="module")
def province(ro_db: Database) -> bps_province.Province:
    gpkg = shared_file("jatim-standard-formats", "jatim_batas_wilayah.gpkg")
    return bps_province.build(gpkg, ro_db.query("SELECT kode, lon, lat FROM areas WHERE level = 'desa'"))


def _gpkg(gdf: gpd.GeoDataFrame) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "desa.gpkg"
        gdf.to_file(path, driver="GPKG", layer="desa")
        return path.read_bytes()


def _shp_zip(gdf: gpd.GeoDataFrame) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        gdf.to_file(Path(tmp) / "desa.shp")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            for part in Path(tmp).iterdir():
                z.write(part, part.name)
        return buf.getvalue()


def test_a_province_sized_bps_file_pairs_97_percent_and_none_wrong(ro_db: Database,
                                                                     province: bps_province.Province) -> None:
    truth = province.truth.set_index("feature")
    assert truth["kind"].value_counts().to_dict() == {"desa": 8470, "gabung": 12, "pecahan": 12}
    pv = pipeline.boundary_preview(ro_db, "jatim_bps.gpkg", _gpkg(province.features))
    assert pv.ok and pv.level == "desa" and pv.unmatched.empty
    assert len(pv.matched) >= 0.97 * len(truth)
    assert len(pv.matched) + len(pv.unsure) == len(truth)
    sure = pv.matched.set_index("feature")
    assert (sure["kode"] == truth.loc[sure.index, "kode"]).all()  # no sure pair wrong
    assert (truth.loc[sure.index, "kind"] == "desa").all()         # merges and split parts are never guessed
    for r in pv.unsure.itertuples():
        t = truth.loc[r.feature]
        offered = [s["kode"] for s in r.suggestions]
        assert t["kode"] in offered, (r.feature, t.to_dict(), r.reason)
        if t["kind"] == "gabung":
            assert t["kode2"] in offered and "2 desa Kemendagri" in r.reason
        if t["kind"] == "pecahan":
            assert "sudah dipasangkan" in r.reason or "cocok sebagian" in r.reason
    assert set(pv.unsure["feature"]) >= set(truth.index[truth["kind"] != "desa"])
    renamed = pv.matched[pv.matched["kode"].str[:8].isin(province.renamed_kecamatan)]
    assert len(renamed) >= 30 and renamed["method"].str.contains("tempat").all()


@pytest.mark.parametrize("kab", ["3501", "3515", "3529", "3578"])
def test_bps_samples_go_in_the_same_as_shapefile_zip_and_geopackage(ro_db: Database, kab: str) -> None:
    path = shared_file("bps-desa-sample", f"idkab_{kab}.geojson")
    base = pipeline.boundary_preview(ro_db, path.name, path.read_bytes())
    gdf = gpd.read_file(path)
    for name, data in ((f"idkab_{kab}.zip", _shp_zip(gdf)), (f"idkab_{kab}.gpkg", _gpkg(gdf))):
        pv = pipeline.boundary_preview(ro_db, name, data)
        assert pv.ok, name
        assert pv.matched[["feature", "kode"]].values.tolist() == base.matched[["feature", "kode"]].values.tolist()
        assert pv.unsure["feature"].tolist() == base.unsure["feature"].tolist()
