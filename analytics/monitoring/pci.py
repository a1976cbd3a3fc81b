"""PCI (Principle-Criteria-Indicator) scorecard of the ICRAF P&E guideline: 4 principles, 15 criteria,
26 indicators, each scored 0-3 from the observed value by a rubric; a total out of 78 and a predicate
(Teladan A+, Maju A, Berkembang B, Perlu ditingkatkan C) with extra rules on some indicators.

A rubric gives, per indicator, the text of each score level (``0 - 50%``, ``51-70%``, ``> 20%``,
``tidak ada pertemuan`` …). Where every defined level of an indicator reads as a numeric band, an
observed value is scored by the band it falls in; otherwise the indicator is *qualitative* and the
observer picks the level. :func:`check_rubric` reports what the method asks a local team to look at
before adapting the rubric: score levels with no text, values no band covers (gaps), values two bands
both cover (overlaps), one-value bands and levels with the same text.

The method does not say what a group gets when its total qualifies for a predicate but an extra rule
fails; here it gets the next predicate down whose rules it meets, and the reason is returned.

References
----------
* Pedoman P&E Model Bisnis Sosial Berbasis Agroforestri, ICRAF (``shared/seeds/003_…``; tables in
  ``method/``): 4 principles, 15 criteria, 26 indicators scored 0-3, total out of 78, predicates.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

METHOD = Path(__file__).resolve().parent / "method"
SCORES: tuple[int, ...] = (0, 1, 2, 3)
MAX_TOTAL = 78

INVERTED: frozenset[int] = frozenset({5})
"""Indicators whose measure, as the method writes it, counts the opposite of what their score bands count:
indicator 5 measures "Jumlah petani yang membakar lahan" while its target and bands are of farmers who do
*not* burn ("100% petani tidak membakar": 100% → 3, 0-95% → 0). An observer types the measure as written
(the share who still burn); it is scored as 100 − that share, so 0% burning scores 3."""
# words that make a level's text a judgement rather than a number to compare
_QUALITATIVE = ("meningkat", "peningkatan", "tahun lalu", "tercatat", "industri", "harga", "upah", "pembeli",
                "keuntungan", "terjual", "kabupaten", "desa")
_PREVIOUS_YEAR = re.compile(r"tahun lalu|meningkat|peningkatan|setiap tahun|tiap tahun")
_NUM = r"(\d+(?:[.,]\d+)?)"


@lru_cache(maxsize=1)
def reference_indicators() -> pd.DataFrame:
    """The method's 26 indicators with principle, criterion, measure, unit, target and the reference
    rubric texts (``score_0`` … ``score_3``; empty where the source defines no level)."""
    df = pd.read_csv(METHOD / "pci_indicators.csv")
    return df


@lru_cache(maxsize=1)
def reference_predicates() -> pd.DataFrame:
    """Predicates with their score ranges and extra rules (parsed: ``rule_min``, ``rule_indicators``)."""
    df = pd.read_csv(METHOD / "pci_predicates.csv")
    parsed = [parse_rule(r) for r in df["additional_rule"]]
    df["rule_min"] = [p[0] if p else None for p in parsed]
    df["rule_indicators"] = [p[1] if p else [] for p in parsed]
    return df.sort_values("min_score", ascending=False).reset_index(drop=True)


def parse_rule(text: object) -> tuple[int, list[int]] | None:
    """``"Harus mempunyai skor 3 untuk indikator no 21, 24 dan 25"`` → (3, [21, 24, 25]).

    >>> parse_rule("Harus mempunyai skor minimum 2 untuk indikator no 24 dan 25")
    (2, [24, 25])
    >>> parse_rule(None) is None
    True
    """
    if not isinstance(text, str) or not text.strip():
        return None
    m = re.search(r"skor\D*(\d+)", text)
    n = re.search(r"\bno\.?\s*(.*)$", text)
    if not m or not n:
        return None
    return int(m.group(1)), [int(x) for x in re.findall(r"\d+", n.group(1))]


@dataclass(frozen=True)
class Band:
    """One score level of one indicator: its text and, when numeric, the interval it covers."""

    score: int
    text: str
    lo: float = -math.inf
    hi: float = math.inf
    lo_incl: bool = True
    hi_incl: bool = True
    numeric: bool = False

    def contains(self, v: float) -> bool:
        above = v > self.lo or (self.lo_incl and v == self.lo)
        below = v < self.hi or (self.hi_incl and v == self.hi)
        return above and below

    def describe(self) -> str:
        if not self.numeric:
            return self.text
        lo = "" if self.lo == -math.inf else _n(self.lo)
        hi = "" if self.hi == math.inf else _n(self.hi)
        if lo == hi:
            return lo
        left = "" if not lo else ("[" if self.lo_incl else "(") + lo
        right = "" if not hi else hi + ("]" if self.hi_incl else ")")
        return f"{left or '(…'}, {right or '…)'}"


def _n(v: float) -> str:
    return f"{v:g}".replace(".", ",")


def parse_band(text: object) -> tuple[float, float, bool, bool] | None:
    """The numeric interval a level's text describes, or None when it is a judgement.

    >>> parse_band("0 - 50%")
    (0.0, 50.0, True, True)
    >>> parse_band("> 50 - 70%")
    (50.0, 70.0, False, True)
    >>> parse_band("> 20%")
    (20.0, inf, False, True)
    >>> parse_band("produk tidak laku <=10%")
    (-inf, 10.0, True, True)
    >>> parse_band("mengikuti pertemuan 1x atau lebih")
    (1.0, inf, True, True)
    >>> parse_band("5 pertemuan atau lebih")
    (5.0, inf, True, True)
    >>> parse_band("tidak ada pertemuan")
    (0.0, 0.0, True, True)
    >>> parse_band("ada pembeli, terjadi peningkatan <10%") is None
    True
    """
    if not isinstance(text, str) or not text.strip():
        return None
    t = text.strip().lower().replace("≤", "<=").replace("≥", ">=")
    if any(w in t for w in _QUALITATIVE):
        return None
    nums = re.findall(_NUM, t)
    if not nums:
        return (0.0, 0.0, True, True) if t.startswith("tidak") else None

    def f(s: str) -> float:
        return float(s.replace(",", "."))

    if m := re.search(r"(>=|>)?\s*" + _NUM + r"\s*%?\s*-\s*(<=|<)?\s*" + _NUM, t):
        return f(m.group(2)), f(m.group(4)), m.group(1) != ">", m.group(3) != "<"
    if m := re.search(r"(<=|<|>=|>)\s*" + _NUM, t):
        op, v = m.group(1), f(m.group(2))
        return {"<=": (-math.inf, v, True, True), "<": (-math.inf, v, True, False),
                ">=": (v, math.inf, True, True), ">": (v, math.inf, False, True)}[op]
    if m := re.search(r"lebih dari\s*" + _NUM, t):
        return f(m.group(1)), math.inf, False, True
    if m := re.search(_NUM + r"\s*[a-z]*\s*atau lebih", t):  # "5 atau lebih", "1x atau lebih", "5 kali atau lebih"
        return f(m.group(1)), math.inf, True, True
    if len(nums) == 1:
        v = f(nums[0])
        return v, v, True, True
    return None


@dataclass(frozen=True)
class Indicator:
    """The rubric of one indicator."""

    no: int
    criterion: int
    name: str
    bands: tuple[Band, ...]            # defined levels only
    numeric: bool                      # every defined level is a numeric band
    percent: bool                      # the bands are percentages (domain 0-100)
    previous_year: bool                # a level compares with the previous year
    rule: str = ""
    inverted: bool = False             # the measure as written counts the complement of the bands (:data:`INVERTED`)

    def levels(self) -> list[int]:
        return [b.score for b in self.bands]

    def banded(self, value: np.ndarray | float) -> np.ndarray | float:
        """The value the bands read from a measure as written (100 − it for an inverted percentage); the
        same function turns a band's value back into the measure as written."""
        return 100 - value if self.inverted else value

    def better(self) -> str:
        """Which way the measure as written is better: ``naik`` (higher), ``turun`` (lower) or ``""`` (no
        numeric bands), from where the best and the worst bands lie.

        >>> reference_rubric().by_no()[5].better(), reference_rubric().by_no()[24].better()
        ('turun', 'turun')
        >>> reference_rubric().by_no()[1].better(), reference_rubric().by_no()[15].better()
        ('naik', '')
        """
        if not self.numeric or len(self.bands) < 2:
            return ""
        def mid(b: Band) -> float:
            lo, hi = (0.0 if b.lo == -math.inf else b.lo), (b.lo + 1 if b.hi == math.inf else b.hi)
            return (lo + hi) / 2
        worst, best = min(self.bands, key=lambda b: b.score), max(self.bands, key=lambda b: b.score)
        up = mid(best) > mid(worst)
        return "naik" if up != self.inverted else "turun"


