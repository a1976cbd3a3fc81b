"""Graduation tracking (issue 18, item 8): households reached by status miskin → rentan → menengah → stabil per
period, with the transitions. The case below is worked by hand; the spending classes are the World Bank's
(2019, "Aspiring Indonesia": poor < 1 × the line, vulnerable 1-1,5, aspiring middle class 1,5-3,5, middle
class and above 3,5)."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from analytics.core import auth
from analytics.core.db import Database
from analytics.monitoring import graduation, leadership
from analytics.monitoring import store as mon_store

S1 = {"H1": "miskin", "H2": "miskin", "H3": "miskin", "H4": "miskin", "H5": "miskin", "H6": "miskin",
      "H7": "rentan", "H8": "rentan", "H9": "rentan", "H10": "menengah"}
Y = {"H1": "miskin", "H2": "rentan", "H3": "rentan", "H4": "menengah", "H5": "miskin", "H7": "rentan",
     "H8": "menengah", "H9": "miskin", "H10": "stabil", "H11": "rentan"}


def records() -> pd.DataFrame:
    rows = [(k, "2025-S1", s, np.nan) for k, s in S1.items()] + [(k, "2025", s, np.nan) for k, s in Y.items()]
    return pd.DataFrame(rows, columns=graduation.COLUMNS)


def test_counts_transitions_and_movement_by_hand() -> None:
    r = records()
    assert graduation.periods(r) == ["2025-S1", "2025"]
    c = graduation.counts(r).set_index("period")
    assert c.loc["2025-S1"].tolist() == [6, 3, 1, 0, 10]
    assert c.loc["2025"].tolist() == [3, 4, 2, 1, 10]
    grid = graduation.transitions(r, "2025-S1", "2025")
    assert grid.to_numpy().tolist() == [[2, 2, 1, 0],   # miskin → miskin H1 H5, rentan H2 H3, menengah H4
                                        [1, 1, 1, 0],   # rentan → miskin H9, rentan H7, menengah H8
                                        [0, 0, 0, 1],   # menengah → stabil H10
                                        [0, 0, 0, 0]]
    assert graduation.movement(r, "2025-S1", "2025") == {"naik": 5, "tetap": 3, "turun": 1, "keluar_miskin": 3,
                                                          "tidak_tercatat": 1, "baru": 1}
    flow = graduation.flows(grid, {"miskin": "Miskin"}, "2025-S1", "2025")
    assert flow["labels"][0] == "Miskin (2025-S1)" and flow["labels"][4] == "Miskin (2025)"
    assert sum(flow["value"]) == 9 and len(flow["value"]) == 7  # the seven non-empty cells


def test_status_follows_spending_against_the_line() -> None:
    line = 500_000
    r = pd.DataFrame({"kode_rt": ["a", "b", "c", "d", "e"], "period": ["2025"] * 5,
                      "status": [None, "", None, None, "stabil"],
                      "pengeluaran": [499_999, 500_000, 1_000_000, 1_750_000, 100]})
    assert graduation.complete(r, line)["status"].tolist() == ["miskin", "rentan", "menengah", "stabil", "stabil"]
    assert graduation.complete(r, None)["status"].fillna("-").tolist() == ["-", "", "-", "-", "stabil"]
    with pytest.raises(ValueError, match="Garis kemiskinan"):
        graduation.status_from_spending(1, 0)


def test_bad_household_tables_say_row_and_column_and_never_echo_a_nik() -> None:
    nik = "3503012345678901"
    bad = pd.DataFrame({"kode_rt": ["RT-1", nik, "", "RT-1", "RT-5"],
                        "period": ["2025", "2025", "2025", "2025", "tahun lalu"],
                        "status": ["miskin", "miskin", None, "kaya", None],
                        "pengeluaran": [None, None, None, None, -5]})
    found = graduation.check(bad)
    text = " | ".join(found)
    assert nik not in text
    assert "Baris 2, kolom kode_rt: berisi 16 angka seperti NIK" in text
    assert "Baris 3, kolom kode_rt: kode rumah tangga kosong" in text
    assert "Baris 3: isi status atau pengeluaran" in text
    assert "Baris 4, kolom status: 'kaya' bukan salah satu dari miskin, rentan, menengah, stabil" in text
    assert "Baris 4: rumah tangga RT-1 sudah ada untuk periode 2025 (baris 1)" in text
    assert "Baris 5, kolom periode: periode 'tahun lalu' tidak dikenal" in text
    assert "Baris 5, kolom pengeluaran: tidak boleh negatif" in text
    assert graduation.check(records()) == []


def _chain(db: Database) -> int:
    rc = mon_store.rc_chains(db)
    return int(rc.loc[rc["model_title"].str.contains("jahe merah"), "id"].iloc[0])


def test_storing_households_replaces_them_and_a_bad_table_leaves_them_untouched(db_copy) -> None:
    db = Database(db_copy)
    cid = _chain(db)
    before = mon_store.households(db, cid)
    assert len(before) == 120  # the demo's 60 households in two periods
    with pytest.raises(auth.PermissionDenied):
        mon_store.save_households(db, "viewer", "v", cid, records(), None)
    blank = records().assign(status=None, pengeluaran=600_000.0)
    with pytest.raises(ValueError, match="garis kemiskinan kabupaten ini belum ada"):
        mon_store.save_households(db, "pemantau", "p", cid, blank, None)
    with pytest.raises(ValueError, match="NIK"):
        mon_store.save_households(db, "pemantau", "p", cid, records().assign(kode_rt="3503012345678901"), None)
    pd.testing.assert_frame_equal(mon_store.households(db, cid), before)
    assert mon_store.save_households(db, "pemantau", "p", cid, blank, 500_000) == 20
    stored = mon_store.households(db, cid)
    assert set(stored["status"]) == {"rentan"} and len(stored) == 20  # 600.000 is 1,2 times the line
    con = duckdb.connect(str(db_copy))
    assert con.execute("SELECT count(*) FROM rc_households WHERE chain_id = ?", [cid]).fetchone()[0] == 20
    con.close()


def test_the_leadership_summary_counts_every_chains_households_apart(db_copy) -> None:
    db = Database(db_copy)
    cid = _chain(db)
    others = mon_store.households(db)
    others = others[others["chain_id"] != cid]
    mon_store.save_households(db, "pemantau", "p", cid, records(), None)
    # the other demo chain's households are counted beside these ten; the same codes in two chains are two
    recs = pd.concat([others, records().assign(chain_id=cid)])
    table, moved, pers = leadership.graduation_summary(recs)
    assert pers == ("2025-S1", "2025")
    other = graduation.movement(others, "2025-S1", "2025")
    assert moved == {k: v + {"naik": 5, "tetap": 3, "turun": 1, "keluar_miskin": 3, "tidak_tercatat": 1,
                              "baru": 1}[k] for k, v in other.items()}
    s = leadership.summary(db, "35")
    assert s.moved == moved
    assert int(s.graduation.set_index("period").loc["2025", "total"]) == 10 + int((others["period"] == "2025").sum())
