"""Documents: CSV and XLSX tables (codes kept as text, the synthetic-data label above every table), the
Berita Acara of a workshop (DOCX, XLSX), the value chain and results chain workbooks, the business-model
annexes (XLSX, DOCX), the PCI scorecard CSV, the ADKAR workbook and the leadership PDF."""

from __future__ import annotations

import io
import json
import re
from datetime import datetime

import numpy as np
import pandas as pd

from analytics.commodity.decision_record import Record
from analytics.core import fmt
from analytics.core.i18n import t
from analytics.monitoring.leadership import Summary, headline, replication_lines
from analytics.monitoring.results import LEVELS
from analytics.poverty.drilldown import POCKET_COLOURS
from analytics.render.charts import PREDICATE_COLOURS, STATUS_COLOURS
from analytics.render.maps import main_bounds
from analytics.valuechain import analysis
from analytics.valuechain.analysis import guideline_table

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

FORMULA_START: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
"""How a text cell starts when a spreadsheet program would run it as a formula (OWASP's list)."""


def inert(value: object) -> object:
    """A text that a spreadsheet would run as a formula, made inert with a leading apostrophe; anything
    else unchanged.

    >>> inert("=1+1"), inert("-5"), inert("Kopi"), inert(-5)
    ("'=1+1", "'-5", 'Kopi', -5)
    """
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def csv_bytes(df: pd.DataFrame, lang: str | None = None) -> bytes:
    """CSV as Excel reads it on an Indonesian-locale computer: columns separated by ``;``, decimal comma,
    numbers to 10 significant digits, UTF-8 with a BOM (so Indonesian text and codes are read correctly),
    CRLF line ends; text cells and headers that a spreadsheet would run as a formula are made inert
    (:func:`inert`). Codes stay text (``35.07``). With ``lang`` the headers are written for people
    (:func:`analytics.core.fmt.header`); without it a file meant to be read back keeps its column names.

    >>> csv_bytes(pd.DataFrame({"kode": ["35.07"], "n": [1], "p0": [20.71499099727014]})).decode("utf-8-sig").split()
    ['kode;n;p0', '35.07;1;20,714991']
    >>> csv_bytes(pd.DataFrame({"nama": ["=1+1", "@SUM(A1)"], "n": [-1, 2]})).decode("utf-8-sig").splitlines()
    ['nama;n', "'=1+1;-1", "'@SUM(A1);2"]
    """
    out = df.rename(columns=lambda c: inert(fmt.header(c, lang) if lang else str(c)))
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(inert)
    return out.to_csv(index=False, sep=";", decimal=",", float_format="%.10g",
                      lineterminator="\r\n").encode("utf-8-sig")  # CRLF: a CR in a cell is quoted


_SHEET_REFUSED = re.compile(r"[\[\]:*?/\\]")
_PLAIN_NUMBERS = ("tahun", "year", "periode", "period", "no", "level", "peringkat", "rank_now", "indicator_no",
                  "criterion_no", "id")
_SHARES = ("bagian", "share", "capaian", "p_top", "perempuan", "konsensus", "consensus")


def sheet_title(name: str, used: set[str]) -> str:
    """An Excel sheet name for ``name``: at most 31 characters (Excel's limit) cut between words, never
    inside one, without the characters Excel refuses, and unique in the workbook (``used``, updated).

    >>> used = set()
    >>> sheet_title("Lampiran 3 — Proyeksi penjangkauan dan imbal hasil", used), sheet_title("Data: 2024/25", used)
    ('Lampiran 3 — Proyeksi', 'Data 2024 25')
    >>> sheet_title("Lampiran 3 — Proyeksi penjangkauan lain", used)
    'Lampiran 3 — Proyeksi (2)'
    """
    clean = " ".join(_SHEET_REFUSED.sub(" ", str(name)).split()).strip("'") or "Tabel"
    if len(clean) > 31:
        fitted = ""
        for word in clean.split():
            if len(f"{fitted} {word}".strip()) > 31:
                break
            fitted = f"{fitted} {word}".strip()
        clean = (fitted or clean[:31]).rstrip(" —–-,;")
    title, n = clean, 2
    while title.lower() in {u.lower() for u in used}:
        suffix = f" ({n})"
        title = clean[:31 - len(suffix)].rstrip() + suffix
        n += 1
    used.add(title)
    return title


