"""Map layers for GIS staff (issue 17, part 7): GeoPackage and GeoJSON with codes, names and values, read
back with geopandas (not with the code that wrote them) and compared with the database by plain SQL."""

from __future__ import annotations

import pandas as pd
import pytest
import shapely

from analytics.monitoring import leadership
from analytics.poverty import drilldown
from analytics.render import gis


@pytest.mark.parametrize("kind", ["gpkg", "geojson"])
def test_the_kabupaten_value_layer_goes_out_whole(ro_db, kind: str) -> None:
    table, geoms = drilldown.gis_layer(ro_db, "35", "kabupaten", "p0", 2024, "id")
    back = gis.read_back(gis.layer_bytes(table, geoms, kind, "p0_2024"), kind)
    stored = ro_db.query("""SELECT a.kode, a.nama, i.value FROM areas a LEFT JOIN indicators i ON i.kode = a.kode
                            AND i.indicator = 'p0' AND i.period = 2024
                            WHERE a.level = 'kabupaten' AND a.kode LIKE '35.%' ORDER BY a.kode""")
    assert len(back) == 38 == len(stored)
    assert back["kode"].tolist() == stored["kode"].tolist()  # codes as text, dots kept
    assert back["nama"].tolist() == stored["nama"].tolist()
    assert back["nilai"].round(6).tolist() == stored["value"].round(6).tolist()
    assert set(back["satuan"]) == {"persen"} and set(back["tahun"]) == {2024} and set(back["tingkat"]) == {
        "Kabupaten/kota"}
    assert back.crs.to_epsg() == 4326 and back.geometry.notna().all()
    # the full boundary, not the simplified one drawn on the map: same area as stored
    malang = ro_db.query("SELECT geom FROM areas WHERE kode = '35.07'")["geom"].iloc[0]
    area = shapely.from_wkb(bytes(malang)).area
    assert back.set_index("kode").loc["35.07", "geometry"].area == pytest.approx(area, rel=1e-6)


def test_the_pocket_layer_carries_both_statistics(ro_db) -> None:
    result = drilldown.pockets(ro_db, "35", "kabupaten", "p0", 2024)
    table, geoms = drilldown.gis_layer(ro_db, "35", "kabupaten", "p0", 2024, "en", result=result)
    back = gis.read_back(gis.layer_bytes(table, geoms, "gpkg", "pockets"), "gpkg").set_index("kode")
    r = result.set_index("kode")
    assert back.loc["35.01", "kantong_lisa"] == r.loc["35.01", "cluster"]
    assert back.loc["35.01", "gi_kelas"] == r.loc["35.01", "gi_class"]
    assert back["lisa_q"].round(9).tolist() == r.loc[back.index, "lisa_q"].round(9).tolist()
    assert set(back["tingkat"]) == {"Kabupaten/kota"} or set(back["tingkat"]) == {"Regency/city"}


def test_intervention_sites_as_points_with_their_pocket() -> None:
    sites = pd.DataFrame({"judul": ["Model A", "Model B", "Tanpa titik"], "kabupaten": ["35.07"] * 3,
                          "kode": ["35.07.01.2001", "35.07.02", "35.07"], "reached": [120.0, None, 5.0],
                          "nama": ["Desa A", "Kec B", "Kab"], "lat": [-8.1, -8.2, None], "lon": [112.5, 112.6, None]})
    flagged = leadership.in_pockets(sites, pd.DataFrame({"kode": ["35.07.01", "35.07.02"], "cluster": ["HH", "LL"]}))
    back = gis.read_back(gis.point_layer_bytes(flagged, "geojson", "intervensi"), "geojson")
    assert back["kode"].tolist() == ["35.07.01.2001", "35.07.02"]  # the site without a point is left out
    assert back["kantong"].tolist() == ["HH", "LL"]
    assert [(p.x, p.y) for p in back.geometry] == [(112.5, -8.1), (112.6, -8.2)]
