"""Beranda: the process as the way into the pages, the map of Indonesia (provinces or kabupaten/kota; a click
opens a province), and the data status."""

import streamlit as st
from streamlit_folium import st_folium

from analytics.core import auth, fmt
from analytics.core import store as core_store
from analytics.monitoring import programme
from analytics.poverty import drilldown, overview
from analytics.render import maps
from pages import _ui as ui

ui.guard("beranda")
db = ui.get_db()
lang, prov, year = ui.lang(), ui.prov(), ui.year()
# a kabupaten/kota clicked on the map of Indonesia opens its province (read before anything is drawn)
clicked = drilldown.clicked_code(st.session_state.get(f"beranda_map_{st.session_state.get('beranda_level')}"))
if clicked and st.session_state.get("beranda_last_click") != clicked:
    st.session_state["beranda_last_click"] = clicked
    if clicked[:2] != prov:
        st.session_state["prov"] = clicked[:2]
        st.rerun()

st.title(ui.t("beranda.title"))
st.write(ui.t("beranda.intro"))
if overview.has_synthetic(db):
    ui.synthetic_label()

summary = overview.province_summary(db, prov, year)
c = st.columns(5)
c[0].metric(ui.t("beranda.kpi.kab"), fmt.number(summary["kabupaten"], 0, lang))
c[1].metric(ui.t("beranda.kpi.kec"), fmt.number(summary["kecamatan"], 0, lang))
c[2].metric(ui.t("beranda.kpi.desa"), fmt.number(summary["desa"], 0, lang))
c[3].metric(ui.t("beranda.kpi.p0", year=year), fmt.percent(summary["p0"], 2, lang))
c[4].metric(ui.t("beranda.kpi.poor", year=year), fmt.number(summary["penduduk_miskin"], 0, lang))
if summary["p0"] is None:
    st.info(ui.t("beranda.no_p0", year=year), icon=":material/info:")

st.subheader(ui.t("beranda.process"))
prog = programme.status(db, prov)
if prog.kabupaten:
    st.caption(ui.t("prog.where", kab=fmt.md_text(core_store.area_names(db, [prog.kabupaten]).get(prog.kabupaten, "")))
               + (f" — {ui.t('prog.synthetic')}" if prog.synthetic else ""))
pages_by_stage = {p.id: p for p in auth.pages_for(ui.role())}
cols = st.columns(4)
for i, col in enumerate(cols, start=1):
    with col.container(border=True, key=f"beranda_stage{i}"):
        st.markdown(f"**{ui.t(f'beranda.stage{i}')}**")
        st.caption(ui.t(f"beranda.stage{i}.desc"))
        for s in (s for s in prog.steps if s.stage == i):
            st.markdown(f"{ui.STEP_MARK[s.state]} {ui.step_text(db, s)}")
        stage_pages = [p for p in pages_by_stage.values() if p.stage == i]
        if stage_pages:
            st.caption(ui.t("beranda.stage.pages"))
            for p in stage_pages:
                st.page_link(p.path, label=ui.t(p.title_key), icon=p.icon)
        else:
            st.caption(f"_{ui.t('beranda.stage.nopages')}_")

nxt = prog.next
with st.container(border=True, key="beranda_next"):
    if nxt is None:
        st.success(ui.t("prog.all_done"))
    else:
        st.markdown(f"**{ui.t('prog.next', what=ui.step_text(db, nxt))}**")
        if auth.can_view(ui.role(), nxt.page) and st.button(ui.t(f"prog.go.{nxt.key}"), type="primary",
                                                             key="beranda_go", icon=":material/arrow_forward:"):
            ui.open_programme(prog)
            st.switch_page(next(p for p in auth.PAGES if p.id == nxt.page).path)

left, right = st.columns([3, 2])
with left:
    st.subheader(ui.t("beranda.map", indicator="P0", year=year))
    if core_store.geometry_sources(db, drilldown.NATIONAL).get("approximate"):
        st.caption(f"⚠ {ui.t('approximate.note')}")
    level = st.segmented_control(ui.t("peta.shown"), drilldown.NATIONAL_LEVELS, required=True,
                                 format_func=lambda k: ui.t(f"level.{k}"),
                                 **ui.persistent("beranda_level", "provinsi", drilldown.NATIONAL_LEVELS))
    level = level or "provinsi"
    st.caption(ui.t("beranda.map.caption"))
    geojson = ui.cached_geojson(level, drilldown.NATIONAL)
    m = maps.choropleth(geojson, **overview.kabupaten_layer(db, drilldown.NATIONAL, year, "p0", lang, level))
    st_folium(m, key=f"beranda_map_{level}", height=460, use_container_width=True,
              returned_objects=["last_active_drawing"])
with right:
    st.subheader(ui.t("beranda.top", year=year,
                      prov=fmt.md_text(core_store.area_names(db, [prov]).get(prov, prov))))
    st.dataframe(overview.top_kabupaten(db, prov, year, lang=lang), hide_index=True)
    st.subheader(ui.t("beranda.status"))
    st.dataframe(overview.status_table(db, lang), hide_index=True)