def number_format(column: str, values: pd.Series) -> str | None:
    """The Excel number format of a numeric column, so that numbers stay numbers and Excel writes them in
    the reader's own locale (``1.234,5`` in an Indonesian Excel): years, ranks and numbers plainly; whole
    numbers with thousands separators; 0-1 shares as percentages; other values with two decimals.

    >>> import pandas as pd
    >>> number_format("tahun", pd.Series([2025])), number_format("nilai", pd.Series([3e8, 1.0]))
    ('0', '#,##0')
    >>> number_format("bagian_harga_akhir", pd.Series([0.2, 0.45])), number_format("skor", pd.Series([2.25]))
    ('0.0%', '#,##0.00')
    """
    name = str(column).lower()
    if pd.api.types.is_bool_dtype(values):
        return None
    if pd.api.types.is_numeric_dtype(values):
        v = pd.to_numeric(values, errors="coerce").dropna()
    else:  # a column of numbers with a text row (a total, a "–") still gets its numbers formatted
        v = pd.Series([x for x in values if isinstance(x, (int, float, np.number)) and not isinstance(x, bool)
                       and x == x], dtype=float)
        if v.empty:
            return None
    if name in _PLAIN_NUMBERS or name.startswith("tahun"):
        return "0"
    if any(s in name for s in _SHARES) and (v.empty or v.between(0, 1).all()):
        return "0.0%"
    if v.empty or (v == v.round()).all():
        return "#,##0"
    return "#,##0.00"


def synthetic_note(synthetic: bool, lang: str = "id") -> str | None:
    """The label written above every table of an export that holds synthetic data (None for real data)."""
    return f"{t('synthetic.label', lang)} — {t('synthetic.not_official', lang)}" if synthetic else None


def _missing(value: object) -> bool:
    """A cell with nothing in it: None, NaN or pandas' NA (a list or other container is not missing)."""
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def xlsx_bytes(sheets: dict[str, pd.DataFrame], note: str | None = None, lang: str = "id") -> bytes:
    """An XLSX workbook with one sheet per table, written for people: headers named in ``lang``
    (:func:`analytics.core.fmt.header`), numbers kept as numbers with an Excel number format
    (:func:`number_format`), codes stored as text, empty cells empty, sheet names that fit Excel
    (:func:`sheet_title`), column widths fitted.

    ``note`` (e.g. "Data contoh (sintetis)") is written above every table, so it survives copying.
    """
    buf = io.BytesIO()
    # text stays text: a cell that starts with "=" is not written as a live formula, nor a URL as a link
    with pd.ExcelWriter(buf, engine="xlsxwriter",
                        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}}) as xw:
        book = xw.book
        text = book.add_format({"num_format": "@"})
        bold = book.add_format({"bold": True, "font_color": "#8a3b00"})
        formats: dict[str, object] = {}
        used: set[str] = set()
        for name, df in sheets.items():
            start = 2 if note else 0
            sheet_name = sheet_title(name, used)
            out = df.copy()
            for col in out.columns:
                if pd.api.types.is_datetime64_any_dtype(out[col]):
                    out[col] = out[col].dt.strftime("%Y-%m-%d %H:%M")
            kinds = [text if str(c).lower().startswith(("kode", "code")) or str(c) in ("actor", "ind", "box")
                     else number_format(str(c), out[c]) for c in out.columns]
            out.columns = [fmt.header(c, lang) for c in out.columns]
            out.to_excel(xw, sheet_name=sheet_name, index=False, startrow=start)
            ws = xw.sheets[sheet_name]
            if note:
                ws.write(0, 0, note, bold)
            for i, col in enumerate(out.columns):
                longest = out.iloc[:, i].map(lambda v: 0 if _missing(v) else len(str(v))).max()
                width = min(60, max(10, len(str(col)) + 2, int(longest if longest == longest else 0) + 2))
                kind = kinds[i]
                if isinstance(kind, str):
                    kind = formats.setdefault(kind, book.add_format({"num_format": kind}))
                ws.set_column(i, i, width, kind)
    return buf.getvalue()


def docx_table(doc, df: pd.DataFrame, headers: list[str] | None = None) -> None:
    """Append ``df`` to a python-docx document as a grid table; numbers in Indonesian form (whole
    numbers and amounts of 1.000 or more without decimals, others with two), empty cells blank."""

    t = doc.add_table(rows=1, cols=len(df.columns))
    t.style = "Table Grid"
    for cell, h in zip(t.rows[0].cells, headers or [str(c) for c in df.columns], strict=False):
        cell.text = str(h)
    for row in df.itertuples(index=False):
        cells = t.add_row().cells
        for cell, v in zip(cells, row, strict=False):
            if v is None or (isinstance(v, float) and v != v):
                cell.text = ""
            elif isinstance(v, (float, np.floating)):
                cell.text = fmt.number(float(v), 0 if float(v).is_integer() or abs(v) >= 1000 else 2)
            else:
                cell.text = str(v)


