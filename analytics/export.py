"""Table exports (CSV and XLSX) that keep area codes as text and carry the synthetic-data label."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd


def csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM so spreadsheet programs read Indonesian text and codes correctly).

    >>> csv_bytes(pd.DataFrame({"kode": ["35.07"], "n": [1]})).decode("utf-8-sig").splitlines()
    ['kode,n', '35.07,1']
    """
    return df.to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(sheets: dict[str, pd.DataFrame], note: str | None = None) -> bytes:
    """An XLSX workbook with one sheet per table; codes are stored as text, column widths fitted.

    ``note`` (e.g. "Data contoh (sintetis)") is written above every table, so it survives copying.
    """
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter") as xw:
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
    from analytics import fmt

    t = doc.add_table(rows=1, cols=len(df.columns))
    t.style = "Table Grid"
    for cell, h in zip(t.rows[0].cells, headers or [str(c) for c in df.columns]):
        cell.text = str(h)
    for row in df.itertuples(index=False):
        cells = t.add_row().cells
        for cell, v in zip(cells, row):
            if v is None or (isinstance(v, float) and v != v):
                cell.text = ""
            elif isinstance(v, (float, np.floating)):
                cell.text = fmt.number(float(v), 0 if float(v).is_integer() or abs(v) >= 1000 else 2)
            else:
                cell.text = str(v)
