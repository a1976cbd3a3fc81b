"""Monitoring: results chain and target vs realisation, reviews, stored PCI (rubrics, entries, the
method's workbook), ADKAR (stages and barrier points by hand, network, imports), leadership summary
and PDF. Bad input is refused with a clear message and leaves stored data unchanged."""

from __future__ import annotations

import io
from datetime import date

import numpy as np
import pandas as pd
import pytest

from analytics.business import store as bm_store
from analytics.core import store as core_store
from analytics.core.auth import PermissionDenied
from analytics.core.db import Database
from analytics.core.problems import ImportRejected
from analytics.monitoring import adkar, leadership, pci, pci_workbook, results, scorecard
from analytics.monitoring import store as mon_store
from analytics.render import documents


# ---------------------------------------------------------------------- results chain
def test_demo_results_chain_takes_its_targets_from_the_business_model(ro_db) -> None:
    from analytics.business import calc
    from analytics.business import store as bm_store

    chains = mon_store.rc_chains(ro_db)
    assert len(chains) == 2 and chains["is_synthetic"].all()
    row = chains[chains["model_title"].str.contains("kopi")].iloc[0]
    t = mon_store.load_results_chain(ro_db, int(row["id"]))
    assert list(t["boxes"]["level"].sort_values().unique()) == [1, 2, 3, 4]
    # the interventions are the value chain's root-cause interventions
    assert "SOP dan pelatihan petik merah; BUMDes mengolah dan menyortir" in set(t["boxes"]["teks"])
    ev = calc.evaluate(bm_store.load(ro_db, int(row["model_id"])), 0.12)
    ind = t["indicators"].set_index("ind")
    assert ind.loc["K2", "target"] == ev.projection["rt_terjangkau"].iloc[-1] == 470
    assert ind.loc["K4", "target"] == pytest.approx(764_000_000 / 120)
    assert ind.loc["K1", "target"] == 180_000  # the BUMDes buys 180,000 kg from the farmers after
    values = mon_store.rc_values(ro_db, int(row["id"]))
    targets = values[(values["ind"] == "K2") & (values["jenis"] == "target")].set_index("period")["value"]
    assert targets.to_dict() == {"2025": 120, "2026": 270, "2027": 470}


def test_progress_by_hand() -> None:
    inds = pd.DataFrame({"ind": ["K"], "nama": ["Rumah tangga"], "satuan": ["rt"]})
    v = pd.DataFrame([("K", "2025-S1", "realisasi", "total", 40.0), ("K", "2025", "target", "total", 100.0),
                      ("K", "2025", "realisasi", "total", 90.0), ("K", "2025", "realisasi", "perempuan", 50.0),
                      ("K", "2026", "target", "total", 200.0), ("K", "2026", "realisasi", "total", 150.0)],
                     columns=["ind", "period", "jenis", "pilah", "value"])
    p = results.progress(inds, v).set_index("period")
    assert list(p.index) == ["2025-S1", "2025", "2026"]
    assert p.loc["2025", "capaian"] == 0.9 and p.loc["2026", "capaian"] == 0.75
    assert p.loc["2025", "perubahan"] == 50 and p.loc["2026", "perubahan"] == 60
    assert np.isnan(p.loc["2025-S1", "perubahan"]) and p.loc["2025", "perempuan"] == 50


