"""Ringkasan pimpinan: one screen for leadership, and the same as a PDF."""

import streamlit as st
from streamlit_folium import st_folium

from analytics.core import fmt
from analytics.monitoring import leadership
from analytics.render import charts, documents, gis, maps
from pages import _ui as ui

db, lang, prov, year = ui.page_start("pimpinan")
labels = {k: ui.t(f"pimpinan.{k}") for k in (
    "reached", "income", "pci", "adkar", "budget", "final", "co", "realisasi", "target_akhir", "outreach_title",
    "pci_title", "adkar_title", "budget_title", "map_title", "hh", "ll", "ns", "area", "pocket", "pdf_title", "made",
    "synthetic", "intervensi", "of_target", "pci_good", "adkar_top", "respondents", "co_share", "in_ll",
    "persistence_note", "grad", "grad_title")}
labels["grad_note"] = ui.t("pimpinan.grad_note")  # a template: {out}, {a}, {b} are filled per summary
labels["repl_line"], labels["repl_ready"] = ui.t("pimpinan.repl_line"), ui.t("pimpinan.repl_ready")
labels["repl_title"] = ui.t("pimpinan.repl_title")
labels.update({f"st.{k}": ui.t(f"grad.st.{k}") for k in ("miskin", "rentan", "menengah", "stabil")})
labels["pci_incomplete"] = ui.t("pimpinan.pci_incomplete")  # a template: {n} is filled per summary
labels.update({f"el.{k}": ui.t(f"adkar.el.{k}") for k in ("Awareness", "Desire", "Knowledge", "Ability",
                                                          "Reinforcement", "—")})
s = leadership.summary(db, prov)
if s.synthetic:
    ui.synthetic_label()
# cards as wide as their text, wrapping to a second row on a laptop (1366 px) instead of cutting words off
with st.container(horizontal=True, wrap=True, gap="medium", key="lead_cards"):
    for label, value, note in leadership.headline_metrics(s, labels, lang):
        st.metric(label, value, note, delta_color="off", delta_arrow="off", border=True, width="content")
st.caption(labels["persistence_note"])
figs = charts.leadership_figures(s, labels, lang)
left, right = st.columns(2)
for i, key in enumerate(("outreach", "pci", "adkar", "budget", "graduation")):
    if key in figs:
        ui.plotly((left if i % 2 == 0 else right), figs[key], width="stretch", key=f"lead_{key}")
try:
    pockets = ui.cached_pockets(prov, "kecamatan", "p0", year)
except ValueError:
    pockets = None
geojson = ui.cached_geojson("kecamatan", prov)
sites = leadership.in_pockets(s.interventions, pockets)
low = sites[sites["kantong"] == "LL"]
if len(low):  # placed where people are significantly less poor than around them
    st.warning(ui.t("pimpinan.ll_warning", sites=", ".join(fmt.md_text(f"{r.judul} ({r.nama})")
                                                           for r in low.itertuples())))
if pockets is not None:
    st_folium(maps.leadership_map(geojson, pockets, s, labels, sites), key="lead_map", height=460,
              use_container_width=True, returned_objects=[])
    st.caption(ui.t("pimpinan.map_help", year=year))
if not sites.empty:
    g = st.columns(2)
    for col, kind in zip(g, gis.FORMATS, strict=True):
        col.download_button(ui.t("gis.interventions", fmt=kind.upper()),
                            lambda kind=kind: gis.point_layer_bytes(sites, kind, "intervensi"),
                            f"intervensi_{prov}.{kind}", gis.FORMATS[kind][1], key=f"gis_sites_{kind}",
                            on_click="ignore")
if len(s.replication):  # where each kabupaten stands in the replication guide's five preparation stages
    st.markdown(f"**{labels['repl_title']}**")
    for line in leadership.replication_lines(s, labels, lang):
        st.markdown(f"- {fmt.md_text(line)}")
if st.button(ui.t("pimpinan.make_pdf"), key="lead_pdf_make"):
    st.session_state["lead_pdf_bytes"] = documents.leadership_pdf(
        s, geojson, pockets if pockets is not None else s.outreach.iloc[0:0], labels, lang)
if "lead_pdf_bytes" in st.session_state:
    st.download_button(ui.t("pimpinan.pdf"), st.session_state["lead_pdf_bytes"], "ringkasan_pimpinan.pdf",
                       "application/pdf",
                       key="lead_pdf", on_click="ignore")
