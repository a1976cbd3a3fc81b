"""Region list and approximate geometry: official codes, exact nesting, no spill into the sea."""

import re

import numpy as np
import pandas as pd
import shapely

from analytics.core import geometry, regions
from analytics.core.db import Database

CODE_RE = {"kabupaten": r"^35\.\d{2}$", "kecamatan": r"^35\.\d{2}\.\d{2}$", "desa": r"^35\.\d{2}\.\d{2}\.\d{4}$"}


def test_region_list_has_exact_jatim_counts() -> None:
    a = regions.load_province("35")
    counts = a["level"].value_counts().to_dict()
    assert counts == {"provinsi": 1, "kabupaten": 38, "kecamatan": 666, "desa": 8494}
    for level, pattern in CODE_RE.items():
        assert a.loc[a["level"] == level, "kode"].str.match(pattern).all()
    assert a["kode"].is_unique
    # known codes: Kab. Malang, Kota Batu, a desa in Pacitan
    names = a.set_index("kode")["nama"]
    assert names["35.07"] == "Kabupaten Malang"
    assert names["35.79"] == "Kota Batu"
    assert names["35.01.01.2001"] == "Widoro"
    # every parent exists
    assert set(a["parent"].dropna()) <= set(a["kode"])


def test_database_has_exact_areas_each_with_approximate_geometry(ro_db: Database) -> None:
    df = ro_db.query("""SELECT level, count(*) n, count(geom) g, count(geom_display) d,
                        count(*) FILTER (WHERE geom_source='approximate') a FROM areas GROUP BY level""")
    got = {r.level: (r.n, r.g, r.d, r.a) for r in df.itertuples()}
    assert got["kabupaten"] == (38, 38, 38, 38)
    assert got["kecamatan"] == (666, 666, 666, 666)
    assert got["desa"] == (8494, 8494, 8494, 8494)


def _geoms(db: Database, level: str) -> pd.DataFrame:
    df = db.query("SELECT kode, lat, lon, geom FROM areas WHERE level = ? ORDER BY kode", [level])
    df["g"] = shapely.from_wkb([bytes(b) for b in df["geom"]])
    return df


def test_levels_nest_exactly_and_do_not_overlap(ro_db: Database) -> None:
    desa = _geoms(ro_db, "desa")
    kab = _geoms(ro_db, "kabupaten")
    assert shapely.is_valid(desa["g"].to_numpy()).all()
    assert not shapely.is_empty(desa["g"].to_numpy()).any()
    # each kabupaten's area equals the sum of its desa areas (same cells, no overlap, no gap)
    desa_area = desa.groupby(desa["kode"].str[:5])["g"].apply(lambda s: shapely.area(s.to_numpy()).sum())
    kab_area = pd.Series(shapely.area(kab["g"].to_numpy()), index=kab["kode"])
    np.testing.assert_allclose(kab_area.sort_index(), desa_area.sort_index(), rtol=1e-6)
    # desa cells do not overlap: union area equals the sum of areas
    total = shapely.area(desa["g"].to_numpy()).sum()
    union = shapely.coverage_union_all(desa["g"].to_numpy()).area
    assert abs(union - total) / total < 1e-6


def test_every_desa_cell_holds_its_official_centre_point(ro_db: Database) -> None:
    desa = _geoms(ro_db, "desa")
    pts = shapely.points(desa[["lon", "lat"]].to_numpy())
    inside = shapely.covers(desa["g"].to_numpy(), pts)
    assert inside.mean() > 0.999, desa.loc[~inside, "kode"].tolist()[:10]


def test_cells_are_clipped_to_land() -> None:
    # A point inland (Lumajang/Jember) and one far out in the Java Sea, Voronoi-split, then clipped:
    areas = pd.DataFrame({"kode": ["35.08.01.2001", "35.08.01.2002"], "level": "desa",
                          "lat": [-7.9, -5.0], "lon": [113.5, 113.5]})
    nb = pd.DataFrame({"kode": [], "lat": [], "lon": []})
    out = geometry.approximate_areas(areas, nb, land_disc_km=1.0)
    sea_cell = out.set_index("kode").loc["35.08.01.2002", "geometry"]
    # the sea point keeps only its 1 km disc (about 3.1 km^2 ~ 0.00026 deg^2), not half the sea
    assert sea_cell.area < 0.0004
    land_cell = out.set_index("kode").loc["35.08.01.2001", "geometry"]
    assert land_cell.area > 0.05  # it took the land of the bbox
    assert not land_cell.contains(shapely.Point(113.5, -7.45))  # but not the Madura Strait


def test_display_payloads_are_small(ro_db: Database) -> None:
    from analytics.core import store as core_store
    desa = core_store.area_geojson(ro_db, "desa", "35")
    kab = core_store.area_geojson(ro_db, "kabupaten", "35")
    assert len(desa.encode()) / 1e6 <= 6.0
    assert len(kab.encode()) / 1e6 <= 0.5
    assert desa.count('"Feature"') == 8494
    assert kab.count('"Feature"') == 38
    # five decimals at most
    assert not re.search(r"\d+\.\d{6,}", kab)