def test_results_chain_edits_values_and_reviews_are_checked(db_copy) -> None:
    db = Database(db_copy)
    cid = int(mon_store.rc_chains(db)["id"].iloc[0])
    before = db.table_checksums()
    bad = {"total": 100.0, "perempuan": 70.0, "laki_laki": 20.0}
    with pytest.raises(ValueError, match=r"perempuan \+ laki-laki \(90\) tidak sama dengan total \(100\)"):
        mon_store.record_values(db, "pemantau", "m", cid, "K2", "2025", "realisasi", bad)
    with pytest.raises(ValueError, match="Periode '2025-Q5' tidak dikenal"):
        mon_store.record_values(db, "pemantau", "m", cid, "K2", "2025-Q5", "realisasi", {"total": 1.0})
    with pytest.raises(ValueError, match=r"disabilitas \(120\) melebihi total \(100\)"):
        mon_store.record_values(db, "pemantau", "m", cid, "K2", "2025", "realisasi",
                                {"total": 100.0, "disabilitas": 120.0})
    with pytest.raises(ValueError, match="Tuliskan alasan"):
        mon_store.add_review(db, "pokja", "p", cid, "triwulan", date(2025, 4, 1), "Kemajuan", "", "hentikan", "",
                             ["K2"])
    with pytest.raises(ValueError, match="Indikator tidak ada"):
        mon_store.add_review(db, "pokja", "p", cid, "bulanan", date(2025, 4, 1), "Kemajuan", "", "lanjut", "", ["Z9"])
    boxes = mon_store.load_results_chain(db, cid)["boxes"].copy()
    boxes.loc[boxes["box"] == "S1", "menuju"] = "P1"  # level 2 may not skip to level 4
    with pytest.raises(ValueError, match="kotak level 2 harus menuju kotak level 3, bukan level 4"):
        mon_store.save_results_table(db, "pokja", "p", cid, "boxes", boxes)
    with pytest.raises(ValueError, match="masih dipakai indikator"):
        mon_store.save_results_table(db, "pokja", "p", cid, "boxes", boxes[boxes["box"] != "A1"])
    with pytest.raises(PermissionDenied):
        mon_store.record_values(db, "viewer", "v", cid, "K2", "2025", "realisasi", {"total": 1.0})
    assert db.table_checksums() == before
    mon_store.record_values(db, "pemantau", "m", cid, "K2", "2026", "realisasi",
                          {"total": 100.0, "perempuan": 60.0, "laki_laki": 40.0, "disabilitas": 3.0})
    p = results.progress(mon_store.load_results_chain(db, cid)["indicators"],
                         mon_store.rc_values(db, cid)).set_index(["ind", "period"])
    assert p.loc[("K2", "2026"), "realisasi"] == 100 and p.loc[("K2", "2026"), "disabilitas"] == 3
    rid = mon_store.add_review(db, "pokja", "p", cid, "semester", date(2026, 7, 1), "Capaian semester", "Baik",
                             "sesuaikan", "Tambah pendamping", ["K2", "K3"])
    assert rid in set(mon_store.reviews(db, cid)["id"])
    n = mon_store.add_templates(db, "pokja", "p", cid, results.APP_TEMPLATES.head(3), "A1")
    assert n == 3 and {"T1", "T2", "T3"} <= set(mon_store.load_results_chain(db, cid)["indicators"]["ind"])
    assert mon_store.add_templates(db, "pokja", "p", cid, results.APP_TEMPLATES.head(3), "A1") == 0  # no duplicates
    new = mon_store.create_results_chain(db, "perencana", "p", "Tanpa model")
    assert len(mon_store.load_results_chain(db, new)["boxes"]) == 4
    db.close()


def test_app_templates_cover_six_themes_and_three_sources() -> None:
    t = results.APP_TEMPLATES
    assert set(t["tema"]) == set(results.THEMES) and set(t["sumber_kelompok"]) == set(results.SOURCES)
    assert t["level"].between(1, 4).all()


# ---------------------------------------------------------------------- PCI stored
def test_pci_entries_rubrics_and_bad_input(db_copy) -> None:
    db = Database(db_copy)
    rid = mon_store.ensure_reference(db)
    assert mon_store.ensure_reference(db) == rid
    rubric = mon_store.load_rubric(db, rid)
    assert [i.levels() for i in rubric.indicators] == [i.levels() for i in pci.reference_rubric().indicators]
    gid = mon_store.create_group(db, "pemantau", "m", "POKMAS Uji", "35.11")
    before = db.table_checksums()
    bad = pd.DataFrame({"indicator_no": [1, 15, 5, 2, 30], "value": [50.5, 3.0, None, -1.0, 1.0],
                        "level": [None, None, 1, None, None], "note": None})
    with pytest.raises(ValueError) as exc:
        mon_store.record(db, "pemantau", "m", gid, 2025, rubric, bad)
    msg = str(exc.value)
    assert "indikator 1: nilai 50,5 tidak tercakup rubrik (celah)" in msg
    assert "indikator 15: indikator kualitatif, pilih skor 0-3" in msg
    assert "indikator 5: skor 1 tidak didefinisikan rubrik (tersedia: 0, 3)" in msg
    assert "indikator 2: nilai pengamatan negatif" in msg and "indikator '30' tidak ada di rubrik" in msg
    with pytest.raises(ValueError, match="Rubrik acuan metode tidak diubah"):
        mon_store.save_rubric(db, "pemantau", "m", "x", mon_store.rubric_texts(db, rid), rubric_id=rid)
    with pytest.raises(PermissionDenied):
        mon_store.record(db, "viewer", "v", gid, 2025, rubric, bad.head(0))
    assert db.table_checksums() == before
    good = pd.DataFrame({"indicator_no": [1, 15, 24], "value": [50.5, None, 3.0], "level": [1, 2, None],
                         "note": ["antara 50 dan 51: dibulatkan ke skor 1", None, None]})
    assert mon_store.record(db, "pemantau", "m", gid, 2025, rubric, good) == 3
    d = scorecard.group_detail(db, rubric, gid, 2025).set_index("no")
    assert d.loc[1, "skor"] == 1 and d.loc[1, "catatan_skor"] == "celah rubrik" and d.loc[24, "skor"] == 3
    assert d.loc[15, "bendera"].startswith("tahun pertama") and d.loc[1, "bendera"] == ""
    # 3 of 26 indicators scored: the leadership summary leaves this group out of the predicates, and says so
    s = leadership.summary(db, "35")
    assert int(s.pci["n"].sum()) == 8 and s.pci_incomplete == 1  # the demo's 8 complete groups only
    said = dict(leadership.headline(s, {**{k: k for k in ("reached", "income", "pci", "adkar", "budget", "final",
                                                          "co", "grad")}, "pci_incomplete": "{n} belum lengkap",
                                        "grad_note": "{out} keluar dari miskin; {a} → {b}"}))
    assert said["pci"].endswith("(2025); 1 belum lengkap")
    # a local rubric that closes indicator 1's gaps and overlap scores 50.5 by itself
    texts = mon_store.rubric_texts(db, rid)
    texts.loc[texts["indicator_no"] == 1, ["score_1", "score_2"]] = ["> 50 - 70%", "> 70 - 90%"]
    local = mon_store.save_rubric(db, "pemantau", "m", "Rubrik Bondowoso", texts, {1: 2.0})
    lr = mon_store.load_rubric(db, local)
    assert lr.weights == {1: 2.0}
    db.close()


