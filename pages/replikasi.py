"""Kesiapan replikasi: the replication guide's five preparation stages per kabupaten/kota, the evidence of each
expected output, and the budget lines by regional budget nomenclature code."""

import pandas as pd
import streamlit as st

from analytics.core import auth, fmt
from analytics.monitoring import replication
from analytics.monitoring import store as mon_store
from pages import _ui as ui

db, lang, prov, year = ui.page_start("replikasi")
may = auth.can(ui.role(), "edit_replication")
st.caption(ui.t("repl.intro"))
statuses = {k: ui.t(f"repl.st.{k}") for k in ("selesai", "berjalan", "belum")}

overview = mon_store.replication_overview(db, prov)
st.markdown(f"**{ui.t('repl.overview')}**")
if overview.empty:
    st.info(ui.t("repl.none"))
else:
    shown = overview.drop(columns=["kabupaten", "tahap_jumlah", "keluaran_jumlah"]).assign(
        tahap_selesai=[f"{a} / {b}" for a, b in zip(overview["tahap_selesai"], overview["tahap_jumlah"], strict=True)],
        keluaran_selesai=[f"{a} / {b}" for a, b in zip(overview["keluaran_selesai"], overview["keluaran_jumlah"],
                                                       strict=True)],
        berikutnya=overview["berikutnya"].fillna("–"),
        anggaran=overview["anggaran"].map(lambda v: fmt.rupiah_short(v, lang)),
        anggaran_berkode=overview["anggaran_berkode"].map(lambda v: fmt.percent(100 * v, 0, lang)
                                                          if pd.notna(v) else "–"))
    st.dataframe(shown.rename(columns=lambda c: ui.t(f"field.{c}")), hide_index=True, key="repl_overview",
                 width="stretch")

kab_names = ui.kabupaten_names(db, prov)
kabs = list(kab_names)
recorded = [k for k in overview["kabupaten"] if k in kab_names]
kab = st.selectbox(ui.t("repl.kabupaten"), kabs, format_func=kab_names.get,
                   **ui.persistent("repl_kab", recorded[0] if recorded else kabs[0], kabs))
items = mon_store.replication_items(db, kab)
budget = mon_store.replication_budget(db, kab)
card = replication.checklist(items, budget)
status = replication.stage_status(card)
standing = replication.standing(status)
if standing["berikutnya"] is None:
    st.success(ui.t("repl.all_done", done=standing["tahap_selesai"], total=standing["tahap_jumlah"]))
else:
    st.info(ui.t("repl.standing", done=standing["tahap_selesai"], total=standing["tahap_jumlah"],
                 next=standing["berikutnya"]))
for r in status.itertuples():
    said = ui.t("repl.stage_progress", stage=r.tahap, done=r.selesai, total=r.jumlah)
    st.progress(r.selesai / r.jumlah, text=f"{said} — {statuses[r.status]}")

st.markdown(f"**{ui.t('repl.checklist')}**")
if not may:
    st.caption(ui.t("repl.readonly"))
ticks = card[~card["item"].isin(list(replication.BUDGET_ITEMS))].reset_index(drop=True)
ticks["tanggal"] = pd.to_datetime(ticks["tanggal"], errors="coerce")
shown = ticks.drop(columns="item")
edited = st.data_editor(shown, hide_index=True, key=f"repl_items_{kab}", width="stretch",
                        disabled=not may or ["tahap", "keluaran"],
                        column_config=ui.editor_columns(shown, {
                            "keluaran": st.column_config.TextColumn(width="large"),
                            "selesai": st.column_config.CheckboxColumn(),
                            "jenis_dokumen": st.column_config.SelectboxColumn(options=list(replication.DOC_TYPES)),
                            "tanggal": st.column_config.DateColumn(format="DD-MM-YYYY")}))
if may:
    ui.unsaved(shown, edited)
if may and st.button(ui.t("repl.save_items"), key="repl_items_save"):
    try:
        mon_store.save_replication_items(db, ui.role(), ui.user(), kab,
                                         edited.assign(item=ticks["item"].to_numpy()))
        ui.flash(ui.t("repl.saved_items"))
        st.rerun()
    except ValueError as exc:
        ui.show_errors(exc)

st.markdown(f"**{ui.t('repl.budget')}**")
lines = st.data_editor(budget, num_rows="dynamic", hide_index=True, key=f"repl_budget_{kab}", width="stretch",
                       disabled=not may,
                       column_config=ui.editor_columns(budget, {
                           "tahun": st.column_config.NumberColumn(ui.t("field.tahun_anggaran"), min_value=2000,
                                                                  max_value=2100, step=1, format="%d"),
                           "nilai": st.column_config.NumberColumn(ui.t("field.nilai_rp"), min_value=0),
                           "sumber": st.column_config.SelectboxColumn(options=list(replication.SOURCES)),
                           "peruntukan": st.column_config.SelectboxColumn(options=list(replication.PURPOSES)),
                           "uraian": st.column_config.TextColumn(width="large")},
                           names={"peruntukan": {p: ui.t(f"repl.purpose.{p}") for p in replication.PURPOSES}}))
if may:
    ui.unsaved(budget, lines)
if may and st.button(ui.t("repl.save_budget"), key="repl_budget_save"):
    try:
        n = mon_store.save_replication_budget(db, ui.role(), ui.user(), kab, lines)
        ui.flash(ui.t("repl.saved_budget", n=n))
        st.rerun()
    except ValueError as exc:
        ui.show_errors(exc)
by_code = replication.budget_by_code(budget)
if not by_code.empty:
    st.markdown(f"**{ui.t('repl.by_code')}**")
    st.dataframe(by_code.assign(nilai=by_code["nilai"].map(lambda v: fmt.rupiah(v, lang)))
                 .rename(columns=lambda c: ui.t(f"field.{c}")), hide_index=True, key="repl_by_code", width="stretch")
with st.expander(ui.t("repl.examples")):
    st.dataframe(pd.DataFrame(replication.GUIDE_EXAMPLES, columns=["nama", "kode", "item"])
                 .rename(columns=lambda c: ui.t(f"field.{c}")), hide_index=True, key="repl_examples", width="stretch")
