"""A province-sized desa boundary file the way BPS distributes them, made from Kemendagri boundaries.

The Jawa Timur desa polygons of ``shared/data/jatim-standard-formats`` carry Kemendagri codes and names.
:func:`build` turns them into what a planner receives from BPS: BPS numbering (kecamatan ``010``,
``020``, … by name inside each kabupaten; desa ``001``, ``002``, … by name inside each kecamatan), upper
case names of which a share are spelled the old or a variant way (``oe``, ``dj``, ``tj``, doubled letters,
``-rjo``, a ``DESA`` prefix), a few kecamatan spelled differently, a few neighbouring desa drawn as one
polygon (a merge) and a few desa drawn as two (a split), in BPS's columns (``iddesa``, ``nmdesa``,
``idkec``, ``nmkec``, ``idkab``, ``nmkab``…). It also returns the truth: which Kemendagri desa each feature
is, so a test can check every pair the crosswalk makes. Used by ``tests/unit/io/test_bps_province.py`` and
the ``import.bps_*`` benchmarks; the source file is read in place and nothing of it is stored.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

VARIANTS: tuple[tuple[str, str], ...] = (("u", "oe"), ("j", "dj"), ("c", "tj"), ("y", "j"), ("kh", "ch"),
                                         ("rejo", "rjo"))


def variant(name: str, rng: random.Random) -> str:
    """``name`` in upper case with one old or variant spelling applied where the name allows one (else a
    doubled consonant, else a ``DESA`` prefix)."""
    low = name.lower()
    options = [(a, b) for a, b in VARIANTS if a in low]
    if options:
        a, b = rng.choice(options)
        at = low.find(a)
        low = low[:at] + b + low[at + len(a):]
    else:
        consonants = [i for i, ch in enumerate(low) if ch in "bdgklmnprst" and 0 < i < len(low) - 1]
        if consonants:
            i = rng.choice(consonants)
            low = low[:i] + low[i] + low[i:]
        else:
            low = "desa " + low
    return low.upper()


@dataclass(frozen=True)
class Province:
    """The BPS-style file and its truth."""

    features: object            # geopandas.GeoDataFrame in BPS's columns, one feature per row (feature = row + 1)
    truth: pd.DataFrame         # feature, kind ('desa', 'gabung', 'pecahan'), kode (the Kemendagri desa), kode2
    renamed_kecamatan: list[str]


def build(gpkg: Path, points: pd.DataFrame, *, seed: int = 7, variant_share: float = 0.3, merges: int = 12,
          splits: int = 12, renamed_kecamatan: int = 3) -> Province:
    """The BPS-style file made from the ``desa`` and ``kecamatan`` layers of ``gpkg`` (Kemendagri codes in
    ``kode``, names in ``nama``). ``points``: kode, lon, lat, the official desa points (merges and splits are
    made only where a desa's point lies in its own polygon, so the truth is unambiguous)."""
    import geopandas as gpd

    rng = random.Random(seed)
    desa = gpd.read_file(gpkg, layer="desa")[["kode", "nama", "geometry"]]
    kec = gpd.read_file(gpkg, layer="kecamatan", ignore_geometry=True).set_index("kode")["nama"]
    kab = gpd.read_file(gpkg, layer="kabupaten", ignore_geometry=True).set_index("kode")["nama"]
    desa = desa.reset_index(drop=True)
    kode, nama, geoms = desa["kode"].tolist(), desa["nama"].tolist(), desa.geometry.to_numpy()
    kecs = [k[:8] for k in kode]
    pts = points.set_index("kode").reindex(desa["kode"])
    lon, lat = pts["lon"].to_numpy(), pts["lat"].to_numpy()
    own = shapely.covers(geoms, shapely.points(lon, lat)) & ~np.isnan(lon)

    # kecamatan names as BPS spells them; a few renamed outright (the overlap must find them)
    kec_name = {k: (variant(n, rng) if rng.random() < 0.2 else n.upper()) for k, n in kec.items()}
    renamed = rng.sample(sorted(kec_name), renamed_kecamatan)
    for k in renamed:
        kec_name[k] = f"KECAMATAN {chr(65 + renamed.index(k))} LAMA"

    # merges: two neighbouring desa of one kecamatan drawn as one polygon
    tree = shapely.STRtree(geoms)
    used: set[int] = set()
    merge_pairs: list[tuple[int, int]] = []
    for i in rng.sample(range(len(desa)), len(desa)):
        if len(merge_pairs) == merges:
            break
        if i in used or not own[i]:
            continue
        for j in tree.query(geoms[i], predicate="touches"):
            j = int(j)
            if j != i and j not in used and own[j] and kecs[j] == kecs[i]:
                merge_pairs.append((i, j))
                used |= {i, j}
                break
    split_rows = [i for i in rng.sample(range(len(desa)), len(desa)) if i not in used and own[i]
                  and geoms[i].area > 2e-5][:splits]
    used |= set(split_rows)

    rows: list[dict] = []
    absorbed = {j for _, j in merge_pairs}
    partner = dict(merge_pairs)
    for i in range(len(desa)):
        if i in absorbed:
            continue
        name = nama[i]
        shown = variant(name, rng) if rng.random() < variant_share else name.upper()
        geom = geoms[i]
        base = {"kode": kode[i], "kec": kecs[i], "kab": kode[i][:5], "name": shown}
        if i in partner:
            j = partner[i]
            rows.append({**base, "geometry": shapely.union(geom, geoms[j]), "kind": "gabung", "kode2": kode[j]})
        elif i in split_rows:
            point = shapely.Point(lon[i], lat[i])
            halves = _halve(geom)
            keep = 0 if halves[0].covers(point) else 1
            rows.append({**base, "geometry": halves[keep], "kind": "desa", "kode2": None})
            rows.append({**base, "geometry": halves[1 - keep], "kind": "pecahan", "kode2": None,
                         "name": f"{name.upper()} BARU"})
        else:
            rows.append({**base, "geometry": geom, "kind": "desa", "kode2": None})
    out = pd.DataFrame(rows)
    out["kec_name"] = out["kec"].map(kec_name)
    # BPS numbering: kecamatan by name inside the kabupaten, desa by name inside the kecamatan
    kec_order = (out.drop_duplicates("kec").sort_values(["kab", "kec_name"])
                 .assign(n=lambda d: d.groupby("kab").cumcount() + 1).set_index("kec")["n"])
    out = out.sort_values(["kec", "name"]).reset_index(drop=True)
    desa_n = out.groupby("kec").cumcount() + 1
    kab_digits = out["kab"].str.replace(".", "", regex=False)
    idkec = kab_digits + (out["kec"].map(kec_order) * 10).map("{:03d}".format)
    iddesa = idkec + desa_n.map("{:03d}".format)
    files = gpd.GeoDataFrame({
        "iddesa": iddesa, "idkec": idkec, "idkab": kab_digits, "kdprov": kab_digits.str[:2],
        "kdkab": kab_digits.str[2:], "kdkec": idkec.str[4:], "kddesa": iddesa.str[7:],
        "nmprov": "JAWA TIMUR", "nmkab": out["kab"].map(kab).str.upper(), "nmkec": out["kec_name"],
        "nmdesa": out["name"], "sumber": "BPS (buatan uji)", "periode": "2022_1"},
        geometry=list(out["geometry"]), crs=4326)
    order = files.sort_values("iddesa").index
    files = files.loc[order].reset_index(drop=True)
    truth = out.loc[order, ["kind", "kode", "kode2"]].reset_index(drop=True)
    truth.insert(0, "feature", np.arange(1, len(truth) + 1))
    return Province(files, truth, renamed)


def _halve(geom: shapely.Geometry) -> tuple[shapely.Geometry, shapely.Geometry]:
    """The polygon cut in two by the vertical line through its centroid's x (the larger parts kept)."""
    xmin, ymin, xmax, ymax = geom.bounds
    cx = geom.centroid.x
    west = shapely.intersection(geom, shapely.box(xmin - 1, ymin - 1, cx, ymax + 1))
    east = shapely.intersection(geom, shapely.box(cx, ymin - 1, xmax + 1, ymax + 1))
    return west, east
