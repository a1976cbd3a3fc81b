"""Persistent, intensifying, new, diminishing and sporadic pockets (issue 18, item 11).

Known answers: the space-time Gi* against Ord & Getis's (1995) formula written out here; the Mann-Kendall
p-values counted by hand from the permutations of a short series; the patterns from ESRI's definitions
("How Emerging Hot Spot Analysis works") applied by hand to made-up histories; and a grid whose pockets were
planted: one there every year, one that grows every year, one that appears in the last year only."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import shapely

from analytics.core.db import Database
from analytics.poverty import drilldown, emerging, hotspots


def grid(n: int) -> tuple[list[str], hotspots.Weights]:
    ids = [f"{r}{c}" for r in range(n) for c in range(n)]
    return ids, hotspots.contiguity_weights([shapely.box(c, r, c + 1, r + 1) for r in range(n) for c in range(n)], ids)


def test_space_time_gi_is_ord_and_getis_formula_over_the_cube() -> None:
    ids, w = grid(3)
    rng = np.random.default_rng(7)
    panel = rng.uniform(0, 20, size=(9, 3))
    z, p = emerging.space_time_gi(panel, w, window=1)
    x = panel.T.reshape(-1)  # bins year by year
    n = len(x)
    mean, sd = x.mean(), np.sqrt((x ** 2).mean() - x.mean() ** 2)
    by_id = {k: i for i, k in enumerate(ids)}
    for t in range(3):
        for i, k in enumerate(ids):
            near = [by_id[j] for j in w.w.neighbors[k]]
            bins = [t * 9 + i] + [t * 9 + j for j in near]                          # itself and neighbours now
            if t:
                bins += [(t - 1) * 9 + j for j in [i, *near]]                       # and a year before
            wi = len(bins)
            expected = (x[bins].sum() - mean * wi) / (sd * math.sqrt((n * wi - wi ** 2) / (n - 1)))
            assert z[i, t] == pytest.approx(expected, abs=1e-9)
    assert p == pytest.approx(2 * (1 - np.vectorize(lambda v: 0.5 * (1 + math.erf(abs(v) / math.sqrt(2))))(z)))


def test_mann_kendall_p_values_counted_by_hand() -> None:
    # five rising values: 1 of 120 orders has S = 10, so two-sided p = 2/120
    assert emerging.mann_kendall([1, 2, 3, 5, 8]) == pytest.approx((1.0, 2 / 120))
    # one pair out of order: S = 8; orders with S ≥ 8 are the sorted one and the 4 with one inversion: 2·5/120
    assert emerging.mann_kendall([1, 3, 2, 5, 8]) == pytest.approx((0.8, 10 / 120))
    assert emerging.mann_kendall([5, 4, 3, 2, 1])[0] == pytest.approx(-1.0)
    assert emerging.mann_kendall([2, 2, 2]) == (0.0, 1.0) and emerging.mann_kendall([1, 2]) == (0.0, 1.0)
    assert emerging.min_p(4) == pytest.approx(1 / 12) and emerging.min_p(6) == pytest.approx(2 / 720)


@pytest.mark.parametrize(("hot", "cold", "tau", "p", "expected"), [
    ("1111111111", "0000000000", 0.6, 0.01, "intensif"),     # ≥ 90% hot with the last, rising
    ("0111111111", "0000000000", -0.5, 0.02, "melemah"),     # 9 of 10 = 90%, falling
    ("1111111111", "0000000000", 0.1, 0.60, "menetap"),      # no significant trend
    ("1111111110", "0000000000", 0.0, 1.00, "historis"),     # 90% but not the last year
    ("0000000001", "0000000000", 0.3, 0.20, "baru"),         # the last year only
    ("0000000111", "0000000000", 0.5, 0.06, "berturut"),     # one run of 3 up to the last
    ("0011001101", "0000000000", 0.2, 0.40, "sporadis"),     # on and off, never cold
    ("0001100011", "1000000000", 0.4, 0.10, "berosilasi"),   # a cold spot before
    ("0000000001", "0100000000", 0.4, 0.10, "berosilasi"),   # hot only at the end but cold before
    ("0110000000", "0000000000", -0.3, 0.30, "tidak_ada"),   # hot once, long ago
])
def test_patterns_follow_the_emerging_hot_spot_rules(hot: str, cold: str, tau: float, p: float,
                                                     expected: str) -> None:
    assert emerging.classify([c == "1" for c in hot], [c == "1" for c in cold], tau, p) == expected


def test_planted_pockets_are_found_for_what_they_are() -> None:
    ids, w = grid(7)
    years = list(range(2019, 2025))
    panel = np.full((49, 6), 10.0) + np.random.default_rng(1).uniform(-0.5, 0.5, (49, 6))
    for r in range(3):
        for c in range(3):
            panel[ids.index(f"{r}{c}"), :] = 30                                   # there every year
            panel[ids.index(f"{r + 4}{c + 4}"), -1] = 30                          # the last year only
    res = emerging.emerging(panel, years, w).set_index("kode")
    assert res.loc["11", "pola"] == "menetap" and res.loc["11", "tahun_panas"] == 6
    assert res.loc["55", "pola"] == "baru" and res.loc["55", "tahun_panas"] == 1
    assert res.loc["33", "pola"] == "tidak_ada"
    assert [bool(res.loc["55", f"panas_{y}"]) for y in years] == [False] * 5 + [True]
    # a pocket deepening every year: its z-scores rise in all six, p = 2/720
    growing = panel.copy()
    for r in range(3):
        for c in range(4, 7):
            growing[ids.index(f"{r}{c}"), :] = [34, 38, 42, 46, 50, 54]
    res = emerging.emerging(growing, years, w).set_index("kode")
    assert res.loc["15", "pola"] == "intensif"
    assert res.loc["15", "tau"] == pytest.approx(1.0) and res.loc["15", "p_tren"] == pytest.approx(2 / 720)


def test_trend_pockets_read_every_year_of_the_demo_and_say_what_they_used(ro_db: Database) -> None:
    res, used = drilldown.trend_pockets(ro_db, "35", "kecamatan", "p0")
    n = ro_db.query("""SELECT count(DISTINCT kode) AS n FROM indicators WHERE indicator = 'p0' AND kode LIKE '35.%'
                       AND length(kode) = 8""")["n"].iloc[0]
    assert used["years"] == [2021, 2022, 2023, 2024] and used["n"] + used["dropped"] == n
    assert set(res["pola"]) <= set(emerging.CATEGORIES)
    assert {f"z_{y}" for y in used["years"]} <= set(res.columns)
    with pytest.raises(ValueError, match="sedikitnya 3 tahun"):
        drilldown.trend_pockets(ro_db, "35", "kecamatan", "ruta_desil_1x")
    summary = drilldown.trend_summary(res, "35.07")
    assert sum(summary.values()) == int(res["kode"].str.startswith("35.07.").sum())
    assert isinstance(res, pd.DataFrame)
