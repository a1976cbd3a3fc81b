"""Skor PCI: group scorecards per year, the entry form, the rubric editor with its checker, the
method's workbook."""

import pandas as pd
import streamlit as st

from analytics.core import auth, fmt
from analytics.core.problems import ImportRejected
from analytics.monitoring import comprehensiveness, pci, programme, scorecard
from analytics.monitoring import store as mon_store
from analytics.render import charts, documents
from pages import _ui as ui

db, lang, prov, year = ui.page_start("pci")
may = auth.can(ui.role(), "edit_monitoring")
ref_id = mon_store.ensure_reference(db)
rubrics = mon_store.pci_rubrics(db)
rids = rubrics["id"].tolist()
c1, c2 = st.columns([3, 1])
rid = c1.selectbox(ui.t("pci.rubric"), rids, format_func=dict(zip(rubrics["id"], rubrics["name"], strict=False)).get,
                   **ui.persistent("pci_rubric", ref_id, rids))
weighted = c2.toggle(ui.t("pci.weighted"), key="pci_weighted", help=ui.t("pci.weighted_help"))
if weighted:  # the formula, said where the weighted figures are read
    st.caption(ui.t("pci.weighted_help"))
rubric = mon_store.load_rubric(db, rid)
groups = mon_store.pci_groups(db)
if groups["is_synthetic"].any():
    ui.synthetic_label()
tabs = st.tabs([ui.t(f"pci.tab.{k}") for k in ("skor", "isian", "rubrik", "berkas", "program")])

with tabs[0]:
    table, _ = scorecard.scorecard(db, rubric, use_weights=weighted)
    if table.empty:
        st.info(ui.t("pci.none"))
    else:
        years = sorted(table["period"].unique(), reverse=True)
        y = st.selectbox(ui.t("pci.year"), years, key="pci_year")
        now = table[table["period"] == y]
        counts = now["predikat"].value_counts()
        m = st.columns(4)
        for col, p in zip(m, pci.reference_predicates()["predicate"], strict=False):
            col.metric(p, int(counts.get(p, 0)))
        shown = now[["kelompok", "total", "total_bobot", "predikat", "predikat_total", "alasan", "lengkap",
                     "tahun_pertama"]].copy()
        shown["total_bobot"] = shown["total_bobot"].map(lambda v: fmt.number(v, 1, lang))
        st.dataframe(shown.rename(columns=lambda c: ui.t(f"pci.col.{c}")), hide_index=True, key="pci_table",
                     width="stretch")
        for r in now[now["alasan"] != ""].itertuples():
            st.warning(f"**{r.kelompok}**: {r.alasan}")
        left, right = st.columns(2)
        fig = charts.predicate_bars(table, list(pci.reference_predicates()["predicate"])[::-1], ui.t("pci.dist_title"))
        if fig is not None:
            ui.plotly(left, fig, width="stretch", key="pci_dist")
        gname = right.selectbox(ui.t("pci.group"), sorted(table["kelompok"].unique()), key="pci_hist_group")
        fig = charts.pci_history(table[table["kelompok"] == gname], ui.t("pci.hist_title", group=gname),
                                 "total_bobot" if weighted else "total")
        if fig is not None:
            ui.plotly(right, fig, width="stretch", key="pci_hist")
        st.download_button(ui.t("pci.csv"), documents.pci_csv(table, lang), "skor_pci.csv", "text/csv", key="pci_csv",
                           on_click="ignore")

