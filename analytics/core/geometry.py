"""Approximate area geometry from official centre points, and map payload preparation.

Until official boundaries are imported, every desa gets a Thiessen (Voronoi) cell around its official
centre point (a desa without one is seeded beside its kecamatan's centre). The demo build cuts the cells
from one diagram of the whole country (so a border desa does not spill into the next province), clips
them to a land outline (so cells do not spill into the sea), and dissolves desa → kecamatan → kabupaten,
so the levels nest exactly.

The land outline comes from the ``global-land-mask`` package (GLOBE 1 km land/sea grid, shipped in the
package), plus a small disc around every desa point so small islands that the 1 km grid misses keep
their desa.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely

if TYPE_CHECKING:  # geopandas is heavy to import; only the build needs it
    import geopandas as gpd

KM_DEG = 1.0 / 111.0  # about one kilometre in degrees at the equator


@dataclass(frozen=True)
class BBox:
    """A lon/lat bounding box."""

    west: float
    south: float
    east: float
    north: float

    def padded(self, pad: float) -> BBox:
        return BBox(self.west - pad, self.south - pad, self.east + pad, self.north + pad)

    def box(self) -> shapely.Polygon:
        return shapely.box(self.west, self.south, self.east, self.north)


def land_mask(bbox: BBox, smooth: float = 0.006) -> shapely.MultiPolygon | shapely.Polygon:
    """Land outline inside ``bbox`` from the GLOBE 1 km grid shipped by ``global-land-mask``.

    Land cells are merged row by row into rectangles, unioned, and smoothed with a small
    buffer-and-simplify so the 1 km staircase does not show on maps.
    """
    from global_land_mask import globe

    lat = globe._lat
    lon = globe._lon
    i0, i1 = sorted(int(v) for v in globe.lat_to_index(np.array([bbox.north, bbox.south])))
    j0, j1 = sorted(int(v) for v in globe.lon_to_index(np.array([bbox.west, bbox.east])))
    land = ~globe._mask[i0:i1 + 1, j0:j1 + 1]
    dlat = abs(float(lat[1] - lat[0]))
    dlon = abs(float(lon[1] - lon[0]))
    rects = []
    for r in range(land.shape[0]):
        row = land[r].astype(np.int8)
        if not row.any():
            continue
        edges = np.diff(np.concatenate(([0], row, [0])))
        starts = np.flatnonzero(edges == 1)
        ends = np.flatnonzero(edges == -1)
        y = float(lat[i0 + r])
        for s, e in zip(starts, ends, strict=False):
            x0 = float(lon[j0 + s]) - dlon / 2
            x1 = float(lon[j0 + e - 1]) + dlon / 2
            rects.append(shapely.box(x0, y - dlat / 2, x1, y + dlat / 2))
    merged = shapely.union_all(np.array(rects, dtype=object))
    return shapely.make_valid(merged.buffer(smooth / 2).buffer(-smooth / 2).simplify(smooth / 2))


def voronoi_cells(points: pd.DataFrame, bbox: BBox) -> np.ndarray:
    """Voronoi cell of every point (``lon``/``lat`` columns), in input order, bounded by ``bbox``."""
    xy = points[["lon", "lat"]].to_numpy()
    # Identical centre points would share one cell; jitter duplicates by a metre so each gets its own.
    dup = pd.DataFrame(xy).duplicated().to_numpy()
    if dup.any():
        rng = np.random.default_rng(0)
        xy = xy.copy()
        xy[dup] += rng.normal(0, 1e-5, size=(int(dup.sum()), 2))
    mp = shapely.multipoints(xy)
    cells = shapely.voronoi_polygons(mp, extend_to=bbox.box(), ordered=True)
    parts = np.asarray(shapely.get_parts(cells))
    return shapely.intersection(parts, bbox.box())


def approximate_areas(areas: pd.DataFrame, neighbours: pd.DataFrame | None = None, land_disc_km: float = 1.0,
                      cells: np.ndarray | None = None) -> gpd.GeoDataFrame:
    """Nested approximate geometry for every area of one province.

    Parameters
    ----------
    areas:
        Output of :func:`analytics.core.regions.load_province` (``kode``, ``level``, ``lat``, ``lon``...).
    neighbours:
        Desa centre points of the neighbouring provinces (``kode``, ``lat``, ``lon``); not needed with
        ``cells``.
    land_disc_km:
        Radius of the disc kept around every desa point even where the land grid says sea.
    cells:
        The desa's Voronoi cells when already made (in the order of :func:`seed_points`), e.g. from one
        diagram of the whole country, so that neighbouring provinces share their borders exactly.

    Returns
    -------
    GeoDataFrame with ``kode``, ``coastal`` (the cell or one of its desa cells was cut by the
    coastline) and ``geometry`` for every desa, kecamatan, kabupaten and the province.
    """
    import geopandas as gpd

    desa = seed_points(areas)
    bbox = BBox(desa["lon"].min(), desa["lat"].min(), desa["lon"].max(), desa["lat"].max()).padded(0.3)
    if cells is None:
        nb = (neighbours if neighbours is not None else pd.DataFrame(columns=["kode", "lon", "lat"])).dropna(
            subset=["lon", "lat"])
        nb = nb[(nb["lon"].between(bbox.west, bbox.east)) & (nb["lat"].between(bbox.south, bbox.north))]
        pts = pd.concat([desa[["kode", "lon", "lat"]], nb[["kode", "lon", "lat"]]], ignore_index=True)
        cells = voronoi_cells(pts, bbox)[: len(desa)]

    land = land_mask(bbox)
    discs = shapely.buffer(shapely.points(desa[["lon", "lat"]].to_numpy()), land_disc_km * KM_DEG,
                           quad_segs=4)
    land = shapely.union_all(np.concatenate([[land], discs]))
    shapely.prepare(land)
    inside = shapely.contains(land, cells)
    clipped = cells.copy()
    coastal = ~inside
    clipped[coastal] = shapely.intersection(cells[coastal], land)
    clipped = shapely.make_valid(clipped)
    clipped = np.array([_polygonal(g) for g in clipped], dtype=object)

    out = gpd.GeoDataFrame({"kode": desa["kode"], "coastal": coastal, "point_missing": desa["point_missing"]},
                           geometry=clipped, crs="EPSG:4326")
    kec = _dissolve(out, out["kode"].str[:8])
    kab = _dissolve(out, out["kode"].str[:5])
    prov = _dissolve(kab, kab["kode"].str[:2])
    return pd.concat([prov, kab, kec, out], ignore_index=True)


MISSING_POINT_RADIUS = 0.003
"""Degrees (about 330 m) from its kecamatan's centre at which a desa without an official point is seeded."""


