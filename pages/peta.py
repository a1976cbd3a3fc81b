"""Peta kemiskinan: drill-down choropleth, statistical pockets, ranking and the priority shortlist."""

import streamlit as st
from streamlit_folium import st_folium

from analytics.core import auth, fmt
from analytics.core import store as core_store
from analytics.poverty import drilldown, emerging, hotspots
from analytics.poverty import store as poverty_store
from analytics.render import documents, gis, maps
from pages import _ui as ui

db, lang, prov, year = ui.page_start("peta")
if core_store.has_synthetic(db):
    ui.synthetic_label()

# ---------------------------------------------------------------- state: scope, shown level, selection
if "peta_scope" not in st.session_state:  # a session starts from the map of Indonesia
    st.session_state["peta_scope"], st.session_state["peta_shown"] = drilldown.climb(drilldown.NATIONAL)
    st.session_state["peta_selected"] = None
elif st.session_state.get("peta_prov") != prov:  # another province picked in the sidebar: open it
    st.session_state["peta_scope"], st.session_state["peta_shown"] = drilldown.climb(prov)
    st.session_state["peta_selected"] = None
st.session_state["peta_prov"] = prov
# A click on the map is applied before anything is drawn: the map component's value is already in the
# session state at the start of the run, so the new view is built once (not the old one, then the new).
prev_key = st.session_state.get("peta_map_key")
clicked = drilldown.clicked_code(st.session_state.get(prev_key)) if prev_key else None
if clicked and st.session_state.get("peta_last_click") != (prev_key, clicked):
    st.session_state["peta_last_click"] = (prev_key, clicked)
    (st.session_state["peta_scope"], st.session_state["peta_shown"],
     st.session_state["peta_selected"]) = drilldown.drill(st.session_state["peta_scope"],
                                                        st.session_state.get("peta_shown", "kabupaten"), clicked)
    entered = st.session_state["peta_scope"][:2]
    if entered and entered != prov:  # a province clicked on the map of Indonesia becomes the one worked in
        st.session_state["prov"] = st.session_state["peta_prov"] = entered
        st.rerun()
scope = st.session_state["peta_scope"]
root = scope if scope == drilldown.NATIONAL else prov  # the areas pockets and sources are taken over
shown_options = drilldown.levels_below(scope)

defs = poverty_store.indicator_defs(db)
ind_codes = defs["indicator"].tolist()
c1, c2, c3, c4 = st.columns([3, 2, 2, 4])
indicator = c1.selectbox(ui.t("peta.indicator"), ind_codes,
                         format_func=lambda k: drilldown.indicator_label(db, k, lang)[0],
                         **ui.persistent("peta_indicator", "p0", ind_codes))
layer = c2.radio(ui.t("peta.layer"), ["nilai", "lisa", "gi", "tren"], format_func=lambda k: ui.t(f"peta.layer.{k}"),
                 **ui.persistent("peta_layer", "nilai", ["nilai", "lisa", "gi", "tren"]))
scheme = c3.radio(ui.t("peta.scheme"), ["quantiles", "natural_breaks"],
                  format_func=lambda k: ui.t(f"peta.scheme.{k}"), disabled=layer != "nilai",
                  **ui.persistent("peta_scheme", "quantiles", ["quantiles", "natural_breaks"]))
shown = c4.segmented_control(ui.t("peta.shown"), shown_options, required=True,
                             format_func=lambda k: ui.t(f"level.{k}"),
                             **ui.persistent("peta_shown", shown_options[0], shown_options))
shown = shown or shown_options[0]

sources = poverty_store.indicator_sources(db, shown, root, indicator, year)
source = None
if len(sources) > 1:
    src_list = sources["source"].tolist()
    source = st.selectbox(ui.t("peta.source"), src_list, help=ui.t("peta.source.help"),
                          **ui.persistent("peta_source", src_list[0], src_list))

smooth, alpha = False, 0.05
if layer != "nilai":
    p1, p2 = st.columns(2)
    smooth = p1.checkbox(ui.t("peta.smooth"), disabled=indicator != "p0" or layer == "tren",
                         help=ui.t("peta.smooth.help"), key="peta_smooth") and indicator == "p0" and layer != "tren"
    alpha = p2.select_slider(ui.t("peta.alpha"), [0.01, 0.05, 0.10], value=0.05, key="peta_alpha")

