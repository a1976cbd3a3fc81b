"""Model bisnis: models A/B, per-actor before/after, what-if and tornado, outreach and returns, cost
sharing, proposal annexes."""

import streamlit as st

from analytics.business import annexes, calc, crossing
from analytics.business import store as bm_store
from analytics.core import auth, fmt
from analytics.core import store as core_store
from analytics.monitoring import programme
from analytics.render import charts, diagrams, documents
from analytics.valuechain import store as vc_store
from pages import _ui as ui

db, lang, prov, year = ui.page_start("bisnis")
may = auth.can(ui.role(), "edit_business")
com_names, kab_names = ui.commodity_names(db), ui.kabupaten_names(db)
role_labels = {r: ui.t(f"bisnis.peran.{r}") for r in calc.ROLES}
listed = bm_store.bm_models(db, prov)  # the province worked in

if may:
    with st.expander(ui.t("bisnis.new"), expanded=listed.empty):
        chains_ = vc_store.vc_chains(db, prov)
        with st.form("bm_new"):
            options = [None] + chains_["id"].tolist()
            chain_titles = dict(zip(chains_["id"], chains_["title"], strict=False))
            com_list, kab_list = list(com_names), list(ui.kabupaten_names(db, prov))  # the province worked in
            ui.keep("bm_new_chain", options, default=options[1] if len(options) > 1 else None)
            ui.keep("bm_new_kind", ["A", "B"])
            ui.keep("bm_new_com", com_list)
            ui.keep("bm_new_kab", kab_list)
            cid = st.selectbox(ui.t("bisnis.from_chain"), options,
                               format_func=lambda c: ui.t("bisnis.no_chain") if c is None else chain_titles[c],
                               key="bm_new_chain")
            kind = st.radio(ui.t("bisnis.model"), ["A", "B"], horizontal=True, key="bm_new_kind",
                            format_func=lambda k: ui.t(f"bisnis.model.{k}"))
            com = st.selectbox(ui.t("lok.commodity"), com_list, format_func=com_names.get, key="bm_new_com",
                               help=ui.t("bisnis.com_help"))
            kab = st.selectbox(ui.t("lok.kabupaten"), kab_list, format_func=kab_names.get, key="bm_new_kab")
            title = st.text_input(ui.t("lok.title_field"), key="bm_new_title")
            if st.form_submit_button(ui.t("rantai.create")):
                try:
                    if cid is not None:
                        row = chains_.set_index("id").loc[cid]
                        com, kab = str(row["commodity"]), str(row["kabupaten"])
                    mid = bm_store.create_model(db, ui.role(), ui.user(), title, kind, com, kab, cid)
                    st.session_state["bm_model"] = mid
                    st.session_state.pop("bm_new_title", None)
                    ui.flash(ui.t("created", title=fmt.md_text(title.strip())))
                    st.rerun()  # the form closes: the new model is the one shown
                except ValueError as exc:
                    st.error(str(exc))

if listed.empty:
    st.info(ui.t("bisnis.none"))
    st.stop()
mid, info = ui.pick_stored(listed, ui.t("bisnis.model_pick"), "bm_model")
tables = bm_store.load(db, mid)
names = dict(zip(tables["actors"]["peran"], tables["actors"]["nama"], strict=False))
if isinstance(info["chain_title"], str):  # built on a value chain (its title; no chain: nothing to say)
    st.caption(ui.t("bisnis.chain_link", chain=fmt.md_text(info["chain_title"])))
rate = float(info["discount_rate"])
ev = calc.evaluate(tables, rate)
poor = calc.poor_households(db, str(info["kabupaten"]), tables)

if ev.empty:  # one verdict per calculation, and none before there is anything to calculate
    st.info(ui.t("bisnis.empty"), icon=":material/edit_note:")
elif ev.losers:
    st.warning(ui.t("bisnis.losers", who=", ".join(fmt.md_text(names.get(r, r)) for r in ev.losers)))
else:
    st.success(ui.t("bisnis.all_better"))

tabs = st.tabs([ui.t(f"bisnis.tab.{k}") for k in ("model", "pelaku", "jangkauan", "biaya", "lampiran")])


