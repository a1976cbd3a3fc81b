"""PCI scorecard: the reference rubric read as bands, the checker's findings on it, scoring observed
values, and the predicates with their extra rules (known answers from the method)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analytics.monitoring import pci

# an observed value (numeric indicators) that scores each level on the reference rubric
VALUE_FOR = {0: 20.0, 1: 55.0, 2: 75.0, 3: 95.0}  # indicators with 0-50 / 51-65 / 70-80 / 81-100 bands


def _group(target: dict[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Observed values and chosen levels for one group that give the scores in ``target`` (1-26)."""
    r = pci.reference_rubric()
    values, levels = np.full(26, np.nan), np.full(26, np.nan)
    for j, ind in enumerate(r.indicators):
        want = target[ind.no]
        if ind.numeric:
            band = next(b for b in ind.bands if b.score == want)
            lo = 0.0 if band.lo == -math.inf else band.lo
            hi = lo + 200 if band.hi == math.inf else band.hi
            values[j] = ind.banded((lo + hi) / 2 if band.lo != band.hi else band.lo)  # as the measure is written
        else:
            levels[j] = want
    return values[None, :], levels[None, :]


def _scores_summing_to(total: int, fixed: dict[int, int]) -> dict[int, int]:
    out = pci.levels_for_total(pci.reference_rubric(), total, fixed)
    assert sum(out.values()) == total and all(out[k] == v for k, v in fixed.items())
    return out


def test_indicator_5_is_typed_as_its_measure_is_written() -> None:
    """Issue 18, item 4: indicator 5's measure is "Jumlah petani yang membakar lahan" (seeds/003, Tabel
    Indikator Pemantauan) while its bands are of farmers who do not burn (target "100% petani tidak membakar":
    100% → 3, 0-95% → 0). An observer who types 0% (nobody burns) gets 3, not 0; 5% burning is 95% not
    burning → 0; 100% burning → 0."""
    r = pci.reference_rubric()
    j = [i.no for i in r.indicators].index(5)
    values, levels = np.full((3, 26), np.nan), np.full((3, 26), np.nan)
    values[:, j] = [0, 5, 100]
    assert pci.score(r, values, levels).scores[:, j].tolist() == [3, 0, 0]
    assert r.by_no()[5].inverted and not any(i.inverted for i in r.indicators if i.no != 5)
    # the other way round, for the same text of a local rubric without a percentage, nothing is inverted
    assert not pci.rubric_from_texts(pd.DataFrame({"indicator_no": [5], "score_0": ["belum"], "score_1": [None],
                                                   "score_2": [None], "score_3": ["sudah"]})).indicators[0].inverted


def test_reference_rubric_bands() -> None:
    r = pci.reference_rubric().by_no()
    assert len(r) == 26
    assert [(b.lo, b.hi) for b in r[1].bands] == [(0, 50), (51, 70), (70, 90), (91, 100)]
    assert r[2].bands[3].lo == 20 and not r[2].bands[3].lo_incl  # "> 20%"
    assert r[5].levels() == [0, 3] and r[26].levels() == [1, 2, 3]
    assert not r[15].numeric and not r[21].numeric and r[24].numeric
    assert pci.first_year_flags(pci.reference_rubric()) == [15, 16, 18, 20, 22, 23]


