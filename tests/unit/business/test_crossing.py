"""Households that could cross the poverty line (issue 18, item 9). Known answers worked by hand from the
Foster-Greer-Thorbecke definitions (P1/P0 is the poor's mean relative gap, P2/P0 its mean square); the Beta
distribution's moments and distribution function are checked against scipy's own Beta, not ours."""

from __future__ import annotations

import pytest
from scipy import stats

from analytics.business import calc, crossing
from analytics.business import store as bm_store
from analytics.core.db import Database
from tests import plain

LINE = crossing.PovertyLine("35.03", 2024, 500_000, 10, 1.6)


def test_even_gaps_by_hand() -> None:
    # gain Rp 4,8 jt a year, 4 people: Rp 100.000 per person per month = 0,2 of the line; mean gap 0,16 → gaps
    # spread over [0; 0,32]; 0,2 / 0,32 = 0,625 of 200 poor households = 125
    c = crossing.estimate(4_800_000, 200, LINE)
    assert (c.added_per_capita, c.relative_gain, c.mean_gap, c.mean_gap_rp) == (100_000, 0.2, 0.16, 80_000)
    assert (c.share, c.crossing, c.method) == (0.625, 125, "seragam")
    # half the income spent, half the households poor: gain 0,1 → 0,3125 of 100 = 31,25
    c = crossing.estimate(4_800_000, 200, LINE, income_share=0.5, poor_share=0.5)
    assert (c.poor_households, c.share, c.crossing) == (100, 0.3125, 31.25)
    # a gain above twice the mean gap lifts every poor household; a loss lifts none
    assert crossing.estimate(9_600_000, 200, LINE, household_size=2).crossing == 200
    assert crossing.estimate(-1_000_000, 200, LINE).crossing == 0


def test_beta_gaps_match_p1_and_p2() -> None:
    # P0 = 10, P1 = 2, P2 = 2/3: mean 0,2 and second moment 1/15 = Beta(1, 4)'s; F(x) = 1 − (1 − x)⁴
    for gain in (0.05, 0.2, 0.5):
        share, how = crossing.gap_share(gain, 10, 2, 2 / 3)
        assert how == "beta" and share == pytest.approx(1 - (1 - gain) ** 4, abs=1e-12)
    # real-looking figures (Trenggalek-like): the fitted Beta has P1/P0 as mean and P2/P0 as second moment
    p0, p1, p2 = 19.49, 3.32, 0.86
    mean, second = p1 / p0, p2 / p0
    share, how = crossing.gap_share(0.12, p0, p1, p2)
    common = mean * (1 - mean) / (second - mean**2) - 1
    dist = stats.beta(mean * common, (1 - mean) * common)
    assert dist.mean() == pytest.approx(mean) and dist.moment(2) == pytest.approx(second)
    assert how == "beta" and share == pytest.approx(dist.cdf(0.12))
    # moments no Beta can have (variance too large): the even spread instead
    assert crossing.gap_share(0.2, 10, 2, 5) == (0.5, "seragam")


def test_bad_figures_and_assumptions_are_refused_with_a_reason() -> None:
    with pytest.raises(ValueError, match="P1 .* tidak mungkin lebih besar dari P0"):
        crossing.gap_share(0.1, 2, 3)
    with pytest.raises(ValueError, match="P0 dan P1 harus lebih dari 0"):
        crossing.gap_share(0.1, 0, 0)
    with pytest.raises(ValueError, match="ukuran rumah tangga harus antara 1 dan 20, bukan 0"):
        crossing.estimate(1e6, 10, LINE, household_size=0)
    with pytest.raises(ValueError, match="bagian pendapatan yang dibelanjakan"):
        crossing.estimate(1e6, 10, LINE, income_share=1.5)
    with pytest.raises(ValueError, match="Garis kemiskinan harus lebih dari 0"):
        crossing.estimate(1e6, 10, crossing.PovertyLine("x", 2024, 0, 10, 2))


def test_the_demo_model_a_uses_its_earning_households_and_the_stored_line(db_copy) -> None:
    db = Database(db_copy)
    con = plain.connect(db_copy)
    z, p0, p1, p2 = [con.execute(f"""SELECT value FROM indicators WHERE kode = '35.03' AND period = 2024
                                     AND indicator = '{i}'""").fetchone()[0]
                     for i in ("garis_kemiskinan", "p0", "p1", "p2")]
    con.close()
    line = crossing.area_line(db, "35.03")
    assert (line.period, line.z, line.p0, line.p1, line.p2) == (2024, z, p0, p1, p2)
    models = bm_store.bm_models(db)
    mid = int(models.loc[models["model"] == "A", "id"].iloc[0])
    ev = calc.evaluate(bm_store.load(db, mid), 0.12)
    c = crossing.from_model(ev, line)
    # model A by hand: a POKMAS of 80 households gains 210 jt a year = Rp 2.625.000 each; 220 households earn
    # the full gain in year 3 (see the Model bisnis page test)
    assert (c.added_per_household, c.households) == (2_625_000, 220)
    assert c.added_per_capita == 2_625_000 / 48
    assert c.share == pytest.approx(crossing.gap_share(2_625_000 / 48 / z, p0, p1, p2)[0])
    assert crossing.area_line(db, "99.99") is None
