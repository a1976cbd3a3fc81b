"""Lokakarya komoditas (facilitator's view): session, live group weights, scores with data, ranking
under sliders, robustness, shortlist and final choice."""

from datetime import date

import streamlit as st

from analytics.commodity import data_scores, decision_record, scoring, workshop
from analytics.commodity import store as commodity_store
from analytics.core import auth, fmt, settings
from analytics.core import store as core_store
from analytics.monitoring import programme
from analytics.poverty import drilldown
from analytics.render import charts, documents, qr
from pages import _ui as ui

db, lang, prov, year = ui.page_start("lokakarya")
if core_store.has_synthetic(db):
    ui.synthetic_label()
may = auth.can(ui.role(), "facilitate_workshop")
com_names, kab_names = ui.commodity_names(db), ui.kabupaten_names(db)
sessions = commodity_store.ws_sessions(db, prov)  # the province worked in

handoff = st.session_state.pop("lok_handoff", None)  # "Langkah berikutnya" from the shortlist: its kabupaten
if may:
    kab_list = list(ui.kabupaten_names(db, prov))  # the province worked in
    if handoff in kab_list:
        st.session_state["lok_new_kab"] = handoff
        st.session_state["lok_new_title"] = ui.t("next.title.workshop", kab=fmt.short_area_name(kab_names[handoff]))
        st.session_state["lok_new_cands"] = commodity_store.produced_in(db, handoff)[:5]
    with st.expander(ui.t("lok.new"), expanded=sessions.empty or handoff in kab_list):
        with st.form("lok_new"):
            title = st.text_input(ui.t("lok.title_field"), key="lok_new_title")
            default_kab = drilldown.priority_kabupaten(db, prov) or str(st.session_state.get("peta_scope") or prov)[:5]
            ui.keep("lok_new_kab", kab_list, default=default_kab if default_kab in kab_list else kab_list[0])
            ui.keep("lok_new_cands", list(com_names))
            kab = st.selectbox(ui.t("lok.kabupaten"), kab_list, format_func=kab_names.get, key="lok_new_kab")
            c1, c2 = st.columns(2)
            held = c1.date_input(ui.t("lok.date"), value=date.today(), key="lok_new_date")
            place = c2.text_input(ui.t("lok.place"), key="lok_new_place")
            cands = st.multiselect(ui.t("lok.candidates"), list(com_names), format_func=com_names.get,
                                   key="lok_new_cands")
            if st.form_submit_button(ui.t("lok.create")):
                try:
                    sid, code = commodity_store.create_session(db, ui.role(), ui.user(), kab, held, title, cands, place)
                    st.session_state["lok_session"] = sid
                    for k in ("lok_new_title", "lok_new_place", "lok_new_cands"):  # the next form starts empty
                        st.session_state.pop(k, None)
                    ui.flash(ui.t("lok.created", code=code))
                    st.rerun()  # the form closes: the new workshop is the one shown
                except ValueError as exc:
                    st.error(str(exc))

if sessions.empty:
    st.info(ui.t("lok.none"))
    st.stop()

ids = sessions["id"].tolist()
labels = {r.id: f"{fmt.titled_place(r.title, r.kabupaten_nama)} ({r.held_on:%d-%m-%Y})" for r in sessions.itertuples()}
sid = st.selectbox(ui.t("lok.session"), ids, format_func=labels.get, **ui.persistent("lok_session", ids[0], ids))
s = commodity_store.ws_session(db, sid)
edit = may and not bool(s["closed"])  # a closed workshop is a record: nothing in it changes any more


@st.fragment(run_every=2)
def header() -> None:
    """Code, live participant count (removed/merged left out) and date, refreshed with the weights (the
    kabupaten is in the workshop's name above: a long name would not fit a figure at 1366 px)."""
    m = st.columns(3, vertical_alignment="center")
    m[0].metric(ui.t("lok.code"), s["join_code"])
    m[1].metric(ui.t("lok.participants"), fmt.number(len(commodity_store.ws_participants(db, sid)), 0, lang))
    m[2].metric(ui.t("lok.date"), f"{s['held_on']:%d-%m-%Y}")


