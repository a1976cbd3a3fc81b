"""Impor data: official boundaries, indicator tables and household registers — preview, then commit."""

import streamlit as st

from analytics.core import fmt
from analytics.core import store as core_store
from analytics.core.problems import ImportRejected
from analytics.io import boundaries, context, crosswalk, indicator_tables, pipeline, read, registers
from analytics.poverty import store as poverty_store
from analytics.poverty import targeting
from analytics.render import documents
from pages import _ui as ui

db, lang, prov, year = ui.page_start("impor")


def show_problems(problems) -> None:
    errors, warnings = context.split_problems(problems)
    for e in errors[:30]:
        st.error(e, icon=":material/error:")
    if len(errors) > 30:
        st.error(ui.t("impor.more_errors", n=len(errors) - 30))
    for w in warnings[:15]:
        st.warning(w, icon=":material/warning:")


def rejected(exc: ImportRejected) -> None:
    st.error(ui.t("impor.rejected"))
    show_problems(exc.problems)


def save_button(label_key: str, key: str, ok: bool, store, done: str) -> None:
    """The save button of a preview: stores (all or nothing) and says what was stored, or why not."""
    if st.button(ui.t(label_key), disabled=not ok, type="primary", key=key):
        try:
            store()
            st.success(done)
        except ImportRejected as exc:
            rejected(exc)


def per_province(table) -> None:  # noqa: ANN001 (DataFrame)
    """A national file's counts per province, so the planner sees every province it holds."""
    st.markdown(f"**{ui.t('impor.per_province', n=len(table))}**")
    st.dataframe(context.shown(table, lang), hide_index=True, height=min(400, 38 + 35 * len(table)))


tab_b, tab_t, tab_r = st.tabs([ui.t("impor.tab.boundaries"), ui.t("impor.tab.tables"), ui.t("impor.tab.register")])
resolver = context.resolver(db, prov)

# ---------------------------------------------------------------- boundaries
with tab_b:
    st.caption(ui.t("impor.boundaries.help"))
    up = st.file_uploader(ui.t("impor.file"), type=["geojson", "json", "topojson", "zip", "gpkg"], key="imp_bnd_file")
    if up is not None:
        data = up.getvalue()
        try:
            names = boundaries.layers(up.name, data)
            layer = st.selectbox(ui.t("impor.layer"), names, key="imp_bnd_layer") if len(names) > 1 else None
            gdf = boundaries.read(up.name, data, layer)
            proposed = boundaries.propose_columns(gdf)
            st.caption(ui.t("impor.columns.convention", convention=proposed.convention))
            options = [None, *(str(c) for c in gdf.columns if c != "geometry")]
            k1, k2 = st.columns(2)
            ui.keep("imp_bnd_code", options, default=proposed.code)
            code_col = k1.selectbox(ui.t("impor.columns.code"), options, key="imp_bnd_code",
                                    format_func=lambda c: ui.t("impor.columns.none") if c is None else c)
            ui.keep("imp_bnd_name", options, default=proposed.name)
            name_col = k2.selectbox(ui.t("impor.columns.name"), options, key="imp_bnd_name",
                                    format_func=lambda c: ui.t("impor.columns.none") if c is None else c)
            pv = boundaries.preview(up.name, gdf, resolver, core_store.province_bounds(db), layer,
                                    code_column=code_col or "", name_column=name_col or "", province=prov)
        except ImportRejected as exc:
            rejected(exc)
        else:
            head, body = st.container(), st.container()
            if not pv.unsure.empty:
                with body.expander(ui.t("impor.unsure", n=len(pv.unsure)), expanded=True):
                    st.caption(ui.t("impor.unsure.help"))
                    table = context.unsure_table(pv.unsure)
                    edited = st.data_editor(
                        table, hide_index=True, key="imp_bnd_unsure", height=min(36 * (len(table) + 1) + 4, 320),
                        width="stretch", disabled=[c for c in table.columns if c != "pilihan"],
                        column_config=ui.editor_columns(table, {
                            "fitur": st.column_config.NumberColumn(width=60),
                            "nama_di_berkas": st.column_config.TextColumn(width=160),
                            "pilihan": st.column_config.SelectboxColumn(ui.t("impor.unsure.choice"), width=110,
                                                                        options=context.CHOICES, required=True),
                            **{f"saran_{k}": st.column_config.TextColumn(width=260) for k in (1, 2, 3)},
                            "alasan": st.column_config.TextColumn(width="large")},
                            {"pilihan": {c: ui.t(f"impor.choice.{i}" if i else "impor.choice.none")
                                         for i, c in enumerate(context.CHOICES)}}))
                    pv = boundaries.accept(pv, context.chosen_pairs(pv.unsure, edited))
            c = head.columns(5)
            c[0].metric(ui.t("impor.level"), ui.t(f"level.{pv.level}") if pv.level else "–")
            c[1].metric(ui.t("impor.matched"), len(pv.matched))
            c[2].metric(ui.t("impor.unsure.count"), len(pv.unsure))
            c[3].metric(ui.t("impor.unmatched"), len(pv.unmatched))
            c[4].metric(ui.t("impor.repaired"), int(pv.matched["repaired"].sum()) if not pv.matched.empty else 0)
            with head:
                show_problems(pv.problems)
                if not pv.matched.empty and pv.matched["kode"].str[:2].nunique() > 1:
                    per_province(context.per_province(db, {"jumlah_wilayah": pv.matched["kode"]}))
                if not pv.matched.empty:
                    st.dataframe(context.shown(context.matched_table(db, pv.matched), lang), hide_index=True,
                                 height=240)
            if not pv.unmatched.empty:
                st.caption(ui.t("impor.unmatched.caption"))
                st.dataframe(context.shown(context.unmatched_table(pv.unmatched), lang), hide_index=True, height=160)
            save_button("impor.commit.boundaries", "imp_bnd_commit", pv.ok,
                        lambda: boundaries.commit(db, ui.role(), ui.user(), pv),
                        ui.t("impor.done.boundaries", n=len(pv.matched), level=ui.t(f"level.{pv.level}")))

    pairs = core_store.crosswalk(db)
    with st.expander(ui.t("impor.crosswalk", n=fmt.number(len(pairs), 0, ui.lang()))):
        st.caption(ui.t("impor.crosswalk.help"))
        if not pairs.empty:
            st.dataframe(context.shown(context.crosswalk_table(db, pairs), lang), hide_index=True, height=240)
        st.download_button(ui.t("impor.crosswalk.download"),
                           documents.csv_bytes(pairs[list(crosswalk.CSV_COLUMNS)]),
                           "tabel_silang_bps_kemendagri.csv", "text/csv", key="imp_cw_download", on_click="ignore")
        cw = st.file_uploader(ui.t("impor.file"), type=["csv", "xlsx"], key="imp_cw_file")
        if cw is not None and st.button(ui.t("impor.commit.crosswalk"), key="imp_cw_commit", type="primary"):
            try:
                n = pipeline.import_crosswalk(db, ui.role(), ui.user(), cw.name, cw.getvalue())
                st.success(ui.t("impor.crosswalk.done", n=fmt.number(n, 0, ui.lang())))
            except ImportRejected as exc:
                rejected(exc)