def test_pci_scorecard_on_the_demo_steps_down_and_flags_first_years(ro_db) -> None:
    rid = mon_store.ensure_reference(ro_db) if ro_db.scalar("SELECT count(*) FROM pci_rubrics") else None
    assert rid is not None
    table, sc = scorecard.scorecard(ro_db, mon_store.load_rubric(ro_db, rid))
    assert len(table) == 16 and table["lengkap"].all()
    down = table[table["predikat"] != table["predikat_total"]].set_index("kelompok")
    assert down.loc["KWT Jahe Merah Pule", "predikat"] == "Maju" and down.loc["KWT Jahe Merah Pule", "total"] == 76
    assert "21 = 2" in down.loc["KWT Jahe Merah Pule", "alasan"]
    assert down.loc["KTH Kopi Ijen Lestari", "predikat"] == "Berkembang"
    assert table.loc[table["period"] == 2024, "tahun_pertama"].all() and not table.loc[table["period"] == 2025,
                                                                                      "tahun_pertama"].any()


def test_pci_workbook_round_trip_and_bad_workbooks(db_copy, tmp_path) -> None:
    import openpyxl

    db = Database(db_copy)
    rid = mon_store.ensure_reference(db)
    groups = mon_store.pci_groups(db)
    gid = int(groups["id"].iloc[0])
    data = documents.xlsx_bytes(*scorecard.workbook_sheets(db, rid, gid, 2025))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == list(pci_workbook.SHEETS)
    # the same group's form imported under a new name: a new group with the same total
    form = book["Form Isian"]
    for row in form.iter_rows():
        if row[0].value == "Kelompok":
            row[1].value = "POKMAS Impor"
    buf = io.BytesIO()
    book.save(buf)
    out = mon_store.import_workbook(db, "pemantau", "m", "pci_isian.xlsx", buf.getvalue(), rid)
    assert out["baru"] and out["indikator"] == 26 and not out["rubrik_berbeda"]
    table, _ = scorecard.scorecard(db, mon_store.load_rubric(db, rid), period=2025)
    totals = table.set_index("group_id")["total"]
    assert totals[out["group_id"]] == totals[gid]
    before = db.table_checksums()
    # bad files: no form sheet; a year that is not a year; a value that is not a number; a gap value
    empty = io.BytesIO()
    pd.DataFrame({"a": [1]}).to_excel(empty, index=False)
    with pytest.raises(ImportRejected, match="lembar kerja 'Form Isian' tidak ada"):
        mon_store.import_workbook(db, "pemantau", "m", "kosong.xlsx", empty.getvalue(), rid)
    for edit, expect in [(("Tahun", 1, "dua ribu"), "tahun 'dua ribu' bukan tahun yang sah"),
                         (("1", 2, "banyak"), "baris 9, kolom 'Hasil pengamatan': Form Isian: 'banyak' bukan angka"),
                         (("1", 2, 50.5), "indikator 1: nilai 50,5 tidak tercakup rubrik")]:
        wb = openpyxl.load_workbook(io.BytesIO(data))
        ws = wb["Form Isian"]
        for row in ws.iter_rows():
            if str(row[0].value) == edit[0]:
                row[edit[1]].value = edit[2]
                if edit[0] == "1":
                    row[3].value = None  # no chosen level
                break
        b = io.BytesIO()
        wb.save(b)
        with pytest.raises(ImportRejected) as exc:
            mon_store.import_workbook(db, "pemantau", "m", "isian.xlsx", b.getvalue(), rid)
        assert expect in str(exc.value), str(exc.value)
        assert "Berkas 'isian.xlsx'" in str(exc.value)
    with pytest.raises(PermissionDenied):
        mon_store.import_workbook(db, "pokja", "p", "isian.xlsx", data, rid)
    assert db.table_checksums() == before
    db.close()