def test_checker_finds_the_reference_rubrics_faults() -> None:
    found = {(f.indicator, f.kind) for f in pci.check_rubric(pci.reference_rubric())}
    # the notes of the method extract: overlap at 70 and gaps 50-51 and 90-91 on indicator 1
    assert {(1, "overlap"), (1, "gap")} <= found
    msgs = [f.message for f in pci.check_rubric(pci.reference_rubric())]
    assert "Indikator 1: skor 1 ('51-70%') dan skor 2 ('70 - 90%') tumpang tindih pada 70" in msgs
    assert "Indikator 1: nilai antara 50 dan 51 tidak tercakup oleh skor mana pun" in msgs
    assert "Indikator 4: nilai antara 65 dan 70 tidak tercakup oleh skor mana pun" in msgs
    # missing score levels: 3 (no 0), 5 (no 1, 2), 11, 13, 19, 26
    assert {i for i, k in found if k == "missing"} == {3, 5, 11, 13, 19, 26}
    assert (3, "point") in found  # '70-70%'
    assert "Indikator 19: nilai 2 tidak tercakup oleh skor mana pun" in msgs  # 1 lembaga → 2, then '>2'
    assert "Indikator 24: skor 2 ('rasio utang 5-25%') dan skor 1 ('rasio utang 25-49%') tumpang tindih pada 25" in msgs
    assert (23, "same") in found
    # counts are whole numbers: 0 / 1-2 / 3-5 / >5 leaves nothing out
    counts = pci.rubric_from_texts(pd.DataFrame({"indicator_no": [11], "score_0": ["tidak ada pertemuan"],
                                                 "score_1": ["1-2 pertemuan"], "score_2": ["3-5 pertemuan"],
                                                 "score_3": ["> 5 pertemuan"]}))
    assert pci.check_rubric(counts) == []
    fixed = pci.rubric_from_texts(pd.DataFrame({"indicator_no": [1], "score_0": ["0 - 50%"], "score_1": ["51-70%"],
                                                "score_2": ["71 - 90%"], "score_3": ["91 - 100%"]}))
    assert [f.kind for f in pci.check_rubric(fixed)] == ["gap", "gap", "gap"]  # percentages: 50-51 … remain


def test_scoring_values_and_levels() -> None:
    r = pci.reference_rubric()
    values = np.full((3, 26), np.nan)
    levels = np.full((3, 26), np.nan)
    values[0, 0], values[1, 0], values[2, 0] = 70, 50.5, 95  # indicator 1: overlap, gap, plain
    levels[1, 0] = 1  # the observer's level for a value no band covers
    levels[:, 14] = 2  # indicator 15 is qualitative
    sc = pci.score(r, values, levels)
    assert sc.scores[0, 0] == 1 and sc.notes[0, 0] == "overlap"  # 70 is in 51-70 and 70-90: the lower
    assert sc.scores[1, 0] == 1 and sc.notes[1, 0] == "gap"
    assert sc.scores[2, 0] == 3 and sc.notes[2, 0] == ""
    assert (sc.scores[:, 14] == 2).all() and sc.total.tolist() == [3, 3, 5] and not sc.complete.any()
    # criterion weights rescale to 78: all weight on criterion 1 (indicators 1, 2) → (s1 + s2) / 6 × 78
    w = pci.Rubric(r.indicators, {c: (1.0 if c == 1 else 0.0) for c in range(1, 16)})
    sw = pci.score(w, values, levels)
    assert sw.weighted[2] == pytest.approx(78 * 3 / 6)


def test_predicates_with_extra_rules_known_answers() -> None:
    for total, fixed, expect, by_total in [
        (61, {24: 2, 25: 2}, "Maju", "Maju"),
        (61, {24: 1, 25: 3}, "Berkembang", "Maju"),
        (61, {24: 3, 25: 1}, "Berkembang", "Maju"),
        (76, {21: 3, 24: 3, 25: 3}, "Teladan", "Teladan"),
        (76, {21: 2, 24: 3, 25: 3}, "Maju", "Teladan"),
        (76, {21: 3, 24: 1, 25: 3}, "Berkembang", "Teladan"),
        (39, {}, "Perlu ditingkatkan", "Perlu ditingkatkan"),
        (40, {}, "Berkembang", "Berkembang"),
    ]:
        target = _scores_summing_to(total, fixed)
        values, levels = _group(target)
        sc = pci.score(pci.reference_rubric(), values, levels)
        assert sc.total[0] == total and sc.complete[0]
        p = pci.predicates(sc)[0]
        assert (p.name, p.by_total) == (expect, by_total), (total, fixed, p)
        if expect != by_total:
            assert p.reasons and "turun satu predikat" in p.reasons[0]
            failing = [i for i, v in fixed.items() if v < (3 if by_total == "Teladan" else 2)]
            assert all(f"{i} = {fixed[i]}" in p.reasons[0] for i in failing), p.reasons
        else:
            assert p.reasons == []


