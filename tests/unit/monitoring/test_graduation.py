"""Graduation tracking (issue 18, item 8): households reached by status miskin → rentan → menengah → stabil per
period, with the transitions. The case below is worked by hand; the spending classes are the World Bank's
(2019, "Aspiring Indonesia": poor < 1 × the line, vulnerable 1-1,5, aspiring middle class 1,5-3,5, middle
class and above 3,5)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.core import auth
from analytics.core.db import Database
from analytics.monitoring import graduation, leadership
from analytics.monitoring import store as mon_store
from tests import plain
from tests.unit.monitoring.demo_records import jahe_merah_chain

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


def test_storing_households_replaces_them_and_a_bad_table_leaves_them_untouched(db_copy) -> None:
    db = Database(db_copy)
    cid = jahe_merah_chain(db)
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
    con = plain.connect(db_copy)
    assert con.execute("SELECT count(*) FROM rc_households WHERE chain_id = ?", [cid]).fetchone()[0] == 20
    con.close()


def test_the_leadership_summary_counts_every_chains_households_apart(db_copy) -> None:
    db = Database(db_copy)
    cid = jahe_merah_chain(db)
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


def _xlsx(frame: pd.DataFrame) -> bytes:
    import io

    buf = io.BytesIO()
    frame.to_excel(buf, index=False)
    return buf.getvalue()


def test_a_household_file_is_added_all_or_nothing_with_file_line_and_column(db_copy) -> None:
    from analytics.core.problems import ImportRejected

    db = Database(db_copy)
    cid = jahe_merah_chain(db)
    before = mon_store.households(db, cid)
    nik = "3503012345678901"
    bad = ("kode_rt;periode;status;pengeluaran\nRT-001;2026;miskin;\n" + f"{nik};2026;miskin;\n"
           "RT-003;tahun depan;;\nRT-004;2026;kaya;\n").encode()
    with pytest.raises(ImportRejected) as exc:
        mon_store.import_households(db, "pemantau", "p", cid, "status.csv", bad, 500_000)
    said = [p.text() for p in exc.value.problems]
    assert nik not in " ".join(said)
    assert "Berkas 'status.csv': Baris 3, kolom kode_rt: berisi 16 angka seperti NIK; pakai kode program " \
           "(misalnya RT-001), NIK tidak disimpan." in said
    assert any(s.startswith("Berkas 'status.csv': Baris 4, kolom periode: periode 'tahun depan' tidak dikenal")
               for s in said)
    assert "Berkas 'status.csv': Baris 4: isi status atau pengeluaran per kapita (status dihitung dari garis " \
           "kemiskinan)." in said
    assert any(s.startswith("Berkas 'status.csv': Baris 5, kolom status: 'kaya' bukan") for s in said)
    for name, data, expect in (
            ("tanpa.csv", b"kode;periode;status\nRT-1;2026;miskin\n",
             "baris 1, kolom 'kode_rt': kolom wajib tidak ada"),
            ("judul.csv", b"kode_rt;periode\nRT-1;2026\n", "kolom 'status atau pengeluaran': kolom wajib tidak ada"),
            ("kosong.csv", b"kode_rt;periode;status\n", "berkas hanya berisi judul kolom, tanpa baris rumah tangga"),
            ("lama.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "format lama (.xls)"),
            ("rusak.xlsx", b"PK\x03\x04 terpotong", "berkas XLSX rusak")):
        with pytest.raises(ImportRejected) as exc:
            mon_store.import_households(db, "pemantau", "p", cid, name, data, 500_000)
        assert expect in exc.value.problems[0].text(), name
    pd.testing.assert_frame_equal(mon_store.households(db, cid), before)
    # spending written the Indonesian way in an XLSX, a status in a CSV; RT-001 2025 replaced, the rest kept
    good = pd.DataFrame({"kode_rt": ["RT-001", "RT-900"], "Periode": ["2025", "2026"], "status": [None, "stabil"],
                         "pengeluaran": ["1.200.000", None], "catatan": ["ikut pelatihan", ""]})
    assert mon_store.import_households(db, "pemantau", "p", cid, "status.xlsx", _xlsx(good), 500_000) == 2
    after = mon_store.households(db, cid).set_index(["kode_rt", "period"])
    assert len(after) == len(before) + 1
    assert after.loc[("RT-001", "2025"), "status"] == "menengah"          # 1.200.000 is 2,4 times the line
    assert after.loc[("RT-001", "2025"), "pengeluaran"] == 1_200_000
    assert after.loc[("RT-900", "2026"), "status"] == "stabil"
    with pytest.raises(auth.PermissionDenied):
        mon_store.import_households(db, "viewer", "v", cid, "status.xlsx", _xlsx(good), 500_000)