def seed_points(areas: pd.DataFrame) -> pd.DataFrame:
    """The desa of ``areas`` with the point their Voronoi cell grows from: the official centre point, or,
    for a desa the region list gives no point (383 in the country), a point placed around its
    kecamatan's official centre (evenly on a small circle when several share the kecamatan), flagged
    ``point_missing``: its cell is carved inside its kecamatan, never dropped, never pretending to be
    surveyed."""
    desa = areas[areas["level"] == "desa"].reset_index(drop=True)
    missing = (desa["lon"].isna() | desa["lat"].isna()).to_numpy()
    desa = desa.assign(point_missing=missing)
    if not missing.any():
        return desa
    centre = areas[areas["level"].isin(["kecamatan", "kabupaten"])].set_index("kode")[["lon", "lat"]].dropna()
    lon, lat = desa["lon"].to_numpy(float).copy(), desa["lat"].to_numpy(float).copy()
    rows = np.flatnonzero(missing)
    parents = desa["kode"].iloc[rows].str[:8].to_numpy()
    for kec in np.unique(parents):
        mine = rows[parents == kec]
        key = kec if kec in centre.index else kec[:5]
        cx, cy = centre.loc[key, "lon"], centre.loc[key, "lat"]
        angles = 2 * np.pi * np.arange(len(mine)) / len(mine)
        lon[mine] = cx + MISSING_POINT_RADIUS * np.cos(angles)
        lat[mine] = cy + MISSING_POINT_RADIUS * np.sin(angles)
    return desa.assign(lon=lon, lat=lat)


