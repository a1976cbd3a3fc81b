"""ADKAR: behaviour change per respondent and actor group, barrier points over time, the supporter and
barrier network, respondents and imports."""

import pandas as pd
import streamlit as st

from analytics.business import store as bm_store
from analytics.core import auth, fmt
from analytics.core.problems import ImportRejected
from analytics.monitoring import adkar
from analytics.monitoring import store as mon_store
from analytics.render import charts, documents
from pages import _ui as ui

db, lang, prov, year = ui.page_start("adkar")
may = auth.can(ui.role(), "edit_monitoring")
group_labels = {k: ui.t(f"adkar.group.{k}") for k in adkar.GROUPS}
element_labels = {e: ui.t(f"adkar.el.{e}") for e in adkar.ELEMENTS + (adkar.ALL_REACHED,)}
c1, c2 = st.columns([3, 2])
reading = c1.segmented_control(ui.t("adkar.reading"), list(adkar.READINGS), required=True,
                               format_func=lambda v: ui.t(f"adkar.reading.{v}"), help=ui.t("adkar.reading.help"),
                               **ui.persistent("adkar_reading", adkar.READINGS[0], list(adkar.READINGS)))
threshold = c2.segmented_control(ui.t("adkar.threshold"), [1, 2], required=True,
                                 format_func=lambda v: ui.t(f"adkar.threshold.{v}"),
                                 **ui.persistent("adkar_threshold", 1, [1, 2]))
resp, stages = mon_store.load_stages(db, int(threshold), reading)
if resp["is_synthetic"].any():
    ui.synthetic_label()
tabs = st.tabs([ui.t(f"adkar.tab.{k}") for k in ("tahap", "isian", "jaringan", "responden")])

with tabs[0]:
    if stages.empty:
        st.info(ui.t("adkar.none"))
    else:
        dist = adkar.barrier_distribution(stages)
        fig = charts.barrier_heatmap(dist, list(adkar.ELEMENTS) + [adkar.ALL_REACHED], element_labels, group_labels,
                                     ui.t("adkar.heat_title"))
        ui.plotly(st, fig, width="stretch", key="adkar_heat")
        st.caption(ui.t("adkar.heat_help"))
        gaps = adkar.incomplete(stages)
        if len(gaps):
            codes = resp.set_index("id")["kode"]
            st.warning(ui.t("adkar.incomplete", n=len(gaps), who=", ".join(
                fmt.md_text(f"{codes.get(r.respondent_id, r.respondent_id)} ({r.period}: {r.dijawab}/{r.indikator})")
                for r in gaps.itertuples())))
        latest = adkar.latest_per_respondent(stages, resp)
        ui.keep("adkar_groups", list(adkar.GROUPS), default=list(adkar.GROUPS))
        chosen = st.multiselect(ui.t("adkar.groups"), list(adkar.GROUPS), format_func=group_labels.get,
                                key="adkar_groups")
        shown = latest[latest["actor_group"].isin(chosen)].assign(
            actor_group=lambda d: d["actor_group"].map(group_labels),
            hambatan=lambda d: d["hambatan"].map(element_labels))
        st.dataframe(shown.rename(columns=lambda c: ui.t(f"adkar.col.{c}")), hide_index=True, key="adkar_latest",
                     width="stretch")

