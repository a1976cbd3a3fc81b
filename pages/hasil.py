"""Rantai hasil: the results chain, its monitoring plan, target vs realisation, APP indicator templates
and the review log."""

from datetime import date

import streamlit as st

from analytics.business import crossing
from analytics.business import store as bm_store
from analytics.core import auth, fmt
from analytics.core.problems import ImportRejected
from analytics.monitoring import graduation, results
from analytics.monitoring import store as mon_store
from analytics.render import charts, diagrams, documents
from pages import _ui as ui

db, lang, prov, year = ui.page_start("hasil")
PROGRESS_KINDS = {c: "num" for c in ("target", "realisasi", "perubahan", "perempuan", "laki_laki", "disabilitas",
                                     "total")} | {"capaian": "share", "period": "text"}  # how the progress tables read
may = auth.can(ui.role(), "edit_monitoring")
listed = mon_store.rc_chains(db, prov)  # the province worked in
levels = {k: ui.t(f"hasil.level.{k}") for k in results.LEVELS}
changes = {k: ui.t(f"hasil.change.{k}") for k in results.CHANGE_LEVELS}

if may:
    with st.expander(ui.t("hasil.new"), expanded=listed.empty):
        models = bm_store.bm_models(db, prov)
        with st.form("rc_new"):
            options = [None] + models["id"].tolist()
            titles = dict(zip(models["id"], models["title"], strict=False))
            ui.keep("rc_new_model", options, default=options[1] if len(options) > 1 else None)
            mid = st.selectbox(ui.t("hasil.from_model"), options,
                               format_func=lambda m: ui.t("hasil.no_model") if m is None else titles[m],
                               key="rc_new_model")
            title = st.text_input(ui.t("lok.title_field"), key="rc_new_title")
            start = st.number_input(ui.t("hasil.start_year"), 2020, 2100, date.today().year, key="rc_new_year")
            if st.form_submit_button(ui.t("rantai.create")):
                try:
                    new_id = mon_store.create_results_chain(db, ui.role(), ui.user(), title, mid, int(start))
                    st.session_state["rc_chain"] = new_id
                    st.session_state.pop("rc_new_title", None)
                    ui.flash(ui.t("created", title=fmt.md_text(title.strip())))
                    st.rerun()  # the form closes: the new results chain is the one shown
                except ValueError as exc:
                    st.error(str(exc))

if listed.empty:
    st.info(ui.t("hasil.none"))
    st.stop()
cid, info = ui.pick_stored(listed, ui.t("hasil.chain"), "rc_chain")
tables = mon_store.load_results_chain(db, cid)
boxes, inds = tables["boxes"], tables["indicators"]
prog = results.progress(inds, mon_store.rc_values(db, cid))
revs = mon_store.reviews(db, cid)
tabs = st.tabs([ui.t(f"hasil.tab.{k}") for k in ("rantai", "rencana", "capaian", "templat", "tinjauan", "graduasi")])


def save(name: str, frame) -> None:
    """Save button under an editor (with a note while its edits are not stored): the whole table is checked
    and stored, or every problem shown."""
    if may:
        ui.unsaved(tables[name], frame)
    if may and st.button(ui.t("bisnis.save"), key=f"rc_save_{name}"):
        try:
            mon_store.save_results_table(db, ui.role(), ui.user(), cid, name, frame)
            st.rerun()
        except ValueError as exc:
            ui.show_errors(exc)


with tabs[0]:
    view = st.segmented_control(ui.t("hasil.view"), ["level", "perubahan"], required=True,
                                format_func=lambda k: ui.t(f"hasil.view.{k}"), **ui.persistent("rc_view", "level",
                                                                                                ["level", "perubahan"]))
    if view == "perubahan":  # the Juknis's seven levels of change, lowest first
        st.graphviz_chart(diagrams.chain_dot(boxes, inds, changes, by="perubahan"), width="content")
    else:
        st.graphviz_chart(diagrams.chain_dot(boxes, inds, levels), width="content")
    edited = st.data_editor(boxes, num_rows="dynamic", hide_index=True, key=f"rc_boxes_{cid}", width="stretch",
                            disabled=not may,
                            column_config=ui.editor_columns(boxes, {
                                "level": st.column_config.SelectboxColumn(options=list(results.LEVELS), required=True),
                                "perubahan": st.column_config.SelectboxColumn(options=list(results.CHANGE_LEVELS))},
                                names={"level": levels, "perubahan": changes}))
    st.caption(ui.t("hasil.boxes_help"))
    save("boxes", edited)

