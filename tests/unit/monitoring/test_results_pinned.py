"""Results chain: targets from a hand-worked business model and progress, pinned whole (issue 13).

The model is the one of ``tests/unit/business/test_calc_pinned.py``: a POKMAS of 10 households selling
1,000 kg before and 1,200 kg after, reaching 10, 30 and 50 households in three years, each gaining
Rp 220,000 a year; the local partner buys 1,000 kg from the POKMAS before and 1,200 kg after.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from analytics.business import calc
from analytics.monitoring import results
from tests.unit.business.test_calc_pinned import LOCAL, _tables

NAME = "Pokmas Sumber Rejeki (Dusun Krajan)"  # brackets: matched as text, not as a pattern
S1 = "Skema hubungan bisnis yang berkelanjutan antara POKMAS, BUMDes/koperasi dan off-taker"
A1 = "POKMAS dan masyarakat miskin lainnya menjual lebih banyak dengan harga lebih baik"
P1 = "Pendapatan rumah tangga miskin sasaran meningkat"


def _model() -> tuple[dict, calc.Evaluation]:
    t = _tables()
    t["actors"] = t["actors"].assign(nama=[NAME, "BUMDes Maju", "PT Kopi"])
    local = LOCAL.assign(uraian=["Jual", f"Pembelian dari {NAME.upper()}", "Jual", f"Pembelian dari {NAME}",
                                 "Gudang"], peran="mitra_lokal")
    # a purchase from someone else is not the POKMAS's sale
    other = pd.DataFrame([("sesudah", "biaya_variabel", "Pembelian dari petani lain", 500, "kg", 12_000)],
                         columns=calc.LINE_COLUMNS).assign(peran="mitra_lokal")
    t["lines"] = pd.concat([t["lines"][t["lines"]["peran"] != "mitra_lokal"], local, other], ignore_index=True)
    return t, calc.evaluate(t, 0.10)


def test_starting_tables_from_a_model_and_its_root_causes() -> None:
    t, ev = _model()
    problems = pd.DataFrame({"akar": [True, False, True, None, True],
                             "intervensi": ["Pelatihan petik merah", "Bukan akar", None, "Tanpa tanda",
                                            "Kontrak beli"]})
    boxes, inds, targets = results.starting_tables(t, ev, problems, 2026)
    # each box also on the Juknis's level of change: activities, partners' outcome, POKMAS outcome, poverty impact
    assert_frame_equal(boxes, pd.DataFrame([("I1", 1, "Pelatihan petik merah", "S1", "kegiatan"),
                                            ("I2", 1, "Kontrak beli", "S1", "kegiatan"),
                                            ("S1", 2, S1, "A1", "hasil_mitra"), ("A1", 3, A1, "P1", "hasil_pokmas"),
                                            ("P1", 4, P1, None, "dampak_kemiskinan")], columns=results.BOX_COLUMNS))
    expected = pd.DataFrame([
        ("K1", "S1", "Volume pembelian mitra lokal dari POKMAS", "kinerja_usaha", "bumdes_koperasi", "kg", 1_000.0,
         1_200.0, "Catatan pembelian BUMDes/koperasi", "Pencatatan", "SPPH-APP kabupaten", "triwulan", False, None),
        ("K2", "A1", "Rumah tangga terjangkau (kumulatif)", "tenaga_kerja", "pokmas", "rumah tangga", 0.0, 50.0,
         "Daftar anggota POKMAS", "Pencatatan", "Pendamping kelompok", "semester", True, "rt_terjangkau"),
        ("K3", "A1", "Volume penjualan POKMAS", "kinerja_usaha", "pokmas", "kg", 1_000.0, 6_000.0,
         "Catatan penjualan POKMAS", "Pencatatan", "Pendamping kelompok", "triwulan", False, None),
        ("K4", "P1", "Tambahan pendapatan bersih rumah tangga per tahun", "pendapatan_konsumsi", "pokmas", "Rp", 0.0,
         220_000.0, "Survei rumah tangga sasaran", "Survei", "SPPH-APP kabupaten", "tahunan", True, "pendapatan_rt"),
    ], columns=results.IND_COLUMNS[:14]).assign(
        # the Juknis's monitoring-plan fields: jenis data, ukuran sampel, responden (by data source: POKMAS members
        # are surveyed, the BUMDes/koperasi's managers interviewed) and sumber verifikasi
        jenis_data="kuantitatif", ukuran_sampel=pd.array([None, None, None, 30], dtype="Int64"),
        responden=["Pengurus BUMDes/koperasi", "Anggota POKMAS/petani", "Anggota POKMAS/petani",
                   "Anggota POKMAS/petani"],
        sumber_verifikasi=["Catatan pembelian BUMDes/koperasi", "Daftar anggota POKMAS", "Buku penjualan POKMAS",
                           "Kuesioner survei rumah tangga"])
    assert_frame_equal(inds, expected, check_dtype=False)
    # per year from 2026: households reached 10, 30, 50; POKMAS volume 1,200 × 1, 3, 5; income per household
    assert_frame_equal(targets, pd.DataFrame([
        ("K2", "2026", 10.0), ("K3", "2026", 1_200.0), ("K4", "2026", 220_000.0),
        ("K2", "2027", 30.0), ("K3", "2027", 3_600.0), ("K4", "2027", 220_000.0),
        ("K2", "2028", 50.0), ("K3", "2028", 6_000.0), ("K4", "2028", 220_000.0)], columns=["ind", "period", "value"]))


def test_targets_follow_the_households_that_stay_and_the_gain_they_reach() -> None:
    """Issue 18, item 1, by hand: the same model with the Bappenas/INKLUSI persistence (100% then 70% of a
    year's households in business; 50% then 100% of the gain). New households 10, 20, 20: active 10,
    0.7·10 + 20 = 27, 0.7·10 + 0.7·20 + 20 = 41; earning the full gain 5, 7 + 10 = 17, 7 + 14 + 10 = 31."""
    t, _ = _model()
    t["persistence"] = calc.INKLUSI_PERSISTENCE
    _, inds, targets = results.starting_tables(t, calc.evaluate(t, 0.10), None, 2026)
    got = targets.set_index(["ind", "period"])["value"]
    assert [got[("K2", p)] for p in ("2026", "2027", "2028")] == [10, 30, 50]  # reached at least once
    assert [got[("K3", p)] for p in ("2026", "2027", "2028")] == pytest.approx([600, 2_040, 3_720])  # 1,200 × 5/10…
    # what an active household earns in the year: 220,000 × 5/10, × 17/27, × 31/41
    assert [got[("K4", p)] for p in ("2026", "2027", "2028")] == pytest.approx(
        [110_000, 220_000 * 17 / 27, 220_000 * 31 / 41])
    assert inds.set_index("ind").loc["K4", "target"] == 220_000  # the full gain stays the final target


def test_starting_tables_without_a_model_or_root_causes() -> None:
    boxes, inds, targets = results.starting_tables(None, None, None, 2026)
    assert boxes["box"].tolist() == ["I1", "S1", "A1", "P1"] and boxes["menuju"].tolist()[:3] == ["S1", "A1", "P1"]
    assert pd.isna(boxes.loc[3, "menuju"])
    assert boxes["level"].tolist() == [1, 2, 3, 4]
    assert boxes.loc[0, "teks"] == "Menghubungkan POKMAS dengan mitra lokal dan off-taker yang membeli secara konsisten"
    assert inds["baseline"].tolist()[:2] == [0.0, 0.0] and np.isnan(inds.loc[2, "baseline"])
    assert inds["target"].isna().all()
    assert targets.empty and targets.columns.tolist() == ["ind", "period", "value"]
    # an evaluation without the model's tables sets no targets
    assert results.starting_tables(None, _model()[1], None, 2026)[2].empty
    # root causes without an intervention keep the default box
    none = pd.DataFrame({"akar": [True], "intervensi": [None]})
    assert results.starting_tables(None, None, none, 2026)[0]["box"].tolist() == ["I1", "S1", "A1", "P1"]


def test_progress_by_hand() -> None:
    inds = pd.DataFrame({"ind": ["K2"], "nama": ["Rumah tangga terjangkau"], "satuan": ["rumah tangga"]})
    v = pd.DataFrame([
        ("K2", "2025-S1", "target", "total", 20), ("K2", "2025-S1", "realisasi", "total", 15),
        ("K2", "2025-S1", "realisasi", "perempuan", 9), ("K2", "2025-S1", "realisasi", "laki_laki", 6),
        ("K2", "2025-S1", "realisasi", "disabilitas", 1),
        ("K2", "2025", "target", "total", 50), ("K2", "2025", "realisasi", "total", 35),
        ("K2", "2025", "realisasi", "total", 40),               # corrected later: the last entry counts
        ("K2", "2027", "realisasi", "total", 70), ("K2", "2026", "target", "total", 80),
        ("K9", "2025", "target", "total", 0), ("K9", "2025", "realisasi", "total", 5),
    ], columns=["ind", "period", "jenis", "pilah", "value"])
    nan = np.nan
    # achievement = realisation ÷ target; change from the previous realisation (2026 has none: 2027 − 40)
    expected = pd.DataFrame({
        "ind": ["K2", "K2", "K2", "K2", "K9"], "nama": ["Rumah tangga terjangkau"] * 4 + ["K9"],
        "satuan": ["rumah tangga"] * 4 + [""], "period": ["2025-S1", "2025", "2026", "2027", "2025"],
        "target": [20, 50, 80, nan, 0], "realisasi": [15, 40, nan, 70, 5], "capaian": [0.75, 0.8, nan, nan, nan],
        "perubahan": [nan, 25, nan, 30, nan], "perempuan": [9, nan, nan, nan, nan],
        "laki_laki": [6, nan, nan, nan, nan], "disabilitas": [1, nan, nan, nan, nan]})
    assert_frame_equal(results.progress(inds, v), expected, check_dtype=False)
    assert results.progress(inds, v.iloc[:0]).columns.tolist() == list(expected.columns)


def test_period_order() -> None:
    # a half year ends in month 6 or 12, a quarter in 3, 6, 9 or 12, a bare year in 12; ties keep their order
    periods = ["2025", "2025-12", "2025-07", "2025-S2", "2025-TW3", "2025-S1", "2025-TW2", "2025-TW1", "2024"]
    assert sorted(periods, key=results.period_key) == [
        "2024", "2025-TW1", "2025-S1", "2025-TW2", "2025-07", "2025-TW3", "2025", "2025-12", "2025-S2"]


def test_a_realisation_before_the_chain_starts_is_refused_by_hand() -> None:
    """Issue 17: the first target's year is the start; a period in an earlier year is refused, word for word;
    a period in that year or later, an unreadable period (its own check says why) or no target yet is not."""
    from analytics.monitoring import results as r

    said = "periode 2026-TW4 sebelum rantai hasil dimulai (2027): kondisi sebelum program dicatat sebagai baseline"
    assert r.before_start("2026-TW4", ["2028", "2027", "2029"]) == said  # the first target, not the first listed
    assert r.before_start("2026", ["2027-S1"]) == said.replace("2026-TW4", "2026").replace("(2027)", "(2027-S1)")
    assert r.before_start("2027-01", ["2027", "2028"]) is None  # the start year itself, its first month
    assert r.before_start("2027-S2", ["2027"]) is None and r.before_start("2031", ["2027"]) is None
    assert r.before_start("2020", []) is None  # no target yet: nothing to compare with
    # the first target by time, not by spelling: "2027-06" ends in June, before "2027" (the whole year)
    assert r.before_start("2026", ["2027", "2027-06"]).endswith("dimulai (2027-06): kondisi sebelum program "
                                                                "dicatat sebagai baseline")
    assert r.before_start("Mei 2020", ["2027"]) is None  # the period's own check refuses it