@dataclass(frozen=True)
class Rubric:
    """A whole rubric (26 indicators) and optional criterion weights (criterion → weight)."""

    indicators: tuple[Indicator, ...]
    weights: dict[int, float] = field(default_factory=dict)

    def by_no(self) -> dict[int, Indicator]:
        return {i.no: i for i in self.indicators}


def rubric_from_texts(texts: pd.DataFrame, weights: dict[int, float] | None = None) -> Rubric:
    """A rubric from a table with ``indicator_no`` and ``score_0`` … ``score_3`` (empty = level not
    defined); names, criteria and targets come from the method's indicator table."""
    ref = reference_indicators().set_index("indicator_no")
    out = []
    for r in texts.itertuples():
        no = int(r.indicator_no)
        raw = {s: getattr(r, f"score_{s}") for s in SCORES}
        defined = {s: str(v).strip() for s, v in raw.items() if isinstance(v, str) and v.strip()}
        parsed = {s: parse_band(v) for s, v in defined.items()}
        numeric = bool(defined) and all(p is not None for p in parsed.values())
        bands = tuple(Band(s, defined[s], *(parsed[s] if numeric else (-math.inf, math.inf, True, True)),
                           numeric=numeric) for s in sorted(defined))
        meta = ref.loc[no] if no in ref.index else None
        target = str(meta["target"]) if meta is not None else ""
        all_text = " ".join(defined.values()).lower() + " " + target.lower()
        out.append(Indicator(no, int(meta["criterion_no"]) if meta is not None else 0,
                             str(meta["indicator"]) if meta is not None else f"Indikator {no}", bands, numeric,
                             "%" in " ".join(defined.values()), bool(_PREVIOUS_YEAR.search(all_text)),
                             str(meta["additional_predicate_rule"]) if meta is not None and
                             isinstance(meta["additional_predicate_rule"], str) else "",
                             no in INVERTED and "%" in " ".join(defined.values())))
    return Rubric(tuple(sorted(out, key=lambda i: i.no)), dict(weights or {}))


