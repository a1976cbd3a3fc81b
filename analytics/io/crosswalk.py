"""BPS desa polygons to Kemendagri desa codes.

Province and kabupaten digits agree between BPS and Kemendagri; below that they do not (BPS numbers
kecamatan 010, 020, … and desa 001, 002, …), and BPS 2022 and Kemendagri 2025 differ by splits, merges
and spellings. Each BPS feature is matched to a desa of the same kabupaten from three signals:

* **place**: the Kemendagri desa's official centre point inside the polygon (1), or its distance to it
  (falling to 0 at :data:`PLACE_KM`);
* **name**: the similarity of the two desa names (``rapidfuzz`` ratio of the normalised names);
* **parent**: the similarity of the BPS kecamatan name and the Kemendagri desa's kecamatan name.

The pairs are chosen one-to-one to maximise the summed score (``scipy``'s assignment solver), so two
features never take one desa. A pair is *sure* when its score is high and the place or both names
vouch for it; every other feature gets up to three suggestions with their distance, and the reason it
has no sure counterpart. Nothing here writes: the boundary preview decides what is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely
from rapidfuzz import fuzz, process
from scipy.optimize import linear_sum_assignment

from analytics.io.codes import normalise_name, spelling_key

KM_PER_DEGREE = 111.32
PLACE_KM = 5.0
WEIGHTS = {"place": 0.4, "name": 0.4, "parent": 0.2}
SURE_SCORE = 0.75
FAR_KM = 20.0
"""How far an official point may lie from its polygon for name and kecamatan alone to pair them
(the points of small-island desa lie kilometres off their surveyed shores)."""


@dataclass(frozen=True)
class Pairing:
    """The outcome for one BPS feature."""

    feature: int
    kode: str | None            # the sure Kemendagri desa, or None
    metode: str                 # which signals vouch: "tempat+nama+kecamatan", "nama+kecamatan", …
    keyakinan: float            # the pair's score, 0-1
    saran: list[dict] = field(default_factory=list)  # up to three {"kode", "nama", "jarak_km", "skor"}
    alasan: str = ""            # why there is no sure pair


def _names(values: pd.Series) -> list[str]:
    return [normalise_name(str(v)) if isinstance(v, str) else "" for v in values]


def _keys(values: pd.Series) -> list[str]:
    return [spelling_key(str(v)) if isinstance(v, str) else "" for v in values]


def name_similarity(left: pd.Series, right: pd.Series) -> np.ndarray:
    """Pairwise similarity (0-1) of two lists of place names: the better of the ``rapidfuzz`` ratios of
    the normalised names and of their spelling keys (``Banjarjo``/``Banjarejo``, ``Tjandi``/``Candi``)."""
    plain = process.cdist(_names(left), _names(right), scorer=fuzz.ratio)
    folded = process.cdist(_keys(left), _keys(right), scorer=fuzz.ratio)
    return np.maximum(plain, folded) / 100


def kecamatan_fit(features: pd.DataFrame, desa: pd.DataFrame, inside: np.ndarray,
                  name: np.ndarray) -> np.ndarray:
    """How well each feature's BPS kecamatan fits each Kemendagri desa's kecamatan (0-1).

    The BPS kecamatan (the first seven digits of the code) are assigned one-to-one to the Kemendagri
    kecamatan of the kabupaten from how they overlap: the Kemendagri desa whose official point lies in
    one of the BPS kecamatan's features or whose name one of its desa carries, plus the similarity of
    the two kecamatan names. A desa of the assigned kecamatan scores 1; others score the share of the
    BPS kecamatan's overlap their kecamatan holds (a split kecamatan keeps part of the credit) or the
    kecamatan names' similarity, whichever is higher."""
    bps_kec = features["code"].astype(str).str[:7].to_numpy()
    kem_kec = desa["kode"].str[:8].to_numpy()
    g_keys, g_idx = np.unique(bps_kec, return_inverse=True)
    k_keys, k_idx = np.unique(kem_kec, return_inverse=True)
    g_one = np.eye(len(g_keys))[g_idx]          # features x BPS kecamatan
    k_one = np.eye(len(k_keys))[k_idx]          # desa x Kemendagri kecamatan
    evidence = g_one.T @ (inside | (name >= 0.9)).astype(float) @ k_one
    share = evidence / np.maximum(evidence.sum(axis=1, keepdims=True), 1)
    first = features.groupby(bps_kec, sort=True)["parent_name"].first().reindex(g_keys).fillna("")
    kem_names = desa.groupby(kem_kec, sort=True)["kecamatan"].first().reindex(k_keys).fillna("")
    names = name_similarity(first, kem_names)
    rows, cols = linear_sum_assignment(-(share + names))
    fit = np.maximum(share, names)
    fit[rows, cols] = np.where(share[rows, cols] + names[rows, cols] > 0.5, 1.0, fit[rows, cols])
    return fit[g_idx][:, k_idx]