with tabs[1]:
    st.caption(ui.t("hasil.plan_help"))
    edited = st.data_editor(inds, num_rows="dynamic", hide_index=True, key=f"rc_inds_{cid}", width="stretch",
                            disabled=not may,
                            column_config=ui.editor_columns(inds, {
                                "box": st.column_config.SelectboxColumn(options=boxes["box"].tolist(), required=True),
                                "tema": st.column_config.SelectboxColumn(options=list(results.THEMES)),
                                "sumber_kelompok": st.column_config.SelectboxColumn(options=list(results.SOURCES)),
                                "pilah": st.column_config.CheckboxColumn(),
                                "jenis_data": st.column_config.SelectboxColumn(options=list(results.DATA_KINDS)),
                                "ukuran_sampel": st.column_config.NumberColumn(min_value=1, step=1),
                                "target": st.column_config.NumberColumn(ui.t("field.target_akhir"))},
                                names={"tema": {k: ui.t(f"hasil.tema.{k}") for k in results.THEMES},
                                       "sumber_kelompok": {k: ui.t(f"hasil.sumber.{k}") for k in results.SOURCES}}))
    save("indicators", edited)

with tabs[2]:
    names = dict(zip(inds["ind"], inds["nama"], strict=False))
    if inds.empty:
        st.info(ui.t("hasil.no_indicators"))
    else:
        ui.keep("rc_ind", inds["ind"].tolist())
        pick = st.selectbox(ui.t("hasil.indicator"), inds["ind"].tolist(), key="rc_ind",
                            format_func=lambda i: f"{i}: {names[i]}")
        one = prog[prog["ind"] == pick]
        unit = str(inds.set_index("ind").loc[pick, "satuan"])
        fig = charts.target_realisation(one, ui.t("hasil.chart_title", ind=names[pick]),
                                        {k: ui.t(f"hasil.col.{k}") for k in ("target", "realisasi", "perempuan",
                                                                              "disabilitas")}, unit)
        if fig is not None:
            ui.plotly(st, fig, width="stretch", key="rc_chart")
        shown = one.drop(columns=["ind", "nama"])
        st.table(fmt.display(shown, PROGRESS_KINDS, lang, {c: ui.t(f"hasil.col.{c}") for c in shown.columns})
                 .set_index(ui.t("hasil.col.period")))
        if may:
            with st.form("rc_value"):
                c = st.columns([1, 1, 1, 1, 1, 1])
                period = c[0].text_input(ui.t("hasil.col.period"), value=str(year), key="rc_v_period")
                ui.keep("rc_v_kind", ["realisasi", "target"])
                jenis = c[1].radio(ui.t("hasil.kind"), ["realisasi", "target"], key="rc_v_kind",
                                   format_func=lambda k: ui.t(f"hasil.col.{k}"))
                vals = {k: c[i + 2].number_input(ui.t(f"hasil.col.{k}"), min_value=0.0, value=None, key=f"rc_v_{k}")
                        for i, k in enumerate(results.DISAGGREGATIONS)}
                if st.form_submit_button(ui.t("hasil.record")):
                    try:
                        mon_store.record_values(db, ui.role(), ui.user(), cid, pick, period, jenis, vals)
                        st.rerun()
                    except ValueError as exc:
                        ui.show_errors(exc)
        st.markdown(f"**{ui.t('hasil.all')}**")
        st.dataframe(fmt.display(prog, PROGRESS_KINDS, lang, {c: ui.t(f"hasil.col.{c}") for c in prog.columns}),
                     hide_index=True, key="rc_all")