def test_thousand_groups_are_scored_at_once() -> None:
    rng = np.random.default_rng(1)
    r = pci.reference_rubric()
    values = rng.uniform(0, 100, (1000, 26))
    levels = rng.integers(0, 4, (1000, 26)).astype(float)
    sc = pci.score(r, values, levels)
    assert sc.scores.shape == (1000, 26) and len(pci.predicates(sc)) == 1000
    # strong groups: the vectorised predicates equal the one-by-one ones, step-downs included
    strong = pci.score(r, rng.uniform(60, 100, (1000, 26)), rng.integers(1, 4, (1000, 26)).astype(float))
    fast = pci.predicates(strong)
    slow = [pci.predicate(float(t), dict(zip(strong.indicators, row, strict=False))) for t,
            row in zip(strong.total, strong.scores, strict=False)]
    assert fast == slow and any(p.reasons for p in fast)
    # the same as scoring the groups one at a time
    one = pci.score(r, values[7:8], levels[7:8])
    assert np.array_equal(np.nan_to_num(one.scores[0], nan=-1), np.nan_to_num(sc.scores[7], nan=-1))


# ---------------------------------------------------------------- limits pinned (issue 13)
def test_band_limits_exclusive_and_inclusive() -> None:
    r = pci.reference_rubric()
    values = np.full((4, 26), np.nan)
    levels = np.full((4, 26), np.nan)
    # indicator 2: "6-20%" → 2, "> 20%" → 3: exactly 20 is a 2 and no overlap
    # indicator 24 (debt ratio): "< 5%" → 3, "5-25%" → 2, "25-49%" → 1, "> 50%" → 0
    values[:, 1] = [20, 20.5, 0, 5]
    values[:, 23] = [5, 25, 50, 4.99]
    sc = pci.score(r, values, levels)
    assert sc.scores[:, 1].tolist() == [2, 3, 0, 1]
    assert sc.notes[:, 1].tolist() == ["", "", "", ""]
    assert sc.scores[:2, 23].tolist() == [2, 1] and np.isnan(sc.scores[2, 23]) and sc.scores[3, 23] == 3
    assert sc.notes[:, 23].tolist() == ["", "overlap", "gap", ""]  # 25 in two bands; 50 in none (49 < 50 ≤ 50)
    assert sc.total.tolist() == [4, 4, 0, 4]
    # weighted, equal weights: each of the 15 criteria counts its share of its maximum; indicator 2 is one of
    # criterion 1's two, indicator 24 criterion 13's only one: 78 ÷ 15 × (s2 ÷ 6 + s24 ÷ 3)
    assert sc.weighted.tolist() == pytest.approx([78 / 15 * (2 / 6 + 2 / 3), 78 / 15 * (3 / 6 + 1 / 3), 0,
                                                  78 / 15 * (1 / 6 + 3 / 3)])


def test_a_chosen_level_only_fills_what_no_band_covers() -> None:
    r = pci.reference_rubric()
    values = np.full((2, 26), np.nan)
    levels = np.full((2, 26), np.nan)
    values[:, 0] = [95, 50.5]   # indicator 1: 3, then a gap
    levels[:, 0] = [1, 2]       # the observer's level: ignored for 95, used for the gap
    sc = pci.score(r, values, levels)
    assert sc.scores[:, 0].tolist() == [3, 2] and sc.notes[:, 0].tolist() == ["", "gap"]
    assert sc.scores.shape == (2, 26) and np.isnan(sc.scores[:, 1:]).all()
    assert sc.notes[0, 5] == "" and sc.total.tolist() == [3, 2] and not sc.complete.any()


