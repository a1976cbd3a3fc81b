"""The PCI method's three-sheet workbook read back (Indikator Pemantauan, Acuan Evaluasi, Form Isian):
the group, year and entries of the form, the rubric texts of the reference sheet, and the checks of
entries against a rubric. Pure functions; the store writes what they return."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from analytics.core.files import BROKEN_XLSX, refuse_unreadable
from analytics.core.problems import ImportRejected, Problem
from analytics.monitoring import pci

LEVEL_COLUMNS = ["indicator_no", "score_0", "score_1", "score_2", "score_3"]


SHEETS = ("Indikator Pemantauan", "Acuan Evaluasi", "Form Isian")


_HEAD_LABELS = ("kelompok", "tahun", "total skor", "predikat", "no")


def check_entries(rubric: pci.Rubric, entries: pd.DataFrame, where: str = "Isian") -> list[str]:
    """Problems of one group's entries (``indicator_no``, ``value``, ``level``, ``note``): unknown
    indicator, negative value, level outside 0-3 or not defined by the rubric, a qualitative indicator
    without a level, a value no band covers and no level chosen."""
    by_no = rubric.by_no()
    out = []
    for i, r in enumerate(entries.itertuples(), start=1):
        ind = by_no.get(int(r.indicator_no)) if pd.notna(r.indicator_no) else None
        if ind is None:
            out.append(f"{where}, baris {i}: indikator '{r.indicator_no}' tidak ada di rubrik (1-26)")
            continue
        has_value, has_level = pd.notna(r.value), pd.notna(r.level)
        if has_value and r.value < 0:
            out.append(f"{where}, indikator {ind.no}: nilai pengamatan negatif ({r.value:g})")
        if has_level and (r.level not in (0, 1, 2, 3) or int(r.level) not in ind.levels()):
            out.append(f"{where}, indikator {ind.no}: skor {r.level:g} tidak didefinisikan rubrik "
                       f"(tersedia: {', '.join(map(str, ind.levels()))})")
        if not ind.numeric and has_value and not has_level:
            out.append(f"{where}, indikator {ind.no}: indikator kualitatif, pilih skor 0-3 sesuai uraian rubrik")
        if ind.numeric and has_value and not has_level and not any(b.contains(float(r.value)) for b in ind.bands):
            value = f"{r.value:g}".replace(".", ",")  # 50,5: the decimal comma of the form
            out.append(f"{where}, indikator {ind.no}: nilai {value} tidak tercakup rubrik (celah); pilih skor "
                       "sendiri dan tulis alasannya di catatan")
    return out


def read_workbook(file_name: str, data: bytes, rubric: pci.Rubric) -> tuple[str, int, pd.DataFrame, pd.DataFrame | None,
                                                                             list[Problem]]:
    """Read the method's workbook: group name, year and entries from 'Form Isian'; the rubric texts of
    'Acuan Evaluasi' (None when the sheet is missing). Problems name the sheet, row and column."""
    problems: list[Problem] = []
    refuse_unreadable(file_name, data)
    try:
        book = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, dtype=object, engine="openpyxl")
    except Exception as exc:  # noqa: BLE001 - any unreadable file gets the same clear message
        raise ImportRejected([Problem(file_name, None, None, BROKEN_XLSX)]) from exc
    if SHEETS[2] not in book:
        raise ImportRejected([Problem(file_name, None, None, f"lembar kerja '{SHEETS[2]}' tidak ada (ada: "
                                                             f"{', '.join(book)})")])
    raw = book[SHEETS[2]]
    label = raw.iloc[:, 0].map(lambda v: str(v).strip().lower() if v is not None and v == v else "")
    noted = label.str.startswith("data contoh")
    start = int(noted.idxmax()) + 1 if noted.any() else 0

    def field(name: str) -> tuple[object, int | None]:
        hit = label[label == name.lower()]
        return (raw.iat[hit.index[0], 1], int(hit.index[0]) + 1) if len(hit) else (None, None)

    group, grow = field("Kelompok")
    year, yrow = field("Tahun")
    if not isinstance(group, str) or not group.strip():
        problems.append(Problem(file_name, grow, "Indikator", f"{SHEETS[2]}: nama kelompok (baris 'Kelompok') kosong"))
    try:
        year_i = int(float(year))
        if not 2000 <= year_i <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        problems.append(Problem(file_name, yrow, "Indikator", f"{SHEETS[2]}: tahun '{year}' bukan tahun yang sah"))
        year_i = 0
    header = label[label == "no"].index
    header = [h for h in header if h >= start]
    if not header:
        raise ImportRejected(problems + [Problem(
            file_name, None, "No", f"{SHEETS[2]}: baris judul tabel ('No', 'Indikator', 'Hasil pengamatan' …) "
                                   "tidak ditemukan")])
    h = header[-1]
    cols = [str(c).strip() for c in raw.iloc[h]]
    body = raw.iloc[h + 1:].reset_index(drop=True)
    body.columns = cols[:len(body.columns)]
    need = ["No", "Hasil pengamatan", "Skor dipilih"]
    missing = [c for c in need if c not in body.columns]
    if missing:
        raise ImportRejected(problems + [Problem(file_name, h + 1, c,
                                                 f"{SHEETS[2]}: kolom tidak ada") for c in missing])
    rows, lines = [], []
    for k, r in body.iterrows():
        line = h + 2 + k
        no = str(r["No"]).strip() if r["No"] is not None and r["No"] == r["No"] else ""
        if not no or no.lower() in _HEAD_LABELS:
            continue  # blank lines and the group/year/total lines above the table
        vals = {}
        for col, key in (("No", "indicator_no"), ("Hasil pengamatan", "value"), ("Skor dipilih", "level")):
            v = r[col]
            if v is None or v != v or (isinstance(v, str) and not v.strip()):
                vals[key] = np.nan
                continue
            try:
                vals[key] = float(str(v).replace(",", ".").replace("%", "").strip())
            except ValueError:
                problems.append(Problem(file_name, line, col, f"{SHEETS[2]}: '{v}' bukan angka"))
                vals[key] = np.nan
        note = r.get("Catatan")
        vals["note"] = note if isinstance(note, str) else None
        rows.append(vals)
        lines.append(line)
    entries = pd.DataFrame(rows, columns=["indicator_no", "value", "level", "note"])
    for k, line in enumerate(lines):
        for text in check_entries(rubric, entries.iloc[[k]], SHEETS[2]):
            problems.append(Problem(file_name, line, None, text))
    dup = entries["indicator_no"].dropna()
    for no in sorted(set(dup[dup.duplicated()])):
        problems.append(Problem(file_name, None, "No", f"{SHEETS[2]}: indikator {no:g} muncul lebih dari sekali"))
    texts = None
    if SHEETS[1] in book:
        a = book[SHEETS[1]]
        lab = a.iloc[:, 0].map(lambda v: str(v).strip() if v is not None and v == v else "")
        hdr = lab[lab == "No"].index
        if len(hdr):
            ah = hdr[0]
            acols = [str(c).strip() for c in a.iloc[ah]]
            ab = a.iloc[ah + 1:].copy()
            ab.columns = acols
            if all(f"Skor {s}" in ab.columns for s in range(4)):
                ab = ab[ab["No"].notna()]
                texts = pd.DataFrame({"indicator_no": pd.to_numeric(ab["No"], errors="coerce"),
                                      **{f"score_{s}": ab[f"Skor {s}"].map(lambda v: str(v) if v is not None and v == v
                                                                           else "") for s in range(4)}}).dropna(
                    subset=["indicator_no"])
                texts["indicator_no"] = texts["indicator_no"].astype(int)
    return (group.strip() if isinstance(group, str) else ""), year_i, entries, texts, problems


def same_texts(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    cols = LEVEL_COLUMNS
    x = a.reindex(columns=cols).set_index("indicator_no").sort_index().fillna("").astype(str)
    y = b.reindex(columns=cols).set_index("indicator_no").sort_index().fillna("").astype(str)
    x = x.apply(lambda s: s.str.strip())
    y = y.reindex(x.index).fillna("").apply(lambda s: s.str.strip())
    return x.equals(y)