# ---------------------------------------------------------------- indicator tables
with tab_t:
    st.caption(ui.t("impor.tables.help"))
    up = st.file_uploader(ui.t("impor.file"), type=["csv", "txt", "xlsx"], key="imp_tab_file")
    if up is not None:
        data = up.getvalue()
        try:
            sheets = read.sheet_names(up.name, data)
            sheet = st.selectbox(ui.t("impor.sheet"), sheets, key="imp_tab_sheet") if len(sheets) > 1 else None
            cells = read.read_cells(up.name, data, sheet)
            layout = indicator_tables.detect_layout(up.name, cells, resolver)
        except ImportRejected as exc:
            rejected(exc)
        else:
            labels = layout.labels
            st.caption(ui.t("impor.layout", header=len(layout.header_rows), first=layout.first_data_row + 1,
                            area=labels[layout.area_col],
                            scope=labels[layout.scope_col] if layout.scope_col is not None else "–",
                            period=labels[layout.period_col] if layout.period_col is not None else "–"))
            s1, s2 = st.columns(2)
            source = s1.text_input(ui.t("impor.source"), key="imp_tab_source", placeholder="BPS")
            default_year = s2.number_input(ui.t("impor.default_year"), 1990, 2100, value=year, step=1,
                                           key="imp_tab_year")
            proposed, changes = pipeline.table_columns(
                db, indicator_tables.propose_columns(layout, cells, context.known_units(db)), source)
            st.markdown(f"**{ui.t('impor.columns')}**")
            if changes is not None:
                st.info(ui.t("impor.mapping.applied", name=fmt.md_text(changes.name), n=len(changes.applied)),
                        icon=":material/bookmark:")
                if changes.new:
                    st.warning(ui.t("impor.mapping.new", cols=", ".join(f"'{fmt.md_text(c)}'" for c in changes.new)))
                if changes.missing:
                    st.warning(ui.t("impor.mapping.missing",
                                    cols=", ".join(f"'{fmt.md_text(c)}'" for c in changes.missing)))
            edited = st.data_editor(
                context.columns_frame(proposed), hide_index=True, disabled=["label"],
                key="imp_tab_cols" if changes is None else "imp_tab_cols_saved",
                width="stretch", column_config={
                    "numbers": st.column_config.SelectboxColumn(ui.t("impor.col.numbers"),
                                                                options=context.NUMBER_CHOICES, required=True,
                                                                help=ui.t("impor.col.numbers.help")),
                    "confirmed": st.column_config.CheckboxColumn(ui.t("impor.col.confirmed"),
                                                                 help=ui.t("impor.col.confirmed.help"))})
            cols = indicator_tables.with_changes(proposed, edited)
            pv = indicator_tables.preview(up.name, cells, layout, cols, resolver, int(default_year))
            c = st.columns(4)
            c[0].metric(ui.t("impor.values"), len(pv.values))
            c[1].metric(ui.t("impor.matched"), len(pv.areas))
            c[2].metric(ui.t("impor.skipped"), len(pv.skipped))
            c[3].metric(ui.t("impor.errors"), sum(p.severity == "error" for p in pv.problems))
            if pv.number_styles:
                st.caption(ui.t("impor.numbers", styles="; ".join(
                    f"{fmt.md_text(label)}: {style}" for label, style in pv.number_styles.items())))
            show_problems(pv.problems)
            if pv.values["kode"].str[:2].nunique() > 1:
                per_province(context.per_province(db, {"jumlah_nilai": pv.values["kode"],
                                                       "jumlah_wilayah": pv.areas["kode"]}))
            if not pv.areas.empty:
                with st.expander(ui.t("impor.areas"), expanded=False):
                    st.dataframe(context.shown(context.areas_table(db, pv.areas), lang), hide_index=True, height=240)
            if not pv.skipped.empty:
                with st.expander(ui.t("impor.skipped.list")):
                    st.dataframe(context.shown(context.skipped_table(pv.skipped), lang), hide_index=True, height=200)
            if not pv.values.empty:
                st.dataframe(context.shown(context.values_table(db, pv.values.head(200), lang), lang), hide_index=True,
                             height=240)
            save_button("impor.commit.tables", "imp_tab_commit", pv.ok,
                        lambda: indicator_tables.commit(db, ui.role(), ui.user(), pv, source),
                        ui.t("impor.done.tables", n=len(pv.values), source=source))