with tabs[1]:
    if resp.empty:
        st.info(ui.t("adkar.no_respondents"))
    else:
        rids = resp["id"].tolist()
        labels = {r.id: f"{r.kode} · {group_labels.get(r.actor_group, r.actor_group)}"
                        + (f" · {r.nama}" if r.nama else "") for r in resp.itertuples()}
        rid = st.selectbox(ui.t("adkar.respondent"), rids, format_func=labels.get,
                           **ui.persistent("adkar_resp", rids[0], rids))
        period = st.text_input(ui.t("adkar.period"), value=str(year), key="adkar_period")
        group = resp.set_index("id").loc[rid, "actor_group"]
        ind = adkar.indicators()
        ind = ind[ind["group"] == group]
        have = mon_store.adkar_latest(db, period.strip())
        have = have[have["respondent_id"] == rid].set_index("indicator_code")["score"]
        form = pd.DataFrame({"kode": ind["indicator_code"], "target": ind["behaviour_target"].str[:60],
                             "tahap": ind["adkar_stage"].str.split(" \\(").str[0], "indikator": ind["indicator"],
                             "skor": ind["indicator_code"].map(have)})
        edited = st.data_editor(form, hide_index=True, key=f"adkar_form_{rid}_{period}", width="stretch",
                                disabled=["kode", "target", "tahap", "indikator"] if may else True,
                                column_config=ui.editor_columns(form, {
                                    "skor": st.column_config.SelectboxColumn(options=[0, 1, 2]),
                                    "target": st.column_config.TextColumn(ui.t("field.perilaku")),
                                    "indikator": st.column_config.TextColumn(width="large")}))
        st.caption(ui.t("adkar.form_help"))
        one = stages[(stages["respondent_id"] == rid) & (stages["period"] == period.strip())]
        if len(one):
            r = one.iloc[0]
            m = st.columns(3)
            m[0].metric(ui.t("adkar.col.tahap"), f"{int(r['tahap'])} / {int(r['tahap_dari'])}")
            m[1].metric(ui.t("adkar.col.hambatan"), element_labels.get(r["hambatan"], r["hambatan"]))
            m[2].metric(ui.t("adkar.col.total"), f"{r['total']:.0f} / {r['maks']}")
        if may and st.button(ui.t("adkar.save"), key="adkar_save"):
            scores = {r.kode: int(r.skor) for r in edited.itertuples() if pd.notna(r.skor)}
            try:
                mon_store.record_scores(db, ui.role(), ui.user(), rid, period, scores)
                st.rerun()
            except ValueError as exc:
                ui.show_errors(exc)

with tabs[2]:
    links = mon_store.adkar_links(db)
    g = adkar.network(links)
    fig = charts.network_figure(g, adkar.layout(g),
                                {"pendukung": ui.t("adkar.support"), "penghambat": ui.t("adkar.barrier"),
                                                      "pelaku": ui.t("adkar.actor")}, ui.t("adkar.net_title"))
    if fig is None:
        st.info(ui.t("adkar.no_links"))
    else:
        ui.plotly(st, fig, width="stretch", key="adkar_net")
        c1, c2 = st.columns(2)
        c1.markdown(f"**{ui.t('adkar.central')}**")
        c1.dataframe(fmt.display(adkar.central_supporters(g).assign(kelompok=lambda d: d["kelompok"].map(group_labels)),
                                 {"mendukung": "int", "perantara": "dec2"}, lang,
                                 {"nama": ui.t("col.nama"), "kelompok": ui.t("adkar.col.kelompok"),
                                  "mendukung": ui.t("adkar.col.mendukung"), "perantara": ui.t("adkar.col.perantara")}),
                     hide_index=True, key="adkar_central")
        c2.markdown(f"**{ui.t('adkar.main_barriers')}**")
        c2.dataframe(adkar.main_barriers(g), hide_index=True, key="adkar_barriers")
    if may:
        with st.form("adkar_link"):
            c = st.columns([2, 1, 2, 1, 1, 1])
            ui.keep("adkar_l_fg", list(adkar.GROUPS))
            ui.keep("adkar_l_tg", list(adkar.GROUPS))
            ui.keep("adkar_l_kind", ["pendukung", "penghambat"])
            dari = c[0].text_input(ui.t("adkar.from"), key="adkar_l_from")
            dk = c[1].selectbox(ui.t("adkar.group_short"), list(adkar.GROUPS), format_func=group_labels.get,
                                key="adkar_l_fg")
            ke = c[2].text_input(ui.t("adkar.to"), key="adkar_l_to")
            kk = c[3].selectbox(ui.t("adkar.group_short"), list(adkar.GROUPS), format_func=group_labels.get,
                                key="adkar_l_tg")
            jenis = c[4].selectbox(ui.t("adkar.kind"), ["pendukung", "penghambat"], key="adkar_l_kind",
                                   format_func=lambda k: ui.t("adkar.support" if k == "pendukung" else "adkar.barrier"))
            per = c[5].text_input(ui.t("adkar.period"), value=str(year), key="adkar_l_period")
            if st.form_submit_button(ui.t("adkar.add_link")):
                try:
                    mon_store.record_link(db, ui.role(), ui.user(), per, dari, ke, jenis, dk, kk)
                    st.rerun()
                except ValueError as exc:
                    st.error(str(exc))

