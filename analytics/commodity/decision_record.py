"""Berita Acara (decision record) of a commodity-selection workshop, as DOCX and XLSX.

It holds what an official document needs to defend the choice: date, place, participants, criteria,
individual and aggregated weights, scores with their justification and source (and the computed score
where one was replaced), the ranking, its robustness, the shortlist and final choice with reasons, and
the data version the scores were made with.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from analytics.commodity import scoring, workshop
from analytics.commodity import store as commodity_store
from analytics.core import fmt
from analytics.core import store as core_store
from analytics.core.db import Database


@dataclass
class Record:
    """Everything the decision record shows, as tables."""

    session: pd.Series
    participants: pd.DataFrame
    criteria: pd.DataFrame
    weights: pd.DataFrame        # participant code × criterion
    group: pd.DataFrame          # per criterion: mean, median, geomean, sd, consensus
    scores: pd.DataFrame         # commodity, criterion, score, computed, justification, source, override
    ranking: pd.DataFrame
    robustness: pd.DataFrame
    flip: scoring.Flip | None
    decisions: pd.DataFrame
    data_version: str
    synthetic: bool
    made_at: datetime
    robustness_note: str = ""    # what the robustness run varied (scoring.describe)


def build(db: Database, session_id: int, k: int = 3) -> Record:
    """Collect the record of a workshop from the database."""
    s = commodity_store.ws_session(db, session_id)
    crit = commodity_store.ws_criteria(db, session_id)
    coms = commodity_store.commodity_list(db)
    names = dict(zip(coms["kode"], coms["nama"], strict=False))
    crit_names = dict(zip(crit["criterion"], crit["nama"], strict=False))
    weights = workshop.weights_matrix(db, session_id)
    crits, group_vec, group = workshop.current_weights(db, session_id)
    cands, crits, mat, current = workshop.score_matrix(db, session_id)
    scores = current.assign(komoditas=current["commodity"].map(names), kriteria=current["criterion"].map(crit_names))
    if scoring.missing_scores(mat):
        ranking = pd.DataFrame(columns=["peringkat", "komoditas", "skor"])
        rob = pd.DataFrame()
        robustness_note = ""
        flip = None
    else:
        r = scoring.ranking(cands, mat, group_vec)
        ranking = r.assign(komoditas=r["commodity"].map(names))[["peringkat", "komoditas", "skor"]]
        rb, _ = workshop.robustness(db, session_id, mat, cands, k)
        robustness_note = scoring.describe(rb)
        rob = rb.table.assign(komoditas=rb.table["commodity"].map(names))[
            ["rank_now", "komoditas", "p_top1", "p_topk", "badge"]]
        flip = scoring.smallest_flip(cands, crits, mat, group_vec)
    decisions = commodity_store.ws_decisions(db, session_id)
    decisions = decisions.assign(
        komoditas=decisions["commodities"].map(lambda cs: ", ".join(names.get(c, c) for c in cs)),
        decided_by=decisions["decided_by"].map(fmt.person))  # "demo:perencana" → "Perencana (Bappeda), mode demo"
    s = s.copy()
    s["facilitator"] = fmt.person(s["facilitator"])
    last = core_store.last_import(db)
    synthetic = core_store.has_synthetic(db)  # scores "from data" may rest on the synthetic layer
    group = group.assign(nama=group["criterion"].map(crit_names)) if not group.empty else group
    return Record(s, commodity_store.ws_participants(db, session_id), crit, weights.rename(columns=crit_names), group,
                  scores, ranking, rob, flip, decisions,
                  f"basis data skema {db.schema_version()}, impor terakhir {last:%Y-%m-%d %H:%M}" if last is not None
                  else f"basis data skema {db.schema_version()}", synthetic, datetime.now(), robustness_note)