def test_weights_default_to_one_and_all_zero_falls_back_to_the_total() -> None:
    r = pci.reference_rubric()
    values = np.full((1, 26), np.nan)
    levels = np.full((1, 26), np.nan)
    values[0, 0], values[0, 1] = 95, 20.5   # criterion 1: 3 + 3
    values[0, 3] = 95                       # criterion 3: 3
    base = pci.score(r, values, levels)
    # equal weights count criteria equally (issue 18, item 4): criteria 1 (6 of 6) and 3 (3 of 3) are full,
    # the other 13 empty → 78 × 2 ÷ 15, not the plain 9 of 78 (which weighted each criterion by its size)
    assert base.total[0] == 9 and base.weighted[0] == pytest.approx(78 * 2 / 15)
    # criterion 1 weighs 3, the other 14 keep weight 1 (not named): 78 × (3 × 1 + 1 × 1) ÷ (3 + 14)
    w = pci.score(pci.Rubric(r.indicators, {1: 3.0}), values, levels)
    assert w.weighted[0] == pytest.approx(78 * 4 / 17)
    zero = pci.score(pci.Rubric(r.indicators, {c: 0.0 for c in range(1, 16)}), values, levels)
    assert zero.weighted[0] == 9


def test_step_down_at_the_exact_minimum_and_the_reasons_word_for_word() -> None:
    # a (weighted) 76 qualifies for Teladan, which needs 3 on 21, 24, 25; they are 2: Maju needs exactly 2
    p = pci.predicate(76, {21: 2, 24: 2, 25: 2})
    assert (p.name, p.code, p.by_total) == ("Maju", "A", "Teladan")
    assert p.reasons == ["Total 76 memenuhi rentang Teladan (76-78), tetapi Teladan mensyaratkan skor minimal 3 pada "
                         "indikator 21, 24, 25 (skor: 21 = 2, 24 = 2, 25 = 2); turun satu predikat."]
    # a weighted total with a decimal; indicator 25 not scored counts as 0
    p = pci.predicate(61.46, {24: 1})
    assert (p.name, p.code, p.by_total) == ("Berkembang", "B", "Maju")
    assert p.reasons == ["Total 61,5 memenuhi rentang Maju (60-75), tetapi Maju mensyaratkan skor minimal 2 pada "
                         "indikator 24, 25 (skor: 24 = 1, 25 = 0); turun satu predikat."]
    assert pci.predicate(59.99, {}) == pci.Predicate("Berkembang", "B", "Berkembang", [])
    assert pci.predicate(0, {}) == pci.Predicate("Perlu ditingkatkan", "C", "Perlu ditingkatkan", [])
    assert pci.predicate(78, {21: 3, 24: 3, 25: 3}) == pci.Predicate("Teladan", "A+", "Teladan", [])


def test_predicates_use_the_plain_total_unless_asked() -> None:
    r = pci.reference_rubric()
    values, levels = _group(_scores_summing_to(45, {24: 2, 25: 2}))
    only_first = pci.Rubric(r.indicators, {c: (1.0 if c == 1 else 0.0) for c in range(1, 16)})
    sc = pci.score(only_first, values, levels)
    s1, s2 = sc.scores[0, 0], sc.scores[0, 1]
    assert sc.total[0] == 45 and sc.weighted[0] == pytest.approx(78 * (s1 + s2) / 6)
    assert pci.predicates(sc)[0].name == "Berkembang"  # 45 of 78
    weighted = pci.predicates(sc, use_weights=True)[0]
    expected = "Perlu ditingkatkan" if 78 * (s1 + s2) / 6 < 40 else (
        "Berkembang" if 78 * (s1 + s2) / 6 < 60 else "Maju")
    assert weighted.name == expected and weighted.name != "Berkembang"


def _one(no: int, *levels: str | None) -> pci.Rubric:
    levels = levels + (None,) * (4 - len(levels))
    return pci.rubric_from_texts(pd.DataFrame({"indicator_no": [no], **{f"score_{s}": [t] for s, t in
                                                                         enumerate(levels)}}))


def _messages(r: pci.Rubric) -> list[str]:
    return [f.message for f in pci.check_rubric(r)]


