"""Official boundaries: GeoJSON, TopoJSON, zipped Shapefile, GeoPackage (with a layer picker).

Checks, each reported with the feature number and column: a readable file (a Shapefile zip needs its
``.shp``, ``.shx`` and ``.dbf``), a known CRS (projected data are reprojected to EPSG:4326; data without
a CRS are accepted only if the coordinates are degrees), coordinates inside Indonesia,
polygon geometries (invalid ones are repaired with ``make_valid``, empty or degenerate ones refused),
a recognised code or name per feature, no duplicate areas. A committed import replaces the approximate
geometry of the matched areas (coverage-preserving simplification for display).
"""

from __future__ import annotations

import math
import os
import tempfile
import warnings
import zipfile
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import shapely

from analytics.core import geometry
from analytics.core import store as core_store
from analytics.core.db import Database
from analytics.core.files import refuse_unreadable
from analytics.core.fmt import number
from analytics.core.problems import ImportRejected, Problem, before_commit
from analytics.core.regions import level_of
from analytics.io import crosswalk
from analytics.io.codes import AreaResolver, Match, code_digits, dot_code, normalise_name
from analytics.io.crosswalk import KM_PER_DEGREE

EXTENSIONS = (".geojson", ".json", ".topojson", ".zip", ".gpkg")
CODE_COLUMNS = ("kode", "kode_wilayah", "kode_kemendagri", "kd_wilayah", "kode_desa", "kode_kec", "kode_kab",
                "kode_prov", "kd_desa", "kd_kec", "kd_kab", "kd_prov", "kdbbps", "kode_bps", "kdpkab", "kdcpum",
                "adm4_pcode", "adm3_pcode", "adm2_pcode", "code", "id")
NAME_COLUMNS = ("nama", "name", "wadmkk", "wadmkc", "wadmkd", "namobj", "kab_kota", "kabupaten", "kecamatan",
                "desa", "adm2_en", "adm3_en", "adm4_en", "nama_desa", "nama_kec", "nama_kab", "nama_prov",
                "provinsi", "propinsi", "adm1_en")  # finer levels first: a kabupaten file often names its province


UNSURE_COLUMNS = ["feature", "value", "reason", "suggestions", "geometry", "repaired", "code"]
MATCHED_COLUMNS = ["feature", "kode", "nama_file", "method", "repaired", "geometry", "kode_file", "keyakinan"]
PAIRED = ("silang BPS", "saran diterima")
"""Methods of the pairs that go into the stored BPS-Kemendagri crosswalk."""
ACCEPT_SCORE = 0.7
"""The least crosswalk score at which a suggestion may be accepted in bulk (``--accept-suggestions``)."""


UNSURE_TEXT = "fitur BPS belum punya pasangan Kemendagri yang pasti"


def unsure_warning(file_name: str, n: int, column: str | None) -> Problem:
    """The warning that ``n`` BPS features are left out of a partial import."""
    return Problem(file_name, None, column, (
        f"{n} {UNSURE_TEXT} dan tidak ikut disimpan (lihat daftar saran); wilayahnya tetap memakai batas yang "
        "ada"), "warning")


def _is_unsure_warning(p: Problem) -> bool:
    return p.severity == "warning" and UNSURE_TEXT in p.message