def reference_rubric() -> Rubric:
    """The method's own rubric, unweighted."""
    return rubric_from_texts(reference_indicators()[["indicator_no", "score_0", "score_1", "score_2", "score_3"]])


# ---------------------------------------------------------------------- rubric checker
@dataclass(frozen=True)
class Finding:
    """Something a local team should fix in a rubric: ``kind`` is missing, gap, overlap, point or same."""

    indicator: int
    kind: str
    message: str


def check_rubric(rubric: Rubric) -> list[Finding]:
    """Score levels without text, gaps and overlaps between numeric bands (within 0-100 for percentages,
    from 0 for counts, whole numbers for counts), one-value bands among ranges, bands that cover nothing
    (``"70 - 50%"``) and levels sharing a text."""
    out: list[Finding] = []
    for ind in rubric.indicators:
        missing = [s for s in SCORES if s not in ind.levels()]
        if missing:
            out.append(Finding(ind.no, "missing", f"Indikator {ind.no}: skor {', '.join(map(str, missing))} tidak "
                                                  "didefinisikan"))
        for i, a in enumerate(ind.bands):
            for b in ind.bands[i + 1:]:
                if a.text.lower() == b.text.lower():
                    out.append(Finding(ind.no, "same", f"Indikator {ind.no}: skor {a.score} dan skor {b.score} memakai "
                                                       f"uraian yang sama ('{a.text}')"))
        if not ind.numeric:
            continue
        for b in ind.bands:
            if _empty(b):
                out.append(Finding(ind.no, "empty", f"Indikator {ind.no}: skor {b.score} ('{b.text}') tidak mencakup "
                                                    "nilai apa pun (batas bawah melewati batas atas)"))
        bands = sorted((b for b in ind.bands if not _empty(b)), key=lambda b: (b.lo, b.hi))
        ranges = [b for b in bands if b.lo != b.hi]
        for b in bands:
            if b.lo == b.hi and ranges and ind.percent and 0 < b.lo < 100:
                out.append(Finding(ind.no, "point", f"Indikator {ind.no}: skor {b.score} ('{b.text}') hanya mencakup "
                                                    f"satu nilai ({_n(b.lo)})"))
        for i, a in enumerate(bands):
            for b in bands[i + 1:]:
                lo, hi = max(a.lo, b.lo), min(a.hi, b.hi)
                touching = lo == hi and a.contains(lo) and b.contains(lo)
                if lo < hi or touching:
                    where = f"pada {_n(lo)}" if touching else f"antara {_n(lo)} dan {_n(hi)}"
                    out.append(Finding(ind.no, "overlap", f"Indikator {ind.no}: skor {a.score} ('{a.text}') dan skor "
                                                          f"{b.score} ('{b.text}') tumpang tindih {where}"))
        out += _gaps(ind, bands)
    return out