def irr_text(r: dict) -> str:
    """The IRR as a percentage, or 'tidak ada' (the reason is shown beside it)."""
    return fmt.percent(100 * r["irr"], 1, lang) if r["irr"] is not None else ui.t("bisnis.irr_none")


def save(name: str, frame, peran: str | None = None) -> None:
    """The save button under an editor (with a note while its edits are not stored): checks and stores the
    table, or shows every problem."""
    if may:
        ui.unsaved(ev.lines[peran] if name == "lines" and peran else tables[name], frame)
    if may and st.button(ui.t("bisnis.save"), key=f"bm_save_{name}_{peran or ''}"):
        try:
            bm_store.save(db, ui.role(), ui.user(), mid, name, frame, peran)
            st.rerun()
        except ValueError as exc:
            ui.show_errors(exc)


with tabs[0]:
    dot_labels = {**role_labels, **{k: ui.t(f"bisnis.dot.{k}") for k in
                                    ("produk", "uang", "investasi", "pinjaman", "cicilan", "rujukan", "input")}}
    st.graphviz_chart(diagrams.model_dot(str(info["model"]), names, ev.lines, dot_labels), width="content")
    st.caption(ui.t("bisnis.dot.legend") + " " + ui.t(f"bisnis.model.{info['model']}.help"))
    edited = st.data_editor(tables["actors"], num_rows="dynamic", hide_index=True, key=f"bm_actors_{mid}",
                            width="stretch", disabled=not may,
                            column_config=ui.editor_columns(tables["actors"], {
                                "peran": st.column_config.SelectboxColumn(options=list(calc.ROLES), required=True),
                                "rumah_tangga": st.column_config.NumberColumn(min_value=0)},
                                names={"peran": role_labels}))
    st.caption(ui.t("bisnis.actors_help"))
    save("actors", edited)


@st.fragment
def whatif() -> None:
    """What-if sliders, the per-actor table and the tornado chart (only this block reruns)."""
    c1, c2, c3, c4 = st.columns([1, 1, 1, 1.3])
    price = c1.slider(ui.t("bisnis.wi.price"), -30, 30, 0, 5, key="bm_wi_price", format="%d%%")
    volume = c2.slider(ui.t("bisnis.wi.volume"), -30, 30, 0, 5, key="bm_wi_volume", format="%d%%")
    cost = c3.slider(ui.t("bisnis.wi.cost"), -30, 30, 0, 5, key="bm_wi_cost", format="%d%%")
    roles = list(ev.lines)
    ui.keep("bm_wi_scope", [None] + roles)
    scope = c4.selectbox(ui.t("bisnis.wi.scope"), [None] + roles, key="bm_wi_scope",
                         format_func=lambda r: ui.t("bisnis.wi.all") if r is None else role_labels[r])
    w = calc.evaluate(tables, rate, price=price / 100, volume=volume / 100, cost=cost / 100, scope=scope)
    shown = annexes.summary_display(w.summary, names, role_labels, lang)
    shown["pelaku"] = shown["pelaku"].map(fmt.md_text)  # st.table renders Markdown in its cells
    st.table(shown.rename(columns=lambda c: ui.t(f"bisnis.col.{c}")).set_index(ui.t("bisnis.col.pelaku")))
    if (price, volume, cost) != (0, 0, 0) and not w.empty:  # the what-if's own verdict, said as the what-if's
        who_loses = ", ".join(fmt.md_text(names.get(r, r)) for r in w.losers)
        (st.warning(ui.t("bisnis.wi.losers", who=who_loses)) if w.losers else st.info(ui.t("bisnis.wi.all_better")))
    left, right = st.columns([3, 2])
    ui.keep("bm_tornado_actor", roles)
    who = left.selectbox(ui.t("bisnis.tornado_actor"), roles, key="bm_tornado_actor", format_func=role_labels.get)
    hh = float(tables["actors"].set_index("peran").loc[who, "rumah_tangga"] or 1.0)
    table = calc.tornado(w.lines[who], households=hh)
    fig = charts.tornado(table, {f: ui.t(f"bisnis.factor.{f}") for f in calc.TORNADO_FACTORS},
                         ui.t("bisnis.minus20"), ui.t("bisnis.plus20"),
                         ui.t("bisnis.tornado_title", actor=names.get(who, who)),
                         ui.t("bisnis.tornado_axis" if hh > 1 else "bisnis.tornado_axis_total"), lang)
    ui.plotly(left, fig, width="stretch", key="bm_tornado")
    r = w.returns
    right.metric(ui.t("bisnis.npv"), fmt.rupiah_short(r["npv"], lang))
    right.metric(ui.t("bisnis.irr"), irr_text(r))
    if r["irr"] is None:
        right.caption(r["irr_reason"])


