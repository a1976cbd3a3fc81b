"""How many poor households reached by a business model could cross the poverty line.

A household is poor when its spending per person is below the garis kemiskinan ``z`` (Rp per person per
month). BPS publishes, per kabupaten and year, the headcount ``P0`` (percent of people below ``z``), the
poverty gap ``P1`` and the severity ``P2`` (Foster-Greer-Thorbecke indices, on the same 0-100 scale):

* ``P1 / P0`` is the mean relative gap of the poor, ``(z − y) / z``;
* ``P2 / P0`` is the mean of the squared relative gap.

A household of ``m`` people whose added income is ``Δ`` Rp a year, of which a share ``s`` goes to its
spending, gains ``a = s·Δ / (12·m·z)`` of the line per person per month; it crosses the line when its own
relative gap is at most ``a``. The share of poor households that cross is the share whose gap is at most
``a``, read from the distribution of the gaps:

* with ``P2``: a Beta distribution with the mean ``P1/P0`` and second moment ``P2/P0`` (method of moments);
* without ``P2`` (or when the two moments admit no Beta): gaps spread evenly from 0 to twice the mean.

It is an estimate for planning, not a count: it assumes the model's households are like the kabupaten's
poor in their gaps, and it says so with its assumptions (household size, share of income spent, share of
the households reached who are poor).

References:
    Foster, J., Greer, J. & Thorbecke, E. (1984). A class of decomposable poverty measures. *Econometrica*
    52(3), 761-766.
    BPS, *Penghitungan dan Analisis Kemiskinan Makro Indonesia* (P0, P1, P2 and the garis kemiskinan).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from scipy import stats

from analytics.business import calc
from analytics.core import fmt
from analytics.core.db import Database
from analytics.poverty import store as poverty_store


@dataclass(frozen=True)
class PovertyLine:
    """The poverty figures of one area and year: line ``z`` (Rp/kapita/bulan), ``p0`` (percent), ``p1`` and
    ``p2`` (indices on BPS's 0-100 scale; ``p2`` may be missing)."""

    kode: str
    period: int
    z: float
    p0: float
    p1: float
    p2: float | None = None
    synthetic: bool = False


@dataclass(frozen=True)
class Crossing:
    """The estimate and everything it rests on (for the caption that states the assumption)."""

    households: float             # households earning the model's added income (last projection year)
    poor_share: float             # share of them below the line (assumption, 0-1)
    poor_households: float
    added_per_household: float    # Rp per household per year
    household_size: float
    income_share: float           # share of the added income spent by the household (0-1)
    added_per_capita: float       # Rp per person per month
    relative_gain: float          # added_per_capita / z
    mean_gap: float               # mean relative gap of the poor, P1/P0
    mean_gap_rp: float            # z × P1/P0, Rp per person per month
    share: float                  # share of poor households whose gap is at most the gain
    crossing: float               # poor households that could cross
    method: str                   # "beta" (P1 and P2) or "seragam" (P1 only)
    line: PovertyLine


def gap_share(gain: float, p0: float, p1: float, p2: float | None = None) -> tuple[float, str]:
    """(share of poor households whose relative gap is at most ``gain``, the distribution used).

    Hand-worked: P0 = 10, P1 = 2, P2 = 2/3 give the gap mean 0,2 and second moment 1/15, the moments of
    Beta(1, 4), whose distribution function is 1 − (1 − x)⁴; at x = 0,2 that is 1 − 0,8⁴ = 0,5904. With
    P1 alone the gaps spread evenly over [0; 0,4], and 0,2 covers half of them.

    >>> share, how = gap_share(0.2, 10, 2, 2 / 3); round(share, 4), how
    (0.5904, 'beta')
    >>> gap_share(0.2, 10, 2)
    (0.5, 'seragam')
    >>> gap_share(0.0, 10, 2), gap_share(0.5, 10, 2)
    ((0.0, 'seragam'), (1.0, 'seragam'))
    """
    if p0 <= 0 or p1 <= 0:
        raise ValueError("P0 dan P1 harus lebih dari 0 untuk menaksir penduduk yang melewati garis kemiskinan.")
    if p1 > p0:
        raise ValueError(f"P1 ({p1}) tidak mungkin lebih besar dari P0 ({p0}): periksa satuan keduanya (skala 0-100).")
    mean = p1 / p0
    if gain <= 0:
        return 0.0, "beta" if p2 else "seragam"
    if p2 is not None and p2 > 0:
        var = p2 / p0 - mean * mean
        if 0 < var < mean * (1 - mean):
            common = mean * (1 - mean) / var - 1
            return float(stats.beta.cdf(min(gain, 1.0), mean * common, (1 - mean) * common)), "beta"
    return float(min(1.0, gain / (2 * mean))), "seragam"


def estimate(added_per_household: float, households: float, line: PovertyLine, household_size: float = 4.0,
             income_share: float = 1.0, poor_share: float = 1.0) -> Crossing:
    """How many of ``households`` (those earning the model's added income) could cross the line of ``line``.

    Hand-worked (the line Rp 500.000, P0 = 10, P1 = 1,6, no P2): Rp 4.800.000 a year for a household of 4
    spending all of it is Rp 100.000 per person per month, 0,2 of the line; the mean gap is 0,16, so gaps
    spread over [0; 0,32] and 0,2 / 0,32 = 62,5% of poor households cross: 125 of 200.

    >>> c = estimate(4_800_000, 200, PovertyLine("35.03", 2024, 500_000, 10, 1.6))
    >>> c.added_per_capita, c.share, c.crossing, c.mean_gap_rp
    (100000.0, 0.625, 125.0, 80000.0)
    """
    for name, value, low, high in (("ukuran rumah tangga", household_size, 1, 20),
                                   ("bagian pendapatan yang dibelanjakan", income_share, 0, 1),
                                   ("bagian rumah tangga yang miskin", poor_share, 0, 1)):
        if not low <= value <= high:
            raise ValueError(f"Asumsi {name} harus antara {fmt.number(low)} dan {fmt.number(high)}, "
                             f"bukan {fmt.number(value, 2)}.")
    if line.z <= 0:
        raise ValueError("Garis kemiskinan harus lebih dari 0.")
    per_capita = max(added_per_household, 0.0) * income_share / (12 * household_size)
    gain = per_capita / line.z
    share, method = gap_share(gain, line.p0, line.p1, line.p2)
    poor = households * poor_share
    mean = line.p1 / line.p0
    return Crossing(households, poor_share, poor, added_per_household, household_size, income_share, per_capita,
                    gain, mean, line.z * mean, share, poor * share, method, line)


# pragma: no mutate start, outside the calculation core: wording
def assumption_text(c: Crossing, area: str, lang: str = "id") -> str:
    """The estimate's assumptions in one sentence, for captions, annexes and the leadership summary."""
    dist = {"beta": ("sebaran jarak ke garis menurut P1 dan P2 (Beta)", "gaps spread as P1 and P2 imply (Beta)"),
            "seragam": ("jarak ke garis tersebar rata dari 0 sampai dua kali rata-ratanya (P2 tidak ada)",
                        "gaps spread evenly from 0 to twice their mean (no P2)")}[c.method]
    if lang == "en":
        return (f"Poverty line of {area} {c.line.period}: {fmt.rupiah(c.line.z, lang)} per person per month, "
                f"P0 {fmt.number(c.line.p0, 2, lang)}, P1 {fmt.number(c.line.p1, 2, lang)}; "
                f"household of {fmt.number(c.household_size, 1, lang)} people spending "
                f"{fmt.percent(c.income_share * 100, 0, lang)} of the added income; "
                f"{fmt.percent(c.poor_share * 100, 0, lang)} of the households earning are poor; {dist[1]}.")
    return (f"Garis kemiskinan {area} {c.line.period}: {fmt.rupiah(c.line.z, lang)} per kapita per bulan, "
            f"P0 {fmt.number(c.line.p0, 2, lang)}, P1 {fmt.number(c.line.p1, 2, lang)}; "
            f"rumah tangga {fmt.number(c.household_size, 1, lang)} orang yang membelanjakan "
            f"{fmt.percent(c.income_share * 100, 0, lang)} tambahan pendapatannya; "
            f"{fmt.percent(c.poor_share * 100, 0, lang)} rumah tangga berpenghasilan tergolong miskin; {dist[0]}.")
# pragma: no mutate end


def from_model(ev: calc.Evaluation, line: PovertyLine, household_size: float = 4.0, income_share: float = 1.0,
               poor_share: float = 1.0) -> Crossing | None:
    """The estimate for a business model's evaluation: the POKMAS households' added net income per household
    and the households earning it in the projection's last year (after the model's persistence). None when
    the model has no POKMAS line or no household earning yet."""
    s = ev.summary.set_index("peran") if len(ev.summary) else None
    if s is None or "pokmas" not in s.index or ev.projection.empty:
        return None
    earning = float(ev.projection["rt_berpenghasilan"].iloc[-1])
    if earning <= 0:
        return None
    return estimate(float(s.loc["pokmas", "tambahan_per_rt"]), earning, line, household_size, income_share,
                    poor_share)


# pragma: no mutate start, outside the calculation core: database read
def area_line(db: Database, kode: str) -> PovertyLine | None:
    """The newest poverty line, P0, P1 (and P2) stored for area ``kode``; None when one of the first three is
    missing in every year."""
    row = poverty_store.poverty_line(db, kode)
    if row.empty:
        return None
    r = row.iloc[0]
    p2 = None if pd.isna(r["p2"]) else float(r["p2"])
    return PovertyLine(kode, int(r["period"]), float(r["garis_kemiskinan"]), float(r["p0"]), float(r["p1"]), p2,
                       bool(r["is_synthetic"]))
# pragma: no mutate end