def decision_record_docx(rec: Record) -> bytes:
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
    docx_table(doc, rec.participants[["code", "name", "organisation"]], ["Kode", "Nama", "Lembaga"])
    doc.add_heading("2. Kriteria", level=1)
    docx_table(doc, rec.criteria[["criterion", "nama", "description"]], ["Kode", "Kriteria", "Keterangan"])
    doc.add_heading("3. Bobot (skala 1-5)", level=1)
    doc.add_paragraph("Bobot setiap peserta (menurut kode peserta):")
    w = rec.weights.reset_index().rename(columns={"index": "Peserta"})
    docx_table(doc, w)
    doc.add_paragraph("Bobot kelompok: rata-rata, median, rata-rata geometrik, simpangan baku dan konsensus "
                      "(Tastle-Wierman; 1 = sepakat penuh).")
    if not rec.group.empty:
        docx_table(doc, rec.group[["nama", "n", "mean", "median", "geomean", "sd", "consensus"]],
               ["Kriteria", "n", "Rata-rata", "Median", "Geometrik", "SD", "Konsensus"])
    doc.add_heading("4. Skor komoditas (skala 1-5)", level=1)
    docx_table(doc,
               rec.scores[["komoditas", "kriteria", "score", "computed", "justification", "source", "override_reason"]],
           ["Komoditas", "Kriteria", "Skor", "Skor data", "Alasan", "Sumber", "Alasan penggantian"])
    doc.add_heading("5. Peringkat (skor tertimbang 0-100, bobot rata-rata kelompok)", level=1)
    docx_table(doc, rec.ranking, ["Peringkat", "Komoditas", "Skor"])
    doc.add_heading("6. Kekokohan", level=1)
    if not rec.robustness.empty:
        rob = rec.robustness.assign(**{c: rec.robustness[c].map(lambda v: fmt.percent(100 * v, 1))
                                       for c in ("p_top1", "p_topk")})
        docx_table(doc, rob, ["Peringkat", "Komoditas", "Peluang peringkat 1", "Peluang 3 besar", "Lencana"])
        if rec.robustness_note:
            doc.add_paragraph(rec.robustness_note)
    crit_names = dict(zip(rec.criteria["criterion"], rec.criteria["nama"], strict=False))
    doc.add_paragraph(
        "Perubahan satu bobot terkecil yang mengubah peringkat 1: "
        + (f"{crit_names.get(rec.flip.criterion, rec.flip.criterion)} dari {fmt.number(rec.flip.from_weight, 1)} "
           f"menjadi {fmt.number(rec.flip.to_weight, 2)} (peringkat 1 menjadi {rec.flip.new_top})."
           if rec.flip else "tidak ada dalam rentang 1-5."))
    doc.add_heading("7. Keputusan", level=1)
    for r in rec.decisions.itertuples():
        label = "Daftar pendek" if r.kind == "shortlist" else "Pilihan akhir"
        doc.add_paragraph(f"{label}: {r.komoditas}. Alasan: {r.reason} ({r.decided_by}, {r.ts:%d-%m-%Y %H:%M})")
    if rec.decisions.empty:
        doc.add_paragraph("Belum ada keputusan yang dicatat.")
    # ready to print and sign: who, in what role, where and when
    doc.add_heading("8. Pengesahan", level=1)
    doc.add_paragraph(f"Ditetapkan di {s['place'] or '....................'}, pada tanggal {s['held_on']:%d-%m-%Y}, "
                      "oleh fasilitator dan peserta lokakarya berikut.")
    signers = [(s["facilitator"], "Fasilitator")] + [
        (r.name, f"Peserta {r.code}" + (f", {r.organisation}" if isinstance(r.organisation, str) and r.organisation
                                         else "")) for r in rec.participants.itertuples()]
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, h in zip(table.rows[0].cells, ["No.", "Nama", "Peran", "Tanda tangan"], strict=True):
        cell.text = h
    for i, (name, role) in enumerate(signers, start=1):
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text, cells[3].text = str(i), str(name), role, ""
        table.rows[-1].height = Pt(36)  # room to sign
    doc.add_paragraph(f"Dibuat oleh Perantara pada {rec.made_at:%d-%m-%Y %H:%M}.")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def decision_record_xlsx(rec: Record, lang: str = "id") -> bytes:
    """The same record as a workbook, one sheet per table."""
    info = pd.DataFrame({"butir": ["Judul", "Kabupaten/kota", "Tanggal", "Tempat", "Fasilitator", "Versi data"],
                         "isi": [rec.session["title"], rec.session["kabupaten_nama"],
                                 f"{rec.session['held_on']:%Y-%m-%d}",
                                 rec.session["place"] or "", rec.session["facilitator"], rec.data_version]})
    decisions = rec.decisions[["kind", "komoditas", "reason", "decided_by",
                               "ts"]] if not rec.decisions.empty else rec.decisions
    sheets = {"Berita acara": info, "Peserta": rec.participants[["code", "name", "organisation"]],
              "Kriteria": rec.criteria, "Bobot peserta": rec.weights.reset_index().rename(columns={"index": "peserta"}),
              "Bobot kelompok": rec.group, "Skor": rec.scores.drop(columns=["commodity", "criterion"]),
              "Peringkat": rec.ranking, "Kekokohan": rec.robustness, "Keputusan": decisions}
    return xlsx_bytes(sheets, synthetic_note(rec.synthetic, lang), lang)