def accept(pv: BoundaryPreview, choices: dict[int, str]) -> BoundaryPreview:
    """The preview with the user's choices for unsure features (feature → one of its suggested desa)
    moved to the matched ones (method ``saran diterima``, confidence the suggestion's score). A desa
    already matched or chosen for two features is refused with an error naming both features; a code
    that is not among the feature's suggestions is ignored."""
    if not choices:
        return pv
    holder = dict(zip(pv.matched["kode"], pv.matched["feature"], strict=True))
    accepted, still = [], []
    problems = [p for p in pv.problems if not _is_unsure_warning(p)]
    column = next((p.column for p in pv.problems if _is_unsure_warning(p)), None)
    for r in pv.unsure.itertuples(index=False):
        s = next((s for s in r.suggestions if s["kode"] == choices.get(int(r.feature))), None)
        if s is None:
            still.append(r)
            continue
        if s["kode"] in holder:
            problems.append(Problem(pv.file, int(r.feature), column, (
                f"saran {s['kode']} ({s['nama']}) yang dipilih sudah dipasangkan dengan fitur {holder[s['kode']]}; "
                "pilih saran lain atau biarkan kosong"), row_kind="fitur"))
            still.append(r)
            continue
        holder[s["kode"]] = int(r.feature)
        accepted.append({"feature": r.feature, "kode": s["kode"], "nama_file": r.value, "method": "saran diterima",
                         "repaired": r.repaired, "geometry": r.geometry, "kode_file": r.code, "keyakinan": s["skor"]})
    if still:
        problems.append(unsure_warning(pv.file, len(still), column))
    matched = pd.concat([pv.matched, pd.DataFrame(accepted, columns=MATCHED_COLUMNS)], ignore_index=True) \
        if accepted else pv.matched
    return replace(pv, matched=matched, unsure=pd.DataFrame(still, columns=UNSURE_COLUMNS), problems=problems)


def accept_suggestions(pv: BoundaryPreview) -> BoundaryPreview:
    """The preview with each unsure feature paired with its best suggestion that scores at least
    :data:`ACCEPT_SCORE` and whose desa no other feature holds (method ``saran diterima``); the rest stay
    unsure."""
    taken = set(pv.matched["kode"])
    choices = {}
    for r in pv.unsure.itertuples(index=False):
        s = next((s for s in r.suggestions if s["kode"] not in taken and s["skor"] >= ACCEPT_SCORE), None)
        if s is not None:
            taken.add(s["kode"])
            choices[int(r.feature)] = s["kode"]
    return accept(pv, choices)


@dataclass(frozen=True)
class ColumnMapping:
    """Which columns of a boundary file hold the area's code and name and its parents' names and codes,
    and the convention they were recognised by (``None`` where the file has no such column)."""

    convention: str
    code: str | None
    name: str | None
    parent_name: str | None = None      # the kecamatan (for desa) or kabupaten (for kecamatan) name
    parent_code: str | None = None
    province_prefix: bool = False       # the code column holds a number inside the province (KABKOTNO)


# (convention, levels finest first: (code, name, parent name, parent code)); matched in any letter case
CONVENTIONS: tuple[tuple[str, tuple[tuple[str | None, str | None, str | None, str | None], ...]], ...] = (
    ("BPS", (("iddesa", "nmdesa", "nmkec", "idkec"), ("idkec", "nmkec", "nmkab", "idkab"),
             ("idkab", "nmkab", "nmprov", "kdprov"))),
    ("BIG RBI", (("kdepum", "wadmkd", "wadmkc", "kdcpum"), ("kdcpum", "wadmkc", "wadmkk", "kdpkab"),
                 ("kdpkab", "wadmkk", "wadmpr", "kdppum"), (None, "wadmkd", "wadmkc", None),
                 (None, "wadmkc", "wadmkk", None), (None, "wadmkk", "wadmpr", None), (None, "namobj", None, None))),
    ("OCHA COD-AB", (("adm4_pcode", "adm4_en", "adm3_en", "adm3_pcode"), ("adm3_pcode", "adm3_en", "adm2_en",
                                                                          "adm2_pcode"),
                     ("adm2_pcode", "adm2_en", "adm1_en", "adm1_pcode"))),
    ("GADM", ((None, "name_4", "name_3", None), (None, "name_3", "name_2", None), (None, "name_2", "name_1", None))),
    ("BPS kabupaten (KABKOTNO)", (("kabkotno", "kabkot", "provinsi", None),)),
    ("geoBoundaries", ((None, "shapename", None, None),)),
)


