"""Edges of issue 18's new calculations (items 8-11), worked by hand: the boundaries where a rule turns, the
empty and one-sided cases, and what each message names. They complete the known-answer tests beside them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from analytics.business import crossing
from analytics.monitoring import comprehensiveness as comp
from analytics.monitoring import graduation
from analytics.poverty import emerging, hotspots

LINE = crossing.PovertyLine("35.03", 2024, 500_000, 10, 1.6)


# ---------------------------------------------------------------------- poverty-line crossing (item 9)
def test_gap_share_boundaries() -> None:
    for p0, p1 in ((0, 1), (1, 0), (0, 0)):
        with pytest.raises(ValueError, match="^P0 dan P1 harus lebih dari 0"):
            crossing.gap_share(0.1, p0, p1)
    assert crossing.gap_share(0.5, 1, 0.5) == (0.5, "seragam")          # P0 of 1 and P1 under 1 are fine
    assert crossing.gap_share(0.5, 10, 10) == (0.25, "seragam")         # P1 = P0: every poor person has no income
    assert crossing.gap_share(0.0, 10, 2, 2 / 3) == (0.0, "beta") and crossing.gap_share(-1, 10, 2) == (0.0, "seragam")
    # variance 0,2 is above the mean's 0,16 limit: no Beta has these moments, the even spread is used
    assert crossing.gap_share(0.2, 10, 2, 2.4) == (0.5, "seragam")
    assert crossing.gap_share(0.2, 10, 2, 0) == (0.5, "seragam")


def test_estimate_checks_each_assumption_and_keeps_them() -> None:
    c = crossing.estimate(4_800_000, 200, LINE, household_size=1, income_share=0.5, poor_share=0.25)
    assert (c.household_size, c.income_share, c.poor_share, c.line) == (1, 0.5, 0.25, LINE)
    assert c.added_per_capita == 200_000 and c.poor_households == 50
    for kwargs, name in (({"household_size": 0.5}, "ukuran rumah tangga"), ({"household_size": 21}, "ukuran rumah"),
                         ({"income_share": -0.1}, "bagian pendapatan yang dibelanjakan"),
                         ({"poor_share": 1.5}, "bagian rumah tangga yang miskin harus antara 0 dan 1, bukan 1,50")):
        with pytest.raises(ValueError, match=f"Asumsi {name}"):
            crossing.estimate(1e6, 10, LINE, **kwargs)
    assert crossing.estimate(1e6, 10, crossing.PovertyLine("x", 2024, 1, 10, 2)).relative_gain == pytest.approx(
        1e6 / 48)
    with pytest.raises(ValueError, match="^Garis kemiskinan harus lebih dari 0"):
        crossing.estimate(1e6, 10, crossing.PovertyLine("x", 2024, 0, 10, 2))


# ---------------------------------------------------------------------- pocket patterns (item 11)
@pytest.mark.parametrize(("hot", "cold", "tau", "p", "expected"), [
    ("11111", "00000", 0.5, 0.05, "intensif"),      # p exactly at alpha counts
    ("11111", "00000", -0.5, 0.05, "melemah"),
    ("11111", "00000", 0.0, 0.01, "menetap"),       # no direction
    ("00111", "00001", 0.3, 0.4, "berturut"),       # a cold flag in the last year is not a cold history
    ("00011", "00000", 0.3, 0.4, "berturut"),       # a run of exactly two
    ("01011", "00000", 0.3, 0.4, "sporadis"),       # hot before the last run
    ("10011", "00000", 0.3, 0.4, "sporadis"),
    ("11110", "00000", 0.3, 0.4, "tidak_ada"),      # 4 of 5 = 80% < 90%: not historical, not a pocket now
    ("", "", 0.0, 1.0, "tidak_ada"),                 # no year at all
])
def test_pattern_boundaries(hot: str, cold: str, tau: float, p: float, expected: str) -> None:
    assert emerging.classify([c == "1" for c in hot], [c == "1" for c in cold], tau, p) == expected


def test_mann_kendall_short_and_flat_series() -> None:
    assert emerging.mann_kendall([1, 2, 3]) == pytest.approx((1.0, 2 / 6))   # three values: p = 2/3!
    assert emerging.mann_kendall([2, 1, 1, 1]) != (0.0, 1.0)                 # flat after the first is a trend
    assert emerging.min_p(1) == 1.0 and emerging.min_p(3) == pytest.approx(1 / 3)


def test_cold_pockets_are_counted_and_every_year_kept() -> None:
    n = 7
    ids = [f"{r}{c}" for r in range(n) for c in range(n)]
    w = hotspots.contiguity_weights([shapely.box(c, r, c + 1, r + 1) for r in range(n) for c in range(n)], ids)
    panel = np.full((49, 4), 20.0) + np.random.default_rng(3).uniform(-0.5, 0.5, (49, 4))
    for r in range(3):
        for c in range(3):
            panel[ids.index(f"{r}{c}"), :] = 2.0                              # a cold block, every year
    res = emerging.emerging(panel, [2021, 2022, 2023, 2024], w).set_index("kode")
    assert res.loc["11", "tahun_dingin"] == 4 and res.loc["11", "tahun_panas"] == 0
    assert res.loc["11", "pola"] == "tidak_ada"
    assert all(res.loc["11", f"z_{y}"] < 0 for y in (2021, 2022, 2023, 2024))
    with pytest.raises(ValueError, match="^Analisis pola antar-tahun membutuhkan nilai"):
        emerging.space_time_gi(np.array([[1.0, np.nan]] * 49), w)
    _, p = emerging.space_time_gi(panel, w)
    assert p.max() <= 1.0


# ---------------------------------------------------------------------- graduation (item 8)
def test_graduation_empty_and_one_sided_cases() -> None:
    empty = pd.DataFrame(columns=graduation.COLUMNS)
    assert list(graduation.counts(empty).columns) == ["period", "miskin", "rentan", "menengah", "stabil", "total"]
    only_poor = pd.DataFrame({"kode_rt": ["a", "b", "a"], "period": ["2025", "2025", "2026"],
                              "status": ["miskin", "miskin", "miskin"], "pengeluaran": np.nan})
    c = graduation.counts(only_poor).set_index("period")
    assert c.loc["2025"].tolist() == [2, 0, 0, 0, 2] and c.loc["2026"].tolist() == [1, 0, 0, 0, 1]
    grid = graduation.transitions(only_poor, "2025", "2026")
    assert grid.index.tolist() == list(graduation.STATUSES) and grid.columns.tolist() == list(graduation.STATUSES)
    assert grid.to_numpy().sum() == 1 and grid.loc["miskin", "miskin"] == 1
    assert (grid.index.name, grid.columns.name) == ("dari", "ke")
    flow = graduation.flows(grid, {}, "2025", "2026")
    assert flow == {"labels": [f"{s} (2025)" for s in graduation.STATUSES] + [f"{s} (2026)" for s in
                                                                            graduation.STATUSES],
                    "source": [0], "target": [4], "value": [1]}
    up = only_poor.assign(status=["miskin", "rentan", "stabil"])
    assert graduation.flows(graduation.transitions(up, "2025", "2026"), {}, "2025", "2026")["target"] == [7]


def test_status_from_spending_needs_a_line() -> None:
    for line in (0, -5):
        with pytest.raises(ValueError, match="^Garis kemiskinan harus lebih dari 0"):
            graduation.status_from_spending(1, line)
    assert graduation.status_from_spending(1.4, 1) == "rentan"
    r = pd.DataFrame({"kode_rt": ["a"], "period": ["2025"], "status": [None], "pengeluaran": ["1,6"]})
    assert graduation.complete(r, 1)["status"].isna().all()        # a spending that is not a number stays blank
    assert graduation.complete(r.assign(pengeluaran=[1.6]), 1)["status"].tolist() == ["menengah"]
    assert graduation.complete(r.assign(pengeluaran=[1.6]), 0)["status"].isna().all()


# ---------------------------------------------------------------------- programme completeness (item 10)
def test_card_labels_and_answers_edges() -> None:
    crit = comp.CRITERIA[1]
    assert crit.label("id") == "Asesmen: Data sekunder" and crit.label("en") == "Assessment: Secondary data"
    assert comp.CRITERIA[0].label("en") == "Planning"
    card = comp.card(pd.DataFrame(columns=["criterion", "met", "bukti"]))
    assert card["ada"].isna().all() and (card["bukti"] == "").all() and (card["saran"] == "").all()
    assert card["kriteria"].iloc[9] == "Exit strategy"
    with pytest.raises(ValueError, match="^Kriteria tidak dikenal: a, b$"):
        comp.score({"b": True, "a": False})
    with pytest.raises(ValueError, match="^Kriteria tidak dikenal: lain$"):
        comp.answers_from_card(pd.DataFrame({"kunci": ["lain"], "ada": ["ya"], "bukti": [""]}))
    got = comp.answers_from_card(pd.DataFrame({"kunci": ["exit"], "ada": ["ya"], "bukti": [None]}))
    assert got == {"exit": (True, "")}


def test_benchmark_keeps_programmes_with_one_answer_and_marks_whose_they_are() -> None:
    ours = pd.DataFrame({"chain_id": [1, 2], "program": ["A", "B"], "dijawab": [1, 0], "skor": [1, 0],
                         "kategori": ["", ""]})
    bench = comp.benchmark(ours)
    assert bench["program"].tolist()[:2] == ["A", "PENA"] and bench.index.tolist() == list(range(16))
    assert bench["ours"].tolist() == [True] + [False] * 15
    table = comp.study_table()
    assert table.columns.tolist() == ["program", *comp.KEYS, "skor", "kategori"]


def test_mann_kendall_for_many_areas_is_scipys_for_each() -> None:
    from scipy import stats

    rng = np.random.default_rng(11)
    z = rng.normal(size=(300, 5))
    z[:20] = np.round(z[:20])            # ties
    z[20] = 1.0                          # flat
    z[21, 1:] = z[21, 0]                 # flat after the first
    tau, p = emerging.mann_kendall_rows(z)
    for r in range(300):
        if np.all(z[r] == z[r, 0]):
            assert (tau[r], p[r]) == (0.0, 1.0)
            continue
        ref = stats.kendalltau(np.arange(5), z[r])
        assert tau[r] == pytest.approx(ref.statistic) and p[r] == pytest.approx(ref.pvalue)
    short_tau, short_p = emerging.mann_kendall_rows(z[:, :2])
    assert (short_tau == 0).all() and (short_p == 1).all()
