"""Graduation: the households a programme reaches, by welfare status per period, and how they move.

The Bappenas/INKLUSI study describes graduation as households moving "dari kondisi miskin, menjadi rentan,
menuju menengah, hingga akhirnya mencapai kondisi yang stabil". Monitoring staff record each household
reached (by a programme code, never its NIK) with its status per period, or with its spending per person,
from which the status follows the World Bank's classes for Indonesia in multiples of the poverty line:

* ``miskin``: below the line;
* ``rentan`` (vulnerable): 1 to 1,5 times the line;
* ``menengah`` (aspiring middle class): 1,5 to 3,5 times;
* ``stabil`` (economically secure, middle class and above): 3,5 times and more.

From the records: households per status and period, the transitions between two periods (who moved up,
stayed, moved down; who was not seen again; who is new), for Rantai hasil and the leadership summary.

References:
    Bappenas & INKLUSI (2024). *Kajian model pemberdayaan masyarakat miskin dan rentan*, 3.3.7 "Tahap
    Graduasi Peserta" (``seeds/002_3d23b0567e716117.txt``).
    World Bank (2019). *Aspiring Indonesia: Expanding the Middle Class*, ch. 1 (poor < 1 × the line;
    vulnerable 1-1,5; aspiring middle class 1,5-3,5; middle class 3,5-17).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analytics.core.files import read_table
from analytics.core.problems import ImportRejected, Problem
from analytics.monitoring.results import check_period, period_key

STATUSES: tuple[str, ...] = ("miskin", "rentan", "menengah", "stabil")
"""The path in order, lowest first."""

BOUNDS: tuple[float, ...] = (1.0, 1.5, 3.5)
"""Spending per person as a multiple of the poverty line where the next status begins (World Bank 2019)."""

COLUMNS: list[str] = ["kode_rt", "period", "status", "pengeluaran"]
"""A household record: its programme code, the period, its status and (optional) spending per person per month."""

_NIK = re.compile(r"^\d{16}$")


def status_from_spending(spending: float, line: float) -> str:
    """The status of a household spending ``spending`` Rp per person per month where the line is ``line``.

    >>> [status_from_spending(s, 500_000) for s in (499_999, 500_000, 749_999, 750_000, 1_749_999, 1_750_000)]
    ['miskin', 'rentan', 'rentan', 'menengah', 'menengah', 'stabil']
    """
    if line <= 0:
        raise ValueError("Garis kemiskinan harus lebih dari 0.")
    ratio = spending / line
    return STATUSES[int(np.searchsorted(BOUNDS, ratio, side="right"))]


def complete(records: pd.DataFrame, line: float | None) -> pd.DataFrame:
    """The records with a status on every row: a blank status follows from the spending and ``line`` (left
    blank when there is no line or no spending; :func:`check` says so)."""
    out = records.copy()
    if line is None or line <= 0:
        return out
    blank = out["status"].isna() | (out["status"].astype(str).str.strip() == "")
    spend = pd.to_numeric(out["pengeluaran"], errors="coerce")
    fill = blank & spend.notna()
    out.loc[fill, "status"] = [status_from_spending(float(v), line) for v in spend[fill]]
    return out


# pragma: no mutate start, outside the calculation core: input validation
def check(records: pd.DataFrame, first_row: int = 1) -> list[str]:
    """Problems of a household table, each with its row (numbered from ``first_row``: 1 in the editor, 2 in a
    file whose line 1 holds the headers): a missing code, a code that looks
    like a NIK (16 digits: personal, never stored and never repeated here), a period the results chain cannot
    read, a status that is not one of the four, no status and no spending, a negative spending, and one
    household twice in one period."""
    found: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for i, r in enumerate(records.itertuples(index=False), start=first_row):
        code = "" if not isinstance(r.kode_rt, str) and pd.isna(r.kode_rt) else str(r.kode_rt).strip()
        period = "" if not isinstance(r.period, str) and pd.isna(r.period) else str(r.period).strip()
        status = "" if not isinstance(r.status, str) and pd.isna(r.status) else str(r.status).strip()
        spend = pd.to_numeric(pd.Series([r.pengeluaran]), errors="coerce").iloc[0]
        if not code:
            found.append(f"Baris {i}, kolom kode_rt: kode rumah tangga kosong")
        elif _NIK.match(code):
            found.append(f"Baris {i}, kolom kode_rt: berisi 16 angka seperti NIK; pakai kode program (misalnya "
                         "RT-001), NIK tidak disimpan")
        if not period:
            found.append(f"Baris {i}, kolom periode: kosong")
        elif (why := check_period(period)) is not None:
            found.append(f"Baris {i}, kolom periode: {why}")
        if status and status not in STATUSES:
            found.append(f"Baris {i}, kolom status: '{status}' bukan salah satu dari {', '.join(STATUSES)}")
        if not status and pd.isna(spend):
            found.append(f"Baris {i}: isi status atau pengeluaran per kapita (status dihitung dari garis kemiskinan)")
        if not pd.isna(spend) and spend < 0:
            found.append(f"Baris {i}, kolom pengeluaran: tidak boleh negatif")
        if code and period:
            if (code, period) in seen and not _NIK.match(code):
                found.append(f"Baris {i}: rumah tangga {code} sudah ada untuk periode {period} (baris "
                             f"{seen[(code, period)]})")
            seen.setdefault((code, period), i)
    return found


FILE_COLUMNS: dict[str, str] = {"kode_rt": "kode_rt", "periode": "period", "period": "period", "status": "status",
                                "pengeluaran": "pengeluaran"}
"""A household file's headers (``periode`` or ``period``) and the columns they fill."""