def propose_columns(gdf) -> ColumnMapping:  # noqa: ANN001 (GeoDataFrame)
    """The columns a boundary file's convention puts the code and names in (BPS, BIG RBI, OCHA COD-AB,
    GADM, BPS's two-digit kabupaten numbers, geoBoundaries; any letter case), the finest level the file
    has first; otherwise the generic names (``kode``, ``nama``…). GADM's ``GID_*`` are GADM's own ids,
    not area codes, so GADM files match by name."""
    lower = {str(c).lower(): str(c) for c in gdf.columns if c != "geometry"}

    def col(name: str | None) -> str | None:
        return lower.get(name) if name else None

    for convention, levels in CONVENTIONS:
        for code, name, parent, parent_code in levels:
            if (code is None or code in lower) and (name is None or name in lower) and (code or name):
                return ColumnMapping(convention, col(code), col(name), col(parent), col(parent_code),
                                     province_prefix=code == "kabkotno")
    return ColumnMapping("umum", _pick_column(gdf, CODE_COLUMNS), _pick_column(gdf, NAME_COLUMNS))


DISPLAY_TOLERANCE = {"provinsi": core_store.NATIONAL_TOLERANCE, "kabupaten": 0.002, "kecamatan": 0.0015,
                     "desa": 0.001}  # a province is drawn only on the map of Indonesia


@dataclass
class BoundaryPreview:
    """Matched features ready to store, and what did not match."""

    file: str
    layer: str | None
    level: str | None
    matched: pd.DataFrame          # MATCHED_COLUMNS: the area, how it matched, how sure (1 for a code)
    unmatched: pd.DataFrame        # feature, value, reason (features of no area at all)
    problems: list[Problem] = field(default_factory=list)
    reprojected_from: str | None = None
    unsure: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=UNSURE_COLUMNS))  # with suggestions

    @property
    def ok(self) -> bool:
        """True when nothing blocks the commit."""
        return not any(p.severity == "error" for p in self.problems) and not self.matched.empty


def _suffix(file_name: str, data: bytes) -> str:
    low = file_name.lower()
    if low.endswith(".zip") or data[:4] == b"PK\x03\x04":
        return ".zip"
    if low.endswith(".gpkg") or data[:16].startswith(b"SQLite format 3"):
        return ".gpkg"
    if b'"Topology"' in data[:2000] or low.endswith(".topojson"):
        return ".topojson"
    return ".geojson"


def _check_zip(file_name: str, data: bytes) -> None:
    try:
        names = [n.lower() for n in zipfile.ZipFile(__import__("io").BytesIO(data)).namelist()]
    except zipfile.BadZipFile as exc:
        raise ImportRejected([Problem(file_name, None, None, "arsip zip rusak atau tidak lengkap")]) from exc
    shps = [n for n in names if n.endswith(".shp")]
    if not shps and not any(n.endswith((".gpkg", ".geojson", ".json")) for n in names):
        raise ImportRejected([Problem(file_name, None, None,
                                      "arsip zip tidak memuat Shapefile (.shp) atau berkas batas wilayah lain")])
    for shp in shps:
        stem = shp[:-4]
        missing = [ext for ext in (".dbf", ".shx") if stem + ext not in names]
        if missing:
            raise ImportRejected([Problem(
                file_name, None, None,
                f"arsip zip tidak lengkap: '{shp}' tanpa berkas {' dan '.join(missing)} "
                "(atribut kode/nama ada di .dbf, indeks bentuk di .shx); kemas ulang semua berkas Shapefile")])


ACCEPTED = "GeoJSON, TopoJSON, GeoPackage (.gpkg) atau Shapefile dalam satu zip"
UNREADABLE = ("berkas batas wilayah tidak dapat dibaca: isinya bukan " + ACCEPTED + " yang utuh (mungkin rusak, "
              "terpotong, atau berformat lain); ekspor ulang dari aplikasi GIS lalu unggah lagi")


def _with_temp(file_name: str, data: bytes):
    suffix = _suffix(file_name, data)
    if suffix == ".zip":
        _check_zip(file_name, data)
    fd, path = tempfile.mkstemp(suffix=suffix)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return path


