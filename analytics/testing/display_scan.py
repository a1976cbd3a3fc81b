"""What a user must never see in a table (issue 17): numbers not written the Indonesian (or English)
way, raw ``None``/``nan``, internal snake_case headers. Used by the page tests on what AppTest renders."""

from __future__ import annotations

import re

import pandas as pd

SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")
RAW_EMPTY = {"None", "nan", "NaN", "<NA>", "NaT", "null"}
LONG_RUN = re.compile(r"(?<![\d.,])-?\d{5,}(?![\d.,])")  # 12345 without a separator
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