with tabs[3]:
    st.caption(ui.t("hasil.templates_help"))
    c1, c2 = st.columns(2)
    ui.keep("rc_themes", list(results.THEMES), default=list(results.THEMES))
    ui.keep("rc_sources", list(results.SOURCES), default=list(results.SOURCES))
    themes = c1.multiselect(ui.t("hasil.theme"), list(results.THEMES), key="rc_themes",
                            format_func=lambda k: ui.t(f"hasil.tema.{k}"))
    sources = c2.multiselect(ui.t("hasil.source"), list(results.SOURCES),
                             key="rc_sources", format_func=lambda k: ui.t(f"hasil.sumber.{k}"))
    tpl = results.APP_TEMPLATES[results.APP_TEMPLATES["tema"].isin(themes)
                                & results.APP_TEMPLATES["sumber_kelompok"].isin(sources)]
    tpl_shown = fmt.display(tpl.assign(tema=tpl["tema"].map(lambda k: ui.t(f"hasil.tema.{k}")),
                                       sumber_kelompok=tpl["sumber_kelompok"].map(lambda k: ui.t(f"hasil.sumber.{k}"))),
                            {"pilah": "yesno"}, lang, {c: ui.t(f"hasil.tpl.{c}") for c in tpl.columns})
    chosen = st.dataframe(tpl_shown, hide_index=True, key="rc_tpl", on_select="rerun", selection_mode="multi-row",
                          width="stretch")
    rows = tpl.iloc[chosen.selection.rows] if chosen and chosen.selection.rows else tpl.iloc[0:0]
    if may and not boxes.empty:
        ui.keep("rc_tpl_box", boxes["box"].tolist())
        box = st.selectbox(ui.t("hasil.to_box"), boxes["box"].tolist(), key="rc_tpl_box",
                           format_func=lambda b: f"{b}: {boxes.set_index('box').loc[b, 'teks']}")
        if st.button(ui.t("hasil.add_templates", n=len(rows)), key="rc_tpl_add", disabled=rows.empty):
            try:
                n = mon_store.add_templates(db, ui.role(), ui.user(), cid, rows, box)
                st.success(ui.t("hasil.added", n=n))
            except ValueError as exc:
                st.error(str(exc))

with tabs[4]:
    if not revs.empty:
        shown = revs[["tanggal", "jenis", "agenda", "temuan", "keputusan", "alasan", "indikator"]].copy()
        shown["indikator"] = shown["indikator"].map(lambda v: ", ".join(v) if v is not None else "")
        shown["keputusan"] = shown["keputusan"].map(lambda k: ui.t(f"hasil.keputusan.{k}"))
        shown["jenis"] = shown["jenis"].map(lambda k: ui.t(f"hasil.jenis.{k}"))
        st.dataframe(fmt.display(shown, {}, lang, {c: ui.t(f"hasil.rev.{c}") for c in shown.columns}),
                     hide_index=True, key="rc_reviews", width="stretch")
    else:
        st.info(ui.t("hasil.no_reviews"))
    if may:
        with st.form("rc_review"):
            c = st.columns(3)
            ui.keep("rc_r_kind", list(results.REVIEW_KINDS))
            ui.keep("rc_r_decision", list(results.DECISIONS))
            ui.keep("rc_r_inds", inds["ind"].tolist())
            jenis = c[0].selectbox(ui.t("hasil.rev.jenis"), list(results.REVIEW_KINDS), key="rc_r_kind",
                                   format_func=lambda k: ui.t(f"hasil.jenis.{k}"))
            tanggal = c[1].date_input(ui.t("hasil.rev.tanggal"), key="rc_r_date")
            keputusan = c[2].selectbox(ui.t("hasil.rev.keputusan"), list(results.DECISIONS), key="rc_r_decision",
                                       format_func=lambda k: ui.t(f"hasil.keputusan.{k}"))
            agenda = st.text_area(ui.t("hasil.rev.agenda"), key="rc_r_agenda", help=ui.t("hasil.agenda_help"))
            temuan = st.text_area(ui.t("hasil.rev.temuan"), key="rc_r_findings")
            alasan = st.text_input(ui.t("hasil.rev.alasan"), key="rc_r_reason")
            discussed = st.multiselect(ui.t("hasil.rev.indikator"), inds["ind"].tolist(), key="rc_r_inds",
                                       format_func=lambda i: f"{i}: {inds.set_index('ind')['nama'][i]}")
            if st.form_submit_button(ui.t("hasil.rev.save")):
                try:
                    mon_store.add_review(db, ui.role(), ui.user(), cid, jenis, tanggal, agenda, temuan, keputusan,
                                       alasan, discussed)
                    st.rerun()
                except ValueError as exc:
                    ui.show_errors(exc)

