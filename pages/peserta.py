"""Ikut lokakarya (a participant's phone): join with the short code, set one's own weights."""

import streamlit as st

from analytics.commodity import scoring, workshop
from analytics.commodity import store as commodity_store
from analytics.core import fmt
from analytics.core import store as core_store
from analytics.render import charts
from pages import _ui as ui

db, lang, prov, year = ui.page_start("peserta")
if core_store.has_synthetic(db):
    ui.synthetic_label()

joined = st.session_state.get("ws_join")
if joined is None and st.query_params.get("t"):  # back after a reload or a locked screen
    joined = workshop.rejoin(db, st.query_params["t"])
    if joined is None and commodity_store.ws_closed_for_token(db, st.query_params["t"]):
        st.warning(ui.t("peserta.closed"))
        st.stop()
    if joined is not None:
        st.session_state["ws_join"] = joined
        st.session_state["peserta_token"] = st.query_params["t"]
        for crit_id, w in workshop.my_weights(db, joined["sid"], joined["pid"]).items():
            st.session_state[f"peserta_w_{joined['sid']}_{crit_id}"] = w
if joined is None:
    if st.query_params.get("kode") and not st.session_state.get("peserta_code"):  # the QR code's link
        st.session_state["peserta_code"] = str(st.query_params["kode"]).strip().upper()[:8]
    with st.form("peserta_join"):
        code = st.text_input(ui.t("peserta.code"), max_chars=8, key="peserta_code")
        name = st.text_input(ui.t("peserta.name"), key="peserta_name")
        org = st.text_input(ui.t("peserta.org"), key="peserta_org")
        if st.form_submit_button(ui.t("peserta.join")):
            session = workshop.session_by_code(db, code)
            if session is None:
                st.error(ui.t("peserta.badcode"))
            else:
                try:
                    pid, pcode = commodity_store.join(db, int(session["id"]), name, org or None,
                                                      token=st.session_state.get("peserta_token"))
                    st.session_state["ws_join"] = {"sid": int(session["id"]), "pid": pid, "pcode": pcode}
                    st.query_params["t"] = st.session_state["peserta_token"] = commodity_store.participant_token(
                        db, int(session["id"]), pid)
                    st.rerun()
                except ValueError as exc:
                    st.error(str(exc))
    st.stop()

sid, pid = joined["sid"], joined["pid"]
s = commodity_store.ws_session(db, sid)
st.subheader(fmt.md_text(fmt.titled_place(s["title"], s["kabupaten_nama"])))
st.info(ui.t("peserta.you", code=joined["pcode"]))
crit = commodity_store.ws_criteria(db, sid)
com_names = ui.commodity_names(db)


closed = bool(s["closed"])
if closed:
    st.warning(ui.t("peserta.closed"))


def save(criterion: str) -> None:
    try:
        commodity_store.set_weight(db, sid, pid, criterion, int(st.session_state[f"peserta_w_{sid}_{criterion}"]))
    except ValueError as exc:  # closed meanwhile, or this participant removed: said, not stored
        st.session_state["peserta_refused"] = str(exc)


@st.fragment
def my_weights() -> None:
    """One slider per criterion; each move is stored at once; the ranking under these weights follows."""
    if st.session_state.get("peserta_refused"):
        st.error(st.session_state.pop("peserta_refused"))
    w = []
    for r in crit.itertuples():
        key = f"peserta_w_{sid}_{r.criterion}"
        start = {} if key in st.session_state else {"value": 3}  # a rejoining phone gets its own weights back
        w.append(st.slider(fmt.label_text(r.nama), 1, 5, key=key, help=fmt.md_text(r.description or ""),
                           on_change=save, args=(r.criterion,), disabled=closed, **start))
    cands, _, mat, _ = workshop.score_matrix(db, sid)
    if scoring.missing_scores(mat):
        st.caption(ui.t("peserta.noscores"))
        return
    rank = scoring.ranking(cands, mat, w)
    # on a phone the chart's toolbar would sit on its title: the participant only reads this chart
    ui.plotly(st, charts.ranking_bars(rank, com_names, ui.t("peserta.rank_title"), ui.t("lok.rank_x")),
              width="stretch", key="peserta_rank_chart", config={"displayModeBar": False})


my_weights()
st.caption(ui.t("peserta.privacy"))
if st.button(ui.t("peserta.leave"), key="peserta_leave"):
    st.session_state.pop("ws_join", None)
    st.query_params.clear()
    st.rerun()
