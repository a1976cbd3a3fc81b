"""Rantai nilai: actors, flows (Sankey, value added, margin shares), market-system map, problem tree."""

import streamlit as st

from analytics.core import auth, fmt
from analytics.core.problems import ImportRejected
from analytics.monitoring import programme
from analytics.poverty import drilldown
from analytics.render import charts, diagrams, documents
from analytics.valuechain import analysis
from analytics.valuechain import store as vc_store
from pages import _ui as ui

db, lang, prov, year = ui.page_start("rantai")
may = auth.can(ui.role(), "edit_chain")
com_names, kab_names = ui.commodity_names(db), ui.kabupaten_names(db)
listed = vc_store.vc_chains(db, prov)  # the province worked in

if may:
    with st.expander(ui.t("rantai.new"), expanded=listed.empty):
        suggestion = vc_store.latest_workshop_choice(db)
        if suggestion:
            st.caption(ui.t("rantai.from_workshop", commodity=fmt.md_text(com_names.get(suggestion[0], suggestion[0])),
                            kab=fmt.md_text(kab_names.get(suggestion[1], suggestion[1]))))
        with st.form("rantai_new"):
            com_list, kab_list = list(com_names), list(ui.kabupaten_names(db, prov))  # the province worked in
            default_kab = suggestion[1] if suggestion else (drilldown.priority_kabupaten(db, prov) or kab_list[0])
            ui.keep("rantai_new_com", com_list,
                    default=suggestion[0] if suggestion and suggestion[0] in com_list else com_list[0])
            ui.keep("rantai_new_kab", kab_list, default=default_kab if default_kab in kab_list else kab_list[0])
            com = st.selectbox(ui.t("lok.commodity"), com_list, format_func=com_names.get, key="rantai_new_com")
            kab = st.selectbox(ui.t("lok.kabupaten"), kab_list, format_func=kab_names.get, key="rantai_new_kab")
            title = st.text_input(ui.t("lok.title_field"), key="rantai_new_title")
            if st.form_submit_button(ui.t("rantai.create")):
                try:
                    cid = vc_store.create_chain(db, ui.role(), ui.user(), com, kab, title)
                    st.session_state["vc_chain"] = cid
                    st.session_state.pop("rantai_new_title", None)
                    ui.flash(ui.t("created", title=fmt.md_text(title.strip())))
                    st.rerun()  # the form closes: the new chain is the one shown
                except ValueError as exc:
                    st.error(str(exc))

if listed.empty:
    st.info(ui.t("rantai.none"))
    st.stop()
cid, chain = ui.pick_stored(listed, ui.t("rantai.chain"), "vc_chain")
tables = vc_store.load(db, cid)
actors, flows = tables["actors"], tables["flows"]
type_labels = {k: ui.t(f"rantai.jenis.{k}") for k in analysis.TYPES}
actor_names = dict(zip(actors["actor"], actors["nama"], strict=False))  # flows show names, store codes
scenario_names = {k: ui.t(f"rantai.scenario.{k}") for k in analysis.SCENARIOS}

c1, c2 = st.columns(2)
scenario = c1.segmented_control(ui.t("rantai.scenario"), list(analysis.SCENARIOS), required=True,
                                format_func=lambda k: ui.t(f"rantai.scenario.{k}"),
                                **ui.persistent("vc_scenario", "sebelum", list(analysis.SCENARIOS)))
measure = c2.segmented_control(ui.t("rantai.measure"), ["volume", "nilai"], required=True,
                               format_func=lambda k: ui.t(f"rantai.measure.{k}"),
                               **ui.persistent("vc_measure", "volume", ["volume", "nilai"]))
tabs = st.tabs([ui.t(f"rantai.tab.{k}") for k in ("aliran", "pelaku", "sistem", "masalah")])


def save_button(name: str, frame, rerun: bool = True) -> None:
    """The save button under an editor (with a note while its edits are not stored): checks and stores the
    whole table, or shows why not."""
    if may:
        ui.unsaved(vc_store.load(db, cid)[name], frame)
    if may and st.button(ui.t(f"rantai.save_{name}"), key=f"vc_save_{name}"):
        try:
            vc_store.save(db, ui.role(), ui.user(), cid, name, frame)
            if rerun:
                st.rerun()
            st.success(ui.t("rantai.saved"))
        except ValueError as exc:
            st.error(str(exc))


@st.fragment
def flows_view() -> None:
    """The flow table, and the Sankey and margins that follow its edits (only this block reruns)."""
    current = vc_store.load(db, cid)["flows"]
    ids_ = actors["actor"].tolist()
    edited = st.data_editor(
        current, num_rows="dynamic", hide_index=True, key=f"vc_flows_{cid}", width="stretch", disabled=not may,
        column_config=ui.editor_columns(current, {
            "skenario": st.column_config.SelectboxColumn(options=list(analysis.SCENARIOS), required=True),
            "dari": st.column_config.SelectboxColumn(options=ids_, required=True),
            "ke": st.column_config.SelectboxColumn(options=ids_, required=True),
            "volume": st.column_config.NumberColumn(min_value=0),
            "harga": st.column_config.NumberColumn(min_value=0)},
            names={"skenario": scenario_names, "dari": actor_names, "ke": actor_names}))
    show = analysis.draft(edited)
    checks = analysis.check(actors, show) if not show.empty else []
    for c in checks:
        (st.error if c.severity == "error" else st.warning)(c.message)
    save_button("flows", edited, rerun=False)
    if show.empty or any(c.severity == "error" for c in checks):
        return
    unit = "Rp" if measure == "nilai" else str(show["satuan"].mode().iloc[0])
    data = analysis.sankey_data(actors, show, scenario, measure)
    ui.plotly(st, charts.sankey_figure(data, ui.t("rantai.sankey", scenario=ui.t(f"rantai.scenario.{scenario}")),
                                         unit),
                    width="stretch", key="vc_sankey")
    table = analysis.margins(actors, show, scenario)
    left, right = st.columns([3, 2])
    margin_cols = ["nama", "fungsi", "harga_beli", "harga_jual", "marjin_per_unit", "bagian_harga_akhir",
                   "nilai_tambah"]
    left.dataframe(fmt.display(table[margin_cols], {"harga_beli": "rupiah", "harga_jual": "rupiah",
                                                    "marjin_per_unit": "rupiah", "bagian_harga_akhir": "share",
                                                    "nilai_tambah": "rupiah"}, lang,
                               {c: ui.t(f"rantai.col.{c}") for c in margin_cols}),
                   hide_index=True, key="vc_margins")
    fig = charts.margin_bars(analysis.margin_by_type(table), type_labels, ui.t("rantai.by_type"))
    if fig is not None:
        ui.plotly(right, fig, width="stretch", key="vc_margin_chart")


