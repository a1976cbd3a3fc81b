"""Data (admin): counts per layer and source, areas per level, demo-data rebuild, audit trail."""

import streamlit as st

from analytics.core import auth, fmt, settings
from analytics.core import store as core_store
from analytics.demo import build as demo_build
from analytics.poverty import overview
from pages import _ui as ui

ui.guard("data")
db = ui.get_db()
lang, prov = ui.lang(), ui.prov()

st.title(ui.t("data.title"))
if overview.has_synthetic(db):
    ui.synthetic_label()
st.caption(ui.t("data.schema", version=db.schema_version(), path=db.where))
if differ := auth.differing_keys(db):
    st.error(ui.t("data.keys_differ", keys=", ".join(differ)))
if beside := settings.keys_beside_data():
    st.warning(ui.t("data.keys_beside", keys=", ".join(beside), folder=str(settings.KEY_DIR)))

st.subheader(ui.t("beranda.status"))
st.dataframe(overview.status_table(db, lang), hide_index=True)

c1, c2 = st.columns([1, 2])
with c1:
    st.subheader(ui.t("data.areas"))
    counts = core_store.area_counts(db, prov)
    geo = core_store.geometry_sources(db, prov)
    st.dataframe({ui.t("col.tingkat"): [ui.t(f"level.{k}") for k in counts],
                  ui.t("col.jumlah"): [fmt.number(v, 0, lang) for v in counts.values()]}, hide_index=True)
    st.caption(", ".join(f"{ui.t('status.' + k)}: {v}" for k, v in geo.items()))
with c2:
    st.subheader(ui.t("data.counts"))
    layers = core_store.layer_source_counts(db, ui.role())
    st.dataframe(fmt.display(layers, {"period": "text", "n": "int", "is_synthetic": "yesno"}, lang,
                             {"layer": ui.t("col.lapisan"), "source": ui.t("col.sumber"), "period": ui.t("col.tahun"),
                              "is_synthetic": ui.t("col.sintetis"), "n": ui.t("col.baris")}), hide_index=True)

st.subheader(ui.t("data.rebuild"))
st.caption(ui.t("data.rebuild.help", seed=settings.get("seed")))
confirm = st.checkbox(ui.t("data.rebuild.confirm"), key="rebuild_confirm")
if st.button(ui.t("data.rebuild"), key="rebuild", disabled=not confirm, type="primary"):
    with st.spinner(ui.t("data.rebuild")):
        counts = demo_build.rebuild_demo(db, ui.role(), ui.user())
    st.success(ui.t("data.rebuild.done", indicators=counts["indicators"], register=counts["register_agg"],
                    production=counts["production"]))

st.subheader(ui.t("data.audit"))
st.dataframe(fmt.display(core_store.audit_tail(db, ui.role()),
                         {"ts": "time", "actor": "person", "action": "action"}, lang,
                         {"ts": ui.t("col.waktu"), "actor": ui.t("col.pengguna"), "action": ui.t("col.tindakan"),
                          "detail": ui.t("col.rincian")}), hide_index=True)
