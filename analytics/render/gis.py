"""Map layers as files for GIS staff (QGIS, ArcGIS): GeoPackage and GeoJSON, EPSG:4326, one feature per
area (or point) with its code, name and values as attributes. Written with geopandas/pyogrio; text stays
text (codes keep their dots and leading zeros)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

FORMATS: dict[str, tuple[str, str]] = {"gpkg": ("GPKG", "application/geopackage+sqlite3"),
                                       "geojson": ("GeoJSON", "application/geo+json")}
"""File kind → (OGR driver, MIME type)."""


def layer_bytes(table: pd.DataFrame, geometry: list, kind: str, layer: str) -> bytes:
    """``table`` (one row per feature) with ``geometry`` (shapely, EPSG:4326, same order) as a GeoPackage
    (``kind="gpkg"``, one layer named ``layer``) or a GeoJSON file. Missing values are empty attributes."""
    import geopandas as gpd

    driver, _ = FORMATS[kind]
    frame = gpd.GeoDataFrame(table.reset_index(drop=True), geometry=list(geometry), crs="EPSG:4326")
    for col in frame.columns:
        if col != "geometry" and (frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col])):
            frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"layer.{kind}"
        frame.to_file(path, driver=driver, layer=layer if kind == "gpkg" else None, engine="pyogrio")
        return path.read_bytes()


def read_back(data: bytes, kind: str):  # noqa: ANN201 (a GeoDataFrame)
    """A layer file read back (for checks and tests)."""
    import geopandas as gpd

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"layer.{kind}"
        path.write_bytes(data)
        return gpd.read_file(path, engine="pyogrio")



def point_layer_bytes(table: pd.DataFrame, kind: str, layer: str, lon: str = "lon", lat: str = "lat") -> bytes:
    """Rows with a longitude and latitude (rows without are left out) as a point layer."""
    import shapely

    rows = table.dropna(subset=[lon, lat]).reset_index(drop=True)
    return layer_bytes(rows.drop(columns=[lon, lat]), list(shapely.points(rows[lon], rows[lat])), kind, layer)