def distances(geoms: np.ndarray, points: np.ndarray) -> tuple[np.ndarray, Callable[[int, int], float]]:
    """Kilometres from each polygon to each point (0 inside): exact where the point lies within
    :data:`PLACE_KM` of the polygon's bounding box, elsewhere the distance to the box (a lower bound,
    enough for a place score that is 0 there anyway), and a function giving any pair exactly."""
    box = shapely.bounds(geoms)
    xy = shapely.get_coordinates(points)
    dx = np.maximum(0, np.maximum(box[:, 0, None] - xy[None, :, 0], xy[None, :, 0] - box[:, 2, None]))
    dy = np.maximum(0, np.maximum(box[:, 1, None] - xy[None, :, 1], xy[None, :, 1] - box[:, 3, None]))
    dist = np.hypot(dx, dy) * KM_PER_DEGREE
    near = np.nonzero(dist < PLACE_KM)
    dist[near] = shapely.distance(geoms[near[0]], points[near[1]]) * KM_PER_DEGREE
    known = np.zeros(dist.shape, dtype=bool)
    known[near] = True

    def exact(i: int, j: int) -> float:
        if not known[i, j]:
            dist[i, j] = shapely.distance(geoms[i], points[j]) * KM_PER_DEGREE
            known[i, j] = True
        return float(dist[i, j])

    return dist, exact


