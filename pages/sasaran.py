"""Sasaran penerima manfaat: APP ranking of desa/kecamatan from the household register, small cells
suppressed for roles that may not see them."""

import streamlit as st

from analytics.core import auth, fmt, settings
from analytics.poverty import store as poverty_store
from analytics.poverty import targeting
from analytics.render import charts, documents
from pages import _ui as ui

db, lang, prov, year = ui.page_start("sasaran")

srcs = targeting.register_sources(db, prov)
if srcs.empty:
    st.info(ui.t("sasaran.noregister"))
    st.stop()
options = [f"{r.source}|{r.period}" for r in srcs.itertuples()]
c1, c2, c3 = st.columns([3, 3, 2])
choice = c1.selectbox(ui.t("sasaran.register"), options, format_func=lambda o: o.replace("|", " — "),
                      **ui.persistent("sasaran_register", options[0], options))
source, period = choice.split("|")[0], int(choice.split("|")[1])
if bool(srcs.set_index(["source", "period"]).loc[(source, period), "is_synthetic"]):
    ui.synthetic_label()
kab_names = ui.kabupaten_names(db, prov)
kab_codes = list(kab_names)
scope_default = str(st.session_state.get("peta_scope", kab_codes[0]))[:5]
scope = c2.selectbox(ui.t("sasaran.kabupaten"), kab_codes,
                     format_func=kab_names.get,
                     **ui.persistent("sasaran_kab", scope_default if scope_default in kab_codes else kab_codes[0],
                                     kab_codes))
level = c3.radio(ui.t("sasaran.level"), ["desa", "kecamatan"], format_func=lambda k: ui.t(f"level.{k}"),
                 **ui.persistent("sasaran_level", "desa", ["desa", "kecamatan"]))

rule = st.radio(ui.t("sasaran.rule"), list(targeting.PLACE_RULES), horizontal=True, help=ui.t("sasaran.rule.help"),
                format_func=lambda r: ui.t(f"sasaran.rule.{r}"),
                **ui.persistent("sasaran_rule", targeting.PLACE_RULES[0], list(targeting.PLACE_RULES)))

table = targeting.desa_table(db, scope, period, source)
tot = targeting.totals(table)
# cards as wide as their labels, wrapping to a second row on a laptop instead of cutting words off
with st.container(horizontal=True, wrap=True, gap="medium", key="sasaran_cards"):
    for label, key in (("sasaran.kpi.miskin", "miskin_jiwa"), ("sasaran.kpi.d2", "prod_d2"),
                       ("sasaran.kpi.d3", "prod_d3"), ("sasaran.kpi.women", "prod_women"),
                       ("sasaran.kpi.disability", "prod_disability")):
        st.metric(ui.t(label), fmt.number(tot[key], 0, lang), width="content")

ranked = targeting.app_ranking(table, level, rule)
shown, n_hidden = targeting.protect(ranked, ui.role())
min_cell = settings.get_int("min_cell")
if n_hidden:
    st.info(ui.t("sasaran.suppressed", n=n_hidden, min=min_cell))
elif not auth.can(ui.role(), "view_small_cells"):
    st.caption(ui.t("sasaran.nosuppressed", min=min_cell))
else:
    st.caption(ui.t("sasaran.fullcounts"))

left, right = st.columns([3, 2])
headers = {c: ui.t(f"sasaran.col.{c}") for c in list(targeting.COUNT_COLUMNS) + ["sasaran", "peringkat", "kecamatan"]}
with left:
    counts = {c: "int" for c in [*targeting.COUNT_COLUMNS, "sasaran"]}
    st.dataframe(fmt.display(shown, counts, lang, headers | {"kode": ui.t("col.kode"), "nama": ui.t("col.nama")}),
                 hide_index=True, height=460, key="sasaran_table")
with right:
    fig = charts.target_bars(targeting.chart_frame(shown), headers, ui.t("sasaran.chart.title"),
                             ui.t("sasaran.chart.x"))
    if fig is not None:
        ui.plotly(st, fig, width="stretch", key="sasaran_chart")

if level == "desa" and not ranked.empty:
    st.subheader(ui.t("sasaran.detail"))
    names = dict(zip(ranked["kode"], ranked["nama"], strict=False))
    ui.keep("sasaran_detail", ranked["kode"].tolist())
    pick_detail = st.selectbox(ui.t("sasaran.detail.desa"), ranked["kode"].tolist(),
                               format_func=lambda k: f"{names[k]} ({k})", key="sasaran_detail")
    detail, n_det = targeting.protect_detail(targeting.desa_detail(db, pick_detail, period, source), ui.role())
    detail_kinds = {c: "int" for c in detail.columns if c != "sektor"} | {"produktif": "yesno"}
    st.dataframe(fmt.display(detail, detail_kinds, lang).rename(
        columns=lambda c: ui.t(f"sasaran.detail.{c}") if not c.startswith("desil_") else c.replace("desil_", "Desil ")),
        hide_index=True, key="sasaran_detail_table")
    if n_det:
        st.caption(ui.t("sasaran.suppressed", n=n_det, min=min_cell))

note = ui.t("synthetic.label") if "sintetis" in source.lower() else None
export_table = shown.assign(sumber=source, tahun=period, keterangan=note or "")
d1, d2 = st.columns(2)
d1.download_button(ui.t("shortlist.csv"), documents.csv_bytes(export_table, lang), f"sasaran_{scope}_{level}.csv",
                   "text/csv", key="sasaran_csv", on_click="ignore")
d2.download_button(ui.t("shortlist.xlsx"), documents.xlsx_bytes({"Sasaran APP": export_table}, note, lang),
                   f"sasaran_{scope}_{level}.xlsx",
                   documents.XLSX_MIME, key="sasaran_xlsx", on_click="ignore")

if auth.can(ui.role(), "edit_shortlist") and not ranked.empty:
    st.subheader(ui.t("sasaran.to_shortlist"))
    with st.form("sasaran_shortlist", clear_on_submit=True):
        top = ranked.head(50)
        ui.keep("sasaran_pick", top["kode"].tolist())
        pick = st.selectbox(ui.t("shortlist.area"), top["kode"].tolist(),
                            format_func=lambda k: f"{int(top.set_index('kode').loc[k, 'peringkat'])}. "
                                                  f"{top.set_index('kode').loc[k, 'nama']} ({k})",
                            key="sasaran_pick")
        why = "sasaran.reason.penduduk" if rule == "penduduk" else "sasaran.reason.default"
        reason = st.text_input(ui.t("shortlist.reason"), value=ui.t(why), key=f"sasaran_reason_{rule}")
        if st.form_submit_button(ui.t("shortlist.add")):
            row = ranked.set_index("kode").loc[pick]
            try:
                poverty_store.add_to_shortlist(db, ui.role(), ui.user(), pick, reason, "sasaran_app", period,
                                         row["sasaran"], source)
                st.success(ui.t("shortlist.added", name=fmt.md_text(row["nama"])))
            except ValueError as exc:
                st.error(str(exc))