def _gaps(ind: Indicator, bands: list[Band]) -> list[Finding]:
    """Values of the domain no band covers."""
    lo_dom, hi_dom = 0.0, (100.0 if ind.percent else math.inf)
    integer = not ind.percent
    out = []
    # walk the domain from its start, extending the covered part band by band
    pos, pos_incl = lo_dom, True  # everything below pos is covered; pos itself is uncovered if pos_incl
    for b in sorted(bands, key=lambda b: (b.lo, not b.lo_incl)):
        if b.hi < pos or (b.hi == pos and not (pos_incl and b.hi_incl)):
            continue
        start_ok = b.lo < pos or (b.lo == pos and (b.lo_incl or not pos_incl))
        if not start_ok:
            if not integer:
                out.append(_gap(ind, f"nilai {_n(pos)}" if pos == b.lo else f"nilai antara {_n(pos)} dan {_n(b.lo)}"))
            elif _has_integer(pos, pos_incl, b.lo, not b.lo_incl):
                first = math.ceil(pos) if pos_incl else math.floor(pos) + 1
                last = b.lo if not b.lo_incl and float(b.lo).is_integer() else math.ceil(b.lo) - 1
                out.append(_gap(ind, f"nilai {_n(first)}" if first == last else f"nilai {_n(first)}-{_n(last)}"))
        pos, pos_incl = b.hi, not b.hi_incl  # not skipped above: the band reaches at least pos
        if pos == math.inf:
            break
    if pos < hi_dom or (pos == hi_dom and pos_incl and hi_dom != math.inf):
        if not integer:
            out.append(_gap(ind, f"nilai {_n(pos)}" if pos == hi_dom else f"nilai antara {_n(pos)} dan {_n(hi_dom)}"))
        elif pos != math.inf:
            first = math.ceil(pos) if pos_incl else math.floor(pos) + 1
            out.append(_gap(ind, f"nilai {_n(first)} ke atas"))
    return out


def _empty(b: Band) -> bool:
    """A numeric band no value can fall in (its limits the wrong way round, or one excluded value)."""
    return b.lo > b.hi or (b.lo == b.hi and not (b.lo_incl and b.hi_incl))


def _has_integer(lo: float, lo_incl: bool, hi: float, hi_incl: bool) -> bool:
    first = math.ceil(lo) if lo_incl else math.floor(lo) + 1
    return first < hi or (hi_incl and first == hi)