def _polygonal(g: shapely.Geometry) -> shapely.Geometry:
    """Keep only the polygonal parts of a geometry (intersections may leave lines or points)."""
    if isinstance(g, (shapely.Polygon, shapely.MultiPolygon)):
        return g
    polys = [p for p in shapely.get_parts(g) if isinstance(p, (shapely.Polygon, shapely.MultiPolygon))]
    return shapely.union_all(polys) if polys else shapely.Polygon()


def _dissolve(gdf: gpd.GeoDataFrame, key: pd.Series) -> gpd.GeoDataFrame:
    import geopandas as gpd

    groups = gdf.groupby(key.to_numpy())
    kode, geoms, coastal = [], [], []
    for k, grp in groups:
        kode.append(k)
        # make_valid can leave a sliver line beside the polygons (Sumatera Barat): keep the polygons only
        geoms.append(_polygonal(shapely.make_valid(shapely.coverage_union_all(grp.geometry.to_numpy()))))
        coastal.append(bool(grp["coastal"].any()))
    return gpd.GeoDataFrame({"kode": kode, "coastal": coastal}, geometry=geoms, crs="EPSG:4326")


def simplify_for_display(gdf: gpd.GeoDataFrame, tolerance: float = 0.001) -> gpd.GeoSeries:
    """Coverage-preserving simplification (shared edges stay shared), valid output."""
    simplified = gdf.geometry.simplify_coverage(tolerance)
    return simplified.make_valid()


def to_geojson(gdf: pd.DataFrame, properties: list[str], precision: int = 5) -> str:
    """Compact GeoJSON text of a frame with a ``geometry`` column (shapely objects), only
    ``properties`` kept, coordinates rounded to ``precision`` decimals and the collection's ``bbox``
    (west, south, east, north) set, so maps need not walk the coordinates to fit their view.

    >>> from shapely.geometry import box
    >>> to_geojson(pd.DataFrame({"kode": ["35"], "geometry": [box(0, 0, 1, 1)]}), ["kode"])[:60]
    '{"type":"FeatureCollection","bbox":[0.0,0.0,1.0,1.0],"featur'
    """
    geoms = shapely.set_precision(np.asarray(gdf["geometry"].to_numpy()), 10 ** -precision, mode="pointwise")
    keep = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    texts = shapely.to_geojson(geoms[keep])  # vectorised; GEOS writes compact JSON
    long_number = re.compile(rf"-?\d+\.\d{{{precision + 1},}}")  # GEOS prints a few as 8.295959999999999
    texts = [long_number.sub(lambda m: repr(round(float(m.group()), precision)), t) for t in texts]
    rows = gdf.loc[keep, properties] if properties else pd.DataFrame(index=gdf.index[keep])
    props = [json.dumps({p: _jsonable(v) for p, v in zip(properties, r, strict=False)}, separators=(",", ":"))
             for r in rows.itertuples(index=False, name=None)]
    bbox = [float(round(v, precision)) for v in shapely.total_bounds(geoms[keep])] if keep.any() else None
    feats = ",".join(f'{{"type":"Feature","properties":{p},"geometry":{g}}}' for p,
                     g in zip(props, texts, strict=False))
    head = '{"type":"FeatureCollection",' + (f'"bbox":{json.dumps(bbox, separators=(",", ":"))},' if bbox else "")
    return head + f'"features":[{feats}]}}'


def _jsonable(v: object) -> object:
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return None if np.isnan(v) else round(float(v), 4)
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    return v
