"""Statistically significant poverty pockets: Local Moran's I and Getis-Ord Gi* (PySAL ``esda``).

A pocket is a *significant cluster*, not a top-N: an area whose value, together with its neighbours',
is unlikely under spatial randomness. The steps:

1. **Weights**: queen contiguity on the full (not display) geometry. Areas with no land neighbour
   (Bawean, Kangean, Madura's islets) get their ``k`` nearest areas by centre distance instead, added
   symmetrically, so they are tested against the nearest coast rather than dropped.
2. **Optional empirical-Bayes smoothing** of a rate (events / population) so that a desa of 300 people
   with 3 poor does not look like a pocket by chance alone.
3. **Local Moran's I** (cluster types High-High, Low-Low, High-Low, Low-High) and **Gi*** (hot / cold
   spots), each with conditional permutation p-values (999 permutations by default, fixed seed).
4. **False discovery rate** control (Benjamini-Hochberg q-values); an area is flagged only if q <= alpha.

References
----------
* Anselin, L. (1995). Local indicators of spatial association — LISA. *Geographical Analysis* 27(2),
  93-115.
* Getis, A. and Ord, J. K. (1992). The analysis of spatial association by use of distance statistics.
  *Geographical Analysis* 24(3), 189-206.
* Ord, J. K. and Getis, A. (1995). Local spatial autocorrelation statistics: distributional issues and an
  application. *Geographical Analysis* 27(4), 286-306.
* Benjamini, Y. and Hochberg, Y. (1995). Controlling the false discovery rate: a practical and powerful
  approach to multiple testing. *Journal of the Royal Statistical Society B* 57(1), 289-300.
* Marshall, R. J. (1991). Mapping disease and mortality rates using empirical Bayes estimators. *Applied
  Statistics* 40(2), 283-294 (the smoothing, as in ``esda.smoothing``).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from analytics.core.i18n import t

CLUSTER_LABELS: dict[int, str] = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}
"""esda's quadrant numbers to cluster codes (value first, neighbours second)."""
CLUSTERS: tuple[str, ...] = ("HH", "LL", "HL", "LH", "ns")
GI_CLASSES: tuple[str, ...] = ("hot", "cold", "ns")


@dataclass(frozen=True)
class Weights:
    """Spatial weights: the libpysal object plus which areas needed the nearest-neighbour fallback."""

    w: object  # libpysal.weights.W (row-standardised)
    ids: list[str]
    island_ids: list[str]


def _metric_points(geoms: Sequence[shapely.Geometry]) -> np.ndarray:
    """Representative points in an equirectangular km projection (fine at the scale of a province)."""
    pts = shapely.point_on_surface(np.asarray(geoms, dtype=object))
    xy = shapely.get_coordinates(pts)
    lat0 = np.deg2rad(np.mean(xy[:, 1]))
    return np.column_stack([xy[:, 0] * 111.32 * np.cos(lat0), xy[:, 1] * 110.57])


def contiguity_weights(geoms: Sequence[shapely.Geometry], ids: Sequence[str], k_islands: int = 2) -> Weights:
    """Queen contiguity with a ``k_islands``-nearest-neighbour fallback for areas without neighbours.

    Fallback links are symmetric (the island is also a neighbour of the areas it is linked to). The
    result is row-standardised.
    """
    from libpysal import weights
    from scipy.spatial import cKDTree

    ids = [str(i) for i in ids]
    geoms = list(geoms)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        queen = weights.Queen.from_iterable(geoms, ids=ids)
    neighbours = {i: list(queen.neighbors[i]) for i in ids}
    islands = [i for i in ids if not neighbours[i]]
    if islands and len(ids) > 1:
        pts = _metric_points(geoms)
        tree = cKDTree(pts)
        pos = {i: n for n, i in enumerate(ids)}
        k = min(k_islands, len(ids) - 1)
        for i in islands:
            _, idx = tree.query(pts[pos[i]], k=k + 1)
            for j in np.atleast_1d(idx):
                other = ids[int(j)]
                if other == i:
                    continue
                if other not in neighbours[i]:
                    neighbours[i].append(other)
                if i not in neighbours[other]:
                    neighbours[other].append(i)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = weights.W(neighbours, id_order=ids, silence_warnings=True)
    w.transform = "r"
    return Weights(w=w, ids=ids, island_ids=islands)


def eb_smooth(events: Sequence[float], population: Sequence[float]) -> np.ndarray:
    """Global empirical-Bayes smoothed rates (``esda.smoothing.Empirical_Bayes``), as a fraction.

    Small populations are pulled towards the overall rate; large ones keep (almost) their own rate.

    >>> r = eb_smooth([1, 100, 50], [10, 1000, 500])
    >>> bool(abs(r[1] - 0.1) < 1e-9)
    True
    """
    from esda.smoothing import Empirical_Bayes

    e = np.asarray(events, dtype=float).reshape(-1, 1)
    b = np.asarray(population, dtype=float).reshape(-1, 1)
    return np.asarray(Empirical_Bayes(e, b).r, dtype=float).ravel()