def chain_xlsx(chain: pd.Series, tables: dict[str, pd.DataFrame], lang: str = "id") -> bytes:
    """All tables of a chain (plus margins before and after) as one workbook."""

    sheets = {"Pelaku": tables["actors"], "Aliran": tables["flows"], "Sistem pasar": tables["system"],
              "Pohon masalah": tables["problems"], "Tabel intervensi": guideline_table(tables["problems"])}
    if not tables["flows"].empty:
        for scen in analysis.SCENARIOS:
            sheets[f"Marjin {scen}"] = analysis.margins(tables["actors"], tables["flows"], scen)
    return xlsx_bytes(sheets, synthetic_note(bool(chain["is_synthetic"]), lang), lang)


def annex_xlsx(info: pd.Series, sheets: dict[str, pd.DataFrame], lang: str = "id") -> bytes:
    """The annexes as a workbook (the synthetic label above every table of a demo model)."""
    return xlsx_bytes(sheets, synthetic_note(bool(info["is_synthetic"]), lang), lang)


def annex_docx(info: pd.Series, sheets: dict[str, pd.DataFrame]) -> bytes:
    """The annexes as a Word document, one heading and table per Lampiran."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt, RGBColor

    doc = Document()
    doc.styles["Normal"].font.size = Pt(8)
    sec = doc.sections[0]
    sec.orientation, sec.page_width, sec.page_height = WD_ORIENT.LANDSCAPE, sec.page_height, sec.page_width
    doc.add_heading(f"Lampiran proposal: {info['title']}", level=0)
    if bool(info["is_synthetic"]):
        run = doc.add_paragraph().add_run("Data contoh (sintetis) — angka dalam dokumen ini bukan data resmi.")
        run.bold = True
        run.font.color.rgb = RGBColor(0x8A, 0x3B, 0x00)
    doc.add_paragraph(f"Model bisnis {info['model']}; komoditas {info.get('commodity_nama') or info['commodity']}; "
                      f"{info.get('kabupaten_nama') or info['kabupaten']}; tingkat diskonto "
                      f"{fmt.number(float(info['discount_rate']) * 100, 1)}%.")
    for name, df in sheets.items():
        doc.add_heading(name, level=1)
        docx_table(doc, df)
    doc.add_paragraph(f"Dibuat oleh Perantara pada {datetime.now():%d-%m-%Y %H:%M}.")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def results_xlsx(info: pd.Series, tables: dict[str, pd.DataFrame], prog: pd.DataFrame, revs: pd.DataFrame,
                 lang: str = "id") -> bytes:
    """The results chain, its monitoring plan, target vs realisation and the review log as a workbook."""

    boxes = tables["boxes"].assign(tingkat=tables["boxes"]["level"].map(LEVELS))
    r = revs.drop(columns=["chain_id", "is_synthetic"], errors="ignore").copy()
    if "indikator" in r:
        r["indikator"] = r["indikator"].map(lambda v: ", ".join(v) if isinstance(v, (list, np.ndarray)) else v)
    return xlsx_bytes({"Rantai hasil": boxes, "Rencana pemantauan": tables["indicators"],
                       "Target vs realisasi": prog, "Tinjauan": r},
                      synthetic_note(bool(info["is_synthetic"]), lang), lang)


def pci_csv(table: pd.DataFrame, lang: str = "id") -> bytes:
    """The scorecard as CSV, the synthetic label in its own column."""
    out = table.copy()
    out["keterangan"] = np.where(out["sintetis"], t("synthetic.label", lang), "")
    return csv_bytes(out.drop(columns=["sintetis"]), lang)


def adkar_xlsx(respondents: pd.DataFrame, scores: pd.DataFrame, stage_table: pd.DataFrame,
               links: pd.DataFrame, lang: str = "id") -> bytes:
    """Respondents, scores (long), stages and links as one workbook (synthetic label when any is)."""

    codes = respondents.set_index("id")["kode"]
    synthetic = bool(respondents["is_synthetic"].any()) if len(respondents) else False
    return xlsx_bytes({
        "Responden": respondents.drop(columns=["created_by"], errors="ignore"),
        "Skor": scores.assign(kode_responden=scores["respondent_id"].map(codes)),
        "Tahap": stage_table.assign(kode_responden=stage_table["respondent_id"].map(codes)),
        "Jaringan": links}, synthetic_note(synthetic, lang), lang)


def leadership_pdf(s: Summary, geojson: str, pockets: pd.DataFrame, labels: dict[str, str], lang: str = "id") -> bytes:
    """The leadership summary as a two-page A4 PDF: headline figures, the four charts and the map, with
    the synthetic-data label when any figure is synthetic."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from fpdf import FPDF
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Polygon

    font = f"{matplotlib.get_data_path()}/fonts/ttf/DejaVuSans.ttf"
    bold = f"{matplotlib.get_data_path()}/fonts/ttf/DejaVuSans-Bold.ttf"
    doc = FPDF(format="A4")
    doc.add_font("dv", "", font)
    doc.add_font("dv", "B", bold)
    doc.set_auto_page_break(True, 12)
    doc.add_page()
    doc.set_font("dv", "B", 16)
    doc.cell(0, 10, labels["pdf_title"], new_x="LMARGIN", new_y="NEXT")
    doc.set_font("dv", "", 9)
    doc.cell(0, 5, f"{labels['made']} {datetime.now():%d-%m-%Y %H:%M}", new_x="LMARGIN", new_y="NEXT")
    if s.synthetic:
        doc.set_text_color(138, 59, 0)
        doc.set_font("dv", "B", 10)
        doc.multi_cell(0, 5, labels["synthetic"], new_x="LMARGIN", new_y="NEXT")
        doc.set_text_color(0, 0, 0)
    doc.ln(2)
    doc.set_font("dv", "", 10)
    for label, value in headline(s, labels, lang):  # two columns that wrap, never run into each other
        y0 = doc.get_y()
        doc.set_font("dv", "B", 9)
        label_lines = len(doc.multi_cell(70, 5, label, dry_run=True, output="LINES", align="L"))
        doc.multi_cell(70, 5, label, new_x="RIGHT", new_y="TOP", align="L")
        doc.set_xy(doc.l_margin + 74, y0)
        doc.set_font("dv", "", 9)
        doc.multi_cell(0, 5, value, new_x="LMARGIN", new_y="NEXT")
        doc.set_y(max(doc.get_y(), y0 + 5 * label_lines))
    if len(s.replication) and "repl_line" in labels:  # where each kabupaten stands in the five preparation stages
        doc.set_font("dv", "B", 9)
        doc.multi_cell(0, 5, labels["repl_title"], new_x="LMARGIN", new_y="NEXT")
        doc.set_font("dv", "", 9)
        for line in replication_lines(s, labels, lang):
            doc.multi_cell(0, 5, f"• {line}", new_x="LMARGIN", new_y="NEXT")
    if labels.get("persistence_note"):  # the targets allow for households leaving and the gain ramping up
        doc.set_font("dv", "", 8)
        doc.multi_cell(0, 4, labels["persistence_note"], new_x="LMARGIN", new_y="NEXT")

    def chart(draw, w: float = 90, h: float = 55) -> io.BytesIO:
        fig, ax = plt.subplots(figsize=(w / 25.4, h / 25.4), dpi=150)
        draw(ax)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        plt.close(fig)
        buf.seek(0)
        return buf

    def bars(ax, names, vals, title, colours=None):
        ax.barh(list(names), list(vals), color=colours or "#4d7ea8")
        ax.set_title(title, fontsize=8)
        ax.tick_params(labelsize=6)
        for i, v in enumerate(vals):
            ax.text(v, i, f" {fmt.number(v, 0, lang)}", va="center", fontsize=6)


    imgs = []
    if len(s.outreach):
        imgs.append(chart(lambda ax: bars(ax, s.outreach["judul"].str[:28], s.outreach["realisasi"].fillna(0),
                                          labels["outreach_title"])))
    if len(s.pci):
        imgs.append(chart(lambda ax: bars(ax, s.pci["predikat"], s.pci["n"], labels["pci_title"],
                                          [PREDICATE_COLOURS.get(p, "#999") for p in s.pci["predikat"]])))
    if len(s.barriers):
        imgs.append(chart(lambda ax: bars(ax, [labels.get(f"el.{h}", h) for h in s.barriers["hambatan"]],
                                          s.barriers["n"], labels["adkar_title"], "#d95f0e")))
    if len(s.budget):
        imgs.append(chart(lambda ax: bars(ax, s.budget["sumber"], s.budget["nilai"] / 1e6,
                                          labels["budget_title"] + " (jt)")))
    if len(s.graduation):  # the newest period's households by status, poorest at the top
        last = s.graduation.iloc[-1]
        order = [k for k in STATUS_COLOURS if k in s.graduation.columns]
        imgs.append(chart(lambda ax: bars(ax, [labels.get(f"st.{k}", k) for k in order], [int(last[k]) for k in order],
                                          f"{labels['grad_title']} ({last['period']})",
                                          [STATUS_COLOURS[k] for k in order])))
    y0 = doc.get_y() + 4
    for i, img in enumerate(imgs):
        doc.image(img, x=10 + (i % 2) * 95, y=y0 + (i // 2) * 60, w=90)
    doc.add_page()
    doc.set_font("dv", "B", 12)
    doc.cell(0, 8, labels["map_title"], new_x="LMARGIN", new_y="NEXT")
    fc = json.loads(geojson)
    cats = dict(zip(pockets["kode"], pockets["cluster"], strict=False)) if len(pockets) else {}

    def draw_map(ax):
        patches, colours = [], []
        for f in fc["features"]:
            geom = f["geometry"]
            polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
            colour = POCKET_COLOURS.get(cats.get(f["properties"]["kode"]), "#eeeeee") \
                if cats.get(f["properties"]["kode"]) in ("HH", "LL") else "#eeeeee"
            for poly in polys:
                patches.append(Polygon(np.asarray(poly[0]), closed=True))
                colours.append(colour)
        ax.add_collection(PatchCollection(patches, facecolor=colours, edgecolor="#999999", linewidth=0.15))
        ax.scatter(pts["lon"], pts["lat"], s=60, c="#4292c6", edgecolors="#08306b", zorder=3)
        for i, r in enumerate(pts.itertuples(), start=1):  # numbers on the map, names listed below it
            ax.annotate(str(i), (r.lon, r.lat), fontsize=5, ha="center", va="center", color="white", zorder=4,
                        fontweight="bold")
        bounds = main_bounds(fc)  # the mainland fills the frame; far islands stay out of it
        if bounds is not None:
            west, south, east, north = bounds
            dx, dy = (east - west) * 0.03, (north - south) * 0.03
            ax.set_xlim(west - dx, east + dx)
            ax.set_ylim(south - dy, north + dy)
        else:
            ax.autoscale_view()
        ax.set_aspect("equal")
        ax.axis("off")
        from matplotlib.patches import Patch

        ax.legend(handles=[Patch(facecolor=POCKET_COLOURS["HH"], label=labels["hh"]),
                           Patch(facecolor=POCKET_COLOURS["LL"], label=labels["ll"]),
                           Patch(facecolor="#eeeeee", edgecolor="#999999", label=labels.get("ns", "")),
                           plt.Line2D([], [], marker="o", linestyle="", markerfacecolor="#4292c6",
                                      markeredgecolor="#08306b", label=labels.get("intervensi", "Intervensi"))],
                  loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=6, frameon=True)  # beside, not on, the map

    pts = s.interventions.dropna(subset=["lat", "lon"]).reset_index(drop=True)
    doc.image(chart(draw_map, 190, 120), x=10, w=190)
    doc.set_font("dv", "", 8)
    for i, r in enumerate(pts.itertuples(), start=1):
        doc.multi_cell(0, 4, f"{i}. {r.judul} ({r.nama})", new_x="LMARGIN", new_y="NEXT", align="L")
    return bytes(doc.output())