# ---------------------------------------------------------------------- ADKAR
def test_adkar_stage_and_barrier_by_hand() -> None:
    ind = adkar.indicators()
    pemb = ind[ind["group"] == "pembeli"]
    resp = pd.DataFrame({"id": [1, 2], "actor_group": ["pembeli", "pembeli"]})

    def rows(rid: int, period: str, score_of) -> list[tuple]:
        return [(rid, period, r.indicator_code, score_of(r)) for r in pemb.itertuples()]

    # respondent 1: Awareness and Desire at least 1, a Knowledge indicator at 0 → stage 2, barrier Knowledge
    def s1(r) -> int:
        return 0 if "Knowledge" in r.elements else (2 if "Awareness" in r.elements else 1)
    # respondent 2: everything 2 → all reached
    scores = pd.DataFrame(rows(1, "2025", s1) + rows(2, "2025", lambda r: 2),
                          columns=["respondent_id", "period", "indicator_code", "score"])
    st = adkar.stages(scores, resp).set_index("respondent_id")
    assert (st.loc[1, "tahap"], st.loc[1, "hambatan"], st.loc[1, "tercapai"]) == (2, "Knowledge", "Desire")
    assert (st.loc[2, "tahap"], st.loc[2, "hambatan"]) == (5, adkar.ALL_REACHED)
    assert st.loc[2, "total"] == 2 * len(pemb) == st.loc[2, "maks"]
    # with the stricter threshold (2 = sempurna) respondent 1 stops at Desire
    strict = adkar.stages(scores, resp, threshold=2).set_index("respondent_id")
    assert strict.loc[1, "hambatan"] == "Desire" and strict.loc[1, "tahap"] == 1
    dist = adkar.barrier_distribution(st.reset_index())
    assert dist["bagian"].sum() == pytest.approx(1.0) and len(dist) == 2


def test_adkar_network_central_supporters() -> None:
    links = pd.DataFrame([("Penyuluh", "pendukung", "P1", "petani", "pendukung"),
                          ("Penyuluh", "pendukung", "P2", "petani", "pendukung"),
                          ("Penyuluh", "pendukung", "P3", "petani", "pendukung"),
                          ("BUMDes", "pembeli", "P1", "petani", "pendukung"),
                          ("Eksportir", "pembeli", "Penyuluh", "pendukung", "pendukung"),
                          ("Tengkulak", "pembeli", "P2", "petani", "penghambat"),
                          ("Tengkulak", "pembeli", "P3", "petani", "penghambat")],
                         columns=["dari", "dari_kelompok", "ke", "ke_kelompok", "jenis"])
    g = adkar.network(links)
    top = adkar.central_supporters(g, 2)
    # the extension worker supports three farmers and sits between the exporter and them
    assert top["nama"].tolist() == ["Penyuluh", "BUMDes"] and top.loc[0, "mendukung"] == 3
    assert top.loc[0, "perantara"] > 0 and top.loc[1, "perantara"] == 0
    assert adkar.main_barriers(g).iloc[0].tolist() == ["Tengkulak", 2]