def test_rubric_gaps_in_counts_by_hand() -> None:
    # whole numbers: 0 | 1-2 | 4-5 | > 6 leaves 3 and 6 uncovered
    assert _messages(_one(11, "tidak ada pertemuan", "1-2 pertemuan", "4-5 pertemuan", "> 6 pertemuan")) == [
        "Indikator 11: nilai 3 tidak tercakup oleh skor mana pun",
        "Indikator 11: nilai 6 tidak tercakup oleh skor mana pun"]
    assert _messages(_one(11, "0 pertemuan", "1-2 pertemuan", "6-8 pertemuan", "lebih dari 8 pertemuan")) == [
        "Indikator 11: nilai 3-5 tidak tercakup oleh skor mana pun"]
    assert _messages(_one(11, "0 pertemuan", "1-2 pertemuan", "3-5 pertemuan", None)) == [
        "Indikator 11: skor 3 tidak didefinisikan", "Indikator 11: nilai 6 ke atas tidak tercakup oleh skor mana pun"]
    assert _messages(_one(11, None, "1-2 pertemuan", "3-4 pertemuan", "5 pertemuan atau lebih")) == [
        "Indikator 11: skor 0 tidak didefinisikan", "Indikator 11: nilai 0 tidak tercakup oleh skor mana pun"]
    assert _messages(_one(11, "tidak ada", "1 pertemuan", "2 pertemuan", "> 2 pertemuan")) == []


def test_rubric_gaps_and_overlaps_in_percentages_by_hand() -> None:
    assert _messages(_one(1, "0 - 50%", "51 - 80%", None, None)) == [
        "Indikator 1: skor 2, 3 tidak didefinisikan",
        "Indikator 1: nilai antara 50 dan 51 tidak tercakup oleh skor mana pun",
        "Indikator 1: nilai antara 80 dan 100 tidak tercakup oleh skor mana pun"]
    assert _messages(_one(1, "0 - 50%", "50 - 100%")) == [
        "Indikator 1: skor 2, 3 tidak didefinisikan",
        "Indikator 1: skor 0 ('0 - 50%') dan skor 1 ('50 - 100%') tumpang tindih pada 50"]
    assert _messages(_one(1, "0 - 60%", "50 - 100%", "> 50 - 100%", "95,5 - 100%"))[:3] == [
        "Indikator 1: skor 0 ('0 - 60%') dan skor 1 ('50 - 100%') tumpang tindih antara 50 dan 60",
        "Indikator 1: skor 0 ('0 - 60%') dan skor 2 ('> 50 - 100%') tumpang tindih antara 50 dan 60",
        "Indikator 1: skor 1 ('50 - 100%') dan skor 2 ('> 50 - 100%') tumpang tindih antara 50 dan 100"]
    # a one-value band among ranges, and the gaps either side of it
    assert _messages(_one(3, "0 - 69%", "70-70%", "71 - 100%")) == [
        "Indikator 3: skor 3 tidak didefinisikan",
        "Indikator 3: skor 1 ('70-70%') hanya mencakup satu nilai (70)",
        "Indikator 3: nilai antara 69 dan 70 tidak tercakup oleh skor mana pun",
        "Indikator 3: nilai antara 70 dan 71 tidak tercakup oleh skor mana pun"]
    assert _messages(_one(2, "0%", "1 - 5%", "6 - 20%", "> 20%")) == [
        "Indikator 2: nilai antara 0 dan 1 tidak tercakup oleh skor mana pun",
        "Indikator 2: nilai antara 5 dan 6 tidak tercakup oleh skor mana pun"]


def test_rubric_judgements_missing_levels_and_shared_texts() -> None:
    r = _one(15, "Kurang", "kurang", None, "Baik sekali")
    assert not r.indicators[0].numeric and r.indicators[0].levels() == [0, 1, 3]
    assert pci.check_rubric(r) == [
        pci.Finding(15, "missing", "Indikator 15: skor 2 tidak didefinisikan"),
        pci.Finding(15, "same", "Indikator 15: skor 0 dan skor 1 memakai uraian yang sama ('Kurang')")]
    ind = _one(99, "0 - 10", "11 - 20", "21 - 30", "> 30").indicators[0]
    assert (ind.criterion, ind.name, ind.numeric, ind.percent, ind.previous_year, ind.rule) == (
        0, "Indikator 99", True, False, False, "")
    ref = pci.reference_rubric().by_no()
    assert ref[21].rule == "A+: harus skor 3" and ref[1].rule == "" and ref[24].criterion == 13
    assert ref[1].percent and not ref[11].percent
    assert ref[16].previous_year and not ref[1].previous_year


