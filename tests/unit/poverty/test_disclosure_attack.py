"""Disclosure control checked by an independent attacker (issue 13).

The attacker sees only what a restricted role sees (the protected tables: numbers and ``•``) and
every sum that is published anywhere: the kabupaten totals of each column, the kecamatan subtotals (also
for a kecamatan of two desa), sasaran = productive desil 2 + desil 3 on each row, and the desa detail's
column totals and row sums. It writes them as linear equations in the hidden cells (a ``•`` cell is any
count ≥ 0: small and complementary cells carry the same mark) and asks a linear-programming solver
(scipy's HiGHS, not the suppression code) for the smallest and largest value each hidden cell can take. A
cell is recoverable when the two agree. None may be. (Before issue 13 small cells were shown as "<10":
this attacker then pinned two hidden 9s from a column total of 18, so both marks became one.)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from analytics.core import store as core_store
from analytics.core.db import Database
from analytics.poverty import targeting

MIN = 10
CELLS = [*targeting.COUNT_COLUMNS, "sasaran"]


def _unknowns(shown: np.ndarray) -> tuple[list[tuple[int, int]], list[tuple[float, float | None]]]:
    """The hidden cells and the range the reader knows for each."""
    cells, bounds = [], []
    for i, j in np.ndindex(shown.shape):  # every cell, row-major
        if shown[i, j] == targeting.HIDDEN:
            cells.append((i, j))
            bounds.append((0, None))
    return cells, bounds


def attack(shown: np.ndarray, equations: list[tuple[list[tuple[int, int, float]], float]]) -> dict:
    """Range of every hidden cell of ``shown`` (text: a number or '•') under ``equations``:
    each a list of (row, column, coefficient) with the published right-hand side."""
    cells, bounds = _unknowns(shown)
    index = {c: k for k, c in enumerate(cells)}
    a_eq, b_eq = [], []
    for terms, rhs in equations:
        row = np.zeros(len(cells))
        known = 0.0
        for i, j, coef in terms:
            if (i, j) in index:
                row[index[(i, j)]] += coef
            else:
                known += coef * float(shown[i, j])
        if row.any():
            a_eq.append(row)
            b_eq.append(rhs - known)
        else:
            assert known == pytest.approx(rhs), "a published sum disagrees with the visible cells"
    ranges = {}
    for k, cell in enumerate(cells):
        c = np.zeros(len(cells))
        c[k] = 1.0
        lo = linprog(c, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds, method="highs")
        hi = linprog(-c, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds, method="highs")
        assert lo.status == 0 and hi.status in (0, 3), (cell, lo.message, hi.message)  # 3: unbounded above
        ranges[cell] = (lo.fun, None if hi.status == 3 else -hi.fun)
    return ranges


def recoverable(ranges: dict) -> list:
    return [cell for cell, (lo, hi) in ranges.items() if hi is not None and hi - lo < 0.5]


def ranking_equations(ranked: pd.DataFrame) -> list:
    """Every sum published about a ranking table, with its true value."""
    values = ranked[CELLS].to_numpy(dtype=float)
    n = len(ranked)
    eqs = [([(i, j, 1.0) for i in range(n)], values[:, j].sum()) for j in range(len(CELLS))]  # totals
    for _, rows in ranked.groupby(ranked["kode"].str[:8]).groups.items():  # kecamatan subtotals
        rows = [ranked.index.get_loc(r) for r in rows]
        eqs += [([(i, j, 1.0) for i in rows], values[rows, j].sum()) for j in range(len(CELLS))]
    d2, d3, sas = CELLS.index("prod_d2"), CELLS.index("prod_d3"), CELLS.index("sasaran")
    eqs += [([(i, d2, 1.0), (i, d3, 1.0), (i, sas, -1.0)], 0.0) for i in range(n)]
    return eqs


def _table(rows: list[tuple]) -> pd.DataFrame:
    cols = ["kode", "nama", "kecamatan", *targeting.COUNT_COLUMNS]
    return pd.DataFrame(rows, columns=cols[:len(rows[0])]).reindex(columns=cols, fill_value=0)


# A kabupaten with a kecamatan of two desa (01), one of three (02) and one of one (03); small cells in
# several columns, a cell exactly at the threshold (10) and zeros.
HOSTILE = _table([
    ("35.99.01.2001", "A", "K1", 40, 25, 3, 12, 22, 3, 10, 0),
    ("35.99.01.2002", "B", "K1", 35, 30, 18, 11, 28, 15, 14, 2),
    ("35.99.02.2001", "C", "K2", 50, 10, 20, 30, 10, 17, 12, 0),
    ("35.99.02.2002", "D", "K2", 44, 41, 5, 25, 40, 5, 30, 1),
    ("35.99.02.2003", "E", "K2", 60, 33, 21, 19, 30, 20, 25, 0),
    ("35.99.03.2001", "F", "K3", 70, 52, 27, 40, 50, 26, 45, 12),
])


def test_hostile_table_nothing_recoverable_and_the_threshold_shown() -> None:
    ranked = targeting.app_ranking(HOSTILE)
    shown, n_hidden = targeting.protect(ranked, "viewer", MIN)
    grid = shown[CELLS].to_numpy(dtype=object).astype(str)
    ranges = attack(grid, ranking_equations(ranked))
    assert recoverable(ranges) == []
    assert n_hidden == len(ranges) > 0
    # every count from 1 to 9 is hidden; a count of exactly 10 stays visible unless it is a complement
    truth = ranked[CELLS].to_numpy()
    assert (grid[(truth > 0) & (truth < MIN)] == "•").all()
    c = ranked.set_index("kode")
    assert shown.set_index("kode").loc["35.99.02.2001", "d2"] == "10" == str(c.loc["35.99.02.2001", "d2"])
    assert shown.set_index("kode").loc["35.99.01.2001", "prod_women"] == "10"
    # the true value always lies in the attacker's range (the equations are right)
    for (i, j), (lo, hi) in ranges.items():
        assert lo - 1e-6 <= truth[i, j] <= (np.inf if hi is None else hi + 1e-6)


def test_kecamatan_of_two_desa_hides_both() -> None:
    two = _table([("35.99.01.2001", "A", "K1", 40, 25, 30, 12, 22, 3, 11, 11),
                  ("35.99.01.2002", "B", "K1", 35, 30, 18, 11, 28, 15, 14, 12),
                  ("35.99.02.2001", "C", "K2", 50, 10, 20, 30, 10, 17, 12, 13)])
    ranked = targeting.app_ranking(two)
    shown, _ = targeting.protect(ranked, "viewer", MIN)
    by = shown.set_index("kode")
    # prod_d3 = 3 in desa A: its kecamatan partner B, its row (prod_d2 or sasaran) and the column follow
    assert by.loc["35.99.01.2001", "prod_d3"] == "•" and by.loc["35.99.01.2002", "prod_d3"] == "•"
    ranges = attack(shown[CELLS].to_numpy(dtype=object).astype(str), ranking_equations(ranked))
    assert recoverable(ranges) == []


def test_demo_kabupaten_desa_and_kecamatan_views(ro_db: Database) -> None:
    table = targeting.desa_table(ro_db, "35.07", 2024, core_store.SYNTHETIC_SOURCE)
    for level in ("desa", "kecamatan"):
        ranked = targeting.app_ranking(table, level)
        shown, n_hidden = targeting.protect(ranked, "viewer", MIN)
        ranges = attack(shown[CELLS].to_numpy(dtype=object).astype(str), ranking_equations(ranked))
        assert recoverable(ranges) == [], level
        assert n_hidden > 0 if level == "desa" else n_hidden == 0  # kecamatan sums are all 10 or more


def test_desa_detail_rows_and_totals(ro_db: Database) -> None:
    table = targeting.app_ranking(targeting.desa_table(ro_db, "35.07", 2024, core_store.SYNTHETIC_SOURCE))
    checked = 0
    for kode in table["kode"].head(40):
        detail = targeting.desa_detail(ro_db, kode, 2024, core_store.SYNTHETIC_SOURCE)
        shown, n_hidden = targeting.protect_detail(detail, "viewer", MIN)
        if not n_hidden:
            continue
        cols = [c for c in detail.columns if c not in ("sektor", "produktif")]
        body = shown.iloc[:-1][cols].to_numpy(dtype=object).astype(str)
        truth = detail.iloc[:-1][cols].to_numpy(dtype=float)
        n, m = truth.shape
        desil = [j for j, c in enumerate(cols) if c.startswith("desil_")]
        eqs = [([(i, j, 1.0) for i in range(n)], truth[:, j].sum()) for j in range(m)]  # the total row
        eqs += [([(i, j, 1.0) for j in desil] + [(i, cols.index("jumlah"), -1.0)], 0.0) for i in range(n)]
        assert recoverable(attack(body, eqs)) == [], kode
        assert shown.iloc[-1][cols].tolist() == detail.iloc[-1][cols].tolist()  # the total row is published
        checked += 1
    assert checked >= 5