def test_adkar_imports_long_and_wide_and_refuses_bad_files(db_copy) -> None:
    db = Database(db_copy)
    ind = adkar.indicators()
    codes = ind[ind["group"] == "keuangan"]["indicator_code"].tolist()
    long = "kode_responden;kelompok_aktor;periode;kode_indikator;skor\n" + "".join(
        f"LK-1;keuangan;2025;{c};{k % 3}\n" for k, c in enumerate(codes))
    out = mon_store.import_responses(db, "pemantau", "m", "adkar_panjang.csv", long.encode())
    assert out == {"responden_baru": 1, "skor": len(codes)}
    wide = pd.DataFrame({"kode_responden": ["LK-2"], "kelompok_aktor": ["keuangan"], "periode": ["2025"],
                         "jenis_kelamin": ["P"], **{c: [2] for c in codes}})
    buf = io.BytesIO()
    wide.to_excel(buf, index=False)
    out = mon_store.import_responses(db, "pemantau", "m", "adkar_lebar.xlsx", buf.getvalue())
    assert out["skor"] == len(codes)
    resp, st = mon_store.load_stages(db)
    lk2 = st[st["respondent_id"] == int(resp.set_index("kode").loc["LK-2", "id"])].iloc[0]
    assert lk2["hambatan"] == adkar.ALL_REACHED
    before = db.table_checksums()
    petani_code = ind[ind["group"] == "petani"]["indicator_code"].iloc[0]
    bad_files = [
        ("tanpa_periode.csv", "kode_responden,kelompok_aktor,kode_indikator,skor\nX,petani,4A-AW-a,1\n",
         "Berkas 'tanpa_periode.csv', baris 1, kolom 'periode': kolom wajib tidak ada"),
        ("skor3.csv", f"kode_responden,kelompok_aktor,periode,kode_indikator,skor\nX,petani,2025,{petani_code},3\n",
         "baris 2, kolom 'skor': skor '3' harus 0 (kurang), 1 (cukup) atau 2 (sempurna)"),
        ("salah_kelompok.csv",
         f"kode_responden,kelompok_aktor,periode,kode_indikator,skor\nX,keuangan,2025,{petani_code},1\n",
         f"indikator {petani_code} milik kelompok petani, bukan keuangan"),
        ("kode.csv", "kode_responden,kelompok_aktor,periode,kode_indikator,skor\nX,petani,2025,9Z-AW-a,1\n",
         "'9Z-AW-a' bukan kode indikator ADKAR"),
        ("periode.csv",
         f"kode_responden,kelompok_aktor,periode,kode_indikator,skor\nX,petani,Mei 2025,{petani_code},1\n",
         "baris 2, kolom 'periode': periode 'Mei 2025' tidak dikenal"),
        ("grup.csv", f"kode_responden,kelompok_aktor,periode,kode_indikator,skor\nLK-1,petani,2025,{petani_code},1\n",
         "responden LK-1 sudah tercatat sebagai keuangan"),
    ]
    for name, text, expect in bad_files:
        with pytest.raises(ImportRejected) as exc:
            mon_store.import_responses(db, "pemantau", "m", name, text.encode())
        assert expect in str(exc.value), (name, str(exc.value))
    with pytest.raises(ValueError, match="skor '5' harus 0"):
        mon_store.record_scores(db, "pemantau", "m", int(resp["id"].iloc[0]), "2025", {codes[0]: 5})
    assert db.table_checksums() == before
    mid = int(bm_store.bm_models(db)["id"].iloc[0])
    added = mon_store.respondents_from_model(db, "pemantau", "m", mid)
    assert added >= 3 and mon_store.respondents_from_model(db, "pemantau", "m", mid) == 0
    db.close()


# ---------------------------------------------------------------------- leadership
def test_leadership_summary_and_pdf(ro_db) -> None:
    from pypdf import PdfReader

    s = leadership.summary(ro_db, "35")
    values = mon_store.rc_values(ro_db)
    k2 = values[(values["ind"] == "K2") & (values["jenis"] == "realisasi") & (values["pilah"] == "total")
                & (values["period"] == "2025")]
    assert s.reached == k2["value"].sum() and s.reached_period == "2025"
    assert s.reached_target == 120 + 80 and s.reached_final == 470 + 360
    assert int(s.pci["n"].sum()) == 8 and s.pci_year == 2025
    assert int(s.barriers["n"].sum()) == len(mon_store.adkar_respondents(ro_db))
    assert s.budget["nilai"].sum() == pytest.approx(1_470_000_000 + 960_000_000)
    assert s.co_investment == pytest.approx(s.budget.loc[~s.budget["sumber"].isin(["APBD", "APBDes", "APBN/DAK"]),
                                                         "nilai"].sum() / s.budget["nilai"].sum())
    assert s.synthetic and len(s.interventions) == 2 and s.interventions["lat"].notna().all()
    labels = {k: k for k in ("reached", "income", "pci", "adkar", "budget", "final", "co", "outreach_title",
                             "pci_title", "adkar_title", "budget_title", "map_title", "hh", "ll", "pdf_title", "made",
                             "grad", "grad_title")}
    labels["synthetic"] = "Data contoh (sintetis) — bukan data resmi."
    labels["grad_note"] = "{out} keluar dari miskin; {a} → {b}"
    fc = core_store.area_geojson(ro_db, "kecamatan", "35")
    pdf = documents.leadership_pdf(s, fc, pd.DataFrame({"kode": ["35.11.07"], "cluster": ["HH"]}), labels)
    assert pdf[:4] == b"%PDF"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Data contoh (sintetis)" in text and "reached" in text and len(PdfReader(io.BytesIO(pdf)).pages) == 2
    # graduation: households moving up over the demo's two chains, and the newest period's statuses as a chart
    assert s.moved_periods == ("2025-S1", "2025")
    assert f"{s.moved['naik']} / 120; {s.moved['keluar_miskin']} keluar dari miskin; 2025-S1 → 2025" in text
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 5  # outreach, PCI, ADKAR, budget, graduation


# ---------------------------------------------------------------------- ADKAR pinned (issue 13)
# The supporting-function questionnaire (Tabel 6): 6A-AW-a Awareness, 6A-DKA-a Desire, 6A-DKA-b Knowledge and
# Ability, 6A-DKA-c Ability, 6A-RE-a and 6A-RE-b Reinforcement.
SUPPORT_CODES = ["6A-AW-a", "6A-DKA-a", "6A-DKA-b", "6A-DKA-c", "6A-RE-a", "6A-RE-b"]


