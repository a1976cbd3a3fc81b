"""Investment measures against numpy-financial and hand computations (issue 6, started)."""

from __future__ import annotations

import numpy as np
import numpy_financial as npf
import pytest

from analytics.business import finance

CASES = [
    [-1_000_000, 300_000, 400_000, 500_000],
    [-250_000_000, 40_000_000, 90_000_000, 120_000_000, 120_000_000],
    [-50, 10, 10, 10, 10, 10, 10, 10],
    [-100, 0, 0, 150],
]


@pytest.mark.parametrize("flows", CASES)
def test_npv_and_irr_match_numpy_financial(flows: list[float]) -> None:
    for rate in (0.0, 0.06, 0.12):
        assert finance.npv(rate, flows) == pytest.approx(npf.npv(rate, flows))
    r = finance.irr(flows)
    assert r.reason == "" and r.value == pytest.approx(npf.irr(flows), abs=1e-7)
    assert finance.npv(r.value, flows) == pytest.approx(0, abs=1e-3)


def test_irr_says_why_there_is_none() -> None:
    assert finance.irr([100, 50]).value is None and "tidak pernah negatif" in finance.irr([100, 50]).reason
    assert "tidak pernah positif" in finance.irr([-100, -50]).reason
    # two sign changes with two roots (10% and 20%): not unique, said so
    flows = [-100, 230, -132]
    assert np.allclose(sorted(np.roots([-100, 230, -132]) - 1), [0.1, 0.2])  # in x = 1 + r
    r = finance.irr(flows)
    assert r.value is None and "tidak tunggal" in r.reason and "10,0%" in r.reason.replace(".", ",")


def test_bcr_and_payback_by_hand() -> None:
    # costs 100 now; benefits 60 in years 1 and 2 at 10%: (54.545 + 49.587) / 100
    assert finance.bcr(0.10, [0, 60, 60], [100, 0, 0]) == pytest.approx(60 / 1.1 / 100 + 60 / 1.21 / 100)
    assert finance.bcr(0.10, [0, 60], [0, 0]) is None
    assert finance.payback([-100, 60, 60]) == pytest.approx(1 + 40 / 60)
    assert finance.payback([-100, 10, 10]) is None
    assert finance.payback([0, 10]) == 0.0


# ---------------------------------------------------------------- edge cases pinned (issue 13)
NEVER_NEGATIVE = "Tidak ada IRR: arus kas tidak pernah negatif, jadi tidak ada tingkat bunga yang membuat NPV nol."
NEVER_POSITIVE = "Tidak ada IRR: arus kas tidak pernah positif (investasi tidak pernah kembali)."


def test_irr_reasons_are_exact() -> None:
    assert finance.irr([100, 50]) == finance.IRR(None, NEVER_NEGATIVE)
    assert finance.irr([0, 0]) == finance.IRR(None, NEVER_NEGATIVE)  # no flow at all
    assert finance.irr([-100]) == finance.IRR(None, NEVER_POSITIVE)  # one outflow, nothing back
    assert finance.irr([-100, 0, -5]) == finance.IRR(None, NEVER_POSITIVE)
    # 100 × 21 back after a year is a rate of 2,000%: outside the searched −99% … 1,000%
    assert finance.irr([-1, 21]) == finance.IRR(None, "Tidak ada IRR antara -99% dan 1000% per tahun.")
    assert finance.irr([-1, 21], high=25.0).value == pytest.approx(20.0)


def test_irr_negative_rates_and_roots_on_the_grid() -> None:
    # 100 in, 50 back: the money halves, IRR −50% (numpy-financial agrees)
    assert finance.irr([-100, 50]).value == pytest.approx(-0.5) == pytest.approx(npf.irr([-100, 50]))
    # −1 + 0.5 / (1 + r) = 0 exactly at r = −0.5, the first point of the search grid when low = −0.5
    assert finance.irr([-1, 0.5], low=-0.5) == finance.IRR(-0.5, "")
    # and exactly at r = −0.25, an inner grid point (−0.5 + 100 × 0.0025): found once, not twice
    assert finance.irr([-1, 0.75], low=-0.5) == finance.IRR(-0.25, "")


def test_irr_several_sign_changes_are_named_even_with_one_root() -> None:
    # −100 + 300 x⁻¹ − 1 x⁻²: roots x = (300 ± √89,600) / 200, i.e. r = 199.67% and r = −99.67%
    # (the second below the searched −99%); two sign changes → not unique, whatever the root count
    root = (300 + np.sqrt(300 ** 2 - 400)) / 200 - 1
    assert f"{root:.1%}" == "199.7%"
    assert finance.irr([-100, 300, -1]) == finance.IRR(
        None, "IRR tidak tunggal: arus kas berganti tanda 2 kali (akar: 199,7%); pakai NPV.")
    assert finance.irr([-100, 230, -132]).reason == \
        "IRR tidak tunggal: arus kas berganti tanda 2 kali (akar: 10,0%, 20,0%); pakai NPV."


def test_payback_at_the_exact_year_and_in_the_first_year() -> None:
    assert finance.payback([-100, 50, 50]) == 2.0       # cumulative exactly 0 at the end of year 2
    assert finance.payback([-100, 200]) == 0.5          # half of year 1's 200 repays the 100
    assert finance.payback([0, -10, 20]) == 0.0         # nothing to repay at the start
    assert finance.payback([5, -10, 20]) == 0.0
    assert finance.payback([-100, 40, 40, 40]) == pytest.approx(2 + 20 / 40)
    assert finance.bcr(0.0, [0, 50, 50], [100, 0, 0]) == 1.0


def test_irr_in_the_last_interval_of_the_search() -> None:
    # 1 in, 10.99 back after a year: 999% a year, just below the top of the search (1,000%)
    assert finance.irr([-1, 10.99]).value == pytest.approx(9.99, abs=1e-9)