with tabs[0]:
    if actors.empty:
        st.info(ui.t("rantai.no_actors"))
    else:
        flows_view()

with tabs[1]:
    edited_actors = st.data_editor(
        actors, num_rows="dynamic", hide_index=True, key=f"vc_actors_{cid}", width="stretch", disabled=not may,
        column_config=ui.editor_columns(actors, {
            "fungsi": st.column_config.SelectboxColumn(options=list(analysis.FUNCTIONS), required=True),
            "jenis": st.column_config.SelectboxColumn(options=list(analysis.TYPES), required=True),
            "perempuan": st.column_config.NumberColumn(min_value=0.0, max_value=1.0, step=0.01)},
            names={"fungsi": {k: ui.t(f"vals.fungsi.{k}") for k in analysis.FUNCTIONS}, "jenis": type_labels}))
    st.caption(ui.t("rantai.actors_help"))
    save_button("actors", edited_actors)

with tabs[2]:
    st.graphviz_chart(diagrams.system_dot(actors, tables["system"], ui.t("rantai.system_title",
                                                                     commodity=com_names.get(chain["commodity"], ""))),
                      width="stretch")
    edited_system = st.data_editor(tables["system"], num_rows="dynamic", hide_index=True, key=f"vc_system_{cid}",
                                   width="stretch", disabled=not may,
                                   column_config=ui.editor_columns(tables["system"], {
                                       "lapisan": st.column_config.SelectboxColumn(options=["pendukung", "aturan"],
                                                                                   required=True)},
                                       names={"lapisan": {k: ui.t(f"vals.lapisan.{k}") for k in ("pendukung",
                                                                                                 "aturan")}}))
    save_button("system", edited_system)

with tabs[3]:
    problems = tables["problems"]
    if not problems.empty:
        st.graphviz_chart(diagrams.problem_tree_dot(problems), width="stretch")
        st.markdown(f"**{ui.t('rantai.guideline')}**")
        st.dataframe(analysis.guideline_table(problems), hide_index=True, key="vc_guideline")
    edited_problems = st.data_editor(problems, num_rows="dynamic", hide_index=True, key=f"vc_problems_{cid}",
                                     width="stretch", disabled=not may, column_config=ui.editor_columns(problems))
    st.caption(ui.t("rantai.problems_help"))
    save_button("problems", edited_problems)

st.download_button(ui.t("rantai.xlsx"), documents.chain_xlsx(chain, tables, lang), f"rantai_nilai_{cid}.xlsx",
                   documents.XLSX_MIME, key="vc_xlsx", on_click="ignore")
if may:
    with st.expander(ui.t("rantai.import")):
        st.caption(ui.t("rantai.import_help"))
        up = st.file_uploader(ui.t("impor.file"), type=["xlsx"], key=f"vc_import_{cid}")
        if up is not None and st.button(ui.t("rantai.import_go"), key="vc_import_go"):
            try:
                counts = vc_store.import_xlsx(db, ui.role(), ui.user(), cid, up.name, up.getvalue())
                st.success(ui.t("rantai.imported", n=sum(counts.values())))
            except ImportRejected as exc:
                st.error(ui.t("impor.rejected"))
                for p in exc.problems[:20]:
                    st.error(p.text())

# ---------------------------------------------------------------- Langkah berikutnya: a business model on this chain
made = programme.made_from(db, "bisnis", cid)
if made is not None:
    ui.next_step("rantai", ui.t("next.rantai.open", model="", title=fmt.md_text(made[1])),
                 ui.t("next.rantai.open.btn"), "bisnis", action=lambda: st.session_state.update(bm_model=made[0]))
else:
    ui.keep("next_rantai_kind", ["A", "B"])
    kind = st.radio(ui.t("bisnis.model"), ["A", "B"], horizontal=True, key="next_rantai_kind",
                    format_func=lambda k: ui.t(f"bisnis.model.{k}")) if may else "A"

    def model_from_chain() -> None:
        """Create (or find) the business model of this chain and select it on Model bisnis."""
        title = ui.t("next.title.model", model=kind, commodity=com_names.get(chain["commodity"], chain["commodity"]),
                     kab=fmt.short_area_name(kab_names.get(chain["kabupaten"], chain["kabupaten"])))
        st.session_state["bm_model"] = programme.model_from_chain(db, ui.role(), ui.user(), cid, kind, title)

    text = ui.t("next.rantai")
    if len(actors) < 2 or flows.empty:
        text += " " + ui.t("next.rantai.few", actors=len(actors), flows=len(flows))
    ui.next_step("rantai", text, ui.t("next.rantai.btn"), "bisnis", action=model_from_chain,
                 allowed=auth.can(ui.role(), "edit_business"))
