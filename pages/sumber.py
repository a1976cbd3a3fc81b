"""Perbandingan sumber: the same indicator from several sources side by side, disagreements flagged."""

import streamlit as st

from analytics.core import fmt, settings
from analytics.poverty import drilldown, sources
from analytics.render import charts, documents
from pages import _ui as ui

db, lang, prov, year = ui.page_start("sumber")

combos = sources.comparable(db, prov)
ind_options = sorted(set(combos["indicator"]) | {f"ruta_desil_{d}" for d in (1, 2, 3, 4)})
c1, c2, c3, c4 = st.columns([3, 2, 2, 2])
indicator = c1.selectbox(ui.t("peta.indicator"), ind_options,
                         format_func=lambda k: drilldown.indicator_label(db, k, lang)[0],
                         **ui.persistent("sumber_indicator", ind_options[0], ind_options))
periods = sorted(set(combos.loc[combos["indicator"] == indicator, "period"]) | {year}, reverse=True)
period = c2.selectbox(ui.t("sidebar.year"), periods, key="sumber_period")
ui.keep("sumber_level", ["kabupaten", "kecamatan", "desa"])
level = c3.selectbox(ui.t("sumber.level"), ["kabupaten", "kecamatan", "desa"],
                     format_func=lambda k: ui.t(f"level.{k}"), key="sumber_level")
tol = c4.slider(ui.t("sumber.tolerance"), 1, 50, int(float(settings.get("source_tolerance")) * 100), step=1,
                format="%d%%", key="sumber_tol") / 100
table, names = sources.compare(db, level, prov, indicator, int(period), tol)
if any("sintetis" in n.lower() for n in names):
    ui.synthetic_label()
if len(names) < 2:
    st.info(ui.t("sumber.single", n=len(names)))
m = st.columns(3)
m[0].metric(ui.t("sumber.kpi.sources"), len(names))
counts = sources.counts(table)
m[1].metric(ui.t("sumber.kpi.both"), counts["compared"])
m[2].metric(ui.t("sumber.kpi.flagged"), counts["flagged"])
if not table.empty:
    unit = drilldown.indicator_label(db, indicator, lang)[1]
    shown = fmt.display(table, {**{n: f"u:{unit}" for n in names}, "selisih_relatif": "share", "berbeda": "yesno"},
                        lang, {"kode": ui.t("col.kode"), "nama": ui.t("col.nama"), "n_sumber": ui.t("sumber.col.n"),
                               "selisih_relatif": ui.t("sumber.col.gap"), "berbeda": ui.t("sumber.col.flag")})
    st.dataframe(shown, hide_index=True, height=420, key="sumber_table")
    fig = charts.source_scatter(table, names, ui.t("sumber.col.flag"), ui.t("sumber.chart"))
    if fig is not None:
        ui.plotly(st, fig, width="stretch", key="sumber_chart")
    note = ui.t("synthetic.label") if any("sintetis" in n.lower() for n in names) else None
    st.download_button(ui.t("shortlist.xlsx"), documents.xlsx_bytes({"Perbandingan sumber": table}, note, lang),
                       f"perbandingan_{indicator}_{period}.xlsx",
                       documents.XLSX_MIME, key="sumber_xlsx", on_click="ignore")
st.caption(ui.t("sumber.never_merged", tol=fmt.percent(tol * 100, 0, lang)))