link = qr.join_link(settings.get("public_url") or st.context.url or "http://localhost:8501/", str(s["join_code"]))
if bool(s["closed"]):
    header()
else:  # the join link as a QR code beside the code, for phones in the room and the projector
    qr_col, head_col = st.columns([1, 5], vertical_alignment="center")
    qr_col.image(qr.qr_png(link), caption=ui.t("lok.qr"), width=150)
    with head_col:
        header()
        st.caption(ui.t("lok.join_link"))
        st.code(link, language=None)  # shown as typed, with a copy button
if bool(s["closed"]):
    st.info(ui.t("lok.closed"), icon=":material/lock:")
else:
    st.caption(ui.t("lok.join_hint", code=s["join_code"]))
if edit:
    show = st.toggle(ui.t("lok.show_names"), value=bool(s["show_names"]), key=f"lok_show_{sid}")
    if show != bool(s["show_names"]):
        commodity_store.set_show_names(db, ui.role(), ui.user(), sid, show)
        s = commodity_store.ws_session(db, sid)

tabs = st.tabs([ui.t(f"lok.tab.{k}") for k in ("bobot", "skor", "peringkat", "kokoh", "keputusan", "kriteria")])


@st.fragment(run_every=2)
def live_weights() -> None:
    """Participants' weights as they move their sliders (this block alone refreshes every 2 s)."""
    mat = workshop.weights_matrix(db, sid, show_names=bool(s["show_names"]))
    crit = commodity_store.ws_criteria(db, sid).set_index("criterion")["nama"]
    if mat.empty:
        st.info(ui.t("lok.no_participants"))
        return
    st.dataframe(mat.rename(columns=crit.to_dict()), key="lok_weights_table")
    summ = scoring.group_weights(mat)
    summ.insert(1, "nama", summ["criterion"].map(crit))
    st.dataframe(summ.drop(columns=["criterion"]).round(2), hide_index=True, key="lok_weights_summary",
                 column_config={"consensus": st.column_config.ProgressColumn(ui.t("lok.consensus"), min_value=0,
                                                                             max_value=1, format="%.2f")})
    st.caption(ui.t("lok.consensus_help"))


with tabs[0]:
    live_weights()
    people = commodity_store.ws_participants(db, sid)
    if edit and not people.empty:
        with st.expander(ui.t("lok.manage")):
            st.caption(ui.t("lok.manage_help"))
            who = dict(zip(people["participant_id"], people["code"] + " — " + people["name"], strict=True))
            ids = list(who)
            c1, c2 = st.columns(2)
            ui.keep("lok_remove_who", ids)
            gone = c1.selectbox(ui.t("lok.remove_who"), ids, format_func=who.get, key="lok_remove_who")
            if c1.button(ui.t("lok.remove"), key="lok_remove"):
                try:
                    commodity_store.remove_participant(db, ui.role(), ui.user(), sid, int(gone))
                    ui.flash(ui.t("lok.removed", who=fmt.md_text(who[gone])))
                    st.rerun()
                except ValueError as exc:
                    st.error(str(exc))
            ui.keep("lok_merge_keep", ids)
            ui.keep("lok_merge_drop", ids, default=ids[-1])
            keep = c2.selectbox(ui.t("lok.merge_keep"), ids, format_func=who.get, key="lok_merge_keep")
            drop = c2.selectbox(ui.t("lok.merge_drop"), ids, format_func=who.get, key="lok_merge_drop")
            if c2.button(ui.t("lok.merge"), key="lok_merge", disabled=keep == drop):
                try:
                    commodity_store.merge_participants(db, ui.role(), ui.user(), sid, int(keep), int(drop))
                    ui.flash(ui.t("lok.merged", keep=fmt.md_text(who[keep]), drop=fmt.md_text(who[drop])))
                    st.rerun()
                except ValueError as exc:
                    st.error(str(exc))