def match_kabupaten(features: pd.DataFrame, desa: pd.DataFrame) -> list[Pairing]:
    """Pair the BPS features of one kabupaten with its Kemendagri desa.

    ``features``: feature, code (BPS digits), name, parent_name, geometry (shapely, EPSG:4326). ``desa``:
    kode, nama, kecamatan (name), lon, lat of every Kemendagri desa of the kabupaten.

    A pair is sure when the assignment chose it and either the official point vouches (inside the
    polygon or within 1 km, with the name or the kecamatan agreeing and the score at least
    :data:`SURE_SCORE`) or, where the point is off (small islands), the name and the kecamatan both agree
    and no other desa of that kecamatan carries the name. A feature that holds the official points of two
    desa of which only one is surely paired and no other feature of its kecamatan carries the other's
    name (a merge in BPS's map, or a split since) is listed, not paired.
    """
    n, m = len(features), len(desa)
    if n == 0:
        return []
    if m == 0:
        return [Pairing(int(f), None, "", 0.0, [], "tidak ada desa Kemendagri di kabupaten ini")
                for f in features["feature"]]
    geoms = np.asarray(list(features["geometry"]), dtype=object)
    points = shapely.points(desa["lon"].to_numpy(float), desa["lat"].to_numpy(float))
    dist, exact = distances(geoms, points)
    inside = dist == 0
    place = np.clip(1 - dist / PLACE_KM, 0, 1)
    name = name_similarity(features["name"], desa["nama"])
    parent = kecamatan_fit(features, desa, inside, name)
    score = WEIGHTS["place"] * place + WEIGHTS["name"] * name + WEIGHTS["parent"] * parent
    rows, cols = linear_sum_assignment(-score)
    chosen = dict(zip(rows.tolist(), cols.tolist(), strict=True))
    taken_by = {c: r for r, c in chosen.items()}
    named = (name >= 0.85) & (parent >= 0.85)
    sure: dict[int, tuple[int, list[str]]] = {}
    for i, j in chosen.items():
        signals = [s for s, ok in (("tempat", dist[i, j] <= 1.0), ("nama", name[i, j] >= 0.85),
                                   ("kecamatan", parent[i, j] >= 0.85)) if ok]
        by_place = "tempat" in signals and len(signals) >= 2 and score[i, j] >= SURE_SCORE
        by_name = named[i, j] and named[i].sum() == 1 and exact(i, j) <= FAR_KM
        if by_place or by_name:
            sure[i] = (j, signals)
    # a merge or split: a sure feature holding the point of a desa that no feature surely took and no
    # other feature of its kecamatan is named after
    paired = {j for j, _ in sure.values()}
    merged: dict[int, list[int]] = {}
    for j in np.setdiff1d(np.arange(m), list(paired)):
        for i in np.flatnonzero(inside[:, j]):
            if int(i) in sure and not np.delete(named[:, j], i).any():
                merged.setdefault(int(i), []).append(int(j))

    kode = [str(k) for k in desa["kode"]]
    nama = [str(k) for k in desa["nama"]]
    fname = [str(k) for k in features["name"]]
    fnum = [int(f) for f in features["feature"]]

    def suggestion(i: int, j: int) -> dict:
        return {"kode": kode[j], "nama": nama[j],
                "jarak_km": round(exact(i, j), 2), "skor": round(float(score[i, j]), 3)}

    out = []
    for i in range(n):
        feature = fnum[i]
        order = [int(j) for j in np.argsort(-score[i])[:3]]
        if i in sure and i not in merged:
            j, signals = sure[i]
            out.append(Pairing(feature, kode[j], "+".join(signals), round(float(score[i, j]), 3),
                               [suggestion(i, k) for k in order]))
            continue
        if i in merged:
            both = [sure[i][0], *merged[i]]
            order = both + [j for j in order if j not in both]
            listed = " dan ".join(f"{kode[j]} ({nama[j]})" for j in both)
            why = (f"fitur ini memuat titik pusat resmi {len(both)} desa Kemendagri: {listed}, dan hanya satu "
                   "yang punya fitur di berkas: penggabungan di peta BPS atau pemekaran sesudahnya; pilih "
                   "salah satu atau biarkan")
            out.append(Pairing(feature, None, "", round(float(score[i, both[0]]), 3),
                               [suggestion(i, k) for k in order[:3]], why))
            continue
        best = order[0]
        j = chosen.get(i)
        if name[i].max() < 0.7 and best in taken_by and taken_by[best] != i:
            why = (f"nama '{fname[i]}' tidak ada di daftar desa Kemendagri kabupaten ini dan "
                   f"letaknya termasuk {nama[best]} ({kode[best]}), yang dipasangkan "
                   "dengan fitur lain: wilayah BPS tanpa desa Kemendagri (dihapus, digabung, atau bukan desa)")
        elif j is None and best in taken_by:
            why = (f"calon terbaiknya {kode[best]} ({nama[best]}) sudah dipasangkan dengan "
                   f"fitur lain: pemekaran atau penggabungan desa?")
        elif score[i, best] < 0.5:
            why = ("tidak ada desa Kemendagri yang cocok nama maupun letaknya (desa baru, dihapus, atau di luar "
                   "kabupaten)")
        else:
            why = "nama dan letak hanya cocok sebagian: pilih dari saran"
        out.append(Pairing(feature, None, "", round(float(score[i, best]), 3), [suggestion(i, k) for k in order],
                           why))
    return out