# ---------------------------------------------------------------- breadcrumb
crumbs = drilldown.breadcrumb(db, scope)
with st.container(horizontal=True, gap="small", key="crumbs"):  # styled as links (ui.house_style)
    for i, (code, name) in enumerate(crumbs):
        is_last = i == len(crumbs) - 1
        if st.button(("› " if i else "") + fmt.md_text(name), key=f"crumb_{code}", disabled=is_last,
                     type="tertiary"):
            st.session_state["peta_scope"], st.session_state["peta_shown"] = drilldown.climb(code)
            st.session_state["peta_last_click"] = None
            st.rerun()


name, unit = drilldown.indicator_label(db, indicator, lang)
geojson = ui.cached_geojson(shown, scope)
selected = st.session_state.get("peta_selected")
result = trend = None
left, right = st.columns([3, 2])
with left:
    if core_store.geometry_sources(db, root).get("approximate"):
        st.caption(f"⚠ {ui.t('approximate.note')}")
    if layer == "nilai":
        m = maps.choropleth(geojson, **drilldown.value_layer(db, scope, shown, indicator, year, lang, scheme, source,
                                                             selected))
    elif layer == "tren":
        try:
            with st.spinner(ui.t("peta.computing")):
                trend, used = ui.cached_trend(root, shown, indicator, source, alpha)
        except ValueError as exc:
            st.error(str(exc))
            st.stop()
        title = ui.t("peta.layer.tren") + f" — {name} ({used['years'][0]}–{used['years'][-1]})"
        m = maps.categorical(geojson, **drilldown.trend_layer(db, scope, trend, lang, title, unit, selected))
    else:
        try:
            with st.spinner(ui.t("peta.computing")):
                result = ui.cached_pockets(root, shown, indicator, year, source, smooth, alpha)
        except ValueError as exc:
            st.error(str(exc))
            st.stop()
        title = ui.t(f"peta.layer.{layer}") + f" — {name} ({year})"
        m = maps.categorical(geojson, **drilldown.pocket_layer(db, scope, result, layer, lang, title, unit, selected))
    map_key = f"peta_map_{scope}_{shown}_{indicator}_{layer}_{year}"
    st.session_state["peta_map_key"] = map_key
    st_folium(m, key=map_key, height=520, use_container_width=True, returned_objects=["last_active_drawing"])
    st.caption(ui.t("peta.click_hint"))

with right:
    st.subheader(ui.t("peta.ranking", level=ui.t(f"level.{shown}")))
    rank = drilldown.ranking(db, scope, shown, indicator, year, lang, source)
    if rank.empty:
        st.info(ui.t("peta.novalues"))
    else:
        table = rank.rename(columns={"peringkat": "#", "kode": ui.t("col.kode"), "nama": ui.t("col.nama"),
                                     "nilai": name, "source": ui.t("col.sumber")}).drop(columns=["value"])
        if result is not None:
            flags = result.set_index("kode")
            table[ui.t("pockets.type")] = [ui.t(f"pockets.cluster.{flags.loc[k, 'cluster']}")
                                           if k in flags.index else "–" for k in rank["kode"]]
        if trend is not None:
            pattern = trend.set_index("kode")["pola"]
            table[ui.t("trend.pattern")] = [ui.t(f"trend.{pattern[k]}") if k in pattern.index else "–"
                                            for k in rank["kode"]]
        ev = st.dataframe(table, hide_index=True, height=480, on_select="rerun", selection_mode="single-row",
                          key=f"peta_rank_{scope}_{shown}_{indicator}")
        rows = ev.selection.rows if ev is not None else []
        if rows:
            st.session_state["peta_selected"] = str(rank["kode"].iloc[rows[0]])
            selected = st.session_state["peta_selected"]

