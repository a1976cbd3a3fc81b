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
    assert got == {"provinsi": (38,) * 4, "kabupaten": (514,) * 4, "kecamatan": (7285,) * 4, "desa": (83762,) * 4}
    jatim = ro_db.query("SELECT level, count(*) n FROM areas WHERE kode LIKE '35%' GROUP BY level")
    assert dict(zip(jatim["level"], jatim["n"], strict=True)) == {"provinsi": 1, "kabupaten": 38, "kecamatan": 666,
                                                                   "desa": 8494}
    no_point = ro_db.query("SELECT count(*) n, count(*) FILTER (WHERE geom_origin LIKE '%titik tidak tersedia%') f "
                           "FROM areas WHERE level = 'desa' AND lon IS NULL")
    assert no_point["n"].iat[0] == no_point["f"].iat[0] == 383  # placed in their kecamatan and labelled so


def _geoms(db: Database, level: str) -> pd.DataFrame:
    df = db.query("SELECT kode, lat, lon, geom FROM areas WHERE level = ? ORDER BY kode", [level])
    df["g"] = shapely.from_wkb([bytes(b) for b in df["geom"]])
    return df


def test_levels_nest_exactly_and_do_not_overlap(ro_db: Database) -> None:
    """In every province: each kabupaten's area is the sum of its desa's, and the desa cells do not
    overlap; across the country: no two provinces overlap (one Voronoi diagram for all 83,762 desa)."""
    desa = _geoms(ro_db, "desa")
    kab = _geoms(ro_db, "kabupaten")
    prov = _geoms(ro_db, "provinsi")
    assert shapely.is_valid(desa["g"].to_numpy()).all()
    assert not shapely.is_empty(desa["g"].to_numpy()).any()
    desa_area = desa.groupby(desa["kode"].str[:5])["g"].apply(lambda s: shapely.area(s.to_numpy()).sum())
    kab_area = pd.Series(shapely.area(kab["g"].to_numpy()), index=kab["kode"])
    np.testing.assert_allclose(kab_area.sort_index(), desa_area.sort_index(), rtol=1e-6)
    for code, cells in desa.groupby(desa["kode"].str[:2])["g"]:
        total = shapely.area(cells.to_numpy()).sum()
        union = shapely.coverage_union_all(cells.to_numpy()).area
        assert abs(union - total) / total < 1e-6, code
    geoms = prov["g"].to_numpy()
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    pairs = left < right
    overlap = shapely.area(shapely.intersection(geoms[left[pairs]], geoms[right[pairs]])).sum()
    assert pairs.sum() >= 30 and overlap < 1e-6 * shapely.area(geoms).sum()  # neighbours touch, never overlap


def test_every_desa_cell_holds_its_official_centre_point(ro_db: Database) -> None:
    desa = _geoms(ro_db, "desa").dropna(subset=["lon", "lat"])
    pts = shapely.points(desa[["lon", "lat"]].to_numpy())
    inside = shapely.covers(desa["g"].to_numpy(), pts)
    assert len(desa) == 83762 - 383 and inside.all(), desa.loc[~inside, "kode"].tolist()[:10]


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


def test_a_desa_without_a_point_gets_a_cell_inside_its_kecamatan_flagged() -> None:
    """Two desa of kecamatan 13.01.01 have no official point (as 106 desa of Sumatera Barat): seeded on a
    0,003° circle around the kecamatan's centre (angles 0 and π), each with its own cell, flagged."""
    areas = pd.DataFrame({
        "kode": ["13.01.01", "13.01.01.2001", "13.01.01.2002", "13.01.01.2003", "13.01.02", "13.01.02.2001"],
        "level": ["kecamatan", "desa", "desa", "desa", "kecamatan", "desa"],
        "lon": [100.40, 100.45, None, None, 100.60, 100.62], "lat": [-0.90, -0.92, None, None, -0.95, -0.94]})
    seeds = geometry.seed_points(areas).set_index("kode")
    assert seeds["point_missing"].tolist() == [False, True, True, False]
    np.testing.assert_allclose(seeds.loc["13.01.01.2002", ["lon", "lat"]].astype(float), [100.403, -0.90])
    np.testing.assert_allclose(seeds.loc["13.01.01.2003", ["lon", "lat"]].astype(float), [100.397, -0.90])
    out = geometry.approximate_areas(areas, pd.DataFrame({"kode": [], "lat": [], "lon": []})).set_index("kode")
    for kode in ("13.01.01.2002", "13.01.01.2003"):
        cell = out.loc[kode, "geometry"]
        assert out.loc[kode, "point_missing"] and cell.area > 0
        assert cell.covers(shapely.Point(seeds.loc[kode, "lon"], seeds.loc[kode, "lat"]))
        assert out.loc["13.01.01", "geometry"].covers(cell)  # inside its own kecamatan


def test_the_region_list_covers_every_province() -> None:
    """38 provinces, 514 kabupaten/kota, 7,285 kecamatan, 83,762 desa (Kepmendagri 2025), every code
    unique and every parent present; 383 desa have no official point."""
    totals: dict[str, int] = {}
    missing = 0
    for prov in regions.province_codes():
        a = regions.load_province(prov)
        assert a["kode"].is_unique and set(a["parent"].dropna()) <= set(a["kode"]), prov
        assert (a["kode"].str[:2] == prov).all()
        for level, n in a["level"].value_counts().items():
            totals[level] = totals.get(level, 0) + int(n)
        missing += int(a.loc[a["level"] == "desa", "lon"].isna().sum())
    assert totals == {"provinsi": 38, "kabupaten": 514, "kecamatan": 7285, "desa": 83762}
    assert missing == 383
    assert regions.load_province("33")["level"].value_counts()["desa"] == 8563  # Jawa Tengah, the largest