def bh_qvalues(p: Sequence[float]) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values).

    >>> [round(float(q), 4) for q in bh_qvalues([0.01, 0.04, 0.03, 0.2])]
    [0.04, 0.0533, 0.0533, 0.2]
    """
    from scipy.stats import false_discovery_control

    arr = np.asarray(p, dtype=float)
    if arr.size == 0:
        return arr
    return np.asarray(false_discovery_control(arr, method="bh"), dtype=float)


def find_pockets(values: Sequence[float], w: Weights, permutations: int = 999, alpha: float = 0.05,
                 seed: int = 12345) -> pd.DataFrame:
    """Local Moran's I and Gi* with permutation p-values and BH q-values, one row per area.

    Columns: ``kode``, ``value``, ``lag`` (neighbours' average), ``n_neighbours``, ``island_fallback``,
    ``lisa_i``, ``lisa_p``, ``lisa_q``, ``quadrant`` (HH/LH/LL/HL, whether or not significant),
    ``cluster`` (the quadrant if ``lisa_q <= alpha`` else ``ns``), ``gi_z``, ``gi_p``, ``gi_q``,
    ``gi_class`` (hot/cold if ``gi_q <= alpha`` else ``ns``). Values must be finite.
    """
    import esda

    y = np.asarray(values, dtype=float)
    if len(y) != len(w.ids):
        raise ValueError("Jumlah nilai tidak sama dengan jumlah wilayah pada matriks bobot.")
    if not np.all(np.isfinite(y)):
        raise ValueError("Analisis kantong membutuhkan nilai untuk setiap wilayah (ada nilai kosong).")
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        lm = esda.Moran_Local(y, w.w, transformation="r", permutations=permutations, seed=seed,
                              n_jobs=1, keep_simulations=False)
        gi = esda.G_Local(y, w.w, transform="R", star=True, permutations=permutations, seed=seed,
                          n_jobs=1, keep_simulations=False)
    lag = _lag(w, y)
    lisa_q = bh_qvalues(lm.p_sim)
    gi_q = bh_qvalues(gi.p_sim)
    quadrant = np.array([CLUSTER_LABELS.get(int(q), "ns") for q in lm.q])
    gi_z = np.asarray(gi.Zs, dtype=float)
    islands = set(w.island_ids)
    return pd.DataFrame({
        "kode": w.ids, "value": y, "lag": lag,
        "n_neighbours": [len(w.w.neighbors[i]) for i in w.ids],
        "island_fallback": [i in islands for i in w.ids],
        "lisa_i": np.asarray(lm.Is, dtype=float), "lisa_p": np.asarray(lm.p_sim, dtype=float),
        "lisa_q": lisa_q, "quadrant": quadrant,
        "cluster": np.where(lisa_q <= alpha, quadrant, "ns"),
        "gi_z": gi_z, "gi_p": np.asarray(gi.p_sim, dtype=float), "gi_q": gi_q,
        "gi_class": np.where(gi_q <= alpha, np.where(gi_z > 0, "hot", "cold"), "ns"),
    })


def _lag(w: Weights, y: np.ndarray) -> np.ndarray:
    from libpysal.weights import lag_spatial

    return np.asarray(lag_spatial(w.w, y), dtype=float)


def verdict(cluster: str, gi_class: str) -> str:
    """The one conclusion the two tests support together: ``pocket`` (a high-high Moran cluster and a Gi*
    hot spot), ``likely_pocket`` (only one of the two flags high values gathering), ``outlier`` (a high
    value among low neighbours), ``low_outlier`` (a low value among high neighbours, even in a Gi* hot
    spot: the area itself is not poor), ``prosperous`` (low values gathering, by either test, and no high
    flag), ``mixed`` (one test says high, the other low) or ``none`` (neither test flags the area).

    >>> [verdict(c, g) for c, g in [("HH", "hot"), ("HH", "ns"), ("ns", "hot"), ("HL", "ns"), ("LH", "ns"),
    ...                             ("LL", "cold"), ("ns", "cold"), ("HH", "cold"), ("ns", "ns")]]
    ['pocket', 'likely_pocket', 'likely_pocket', 'outlier', 'low_outlier', 'prosperous', 'prosperous', 'mixed', 'none']
    """
    high = (cluster == "HH", gi_class == "hot")
    low = (cluster == "LL", gi_class == "cold")
    if any(high) and any(low):
        return "mixed"
    if all(high):
        return "pocket"
    if cluster == "LH":  # the area itself is low, whatever its high neighbourhood makes of Gi*
        return "low_outlier"
    if any(high):
        return "likely_pocket"
    if cluster == "HL":
        return "outlier"
    return "prosperous" if any(low) else "none"


def explain(row: dict | pd.Series, lang: str, name: str, fmt_value: callable, alpha: float = 0.05) -> list[str]:
    """Plain-language reasons why an area is (or is not) flagged, one sentence per item: the value against
    its neighbours, each test with its own p and q (decimal comma in Indonesian), and last the single
    verdict of :func:`verdict`."""

    def pf(x: float) -> str:
        return f"{x:.3f}".replace(".", ",") if lang == "id" else f"{x:.3f}"

    out = [t("pockets.why.value", lang, name=name, value=fmt_value(row["value"]),
             lag=fmt_value(row["lag"]), n=int(row["n_neighbours"]))]
    if row["island_fallback"]:
        out.append(t("pockets.why.island", lang))
    out.append(t("pockets.why.lisa", lang, p=pf(row["lisa_p"]), q=pf(row["lisa_q"]), alpha=pf(alpha)))
    out.append(t(f"pockets.cluster.{row['cluster']}.long", lang))
    out.append(t("pockets.why.gi", lang, z=pf(row["gi_z"]), p=pf(row["gi_p"]), q=pf(row["gi_q"])))
    out.append(t(f"pockets.gi.{row['gi_class']}.long", lang))
    out.append(t(f"pockets.verdict.{verdict(str(row['cluster']), str(row['gi_class']))}", lang))
    return out