def match(features: pd.DataFrame, areas: pd.DataFrame) -> list[Pairing]:
    """Pair BPS desa features with Kemendagri desa, kabupaten by kabupaten (the first four digits of the
    BPS code). ``features``: feature, code (BPS digits), name, parent_name, geometry; ``areas``: the area
    table (kode, nama, level, lon, lat)."""
    desa = areas[areas["level"] == "desa"].dropna(subset=["lon", "lat"])
    kec_names = areas[areas["level"] == "kecamatan"].set_index("kode")["nama"]
    desa = desa.assign(kecamatan=desa["kode"].str[:8].map(kec_names).fillna(""), kab=desa["kode"].str[:5])
    out: list[Pairing] = []
    kab_of = features["code"].astype(str).str[:4].map(lambda d: f"{d[:2]}.{d[2:4]}")
    for kab, group in features.groupby(kab_of, sort=False):
        out += match_kabupaten(group, desa[desa["kab"] == kab].reset_index(drop=True))
    return out


# ---------------------------------------------------------------------- the stored crosswalk as a file
CSV_COLUMNS = ("kode_bps", "kode_kemendagri", "metode", "keyakinan")


def read_csv(file_name: str, data: bytes, desa_codes: set[str]) -> pd.DataFrame:
    """Pairs from a crosswalk CSV or XLSX (``kode_bps``, ``kode_kemendagri``, optional ``metode`` and
    ``keyakinan``): BPS codes of ten digits, Kemendagri desa codes that exist, each code once, confidence
    between 0 and 1. Raises ImportRejected naming the row and column of every problem."""
    from analytics.core.problems import ImportRejected, Problem
    from analytics.io.codes import code_digits, dot_code
    from analytics.io.read import read_cells

    cells = read_cells(file_name, data)
    header = [str(h).strip().lower() for h in cells.iloc[0]]
    missing = [c for c in CSV_COLUMNS[:2] if c not in header]
    if missing:
        raise ImportRejected([Problem(file_name, 1, c, "kolom wajib tidak ada") for c in missing])
    body = cells.iloc[1:]
    body = body[(body != "").any(axis=1)]
    if body.empty:
        raise ImportRejected([Problem(file_name, None, None, "berkas hanya berisi judul kolom, tanpa baris data")])
    col = {c: header.index(c) for c in CSV_COLUMNS if c in header}
    problems, rows = [], []
    for r, row in body.iterrows():
        line = int(r) + 1
        bps = code_digits(row[col["kode_bps"]]) or ""
        kem = code_digits(row[col["kode_kemendagri"]])
        kem = dot_code(kem) if kem and len(kem) == 10 else ""
        if len(bps) != 10:
            problems.append(Problem(file_name, line, "kode_bps", f"'{row[col['kode_bps']][:20]}' bukan kode desa BPS "
                                    "(10 angka)"))
        if kem not in desa_codes:
            problems.append(Problem(file_name, line, "kode_kemendagri",
                                    f"'{row[col['kode_kemendagri']][:20]}' bukan kode desa Kemendagri yang dikenal"))
        conf = 1.0
        if "keyakinan" in col and row[col["keyakinan"]] != "":
            try:
                conf = float(str(row[col["keyakinan"]]).replace(",", "."))
            except ValueError:
                conf = -1.0
            if not 0 <= conf <= 1:
                problems.append(Problem(file_name, line, "keyakinan", "keyakinan harus angka 0 sampai 1"))
        method = row[col["metode"]] if "metode" in col and row[col["metode"]] else "impor tabel silang"
        rows.append((line, bps, kem, str(method)[:80], conf))
    pairs = pd.DataFrame(rows, columns=["line", "kode_bps", "kode_kemendagri", "metode", "keyakinan"])
    for c in ("kode_bps", "kode_kemendagri"):
        for r in pairs[pairs[c].duplicated() & (pairs[c] != "")].itertuples():
            problems.append(Problem(file_name, r.line, c, f"kode {getattr(r, c)} muncul lebih dari sekali"))
    if problems:
        raise ImportRejected(problems)
    return pairs.drop(columns=["line"])