def read_households(file_name: str, data: bytes) -> pd.DataFrame:
    """Household records from a CSV or XLSX with the columns ``kode_rt``, ``periode`` and ``status`` or
    ``pengeluaran`` (both may be there); other columns are ignored. Refused with the file, line and column when a
    required column is missing."""
    raw = read_table(file_name, data, "baris rumah tangga")
    raw.columns = [c.lower() for c in raw.columns]
    missing = [c for c in ("kode_rt", "periode") if c not in raw.columns and not (c == "periode" and "period" in
                                                                                  raw.columns)]
    if not {"status", "pengeluaran"} & set(raw.columns):
        missing.append("status atau pengeluaran")
    if missing:
        raise ImportRejected([Problem(file_name, 1, c, "kolom wajib tidak ada") for c in missing])
    out = raw[[c for c in raw.columns if c in FILE_COLUMNS]].rename(columns=FILE_COLUMNS)
    out = out.loc[:, ~out.columns.duplicated()].reindex(columns=COLUMNS)
    out["pengeluaran"] = out["pengeluaran"].map(
        lambda v: v if not isinstance(v, str) else v.strip().replace(".", "").replace(",", ".") or None)
    return out
# pragma: no mutate end


def periods(records: pd.DataFrame) -> list[str]:
    """The periods recorded, oldest first."""
    return sorted({str(p) for p in records["period"].dropna()}, key=period_key)


def counts(records: pd.DataFrame) -> pd.DataFrame:
    """Households per status (columns in path order) and ``total``, one row per period, oldest first."""
    if records.empty:
        return pd.DataFrame(columns=["period", *STATUSES, "total"])
    table = pd.crosstab(records["period"].astype(str), records["status"]).reindex(columns=list(STATUSES),
                                                                                   fill_value=0)
    table = table.reindex(periods(records)).fillna(0).astype(int)
    table["total"] = table.sum(axis=1)
    return table.rename_axis(None, axis=1).reset_index(names="period")


def transitions(records: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    """Households seen in both periods: status in ``start`` (rows) × status in ``end`` (columns), in path
    order, every status present."""
    a = records[records["period"].astype(str) == start].set_index("kode_rt")["status"]
    b = records[records["period"].astype(str) == end].set_index("kode_rt")["status"]
    both = a.index.intersection(b.index)
    grid = pd.crosstab(pd.Categorical(a[both], categories=STATUSES), pd.Categorical(b[both], categories=STATUSES),
                       dropna=False)
    grid.index.name, grid.columns.name = "dari", "ke"
    return grid.reindex(index=list(STATUSES), columns=list(STATUSES), fill_value=0).astype(int)


def movement(records: pd.DataFrame, start: str, end: str) -> dict[str, int]:
    """How households moved from ``start`` to ``end``: ``naik`` (a higher status), ``tetap``, ``turun``;
    ``keluar_miskin`` (poor in ``start``, not poor in ``end``); ``tidak_tercatat`` (in ``start`` only) and
    ``baru`` (in ``end`` only)."""
    grid = transitions(records, start, end).to_numpy()
    rank = np.arange(len(STATUSES))
    up = int(sum(grid[i, j] for i in rank for j in rank if j > i))
    down = int(sum(grid[i, j] for i in rank for j in rank if j < i))
    a = set(records.loc[records["period"].astype(str) == start, "kode_rt"])
    b = set(records.loc[records["period"].astype(str) == end, "kode_rt"])
    return {"naik": up, "tetap": int(np.trace(grid)), "turun": down, "keluar_miskin": int(grid[0, 1:].sum()),
            "tidak_tercatat": len(a - b), "baru": len(b - a)}


def flows(grid: pd.DataFrame, labels: dict[str, str], start: str, end: str) -> dict[str, list]:
    """The transitions as Sankey data (``labels``, ``source``, ``target``, ``value``): the statuses in
    ``start`` on the left, in ``end`` on the right; empty cells left out."""
    names = [f"{labels.get(s, s)} ({start})" for s in STATUSES] + [f"{labels.get(s, s)} ({end})" for s in STATUSES]
    src, tgt, val = [], [], []
    for i, a in enumerate(STATUSES):
        for j, b in enumerate(STATUSES):
            n = int(grid.loc[a, b])
            if n:
                src.append(i)
                tgt.append(len(STATUSES) + j)
                val.append(n)
    return {"labels": names, "source": src, "target": tgt, "value": val}