with tabs[1]:
    gids = groups["id"].tolist()
    if may:
        with st.expander(ui.t("pci.new_group"), expanded=not gids):
            with st.form("pci_new_group"):
                nama = st.text_input(ui.t("pci.group_name"), key="pci_new_name")
                kab_names = ui.kabupaten_names(db, prov)
                ui.keep("pci_new_kab", list(kab_names))
                kab = st.selectbox(ui.t("lok.kabupaten"), list(kab_names), format_func=kab_names.get, key="pci_new_kab")
                if st.form_submit_button(ui.t("rantai.create")):
                    try:
                        st.session_state["pci_group"] = mon_store.create_group(db, ui.role(), ui.user(), nama, kab)
                        st.rerun()
                    except ValueError as exc:
                        st.error(str(exc))
    if gids:
        gid = st.selectbox(ui.t("pci.group"), gids,
                           format_func=dict(zip(groups["id"], groups["nama"], strict=False)).get,
                           **ui.persistent("pci_group", gids[0], gids))
        y = st.number_input(ui.t("pci.year"), 2000, 2100, year, key="pci_entry_year")
        detail = scorecard.group_detail(db, rubric, gid, int(y))
        total, p, scored = scorecard.detail_summary(detail)
        m = st.columns(3)
        m[0].metric(ui.t("pci.col.total"), f"{fmt.number(total)} / {pci.MAX_TOTAL}")
        m[1].metric(ui.t("pci.col.predikat"), p.name)
        m[2].metric(ui.t("pci.scored"), f"{scored} / {len(detail)}")
        for reason in p.reasons:
            st.warning(reason)
        flagged = detail[detail["bendera"] != ""]
        if len(flagged):
            st.info(ui.t("pci.first_year", inds=", ".join(map(str, flagged["no"]))))
        form = detail[["no", "indikator", "ukuran", "arah", "rubrik", "nilai", "skor_pilihan", "skor", "catatan_skor",
                       "bendera", "catatan"]].assign(arah=lambda d: d["arah"].map(
                           lambda a: ui.t(f"pci.arah.{a}") if a else ""))
        edited = st.data_editor(form, hide_index=True, key=f"pci_form_{gid}_{int(y)}", width="stretch",
                                disabled=not may or ["no", "indikator", "ukuran", "arah", "rubrik", "skor",
                                                     "catatan_skor", "bendera"],
                                column_config=ui.editor_columns(form, {
                                    "skor_pilihan": st.column_config.SelectboxColumn(options=[0, 1, 2, 3]),
                                    "nilai": st.column_config.NumberColumn(ui.t("field.pci_nilai"), min_value=0),
                                    "rubrik": st.column_config.TextColumn(width="large")}))
        st.caption(ui.t("pci.form_help"))
        if may and st.button(ui.t("pci.save"), key="pci_save"):
            entries = edited.rename(columns={"no": "indicator_no", "nilai": "value", "skor_pilihan": "level",
                                             "catatan": "note"})
            try:
                n = mon_store.record(db, ui.role(), ui.user(), gid, int(y), rubric, entries)
                ui.flash(ui.t("pci.saved", n=n))
                st.rerun()
            except ValueError as exc:
                ui.show_errors(exc)

with tabs[2]:
    st.caption(ui.t("pci.rubric_help"))
    texts = mon_store.rubric_texts(db, rid)
    names = pci.reference_indicators().set_index("indicator_no")["indicator"]
    texts.insert(1, "indikator", texts["indicator_no"].map(names))
    is_ref = bool(rubrics.set_index("id").loc[rid, "is_reference"])
    edited = st.data_editor(texts, hide_index=True, key=f"pci_rubric_{rid}", width="stretch",
                            disabled=["indicator_no", "indikator"] if may else True,
                            column_config=ui.editor_columns(texts))
    crit = pci.reference_indicators().drop_duplicates("criterion_no")[["criterion_no", "criterion"]]
    w = mon_store.rubric_weights(db, rid)
    crit = crit.assign(bobot=crit["criterion_no"].map(lambda c: w.get(int(c), 1.0)))
    weights = st.data_editor(crit, hide_index=True, key=f"pci_weights_{rid}",
                             disabled=["criterion_no", "criterion"] if may else True,
                             column_config=ui.editor_columns(crit, {
                                 "criterion": st.column_config.TextColumn(ui.t("field.criterion")),
                                 "bobot": st.column_config.NumberColumn(min_value=0.0, step=0.5)}))
    findings = pci.check_rubric(pci.rubric_from_texts(edited.drop(columns="indikator")))
    st.markdown(f"**{ui.t('pci.findings', n=len(findings))}**")
    if findings:
        kinds = pd.DataFrame([(f.indicator, ui.t(f"pci.kind.{f.kind}"), f.message) for f in findings],
                             columns=[ui.t("pci.col.no"), ui.t("pci.col.kind"), ui.t("pci.col.message")])
        st.dataframe(kinds, hide_index=True, key="pci_findings", width="stretch")
    else:
        st.success(ui.t("pci.no_findings"))
    if may:
        c1, c2 = st.columns([3, 1])
        new_name = c1.text_input(ui.t("pci.rubric_name"),
                                 value="" if is_ref else rubrics.set_index("id").loc[rid, "name"],
                                 key=f"pci_rubric_name_{rid}")
        if c2.button(ui.t("pci.save_new") if is_ref else ui.t("pci.save_rubric"), key="pci_rubric_save"):
            try:
                new_id = mon_store.save_rubric(db, ui.role(), ui.user(), new_name, edited.drop(columns="indikator"),
                                               dict(zip(weights["criterion_no"].astype(int), weights["bobot"],
                                                        strict=False)),
                                               None if is_ref else rid)
                st.session_state["pci_rubric"] = new_id
                st.rerun()
            except ValueError as exc:
                st.error(str(exc))