cands, crits, mat, current = workshop.score_matrix(db, sid)
crit_names = commodity_store.ws_criteria(db, sid).set_index("criterion")["nama"].to_dict()

with tabs[1]:
    st.caption(ui.t("lok.scores_help"))
    use_pockets = st.checkbox(ui.t("lok.pockets_only"), key="lok_pockets")
    pockets = None
    if use_pockets:
        pockets = drilldown.pocket_codes(ui.cached_pockets(prov, "desa", "p0", year))
    computed = data_scores.computed_scores(db, s["kabupaten"], year, cands, pockets)
    missing_data = ui.t("lok.no_data")
    for crit_id, g in computed.groupby("criterion", sort=False):
        st.markdown(f"**{fmt.md_text(crit_names.get(crit_id, crit_id))}** — {g['formula'].iloc[0]}")
        shown = g.assign(nama=g["commodity"].map(com_names))[["nama", "raw", "score"]]
        shown = fmt.display(shown, {"raw": "dec2" if crit_id == "pendapatan" else "int", "score": "int"}, lang)
        shown.loc[g["score"].isna().to_numpy(), "score"] = missing_data  # shown as missing, not as the worst score
        st.dataframe(shown.rename(columns={"nama": ui.t("lok.commodity"), "raw": ui.t("lok.raw"),
                                           "score": ui.t("lok.score")}), hide_index=True, key=f"lok_comp_{crit_id}")
        basis = data_scores.scaled_across(g)
        if basis:
            st.caption(ui.t("lok.scaled_across", names=", ".join(fmt.md_text(com_names.get(c, c)) for c in basis)))
    unscored = computed[computed["score"].isna()]
    if len(unscored):
        st.warning(ui.t("lok.no_data_warning", n=len(unscored), items=", ".join(
            f"{fmt.md_text(com_names.get(r.commodity, r.commodity))} ({fmt.md_text(crit_names.get(r.criterion, ''))})"
            for r in unscored.itertuples())))
    if edit and st.button(ui.t("lok.apply_computed"), key="lok_apply"):
        for r in computed.dropna(subset=["score"]).itertuples():
            commodity_store.set_score(db, ui.role(), ui.user(), sid, r.commodity, r.criterion, int(r.score),
                                      r.formula, "data", computed=int(r.score))
        ui.flash(ui.t("lok.applied") + (" " + ui.t("lok.applied_skipped", n=len(unscored)) if len(unscored) else ""))
        st.rerun()  # every tab (ranking, robustness) reads the scores just stored
    table = current.assign(nama=current["commodity"].map(com_names), kriteria=current["criterion"].map(crit_names))
    if not table.empty:
        shown = ["nama", "kriteria", "score", "computed", "justification", "source", "override_reason", "entered_by"]
        st.dataframe(fmt.display(table[shown], {"score": "int", "computed": "int", "entered_by": "person"}, lang,
                                 {c: ui.t(f"lok.col.{c}") for c in shown}), hide_index=True, key="lok_scores_table")
    if edit:
        with st.form("lok_score"):
            c1, c2, c3 = st.columns(3)
            ui.keep("lok_score_com", cands)
            ui.keep("lok_score_crit", crits)
            com = c1.selectbox(ui.t("lok.commodity"), cands, format_func=com_names.get, key="lok_score_com")
            crit = c2.selectbox(ui.t("lok.criterion"), crits, format_func=crit_names.get, key="lok_score_crit")
            val = c3.slider(ui.t("lok.score"), 1, 5, 3, key="lok_score_val")
            just = st.text_input(ui.t("lok.justification"), key="lok_score_just")
            src = st.text_input(ui.t("lok.source"), key="lok_score_src")
            reason = st.text_input(ui.t("lok.override"), key="lok_score_reason")
            if st.form_submit_button(ui.t("lok.save_score")):
                comp = computed.dropna(subset=["score"]).set_index(["commodity", "criterion"])["score"].get((com, crit))
                try:
                    commodity_store.set_score(db, ui.role(), ui.user(), sid, com, crit, val, just, src,
                                       computed=None if comp is None else float(comp), override_reason=reason)
                    ui.flash(ui.t("lok.score_saved"))
                    st.rerun()  # every tab (ranking, robustness) reads the score just stored
                except ValueError as exc:
                    st.error(str(exc))