with tabs[1]:
    st.caption(ui.t("bisnis.wi.help"))
    whatif()
    st.divider()
    roles = list(ev.lines)
    ui.keep("bm_actor", roles)
    who = st.selectbox(ui.t("bisnis.actor"), roles, key="bm_actor",
                       format_func=lambda r: f"{role_labels[r]}: {names.get(r, '')}")
    hh = float(tables["actors"].set_index("peran").loc[who, "rumah_tangga"] or 1.0)
    ba = calc.before_after(ev.lines[who],
                           hh).assign(ukuran=lambda d: d["ukuran"].map(lambda k: ui.t(f"bisnis.ukuran.{k}")))
    st.table(annexes.as_text(ba, ["sebelum", "sesudah", "tambahan", "tambahan_per_rt"], lang=lang)
             .rename(columns=lambda c: ui.t(f"bisnis.col.{c}")).set_index(ui.t("bisnis.col.ukuran")))
    lines = st.data_editor(ev.lines[who], num_rows="dynamic", hide_index=True, key=f"bm_lines_{mid}_{who}",
                           width="stretch", disabled=not may,
                           column_config=ui.editor_columns(ev.lines[who], {
                               "skenario": st.column_config.SelectboxColumn(options=["sebelum", "sesudah"],
                                                                            required=True),
                               "jenis": st.column_config.SelectboxColumn(options=list(calc.KINDS), required=True)},
                               names={"skenario": {k: ui.t(f"rantai.scenario.{k}") for k in ("sebelum", "sesudah")},
                                      "jenis": {k: ui.t(f"vals.kind.{k}") for k in calc.KINDS}}))
    st.caption(ui.t("bisnis.lines_help"))
    save("lines", lines, who)

