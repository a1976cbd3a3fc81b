"""Berita Acara (decision record) of a commodity-selection workshop, as DOCX and XLSX.

It holds what an official document needs to defend the choice: date, place, participants, criteria,
individual and aggregated weights, scores with their justification and source (and the computed score
where one was replaced), the ranking, its robustness, the shortlist and final choice with reasons, and
the data version the scores were made with.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from analytics import commodity, export, queries, workshop
from analytics.db import Database


@dataclass
class Record:
    """Everything the decision record shows, as tables."""

    session: pd.Series
    participants: pd.DataFrame
    criteria: pd.DataFrame
    weights: pd.DataFrame        # participant code × criterion
    group: pd.DataFrame          # per criterion: mean, median, geomean, sd, consensus
    scores: pd.DataFrame         # commodity, criterion, score, computed, justification, source, override
    ranking: pd.DataFrame
    robustness: pd.DataFrame
    flip: commodity.Flip | None
    decisions: pd.DataFrame
    data_version: str
    synthetic: bool
    made_at: datetime


def build(db: Database, session_id: int, k: int = 3) -> Record:
    """Collect the record of a workshop from the database."""
    s = queries.ws_session(db, session_id)
    crit = queries.ws_criteria(db, session_id)
    coms = queries.commodity_list(db)
    names = dict(zip(coms["kode"], coms["nama"]))
    crit_names = dict(zip(crit["criterion"], crit["nama"]))
    weights = workshop.weights_matrix(db, session_id)
    crits, group_vec, group = workshop.current_weights(db, session_id)
    cands, crits, mat, current = workshop.score_matrix(db, session_id)
    scores = current.assign(komoditas=current["commodity"].map(names), kriteria=current["criterion"].map(crit_names))
    if commodity.missing_scores(mat):
        ranking = pd.DataFrame(columns=["peringkat", "komoditas", "skor"])
        rob = pd.DataFrame()
        flip = None
    else:
        r = commodity.ranking(cands, mat, group_vec)
        ranking = r.assign(komoditas=r["commodity"].map(names))[["peringkat", "komoditas", "skor"]]
        people = weights.dropna()
        rb = commodity.robustness(cands, mat, people.to_numpy(dtype=float) if len(people) >= 2 else group_vec, k=k)
        rob = rb.table.assign(komoditas=rb.table["commodity"].map(names))[
            ["rank_now", "komoditas", "p_top1", "p_topk", "badge"]]
        flip = commodity.smallest_flip(cands, crits, mat, group_vec)
    decisions = queries.ws_decisions(db, session_id)
    decisions = decisions.assign(komoditas=decisions["commodities"].map(lambda cs: ", ".join(names.get(c, c) for c in cs)))
    last = queries.last_import(db)
    synthetic = queries.has_synthetic(db)  # scores "from data" may rest on the synthetic layer
    group = group.assign(nama=group["criterion"].map(crit_names)) if not group.empty else group
    return Record(s, queries.ws_participants(db, session_id), crit, weights.rename(columns=crit_names), group,
                  scores, ranking, rob, flip, decisions,
                  f"basis data skema {db.schema_version()}, impor terakhir {last:%Y-%m-%d %H:%M}" if last is not None
                  else f"basis data skema {db.schema_version()}", synthetic, datetime.now())


def to_docx(rec: Record) -> bytes:
    """The Berita Acara as a Word document (Bahasa Indonesia)."""
    from docx import Document
    from docx.shared import Pt, RGBColor

    doc = Document()
    doc.styles["Normal"].font.size = Pt(10)
    doc.add_heading("BERITA ACARA SELEKSI KOMODITAS", level=0)
    if rec.synthetic:
        p = doc.add_paragraph()
        run = p.add_run("Data contoh (sintetis) — angka dalam dokumen ini bukan data resmi.")
        run.bold = True
        run.font.color.rgb = RGBColor(0x8A, 0x3B, 0x00)
    s = rec.session
    doc.add_paragraph(f"Judul: {s['title']}")
    doc.add_paragraph(f"Kabupaten/kota: {s['kabupaten_nama']} ({s['kabupaten']})")
    doc.add_paragraph(f"Tanggal: {s['held_on']:%d-%m-%Y}    Tempat: {s['place'] or '–'}")
    doc.add_paragraph(f"Fasilitator: {s['facilitator']}    Versi data: {rec.data_version}")
    doc.add_heading("1. Peserta", level=1)
    export.docx_table(doc, rec.participants[["code", "name", "organisation"]], ["Kode", "Nama", "Lembaga"])
    doc.add_heading("2. Kriteria", level=1)
    export.docx_table(doc, rec.criteria[["criterion", "nama", "description"]], ["Kode", "Kriteria", "Keterangan"])
    doc.add_heading("3. Bobot (skala 1-5)", level=1)
    doc.add_paragraph("Bobot setiap peserta (menurut kode peserta):")
    w = rec.weights.reset_index().rename(columns={"index": "Peserta"})
    export.docx_table(doc, w)
    doc.add_paragraph("Bobot kelompok: rata-rata, median, rata-rata geometrik, simpangan baku dan konsensus "
                      "(Tastle-Wierman; 1 = sepakat penuh).")
    if not rec.group.empty:
        export.docx_table(doc, rec.group[["nama", "n", "mean", "median", "geomean", "sd", "consensus"]],
               ["Kriteria", "n", "Rata-rata", "Median", "Geometrik", "SD", "Konsensus"])
    doc.add_heading("4. Skor komoditas (skala 1-5)", level=1)
    export.docx_table(doc, rec.scores[["komoditas", "kriteria", "score", "computed", "justification", "source", "override_reason"]],
           ["Komoditas", "Kriteria", "Skor", "Skor data", "Alasan", "Sumber", "Alasan penggantian"])
    doc.add_heading("5. Peringkat (skor tertimbang 0-100, bobot rata-rata kelompok)", level=1)
    export.docx_table(doc, rec.ranking, ["Peringkat", "Komoditas", "Skor"])
    doc.add_heading("6. Kekokohan", level=1)
    if not rec.robustness.empty:
        export.docx_table(doc, rec.robustness, ["Peringkat", "Komoditas", "Peluang peringkat 1", "Peluang 3 besar", "Lencana"])
    doc.add_paragraph(
        "Perubahan satu bobot terkecil yang mengubah peringkat 1: "
        + (f"{rec.flip.criterion} dari {rec.flip.from_weight:.1f} menjadi {rec.flip.to_weight:.2f} "
           f"(peringkat 1 menjadi {rec.flip.new_top})." if rec.flip else "tidak ada dalam rentang 1-5."))
    doc.add_heading("7. Keputusan", level=1)
    for r in rec.decisions.itertuples():
        label = "Daftar pendek" if r.kind == "shortlist" else "Pilihan akhir"
        doc.add_paragraph(f"{label}: {r.komoditas}. Alasan: {r.reason} ({r.decided_by}, {r.ts:%d-%m-%Y %H:%M})")
    if rec.decisions.empty:
        doc.add_paragraph("Belum ada keputusan yang dicatat.")
    doc.add_paragraph(f"Dibuat oleh Perantara pada {rec.made_at:%d-%m-%Y %H:%M}.")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def to_xlsx(rec: Record) -> bytes:
    """The same record as a workbook, one sheet per table."""
    info = pd.DataFrame({"butir": ["Judul", "Kabupaten/kota", "Tanggal", "Tempat", "Fasilitator", "Versi data"],
                         "isi": [rec.session["title"], rec.session["kabupaten_nama"], f"{rec.session['held_on']:%Y-%m-%d}",
                                 rec.session["place"] or "", rec.session["facilitator"], rec.data_version]})
    decisions = rec.decisions[["kind", "komoditas", "reason", "decided_by", "ts"]] if not rec.decisions.empty else rec.decisions
    sheets = {"Berita acara": info, "Peserta": rec.participants[["code", "name", "organisation"]],
              "Kriteria": rec.criteria, "Bobot peserta": rec.weights.reset_index().rename(columns={"index": "peserta"}),
              "Bobot kelompok": rec.group, "Skor": rec.scores.drop(columns=["commodity", "criterion"]),
              "Peringkat": rec.ranking, "Kekokohan": rec.robustness, "Keputusan": decisions}
    return export.xlsx_bytes(sheets, "Data contoh (sintetis)" if rec.synthetic else None)