# ---------------------------------------------------------------- household registers
with tab_r:
    st.caption(ui.t("impor.register.help"))
    up = st.file_uploader(ui.t("impor.file"), type=["csv", "txt", "xlsx"], key="imp_reg_file")
    r1, r2 = st.columns(2)
    reg_source = r1.text_input(ui.t("impor.source"), key="imp_reg_source", placeholder="DTKS")
    reg_year = r2.number_input(ui.t("impor.default_year"), 1990, 2100, value=year, step=1, key="imp_reg_year")
    if up is not None:
        try:
            cells = read.read_cells(up.name, up.getvalue())
            sectors = targeting.sector_mapping(db)
            pv = registers.preview(up.name, cells, resolver, sectors=sectors)
        except ImportRejected as exc:
            rejected(exc)
        else:
            c = st.columns(3)
            c[0].metric(ui.t("impor.rows"), pv.n_rows)
            c[1].metric(ui.t("impor.households"), len(pv.households))
            c[2].metric(ui.t("impor.errors"), sum(p.severity == "error" for p in pv.problems))
            st.caption(ui.t("impor.register.columns",
                            cols=", ".join(f"{k} ← '{fmt.md_text(v)}'" for k, v in pv.columns.items())))
            show_problems(pv.problems)
            if not pv.households.empty:
                st.dataframe(context.shown(registers.summary(pv.households, sectors), lang), hide_index=True)
                st.markdown(f"**{ui.t('impor.sectors')}**", help=ui.t("impor.sectors.help"))
                table = registers.sector_table(pv.households, sectors)
                edited = st.data_editor(
                    table, hide_index=True, key="imp_reg_sectors", width="stretch",
                    disabled=[c for c in table.columns if c != "produktif"],
                    column_config=ui.editor_columns(table, {"dikenal": st.column_config.CheckboxColumn()}))
                if st.button(ui.t("impor.sectors.save"), key="imp_reg_sectors_save"):
                    n = poverty_store.set_sectors(db, ui.role(), ui.user(), targeting.sector_settings(edited))
                    ui.flash(ui.t("impor.sectors.saved", n=n))
                    st.rerun()
            save_button("impor.commit.register", "imp_reg_commit", pv.ok,
                        lambda: registers.commit(db, ui.role(), ui.user(), pv, reg_source, int(reg_year)),
                        ui.t("impor.done.register", n=len(pv.households), source=reg_source))