with tabs[2]:
    left, right = st.columns([2, 3])
    with left:
        outreach = st.data_editor(tables["outreach"], num_rows="dynamic", hide_index=True, key=f"bm_outreach_{mid}",
                                  disabled=not may,
                                  column_config=ui.editor_columns(tables["outreach"], {
                                      "rt_baru": st.column_config.NumberColumn(min_value=0)}))
        save("outreach", outreach)
        st.markdown(f"**{ui.t('bisnis.persist_title')}**", help=ui.t("bisnis.persist_help"))
        persistence = st.data_editor(
            tables["persistence"], num_rows="dynamic", hide_index=True, key=f"bm_persistence_{mid}", disabled=not may,
            column_config=ui.editor_columns(tables["persistence"], {
                "tahun_ke": st.column_config.NumberColumn(min_value=1, max_value=calc.MAX_YEARS, step=1),
                "bertahan": st.column_config.NumberColumn(min_value=0, max_value=100),
                "capaian": st.column_config.NumberColumn(min_value=0, max_value=100)}))
        save("persistence", persistence)
        if may and st.button(ui.t("bisnis.persist_preset"), key="bm_persist_preset"):
            bm_store.save(db, ui.role(), ui.user(), mid, "persistence", calc.INKLUSI_PERSISTENCE)
            st.session_state.pop(f"bm_persistence_{mid}", None)
            st.rerun()
        new_rate = st.number_input(ui.t("bisnis.rate"), 0.0, 99.0, round(rate * 100, 2), 0.5, key=f"bm_rate_{mid}",
                                   disabled=not may)
        if may and abs(new_rate / 100 - rate) > 1e-9 and st.button(ui.t("bisnis.rate_save"), key="bm_rate_save"):
            bm_store.set_rate(db, ui.role(), ui.user(), mid, new_rate / 100)
            st.rerun()
        partners = st.toggle(ui.t("bisnis.partners"), value=True, key="bm_partners")
    view = calc.evaluate(tables, rate, include_partners=partners)
    share, warn = calc.outreach_check(view, poor)
    with right:
        r = view.returns
        m = st.columns(3)
        m[0].metric(ui.t("bisnis.npv"), fmt.rupiah_short(r["npv"], lang))
        m[1].metric(ui.t("bisnis.irr"), irr_text(r))
        m[2].metric(ui.t("bisnis.bcr"), fmt.number(r["bcr"], 2, lang) if r["bcr"] is not None else "–")
        m = st.columns(3)
        m[0].metric(ui.t("bisnis.payback"), ui.t("bisnis.years", n=fmt.number(r["payback"], 1, lang))
                    if r["payback"] is not None else ui.t("bisnis.no_payback"))
        m[1].metric(ui.t("bisnis.cost_total"), fmt.rupiah_short(r["biaya_total"], lang))
        m[2].metric(ui.t("bisnis.cost_per_hh"),
                    fmt.rupiah_short(r["biaya_per_rt"], lang, 2) if r["biaya_per_rt"] else "–")
        if r["irr"] is None:
            st.info(ui.t("bisnis.irr_why", reason=r["irr_reason"]))
        if view.adjusted:
            full = view.returns_full
            st.info(ui.t("bisnis.adjusted", text=calc.persistence_text(tables["persistence"], lang),
                         npv=fmt.rupiah_short(full["npv"], lang), irr=irr_text(full),
                         bcr=fmt.number(full["bcr"], 2, lang) if full["bcr"] is not None else "–"),
                    icon=":material/trending_down:")
        else:
            st.caption(ui.t("bisnis.not_adjusted"))
        st.caption(ui.t("bisnis.returns_help"))
    proj = annexes.as_text(view.projection, ["penjualan_pokmas", "tambahan_pendapatan_rt", "tambahan_laba_mitra",
                                               "tambahan_total"],
                           ["rt_baru", "rt_terjangkau", "rt_aktif", "rt_berpenghasilan", "volume_pokmas"], lang)
    st.table(proj.assign(skala=view.projection["skala"].map(lambda v: fmt.number(v, 2, lang)),
                         tahun=proj["tahun"].astype(str))
             .rename(columns=lambda c: ui.t(f"bisnis.col.{c}")).set_index(ui.t("bisnis.col.tahun")))
    if poor is None:
        st.info(ui.t("bisnis.no_register"))
    else:
        st.markdown(ui.t("bisnis.poor", n=fmt.number(poor.households, 0, lang), scope=", ".join(poor.scope),
                         register=poor.register, share=fmt.percent(100 * share, 1, lang) if share is not None else "–"))
        if warn:
            st.warning(warn)
    st.markdown(f"**{ui.t('cross.title')}**", help=ui.t("cross.help"))
    line = crossing.area_line(db, str(info["kabupaten"]))
    if line is None:
        st.info(ui.t("cross.no_line"))
    else:
        c1, c2, c3 = st.columns(3)
        size = c1.number_input(ui.t("cross.size"), 1.0, 20.0, 4.0, 0.1, key="cross_size")
        spend = c2.number_input(ui.t("cross.spend"), 0, 100, 100, 5, key="cross_spend")
        poor_pct = c3.number_input(ui.t("cross.poor"), 0, 100, 100, 5, key="cross_poor")
        try:
            est = crossing.from_model(view, line, size, spend / 100, poor_pct / 100)
        except ValueError as exc:
            est = None
            st.error(ui.t("cross.error", reason=str(exc)))
        else:
            if est is None:
                st.info(ui.t("cross.no_gain"))
        if est is not None:
            m = st.columns(3)
            m[0].metric(ui.t("cross.per_capita"), fmt.rupiah(est.added_per_capita, lang))
            m[1].metric(ui.t("cross.gap"), fmt.rupiah(est.mean_gap_rp, lang))
            m[2].metric(ui.t("cross.crossing"), fmt.number(est.crossing, 0, lang))
            st.markdown(ui.t("cross.of", n=fmt.number(est.crossing, 0, lang), poor=fmt.number(est.poor_households, 0,
                                                                                               lang),
                             share=fmt.percent(100 * est.share, 1, lang)))
            area = core_store.area_names(db, [line.kode]).get(line.kode, line.kode)
            st.caption(ui.t("cross.assume", text=crossing.assumption_text(est, fmt.md_text(area), lang)))
            if line.synthetic and not bool(info["is_synthetic"]):
                ui.synthetic_label()
    fig = charts.outreach_bars(view.projection, poor.households if poor else None, ui.t("bisnis.outreach_title"),
                               ui.t("bisnis.col.rt_terjangkau"), ui.t("bisnis.poor_line"), ui.t("bisnis.col.tahun"))
    if fig is not None:
        ui.plotly(st, fig, width="stretch", key="bm_outreach_chart")

