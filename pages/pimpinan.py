"""Ringkasan pimpinan: one screen for leadership, and the same as a PDF."""

import streamlit as st
from streamlit_folium import st_folium

from analytics.monitoring import leadership
from analytics.render import charts, documents, maps
from pages import _ui as ui

db, lang, prov, year = ui.page_start("pimpinan")
labels = {k: ui.t(f"pimpinan.{k}") for k in (
    "reached", "income", "pci", "adkar", "budget", "final", "co", "realisasi", "target_akhir", "outreach_title",
    "pci_title", "adkar_title", "budget_title", "map_title", "hh", "ll", "ns", "area", "pocket", "pdf_title", "made",
    "synthetic", "intervensi", "of_target", "pci_good", "adkar_top", "respondents", "co_share")}
labels.update({f"el.{k}": ui.t(f"adkar.el.{k}") for k in ("Awareness", "Desire", "Knowledge", "Ability",
                                                          "Reinforcement", "—")})
s = leadership.summary(db, prov)
if s.synthetic:
    ui.synthetic_label()
cols = st.columns(5)
for col, (label, value, note) in zip(cols, leadership.headline_metrics(s, labels, lang), strict=False):
    col.metric(label, value, note, delta_color="off", delta_arrow="off")
figs = charts.leadership_figures(s, labels, lang)
left, right = st.columns(2)
for i, key in enumerate(("outreach", "pci", "adkar", "budget")):
    if key in figs:
        ui.plotly((left if i % 2 == 0 else right), figs[key], width="stretch", key=f"lead_{key}")
try:
    pockets = ui.cached_pockets(prov, "kecamatan", "p0", year)
except ValueError:
    pockets = None
geojson = ui.cached_geojson("kecamatan", prov)
if pockets is not None:
    st_folium(maps.leadership_map(geojson, pockets, s, labels), key="lead_map", height=460,
              use_container_width=True, returned_objects=[])
    st.caption(ui.t("pimpinan.map_help", year=year))
if st.button(ui.t("pimpinan.make_pdf"), key="lead_pdf_make"):
    st.session_state["lead_pdf_bytes"] = documents.leadership_pdf(
        s, geojson, pockets if pockets is not None else s.outreach.iloc[0:0], labels, lang)
if "lead_pdf_bytes" in st.session_state:
    st.download_button(ui.t("pimpinan.pdf"), st.session_state["lead_pdf_bytes"], "ringkasan_pimpinan.pdf",
                       "application/pdf",
                       key="lead_pdf")