with tabs[3]:
    st.caption(ui.t("pci.workbook_help"))
    gids = groups["id"].tolist()
    c1, c2 = st.columns(2)
    ui.keep("pci_wb_group", [None] + gids)
    g = c1.selectbox(ui.t("pci.group"), [None] + gids, key="pci_wb_group",
                     format_func=lambda i: ui.t("pci.empty_form") if i is None
                     else groups.set_index("id")["nama"][i])
    wy = c2.number_input(ui.t("pci.year"), 2000, 2100, year, key="pci_wb_year")
    st.download_button(ui.t("pci.workbook"),
                       documents.xlsx_bytes(*scorecard.workbook_sheets(db, rid, g, int(wy) if g else None)),
                       "pci_kelompok.xlsx" if g is None else f"pci_{g}_{int(wy)}.xlsx",
                       documents.XLSX_MIME, key="pci_wb", on_click="ignore")
    if auth.can(ui.role(), "import_monitoring"):
        up = st.file_uploader(ui.t("pci.upload"), type=["xlsx"], key="pci_upload")
        if up is not None and st.button(ui.t("pci.import"), key="pci_import"):
            try:
                out = mon_store.import_workbook(db, ui.role(), ui.user(), up.name, up.getvalue(), rid)
                st.success(ui.t("pci.imported", group=out["kelompok"], year=out["tahun"], n=out["indikator"]))
                if out["rubrik_berbeda"]:
                    st.warning(ui.t("pci.rubric_differs"))
            except ImportRejected as exc:
                st.error(ui.t("impor.rejected"))
                for p in exc.problems[:20]:
                    st.error(p.text())

with tabs[4]:
    st.caption(ui.t("program.help"))
    chains = mon_store.rc_chains(db, prov or None)
    answers = mon_store.programme_stages(db)
    if chains.empty:
        st.info(ui.t("program.none"))
    else:
        cids = chains["id"].tolist()
        titles = dict(zip(chains["id"], chains["model_title"].fillna(chains["title"]), strict=False))
        cid = st.selectbox(ui.t("program.chain"), cids, format_func=titles.get, **ui.persistent("program_chain",
                                                                                                cids[0], cids))
        facts = programme.stage_evidence(db, int(cid))
        hints = {k: ui.t(f"program.s.{k}", **v) for k, v in facts.items()}
        card = comprehensiveness.card(answers[answers["chain_id"] == cid], hints, lang)
        mine = comprehensiveness.programmes(answers, chains[chains["id"] == cid]).iloc[0]
        m = st.columns(3)
        m[0].metric(ui.t("program.score"), f"{int(mine['skor'])} / {len(comprehensiveness.CRITERIA)}")
        m[1].metric(ui.t("program.answered"), f"{int(mine['dijawab'])} / {len(comprehensiveness.CRITERIA)}")
        m[2].metric(ui.t("program.category"), ui.t(f"program.cat.{mine['kategori']}") if mine["kategori"] else "–")
        if not mine["kategori"]:
            st.info(ui.t("program.incomplete"))
        shown = card.drop(columns="kunci")
        edited = st.data_editor(shown, hide_index=True, key=f"program_card_{cid}", width="stretch",
                                disabled=not may or ["kriteria", "saran"],
                                column_config=ui.editor_columns(shown, {
                                    "ada": st.column_config.SelectboxColumn(options=list(comprehensiveness.ANSWERS)),
                                    "bukti": st.column_config.TextColumn(width="large"),
                                    "saran": st.column_config.TextColumn(width="large")},
                                    names={"ada": {a: ui.t(f"program.ans.{a}") for a in comprehensiveness.ANSWERS}}))
        if may and st.button(ui.t("program.save"), key="program_save"):
            try:
                n = mon_store.save_programme_stages(db, ui.role(), ui.user(), int(cid),
                                                    comprehensiveness.answers_from_card(
                                                        edited.assign(kunci=card["kunci"].to_numpy())))
                ui.flash(ui.t("program.saved", n=n))
                st.rerun()
            except ValueError as exc:
                ui.show_errors(exc)
        st.markdown(f"**{ui.t('program.compare')}**")
        ours = comprehensiveness.programmes(answers, chains)
        bench = comprehensiveness.benchmark(ours)
        cats = {k: ui.t(f"program.cat.{k}") for _, k in comprehensiveness.CATEGORIES}
        fig = charts.completeness_bars(bench, cats, ui.t("program.chart_title"))
        if fig is not None:
            ui.plotly(st, fig, width="stretch", key="program_chart")
        table = bench.assign(kategori=bench["kategori"].map(lambda k: cats.get(k, "–") if isinstance(k, str) else "–"),
                             sumber_skor=bench["ours"].map(lambda o: ui.t("program.ours") if o else "Bappenas/INKLUSI"))
        st.dataframe(table.drop(columns="ours").rename(columns=lambda c: ui.t(f"field.{c}")), hide_index=True,
                     key="program_table", width="stretch")