with tabs[3]:
    budget = st.data_editor(tables["budget"], num_rows="dynamic", hide_index=True, key=f"bm_budget_{mid}",
                            width="stretch", disabled=not may,
                            column_config=ui.editor_columns(tables["budget"], {
                                "sumber": st.column_config.SelectboxColumn(options=list(calc.SOURCES), required=True),
                                "tahun": st.column_config.NumberColumn(min_value=0, max_value=10, step=1),
                                "nilai": st.column_config.NumberColumn(ui.t("field.nilai_rp"), min_value=0)}))
    st.caption(ui.t("bisnis.budget_help"))
    save("budget", budget)
    c1, c2 = st.columns([3, 2])
    fig = charts.sharing_bars(ev.sharing, ui.t("bisnis.sharing_title"), "Rp", lang)
    if fig is not None:
        ui.plotly(c1, fig, width="stretch", key="bm_sharing")
    c2.metric(ui.t("bisnis.leverage"), fmt.number(ev.leverage, 2, lang) if ev.leverage is not None else "–",
              help=ui.t("bisnis.leverage_help"))
    for w in ev.warnings:
        c2.warning(w)
    if not ev.warnings and ev.sharing["nilai"].sum() > 0:
        c2.success(ui.t("bisnis.balanced"))

with tabs[4]:
    sheets = annexes.annexes(info, tables, ev, poor, bm_store.chain_problems(db, mid), bm_store.code_names(db, mid))
    c1, c2 = st.columns(2)
    c1.download_button(ui.t("bisnis.xlsx"), documents.annex_xlsx(info, sheets, lang),
                       f"lampiran_model_bisnis_{mid}.xlsx",
                       documents.XLSX_MIME, key="bm_xlsx", on_click="ignore")
    c2.download_button(ui.t("bisnis.docx"), documents.annex_docx(info, sheets), f"lampiran_model_bisnis_{mid}.docx",
                       documents.DOCX_MIME, key="bm_docx", on_click="ignore")
    pick = st.selectbox(ui.t("bisnis.annex"), list(sheets), key="bm_annex")
    st.dataframe(fmt.display(sheets[pick], fmt.kinds_by_header(sheets[pick]), lang), hide_index=True, width="stretch",
                 key="bm_annex_view")

# ---------------------------------------------------------------- Langkah berikutnya: the results chain of this model
made = programme.made_from(db, "hasil", mid)
if made is not None:
    ui.next_step("bisnis", ui.t("next.bisnis.open", title=fmt.md_text(made[1])), ui.t("next.bisnis.open.btn"),
                 "hasil", action=lambda: st.session_state.update(rc_chain=made[0]))
else:
    def results_from_model() -> None:
        """Create (or find) the results chain of this model and select it on Rantai hasil."""
        title = ui.t("next.title.results", model=str(info["title"]))
        st.session_state["rc_chain"] = programme.results_from_model(db, ui.role(), ui.user(), mid, title)

    ui.next_step("bisnis", ui.t("next.bisnis"), ui.t("next.bisnis.btn"), "hasil", action=results_from_model,
                 blocked=ui.t("bisnis.empty") if ev.empty else None, allowed=auth.can(ui.role(), "edit_monitoring"))