with tabs[5]:
    st.caption(ui.t("grad.help"))
    statuses = {s: ui.t(f"grad.st.{s}") for s in graduation.STATUSES}
    line = crossing.area_line(db, str(info["kabupaten"])) if isinstance(info["kabupaten"], str) else None
    st.caption(ui.t("grad.line", line=fmt.rupiah(line.z, lang), year=line.period) if line else ui.t("grad.no_line"))
    hh = mon_store.households(db, cid)
    edited = st.data_editor(hh, num_rows="dynamic", hide_index=True, key=f"rc_households_{cid}", width="stretch",
                            disabled=not may,
                            column_config=ui.editor_columns(hh, {
                                "status": st.column_config.SelectboxColumn(options=list(graduation.STATUSES)),
                                "period": st.column_config.TextColumn(),
                                "pengeluaran": st.column_config.NumberColumn(min_value=0)},
                                names={"status": statuses}))
    if may:
        ui.unsaved(hh, edited)
    if may and st.button(ui.t("grad.save"), key="rc_households_save"):
        try:
            n = mon_store.save_households(db, ui.role(), ui.user(), cid, edited, line.z if line else None)
            ui.flash(ui.t("grad.saved", n=n))
            st.rerun()
        except ValueError as exc:
            ui.show_errors(exc)
    if may:
        up = st.file_uploader(ui.t("grad.upload"), type=["csv", "xlsx"], key=f"rc_households_file_{cid}",
                              help=ui.t("grad.upload_help"))
        if up is not None and st.button(ui.t("grad.import"), key="rc_households_import"):
            try:
                n = mon_store.import_households(db, ui.role(), ui.user(), int(cid), up.name, up.getvalue(),
                                                line.z if line else None)
                ui.flash(ui.t("grad.imported", n=n))
                st.rerun()
            except ImportRejected as exc:
                st.error(ui.t("impor.rejected"))
                for problem in exc.problems[:20]:
                    st.error(problem.text())
    if hh.empty:
        st.info(ui.t("grad.none"))
    else:
        table = graduation.counts(hh)
        fig = charts.status_bars(table, statuses, ui.t("grad.counts_title"))
        if fig is not None:
            ui.plotly(st, fig, width="stretch", key="grad_counts")
        pers = graduation.periods(hh)
        if len(pers) < 2:
            st.info(ui.t("grad.one_period"))
        else:
            c1, c2 = st.columns(2)
            ui.keep("grad_from", pers, default=pers[-2])
            ui.keep("grad_to", pers, default=pers[-1])
            a = c1.selectbox(ui.t("grad.from"), pers, key="grad_from")
            b = c2.selectbox(ui.t("grad.to"), pers, key="grad_to")
            moved = graduation.movement(hh, a, b)
            with st.container(horizontal=True, wrap=True, key="grad_cards"):
                for k, v in moved.items():
                    st.metric(ui.t(f"grad.{k}"), fmt.number(v, 0, lang), width="content", border=True)
            grid = graduation.transitions(hh, a, b)
            flow = graduation.flows(grid, statuses, a, b)
            if flow["value"]:
                ui.plotly(st, charts.sankey_figure(flow, ui.t("grad.flow_title", a=a, b=b), ui.t("grad.hh")),
                          width="stretch", key="grad_flow")
            st.caption(ui.t("grad.matrix", a=a, b=b))
            st.dataframe(grid.rename(index=statuses, columns=statuses), key="grad_matrix")

st.download_button(ui.t("hasil.xlsx"), documents.results_xlsx(info, tables, prog, revs, lang),
                   f"rantai_hasil_{cid}.xlsx",
                   documents.XLSX_MIME, key="rc_xlsx", on_click="ignore")

# ---------------------------------------------------------------- Langkah berikutnya: what leadership sees
ui.next_step("hasil", ui.t("next.hasil"), ui.t("next.hasil.btn"), "pimpinan")