def test_band_descriptions() -> None:
    assert pci.Band(2, "Baik").describe() == "Baik"
    assert pci.Band(1, "51-70%", 51, 70, True, True, True).describe() == "[51, 70]"
    assert pci.Band(3, "> 20%", 20, math.inf, False, True, True).describe() == "(20, …)"
    assert pci.Band(3, "< 5%", -math.inf, 5, True, False, True).describe() == "(…, 5)"
    assert pci.Band(1, "70-70%", 70, 70, True, True, True).describe() == "70"
    assert pci.Band(2, "0,5-2,5", 0.5, 2.5, False, False, True).describe() == "(0,5, 2,5)"
    assert pci.Band(0, "x", 0, 1, True, True, True).contains(0) and not pci.Band(0, "x", 0, 1, False).contains(0)
    assert pci.Band(0, "x", 0, 1, True, False, True).contains(0.999) and not pci.Band(0, "x", 0, 1, True,
                                                                                      False).contains(1)


def test_parse_rule_and_band_texts() -> None:
    assert pci.parse_rule("Harus mempunyai skor 3 untuk indikator no 21, 24 dan 25") == (3, [21, 24, 25])
    assert pci.parse_rule("Harus mempunyai skor minimum 2 untuk indikator no. 24") == (2, [24])
    assert pci.parse_rule("tanpa aturan") is None and pci.parse_rule("skor 2 saja") is None
    assert pci.parse_rule("   ") is None and pci.parse_rule(3) is None
    assert pci.parse_band("≥ 2,5 ton") == (2.5, math.inf, True, True)
    assert pci.parse_band("< 5%") == (-math.inf, 5.0, True, False)
    assert pci.parse_band(">= 10 - < 20%") == (10.0, 20.0, True, False)
    assert pci.parse_band("lebih dari 3 kali") == (3.0, math.inf, False, True)
    assert pci.parse_band("2 x atau lebih") == (2.0, math.inf, True, True)
    assert pci.parse_band("5 kali") == (5.0, 5.0, True, True)
    assert pci.parse_band("antara 5 dan 7 kali") is None  # two numbers, no range sign: a judgement
    assert pci.parse_band("tidak") == (0.0, 0.0, True, True) and pci.parse_band("belum ada") is None
    assert pci.parse_band("") is None and pci.parse_band(None) is None


