"""Replication readiness (issue 18, item 12). Known answers from the replication guide (KOMPAK, seeds/004):
its five preparation stages and their expected outputs (bab 3.1-3.5) and the levels of the codes in its
Tabel 1 (3.26 is an urusan, 3.26.02 a program, 3.26.02.2.02 a kegiatan, 3.26.02.2.02.07 a sub-kegiatan)."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.core import auth
from analytics.core.db import Database
from analytics.monitoring import leadership, replication
from analytics.monitoring import store as mon_store


def test_the_guides_table_1_codes_read_at_their_levels() -> None:
    levels = {code: replication.parse_code(code)["level"] for _, code, _ in replication.GUIDE_EXAMPLES}
    assert levels == {"3.26": "urusan", "3.26.02": "program", "3.26.02.2.02": "kegiatan",
                      "3.26.02.2.02.07": "sub_kegiatan", "3.26.02.2.03.06": "sub_kegiatan",
                      "2.13.04.2.01.08": "sub_kegiatan", "5.5.02.2.01.11": "sub_kegiatan",
                      "7.01.06.2.01.14": "sub_kegiatan", "3.30.05": "program", "3.30.05.2.01.06": "sub_kegiatan"}
    assert replication.parse_code(" 2.13.04.2.01.08 ") == {"urusan": "2.13", "program": "2.13.04",
                                                          "kegiatan": "2.13.04.2.01",
                                                          "sub_kegiatan": "2.13.04.2.01.08", "level": "sub_kegiatan"}
    for bad in ("3.26.02.2", "3", "32.6.02", "3.26.02.2.02.07.01", "", "=1+1"):
        assert replication.parse_code(bad) is None, bad


def test_five_stages_and_their_outputs_are_the_guides() -> None:
    assert [s.name for s in replication.STAGES] == [
        "Penyamaan pemahaman dan visi", "Perumusan konsep kegiatan", "Penyiapan regulasi dan kebijakan",
        "Penyiapan penganggaran", "Pembentukan tim, struktur dan koordinasi kerja"]
    # bab 3.2: five expected results (a-e); bab 3.3: three aspects; bab 3.4: operations and interventions
    assert [len(s.items) for s in replication.STAGES] == [3, 5, 3, 2, 2]


def _items(done: dict[str, dict]) -> pd.DataFrame:
    rows = [{"item": k, "selesai": True, **v} for k, v in done.items()]
    return pd.DataFrame(rows, columns=replication.ITEM_COLUMNS)


EVIDENCE = {"jenis_dokumen": "SK Bupati/Wali Kota", "nomor": "188/1/2026", "tanggal": "2026-01-05", "opd": "Bappeda"}


def test_standing_worked_by_hand() -> None:
    # stage 1 all three, stage 2 two of five, budget: one operations line → stage 4 one of two
    items = _items({"visi.tim_persiapan": EVIDENCE, "visi.pertemuan": EVIDENCE, "visi.komitmen": EVIDENCE,
                    "konsep.final": EVIDENCE, "konsep.biaya": EVIDENCE})
    budget = pd.DataFrame([["3.30.05.2.01.06", "Tim Kerja", 2026, 1e8, "APBD", "operasional"]],
                          columns=replication.BUDGET_COLUMNS)
    card = replication.checklist(items, budget)
    status = replication.stage_status(card)
    assert status[["selesai", "status"]].values.tolist() == [[3, "selesai"], [2, "berjalan"], [0, "belum"],
                                                              [1, "berjalan"], [0, "belum"]]
    assert replication.standing(status) == {"tahap_selesai": 1, "tahap_jumlah": 5, "keluaran_selesai": 6,
                                            "keluaran_jumlah": 15, "berikutnya": "Perumusan konsep kegiatan"}
    assert card.set_index("item").loc["anggaran.operasional", "catatan"] == "1 baris anggaran"
    by_code = replication.budget_by_code(pd.concat([budget, pd.DataFrame(
        [[None, "Swadaya desa", 2026, 5e7, "APBDes", "intervensi"]], columns=replication.BUDGET_COLUMNS)]))
    assert by_code.values.tolist() == [["3.30.05", "3.30.05.2.01", 1, 1e8], ["tanpa kode", "tanpa kode", 1, 5e7]]


def test_bad_checklists_and_budgets_are_refused_with_row_and_column() -> None:
    items = _items({"visi.komitmen": {**EVIDENCE, "opd": " "}, "lain.lain": EVIDENCE,
                    "konsep.final": {**EVIDENCE, "jenis_dokumen": "Surat cinta"},
                    "konsep.tahapan": {**EVIDENCE, "tanggal": "2999-01-01"}})
    found = replication.check_items(items)
    assert "Baris 1 (Kesepemahaman dan komitmen pelaksanaan Keperantaraan Pasar): dinyatakan selesai tanpa OPD " \
           "penanggung jawab" in found
    assert "Baris 2: keluaran 'lain.lain' tidak dikenal" in found
    assert any(f.startswith("Baris 3, kolom jenis dokumen: 'Surat cinta' bukan salah satu dari Perda") for f in found)
    assert "Baris 4, kolom tanggal: tanggal dokumen di masa depan" in found
    lines = pd.DataFrame([[None, "Operasional", 2026, 1e8, "APBD", "operasional"],
                          ["3.26.2", "Pelatihan", 2026, 1e7, "APBD", "intervensi"],
                          ["3.26.02.2.02.07", "", "dua ribu", -5, "Hibah", "modal"]],
                         columns=replication.BUDGET_COLUMNS)
    found = replication.check_budget(lines)
    assert found == [
        "Baris 1, kolom kode: baris APBD perlu kode nomenklatur sub-kegiatan (misalnya 3.26.02.2.02.07)",
        "Baris 2, kolom kode: '3.26.2' bukan kode nomenklatur urusan.program.kegiatan.sub-kegiatan (misalnya "
        "3.26.02.2.02.07)",
        "Baris 3, kolom uraian: kosong", "Baris 3, kolom tahun: 'dua ribu' bukan tahun anggaran",
        "Baris 3, kolom nilai: harus angka rupiah lebih dari 0",
        "Baris 3, kolom sumber: 'Hibah' bukan salah satu dari APBD, APBDes, APBN/DAK, Mitra swasta, CSR, Lembaga "
        "pembiayaan",
        "Baris 3, kolom peruntukan: pilih operasional (Tim Kerja) atau intervensi"]


def test_store_refuses_bad_input_untouched_and_the_leadership_summary_reads_it(db_copy) -> None:
    db = Database(db_copy)
    items = _items({"visi.tim_persiapan": EVIDENCE})
    with pytest.raises(auth.PermissionDenied):
        mon_store.save_replication_items(db, "pemantau", "p", "35.03", items)
    with pytest.raises(ValueError, match="tanpa tanggal"):
        mon_store.save_replication_items(db, "perencana", "ani", "35.03",
                                         _items({"visi.tim_persiapan": {**EVIDENCE, "tanggal": None}}))
    assert mon_store.replication_kabupaten(db) == []
    mon_store.save_replication_items(db, "perencana", "ani", "35.03", items)
    line = pd.DataFrame([["3.30.05.2.01.06", " Tim Kerja ", 2026, 2.5e8, "APBD", "operasional"]],
                        columns=replication.BUDGET_COLUMNS)
    assert mon_store.save_replication_budget(db, "perencana", "ani", "35.03", line) == 1
    with pytest.raises(ValueError, match="bukan kode nomenklatur"):
        mon_store.save_replication_budget(db, "perencana", "ani", "35.03", line.assign(kode="x"))
    assert mon_store.replication_budget(db, "35.03")["uraian"].tolist() == ["Tim Kerja"]
    over = mon_store.replication_overview(db, "35")
    assert over[["kabupaten", "tahap_selesai", "keluaran_selesai", "berikutnya", "anggaran", "anggaran_berkode"]
                ].values.tolist() == [["35.03", 0, 2, "Penyamaan pemahaman dan visi", 2.5e8, 1.0]]
    assert mon_store.replication_overview(db, "11").empty
    s = leadership.summary(db, "35")
    labels = {"repl_line": "{name}: {done}/{total}; {next}; {budget}", "repl_ready": "siap"}
    assert leadership.replication_lines(s, labels) == [
        "Kabupaten Trenggalek: 0/5; Penyamaan pemahaman dan visi; Rp 250 jt"]
    # and on paper
    import io

    from pypdf import PdfReader

    from analytics.core import store as core_store
    from analytics.render import documents

    pdf_labels = {k: k for k in ("reached", "income", "pci", "adkar", "budget", "final", "co", "outreach_title",
                                 "pci_title", "adkar_title", "budget_title", "map_title", "hh", "ll", "pdf_title",
                                 "made", "grad", "grad_title")}
    pdf_labels.update(labels, repl_title="Kesiapan replikasi", grad_note="{out}; {a} → {b}", synthetic="sintetis")
    pdf = documents.leadership_pdf(s, core_store.area_geojson(db, "kecamatan", "35"),
                                   pd.DataFrame({"kode": ["35.03.01"], "cluster": ["HH"]}), pdf_labels)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Kesiapan replikasi" in text and "Kabupaten Trenggalek: 0/5; Penyamaan pemahaman dan visi" in text
