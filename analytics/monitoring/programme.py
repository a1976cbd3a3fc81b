"""Where a programme stands, and the one path through the stages.

A *programme* is what the planner carries from stage to stage in one kabupaten: the priority shortlist
(poverty), the commodity workshop and its final choice (commodity), the value chain opened from that choice
(valuechain), the business model built on the chain (business) and the results chain that monitors the model
(monitoring). Each stage's record points back to the one before (``vc_chains.workshop_id``,
``bm_models.chain_id``, ``rc_chains.model_id``), so the programme is found by following those links from
the record the planner touched last.

:func:`status` answers "what is done, what is next" for Beranda; :func:`chain_from_workshop`,
:func:`model_from_chain` and :func:`results_from_model` are the "Langkah berikutnya" actions. They are
idempotent: a second click (or a second tab) opens the record the first one made instead of making another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from analytics.business import store as bm_store
from analytics.commodity import store as commodity_store
from analytics.core.db import Database
from analytics.monitoring import store as mon_store
from analytics.poverty import store as poverty_store
from analytics.valuechain import store as vc_store

STEPS: tuple[tuple[str, int, str], ...] = (
    ("sasaran", 1, "peta"),
    ("lokakarya", 2, "lokakarya"),
    ("rantai", 2, "rantai"),
    ("bisnis", 3, "bisnis"),
    ("hasil", 4, "hasil"),
    ("pimpinan", 4, "pimpinan"),
)
"""(step, Beranda's stage 1-4, the page that does it), in the method's order."""


@dataclass(frozen=True)
class Step:
    """One step of the path: ``state`` is ``done``, ``started`` (a record exists but is not finished) or
    ``todo``; ``ref`` is the record's id (workshop, chain, model, results chain) when there is one;
    ``facts`` are the numbers and names the screen writes beside it."""

    key: str
    stage: int
    page: str
    state: str
    ref: int | None = None
    title: str | None = None
    facts: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Programme:
    """The current programme of a province: its kabupaten, whether it is demo data, and its steps in order."""

    kabupaten: str | None
    synthetic: bool
    steps: list[Step]

    @property
    def next(self) -> Step | None:
        """The first step not yet done (None when everything up to the results is done)."""
        return next((s for s in self.steps if s.state != "done"), None)

    def step(self, key: str) -> Step:
        """The step named ``key``."""
        return next(s for s in self.steps if s.key == key)


final_choice = commodity_store.final_choice  # the stage that records the decision reads it


def _records(db: Database, prov: str) -> dict[str, pd.DataFrame]:
    """The stages' records in the province (workshops, chains, models, results chains), newest first. A
    results chain without a business model has no place, so it is on no province's path."""
    where = prov or None
    rc = mon_store.rc_chains(db, where)
    return {"ws": commodity_store.ws_sessions(db, where), "vc": vc_store.vc_chains(db, where),
            "bm": bm_store.bm_models(db, where), "rc": rc[rc["kabupaten"].notna()] if where else rc}


def _anchor(rec: dict[str, pd.DataFrame]) -> tuple[str, pd.Series] | None:
    """The record touched last: the newest real one over the four stages (demo records only when there is
    no real one)."""
    rows = []
    for kind, frame in rec.items():
        for _, r in frame.iterrows():
            synthetic = bool(r["is_synthetic"]) if "is_synthetic" in frame.columns else False
            rows.append((synthetic, pd.Timestamp(r["created_at"]), kind, r))
    if not rows:
        return None
    rows.sort(key=lambda x: (x[0], -x[1].value))
    return rows[0][2], rows[0][3]


def _id(value: object) -> int | None:
    """A link column's value as an id (None for a missing link)."""
    return None if value is None or pd.isna(value) else int(value)


def _newest(frame: pd.DataFrame, mask: pd.Series) -> pd.Series | None:
    hit = frame[mask]
    return None if hit.empty else hit.sort_values("created_at", ascending=False).iloc[0]


def _link(rec: dict[str, pd.DataFrame], kind: str, row: pd.Series, db: Database) -> dict[str, pd.Series | None]:
    """The programme's four records, found from one of them by following the links both ways."""
    ws, vc, bm, rc = rec["ws"], rec["vc"], rec["bm"], rec["rc"]
    got: dict[str, pd.Series | None] = {"ws": None, "vc": None, "bm": None, "rc": None}
    got[kind] = row
    # backwards
    if got["rc"] is not None and _id(got["rc"]["model_id"]) is not None:
        got["bm"] = _newest(bm, bm["id"] == _id(got["rc"]["model_id"]))
    if got["bm"] is not None and _id(got["bm"]["chain_id"]) is not None:
        got["vc"] = _newest(vc, vc["id"] == _id(got["bm"]["chain_id"]))
    if got["vc"] is not None and got["ws"] is None:
        wid = _id(got["vc"]["workshop_id"])
        if wid is not None:
            got["ws"] = _newest(ws, ws["id"] == wid)
        else:  # a chain opened by hand: the workshop of the same kabupaten that chose its commodity
            same = [int(s) for s in ws.loc[ws["kabupaten"] == got["vc"]["kabupaten"], "id"]
                    if final_choice(db, int(s)) == got["vc"]["commodity"]]
            got["ws"] = _newest(ws, ws["id"].isin(same)) if same else None
    # forwards
    if got["ws"] is not None and got["vc"] is None:
        sid = int(got["ws"]["id"])
        choice = final_choice(db, sid)
        got["vc"] = _newest(vc, vc["workshop_id"] == sid)
        if got["vc"] is None and choice:
            got["vc"] = _newest(vc, (vc["kabupaten"] == got["ws"]["kabupaten"]) & (vc["commodity"] == choice)
                                & vc["workshop_id"].isna())
    if got["vc"] is not None and got["bm"] is None:
        got["bm"] = _newest(bm, bm["chain_id"] == int(got["vc"]["id"]))
    if got["bm"] is not None and got["rc"] is None:
        got["rc"] = _newest(rc, rc["model_id"] == int(got["bm"]["id"]))
    return got


def status(db: Database, prov: str) -> Programme:
    """Where the current programme of province ``prov`` stands ("" = the whole country).

    The programme is the one of the record touched last (see :func:`_anchor`); each step is ``done`` when
    the stage's result exists: a shortlist with an area, a workshop's final choice, a chain with actors and
    flows, a model with before/after lines, a results chain with at least one realisation; ``started`` when
    the record exists without that result."""
    rec = _records(db, prov)
    shortlist = poverty_store.priority_areas(db, prov)
    anchor = _anchor(rec)
    got = _link(rec, *anchor, db) if anchor else {"ws": None, "vc": None, "bm": None, "rc": None}
    kab = next((str(r["kabupaten"]) for r in got.values() if r is not None and pd.notna(r.get("kabupaten"))), None)
    if kab is None and not shortlist.empty:
        kab = str(shortlist["kode"].iloc[0])[:5]
    synthetic = any(r is not None and bool(r.get("is_synthetic", False)) for r in got.values())
    steps: list[Step] = []
    spec = {k: (stage, page) for k, stage, page in STEPS}

    def add(key: str, state: str, row: pd.Series | None = None, **facts: object) -> None:
        stage, page = spec[key]
        steps.append(Step(key, stage, page, state, None if row is None else int(row["id"]),
                          None if row is None else str(row["title"]), facts))

    in_kab = shortlist[shortlist["kode"].str[:5] == kab] if kab else shortlist
    add("sasaran", "done" if not shortlist.empty else "todo", n=len(shortlist), n_kab=len(in_kab),
        kabupaten=kab)
    w = got["ws"]
    if w is None:
        add("lokakarya", "todo", kabupaten=kab)
    else:
        choice = final_choice(db, int(w["id"]))
        add("lokakarya", "done" if choice else "started", w, commodity=choice,
            participants=int(w["n_peserta"]), closed=bool(w["closed"]), kabupaten=str(w["kabupaten"]))
    c = got["vc"]
    if c is None:
        add("rantai", "todo")
    else:
        tables = vc_store.load(db, int(c["id"]))
        n_act, n_flow = len(tables["actors"]), len(tables["flows"])
        add("rantai", "done" if n_act >= 2 and n_flow >= 1 else "started", c, actors=n_act, flows=n_flow,
            commodity=str(c["commodity"]))
    m = got["bm"]
    if m is None:
        add("bisnis", "todo")
    else:
        lines = bm_store.load(db, int(m["id"]))["lines"]
        add("bisnis", "done" if not lines.empty else "started", m, model=str(m["model"]), lines=len(lines))
    r = got["rc"]
    if r is None:
        add("hasil", "todo")
    else:
        values = mon_store.rc_values(db, int(r["id"]))
        real = values[values["jenis"] == "realisasi"]
        add("hasil", "done" if not real.empty else "started", r, realisations=len(real))
    add("pimpinan", "done" if r is not None and steps[-1].state == "done" else "todo")
    return Programme(kab, synthetic, steps)


# ---------------------------------------------------------------------- the "Langkah berikutnya" actions


def made_from(db: Database, kind: str, parent_id: int) -> tuple[int, str] | None:
    """(id, title) of the newest record already made from ``parent_id``: ``kind`` ``"rantai"`` (the chain
    opened from a workshop), ``"bisnis"`` (a model built on a chain) or ``"hasil"`` (the results chain of a
    model)."""
    frame, column = {"rantai": (vc_store.vc_chains, "workshop_id"), "bisnis": (bm_store.bm_models, "chain_id"),
                     "hasil": (mon_store.rc_chains, "model_id")}[kind]
    listed = frame(db)
    hit = listed[listed[column] == parent_id].sort_values("id", ascending=False)
    return None if hit.empty else (int(hit["id"].iloc[0]), str(hit["title"].iloc[0]))


def chain_from_workshop(db: Database, role: str | None, actor: str, session_id: int, title: str) -> int:
    """The value chain of a workshop's final choice: the one already opened from it, else a new chain for the
    chosen commodity in the workshop's kabupaten. Raises ValueError when the workshop has not chosen."""
    choice = final_choice(db, session_id)
    if choice is None:
        raise ValueError("Lokakarya ini belum menetapkan pilihan akhir; tetapkan komoditas terpilih dahulu.")
    made = made_from(db, "rantai", session_id)
    if made is not None:
        return made[0]
    kab = str(commodity_store.ws_session(db, session_id)["kabupaten"])
    return vc_store.create_chain(db, role, actor, choice, kab, title, workshop_id=session_id)


def model_from_chain(db: Database, role: str | None, actor: str, chain_id: int, model: str, title: str) -> int:
    """The business model (A or B) built on a value chain: the one already made from it, else a new one
    pre-filled from the chain's prices and volumes."""
    made = made_from(db, "bisnis", chain_id)
    if made is not None:
        return made[0]
    chain = vc_store.vc_chains(db).set_index("id").loc[chain_id]
    return bm_store.create_model(db, role, actor, title, model, str(chain["commodity"]), str(chain["kabupaten"]),
                                 chain_id)


def results_from_model(db: Database, role: str | None, actor: str, model_id: int, title: str,
                       start_year: int | None = None) -> int:
    """The results chain monitoring a business model: the one already made for it, else a new one with the
    model's outreach as targets from ``start_year`` (this year by default)."""
    made = made_from(db, "hasil", model_id)
    if made is not None:
        return made[0]
    return mon_store.create_results_chain(db, role, actor, title, model_id, start_year or date.today().year)


# ---------------------------------------------------------------------- the programme scorecard's evidence


def stage_evidence(db: Database, chain_id: int) -> dict[str, dict[str, object]]:
    """What the app's own records show for the study's programme stages (see
    :mod:`analytics.monitoring.comprehensiveness`), for the results chain ``chain_id``: criterion key → the
    facts a screen writes as a suggestion. Only stages the app can witness are listed: planning (a business
    model with its before/after lines), secondary data (priority areas shortlisted in the kabupaten), primary
    data (the workshop's participants, the value chain's actors), preparation (indicators with a data source
    and a collection method) and digital monitoring (realisations recorded here). The planner still decides."""
    rc = mon_store.rc_chains(db)
    row = rc[rc["id"] == chain_id]
    if row.empty:
        return {}
    rec = {"ws": commodity_store.ws_sessions(db), "vc": vc_store.vc_chains(db), "bm": bm_store.bm_models(db), "rc": rc}
    got = _link(rec, "rc", row.iloc[0], db)
    out: dict[str, dict[str, object]] = {}
    m = got["bm"]
    if m is not None and not bm_store.load(db, int(m["id"]))["lines"].empty:
        out["perencanaan"] = {"model": str(m["title"])}
    kab = next((str(r["kabupaten"]) for r in (m, got["vc"], got["ws"]) if r is not None and pd.notna(r["kabupaten"])),
               None)
    if kab:
        short = poverty_store.priority_areas(db, kab)
        if len(short):
            out["asesmen_sekunder"] = {"n": len(short)}
    w, c = got["ws"], got["vc"]
    n_people = int(w["n_peserta"]) if w is not None else 0
    n_actors = len(vc_store.load(db, int(c["id"]))["actors"]) if c is not None else 0
    if n_people or n_actors:
        out["asesmen_primer"] = {"peserta": n_people, "aktor": n_actors}
    ind = mon_store.load_results_chain(db, chain_id)["indicators"]
    planned = ind[ind["sumber_data"].fillna("").str.strip().ne("") & ind["metode"].fillna("").str.strip().ne("")]
    if len(planned):
        out["persiapan"] = {"n": len(planned), "dari": len(ind)}
    values = mon_store.rc_values(db, chain_id)
    real = values[(values["jenis"] == "realisasi") & values["value"].notna()]
    if len(real):
        out["monev_digital"] = {"n": len(real)}
    return out