# ---------------------------------------------------------------- selected area: why flagged
if selected:
    sel_name = core_store.area_names(db, [selected]).get(selected, selected)
    st.subheader(ui.t("peta.selected", name=fmt.md_text(sel_name), kode=selected))
    if result is not None and selected in set(result["kode"]):
        row = result.set_index("kode").loc[selected]
        with st.container(border=True):
            st.markdown(f"**{ui.t('pockets.why.title')}**")
            *reasons, conclusion = hotspots.explain(row, lang, fmt.md_text(sel_name),
                                                    lambda v: fmt.by_unit(v, unit, lang), alpha)
            for line in reasons:
                st.markdown(f"- {line}")
            st.markdown(f"**{conclusion}**")  # the one verdict of both tests
            if smooth:
                st.caption(ui.t("pockets.why.smoothed", raw=fmt.by_unit(row["raw_value"], unit, lang)))
    elif trend is not None and selected in set(trend["kode"]):
        row = trend.set_index("kode").loc[selected]
        with st.container(border=True):
            st.markdown(f"**{ui.t('trend.why.title')}: {ui.t(f'trend.{row.pola}')}**")
            st.markdown(f"- {ui.t(f'trend.why.{row.pola}')}")
            series = "; ".join(f"{y} {fmt.number(row[f'z_{y}'], 2, lang)}"
                               + (f" ({ui.t('trend.hot_mark')})" if row[f"panas_{y}"] else "") for y in used["years"])
            st.markdown(f"- {ui.t('trend.why.years', series=series)}")
            st.markdown("- " + ui.t("trend.why.trend", tau=fmt.number(row.tau, 2, lang),
                                    p=fmt.number(row.p_tren, 3, lang)))
    elif layer != "nilai":
        st.caption(ui.t("pockets.not_in_level"))

with st.expander(ui.t("gis.title")):  # the layer on screen, for Bappeda's GIS staff
    st.caption(ui.t("gis.help"))
    what = ui.t(f"peta.layer.{layer}")
    gis_cols = st.columns(2)
    for col, kind in zip(gis_cols, gis.FORMATS, strict=True):
        col.download_button(
            ui.t("gis.layer", what=what, fmt=kind.upper()),
            lambda kind=kind: gis.layer_bytes(*drilldown.gis_layer(db, scope, shown, indicator, year, lang, source,
                                                                   result), kind, f"{indicator}_{year}"),
            f"{indicator}_{shown}_{scope or 'indonesia'}_{year}.{kind}", gis.FORMATS[kind][1],
            key=f"gis_layer_{kind}", on_click="ignore")

if trend is not None:
    counts = drilldown.trend_summary(trend, scope)
    st.caption(ui.t("trend.summary", first=used["years"][0], last=used["years"][-1], years=len(used["years"]),
                    source=fmt.md_text(used["source"]), n=sum(counts.values()), dropped=used["dropped"],
                    counts=", ".join(f"{ui.t(f'trend.{k}')} {v}" for k, v in counts.items() if v)))
    if emerging.min_p(len(used["years"])) > alpha:
        st.info(ui.t("trend.short", years=len(used["years"]), p=fmt.number(emerging.min_p(len(used["years"])), 3, lang),
                     alpha=fmt.number(alpha, 2, lang)))
    with st.expander(ui.t("trend.method_title")):
        st.markdown(ui.t("trend.method"))

if result is not None:
    s = drilldown.pocket_summary(result, scope)
    if not s["significant"]:
        st.info(ui.t("pockets.none", n=s["n"]))
    st.caption(ui.t("pockets.summary", hh=s["HH"], ll=s["LL"], hl=s["HL"], lh=s["LH"], hot=s["gi_hot"],
                    cold=s["gi_cold"], n=s["n"], islands=s["islands"], alpha=alpha))

# ---------------------------------------------------------------- priority shortlist
st.divider()
st.subheader(ui.t("shortlist.title"))
st.caption(ui.t("shortlist.intro"))
may_edit = auth.can(ui.role(), "edit_shortlist")
if scope == drilldown.NATIONAL:
    st.info(ui.t("shortlist.national", prov=fmt.md_text(core_store.area_names(db, [prov]).get(prov, prov))))
