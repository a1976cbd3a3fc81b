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
