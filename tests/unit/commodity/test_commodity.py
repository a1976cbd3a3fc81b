"""Commodity selection: known answers for scores, consensus, robustness and flips; workshop storage;
concurrent participants."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analytics.commodity import data_scores, scoring, workshop
from analytics.commodity import store as commodity_store
from analytics.core.auth import PermissionDenied
from analytics.core.db import Database
from analytics.poverty import store as poverty_store

NAMES = ["kopi", "jahe_merah", "cabai"]
CRITS = ["jangkauan", "pendapatan", "sistemik", "lainnya"]
SCORES = np.array([[5, 3, 4, 2],    # kopi
                   [2, 5, 3, 4],    # jahe merah
                   [4, 4, 2, 3]])   # cabai


def test_weighted_scores_by_hand() -> None:
    w = np.array([5, 3, 2, 1])
    # kopi: (5·4 + 3·2 + 2·3 + 1·1) / 4 / 11 · 100 = 33/44 · 100 = 75
    expected = [100 * (5 * 4 + 3 * 2 + 2 * 3 + 1 * 1) / 4 / 11,
                100 * (5 * 1 + 3 * 4 + 2 * 2 + 1 * 3) / 4 / 11,
                100 * (5 * 3 + 3 * 3 + 2 * 1 + 1 * 2) / 4 / 11]
    np.testing.assert_allclose(scoring.weighted_scores(SCORES, w), expected)
    r = scoring.ranking(NAMES, SCORES, w)
    assert r["commodity"].tolist() == ["kopi", "cabai", "jahe_merah"]
    assert r["skor"].iloc[0] == pytest.approx(75.0)
    # equal weights scale-free: all 3s give 50 whatever the weights
    assert scoring.weighted_scores(np.full((1, 4), 3), w)[0] == pytest.approx(50)


def test_group_weights_and_consensus() -> None:
    w = pd.DataFrame({"jangkauan": [5, 5, 5, 5], "pendapatan": [1, 5, 1, 5], "sistemik": [2, 4, 8 / 2, 1]})
    g = scoring.group_weights(w).set_index("criterion")
    assert g.loc["jangkauan", "consensus"] == 1.0 and g.loc["jangkauan", "sd"] == 0
    assert g.loc["pendapatan", "consensus"] == pytest.approx(0.0)
    assert g.loc["pendapatan", "geomean"] == pytest.approx(np.sqrt(5))
    assert g.loc["pendapatan", "median"] == 3 and g.loc["pendapatan", "mean"] == 3
    # Tastle-Wierman by hand for 2, 4, 4, 1: mu = 2.75
    v = np.array([2, 4, 4, 1])
    mu = v.mean()
    expected = 1 + sum(p * np.log2(1 - abs(k - mu) / 4) for k, p in ((1, .25), (2, .25), (4, .5)))
    assert g.loc["sistemik", "consensus"] == pytest.approx(expected)


def test_smallest_flip_is_exact() -> None:
    w = np.array([5.0, 3.0, 2.0, 1.0])
    flip = scoring.smallest_flip(NAMES, CRITS, SCORES, w)
    # by hand: kopi leads jahe merah by Σ w (s_kopi − s_jahe) = 5·3 − 3·2 + 2·1 − 1·2 = 9; the jangkauan
    # difference is 3, so jangkauan 5 → 2 ties them. Every other tie (with cabai, or via another weight)
    # needs a weight outside 1-5 (e.g. sistemik 2 → −0.5 for cabai).
    assert flip == scoring.Flip("jangkauan", 5.0, 2.0, "jahe_merah")
    # applying the flip (a hair further) makes jahe merah first
    trial = w.copy()
    trial[CRITS.index(flip.criterion)] = flip.to_weight + np.sign(flip.to_weight - flip.from_weight) * 0.01
    assert scoring.ranking(NAMES, SCORES, trial)["commodity"].iloc[0] == flip.new_top
    # and no change of any single weight by less than that flips it (grid check)
    for j in range(4):
        for new in np.linspace(1, 5, 81):  # steps of 0,05
            if abs(new - w[j]) < flip.change - 0.011:
                t = w.copy()
                t[j] = new
                assert scoring.ranking(NAMES, SCORES, t)["commodity"].iloc[0] == "kopi"


def test_no_flip_when_one_commodity_dominates() -> None:
    s = np.array([[5, 5, 5, 5], [1, 1, 1, 1]])
    assert scoring.smallest_flip(["a", "b"], CRITS, s, np.array([3, 3, 3, 3])) is None


def test_robustness_single_set_and_participants() -> None:
    s = np.array([[5, 5, 5, 5], [1, 1, 1, 1], [3, 3, 3, 3], [3, 4, 2, 3]])
    names = ["a", "b", "c", "d"]
    r = scoring.robustness(names, s, np.array([3, 3, 3, 3]), k=1, draws=2000)
    t = r.table.set_index("commodity")
    assert r.method == "satu_langkah" and t.loc["a", "p_top1"] == 1.0 and t.loc["a", "badge"] == "kokoh"
    assert np.allclose(r.acceptability.sum(axis=1), 1.0) and np.allclose(r.acceptability.sum(axis=0), 1.0)
    # two commodities that trade places depending on weights → fragile
    s2 = np.array([[5, 1], [1, 5]])
    people = np.array([[5, 1], [1, 5], [5, 1], [1, 5]])
    r2 = scoring.robustness(["x", "y"], s2, people, k=1, draws=4000)
    assert r2.method == "peserta"
    assert set(r2.table["badge"]) == {"rapuh"}
    assert r2.table["p_top1"].sum() == pytest.approx(1.0)
    assert 0.3 < r2.table["p_top1"].iloc[0] < 0.7


def test_robustness_moves_the_scores_too_exact_enumeration() -> None:
    """Issue 18, item 6, against exact enumeration: one criterion, A scored 3 and B 2, each moved by −1, 0 or
    +1 (equally likely) in every draw. Of the 9 pairs A wins 6 (2>1, 3>1, 3>2, 4>1, 4>2, 4>3) and ties 2
    (2=2, 3=3), ties broken at random: P(A first) = (6 + 2 × ½) ÷ 9 = 7/9. Fixed scores: A always first."""
    s = np.array([[3], [2]])
    fixed = scoring.robustness(["A", "B"], s, np.array([3]), k=1, draws=20_000)
    assert fixed.table.set_index("commodity").loc["A", "p_top1"] == 1.0 and fixed.score_step == 0
    moved = scoring.robustness(["A", "B"], s, np.array([3]), k=1, draws=40_000, score_step=1)
    assert moved.table.set_index("commodity").loc["A", "p_top1"] == pytest.approx(7 / 9, abs=0.01)
    assert moved.score_step == 1
    # kept within 1-5: A at 5 moves to 4, 5 or 5 (6 is kept at 5), B at 4 to 3, 4 or 5. Of the 9 pairs A wins
    # 4>3, 5>3, 5>4, 5>3, 5>4 = 5 and ties 4=4, 5=5, 5=5 = 3 → (5 + 3 × ½) ÷ 9
    top = scoring.robustness(["A", "B"], np.array([[5], [4]]), np.array([3]), k=1, draws=40_000, score_step=1)
    assert top.table.set_index("commodity").loc["A", "p_top1"] == pytest.approx(6.5 / 9, abs=0.01)


def test_robustness_uses_the_participants_and_the_ranking_on_screen() -> None:
    """Weights not given are not zeros: a participant who set only criterion 1 adds to criterion 1's draws
    only; the ranking "now" is the one shown (the vector passed), not a mean over other participants."""
    s = np.array([[5, 1], [1, 5]])
    people = np.array([[5, np.nan], [5, np.nan], [1, 1], [np.nan, np.nan]])  # the last set nothing
    r = scoring.robustness(["x", "y"], s, people, k=1, draws=20_000)
    # criterion 2 is always 1 (the only given weight); criterion 1 is 5 with 2/3, 1 with 1/3: x wins when
    # criterion 1 is 5 (5:1) and ties at 1:1 (broken at random) → P(x first) = 2/3 + 1/3 × ½ = 5/6
    assert r.method == "peserta" and r.participants == 3
    assert r.table.set_index("commodity").loc["x", "p_top1"] == pytest.approx(5 / 6, abs=0.01)
    shown = scoring.robustness(["x", "y"], s, people, k=1, draws=1_000, now=np.array([1.0, 4.0]))
    assert shown.table.set_index("commodity").loc["y", "rank_now"] == 1  # as the ranking on screen says


# ---------------------------------------------------------------------- storage
@pytest.fixture()
def db(db_copy: Path):
    d = Database(db_copy)
    yield d
    d.close()


def _session(db: Database, title: str = "Seleksi komoditas Kab. Malang") -> int:
    sid, code = commodity_store.create_session(db, "pokja", "fasilitator", "35.07", date(2026, 11, 23),
                                        title, ["kopi", "jahe_merah", "cabai"], "Kepanjen")
    assert len(code) == 6 and workshop.session_by_code(db, code.lower())["id"] == sid
    return sid


def test_session_participants_weights_history(db: Database) -> None:
    sid = _session(db)
    assert commodity_store.ws_criteria(db, sid)["criterion"].tolist() == CRITS
    p1, c1 = commodity_store.join(db, sid, "Sari", "Bappeda")
    p2, c2 = commodity_store.join(db, sid, "Budi")
    assert (c1, c2) == ("P01", "P02")
    commodity_store.set_weights(db, sid, p1, {"jangkauan": 5, "pendapatan": 4})
    commodity_store.set_weight(db, sid, p1, "jangkauan", 3)  # a later move of the slider
    commodity_store.set_weight(db, sid, p2, "jangkauan", 5)
    m = workshop.weights_matrix(db, sid)
    assert m.loc["P01", "jangkauan"] == 3 and m.loc["P02", "jangkauan"] == 5 and np.isnan(m.loc["P02", "sistemik"])
    assert commodity_store.ws_weight_rows(db, sid) == 4  # every change kept
    named = workshop.weights_matrix(db, sid, show_names=True)
    assert list(named.index) == ["Sari", "Budi"]
    with pytest.raises(ValueError):
        commodity_store.set_weight(db, sid, p1, "jangkauan", 6)


def test_scores_keep_computed_and_override(db: Database) -> None:
    sid = _session(db)
    commodity_store.set_score(db, "pokja", "f", sid, "kopi", "jangkauan", 3, "dihitung", "data", computed=3)
    with pytest.raises(ValueError, match="alasan"):
        commodity_store.set_score(db, "pokja", "f", sid, "kopi", "jangkauan", 5, "lebih tinggi", "diskusi", computed=3)
    commodity_store.set_score(db, "pokja", "f", sid, "kopi", "jangkauan", 5, "petani kopi baru belum tercatat",
                       "survei lapangan", computed=3, override_reason="data produksi 2024 belum lengkap")
    cur = commodity_store.ws_current_scores(db, sid).set_index(["commodity", "criterion"]).loc[("kopi", "jangkauan")]
    assert cur["score"] == 5 and cur["computed"] == 3 and cur["override_reason"].startswith("data produksi")
    with pytest.raises(PermissionDenied):
        commodity_store.set_score(db, "viewer", "v", sid, "kopi", "jangkauan", 2, "x", "y")
    cands, crits, mat, _ = workshop.score_matrix(db, sid)
    assert mat.shape == (3, 4) and mat[cands.index("kopi"), crits.index("jangkauan")] == 5


def test_decisions(db: Database) -> None:
    sid = _session(db)
    with pytest.raises(ValueError):
        commodity_store.decide(db, "pokja", "f", sid, "final", ["kopi", "cabai"], "dua")
    commodity_store.decide(db, "pokja", "f", sid, "shortlist", ["kopi", "cabai", "jahe_merah"], "skor tertinggi")
    commodity_store.decide(db, "pokja", "f", sid, "final", ["kopi"], "kokoh dan jangkauan terbesar")
    d = commodity_store.ws_decisions(db, sid)
    assert d["kind"].tolist() == ["shortlist", "final"] and list(d["commodities"].iloc[1]) == ["kopi"]


WRITES = 12  # each criterion written three times by each participant


def test_thirty_concurrent_participants_lose_nothing(db: Database) -> None:
    """30 threads writing at once (12 weights each here; ``commodity.lost_writes`` in the bench writes 100)."""
    sid = _session(db)
    ids = [commodity_store.join(db, sid, f"Peserta {i}")[0] for i in range(30)]
    errors: list[BaseException] = []
    start = threading.Barrier(30)

    def participant(pid: int, i: int) -> None:
        try:
            start.wait()
            for n in range(WRITES):
                commodity_store.set_weight(db, sid, pid, CRITS[n % 4], 1 + (i + n) % 5)
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=participant, args=(pid, i)) for i, pid in enumerate(ids)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert commodity_store.ws_weight_rows(db, sid) == 30 * WRITES
    m = workshop.weights_matrix(db, sid)
    # each participant's last write per criterion is the current value
    for i, code in enumerate(m.index):
        for k, crit in enumerate(CRITS):
            last_n = max(n for n in range(WRITES) if n % 4 == k)
            assert m.loc[code, crit] == 1 + (i + last_n) % 5


def test_computed_scores_from_the_poverty_layer(ro_db: Database) -> None:
    cands = ["kopi", "jahe_merah", "rumput_laut", "cabai"]
    sc = data_scores.computed_scores(ro_db, "35.07", 2024, cands)
    reach = sc[sc["criterion"] == "jangkauan"].set_index("commodity")
    # by hand: productive desil 2-3 households in desa producing cabai
    prod = commodity_store.desa_production(ro_db, "35.07", 2024)
    desa = set(prod.loc[(prod["commodity"] == "cabai") & (prod["value"] > 0), "kode"])
    reg = poverty_store.register_rows(ro_db, "35.07", 2024, "Data contoh (sintetis)")
    reg = reg[reg["desil"].isin([2, 3]) & reg["kode"].isin(desa) & (reg["sektor"] != "jasa dan lainnya")]
    assert reach.loc["cabai", "raw"] == reg["households"].sum()
    assert reach["score"].between(1, 5).all() and reach["score"].max() == 5 and reach["score"].min() == 1
    assert "desil 2 + desil 3" in reach["formula"].iloc[0]
    only_pockets = data_scores.computed_scores(ro_db, "35.07", 2024, cands, pockets=set(list(desa)[:5]))
    r2 = only_pockets[only_pockets["criterion"] == "jangkauan"].set_index("commodity")
    assert r2.loc["cabai", "raw"] <= reach.loc["cabai", "raw"]
    grow = sc[sc["criterion"] == "pendapatan"].set_index("commodity")
    p = commodity_store.kab_production(ro_db, "35.07")
    kopi = p[p["commodity"] == "kopi"].set_index("period")["value"]
    if kopi.get(2021, 0) > 0:
        assert grow.loc["kopi", "raw"] == pytest.approx((kopi[2024] / kopi[2021]) ** (1 / 3) - 1)


def test_decision_record_docx_and_xlsx(db: Database) -> None:
    import io

    from docx import Document
    from openpyxl import load_workbook

    from analytics.commodity import decision_record
    from analytics.render import documents

    sid = _session(db)
    for i, name in enumerate(["Sari", "Budi"]):
        pid, _ = commodity_store.join(db, sid, name, "Bappeda")
        commodity_store.set_weights(db, sid, pid, dict(zip(CRITS, [5 - i, 3, 2 + i, 1], strict=False)))
    for k, com in enumerate(NAMES):
        for j, crit in enumerate(CRITS):
            commodity_store.set_score(db, "pokja", "f", sid, com, crit, int(SCORES[k, j]), f"alasan {com}",
                                      "diskusi Pokja")
    commodity_store.decide(db, "pokja", "f", sid, "shortlist", ["kopi", "cabai", "jahe_merah"], "tiga teratas")
    commodity_store.decide(db, "pokja", "f", sid, "final", ["kopi"], "kokoh dan jangkauan terbesar")
    rec = decision_record.build(db, sid)
    assert rec.ranking["komoditas"].iloc[0] == "Kopi"
    doc = Document(io.BytesIO(documents.decision_record_docx(rec)))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "BERITA ACARA SELEKSI KOMODITAS" in text and "Data contoh (sintetis)" in text
    assert "Kepanjen" in text and "Pilihan akhir: Kopi" in text and "kokoh dan jangkauan terbesar" in text
    assert "Versi data: basis data skema" in text
    assert "Sari" in cells and "P02" in cells and "diskusi Pokja" in cells and "Konsensus" in cells
    wb = load_workbook(io.BytesIO(documents.decision_record_xlsx(rec)))
    assert {"Berita acara", "Peserta", "Bobot peserta", "Bobot kelompok", "Skor", "Peringkat", "Kekokohan",
            "Keputusan"} <= set(wb.sheetnames)
    assert wb["Peringkat"]["A1"].value == "Data contoh (sintetis) — bukan data resmi"


def test_rejoin_with_token_until_closed(db: Database) -> None:
    sid = _session(db)
    pid, code = commodity_store.join(db, sid, "Sari")
    commodity_store.set_weights(db, sid, pid, {"jangkauan": 4, "lainnya": 2})
    token = commodity_store.participant_token(db, sid, pid)
    assert len(token) >= 16
    assert workshop.rejoin(db, token) == {"sid": sid, "pid": pid, "pcode": code}
    assert workshop.my_weights(db, sid, pid) == {"jangkauan": 4, "lainnya": 2}
    assert workshop.rejoin(db, "bukan-token") is None
    with pytest.raises(PermissionDenied):
        commodity_store.close_session(db, "viewer", "v", sid)
    commodity_store.close_session(db, "pokja", "f", sid)
    assert workshop.rejoin(db, token) is None
    assert workshop.session_by_code(db, commodity_store.ws_session(db, sid)["join_code"]) is None


def test_criteria_editor_add_rename_remove(db: Database) -> None:
    sid = _session(db)
    table = commodity_store.ws_criteria(db, sid)[["criterion", "nama", "description"]].copy()
    table.loc[0, "nama"] = "Jangkauan kelompok miskin"
    table = table[table["criterion"] != "lainnya"]
    table = pd.concat([table, pd.DataFrame([{"criterion": None, "nama": "Kesetaraan gender",
                                             "description": "Peran perempuan"}])], ignore_index=True)
    commodity_store.save_criteria(db, "pokja", "f", sid, table)
    crit = commodity_store.ws_criteria(db, sid)
    assert crit["criterion"].tolist() == ["jangkauan", "pendapatan", "sistemik", "kesetaraan_gender"]
    assert crit["nama"].iloc[0] == "Jangkauan kelompok miskin"
    dup = pd.concat([table, table.tail(1).assign(criterion=None)], ignore_index=True)
    with pytest.raises(ValueError, match="ganda"):
        commodity_store.save_criteria(db, "pokja", "f", sid, dup)


# ---------------------------------------------------------------- ranking rules pinned (issue 13)
def test_weighted_scores_for_one_vector_and_for_draws() -> None:
    s = np.array([[5, 5], [1, 1], [5, 1]])
    # normalised (s − 1) / 4: [1, 1], [0, 0], [1, 0]; weights 1 and 3 → 100, 0, 25; weights 1 and 1 → 50
    np.testing.assert_allclose(scoring.weighted_scores(s, np.array([1, 3])), [100, 0, 25])
    draws = scoring.weighted_scores(s, np.array([[1, 3], [1, 1], [4, 0]]))
    np.testing.assert_allclose(draws, [[100, 0, 25], [100, 0, 50], [100, 0, 100]])


def test_ranking_ties_share_the_better_rank_and_are_listed_by_name() -> None:
    s = np.array([[3, 3], [5, 5], [3, 3], [3, 3], [1, 1]])
    r = scoring.ranking(["kopi", "cabai", "jagung", "bawang", "padi"], s, np.array([2, 2]))
    assert r.to_dict("list") == {"peringkat": [1, 2, 2, 2, 5],
                                 "commodity": ["cabai", "bawang", "jagung", "kopi", "padi"],
                                 "skor": [100.0, 50.0, 50.0, 50.0, 0.0]}
    assert r["peringkat"].dtype.kind == "i"


def test_consensus_by_the_tastle_wierman_formula() -> None:
    assert scoring.consensus(np.array([4])) == 1.0 and np.isnan(scoring.consensus(np.array([])))
    # [1, 2]: mean 1.5; 1 − Σ p log2(1 − |x − μ| / 4) → 1 + log2(1 − 0.5 / 4)
    assert scoring.consensus(np.array([1, 2])) == pytest.approx(1 + np.log2(0.875))
    v = np.array([1, 2, 4])
    mu = 7 / 3
    expected = 1 + sum(np.log2(1 - abs(x - mu) / 4) / 3 for x in v)
    assert scoring.consensus(v) == pytest.approx(expected)


def test_group_weights_by_hand() -> None:
    w = pd.DataFrame({"a": [1.0, 2.0, 4.0], "b": [5.0, np.nan, np.nan], "c": [np.nan] * 3})
    g = scoring.group_weights(w).set_index("criterion")
    a = g.loc["a"]
    assert (a["n"], a["mean"], a["median"], a["min"], a["max"]) == (3, pytest.approx(7 / 3), 2.0, 1.0, 4.0)
    assert a["geomean"] == pytest.approx(2.0)  # (1 × 2 × 4) ^ (1/3)
    assert a["sd"] == pytest.approx(np.sqrt(7 / 3))  # Σ(x − 7/3)² / 2 = 42 / 18
    assert a["consensus"] == pytest.approx(1 + sum(np.log2(1 - abs(x - 7 / 3) / 4) / 3 for x in (1, 2, 4)))
    b = g.loc["b"]
    assert (b["n"], b["mean"], b["median"], b["geomean"], b["sd"], b["min"], b["max"], b["consensus"]) == \
        (1, 5.0, 5.0, pytest.approx(5.0), 0.0, 5.0, 5.0, 1.0)
    c = g.loc["c"]
    assert c["n"] == 0 and c["sd"] == 0.0
    assert all(np.isnan(c[k]) for k in ("mean", "median", "geomean", "min", "max", "consensus"))
    assert g.columns.tolist() == ["n", "mean", "median", "geomean", "sd", "min", "max", "consensus"]


def test_smallest_flip_cases_by_hand() -> None:
    # A [5, 1] vs B [1, 5] with weights 3 and 2: A leads by Σ w (sA − sB) = 3·4 − 2·4 = 4; lowering k1 by
    # 4 / 4 = 1 (to 2) or raising k2 by 1 (to 3) ties them; the first found (k1) is kept on equal change
    s = np.array([[5, 1], [1, 5], [3, 3]])
    assert scoring.smallest_flip(["A", "B", "C"], ["k1", "k2"], s, np.array([3.0, 2.0])) == \
        scoring.Flip("k1", 3.0, 2.0, "B")
    # a lead of 1 over a difference of 3: a third of a point; shown to two decimals
    f = scoring.smallest_flip(["A", "B"], ["k1", "k2"], np.array([[4, 1], [1, 4]]), np.array([3.0, 8 / 3]))
    assert f == scoring.Flip("k1", 3.0, 2.67, "B") and f.change == pytest.approx(0.33)
    # already tied: the smallest nudge decides (A is first by order, B takes over)
    assert scoring.smallest_flip(["A", "B"], ["k1", "k2"], np.array([[5, 1], [1, 5]]), np.array([2.0, 2.0])) == \
        scoring.Flip("k1", 2.0, 2.0, "B")
    # the first criterion does not separate them (difference 0), the second does by exactly 1 point
    f = scoring.smallest_flip(["A", "B"], ["k1", "k2"], np.array([[3, 3], [3, 2]]), np.array([1.0, 1.0]))
    assert f is None  # A leads on k2 only: no weight change within 1-5 can put B first
    f = scoring.smallest_flip(["A", "B"], ["k1", "k2", "k3"], np.array([[3, 3, 1], [3, 2, 2]]),
                              np.array([2.0, 1.0, 1.5]))
    # A − B = [0, 1, −1]; lead 1 − 1.5 < 0? no: Σ w·diff = 0·2 + 1·1 − 1·1.5 = −0.5 → B leads: top is B;
    # B − A = [0, −1, 1], lead 0.5: lower k3 by 0.5 (to 1.0) or raise k2 by 0.5 (to 1.5): k2 found first
    assert f == scoring.Flip("k2", 1.0, 1.5, "A")
    # nothing within the scale: B can never catch up
    assert scoring.smallest_flip(["A", "B"], ["k1"], np.array([[5], [1]]), np.array([3.0])) is None


def test_weight_draws_bootstrap_or_one_step() -> None:
    rng = np.random.default_rng(0)
    draws, method = scoring.sample_weights(np.array([3.0, 1.0, 5.0]), 600, rng)
    assert method == "satu_langkah" and draws.shape == (600, 3)
    assert set(draws[:, 0]) == {2.0, 3.0, 4.0} and set(draws[:, 1]) == {1.0, 2.0} and set(draws[:, 2]) == {4.0, 5.0}
    two, method = scoring.sample_weights(np.array([[1.0, 5.0], [3.0, 2.0]]), 200, np.random.default_rng(1))
    assert method == "peserta" and set(two[:, 0]) == {1.0, 3.0} and set(two[:, 1]) == {5.0, 2.0}


def test_robustness_when_the_order_cannot_change() -> None:
    # scores equal on both criteria: whatever the weights, the order is C, A, B (listed C, A, B, D, E)
    s = np.array([[5, 5], [4, 4], [1, 1], [3, 3], [2, 2]])
    names = ["C", "A", "B", "D", "E"]
    r = scoring.robustness(names, s, np.array([[3, 1], [1, 5]]))
    assert r.draws == 10_000 and r.method == "peserta"
    assert r.table.to_dict("list") == {
        "commodity": ["C", "A", "D", "E", "B"], "rank_now": [1, 2, 3, 4, 5],
        "in_topk_now": [True, True, True, False, False], "p_top1": [1.0, 0, 0, 0, 0],
        "p_topk": [1.0, 1.0, 1.0, 0, 0], "stable_share": [1.0] * 5, "badge": ["kokoh"] * 5}
    assert r.acceptability.index.tolist() == names
    assert r.acceptability.to_numpy().tolist() == [[1, 0, 0, 0, 0], [0, 1, 0, 0, 0], [0, 0, 0, 0, 1],
                                                   [0, 0, 1, 0, 0], [0, 0, 0, 1, 0]]
    assert scoring.robustness(names, s, np.array([3, 3]), stable=1.0).table["badge"].eq("kokoh").all()
    assert scoring.robustness(names, s, np.array([3, 3]), k=4).table["p_topk"].tolist() == [1, 1, 1, 1, 0]


def test_robustness_ties_are_broken_at_random_and_the_seed_repeats() -> None:
    s = np.array([[3, 3], [3, 3], [1, 1]])
    r = scoring.robustness(["A", "B", "C"], s, np.array([3, 3]), k=1)
    p = r.table.set_index("commodity")["p_top1"]
    assert abs(p["A"] - 0.5) < 0.03 and abs(p["B"] - 0.5) < 0.03 and p["C"] == 0  # not "A by order"
    # A and B both rank 1 now (k = 1): stable share = their chance of staying in; C: of staying out
    t = r.table.set_index("commodity")
    assert t.loc["C", "stable_share"] == 1.0 and t.loc["A", "stable_share"] == t.loc["A", "p_topk"]
    assert (t["badge"] == ["rapuh", "rapuh", "kokoh"]).all()
    # A [4, 2] leads B [2, 4] now (weights 3 and 2.9); ±1 steps give 9 equally likely pairs, A first in the
    # 6 with w1 > w2: P(A first) = 2/3; B, out of the top 1 now, stays out with probability 2/3
    close = scoring.robustness(["A", "B"], np.array([[4, 2], [2, 4]]), np.array([3.0, 2.9]), k=1).table
    close = close.set_index("commodity")
    assert close["p_top1"].tolist() == pytest.approx([2 / 3, 1 / 3], abs=0.02)
    assert close.loc["B", "stable_share"] == pytest.approx(2 / 3, abs=0.02)
    assert close["badge"].tolist() == ["rapuh", "rapuh"]
    again = scoring.robustness(["A", "B", "C"], s, np.array([3, 3]), k=1, seed=7)
    pd.testing.assert_frame_equal(r.table, again.table)
    assert scoring.missing_scores(np.array([])) and scoring.missing_scores(np.array([[1, np.nan]]))
    assert not scoring.missing_scores(np.array([[1, 2]]))


def test_smallest_flip_through_a_difference_of_one_and_after_a_zero() -> None:
    # A [2, 1] vs B [1, 2], weights 3 and 2: A leads by 1; k1 (difference exactly 1) down to 2, or k2 up to 3
    assert scoring.smallest_flip(["A", "B"], ["k1", "k2"], np.array([[2, 1], [1, 2]]), np.array([3.0, 2.0])) == \
        scoring.Flip("k1", 3.0, 2.0, "B")
    # the first criterion does not separate them; the third does: raise it from 1 to 2 (+ a hair)
    f = scoring.smallest_flip(["A", "B"], ["k1", "k2", "k3"], np.array([[3, 4, 1], [3, 2, 2]]), np.array([1.0] * 3))
    assert f == scoring.Flip("k3", 1.0, 2.0, "B")


def test_robustness_noise_only_breaks_exact_ties() -> None:
    # B beats A by 25 × 1 / 36 = 0.69 points (one weight of 1 among 5s over eight criteria): every draw
    s = np.array([[3] * 8, [3] * 7 + [4]])
    w = np.array([[5.0] * 7 + [1.0]] * 2)  # two participants with the same weights: every draw is the same
    r = scoring.robustness(["A", "B"], s, w, k=1)
    assert r.table.set_index("commodity")["p_top1"].to_dict() == {"A": 0.0, "B": 1.0}
    assert r.table["rank_now"].dtype.kind == "i"
    assert r.acceptability.columns.tolist() == ["peringkat_1", "peringkat_2"]


def test_group_weights_of_two_participants() -> None:
    g = scoring.group_weights(pd.DataFrame({"a": [1.0, 3.0]})).iloc[0]
    assert g["sd"] == pytest.approx(np.sqrt(2)) and g["median"] == 2.0 and g["geomean"] == pytest.approx(np.sqrt(3))


def test_closed_workshop_and_foreign_or_unknown_inputs_are_refused_and_change_nothing(db: Database) -> None:
    sid = _session(db)
    other = _session(db, "Lokakarya kedua")  # the same form twice would be the same workshop
    p1, _ = commodity_store.join(db, sid, "Sari")
    p_other, _ = commodity_store.join(db, other, "Budi")
    before = db.table_checksums()
    for call, why in [
        (lambda: commodity_store.set_weights(db, sid, p1, {"tidak_ada": 3}), "Kriteria tidak ada di lokakarya ini"),
        (lambda: commodity_store.set_weights(db, sid, p_other, {"jangkauan": 3}), "tidak terdaftar di lokakarya ini"),
        (lambda: commodity_store.set_weights(db, sid, 999_999, {"jangkauan": 3}), "tidak terdaftar"),
        (lambda: commodity_store.set_weights(db, 999_999, p1, {"jangkauan": 3}), "Lokakarya 999999 tidak ada"),
        (lambda: commodity_store.set_score(db, "pokja", "f", sid, "garam", "jangkauan", 3, "x", "data"),
         "bukan calon di lokakarya ini: garam"),
        (lambda: commodity_store.decide(db, "pokja", "f", sid, "final", ["karet"], "alasan"), "bukan calon"),
    ]:
        with pytest.raises(ValueError, match=why):
            call()
    assert db.table_checksums() == before
    commodity_store.set_weights(db, sid, p1, {"jangkauan": 4})  # the same, rightly addressed, is stored
    commodity_store.close_session(db, "pokja", "f", sid)
    before = db.table_checksums()
    closed = "sudah ditutup"
    for call in [lambda: commodity_store.set_weights(db, sid, p1, {"jangkauan": 5}),
                 lambda: commodity_store.set_weight(db, sid, p1, "jangkauan", 5),
                 lambda: commodity_store.set_score(db, "pokja", "f", sid, "kopi", "jangkauan", 3, "x", "data"),
                 lambda: commodity_store.decide(db, "pokja", "f", sid, "final", ["kopi"], "alasan"),
                 lambda: commodity_store.set_show_names(db, "pokja", "f", sid, True),
                 lambda: commodity_store.join(db, sid, "Andi")]:
        with pytest.raises(ValueError, match=closed):
            call()
    assert db.table_checksums() == before
    # the other workshop is still open
    commodity_store.set_weights(db, other, p_other, {"jangkauan": 2})


def test_a_device_that_rejoins_under_another_name_stays_one_participant(db: Database) -> None:
    sid = _session(db)
    pid, code = commodity_store.join(db, sid, "Sari")
    token = commodity_store.participant_token(db, sid, pid)
    commodity_store.set_weights(db, sid, pid, {"jangkauan": 5})
    assert commodity_store.join(db, sid, "Sari Wulandari", "Bappeda", token=token) == (pid, code)
    people = commodity_store.ws_participants(db, sid)
    assert people[["name", "organisation"]].values.tolist() == [["Sari Wulandari", "Bappeda"]]
    assert workshop.my_weights(db, sid, pid) == {"jangkauan": 5}
    # a token of another workshop does not capture anyone here; without a token a second person joins
    other = _session(db)
    p_other, _ = commodity_store.join(db, other, "Budi")
    foreign = commodity_store.participant_token(db, other, p_other)
    assert commodity_store.join(db, sid, "Budi", token=foreign)[1] == "P02"
    with pytest.raises(ValueError, match="paling banyak 80"):
        commodity_store.join(db, sid, "x" * 81)


def test_a_facilitator_removes_or_merges_participants(db: Database) -> None:
    sid = _session(db)
    sari, _ = commodity_store.join(db, sid, "Sari")
    tes, _ = commodity_store.join(db, sid, "tes tes")
    sari2, _ = commodity_store.join(db, sid, "Sari (HP kedua)")
    commodity_store.set_weights(db, sid, sari, {"jangkauan": 5, "pendapatan": 2})
    commodity_store.set_weights(db, sid, tes, {"jangkauan": 1})
    commodity_store.set_weights(db, sid, sari2, {"pendapatan": 4, "sistemik": 3})  # newer than Sari's
    with pytest.raises(PermissionDenied):
        commodity_store.remove_participant(db, "viewer", "v", sid, tes)
    commodity_store.remove_participant(db, "pokja", "fasilitator", sid, tes)
    assert commodity_store.ws_participants(db, sid)["code"].tolist() == ["P01", "P03"]
    assert workshop.weights_matrix(db, sid).index.tolist() == ["P01", "P03"]  # tes's weight no longer counts
    assert workshop.rejoin(db, commodity_store.participant_token(db, sid, tes)) is None
    with pytest.raises(ValueError, match="tidak terdaftar"):
        commodity_store.set_weights(db, sid, tes, {"jangkauan": 3})
    # merging: the newer weight per criterion wins, the second device comes back as Sari
    with pytest.raises(ValueError, match="dua peserta yang berbeda"):
        commodity_store.merge_participants(db, "pokja", "fasilitator", sid, sari, sari)
    commodity_store.merge_participants(db, "pokja", "fasilitator", sid, sari, sari2)
    assert commodity_store.ws_participants(db, sid)["code"].tolist() == ["P01"]
    assert workshop.my_weights(db, sid, sari) == {"jangkauan": 5, "pendapatan": 4, "sistemik": 3}
    assert workshop.rejoin(db, commodity_store.participant_token(db, sid, sari2)) == \
        {"sid": sid, "pid": sari, "pcode": "P01"}
    # a new participant never gets a removed participant's code
    assert commodity_store.join(db, sid, "Andi")[1] == "P04"
    audit = db.query("SELECT action FROM audit_log WHERE action LIKE 'workshop.%e_participant%'")["action"]
    assert sorted(audit) == ["workshop.merge_participants", "workshop.remove_participant"]
    commodity_store.close_session(db, "pokja", "f", sid)
    with pytest.raises(ValueError, match="sudah ditutup"):
        commodity_store.remove_participant(db, "pokja", "f", sid, sari)


def test_missing_data_gives_no_score_never_the_worst(db: Database) -> None:
    """Issue 17, part 4: a commodity without a production series, or a kabupaten without a register, has no
    computed score (``<NA>``, shown as "belum ada data"), while a real zero stays a 1."""
    # Kab. Malang's kopi series taken away (the demo has every series), and its desa production too
    db.write("t", "t", "t", lambda cur: cur.execute("DELETE FROM production WHERE commodity = 'kopi' "
                                                    "AND (kode = '35.07' OR kode LIKE '35.07.%')"))
    present = db.query("""SELECT commodity FROM production WHERE kode = '35.07' AND commodity <> 'kopi'
                          GROUP BY 1 HAVING min(CASE WHEN period IN (2021, 2024) THEN value END) > 0
                          AND count(DISTINCT period) FILTER (WHERE period IN (2021, 2024)) = 2
                          ORDER BY 1 LIMIT 2""")["commodity"].tolist()
    absent = "kopi"
    assert len(present) == 2
    sc = data_scores.computed_scores(db, "35.07", 2024, present + [absent]).set_index(["criterion", "commodity"])
    assert pd.isna(sc.loc[("pendapatan", absent), "score"]) and pd.isna(sc.loc[("pendapatan", absent), "raw"])
    assert sc.loc[("pendapatan", present[0]), "score"] in range(1, 6)
    # the outreach of a commodity nobody grows is a real 0 households: a 1, not "no data"
    assert sc.loc[("jangkauan", absent), "raw"] == 0 and sc.loc[("jangkauan", absent), "score"] == 1
    # Sulawesi Selatan has no register and no production yet: nothing is scored
    nothing = data_scores.computed_scores(db, "73.01", 2024, present)
    assert nothing["score"].isna().all() and len(nothing) == 4