def _gap(ind: Indicator, what: str) -> Finding:
    return Finding(ind.no, "gap", f"Indikator {ind.no}: {what} tidak tercakup oleh skor mana pun")


# ---------------------------------------------------------------------- scoring
@dataclass(frozen=True)
class Scored:
    """Scores of many groups: ``scores`` (groups × indicators, NaN = not scored), and per cell a note
    (``""``, ``"gap"`` = value in no band, ``"overlap"`` = value in two bands, lower score used)."""

    indicators: list[int]
    scores: np.ndarray
    notes: np.ndarray
    total: np.ndarray
    weighted: np.ndarray
    complete: np.ndarray


def score(rubric: Rubric, values: np.ndarray, levels: np.ndarray) -> Scored:
    """Score groups (rows) on the rubric's indicators (columns, in rubric order): a numeric indicator
    from ``values`` (NaN = not observed), a qualitative one from the level chosen in ``levels`` (NaN =
    not chosen; a chosen level also overrides a value no band covers). Totals count unscored cells as 0;
    ``weighted`` gives each criterion its weight (1 by default) over its own indicators' share of their
    maximum, whatever their number: 78 × Σ_c w_c · (S_c ÷ 3 n_c) ÷ Σ_c w_c, with S_c the criterion's scores
    and n_c its indicators (so equal weights count the 15 criteria equally; GAP's six indicators no longer
    carry 6/26 of the total)."""
    g, k = values.shape
    scores = np.full((g, k), np.nan)
    notes = np.full((g, k), "", dtype=object)
    for j, ind in enumerate(rubric.indicators):
        v = ind.banded(values[:, j])  # the measure as written, turned the bands' way
        if ind.numeric:
            best = np.full(g, np.inf)
            hits = np.zeros(g, dtype=int)
            for b in ind.bands:
                above = (v > b.lo) | ((v == b.lo) & b.lo_incl)
                below = (v < b.hi) | ((v == b.hi) & b.hi_incl)
                m = above & below & ~np.isnan(v)
                hits += m
                best = np.where(m, np.minimum(best, b.score), best)
            s = np.where(np.isfinite(best), best, np.nan)
            notes[:, j] = np.where(hits > 1, "overlap", np.where((hits == 0) & ~np.isnan(v), "gap", ""))
            chosen = levels[:, j]
            s = np.where(np.isnan(s) & ~np.isnan(chosen), chosen, s)
            scores[:, j] = s
        else:
            scores[:, j] = levels[:, j]
    filled = np.nan_to_num(scores, nan=0.0)
    total = filled.sum(axis=1)
    criteria = [i.criterion for i in rubric.indicators]
    ids = sorted(set(criteria))
    member = np.array([[c == k for c in criteria] for k in ids], dtype=float)  # criteria × indicators
    share = (filled @ member.T) / (3 * member.sum(axis=1))                      # groups × criteria, 0-1
    w = np.array([rubric.weights.get(k, 1.0) for k in ids], dtype=float)
    weighted = MAX_TOTAL * (share * w).sum(axis=1) / w.sum() if w.sum() else total
    return Scored([i.no for i in rubric.indicators], scores, notes, total, weighted, ~np.isnan(scores).any(axis=1))


@dataclass(frozen=True)
class Predicate:
    """A group's predicate, the one its total alone would give, and why they differ."""

    name: str
    code: str
    by_total: str
    reasons: list[str]