def test_vectorised_predicates_fall_back_only_for_step_downs(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(5)
    r = pci.reference_rubric()
    sc = pci.score(r, rng.uniform(60, 100, (400, 26)), rng.integers(1, 4, (400, 26)).astype(float))
    slow = [pci.predicate(float(t), dict(zip(sc.indicators, row, strict=True))) for t, row in
            zip(sc.total, sc.scores, strict=True)]
    steps = sum(p.name != p.by_total for p in slow)
    calls = []
    real = pci.predicate
    monkeypatch.setattr(pci, "predicate", lambda *a: calls.append(a) or real(*a))
    fast = pci.predicates(sc)
    assert fast == slow and 0 < steps < 400
    assert len(calls) == steps  # every other group is decided by the vectorised rule alone


def test_more_rubric_edges_by_hand() -> None:
    assert pci.parse_band("≤ 10%") == (-math.inf, 10.0, True, True)
    ref = pci.reference_rubric().by_no()
    assert ref[1].bands[0].numeric and not ref[15].bands[0].numeric
    method = pci.reference_indicators().set_index("indicator_no")
    assert ref[1].name == str(method.loc[1, "indicator"]) and ref[1].name != "Indikator 1"
    # a one-value band at 100% (or at 0%) is the domain's end, not a suspicious point; at 1% it is
    assert [f.kind for f in pci.check_rubric(_one(1, "0 - 99%", "100%"))] == ["missing", "gap"]
    assert ("point" in [f.kind for f in pci.check_rubric(_one(1, "0%", "1%", "2 - 100%"))])
    # only one-value bands (no ranges): none is singled out
    assert "point" not in [f.kind for f in pci.check_rubric(_one(1, "0%", "50%", "100%"))]
    # counts have no upper end: a last band ending at 150 leaves 151 and more uncovered
    assert _messages(_one(11, "0 kali", "1-50 kali", "51-150 kali", None))[-1] == \
        "Indikator 11: nilai 151 ke atas tidak tercakup oleh skor mana pun"
    # a qualitative indicator's cells carry no note
    values, levels = np.full((1, 26), np.nan), np.full((1, 26), np.nan)
    levels[0, 14] = 2
    assert pci.score(pci.reference_rubric(), values, levels).notes[0, 14] == ""


def _score_row(total: int, fixed: dict[int, int]) -> list[float]:
    """Scores of indicators 1-26 adding up to ``total``: ``fixed`` as given, the others filled with 3s
    from indicator 1 (worked out here, not by the module)."""
    row = {i: 0 for i in range(1, 27)} | fixed
    rest = total - sum(fixed.values())
    for i in (i for i in range(1, 27) if i not in fixed):
        row[i] = min(3, rest)
        rest -= row[i]
    assert rest == 0 and sum(row.values()) == total
    return [float(row[i]) for i in range(1, 27)]


def _scored(rows: list[list[float]], indicators: list[int] | None = None,
            weighted: list[float] | None = None) -> pci.Scored:
    scores = np.array(rows, dtype=float)
    total = scores.sum(axis=1)
    return pci.Scored(indicators or list(range(1, 27)), scores, np.full(scores.shape, "", dtype=object), total,
                      np.array(weighted, dtype=float) if weighted else total, np.ones(len(rows), dtype=bool))


def test_only_step_downs_take_the_slow_path_and_rules_hold_at_their_exact_minimum(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # the method: Teladan 76-78 needs 3 on 21, 24, 25; Maju 60-75 needs at least 2 on 24 and 25
    cases = [
        (78, {}, "Teladan", False),
        (76, {21: 3, 24: 3, 25: 3}, "Teladan", False),             # exactly 3: holds
        (77, {21: 2, 24: 3, 25: 3}, "Maju", True),                  # 21 below 3: one step down
        (60, {24: 2, 25: 2}, "Maju", False),                        # exactly 2: holds
        (65, {24: 1, 25: 3}, "Berkembang", True),
        (76, {21: 3, 24: 3, 25: 1}, "Berkembang", True),            # two steps down
        (45, {}, "Berkembang", False),
        (10, {}, "Perlu ditingkatkan", False),
    ]
    sc = _scored([_score_row(t, f) for t, f, _, _ in cases])
    calls: list[tuple] = []
    real = pci.predicate
    monkeypatch.setattr(pci, "predicate", lambda *a: calls.append(a) or real(*a))
    got = pci.predicates(sc)
    assert [p.name for p in got] == [c[2] for c in cases]
    assert [bool(p.reasons) for p in got] == [c[3] for c in cases]
    assert [a[0] for a in calls] == [77.0, 65.0, 76.0]  # the three step-downs, nothing else


def test_a_rule_indicator_the_rubric_lacks_counts_as_zero() -> None:
    # a local rubric without indicators 21-26: Maju's rule on 24 and 25 cannot hold
    sc = _scored([[3.0] * 20 + [0.0]], indicators=list(range(1, 21)) + [22])
    assert sc.total[0] == 60
    p = pci.predicates(sc)[0]
    assert (p.name, p.by_total) == ("Berkembang", "Maju")
    assert "(skor: 24 = 0, 25 = 0)" in p.reasons[0]


def test_step_down_reasons_quote_the_total_that_was_ranked() -> None:
    # weighted 77 (Teladan) but indicator 21 = 2: down to Maju; the plain total 70 is Maju, and 24 = 1 fails it
    row = _score_row(70, {21: 2, 24: 1, 25: 3})
    sc = _scored([row], weighted=[77.0])
    w = pci.predicates(sc, use_weights=True)[0]
    assert (w.name, w.by_total) == ("Berkembang", "Teladan")
    assert w.reasons[0].startswith("Total 77 memenuhi rentang Teladan (76-78)")
    plain = pci.predicates(sc)[0]
    assert (plain.name, plain.by_total) == ("Berkembang", "Maju")
    assert plain.reasons[0].startswith("Total 70 memenuhi rentang Maju (60-75)")


def _levels_rubric(*levels: tuple[int, ...]) -> pci.Rubric:
    """A rubric of qualitative indicators 1, 2, … with only the given levels defined."""
    return pci.Rubric(tuple(pci.Indicator(no, 1, f"I{no}", tuple(pci.Band(s, f"t{s}") for s in lv), False, False,
                                          False) for no, lv in enumerate(levels, start=1)))


def test_levels_for_total_lowers_the_highest_until_the_sum_fits() -> None:
    # levels {2,3}, {2,3}, {3}: filling from the top gives 3 + 3 + 3 = 9; the first indicators drop first
    r = _levels_rubric((2, 3), (2, 3), (3,))
    assert pci.levels_for_total(r, 7, {}) == {1: 2, 2: 2, 3: 3}
    assert pci.levels_for_total(r, 8, {}) == {1: 2, 2: 3, 3: 3}
    assert pci.levels_for_total(r, 7, {3: 3}) == {3: 3, 1: 2, 2: 2}
    with pytest.raises(ValueError, match="total 6 tidak bisa dicapai dengan skor tetap {}"):
        pci.levels_for_total(r, 6, {})  # the least is 2 + 2 + 3
    with pytest.raises(ValueError, match=r"total 2 tidak bisa dicapai dengan skor tetap \{1: 3\}"):
        pci.levels_for_total(pci.reference_rubric(), 2, {1: 3})


def test_rubric_checker_limits_by_hand() -> None:
    # a band lying wholly inside an earlier one does not end the walk: no gap after it
    assert [f.kind for f in pci.check_rubric(_one(1, "0 - 50%", "10 - 20%", "> 50 - 100%"))] == [
        "missing", "overlap"]
    # "< 50%" and "> 50%" leave exactly 50 uncovered; "> 50 - < 100%" leaves 100
    assert _messages(_one(1, "< 50%", "> 50%"))[-1] == "Indikator 1: nilai 50 tidak tercakup oleh skor mana pun"
    assert _messages(_one(1, "0 - 50%", "> 50 - < 100%"))[-1] == \
        "Indikator 1: nilai 100 tidak tercakup oleh skor mana pun"
    assert _messages(_one(1, "0 - 50%", "> 50 - 100%", "100%"))[1:] == [
        "Indikator 1: skor 1 ('> 50 - 100%') dan skor 2 ('100%') tumpang tindih pada 100"]
    # counts: a last band ending before 5 (excluded) leaves 5 and more
    assert _messages(_one(11, "tidak ada", "1 - < 5 kali"))[-1] == \
        "Indikator 11: nilai 5 ke atas tidak tercakup oleh skor mana pun"
    # a band written the wrong way round covers nothing: named, and the values it meant are a gap
    assert pci.check_rubric(_one(1, "0 - 50%", "> 70 - 50%", "> 70 - 100%"))[1:] == [
        pci.Finding(1, "empty", "Indikator 1: skor 1 ('> 70 - 50%') tidak mencakup nilai apa pun (batas bawah "
                                "melewati batas atas)"),
        pci.Finding(1, "gap", "Indikator 1: nilai antara 50 dan 70 tidak tercakup oleh skor mana pun")]
    # "> 5 - 5%" holds no value either (5 is excluded at one end); it is not a one-value band
    assert [(f.kind, f.message[:29]) for f in pci.check_rubric(_one(1, "0 - 5%", "> 5 - 5%", "> 5 - 100%"))] == [
        ("missing", "Indikator 1: skor 3 tidak did"), ("empty", "Indikator 1: skor 1 ('> 5 - 5")]
