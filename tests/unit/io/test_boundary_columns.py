"""Boundary files as BPS, BIG, OCHA, GADM and geoBoundaries distribute them: the columns holding the code
and names are recognised (any letter case), and a file matches without renaming anything."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
import shapely

from analytics.core.db import Database
from analytics.io import boundaries, pipeline
from tests.shared_data import shared_file


def _frame(columns: dict[str, list]) -> gpd.GeoDataFrame:
    n = len(next(iter(columns.values())))
    return gpd.GeoDataFrame(columns, geometry=[shapely.box(112, -7.5, 112.1, -7.4)] * n, crs=4326)


@pytest.mark.parametrize("columns,expected", [
    ({"IDDESA": ["3501010001"], "NMDESA": ["WIDORO"], "NMKEC": ["DONOROJO"], "IDKEC": ["3501010"]},
     ("BPS", "IDDESA", "NMDESA", "NMKEC", "IDKEC")),
    ({"idkec": ["3501010"], "nmkec": ["DONOROJO"], "nmkab": ["PACITAN"], "idkab": ["3501"]},
     ("BPS", "idkec", "nmkec", "nmkab", "idkab")),
    ({"KDPKAB": ["35.01"], "WADMKK": ["Pacitan"], "WADMPR": ["Jawa Timur"], "KDPPUM": ["35"]},
     ("BIG RBI", "KDPKAB", "WADMKK", "WADMPR", "KDPPUM")),
    ({"NAMOBJ": ["Widoro"], "WADMKC": ["Donorojo"], "WADMKD": ["Widoro"]},
     ("BIG RBI", None, "WADMKD", "WADMKC", None)),
    ({"ADM3_PCODE": ["ID3501010"], "ADM3_EN": ["Donorojo"], "ADM2_EN": ["Pacitan"], "ADM2_PCODE": ["ID3501"]},
     ("OCHA COD-AB", "ADM3_PCODE", "ADM3_EN", "ADM2_EN", "ADM2_PCODE")),
    ({"GID_3": ["IDN.11.1.1_1"], "NAME_3": ["Donorojo"], "NAME_2": ["Pacitan"], "NAME_1": ["Jawa Timur"]},
     ("GADM", None, "NAME_3", "NAME_2", None)),  # GID_* are GADM's own ids, not area codes
    ({"KABKOTNO": ["01"], "KABKOT": ["PACITAN"]}, ("BPS kabupaten (KABKOTNO)", "KABKOTNO", "KABKOT", None, None)),
    ({"shapeName": ["Pacitan"], "shapeID": ["x"]}, ("geoBoundaries", None, "shapeName", None, None)),
    ({"Kode": ["35.01"], "Nama": ["Pacitan"]}, ("umum", "Kode", "Nama", None, None)),
])
def test_conventions_are_recognised_in_any_letter_case(columns: dict, expected: tuple) -> None:
    m = boundaries.propose_columns(_frame(columns))
    assert (m.convention, m.code, m.name, m.parent_name, m.parent_code) == expected


def test_bps_sample_files_propose_the_desa_columns() -> None:
    for kab in ("3501", "3515", "3529", "3578"):
        gdf = gpd.read_file(shared_file("bps-desa-sample", f"idkab_{kab}.geojson"))
        assert boundaries.propose_columns(gdf) == boundaries.ColumnMapping("BPS", "iddesa", "nmdesa", "nmkec", "idkec")


def test_two_digit_kabupaten_numbers_decide_kabupaten_or_kota(ro_db: Database) -> None:
    """A BPS kabupaten file: ``KABKOTNO`` (the number inside the province) and ``KABKOT`` (a bare name,
    "MALANG" for both Kabupaten and Kota Malang): the number decides, and the file matches as it is."""
    pts = ro_db.query("SELECT kode, lon, lat FROM areas WHERE kode IN ('35.07', '35.73') ORDER BY kode")
    features = [{"type": "Feature", "properties": {"KABKOTNO": k[-2:], "KABKOT": "MALANG"},
                 "geometry": shapely.geometry.mapping(shapely.Point(lon, lat).buffer(0.05))}
                for k, lon, lat in pts.itertuples(index=False)]
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    pv = pipeline.boundary_preview(ro_db, "kabkot.geojson", data)
    assert pv.ok and pv.level == "kabupaten"
    assert sorted(pv.matched["kode"]) == ["35.07", "35.73"]
