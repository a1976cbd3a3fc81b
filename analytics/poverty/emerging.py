"""Persistent, intensifying, new, diminishing and sporadic poverty pockets: the emerging hot-spot method.

A pocket found in one year may be old or new, growing or fading. Over every year an indicator has, the
method reads each area's history:

1. **Space-time Gi\\*** (Getis-Ord, as in a space-time cube): each area-year is compared with its
   neighbours in the same year and with itself and its neighbours in the previous ``window`` years
   (binary weights, the bin itself included), against the mean and spread of all area-years. Two-sided
   p-values from the normal distribution, Benjamini-Hochberg false discovery rate over all area-years; a
   *hot* year is one with ``q ≤ alpha`` and z > 0 (cold: z < 0).
2. **Mann-Kendall trend** of each area's Gi\\* z-scores over the years (Kendall's tau between year and z,
   scipy's test: exact for short series without ties): rising or falling when ``p ≤ alpha``.
3. **Pattern**, in the definitions of ESRI's Emerging Hot Spot Analysis, for pockets (hot spots):

   * ``intensif`` — hot in at least 90% of the years including the last, the z-scores rising significantly;
   * ``menetap`` (persistent) — hot in at least 90% of the years including the last, no significant trend;
   * ``melemah`` (diminishing) — hot in at least 90% of the years including the last, falling significantly;
   * ``berosilasi`` (oscillating) — hot in the last year, a cold spot in an earlier one, hot in less than 90%;
   * ``baru`` (new) — hot in the last year and never before;
   * ``berturut`` (consecutive) — one uninterrupted run of at least two hot years up to the last, never
     hot before the run, less than 90% of the years;
   * ``sporadis`` (sporadic) — hot in the last year, on and off before, never cold, less than 90%;
   * ``historis`` (historical) — not hot in the last year but hot in at least 90% of the years;
   * ``tidak_ada`` — none of these.

With few years the trend cannot be significant (four years: the smallest possible p is 1/12 ≈ 0,083), so
intensifying and diminishing need at least five years at alpha 0,05; the screen says so.

References:
    Getis, A. & Ord, J. K. (1992). The analysis of spatial association by use of distance statistics.
    *Geographical Analysis* 24(3), 189-206; Ord, J. K. & Getis, A. (1995), *Geographical Analysis* 27(4).
    Mann, H. B. (1945). Nonparametric tests against trend. *Econometrica* 13(3), 245-259; Kendall, M. G.
    (1975). *Rank Correlation Methods*.
    ESRI, ArcGIS Pro, "How Emerging Hot Spot Analysis works" (the space-time cube and the pattern rules).
    Benjamini, Y. & Hochberg, Y. (1995), *JRSS B* 57(1), 289-300.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from analytics.poverty.hotspots import Weights, bh_qvalues

CATEGORIES: tuple[str, ...] = ("intensif", "menetap", "melemah", "berosilasi", "baru", "berturut", "sporadis",
                               "historis", "tidak_ada")
"""The patterns, strongest first (the order of the legend)."""

SHARE: float = 0.9
"""The share of years an area must be hot to be persistent, intensifying, diminishing or historical."""


def space_time_neighbours(w: Weights, n_years: int, window: int = 1) -> dict[int, list[int]]:
    """Neighbours of each area-year bin (bin ``t·n + i`` for area ``i`` in year ``t``): the area's spatial
    neighbours in the same year, and the area itself with its neighbours in each of the ``window`` years
    before. The bin itself is added by Gi\\* (star)."""
    n = len(w.ids)
    index = {k: i for i, k in enumerate(w.ids)}
    spatial = [[index[j] for j in w.w.neighbors[k]] for k in w.ids]
    out: dict[int, list[int]] = {}
    for t in range(n_years):
        for i in range(n):
            nb = [t * n + j for j in spatial[i]]
            for s in range(1, window + 1):
                if t - s >= 0:
                    nb += [(t - s) * n + j for j in [i, *spatial[i]]]
            out[t * n + i] = nb
    return out


def space_time_gi(panel: np.ndarray, w: Weights, window: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Gi\\* z-scores and two-sided p-values (areas × years) of ``panel`` (areas × years, no missing value),
    computed by PySAL's ``esda.G_Local`` (binary weights, star) over the space-time neighbourhood."""
    import esda
    from libpysal.weights import W

    values = np.asarray(panel, dtype=float)
    n, years = values.shape
    if not np.all(np.isfinite(values)):
        raise ValueError("Analisis pola antar-tahun membutuhkan nilai setiap wilayah di setiap tahun.")
    nb = space_time_neighbours(w, years, window)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        st_w = W(nb, silence_warnings=True)
        gi = esda.G_Local(values.T.reshape(-1), st_w, transform="B", star=True, permutations=0)
    z = np.asarray(gi.Zs, dtype=float).reshape(years, n).T
    p = np.minimum(1.0, 2 * stats.norm.sf(np.abs(z)))
    return z, p


