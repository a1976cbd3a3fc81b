"""Reading uploaded tables (CSV with ``,``/``;``/tab, either decimal mark; XLSX) into raw text cells.

Everything is read as text first, so that row numbers match what the user sees in a spreadsheet and
number parsing can report the exact cell it failed on.
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

from analytics.core.files import BROKEN_XLSX, refuse_unreadable
from analytics.core.problems import ImportRejected, Problem

MISSING = {"", "-", "–", "—", "…", "...", "na", "n/a", "nan", "null", "x"}


def decode_text(file_name: str, data: bytes) -> str:
    """Bytes to text: UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is refused with
    the row of the first undecodable byte."""
    if not data.strip():
        raise ImportRejected([Problem(file_name, None, None, "berkas kosong (tidak ada isi)")])
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16")
    head = data[:2000]
    if len(head) >= 4 and head.count(b"\0") * 3 >= len(head):  # every other byte NUL: UTF-16 without a BOM
        even_nul = head[0::2].count(b"\0") > head[1::2].count(b"\0")
        try:
            return data.decode("utf-16-be" if even_nul else "utf-16-le")
        except UnicodeDecodeError as exc:
            raise ImportRejected([Problem(file_name, None, None, "teks UTF-16 yang rusak; simpan ulang berkas "
                                          "sebagai 'CSV UTF-8' lalu unggah lagi")]) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise ImportRejected([Problem(
            file_name, row, None,
            f"teks tidak dalam pengodean UTF-8 (byte 0x{data[exc.start]:02x}); simpan ulang berkas sebagai "
            "'CSV UTF-8' lalu unggah lagi")]) from exc


def sniff_delimiter(text: str) -> str:
    """The field separator of a CSV text: ``;``, ``,``, tab or ``|``.

    >>> sniff_delimiter("a;b;c\\n1,5;2;3\\n"), sniff_delimiter("a,b\\n1,2\\n")
    (';', ',')
    """
    sample = "\n".join(text.splitlines()[:30])
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t|").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in (";", ",", "\t", "|")}
        return max(counts, key=counts.get)


def is_xlsx(data: bytes) -> bool:
    """Whether the bytes are an XLSX (zip) workbook."""
    return data[:4] == b"PK\x03\x04"


def sheet_names(file_name: str, data: bytes) -> list[str]:
    """Sheet names of an XLSX workbook (empty for CSV)."""
    if not is_xlsx(data):
        return []
    try:
        return pd.ExcelFile(io.BytesIO(data), engine="openpyxl").sheet_names
    except Exception as exc:  # openpyxl raises BadZipFile, KeyError, OSError, ValueError… for damaged files
        raise ImportRejected([Problem(file_name, None, None, BROKEN_XLSX)]) from exc


def _formulas_without_values(data: bytes, sheet: str | None, values: pd.DataFrame) -> dict[tuple[int, int], str]:
    """Cells of a workbook that hold a formula but no stored result (a file written by a program, never
    opened and saved in Excel): blank among the values, the formula text among the formulas."""
    import openpyxl

    blank = values.map(lambda v: v == "").to_numpy()
    if not blank.any():
        return {}
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        ws = book[sheet] if sheet else book.worksheets[0]
        out = {}
        for r, row in enumerate(ws.iter_rows(values_only=True)):
            for c, v in enumerate(row):
                if (isinstance(v, str) and v.startswith("=") and r < blank.shape[0] and c < blank.shape[1]
                        and blank[r, c]):
                    out[(r, c)] = v
        return out
    finally:
        book.close()


def read_cells(file_name: str, data: bytes, sheet: str | None = None) -> pd.DataFrame:
    """All cells as stripped text (missing = ""), no header; index 0 = file row 1."""
    refuse_unreadable(file_name, data)
    if is_xlsx(data):
        try:
            df = pd.read_excel(io.BytesIO(data), sheet_name=sheet or 0, header=None, dtype=object,
                               engine="openpyxl")
        except Exception as exc:  # see sheet_names
            raise ImportRejected([Problem(file_name, None, None, BROKEN_XLSX)]) from exc
        df = df.map(_cell_text)
        for (r, c), formula in _formulas_without_values(data, sheet, df).items():
            df.iat[r, c] = formula  # "=B3*2": the importer names it, instead of reading a blank
    else:
        if data[:2] == b"PK":  # a zip that is not a workbook (empty, .xls and PDF were refused above)
            raise ImportRejected([Problem(file_name, None, None, "bukan berkas CSV atau XLSX")])
        text = decode_text(file_name, data)
        delim = sniff_delimiter(text)
        df = _csv_columns(text, delim)
        if df is None:  # ragged rows, or a quoting the fast reader refuses: the csv module reads anything
            rows = list(csv.reader(io.StringIO(text), delimiter=delim))
            width = max((len(r) for r in rows), default=0)
            df = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
            df = df.map(lambda v: str(v).strip())
    df = df.reset_index(drop=True)
    df.columns = range(df.shape[1])
    if df.empty or (df == "").all().all():
        raise ImportRejected([Problem(file_name, None, None, "berkas kosong (tidak ada baris data)")])
    return df


FAST_CSV_BYTES = 1_000_000
"""Texts at least this long are read by Arrow's CSV reader (a million-row register in under a second
instead of eight); smaller ones, and any the fast reader refuses, by Python's csv module."""


