"""Documents: CSV and XLSX tables (codes kept as text, the synthetic-data label above every table), the
Berita Acara of a workshop (DOCX, XLSX), the value chain and results chain workbooks, the business-model
annexes (XLSX, DOCX), the PCI scorecard CSV, the ADKAR workbook and the leadership PDF."""

from __future__ import annotations

import io
import json
from datetime import datetime

import numpy as np
import pandas as pd

from analytics.commodity.decision_record import Record
from analytics.core import fmt
from analytics.monitoring.leadership import Summary, headline
from analytics.monitoring.results import LEVELS
from analytics.poverty.drilldown import POCKET_COLOURS
from analytics.render.charts import PREDICATE_COLOURS
from analytics.valuechain import analysis
from analytics.valuechain.analysis import guideline_table

FORMULA_START: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
"""How a text cell starts when a spreadsheet program would run it as a formula (OWASP's list)."""


def inert(value: object) -> object:
    """A text that a spreadsheet would run as a formula, made inert with a leading apostrophe; anything
    else unchanged.

    >>> inert("=1+1"), inert("-5"), inert("Kopi"), inert(-5)
    ("'=1+1", "'-5", 'Kopi', -5)
    """
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV as Excel reads it on an Indonesian-locale computer: columns separated by ``;``, decimal comma,
    numbers to 10 significant digits, UTF-8 with a BOM (so Indonesian text and codes are read correctly),
    CRLF line ends; text cells and headers that a spreadsheet would run as a formula are made inert
    (:func:`inert`). Codes stay text (``35.07``).

    >>> csv_bytes(pd.DataFrame({"kode": ["35.07"], "n": [1], "p0": [20.71499099727014]})).decode("utf-8-sig").split()
    ['kode;n;p0', '35.07;1;20,714991']
    >>> csv_bytes(pd.DataFrame({"nama": ["=1+1", "@SUM(A1)"], "n": [-1, 2]})).decode("utf-8-sig").splitlines()
    ['nama;n', "'=1+1;-1", "'@SUM(A1);2"]
    """
    out = df.rename(columns=lambda c: inert(str(c)))
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(inert)
    return out.to_csv(index=False, sep=";", decimal=",", float_format="%.10g",
                      lineterminator="\r\n").encode("utf-8-sig")  # CRLF: a CR in a cell is quoted


def xlsx_bytes(sheets: dict[str, pd.DataFrame], note: str | None = None) -> bytes:
    """An XLSX workbook with one sheet per table; codes are stored as text, column widths fitted.

    ``note`` (e.g. "Data contoh (sintetis)") is written above every table, so it survives copying.
    """
    buf = io.BytesIO()
    # text stays text: a cell that starts with "=" is not written as a live formula, nor a URL as a link
    with pd.ExcelWriter(buf, engine="xlsxwriter",
                        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}}) as xw:
        book = xw.book
        text = book.add_format({"num_format": "@"})
        bold = book.add_format({"bold": True, "font_color": "#8a3b00"})
        for name, df in sheets.items():
            start = 2 if note else 0
            sheet_name = name[:31]
            out = df.copy()
            for col in out.columns:
                if pd.api.types.is_datetime64_any_dtype(out[col]):
                    out[col] = out[col].dt.strftime("%Y-%m-%d %H:%M")
            out.to_excel(xw, sheet_name=sheet_name, index=False, startrow=start)
            ws = xw.sheets[sheet_name]
            if note:
                ws.write(0, 0, note, bold)
            for i, col in enumerate(out.columns):
                longest = out[col].map(lambda v: 0 if v is None or v != v else len(str(v))).max()
                width = min(60, max(10, len(str(col)) + 2, int(longest if longest == longest else 0) + 2))
                ws.set_column(i, i, width, text if str(col).startswith("kode") else None)
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
        docx_table(doc, rec.robustness, ["Peringkat", "Komoditas", "Peluang peringkat 1", "Peluang 3 besar", "Lencana"])
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


def decision_record_xlsx(rec: Record) -> bytes:
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
    return xlsx_bytes(sheets, "Data contoh (sintetis)" if rec.synthetic else None)


def chain_xlsx(chain: pd.Series, tables: dict[str, pd.DataFrame]) -> bytes:
    """All tables of a chain (plus margins before and after) as one workbook."""

    sheets = {"Pelaku": tables["actors"], "Aliran": tables["flows"], "Sistem pasar": tables["system"],
              "Pohon masalah": tables["problems"], "Tabel intervensi": guideline_table(tables["problems"])}
    if not tables["flows"].empty:
        for scen in analysis.SCENARIOS:
            sheets[f"Marjin {scen}"] = analysis.margins(tables["actors"], tables["flows"], scen)
    return xlsx_bytes(sheets, "Data contoh (sintetis)" if bool(chain["is_synthetic"]) else None)


def annex_xlsx(info: pd.Series, sheets: dict[str, pd.DataFrame]) -> bytes:
    """The annexes as a workbook (the synthetic label above every table of a demo model)."""
    return xlsx_bytes(sheets, "Data contoh (sintetis) — bukan data resmi" if bool(info["is_synthetic"]) else None)


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


def results_xlsx(info: pd.Series, tables: dict[str, pd.DataFrame], prog: pd.DataFrame, revs: pd.DataFrame) -> bytes:
    """The results chain, its monitoring plan, target vs realisation and the review log as a workbook."""

    boxes = tables["boxes"].assign(tingkat=tables["boxes"]["level"].map(LEVELS))
    r = revs.drop(columns=["chain_id", "is_synthetic"], errors="ignore").copy()
    if "indikator" in r:
        r["indikator"] = r["indikator"].map(lambda v: ", ".join(v) if isinstance(v, (list, np.ndarray)) else v)
    return xlsx_bytes({"Rantai hasil": boxes, "Rencana pemantauan": tables["indicators"],
                              "Target vs realisasi": prog, "Tinjauan": r},
                             "Data contoh (sintetis) — bukan data resmi" if bool(info["is_synthetic"]) else None)


def pci_csv(table: pd.DataFrame) -> bytes:
    """The scorecard as CSV, the synthetic label in its own column."""
    out = table.copy()
    out["keterangan"] = np.where(out["sintetis"], "Data contoh (sintetis)", "")
    return csv_bytes(out.drop(columns=["sintetis"]))


def adkar_xlsx(respondents: pd.DataFrame, scores: pd.DataFrame, stage_table: pd.DataFrame,
               links: pd.DataFrame) -> bytes:
    """Respondents, scores (long), stages and links as one workbook (synthetic label when any is)."""

    codes = respondents.set_index("id")["kode"]
    synthetic = bool(respondents["is_synthetic"].any()) if len(respondents) else False
    return xlsx_bytes({
        "Responden": respondents.drop(columns=["created_by"], errors="ignore"),
        "Skor": scores.assign(kode_responden=scores["respondent_id"].map(codes)),
        "Tahap": stage_table.assign(kode_responden=stage_table["respondent_id"].map(codes)),
        "Jaringan": links}, "Data contoh (sintetis) — bukan data resmi" if synthetic else None)


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
    for label, value in headline(s, labels, lang):
        doc.set_font("dv", "B", 9)
        doc.cell(72, 5, label)
        doc.set_font("dv", "", 9)
        doc.multi_cell(0, 5, value, new_x="LMARGIN", new_y="NEXT")

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
        pts = s.interventions.dropna(subset=["lat", "lon"])
        ax.scatter(pts["lon"], pts["lat"], s=40, c="#4292c6", edgecolors="#08306b", zorder=3)
        for r in pts.itertuples():
            ax.annotate(str(r.judul)[:30], (r.lon, r.lat), fontsize=5, xytext=(3, 3), textcoords="offset points")
        ax.autoscale_view()
        ax.set_aspect("equal")
        ax.axis("off")
        from matplotlib.patches import Patch

        ax.legend(handles=[Patch(facecolor=POCKET_COLOURS["HH"], label=labels["hh"]),
                           Patch(facecolor=POCKET_COLOURS["LL"], label=labels["ll"]),
                           Patch(facecolor="#eeeeee", edgecolor="#999999", label=labels.get("ns", "")),
                           plt.Line2D([], [], marker="o", linestyle="", markerfacecolor="#4292c6",
                                      markeredgecolor="#08306b", label=labels.get("intervensi", "Intervensi"))],
                  loc="lower right", fontsize=6, frameon=True)

    doc.image(chart(draw_map, 190, 120), x=10, w=190)
    return bytes(doc.output())