def _support_scores() -> pd.DataFrame:
    rows = [(10, "2025", c, s) for c, s in zip(SUPPORT_CODES, [2, 1, 0, 2, 2, 1], strict=True)]
    rows += [(10, "2026", c, s) for c, s in zip(SUPPORT_CODES, [2, 2, 2, 2, 2, 0], strict=True)]
    rows += [(11, "2025", "6A-AW-a", 0)]                                        # only Awareness scored, 0
    rows += [(12, "2025", c, 1) for c in SUPPORT_CODES]                         # everything "cukup"
    rows += [(13, "2025", "6A-AW-a", 2), (13, "2025", "6A-DKA-a", 2)]           # the rest not yet asked
    return pd.DataFrame(rows, columns=["respondent_id", "period", "indicator_code", "score"])


SUPPORT_RESP = pd.DataFrame({"id": [10, 11, 12, 13], "actor_group": ["pendukung"] * 4,
                             "kode": ["S-10", "S-11", "S-12", "S-13"], "kelompok": ["Penyuluh"] * 4,
                             "sex": ["P", "L", "P", "L"], "disabilitas": [False, True, False, False]})


def test_adkar_stages_every_column_by_hand() -> None:
    st = adkar.stages(_support_scores(), SUPPORT_RESP)
    # respondent 10 in 2025: Awareness min 2, Desire 1, Knowledge 0 (6A-DKA-b), Ability min(0, 2) = 0,
    # Reinforcement min(2, 1) = 1 → climbs Awareness, Desire; stops at Knowledge. Means: 2, 1, 0, 1, 1.5.
    # in 2026 only Reinforcement (6A-RE-b = 0) fails → stage 4. Respondent 11: stuck at Awareness.
    # respondent 13: Knowledge not scored → not reached.
    nan = float("nan")
    expected = pd.DataFrame({
        "respondent_id": [10, 10, 11, 12, 13], "period": ["2025", "2026", "2025", "2025", "2025"],
        "actor_group": ["pendukung"] * 5, "tahap": [2, 4, 0, 5, 2], "tahap_dari": [5] * 5,
        "tercapai": ["Desire", "Ability", "", "Reinforcement", "Desire"],
        "hambatan": ["Knowledge", "Reinforcement", "Awareness", adkar.ALL_REACHED, "Knowledge"],
        # the maximum counts the whole questionnaire (6 indicators × 2), answered or not (issue 18, item 5)
        "total": [8.0, 10.0, 0.0, 6.0, 4.0], "maks": [12] * 5, "dijawab": [6, 6, 1, 6, 2], "indikator": [6] * 5,
        "skor_Awareness": [2, 2, 0, 1, 2], "skor_Desire": [1, 2, nan, 1, 2], "skor_Knowledge": [0, 2, nan, 1, nan],
        "skor_Ability": [1, 2, nan, 1, nan], "skor_Reinforcement": [1.5, 1, nan, 1, nan]})
    pd.testing.assert_frame_equal(st, expected, check_dtype=False)
    strict = adkar.stages(_support_scores(), SUPPORT_RESP, threshold=2)
    assert strict["tahap"].tolist() == [1, 4, 0, 0, 2]
    assert strict["hambatan"].tolist() == ["Desire", "Reinforcement", "Awareness", "Awareness", "Knowledge"]
    assert strict["tercapai"].tolist() == ["Awareness", "Ability", "", "", "Desire"]
    assert adkar.stages(_support_scores().iloc[:0], SUPPORT_RESP).empty
    # the lenient reading (issue 18, item 5): an element is reached when the mean of its scored indicators is
    # at least 1. Respondent 10 in 2026: Reinforcement mean (2 + 0) / 2 = 1 → reached, stage 5; in 2025
    # Knowledge's mean is 0 → still stops there; 13's Knowledge is not scored → still not reached
    lenient = adkar.stages(_support_scores(), SUPPORT_RESP, reading="rata")
    assert lenient["tahap"].tolist() == [2, 5, 0, 5, 2]
    assert lenient["hambatan"].tolist() == ["Knowledge", adkar.ALL_REACHED, "Awareness", adkar.ALL_REACHED,
                                            "Knowledge"]
    with pytest.raises(ValueError, match="tidak dikenal"):
        adkar.stages(_support_scores(), SUPPORT_RESP, reading="longgar")