with tabs[3]:
    kab_names = ui.kabupaten_names(db)
    shown_resp = resp.drop(columns=["id", "created_by", "model_id", "is_synthetic", "created_at"]).assign(
        actor_group=lambda d: d["actor_group"].map(group_labels),
        kabupaten=lambda d: d["kabupaten"].map(lambda k: kab_names.get(k, k) if isinstance(k, str) else k))
    st.dataframe(fmt.display(shown_resp, {"disabilitas": "yesno"}, lang,
                             {c: ui.t(f"adkar.col.{c}") for c in shown_resp.columns}),
                 hide_index=True, key="adkar_resp_table", width="stretch")
    st.download_button(ui.t("adkar.xlsx"),
                       documents.adkar_xlsx(resp, mon_store.adkar_latest(db), stages, mon_store.adkar_links(db), lang),
                       "adkar.xlsx", documents.XLSX_MIME,
                       key="adkar_xlsx", on_click="ignore")
    if may:
        c1, c2 = st.columns(2)
        with c1.form("adkar_new"):
            kode = st.text_input(ui.t("adkar.code"), key="adkar_n_code")
            ui.keep("adkar_n_group", list(adkar.GROUPS))
            grp = st.selectbox(ui.t("adkar.group_short"), list(adkar.GROUPS), format_func=group_labels.get,
                               key="adkar_n_group")
            nama = st.text_input(ui.t("adkar.name_optional"), key="adkar_n_name")
            sex = st.radio(ui.t("adkar.sex"), ["L", "P"], horizontal=True, key="adkar_n_sex")
            dis = st.checkbox(ui.t("adkar.disability"), key="adkar_n_dis")
            if st.form_submit_button(ui.t("rantai.create")):
                try:
                    mon_store.create_respondent(db, ui.role(), ui.user(), kode, grp, nama or None, sex=sex,
                                                disabilitas=dis)
                    st.rerun()
                except ValueError as exc:
                    st.error(str(exc))
        models = bm_store.bm_models(db, prov)
        if not models.empty:
            ui.keep("adkar_model", models["id"].tolist())
            mid = c2.selectbox(ui.t("adkar.from_model"), models["id"].tolist(),
                               format_func=dict(zip(models["id"], models["title"], strict=False)).get,
                               key="adkar_model")
            if c2.button(ui.t("adkar.from_model_go"), key="adkar_model_go"):
                n = mon_store.respondents_from_model(db, ui.role(), ui.user(), mid)
                c2.success(ui.t("adkar.added", n=n))
    if auth.can(ui.role(), "import_monitoring"):
        st.caption(ui.t("adkar.import_help"))
        up = st.file_uploader(ui.t("adkar.upload"), type=["csv", "xlsx"], key="adkar_upload")
        if up is not None and st.button(ui.t("adkar.import"), key="adkar_import"):
            try:
                out = mon_store.import_responses(db, ui.role(), ui.user(), up.name, up.getvalue())
                st.success(ui.t("adkar.imported", **out))
            except ImportRejected as exc:
                st.error(ui.t("impor.rejected"))
                for p in exc.problems[:20]:
                    st.error(p.text())
