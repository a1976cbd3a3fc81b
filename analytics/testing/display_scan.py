"""What a user must never see in a table (issue 17): numbers not written the Indonesian (or English)
way, raw ``None``/``nan``, internal snake_case headers. Used by the page tests on what AppTest renders."""

from __future__ import annotations

import re

import pandas as pd

SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")
RAW_EMPTY = {"None", "nan", "NaN", "<NA>", "NaT", "null"}
LONG_RUN = re.compile(r"(?<![\d.,])-?\d{5,}(?![\d.,])")  # 12345 without a separator
AREA_CODE = re.compile(r"(?<![\d.])\d{2}(\.\d{2}){1,2}(\.\d{4})?(?![\d.])")
DOT_DECIMAL = re.compile(r"(?<![\d.])\d+\.\d{1,2}(?!\d)(?!\.\d)")  # 59.03 (a code such as 35.07 is allowed)


def problems(df: pd.DataFrame, lang: str = "id", code_columns: tuple[str, ...] = ()) -> list[str]:
    """Every display problem in a table as shown: a snake_case header, an empty cell written as
    ``None``/``nan``, a number column (the browser would show ``300000000`` or ``6166.6667``), a run of
    five or more digits without a thousands separator, or (in Indonesian) a dot as the decimal mark.
    ``code_columns`` (area codes, BPS codes, NIK-free keys) are exempt from the digit checks.

    >>> for p in problems(pd.DataFrame({"nama_desa": ["A"], "n": [300000000], "p": ["59.03%"], "x": [None]})):
    ...     print(p)
    kolom 'nama_desa': judul snake_case
    kolom 'n': angka mentah (300000000)
    kolom 'p': titik desimal ('59.03%')
    kolom 'x': None/nan
    """
    out = []
    for col in df.columns:
        name = str(col)
        s = df[col]
        if SNAKE.match(name):
            out.append(f"kolom '{name}': judul snake_case")
        if pd.api.types.is_bool_dtype(s):
            continue
        if pd.api.types.is_numeric_dtype(s):
            vals = s.dropna()
            big = vals[(vals.abs() >= 1000) | (vals != vals.round(0))]
            if name not in code_columns and len(big):
                out.append(f"kolom '{name}': angka mentah ({big.iloc[0]})")
            if s.isna().any():
                out.append(f"kolom '{name}': None/nan")
            continue
        text = s.map(lambda v: "None" if v is None else str(v))
        if text.isin(RAW_EMPTY).any():
            out.append(f"kolom '{name}': None/nan")
        if name in code_columns:
            continue
        run = text[text.str.contains(LONG_RUN)]
        if len(run):
            out.append(f"kolom '{name}': angka tanpa pemisah ribuan ('{run.iloc[0][:40]}')")
        if lang == "id":
            dot = text[text.str.contains(DOT_DECIMAL)]
            if len(dot):
                out.append(f"kolom '{name}': titik desimal ('{dot.iloc[0][:40]}')")
    return out


def xlsx_problems(data: bytes, code_headers: tuple[str, ...] = ()) -> list[str]:
    """Every problem a reader would meet in a workbook: a snake_case header, a cell reading ``None``/``nan``,
    a number stored as text, a number cell left in Excel's ``General`` format (Excel would show
    ``20.71499099727014``), a sheet name longer than Excel allows. A header row is the first row whose cells
    are all text under the optional note line. ``code_headers`` are text on purpose."""
    import io

    from openpyxl import load_workbook

    out = []
    wb = load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        if len(ws.title) > 31:
            out.append(f"lembar '{ws.title}': nama lebih dari 31 karakter")
        rows = list(ws.iter_rows())
        head_at = next((i for i, r in enumerate(rows[:4]) if sum(c.value is not None for c in r) > 1), None)
        if head_at is None:
            continue
        headers = [c.value for c in rows[head_at]]
        for h in headers:
            if isinstance(h, str) and SNAKE.match(h):
                out.append(f"lembar '{ws.title}': judul snake_case '{h}'")
        for r in rows[head_at + 1:]:
            for c, h in zip(r, headers, strict=False):
                v = c.value
                if isinstance(v, str) and v.strip() in RAW_EMPTY:
                    out.append(f"lembar '{ws.title}' {c.coordinate}: '{v}'")
                elif isinstance(v, bool):
                    continue
                elif isinstance(v, (int, float)) and c.number_format == "General" and h not in code_headers \
                        and (abs(v) >= 1000 or v != round(v)):
                    out.append(f"lembar '{ws.title}' {c.coordinate}: angka tanpa format ({v})")
                elif isinstance(v, str) and h not in code_headers and re.fullmatch(r"-?\d{4,}([.,]\d+)?", v.strip()) \
                        and not re.fullmatch(r"(19|20)\d\d", v.strip()):  # a period written as a year is a label
                    out.append(f"lembar '{ws.title}' {c.coordinate}: angka disimpan sebagai teks ('{v}')")
    return out


def text_problems(text: str, lang: str = "id") -> list[str]:
    """Problems in the running text of a document (DOCX, PDF): ``None``/``nan`` written out, a run of five
    or more digits without a separator, and in Indonesian a dot as the decimal mark."""
    text = AREA_CODE.sub("", text)  # 35.07.01 is a code, not a number
    out = [f"'{w}' tertulis" for w in sorted(RAW_EMPTY) if re.search(rf"(?<![\w]){w}(?![\w])", text)]
    out += [f"angka tanpa pemisah ribuan ('{m.group(0)}')" for m in LONG_RUN.finditer(text)]
    if lang == "id":
        out += [f"titik desimal ('{m.group(0)}')" for m in DOT_DECIMAL.finditer(text)]
    return out