def _csv_columns(text: str, delim: str) -> pd.DataFrame | None:
    """A long CSV text as stripped text cells with pyarrow (every column as text, no header, missing =
    ""), or None when its rows differ in length or the reader refuses it."""
    if len(text) < FAST_CSV_BYTES:
        return None
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv as pacsv

    first = next(csv.reader(io.StringIO(text[: text.find("\n") + 1 or len(text)]), delimiter=delim), [])
    try:
        table = pacsv.read_csv(
            io.BytesIO(text.encode()),
            read_options=pacsv.ReadOptions(autogenerate_column_names=True),
            parse_options=pacsv.ParseOptions(delimiter=delim, newlines_in_values='"' in text,
                                             ignore_empty_lines=False),  # row numbers stay the file's
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(len(first))},
                strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if table.num_columns != len(first):
        return None
    return pd.DataFrame({i: pc.utf8_trim_whitespace(table.column(i)).to_pandas()
                         for i in range(table.num_columns)})


def _cell_text(v: object) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, int | float) and not isinstance(v, bool) and abs(v) >= 1e15:
        return f"{float(v):.14E}"  # Excel keeps 15 significant digits: a 16-digit number (a NIK) is not exact
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, float) and _AMBIGUOUS.match(repr(v)):
        return repr(v) + "0"  # a number cell is never "1.234" thousands: written 1.2340, no column reads it so
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v).strip()


_NUM = re.compile(r"^[+-]?[0-9.,]+$")


_AMBIGUOUS = re.compile(r"^[+-]?[1-9]\d{0,2}[.,]\d{3}$")
STYLES = {"comma": "1.234,5", "dot": "1,234.5"}
"""How a column writes its numbers: ``comma`` decimal with dot thousands (Indonesian), or the reverse."""


def number_style(texts: list[str]) -> tuple[str, list[str]]:
    """How a column writes its numbers, decided from the values that can only be read one way, and the
    values that read differently either way when none decides (up to three, for the message).

    ``18,98``, ``0,123``, ``1.234,5`` and ``1.234.567`` say comma-decimal; ``7.56``, ``1,234.5`` and
    ``1,234,567`` say dot-decimal; ``1,234`` or ``8.494`` alone say nothing (a thousand and some, or one
    and a fraction). The majority wins; with no deciding value the guess is ``comma`` (BPS's way).

    >>> number_style(["18,98", "8.494"]), number_style(["3113.91", "1,234"])
    (('comma', []), ('dot', []))
    >>> number_style(["1,234", "12,345", "7"])
    ('comma', ['1,234', '12,345'])
    """
    votes = {"comma": 0, "dot": 0}
    ambiguous = []
    for raw in texts:
        s = str(raw).strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
        if not _NUM.match(s):
            continue
        commas, dots = s.count(","), s.count(".")
        if commas and dots:
            votes["comma" if s.rfind(",") > s.rfind(".") else "dot"] += 1
        elif commas > 1 or dots > 1:
            votes["dot" if commas > 1 else "comma"] += 1
        elif _AMBIGUOUS.match(s):
            ambiguous.append(s)
        elif commas or dots:
            votes["comma" if commas else "dot"] += 1
    if votes["comma"] or votes["dot"]:
        return ("comma" if votes["comma"] >= votes["dot"] else "dot"), []
    return "comma", ambiguous[:3]


def parse_number(text: str, style: str = "auto") -> float | None:
    """A number written either way: ``1.234,5``, ``1,234.5``, ``11,34``, ``11.34``; ``-`` and blanks
    are missing (None). Raises ValueError for text that is not a number.

    A lone mark followed by exactly three digits is a thousands mark when the column's ``style`` (see
    :func:`number_style`) says the other mark is the decimal one: a dot with ``comma``, a comma with
    ``dot``; with ``auto`` a lone mark is always decimal.

    >>> parse_number("1.234,5"), parse_number("1,234.5"), parse_number("11,34"), parse_number("-")
    (1234.5, 1234.5, 11.34, None)
    >>> parse_number("8.494", "comma"), parse_number("7.56", "comma"), parse_number("12%")
    (8494.0, 7.56, 12.0)
    >>> parse_number("1,234", "dot"), parse_number("1,234", "comma"), parse_number("1,23", "dot")
    (1234.0, 1.234, 1.23)
    """
    s = str(text).strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
    if s.lower() in MISSING:
        return None
    if not _NUM.match(s):
        raise ValueError(s)
    if "," in s and "." in s:
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        s = s.replace("." if dec == "," else ",", "").replace(",", ".")
    elif "," in s:
        thousands = s.count(",") > 1 or (style == "dot" and re.fullmatch(r"[+-]?\d{1,3},\d{3}", s))
        s = s.replace(",", "") if thousands else s.replace(",", ".")
    elif s.count(".") > 1 or (style == "comma" and re.fullmatch(r"[+-]?\d{1,3}\.\d{3}", s)):
        s = s.replace(".", "")
    return float(s)