def test_adkar_barriers_and_latest_by_hand() -> None:
    st = adkar.stages(_support_scores(), SUPPORT_RESP)
    dist = adkar.barrier_distribution(st)
    expected = pd.DataFrame({"actor_group": ["pendukung"] * 4, "period": ["2025", "2025", "2025", "2026"],
                             "hambatan": ["Awareness", "Knowledge", adkar.ALL_REACHED, "Reinforcement"],
                             "n": [1, 2, 1, 1], "bagian": [0.25, 0.5, 0.25, 1.0]})
    pd.testing.assert_frame_equal(dist, expected, check_dtype=False)
    assert adkar.barrier_distribution(st.iloc[:0]).columns.tolist() == ["actor_group", "period", "hambatan", "n",
                                                                         "bagian"]
    # the newest period of each respondent: 10 → 2026 (after 2025-S1 too)
    more = pd.concat([st, st.iloc[[0]].assign(period="2025-S1")], ignore_index=True)
    latest = adkar.latest_per_respondent(more, SUPPORT_RESP).sort_values("kode").reset_index(drop=True)
    assert latest["kode"].tolist() == ["S-10", "S-11", "S-12", "S-13"]
    assert latest["period"].tolist() == ["2026", "2025", "2025", "2025"]
    assert latest["tahap"].tolist() == [4, 0, 5, 2] and latest["sex"].tolist() == ["P", "L", "P", "L"]
    assert latest["disabilitas"].tolist() == [False, True, False, False]
    assert latest.columns.tolist() == ["kode", "actor_group", "kelompok", "sex", "disabilitas", "period", "tahap",
                                       "hambatan", "total", "maks", "dijawab", "indikator"]
    # two questionnaires left indicators unanswered: 11 (1 of 6) and 13 (2 of 6)
    assert adkar.incomplete(st)[["respondent_id", "dijawab"]].values.tolist() == [[11, 1], [13, 2]]
    none = adkar.latest_per_respondent(st.iloc[:0], SUPPORT_RESP)
    assert none.empty and none.columns.tolist() == latest.columns.tolist()


def test_adkar_network_counts_and_ranks_by_hand() -> None:
    links = pd.DataFrame([("Penyuluh", "pendukung", "P1", "petani", "pendukung"),
                          ("Penyuluh", "pendukung", "P1", "petani", "pendukung"),   # recorded twice
                          ("Koperasi", "pendukung", "P2", "petani", "pendukung"),
                          ("Koperasi", "pendukung", "P3", "petani", "pendukung"),
                          ("Bank", "keuangan", "Koperasi", None, "pendukung"),
                          ("Tengkulak", "pembeli", "P2", "petani", "penghambat"),
                          ("Rentenir", "keuangan", "P3", "petani", "penghambat")],
                         columns=["dari", "dari_kelompok", "ke", "ke_kelompok", "jenis"])
    g = adkar.network(links)
    assert g.nodes["Koperasi"]["kelompok"] == "pendukung" and g.nodes["Bank"]["kelompok"] == "keuangan"
    assert g.edges["Penyuluh", "P1", "pendukung"] == {"jenis": "pendukung", "n": 2}
    assert g.edges["Koperasi", "P2", "pendukung"] == {"jenis": "pendukung", "n": 1}
    top = adkar.central_supporters(g, 3)
    # support edges: Penyuluh → P1 (twice); Koperasi → P2, P3; Bank → Koperasi: 6 nodes. Koperasi lies on
    # the paths Bank → P2 and Bank → P3: betweenness 2 / ((6 − 1)(6 − 2)) (networkx's directed normalisation)
    # Penyuluh supports P1 twice (n = 2) and ties with Koperasi; Koperasi wins on betweenness
    assert top["nama"].tolist() == ["Koperasi", "Penyuluh", "Bank"] and top["mendukung"].tolist() == [2, 2, 1]
    assert top["perantara"].tolist() == pytest.approx([2 / 20, 0.0, 0.0])
    assert top["kelompok"].tolist() == ["pendukung", "pendukung", "keuangan"]
    assert adkar.central_supporters(g, 1)["nama"].tolist() == ["Koperasi"]
    barriers = adkar.main_barriers(adkar.network(pd.concat([links, links.iloc[[5]]])), 2)
    assert barriers.to_dict("list") == {"nama": ["Tengkulak", "Rentenir"], "menghambat": [2, 1]}
    assert adkar.main_barriers(adkar.network(links.iloc[:2])).empty
    assert adkar.central_supporters(adkar.network(links.iloc[6:])).empty


def test_adkar_edges_of_the_stage_table() -> None:
    # a group the method does not know counts every element; a table where only Awareness was ever scored
    other = pd.DataFrame({"id": [14], "actor_group": ["lainnya"]})
    rows = pd.DataFrame([(14, "2025", c, 1) for c in SUPPORT_CODES],
                        columns=["respondent_id", "period", "indicator_code", "score"])
    st = adkar.stages(rows, other)
    assert st[["tahap", "tahap_dari", "tercapai", "hambatan"]].values.tolist() == [[5, 5, "Reinforcement", "—"]]
    only_aw = adkar.stages(_support_scores().query("respondent_id == 11"), SUPPORT_RESP)
    assert only_aw[["tahap", "hambatan", "total", "maks", "dijawab"]].values.tolist() == [[0, "Awareness", 0.0, 12, 1]]
    # a group without a known questionnaire: its maximum is that of what was scored
    assert st[["maks", "dijawab", "indikator"]].values.tolist() == [[12, 6, 6]]
    assert only_aw.columns.tolist()[-5:] == [f"skor_{e}" for e in adkar.ELEMENTS]
    assert adkar.stages(rows.iloc[:0], other).columns.tolist() == [
        "respondent_id", "period", "actor_group", "tahap", "tahap_dari", "tercapai", "hambatan", "total", "maks",
        "dijawab", "indikator", *[f"skor_{e}" for e in adkar.ELEMENTS]]