def layers(file_name: str, data: bytes) -> list[str]:
    """Layer names in the file (a GeoPackage may hold several)."""
    import pyogrio

    refuse_unreadable(file_name, data, ACCEPTED)
    path = _with_temp(file_name, data)
    try:
        return [str(x[0]) for x in pyogrio.list_layers(path)]
    except Exception as exc:  # pyogrio raises several error types for unreadable data
        raise ImportRejected(
            [Problem(file_name, None, None, UNREADABLE)]
        ) from exc
    finally:
        Path(path).unlink(missing_ok=True)


def read(file_name: str, data: bytes, layer: str | None = None):  # -> geopandas.GeoDataFrame
    """Read a boundary file into a GeoDataFrame (one layer)."""
    import pyogrio

    refuse_unreadable(file_name, data, ACCEPTED)
    path = _with_temp(file_name, data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            gdf = pyogrio.read_dataframe(path, layer=layer)
    except Exception as exc:
        raise ImportRejected(
            [Problem(file_name, None, None, UNREADABLE)]
        ) from exc
    finally:
        Path(path).unlink(missing_ok=True)
    if len(gdf) == 0:
        raise ImportRejected([Problem(file_name, None, None, "berkas tidak memuat satu pun fitur wilayah")])
    if gdf.geometry.isna().all() or gdf.geometry.is_empty.all():
        topo = " (pada TopoJSON: busur/arcs kosong atau tidak cocok dengan objeknya)" \
            if b'"Topology"' in data[:4096] else ""
        raise ImportRejected([Problem(file_name, None, "geometry",
                                      f"berkas rusak: tidak satu pun fitur memiliki geometri{topo}; ekspor ulang "
                                      "batas wilayahnya lalu unggah lagi")])
    return gdf


def _pick_column(gdf, names: tuple[str, ...]) -> str | None:
    lower = {c.lower(): c for c in gdf.columns if c != "geometry"}
    return next((lower[n] for n in names if n in lower), None)


def preview(file_name: str, gdf, resolver: AreaResolver, province_bounds: tuple[float, float, float, float],
            layer: str | None = None, code_column: str | None = None,
            name_column: str | None = None, province: str | None = None) -> BoundaryPreview:
    """Check the features and match them to areas; nothing is stored. The code and name columns are the
    ones given (``""``: none), else those :func:`propose_columns` recognises; a two-digit kabupaten number
    (KABKOTNO) becomes a code inside ``province``."""
    problems: list[Problem] = []
    reprojected = None
    west, south, east, north = province_bounds
    pad = 0.5
    xmin, ymin, xmax, ymax = gdf.total_bounds
    degrees = -180 <= xmin <= 180 and -180 <= xmax <= 180 and -90 <= ymin <= 90 and -90 <= ymax <= 90
    if gdf.crs is not None and gdf.crs.to_epsg() == 4326 and not degrees:
        fb = gdf.bounds
        bad_row = int(((fb["miny"] < -90) | (fb["maxy"] > 90) | (fb["minx"] < -180) | (fb["maxx"] > 180))
                      .to_numpy().argmax()) + 1
        swapped = (west - pad <= ymin and ymax <= east + pad and south - pad <= xmin and xmax <= north + pad)
        why = ("urutan koordinat tertukar: tertulis [lintang, bujur], seharusnya [bujur, lintang]; tukar urutannya"
               if swapped else "koordinat tampak dalam meter; ekspor ulang dengan CRS EPSG:4326 (derajat)")
        raise ImportRejected([Problem(file_name, bad_row, "geometry",
                                      f"koordinat ({number(xmin, 3)}; {number(ymin, 3)}) bukan derajat bujur/lintang "
                                      f"padahal berkas memakai EPSG:4326 (CRS mungkin salah): {why}",
                                      row_kind="fitur")])
    if gdf.crs is None:
        if not degrees:
            raise ImportRejected([Problem(file_name, None, "geometry",
                                          "sistem koordinat (CRS) tidak dicantumkan dan koordinatnya bukan "
                                          "derajat lintang/bujur; simpan ulang dengan CRS (mis. EPSG:4326) atau "
                                          "sertakan .prj")])
        gdf = gdf.set_crs(4326)
        problems.append(Problem(file_name, None, "geometry", "CRS tidak dicantumkan; dianggap EPSG:4326 (derajat)",
                                "warning"))
    elif gdf.crs.to_epsg() != 4326:
        reprojected = gdf.crs.to_string()
        try:
            gdf = gdf.to_crs(4326)
        except Exception as exc:
            raise ImportRejected([Problem(file_name, None, "geometry", (
                f"tidak dapat mengubah CRS {reprojected} ke EPSG:4326; ekspor ulang berkas dalam WGS 84 "
                "(EPSG:4326)"))]) from exc
        problems.append(Problem(file_name, None, "geometry",
                                f"koordinat diubah dari {reprojected} ke EPSG:4326", "warning"))
    proposed = propose_columns(gdf)
    code_col = proposed.code if code_column is None else (code_column or None)  # "" = the user chose none
    name_col = proposed.name if name_column is None else (name_column or None)
    if proposed.province_prefix and code_col == proposed.code and code_col is not None and province:
        numbers = pd.to_numeric(gdf[code_col], errors="coerce")
        gdf = gdf.assign(kode_wilayah=[f"{province}.{int(n):02d}" if n == n else "" for n in numbers])
        code_col = "kode_wilayah"  # the number decides Kabupaten (01-69) or Kota (71-99) for a bare name
    if code_col is None and name_col is None:
        raise ImportRejected([Problem(file_name, None, None,
                                      "tidak ada kolom kode atau nama wilayah; kolom yang ada: "
                                      + ", ".join(str(c) for c in gdf.columns if c != "geometry"))])
    west, south, east, north = province_bounds

    def fp(feature: int, column: str | None, message: str, severity: str = "error") -> Problem:
        return Problem(file_name, feature, column, message, severity, row_kind="fitur")  # type: ignore[arg-type]
    pad = 0.5
    geoms = gdf.geometry.to_numpy()
    matched, unmatched, pending = [], [], []
    parent_col = proposed.parent_name if name_col == proposed.name else None

    def texts(column: str | None) -> list[str]:
        return [str(v) if pd.notna(v) else "" for v in gdf[column]] if column else [""] * len(gdf)

    code_vals, name_vals, parent_vals = texts(code_col), texts(name_col), texts(parent_col)
    # a BPS file's codes are BPS codes even where they look like another desa's Kemendagri code
    # (Surabaya: BPS 3578141002 is Bringin in Sambikerep, Kemendagri 35.78.14.1002 is in Tandes)
    bps_codes = (proposed.convention == "BPS" and code_col == proposed.code) or resolver.bps_coded(code_vals)
    code_uses = Counter(code_vals)
    stored_names = dict(zip(resolver.areas["kode"], resolver.areas["nama"], strict=False))
    for i, g in enumerate(geoms):
        feature = i + 1
        code_val, name_val = code_vals[i], name_vals[i]
        label = code_val or name_val
        digits = code_digits(code_val) if code_val else None
        if digits is not None and not resolver.in_scope(digits):
            unmatched.append((feature, label, "provinsi lain (dilewati)"))
            continue
        if g is None or g.is_empty:
            problems.append(fp(feature, "geometry", f"geometri kosong untuk '{label}'"))
            continue
        if g.geom_type not in ("Polygon", "MultiPolygon"):
            problems.append(fp(feature, "geometry",
                                    f"geometri '{label}' berjenis {g.geom_type}, bukan poligon"))
            continue
        bx = shapely.bounds(g)
        if bx[0] < west - pad or bx[2] > east + pad or bx[1] < south - pad or bx[3] > north + pad:
            problems.append(fp(feature, "geometry", f"koordinat '{label}' ({number(bx[0], 3)}; {number(bx[1], 3)}) "
                                                    "berada di luar wilayah Indonesia; CRS berkas mungkin salah"))
            continue
        repaired = False
        if not g.is_valid:
            g = shapely.make_valid(g)
            if g.geom_type == "GeometryCollection":
                g = shapely.union_all([p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")])
            repaired = True
        if g.is_empty or g.area <= 0:
            problems.append(fp(feature, "geometry",
                                    f"geometri '{label}' tidak sah dan tidak dapat diperbaiki (luas nol)"))
            continue
        bps_desa = digits is not None and len(digits) == 10 and (bps_codes or dot_code(digits) not in resolver.codes)
        if bps_desa and name_val:
            pending.append((feature, digits, name_val, parent_vals[i], g, repaired))
            continue  # a BPS desa: matched below with the crosswalk (place, name and kecamatan together)
        m = (resolver.by_code(code_val, name_val or None) if code_val else None) or \
            (resolver.by_name(name_val) if name_val and not code_val else None)
        if m is not None and code_uses[code_val] > 1 and name_val and \
                normalise_name(name_val) != normalise_name(stored_names.get(m.kode, "")):
            # one code on several features whose names tell them apart (a file that kept Papua's code 91
            # for the four provinces split from it in 2022): the name decides, and the planner is told
            alt = resolver.by_name(name_val, level=level_of(m.kode))
            if alt is not None and alt.kode != m.kode:
                problems.append(fp(feature, code_col, f"kode {code_val} dipakai {code_uses[code_val]} fitur; "
                                                      f"'{name_val}' dicocokkan lewat namanya ({alt.kode})",
                                   "warning"))
                m = Match(alt.kode, "nama (kode ganda)")
        if m is None:
            col = code_col if code_val else name_col
            problems.append(fp(feature, col, f"wilayah '{label}' tidak dikenali di daftar wilayah"))
            unmatched.append((feature, label, "tidak dikenali"))
            continue
        if repaired:
            problems.append(fp(feature, "geometry",
                                    f"geometri '{label}' tidak sah (mis. sisi berpotongan) dan telah diperbaiki",
                                    "warning"))
        matched.append((feature, m.kode, name_val, m.method, repaired, g, digits or "", 1.0))
    unsure = []
    if pending:
        bps = pd.DataFrame(pending, columns=["feature", "code", "name", "parent_name", "geometry", "repaired"])
        repaired_of = dict(zip(bps["feature"], bps["repaired"], strict=True))
        geom_of = dict(zip(bps["feature"], bps["geometry"], strict=True))
        code_of = dict(zip(bps["feature"], bps["code"], strict=True))
        name_of = dict(zip(bps["feature"], bps["name"], strict=True))
        twice = bps[bps["code"].duplicated(keep=False)].groupby("code")["feature"].apply(list).to_dict()
        for p in crosswalk.match(bps, resolver.areas):
            shared = twice.get(code_of[p.feature])
            if shared:  # two features on one BPS code: listed, not guessed
                others = ", ".join(str(f) for f in shared if f != p.feature)
                unsure.append((p.feature, name_of[p.feature], (
                    f"kode BPS {code_of[p.feature]} dipakai juga oleh fitur {others}: satu kode untuk beberapa "
                    "poligon (pemekaran atau salah kode?); pilih pasangannya dari saran"), p.saran,
                    geom_of[p.feature], repaired_of[p.feature], code_of[p.feature]))
            elif p.kode is not None:
                matched.append((p.feature, p.kode, name_of[p.feature], f"silang BPS: {p.metode}",
                                repaired_of[p.feature], geom_of[p.feature], code_of[p.feature], p.keyakinan))
            else:
                unsure.append((p.feature, name_of[p.feature], p.alasan, p.saran, geom_of[p.feature],
                               repaired_of[p.feature], code_of[p.feature]))
        if unsure:  # left out, not refused: those areas keep their current shape (a partial import)
            problems.append(unsure_warning(file_name, len(unsure), code_col))
    mdf = pd.DataFrame(matched, columns=MATCHED_COLUMNS)
    dup = mdf[mdf.duplicated("kode", keep=False)]
    for kode, g in dup.groupby("kode"):
        f = g["feature"].tolist()
        problems.append(fp(f[1], code_col or name_col,
                                f"wilayah {kode} muncul lebih dari sekali (fitur {f[0]} dan {f[1]})"))
    problems += _placement(file_name, mdf, resolver, code_col or name_col)
    level = None
    if not mdf.empty:
        levels = mdf["kode"].map(level_of)
        level = str(levels.mode().iloc[0])
        if levels.nunique() > 1:
            problems.append(Problem(file_name, None, code_col or name_col,
                                    "fitur berasal dari beberapa tingkat wilayah sekaligus; impor satu tingkat "
                                    "per berkas"))
    elif not any(p.severity == "error" for p in problems):
        problems.append(Problem(file_name, None, code_col or name_col,
                                "tidak ada fitur yang cocok dengan wilayah provinsi yang dimuat"))
    return BoundaryPreview(file_name, layer, level, mdf,
                           pd.DataFrame(unmatched, columns=["feature", "value", "reason"]), problems, reprojected,
                           pd.DataFrame(unsure, columns=UNSURE_COLUMNS))


FAR_KM = {"provinsi": 100.0, "kabupaten": 50.0, "kecamatan": 30.0, "desa": 20.0}
"""How far outside its polygon an area's official centre point may lie before the polygon is taken to be
somewhere else (in the sea, shifted, another province's shape). Generous on purpose: official points of
small-island desa lie kilometres off their surveyed shores (up to 13 km in Sumenep's islands)."""
SHIFTED_MIN, SHIFTED_SHARE = 3, 0.2
"""A file is refused as having shifted codes when at least this many, and this share, of its features hold
another feature's official point but not their own."""


def _placement(file_name: str, matched: pd.DataFrame, resolver: AreaResolver, column: str | None) -> list[Problem]:
    """Features that cannot be the place their code names: the official centre point of the area lies far
    outside the polygon; the polygon holds another feature's official point but not its own while its own
    lies in another feature (codes shifted between neighbours); or a desa or kecamatan covers more ground
    than its whole kabupaten/kota."""
    out: list[Problem] = []
    if matched.empty:
        return out
    geoms = np.asarray(list(matched["geometry"]), dtype=object)
    kodes = matched["kode"].tolist()
    centres = [resolver.centres.get(k) for k in kodes]
    points = np.asarray([shapely.Point(c) if c is not None and not any(np.isnan(c)) else None for c in centres],
                        dtype=object)
    has = np.asarray([p is not None for p in points])
    own = np.zeros(len(kodes), dtype=bool)
    own[has] = shapely.covers(geoms[has], points[has].astype(object))
    holder: dict[int, int] = {}  # point i lies in feature j (j != i)
    tree = shapely.STRtree(geoms)
    idx = np.flatnonzero(has & ~own)
    if len(idx):
        pt_i, geom_j = tree.query(points[idx].astype(object), predicate="within")
        for a, b in zip(pt_i, geom_j, strict=True):
            holder.setdefault(int(idx[a]), int(b))
    shifted = []
    for i in np.flatnonzero(has & ~own):
        g, level, centre = geoms[i], level_of(kodes[i]), centres[i]
        where = f"titik pusat resmi {kodes[i]} ({number(centre[1], 4)}; {number(centre[0], 4)})"
        j = holder.get(int(i))
        if j is not None and not own[j]:
            shifted.append((int(matched["feature"].iat[i]), f"{where} berada di dalam poligon fitur "
                            f"{int(matched['feature'].iat[j])} ({kodes[j]}), yang juga tidak memuat titiknya sendiri"))
            continue
        km = g.distance(points[i]) * KM_PER_DEGREE
        size = 2 * math.sqrt(g.area / math.pi) * KM_PER_DEGREE
        if km > max(FAR_KM[level], size):
            out.append(Problem(file_name, int(matched["feature"].iat[i]), column, (
                f"{where} berada {number(km, 1)} km di luar poligonnya (poligon selebar ±{number(size, 1)} km): "
                "poligon ini tampaknya milik tempat lain (letak di laut, koordinat bergeser, atau provinsi lain)"),
                row_kind="fitur"))
    # official points and surveyed shapes disagree here and there in real files (30 of 8,494 Jawa Timur
    # desa); many features at once holding each other's points means the codes have moved
    systematic = len(shifted) >= max(SHIFTED_MIN, SHIFTED_SHARE * int(has.sum()))
    if systematic:
        out.append(Problem(file_name, None, column, (
            f"{len(shifted)} dari {int(has.sum())} fitur memuat titik pusat resmi fitur lain dan bukan titiknya "
            "sendiri: kode wilayah di berkas ini tampaknya bergeser atau tertukar (urutan kode tidak cocok dengan "
            "poligonnya)")))
    for feature, text in shifted[:20]:
        out.append(Problem(file_name, feature, column, text + (": kode tertukar" if systematic else
                           ": periksa apakah kode fitur ini benar"), "error" if systematic else "warning",
                           row_kind="fitur"))
    for i, (g, kode) in enumerate(zip(geoms, kodes, strict=True)):
        level = level_of(kode)
        kab = resolver.kabupaten_sizes.get(kode[:5]) if level in ("kecamatan", "desa") else None
        if kab and g.area > kab:
            out.append(Problem(file_name, int(matched["feature"].iat[i]), column, (
                f"{level} {kode} seluas ±{number(g.area * KM_PER_DEGREE ** 2)} km² lebih luas dari "
                f"kabupaten/kotanya (±{number(kab * KM_PER_DEGREE ** 2)} km²): tingkat wilayah, satuan koordinat "
                "atau kodenya salah"), row_kind="fitur"))
    return out


def commit(db: Database, role: str | None, actor: str, pv: BoundaryPreview) -> int:
    """Replace the geometry of the matched areas with the official boundaries (all or nothing)."""
    import geopandas as gpd

    before_commit(role, pv.file, pv.problems, pv.matched.empty or pv.level is None, "batas wilayah")
    gdf = gpd.GeoDataFrame(pv.matched[["kode"]].copy(), geometry=list(pv.matched["geometry"]), crs=4326)
    display = geometry.simplify_for_display(gdf.reset_index(drop=True), DISPLAY_TOLERANCE[pv.level])
    display = shapely.make_valid(np.asarray(display.to_numpy()))
    rows = pd.DataFrame({"kode": gdf["kode"], "geom": shapely.to_wkb(gdf.geometry.to_numpy()),
                         "geom_display": shapely.to_wkb(display)})
    origin = f"Resmi: {pv.file}" + (f" (lapisan {pv.layer})" if pv.layer else "")
    paired = pv.matched[pv.matched["method"].str.startswith(PAIRED)]
    pairs = pd.DataFrame({"kode_bps": paired["kode_file"], "kode_kemendagri": paired["kode"],
                          "metode": paired["method"], "keyakinan": paired["keyakinan"]})

    def fn(cur: duckdb.DuckDBPyConnection) -> int:
        iid = int(cur.execute("SELECT nextval('import_seq')").fetchone()[0])
        cur.execute("INSERT INTO imports VALUES (?, ?, ?, 'geometry', ?, ?, ?, FALSE, ?)",
                    [iid, datetime.now(), actor, "Batas resmi (impor)", pv.file, len(rows),
                     f"tingkat {pv.level}; {int(pv.matched['repaired'].sum())} geometri diperbaiki"])
        cur.register("new_geom", rows)
        cur.execute("""UPDATE areas SET geom = n.geom, geom_display = n.geom_display, geom_source = 'official',
                       geom_origin = ? FROM new_geom n WHERE areas.kode = n.kode""", [origin])
        cur.unregister("new_geom")
        core_store.save_crosswalk(cur, pairs, f"batas: {pv.file}")
        return iid

    return db.write(actor, "import.boundaries", f"{pv.file}: {len(rows)} wilayah tingkat {pv.level}", fn)