elif may_edit:
    with st.form("shortlist_add"):
        cand, names = drilldown.shortlist_candidates(db, rank, selected)
        if st.session_state.get("_shortlist_for") != selected:  # a new area picked on the map: propose it
            st.session_state["_shortlist_for"] = selected
            st.session_state.pop("shortlist_area", None)
        ui.keep("shortlist_area", cand, default=selected if selected in cand else (cand[0] if cand else None))
        kode = st.selectbox(ui.t("shortlist.area"), cand, format_func=names.get, key="shortlist_area")
        reason = st.text_input(ui.t("shortlist.reason"), key="shortlist_reason",
                               placeholder=ui.t("shortlist.reason.placeholder"))
        if st.form_submit_button(ui.t("shortlist.add")) and kode:
            value, src = drilldown.shortlist_evidence(db, rank, kode, indicator, year)
            try:
                poverty_store.add_to_shortlist(db, ui.role(), ui.user(), kode, reason, indicator, year, value, src)
                st.session_state.pop("shortlist_reason", None)  # the area stays the selected one
                ui.flash(ui.t("shortlist.added", name=fmt.md_text(names.get(kode, kode))))
                st.rerun()
            except ValueError as exc:
                st.error(str(exc))
else:
    st.info(ui.t("shortlist.readonly"))

sl = drilldown.shortlist(db, prov)
if sl.empty:
    st.caption(ui.t("shortlist.empty"))
else:
    for r in sl.itertuples():
        cols = st.columns([4, 5, 1])
        where = " · ".join(fmt.md_text(x) for x in (r.kecamatan, r.kabupaten) if isinstance(x, str))
        cols[0].markdown(f"**{fmt.md_text(r.nama)}** `{r.kode}`  \n{ui.t(f'level.{r.level}')}"
                         f"{' · ' + where if where else ''}")
        evidence = f"{r.indicator} {r.period}: {fmt.number(r.value, 2, lang)}" if r.indicator else ""
        cols[1].markdown(f"{fmt.md_text(r.reason)}  \n_{evidence} — {fmt.md_text(fmt.person(r.added_by, lang))}_")
        if may_edit and cols[2].button(ui.t("shortlist.remove"), key=f"sl_rm_{r.kode}"):
            poverty_store.remove_from_shortlist(db, ui.role(), ui.user(), r.kode)
            st.rerun()
    table = drilldown.shortlist_export(db, prov, lang)
    note = ui.t("synthetic.label") if (table["keterangan"] != "").any() else None
    d1, d2 = st.columns(2)
    d1.download_button(ui.t("shortlist.csv"), documents.csv_bytes(table, lang), "daftar_prioritas.csv", "text/csv",
                       key="shortlist_csv", on_click="ignore")
    d2.download_button(ui.t("shortlist.xlsx"), documents.xlsx_bytes({"Daftar prioritas": table}, note, lang),
                       "daftar_prioritas.xlsx",
                       documents.XLSX_MIME, key="shortlist_xlsx", on_click="ignore")
    g = st.columns(2)
    for col, kind in zip(g, gis.FORMATS, strict=True):
        col.download_button(ui.t("gis.shortlist", fmt=kind.upper()),
                            lambda kind=kind: gis.layer_bytes(*drilldown.shortlist_gis(db, prov, lang), kind,
                                                              "daftar_prioritas"),
                            f"daftar_prioritas.{kind}", gis.FORMATS[kind][1], key=f"gis_shortlist_{kind}",
                            on_click="ignore")

# ---------------------------------------------------------------- Langkah berikutnya: a workshop for a kabupaten
kab_opts = drilldown.shortlist_kabupaten(db, prov)
if kab_opts:
    kab_label = core_store.area_names(db, kab_opts)
    ui.keep("next_peta_kab", kab_opts)
    kab = st.selectbox(ui.t("next.peta.kab"), kab_opts, format_func=kab_label.get, key="next_peta_kab") \
        if len(kab_opts) > 1 else kab_opts[0]
    ui.next_step("peta", ui.t("next.peta", kab=fmt.md_text(kab_label.get(kab, kab))), ui.t("next.peta.btn"),
                 "lokakarya", action=lambda: st.session_state.update(lok_handoff=kab),
                 allowed=auth.can(ui.role(), "facilitate_workshop"))
elif scope != drilldown.NATIONAL:
    ui.next_step("peta", ui.t("next.peta", kab="…"), ui.t("next.peta.btn"), "lokakarya",
                 blocked=ui.t("next.peta.empty"))