@st.fragment
def live_ranking() -> None:
    """Sliders and the ranking that follows them (only this block reruns when a slider moves)."""
    cands_, crits_, mat_, _ = workshop.score_matrix(db, sid)
    ui.keep("lok_how", ["mean", "median", "geomean"])
    how = st.radio(ui.t("lok.aggregate"), ["mean", "median", "geomean"], horizontal=True,
                   format_func=lambda k: ui.t(f"lok.agg.{k}"), key="lok_how")
    _, group, _ = workshop.current_weights(db, sid, how)
    cols = st.columns(len(crits_))
    w = []
    for col, crit_id, g in zip(cols, crits_, group, strict=False):
        w.append(col.slider(fmt.label_text(crit_names.get(crit_id, crit_id)), 1.0, 5.0, float(round(g * 2) / 2), 0.5,
                            key=f"lok_w_{sid}_{crit_id}_{how}"))
    if scoring.missing_scores(mat_):
        st.warning(ui.t("lok.missing_scores"))
        return
    rank = scoring.ranking(cands_, mat_, w)
    left, right = st.columns([2, 3])
    left.dataframe(rank.assign(nama=rank["commodity"].map(com_names))[["peringkat", "nama", "skor"]].round(1),
                   hide_index=True, key="lok_rank_table")
    ui.plotly(right, charts.ranking_bars(rank, com_names, ui.t("lok.rank_title"), ui.t("lok.rank_x")),
                       width="stretch", key="lok_rank_chart")


with tabs[2]:
    live_ranking()

with tabs[3]:
    if scoring.missing_scores(mat):
        st.warning(ui.t("lok.missing_scores"))
    else:
        k = st.segmented_control(ui.t("lok.topk"), [3, 4], default=3, key="lok_k") or 3
        rob, group = workshop.robustness(db, sid, mat, cands, int(k))
        st.caption(scoring.describe(rob, lang))
        tab = rob.table.assign(nama=rob.table["commodity"].map(com_names),
                               lencana=rob.table["badge"].map(lambda b: ui.t(f"lok.badge.{b}")))
        st.dataframe(tab[["rank_now", "nama", "p_top1", "p_topk", "lencana"]]
                     .rename(columns={"rank_now": "#", "nama": ui.t("lok.commodity"), "lencana": ui.t("lok.badge")}),
                     hide_index=True, key="lok_rob_table",
                     column_config={"p_top1": st.column_config.NumberColumn(ui.t("lok.p_top1"), format="percent"),
                                    "p_topk": st.column_config.NumberColumn(ui.t("lok.p_topk", k=k), format="percent")})
        flip = scoring.smallest_flip(cands, crits, mat, group)
        if flip is None:
            st.success(ui.t("lok.noflip"))
        else:
            st.info(ui.t("lok.flip", crit=fmt.md_text(crit_names.get(flip.criterion, flip.criterion)),
                         a=fmt.number(flip.from_weight, 1, lang), b=fmt.number(flip.to_weight, 2, lang),
                         top=fmt.md_text(com_names.get(flip.new_top, flip.new_top))))
        ui.plotly(st, charts.acceptability_heatmap(rob.acceptability, com_names, ui.t("lok.acceptability")),
                        width="stretch", key="lok_acc_chart")