def test_adkar_barriers_follow_the_adkar_order_not_the_alphabet() -> None:
    st = pd.DataFrame({"actor_group": ["petani"] * 4, "period": ["2025"] * 4,
                       "hambatan": ["Reinforcement", "Ability", "Desire", "Ability"]})
    dist = adkar.barrier_distribution(st)
    assert dist["hambatan"].tolist() == ["Desire", "Ability", "Reinforcement"]
    assert dist["n"].tolist() == [1, 2, 1] and dist["bagian"].tolist() == [0.25, 0.5, 0.25]


def test_adkar_network_defaults_and_empty_tables() -> None:
    links = pd.DataFrame([(f"S{i}", "pendukung", f"P{j}", None, "pendukung") for i in range(5) for j in range(i + 1)]
                         + [(f"H{i}", None, "P0", "petani", "penghambat") for i in range(5) for _ in range(i + 1)],
                         columns=["dari", "dari_kelompok", "ke", "ke_kelompok", "jenis"])
    g = adkar.network(links)
    assert g.nodes["P1"]["kelompok"] == "" and g.nodes["H0"]["kelompok"] == ""  # no group given: blank
    top = adkar.central_supporters(g)  # three by default: S4 supports 5, S3 4, S2 3
    assert top["nama"].tolist() == ["S4", "S3", "S2"] and top["mendukung"].tolist() == [5, 4, 3]
    barriers = adkar.main_barriers(g)
    assert barriers.to_dict("list") == {"nama": ["H4", "H3", "H2"], "menghambat": [5, 4, 3]}
    empty = adkar.central_supporters(adkar.network(links.iloc[-1:]))
    assert empty.empty and empty.columns.tolist() == ["nama", "kelompok", "mendukung", "perantara"]
    # an actor that only receives support is not a supporter
    assert "P0" not in adkar.central_supporters(g, 10)["nama"].tolist()


def test_adkar_a_pair_recorded_as_support_and_as_barrier_keeps_both() -> None:
    # the trader buys from P1 (support, twice) and holds back its price information (barrier, once)
    links = pd.DataFrame([("Tengkulak", "pembeli", "P1", "petani", "pendukung"),
                          ("Tengkulak", "pembeli", "P1", "petani", "penghambat"),
                          ("Tengkulak", "pembeli", "P1", "petani", "pendukung")],
                         columns=["dari", "dari_kelompok", "ke", "ke_kelompok", "jenis"])
    g = adkar.network(links)
    assert sorted((d["jenis"], d["n"]) for _u, _v, d in g.edges(data=True)) == [("pendukung", 2), ("penghambat", 1)]
    assert adkar.central_supporters(g).to_dict("list") == {"nama": ["Tengkulak"], "kelompok": ["pembeli"],
                                                           "mendukung": [2], "perantara": [0.0]}
    assert adkar.main_barriers(g).to_dict("list") == {"nama": ["Tengkulak"], "menghambat": [1]}


def test_adkar_barrier_ties_go_by_name_and_unknown_codes_score_nothing() -> None:
    links = pd.DataFrame([("Tengkulak", None, "P1", None, "penghambat"), ("Rentenir", None, "P2", None, "penghambat"),
                          ("Calo", None, "P3", None, "penghambat"), ("Calo", None, "P4", None, "penghambat")],
                         columns=["dari", "dari_kelompok", "ke", "ke_kelompok", "jenis"])
    assert adkar.main_barriers(adkar.network(links)).to_dict("list") == {
        "nama": ["Calo", "Rentenir", "Tengkulak"], "menghambat": [2, 1, 1]}
    # respondent 12's only score uses a code the method does not have: a row, reached nothing, no element score
    rows = pd.concat([_support_scores().query("respondent_id == 10 and period == '2025'"),
                      pd.DataFrame([(12, "2025", "XX-99", 2)], columns=["respondent_id", "period", "indicator_code",
                                                                          "score"])])
    st = adkar.stages(rows, SUPPORT_RESP).set_index("respondent_id")
    assert st.loc[12, ["tahap", "tercapai", "hambatan", "total", "maks", "dijawab"]].tolist() == [
        0, "", "Awareness", 2.0, 12, 0]
    assert st.loc[12, [f"skor_{e}" for e in adkar.ELEMENTS]].isna().all()
    assert st.loc[10, "skor_Awareness"] == 2.0 and st.loc[10, "skor_Desire"] == pytest.approx(1.0)