def predicate(total: float, scores: dict[int, float]) -> Predicate:
    """The predicate of a total (out of 78) with the extra rules: a total that qualifies for a predicate
    whose rule fails gets the next predicate down whose rule holds, with the reasons."""
    preds = _predicate_rows()
    eligible = [p for p in preds if p["min_score"] <= math.floor(total + 1e-9)] or preds[-1:]
    first = eligible[0]
    reasons = []
    for p in eligible[:-1]:
        failing = [i for i in p["rule_indicators"] if not (scores.get(i, 0) or 0) >= p["rule_min"]]
        if not failing:
            return Predicate(p["predicate"], p["code"], first["predicate"], reasons)
        got = ", ".join(f"{i} = {_n(scores.get(i, 0) or 0)}" for i in failing)
        reasons.append(f"Total {_n(round(total, 1))} memenuhi rentang {p['predicate']} ({p['min_score']}-"
                       f"{p['max_score']}), tetapi {p['predicate']} mensyaratkan skor minimal {p['rule_min']} pada "
                       f"indikator {', '.join(map(str, p['rule_indicators']))} (skor: {got}); turun satu predikat.")
    last = eligible[-1]  # the lowest predicate (from 0) has no extra rule: where every step-down ends
    return Predicate(last["predicate"], last["code"], first["predicate"], reasons)


@lru_cache(maxsize=1)
def _predicate_rows() -> list[dict]:
    """The predicates as plain rows, highest first (``rule_min`` 0 where there is no rule)."""
    return [{"predicate": p.predicate, "code": p.code, "min_score": int(p.min_score), "max_score": int(p.max_score),
             "rule_min": int(p.rule_min) if p.rule_min == p.rule_min and p.rule_min is not None else 0,
             "rule_indicators": list(p.rule_indicators)} for p in reference_predicates().itertuples()]


def predicates(sc: Scored, use_weights: bool = False) -> list[Predicate]:
    """The predicate of every scored group (vectorised; the same result as :func:`predicate` per group)."""
    totals = np.floor((sc.weighted if use_weights else sc.total) + 1e-9)
    preds = reference_predicates()  # highest first
    col = {no: j for j, no in enumerate(sc.indicators)}
    filled = np.nan_to_num(sc.scores, nan=0.0)
    n = len(totals)
    by_total = np.full(n, len(preds) - 1)
    given = np.full(n, len(preds) - 1)
    decided = np.zeros(n, dtype=bool)
    for k in range(len(preds) - 1, -1, -1):  # lowest first, so the highest eligible wins
        by_total = np.where(totals >= preds.loc[k, "min_score"], k, by_total)
    for k, p in enumerate(preds.itertuples()):
        ok = np.ones(n, dtype=bool)
        for i in p.rule_indicators:
            ok &= filled[:, col[i]] >= (p.rule_min or 0) if i in col else False
        take = ~decided & (k >= by_total) & ok
        given = np.where(take, k, given)
        decided |= take
    out = []
    for g in range(n):
        if given[g] == by_total[g]:
            row = preds.iloc[given[g]]
            out.append(Predicate(row["predicate"], row["code"], row["predicate"], []))
        else:  # rare: spell out why, the slow way
            out.append(predicate(float((sc.weighted if use_weights else sc.total)[g]),
                                 dict(zip(sc.indicators, sc.scores[g], strict=False))))
    return out


def first_year_flags(rubric: Rubric) -> list[int]:
    """Indicators whose levels compare with the previous year (flagged in a group's first year)."""
    return [i.no for i in rubric.indicators if i.previous_year]


def levels_for_total(rubric: Rubric, total: int, fixed: dict[int, int]) -> dict[int, int]:
    """Score levels (each defined by the rubric) for every indicator that add up to ``total`` with the
    ``fixed`` ones set: the others are filled from the top, then lowered until the sum fits. Used to
    build examples (demo groups, tests) with a known total."""
    by_no = rubric.by_no()
    out = dict(fixed)
    rest = total - sum(fixed.values())
    free = [n for n in by_no if n not in fixed]
    for no in free:
        levels = sorted(by_no[no].levels(), reverse=True)
        pick = next((lv for lv in levels if lv <= rest), min(levels))
        out[no] = pick
        rest -= pick
    while rest < 0:
        no = next((n for n in free if any(lv < out[n] for lv in by_no[n].levels())), None)
        if no is None:
            break
        new = max(lv for lv in by_no[no].levels() if lv < out[no])
        rest += out[no] - new
        out[no] = new
    if sum(out.values()) != total:
        raise ValueError(f"total {total} tidak bisa dicapai dengan skor tetap {fixed}")
    return out