with tabs[4]:
    decisions = commodity_store.ws_decisions(db, sid)
    for r in decisions.itertuples():
        chosen = ", ".join(fmt.md_text(com_names.get(c, c)) for c in r.commodities)
        st.markdown(f"**{ui.t(f'lok.kind.{r.kind}')}**: {chosen} — {fmt.md_text(r.reason)} "
                    f"_({fmt.md_text(fmt.person(r.decided_by, lang))}, {fmt.timestamp(r.ts, lang)})_")
    if edit:
        with st.form("lok_shortlist"):
            ui.keep("lok_short", cands)
            short = st.multiselect(ui.t("lok.shortlist"), cands, format_func=com_names.get, max_selections=4,
                                   key="lok_short")
            reason = st.text_input(ui.t("lok.reason"), key="lok_short_reason")
            if st.form_submit_button(ui.t("lok.save_shortlist")):
                try:
                    commodity_store.decide(db, ui.role(), ui.user(), sid, "shortlist", short, reason)
                    st.rerun()
                except ValueError as exc:
                    st.error(str(exc))
        with st.form("lok_final"):
            ui.keep("lok_final_com", cands)
            final = st.selectbox(ui.t("lok.final"), cands, format_func=com_names.get, key="lok_final_com")
            reason = st.text_input(ui.t("lok.reason"), key="lok_final_reason")
            if st.form_submit_button(ui.t("lok.save_final")):
                try:
                    commodity_store.decide(db, ui.role(), ui.user(), sid, "final", [final], reason)
                    st.rerun()
                except ValueError as exc:
                    st.error(str(exc))

    if edit and st.button(ui.t("lok.close"), key="lok_close",
                          disabled=not st.checkbox(ui.t("lok.close_confirm"), key="lok_close_confirm")):
        commodity_store.close_session(db, ui.role(), ui.user(), sid)
        st.rerun()
    rec = decision_record.build(db, sid)
    d1, d2 = st.columns(2)
    d1.download_button(ui.t("lok.record_docx"), documents.decision_record_docx(rec), f"berita_acara_{sid}.docx",
                       documents.DOCX_MIME, key="lok_docx", on_click="ignore")
    d2.download_button(ui.t("lok.record_xlsx"), documents.decision_record_xlsx(rec, lang), f"berita_acara_{sid}.xlsx",
                       documents.XLSX_MIME, key="lok_xlsx", on_click="ignore")

with tabs[5]:
    crit_table = commodity_store.ws_criteria(db, sid)[["criterion", "nama", "description"]].assign(active=True)
    edited = st.data_editor(crit_table, num_rows="dynamic", hide_index=True, disabled=["criterion"] if edit else True,
                            key=f"lok_crit_editor_{sid}", width="stretch", column_config=ui.editor_columns(
                                crit_table, {"criterion": st.column_config.TextColumn(ui.t("field.criterion_code"))}))
    if edit and st.button(ui.t("lok.save_criteria"), key="lok_save_crit"):
        try:
            commodity_store.save_criteria(db, ui.role(), ui.user(), sid, edited)
            st.rerun()
        except ValueError as exc:
            st.error(str(exc))

# ---------------------------------------------------------------- Langkah berikutnya: the chosen commodity's chain
choice = programme.final_choice(db, sid)
made = programme.made_from(db, "rantai", sid)
kab_name = fmt.short_area_name(kab_names.get(s["kabupaten"], s["kabupaten"]))
if made is not None:
    ui.next_step("lokakarya", ui.t("next.lokakarya.open", title=fmt.md_text(made[1])),
                 ui.t("next.lokakarya.open.btn"), "rantai",
                 action=lambda: st.session_state.update(vc_chain=made[0]))
else:
    def chain_from_choice() -> None:
        """Create (or find) the chain of this workshop's choice and select it on Rantai nilai."""
        title = ui.t("next.title.chain", commodity=com_names.get(choice, choice), kab=kab_name)
        st.session_state["vc_chain"] = programme.chain_from_workshop(db, ui.role(), ui.user(), sid, title)

    ui.next_step("lokakarya",
                 ui.t("next.lokakarya", commodity=fmt.md_text(com_names.get(choice, choice)), kab=fmt.md_text(kab_name))
                 if choice else ui.t("next.lokakarya", commodity="–", kab=fmt.md_text(kab_name)),
                 ui.t("next.lokakarya.btn"), "rantai", action=chain_from_choice,
                 blocked=None if choice else ui.t("next.lokakarya.blocked"), allowed=auth.can(ui.role(), "edit_chain"))