def mann_kendall(series: Sequence[float]) -> tuple[float, float]:
    """Kendall's tau between position and value, and its two-sided p-value (the Mann-Kendall trend test).

    A strictly rising series of five: tau 1, exact p = 2 / 5! = 1/60.

    >>> tau, p = mann_kendall([1, 2, 3, 5, 8]); round(tau, 6), round(p, 5)
    (1.0, 0.01667)
    """
    y = np.asarray(series, dtype=float)
    if len(y) < 3 or np.all(y == y[0]):
        return 0.0, 1.0
    res = stats.kendalltau(np.arange(len(y)), y)
    return float(res.statistic), float(res.pvalue)


def mann_kendall_rows(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`mann_kendall` of every row of ``z`` (areas × years), the same numbers faster: without ties the
    test depends only on the row's S statistic, so scipy is asked once per distinct S (a row with ties, or a
    flat or short one, is asked on its own)."""
    z = np.asarray(z, dtype=float)
    rows, n = z.shape
    tau, p = np.zeros(rows), np.ones(rows)
    if n < 3:
        return tau, p
    i, j = np.triu_indices(n, k=1)
    diff = z[:, j] - z[:, i]
    s = np.sign(diff).sum(axis=1)
    tied = (diff == 0).any(axis=1) | (np.abs(z[:, 1:] - z[:, :1]).max(axis=1) == 0)
    known: dict[int, tuple[float, float]] = {}
    for r in range(rows):
        if tied[r]:
            tau[r], p[r] = mann_kendall(z[r])
            continue
        key = int(s[r])
        if key not in known:
            known[key] = mann_kendall(z[r])
        tau[r], p[r] = known[key]
    return tau, p


def classify(hot: Sequence[bool], cold: Sequence[bool], tau: float, trend_p: float, alpha: float = 0.05) -> str:
    """The pattern of one area from its hot and cold years (oldest first) and the trend of its z-scores.

    >>> classify([1, 1, 1, 1, 1], [0] * 5, 1.0, 0.01)
    'intensif'
    >>> classify([1, 1, 1, 1], [0] * 4, 0.3, 0.5), classify([0, 0, 0, 1], [0] * 4, 0.5, 0.3)
    ('menetap', 'baru')
    >>> classify([0, 1, 1, 1], [0] * 4, 0.5, 0.3), classify([1, 0, 1, 1], [0] * 4, 0.5, 0.3)
    ('berturut', 'sporadis')
    """
    hot = [bool(h) for h in hot]
    cold = [bool(c) for c in cold]
    years = len(hot)
    share = sum(hot) / years if years else 0.0
    rising, falling = trend_p <= alpha and tau > 0, trend_p <= alpha and tau < 0
    if not years or not hot[-1]:
        return "historis" if share >= SHARE else "tidak_ada"
    if share >= SHARE:
        return "intensif" if rising else "melemah" if falling else "menetap"
    if any(cold[:-1]):
        return "berosilasi"
    if sum(hot) == 1:
        return "baru"
    run = next(i for i in range(years - 1, -1, -1) if i == 0 or not hot[i - 1])  # start of the last run
    if years - run >= 2 and not any(hot[:run]):
        return "berturut"
    return "sporadis"


def emerging(panel: np.ndarray, years: Sequence[int], w: Weights, alpha: float = 0.05,
             window: int = 1) -> pd.DataFrame:
    """One row per area: ``kode``, ``pola`` (the pattern), ``tahun_panas`` (hot years), ``tahun_dingin``,
    ``tau`` and ``p_tren`` (the trend of its z-scores), and ``z_<year>`` / ``panas_<year>`` per year."""
    z, p = space_time_gi(panel, w, window)
    q = bh_qvalues(p.reshape(-1)).reshape(p.shape)
    hot, cold = (q <= alpha) & (z > 0), (q <= alpha) & (z < 0)
    taus, ps = mann_kendall_rows(z)
    rows = []
    for i, kode in enumerate(w.ids):
        tau, tp = float(taus[i]), float(ps[i])
        row = {"kode": kode, "pola": classify(hot[i], cold[i], tau, tp, alpha), "tahun_panas": int(hot[i].sum()),
               "tahun_dingin": int(cold[i].sum()), "tau": tau, "p_tren": tp}
        for t, y in enumerate(years):
            row[f"z_{y}"] = float(z[i, t])
            row[f"panas_{y}"] = bool(hot[i, t])
        rows.append(row)
    return pd.DataFrame(rows)


def min_p(years: int) -> float:
    """The smallest two-sided p-value Mann-Kendall can reach with ``years`` values (a perfectly monotone
    series, no ties): 2 / years!.

    >>> min_p(4), round(min_p(5), 4)
    (0.08333333333333333, 0.0167)
    """
    return min(1.0, 2.0 / float(np.prod(np.arange(1, years + 1))))
