"""Commodity-selection workshops: sessions, participants, criteria, append-only weights and scores.

Every participant's weight and every score is a new row (never an update), so people writing at the
same moment never overwrite each other; the newest row per participant × criterion (or commodity ×
criterion) is the current value, and the history stays for the decision record.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.commodity import scoring
from analytics.commodity import store as commodity_store
from analytics.core.db import Database

"""The four criteria of the technical guideline (Langkah 1, Penetapan Kriteria)."""


def session_by_code(db: Database, code: str) -> pd.Series | None:
    """The open session with this join code (case and spaces ignored), or None."""
    df = commodity_store.ws_session_by_code(db, code.strip().upper().replace(" ", ""))
    return None if df.empty else df.iloc[0]


def rejoin(db: Database, token: str) -> dict | None:
    """The participant (sid, pid, pcode) a token belongs to, if their workshop is still open."""
    df = commodity_store.ws_participant_by_token(db, token)
    if df.empty:
        return None
    r = df.iloc[0]
    return {"sid": int(r["session_id"]), "pid": int(r["participant_id"]), "pcode": str(r["code"])}


def my_weights(db: Database, session_id: int, participant_id: int) -> dict[str, int]:
    """A participant's current weights (to put their sliders back where they left them)."""
    w = commodity_store.ws_current_weights(db, session_id)
    w = w[w["participant_id"] == participant_id]
    return {str(c): int(v) for c, v in zip(w["criterion"], w["weight"], strict=False)}


def weights_matrix(db: Database, session_id: int, show_names: bool = False) -> pd.DataFrame:
    """Current weights: one row per participant (index: code, or name when shown), one column per
    active criterion; criteria a participant has not set yet are empty."""
    crit = commodity_store.ws_criteria(db, session_id)
    w = commodity_store.ws_current_weights(db, session_id)
    people = commodity_store.ws_participants(db, session_id)
    label = people.set_index("participant_id")["name" if show_names else "code"]
    mat = (w.pivot_table(index="participant_id", columns="criterion", values="weight", aggfunc="first")
           .reindex(index=people["participant_id"], columns=crit["criterion"]))
    mat.index = [label.get(i, str(i)) for i in mat.index]
    mat.columns.name = None
    return mat


def score_matrix(db: Database, session_id: int) -> tuple[list[str], list[str], np.ndarray, pd.DataFrame]:
    """(commodities, criteria, scores matrix with NaN where missing, long table of current scores)."""
    crit = commodity_store.ws_criteria(db, session_id)["criterion"].tolist()
    cands = commodity_store.ws_candidates(db, session_id)["commodity"].tolist()
    cur = commodity_store.ws_current_scores(db, session_id)
    mat = (cur.pivot_table(index="commodity", columns="criterion", values="score", aggfunc="first")
           .reindex(index=cands, columns=crit))
    return cands, crit, mat.to_numpy(dtype=float), cur


def robustness(db: Database, session_id: int, scores: np.ndarray, commodities: list[str],
               k: int = 3) -> tuple[scoring.Robustness, np.ndarray]:
    """The robustness of the ranking on screen: the same participants (everyone who gave a weight; one not
    given is not a 0) and the same group weights, every score moved ±1 step too. Returns it with the group
    weight vector of the ranking."""
    people = weights_matrix(db, session_id)
    _, group, _ = current_weights(db, session_id)
    given = people.dropna(how="all")
    weights = given.to_numpy(dtype=float) if len(given) >= 2 else group
    return scoring.robustness(commodities, scores, weights, k=k, score_step=1, now=group), group


def current_weights(db: Database, session_id: int, how: str = "mean") -> tuple[list[str], np.ndarray, pd.DataFrame]:
    """(criteria, group weight vector by ``how`` — mean, median or geomean —, per-criterion summary)."""

    mat = weights_matrix(db, session_id)
    crits = list(mat.columns)
    summary = scoring.group_weights(mat)
    if len(mat) == 0:
        return crits, np.full(len(crits), 3.0), summary
    vec = summary.set_index("criterion").reindex(crits)[how].fillna(3.0).to_numpy(dtype=float)
    return crits, vec, summary
