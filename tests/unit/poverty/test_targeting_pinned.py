"""The APP rule on a register built by hand (issue 13): every count of the desa table, the rankings, the
desa detail, the totals, the chart data and the choice of register, worked out from the rows below.

Urek-Urek (35.07.10.2010) and Ketawang (35.07.10.2011) lie in kecamatan Gondanglegi; Kalipare
(35.07.11.2002) in kecamatan Kalipare. One CSV row is one household.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from analytics.core.db import Database
from analytics.io import pipeline
from analytics.poverty import targeting

X, Y, Z = "35.07.10.2010", "35.07.10.2011", "35.07.11.2002"
ROWS = (
    [(X, 1, "pertanian", "L", "tidak")] * 2
    + [(X, 2, "pertanian", "P", "tidak")] * 3
    + [(X, 2, "jasa dan lainnya", "L", "ya")]           # desil 2, but not a productive sector
    + [(X, 3, "perdagangan", "L", "ya")] * 2
    + [(X, 4, "perikanan", "P", "tidak")]               # productive, but desil 4
    + [(X, 3, "industri pengolahan", "P", "ya")]
    + [(Y, 2, "pertanian", "L", "tidak")] * 5
    + [(Y, 3, "jasa dan lainnya", "P", "tidak")]
    + [(Z, 3, "pertanian", "P", "tidak")] * 4
)


def _csv(rows: list[tuple], first: int = 1) -> bytes:
    lines = ["nik,kode_desa,desil,sektor,jenis_kelamin_kk,disabilitas,jumlah_art"]
    lines += [f"3507010101{first + i:06d},{k},{d},{s},{sex},{dis},4" for i, (k, d, s, sex, dis) in enumerate(rows)]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture()
def db(db_copy: Path) -> Database:
    d = Database(db_copy)
    pipeline.import_register(d, "perencana", "t", "dtks_2025.csv", _csv(ROWS), "DTKS", 2025)
    pipeline.import_register(d, "perencana", "t", "dtks_2023.csv", _csv(ROWS[:3], 500), "DTKS", 2023)
    yield d
    d.close()


def test_desa_table_counts_by_hand(db: Database) -> None:
    t = targeting.desa_table(db, "35.07", 2025, "DTKS")
    expected = pd.DataFrame({
        "kode": [X, Y, Z], "nama": ["Urek-Urek", "Ketawang", "Kalipare"],
        "kecamatan": ["Gondanglegi", "Gondanglegi", "Kalipare"],
        "d1": [2, 0, 0], "d2": [4, 5, 0], "d3": [3, 1, 4], "d4": [1, 0, 0],
        "prod_d2": [3, 5, 0], "prod_d3": [3, 0, 4], "prod_women": [4, 0, 4], "prod_disability": [3, 0, 0],
        # the poor people: persons (4 per household, jumlah_art) of desil 1 and 2: (2 + 4) × 4, 5 × 4, none
        "miskin_jiwa": [24, 20, 0]})
    assert_frame_equal(t.sort_values("kode").reset_index(drop=True), expected, check_dtype=False)
    assert targeting.totals(t) == {"d1": 2, "d2": 9, "d3": 8, "d4": 1, "prod_d2": 8, "prod_d3": 7, "prod_women": 8,
                                   "prod_disability": 3, "miskin_jiwa": 44}
    assert targeting.totals(t.iloc[:0]) == dict.fromkeys(targeting.COUNT_COLUMNS, 0)
    empty = targeting.desa_table(db, "35.07", 2019, "DTKS")
    assert empty.empty and empty.columns.tolist() == expected.columns.tolist()


def test_rankings_desa_and_kecamatan(db: Database) -> None:
    t = targeting.desa_table(db, "35.07", 2025, "DTKS")
    # places by the guideline's location rule: most poor people first (Urek-Urek 24, Ketawang 20, Kalipare 0)
    places = targeting.app_ranking(t)
    assert places[["peringkat", "kode", "miskin_jiwa"]].values.tolist() == [[1, X, 24], [2, Y, 20], [3, Z, 0]]
    r = targeting.app_ranking(t, rule="desil")
    # productive desil 2 first (Ketawang 5, Urek-Urek 3, Kalipare 0), then desil 3
    assert r[["peringkat", "kode", "sasaran"]].values.tolist() == [[1, Y, 5], [2, X, 6], [3, Z, 4]]
    k = targeting.app_ranking(t, "kecamatan", "desil")
    assert k[["peringkat", "kode", "nama", "kecamatan", "prod_d2", "prod_d3", "sasaran"]].values.tolist() == [
        [1, "35.07.10", "Gondanglegi", "Gondanglegi", 8, 3, 11], [2, "35.07.11", "Kalipare", "Kalipare", 0, 4, 4]]
    assert k["d1"].tolist() == [2, 0] and k["prod_women"].tolist() == [4, 4]
    # the chart shows the top rows' productive desil 2 and 3; hidden cells are never drawn
    c = targeting.chart_frame(r, n=2)
    assert c.values.tolist() == [["Ketawang", "prod_d2", 5], ["Urek-Urek", "prod_d2", 3],
                                 ["Ketawang", "prod_d3", 0], ["Urek-Urek", "prod_d3", 3]]
    shown, n = targeting.protect(r, "viewer", 10)
    cells = list(targeting.COUNT_COLUMNS) + ["sasaran"]
    # every household count is below 10: all 17 hidden; the poor people (24, 20) are not small, and no line
    # needs them hidden (their column has no hidden cell)
    assert (shown[cells][r[cells] > 0] == "•").sum().sum() == 17
    assert shown["miskin_jiwa"].tolist() == ["20", "24", "0"]
    assert n == int((shown[cells] == "•").sum().sum()) == 22      # and 5 zeros with them as complements
    assert targeting.chart_frame(shown).values.tolist() == [["Kalipare", "prod_d2", 0.0]]  # a visible zero only
    partly = shown.assign(prod_d2=["5", "•", "0"])
    assert targeting.chart_frame(partly).values.tolist() == [["Ketawang", "prod_d2", 5.0],
                                                             ["Kalipare", "prod_d2", 0.0]]


def test_desa_detail_by_hand(db: Database) -> None:
    d = targeting.desa_detail(db, X, 2025, "DTKS")
    expected = pd.DataFrame({
        "sektor": ["industri pengolahan", "jasa dan lainnya", "perdagangan", "perikanan", "pertanian", "Jumlah"],
        "produktif": [True, False, True, True, True, None],
        "desil_1": [0, 0, 0, 0, 2, 2], "desil_2": [0, 1, 0, 0, 3, 4], "desil_3": [1, 0, 2, 0, 0, 3],
        "desil_4": [0, 0, 0, 1, 0, 1], "kepala_perempuan": [1, 0, 0, 1, 3, 5], "disabilitas": [1, 1, 2, 0, 0, 4],
        "jumlah": [1, 1, 2, 1, 5, 10]})
    assert_frame_equal(d, expected, check_dtype=False)
    assert targeting.desa_detail(db, X, 2019, "DTKS").empty


def test_real_and_newest_register_first(db: Database) -> None:
    assert targeting.preferred_register(db, "35") == ("DTKS", 2025, False)
    regs = targeting.register_sources(db, "35")
    assert {("DTKS", 2025), ("DTKS", 2023)} <= set(zip(regs["source"], regs["period"], strict=True))
    assert targeting.preferred_register(db, "11") is None
    assert targeting.register_sources(db, "11").empty  # Aceh's own registers: none (Jawa Timur's are not Aceh's)


def test_suppression_masks_by_hand() -> None:
    # row 0 hides 3 (small); its row needs a second hidden cell: the smallest other non-zero (20), not
    # the zero and not the first non-zero (25); then columns 0 and 3 each need a partner in row 1 (40 and 70)
    m = targeting.suppress(np.array([[3, 0, 25, 20], [40, 50, 60, 70]]), 10)
    assert m.astype(int).tolist() == [[1, 0, 0, 1], [1, 0, 0, 1]]
    # a one-cell "line" is not a published sum of several cells: ignored
    assert targeting.suppress(np.array([[3, 20]]), 10, [np.array([0]), np.array([0, 1])]).tolist() == [[True, True]]
    # exactly at the threshold: shown; min_cell from the settings when not given (10)
    assert not targeting.suppress(np.array([[10, 11], [12, 13]]), 10).any()


def test_protection_uses_the_setting_and_the_given_threshold(db: Database) -> None:
    r = targeting.app_ranking(targeting.desa_table(db, "35.07", 2025, "DTKS"))
    default, n_default = targeting.protect(r, "viewer")
    assert_frame_equal(default, targeting.protect(r, "viewer", 10)[0]) and n_default == 22
    low, n_low = targeting.protect(r, "viewer", 4)  # only 1-3 are small now
    cells = list(targeting.COUNT_COLUMNS) + ["sasaran"]
    truth = r[cells].to_numpy()
    assert (low[cells].to_numpy()[(truth > 0) & (truth < 4)] == "•").all() and n_low < n_default
    d = targeting.desa_detail(db, X, 2025, "DTKS")
    shown, n = targeting.protect_detail(d, "viewer")
    body = shown.iloc[:-1]
    cols = ["desil_1", "desil_2", "desil_3", "desil_4", "kepala_perempuan", "disabilitas", "jumlah"]
    # every count of this desa is below 10: each non-zero cell is hidden, in every row (the last one too)
    truth = d.iloc[:-1][cols].to_numpy()
    assert (body[cols].to_numpy()[truth > 0] == "•").all() and n == int((body[cols] == "•").sum().sum())
    assert shown.iloc[-1][cols].tolist() == [2, 4, 3, 1, 5, 4, 10]  # the total row stays
    assert targeting.protect_detail(d, "viewer", 2)[1] < n  # only the 1s are small at 2


def test_chart_frame_columns_and_length() -> None:
    many = pd.DataFrame({"nama": [f"D{i}" for i in range(20)], "prod_d2": [str(i) for i in range(20)],
                         "prod_d3": ["•"] * 20})
    c = targeting.chart_frame(many)
    assert c.columns.tolist() == ["nama", "kelompok", "rumah_tangga"] and len(c) == 15  # the top 15, no "•"
    assert c["kelompok"].unique().tolist() == ["prod_d2"] and c["rumah_tangga"].tolist() == list(range(15))


def test_a_register_without_some_desil_and_the_column_types(db: Database) -> None:
    t = targeting.desa_table(db, "35.07", 2023, "DTKS")  # the 2023 rows: desil 1 and 2 only, all in Urek-Urek
    assert t[["kode", "d1", "d2", "d3", "d4", "prod_d2", "prod_d3"]].values.tolist() == [[X, 2, 1, 0, 0, 1, 0]]
    assert all(t[c].dtype.kind == "i" for c in targeting.COUNT_COLUMNS)
    d = targeting.desa_detail(db, X, 2023, "DTKS")
    assert d.columns.tolist() == ["sektor", "produktif", "desil_1", "desil_2", "kepala_perempuan", "disabilitas",
                                  "jumlah"]
    assert all(d[c].dtype.kind == "i" for c in d.columns[2:])


def test_ranking_columns_and_the_code_as_last_tie_break() -> None:
    tie = pd.DataFrame({"kode": ["35.07.10.2002", "35.07.10.2001", "35.07.10.2003"], "nama": ["B", "A", "C"],
                        "kecamatan": ["K"] * 3, "d1": [0] * 3, "d2": [0] * 3, "d3": [0] * 3, "d4": [0] * 3,
                        "prod_d2": [4, 4, 4], "prod_d3": [2, 2, 1], "prod_women": [0] * 3, "prod_disability": [0] * 3,
                        "miskin_jiwa": [7] * 3})
    r = targeting.app_ranking(tie)
    assert r["kode"].tolist() == ["35.07.10.2001", "35.07.10.2002", "35.07.10.2003"]  # equal counts: by code
    assert r.columns.tolist() == ["peringkat", "kode", "nama", "kecamatan", *targeting.COUNT_COLUMNS, "sasaran"]
    assert r.index.tolist() == [0, 1, 2]


def test_productive_sectors_by_an_editable_mapping(db: Database) -> None:
    """Issue 18, item 2: sectors are productive by an explicit mapping (the Juknis APP list and the labels
    registers write it with), not by keyword. Hortikultura and usaha kecil count; "non pertanian" and
    "bukan pertanian" (which contain "pertanian") do not; a numeric code is unknown: flagged in the preview
    and not counted until the planner sets it, for every register."""
    from analytics.core.auth import PermissionDenied
    from analytics.io import context, read, registers
    from analytics.poverty import store as poverty_store

    labels = ["hortikultura", "usaha kecil", "non pertanian", "bukan pertanian", "12"]
    data = _csv([(Z, 2, s, "L", "tidak") for s in labels], first=900)
    pv = registers.preview("sektor.csv", read.read_cells("sektor.csv", data), context.resolver(db),
                           sectors=targeting.sector_mapping(db))
    warned = [p.message for p in pv.problems if p.severity == "warning" and "sektor" in p.message]
    assert warned == ["1 label sektor belum dikenal ('12'): dihitung tidak produktif sampai ditetapkan di tabel "
                      "sektor di bawah"]
    table = registers.sector_table(pv.households, targeting.sector_mapping(db))
    assert table[["label_sektor", "dikenal", "produktif"]].values.tolist()[0] == ["12", False, False]  # unknown first
    assert dict(zip(table["label_sektor"], table["produktif"], strict=True)) == {
        "12": False, "hortikultura": True, "usaha kecil": True, "non pertanian": False, "bukan pertanian": False}
    pipeline.import_register(db, "perencana", "t", "sektor.csv", data, "P3KE", 2025)
    kalipare = targeting.desa_table(db, "35.07", 2025, "P3KE").set_index("kode").loc[Z]
    assert (kalipare["d2"], kalipare["prod_d2"]) == (5, 2)  # hortikultura and usaha kecil
    before = db.table_checksums()
    with pytest.raises(PermissionDenied):
        poverty_store.set_sectors(db, "viewer", "v", {"12": True})
    assert db.table_checksums() == before
    # the planner says code 12 is productive (and "non pertanian" stays not): counted from now on
    assert poverty_store.set_sectors(db, "perencana", "t", targeting.sector_settings(
        table.assign(produktif=table["label_sektor"].isin(["12", "hortikultura", "usaha kecil"])))) == 5
    assert targeting.desa_table(db, "35.07", 2025, "P3KE").set_index("kode").loc[Z, "prod_d2"] == 3
    assert targeting.is_productive("12", targeting.sector_mapping(db))
    assert not targeting.is_productive("Non  Pertanian", targeting.sector_mapping(db))
