"""Investment measures for business models: NPV, IRR, benefit-cost ratio, payback period.

Cash flows are per year, year 0 first (usually the investment, negative). IRR is the rate at which the
NPV is zero; it exists and is unique when the cash flows change sign once. When they do not, or no
root lies in a sensible range, :func:`irr` says so instead of returning a silent NaN.

References
----------
* Brealey, R. A., Myers, S. C. and Allen, F. *Principles of Corporate Finance*, ch. 2 and 5 (NPV, IRR and
  its pitfalls: no root, several roots).
* numpy-financial's ``npv``/``irr`` (used in the tests as an independent reference).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


def npv(rate: float, flows: Sequence[float]) -> float:
    """Net present value of yearly flows (year 0 undiscounted).

    >>> round(npv(0.10, [-100, 60, 60]), 4)
    4.1322
    """
    f = np.asarray(flows, dtype=float)
    return float(np.sum(f / (1.0 + rate) ** np.arange(len(f))))


@dataclass(frozen=True)
class IRR:
    """The internal rate of return, or why there is none."""

    value: float | None
    reason: str  # "" when found; otherwise a sentence in Bahasa Indonesia


def irr(flows: Sequence[float], low: float = -0.99, high: float = 10.0) -> IRR:
    """Internal rate of return by bracketing and bisection on [low, high].

    >>> r = irr([-100, 60, 60]); round(r.value, 6)
    0.130662
    >>> irr([100, 50]).reason
    'Tidak ada IRR: arus kas tidak pernah negatif, jadi tidak ada tingkat bunga yang membuat NPV nol.'
    """
    f = np.asarray(flows, dtype=float)
    signs = np.sign(f[f != 0])
    if len(signs) == 0 or (signs > 0).all():
        return IRR(None,
                   "Tidak ada IRR: arus kas tidak pernah negatif, jadi tidak ada tingkat bunga yang membuat NPV nol.")
    if (signs < 0).all():
        return IRR(None, "Tidak ada IRR: arus kas tidak pernah positif (investasi tidak pernah kembali).")
    changes = int(np.sum(signs[1:] != signs[:-1]))
    grid = np.concatenate([np.linspace(low, 0, 200, endpoint=False), np.geomspace(1e-6, high, 400)])
    values = np.array([npv(r, f) for r in grid])
    roots = []
    for a, b, fa, fb in zip(grid[:-1], grid[1:], values[:-1], values[1:], strict=False):
        if fa == 0:
            roots.append(a)
        elif fa * fb < 0:
            lo, hi, flo = a, b, fa
            for _ in range(100):
                mid = (lo + hi) / 2
                fm = npv(mid, f)
                if flo * fm <= 0:
                    hi = mid
                else:
                    lo, flo = mid, fm
            roots.append((lo + hi) / 2)
    if not roots:
        return IRR(None, f"Tidak ada IRR antara {_pct(low, 0)} dan {_pct(high, 0)} per tahun.")
    if len(roots) > 1 or changes > 1:
        listed = ", ".join(_pct(r, 1) for r in roots)
        return IRR(None, f"IRR tidak tunggal: arus kas berganti tanda {changes} kali (akar: {listed}); pakai NPV.")
    return IRR(float(roots[0]), "")


def _pct(share: float, decimals: int) -> str:
    """A share as an Indonesian percentage (decimal comma), for the reasons an IRR is not given.

    >>> _pct(1.99712, 1), _pct(-0.99, 0), _pct(10.0, 0)
    ('199,7%', '-99%', '1000%')
    """
    return f"{share * 100:.{decimals}f}".replace(".", ",") + "%"


def bcr(rate: float, benefits: Sequence[float], costs: Sequence[float]) -> float | None:
    """Benefit-cost ratio: present value of benefits ÷ present value of costs (None without costs).

    >>> round(bcr(0.10, [0, 60, 60], [100, 0, 0]), 4)
    1.0413
    """
    pv_c = npv(rate, costs)
    return None if pv_c == 0 else npv(rate, benefits) / pv_c


def payback(flows: Sequence[float]) -> float | None:
    """Years until the cumulative (undiscounted) cash flow turns non-negative, interpolated within the
    year; None if it never does.

    >>> round(payback([-100, 60, 60]), 4), payback([-100, 10, 10])
    (1.6667, None)
    """
    cum = np.cumsum(np.asarray(flows, dtype=float))
    if cum[0] >= 0:
        return 0.0
    for t in range(1, len(cum)):
        if cum[t] >= 0:
            return float(t - 1 + (-cum[t - 1]) / (cum[t] - cum[t - 1]))
    return None
