"""One small model A worked out by hand, every output of the business calculation pinned whole (issue 13).

The model: a POKMAS of 10 households sells 1,000 kg at Rp 10,000 today (inputs Rp 4,000/kg, tools Rp 1 jt a
year) and 1,200 kg at Rp 12,000 with the model (inputs Rp 5,000/kg, tools Rp 1,2 jt); the local partner
buys and resells (Rp 10,000 → 11,000 today, 12,000 → 13,500 after, plus Rp 300,000 a year of fixed
costs); the private partner likewise (11,000 → 12,000 today, 13,500 → 15,000 after, Rp 600,000 fixed).
Every expected number below is worked out in the comments, not taken from the code.
"""

from __future__ import annotations

import numpy as np
import numpy_financial as npf
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from analytics.business import calc

COLS = calc.LINE_COLUMNS


def _lines(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLS)


POKMAS = _lines([
    ("sebelum", "pendapatan", "Jual", 1_000, "kg", 10_000),
    ("sebelum", "biaya_variabel", "Input", 1_000, "kg", 4_000),
    ("sebelum", "biaya_tetap", "Alat", 1, "tahun", 1_000_000),
    ("sesudah", "pendapatan", "Jual", 1_200, "kg", 12_000),
    ("sesudah", "biaya_variabel", "Input", 1_200, "kg", 5_000),
    ("sesudah", "biaya_tetap", "Alat", 1, "tahun", 1_200_000),
])
LOCAL = _lines([
    ("sebelum", "pendapatan", "Jual", 1_000, "kg", 11_000),
    ("sebelum", "biaya_variabel", "Beli", 1_000, "kg", 10_000),
    ("sesudah", "pendapatan", "Jual", 1_200, "kg", 13_500),
    ("sesudah", "biaya_variabel", "Beli", 1_200, "kg", 12_000),
    ("sesudah", "biaya_tetap", "Gudang", 1, "tahun", 300_000),
])
PRIVATE = _lines([
    ("sebelum", "pendapatan", "Jual", 1_000, "kg", 12_000),
    ("sebelum", "biaya_variabel", "Beli", 1_000, "kg", 11_000),
    ("sesudah", "pendapatan", "Jual", 1_200, "kg", 15_000),
    ("sesudah", "biaya_variabel", "Beli", 1_200, "kg", 13_500),
    ("sesudah", "biaya_tetap", "Sertifikasi", 1, "tahun", 600_000),
])
BUDGET = pd.DataFrame({"tahun": [0, 0, 1, 5], "sumber": ["APBD", "Mitra swasta", "APBDes", "Swadaya masyarakat"],
                       "uraian": ["a", "b", "c", "d"], "nilai": [10_000_000, 4_000_000, 1_000_000, 1_000_000]})


def _tables() -> dict[str, pd.DataFrame]:
    return {"actors": pd.DataFrame({"peran": ["pokmas", "mitra_lokal", "mitra_swasta"], "nama": ["P", "L", "S"],
                                    "rumah_tangga": [10.0, np.nan, 2.0], "chain_actor": None, "wilayah": None,
                                    "catatan": None}),
            "lines": pd.concat([POKMAS.assign(peran="pokmas"), LOCAL.assign(peran="mitra_lokal"),
                                PRIVATE.assign(peran="mitra_swasta")], ignore_index=True),
            "outreach": pd.DataFrame({"tahun": [3, 1, 2], "rt_baru": [20, 10, 20]}),  # stored out of order
            "budget": BUDGET}


def test_calculate_both_scenarios_and_break_even() -> None:
    # before: revenue 10 jt, variable 4 jt, fixed 1 jt; contribution 10,000 − 4,000 = 6,000 a kg
    assert calc.calculate(POKMAS, "sebelum") == calc.Result(10_000_000, 4_000_000, 1_000_000, 6_000_000, 5_000_000,
                                                            1_000, pytest.approx(1_000_000 / 6_000), 5_000)
    # after: 14.4 jt − 6 jt − 1.2 jt; break-even 1.2 jt / 7,000 kg; price (1.2 + 6) jt / 1,200 kg
    assert calc.calculate(POKMAS, "sesudah") == calc.Result(14_400_000, 6_000_000, 1_200_000, 8_400_000, 7_200_000,
                                                            1_200, pytest.approx(1_200_000 / 7_000), 6_000)


def test_break_even_without_sales_or_without_contribution() -> None:
    only_costs = _lines([("sesudah", "biaya_tetap", "Alat", 1, "tahun", 500_000)])
    assert calc.calculate(only_costs, "sesudah") == calc.Result(0, 0, 500_000, 0, -500_000, 0, None, None)
    # price equals the variable cost per unit: no volume ever breaks even; price = (1,000 + 500,000) / 100
    flat = _lines([("sesudah", "pendapatan", "Jual", 100, "kg", 5_000),
                   ("sesudah", "biaya_variabel", "Beli", 100, "kg", 5_000),
                   ("sesudah", "biaya_tetap", "Alat", 1, "tahun", 1_000)])
    r = calc.calculate(flat, "sesudah")
    assert r.break_even_volume is None and r.break_even_price == 5_010
    assert calc.calculate(flat, "sebelum") == calc.Result(0, 0, 0, 0, 0, 0, None, None)


def test_before_after_per_household() -> None:
    expected = pd.DataFrame({
        "ukuran": ["revenue", "variable_costs", "fixed_costs", "gross_margin", "net_profit"],
        "sebelum": [10_000_000, 4_000_000, 1_000_000, 6_000_000, 5_000_000],
        "sesudah": [14_400_000, 6_000_000, 1_200_000, 8_400_000, 7_200_000],
        "tambahan": [4_400_000, 2_000_000, 200_000, 2_400_000, 2_200_000],
        "tambahan_per_rt": [440_000, 200_000, 20_000, 240_000, 220_000]})
    assert_frame_equal(calc.before_after(POKMAS, 10), expected, check_dtype=False)
    assert calc.before_after(POKMAS, 0)["tambahan_per_rt"].isna().all()


def test_whatif_moves_only_what_it_names() -> None:
    # price +10%: the after-revenue line only (12,000 → 13,200)
    exp = POKMAS.astype({"volume": float, "harga": float})
    got = calc.whatif(POKMAS, price=0.10)
    assert got["harga"].tolist() == pytest.approx([10_000, 4_000, 1_000_000, 13_200, 5_000, 1_200_000])
    assert got["volume"].tolist() == exp["volume"].tolist()
    # volume +50%: revenue and variable-cost volumes of the after scenario; a fixed cost stays one year
    got = calc.whatif(POKMAS, volume=0.5)
    assert got["volume"].tolist() == [1_000, 1_000, 1, 1_800, 1_800, 1]
    assert got["harga"].tolist() == exp["harga"].tolist()
    # costs +10%: variable and fixed cost prices of the after scenario (5,000 → 5,500; 1.2 jt → 1.32 jt)
    got = calc.whatif(POKMAS, cost=0.10)
    assert got["harga"].tolist() == pytest.approx([10_000, 4_000, 1_000_000, 12_000, 5_500, 1_320_000])
    assert got["volume"].tolist() == exp["volume"].tolist()
    # the before scenario when asked for, the other untouched; text columns kept
    got = calc.whatif(POKMAS, price=0.10, volume=-0.5, scenario="sebelum")
    assert got["harga"].tolist() == pytest.approx([11_000, 4_000, 1_000_000, 12_000, 5_000, 1_200_000])
    assert got["volume"].tolist() == [500, 500, 1, 1_200, 1_200, 1]
    assert_frame_equal(got[["skenario", "jenis", "uraian", "satuan"]], POKMAS[["skenario", "jenis", "uraian",
                                                                                "satuan"]])


def test_tornado_per_household_widest_first() -> None:
    # base after-profit 7.2 jt. price ±20% moves revenue 14.4 jt by ±2.88 jt; volume ±20% moves the gross
    # margin 8.4 jt by ±1.68 jt; costs ±20% move 7.2 jt of costs by ∓1.44 jt. Per household (10):
    expected = pd.DataFrame({"faktor": ["harga", "volume", "biaya"], "turun": [-288_000, -168_000, 144_000],
                             "naik": [288_000, 168_000, -144_000], "rentang": [576_000, 336_000, 288_000]})
    assert_frame_equal(calc.tornado(POKMAS, households=10), expected, check_dtype=False, atol=1e-6)
    # on the before scenario (profit 5 jt): price ±2 jt, volume ±1.2 jt, costs ∓1 jt; households 0 = 1
    before = calc.tornado(POKMAS, scenario="sebelum", households=0)
    assert before["rentang"].tolist() == pytest.approx([4_000_000, 2_400_000, 2_000_000])
    assert before["turun"].tolist() == pytest.approx([-2_000_000, -1_200_000, 1_000_000])


def test_outreach_cumulative_and_cost_per_household() -> None:
    expected = pd.DataFrame({"tahun": [1, 2, 3], "rt_baru": [10, 20, 20], "rt_terjangkau": [10, 30, 50],
                             "tambahan_pendapatan": [2_200_000, 6_600_000, 11_000_000],
                             "biaya_per_rt": [320_000.0] * 3})
    assert_frame_equal(calc.outreach([10, 20, 20], 220_000, 16_000_000), expected, check_dtype=False)
    assert calc.outreach([0, 5], 1, 10)["biaya_per_rt"].tolist() == [2.0, 2.0]  # the last year's reach counts
    assert calc.outreach([0, 0], 1, 10)["biaya_per_rt"].isna().all()


def test_summary_every_actor_by_hand() -> None:
    s = calc.summary({"pokmas": POKMAS, "mitra_lokal": LOCAL, "mitra_swasta": PRIVATE},
                     {"pokmas": 10, "mitra_swasta": 2})  # the local partner's count missing: one
    expected = pd.DataFrame({
        "peran": ["pokmas", "mitra_lokal", "mitra_swasta"], "rumah_tangga": [10.0, 1.0, 2.0],
        "pendapatan_sebelum": [10_000_000, 11_000_000, 12_000_000],
        "pendapatan_sesudah": [14_400_000, 16_200_000, 18_000_000],
        "biaya_sebelum": [5_000_000, 10_000_000, 11_000_000], "biaya_sesudah": [7_200_000, 14_700_000, 16_800_000],
        "laba_sebelum": [5_000_000, 1_000_000, 1_000_000], "laba_sesudah": [7_200_000, 1_500_000, 1_200_000],
        "tambahan": [2_200_000, 500_000, 200_000], "tambahan_per_rt": [220_000, 500_000, 100_000],
        "marjin_kotor_sesudah": [8_400_000, 1_800_000, 1_800_000],
        # break-even volume = fixed ÷ (price − variable per unit); price = all costs ÷ volume
        "impas_volume": [1_200_000 / 7_000, 300_000 / 1_500, 600_000 / 1_500],
        "impas_harga": [6_000, 14_700_000 / 1_200, 16_800_000 / 1_200],
        "lebih_baik": [True, True, True]})
    assert_frame_equal(s, expected, check_dtype=False)
    # the same profit after as before is not "better off"
    same = _lines([("sebelum", "pendapatan", "Jual", 1, "kg", 100), ("sesudah", "pendapatan", "Jual", 1, "kg", 100)])
    assert not calc.summary({"pokmas": same}, {"pokmas": 1})["lebih_baik"].iloc[0]


def test_projection_budget_and_programme_returns() -> None:
    s = calc.summary({"pokmas": POKMAS, "mitra_lokal": LOCAL, "mitra_swasta": PRIVATE}, {"pokmas": 10})
    p = calc.projection(s, POKMAS, 10, [10, 20, 20])
    # reached 10, 30, 50 households → 1, 3, 5 POKMAS of 10; partners gain 0.5 + 0.2 = 0.7 jt per POKMAS
    expected = pd.DataFrame({"tahun": [1, 2, 3], "rt_baru": [10, 20, 20], "rt_terjangkau": [10, 30, 50],
                             "rt_aktif": [10, 30, 50], "rt_berpenghasilan": [10, 30, 50], "skala": [1, 3, 5],
                             "volume_pokmas": [1_200, 3_600, 6_000],
                             "penjualan_pokmas": [14_400_000, 43_200_000, 72_000_000],
                             "tambahan_pendapatan_rt": [2_200_000, 6_600_000, 11_000_000],
                             "tambahan_laba_mitra": [700_000, 2_100_000, 3_500_000],
                             "tambahan_total": [2_900_000, 8_700_000, 14_500_000]})
    assert_frame_equal(p, expected, check_dtype=False)
    assert calc.projection(s, POKMAS, 0, [10])["skala"].tolist() == [0]
    # the budget: 14 jt at year 0, 1 jt in year 1, the year-5 item falls in the last year (3)
    assert calc.budget_by_year(BUDGET, 3) == [14_000_000, 1_000_000, 0, 1_000_000]
    assert calc.budget_by_year(BUDGET.assign(tahun=[-1, 0, 2, 2]), 2) == [14_000_000, 0, 2_000_000]
    r = calc.programme_returns(0.10, p, BUDGET)
    flows = [-14_000_000, 2_900_000 - 1_000_000, 8_700_000, 14_500_000 - 1_000_000]
    assert r["flows"] == flows
    assert r["npv"] == pytest.approx(npf.npv(0.10, flows)) and r["npv"] == pytest.approx(5_060_105.18, abs=0.01)
    assert r["irr"] == pytest.approx(npf.irr(flows), abs=1e-7) and r["irr_reason"] == ""
    # cumulative −14, −12.1, −3.4, +10.1 jt: 2 years and 3.4 / 13.5 of the third
    assert r["payback"] == pytest.approx(2 + 3.4 / 13.5)
    pv_b = 2_900_000 / 1.1 + 8_700_000 / 1.21 + 14_500_000 / 1.331
    pv_c = 14_000_000 + 1_000_000 / 1.1 + 1_000_000 / 1.331
    assert r["bcr"] == pytest.approx(pv_b / pv_c)
    assert r["biaya_total"] == 16_000_000 and r["biaya_per_rt"] == 320_000
    hh = calc.programme_returns(0.10, p, BUDGET, include_partners=False)
    assert hh["flows"] == [-14_000_000, 1_200_000, 6_600_000, 10_000_000]
    assert hh["payback"] == pytest.approx(2.62)  # −14, −12.8, −6.2, +3.8: 2 + 6.2 / 10
    empty = calc.programme_returns(0.10, p.iloc[:0], BUDGET)
    assert empty["biaya_per_rt"] is None and empty["flows"] == [-16_000_000]


def test_cost_sharing_threshold_and_leverage() -> None:
    shares, lev, warn = calc.cost_sharing({"APBD": 10, "APBDes": 1, "Mitra swasta": 4, "Swadaya masyarakat": 1,
                                           "CSR": 0, "Lembaga keuangan": None})
    assert shares["bagian"].tolist() == pytest.approx([10 / 16, 1 / 16, 4 / 16, 1 / 16, 0, 0])
    assert shares["nilai"].tolist() == [10, 1, 4, 1, 0, 0]
    assert lev == pytest.approx(4 / 11)  # private (partner, CSR, lender) ÷ public (APBD, APBDes, APBN/DAK)
    assert warn == ["APBD menanggung 62% biaya: pembagian biaya dan risiko tidak seimbang"]
    assert calc.cost_sharing({"APBD": 60, "CSR": 40})[2] == []  # exactly 60% is not "dominant"
    assert calc.cost_sharing({"APBD": 59, "CSR": 41}, dominance=0.4)[2] == [
        "APBD menanggung 59% biaya: pembagian biaya dan risiko tidak seimbang",
        "CSR menanggung 41% biaya: pembagian biaya dan risiko tidak seimbang"]
    assert calc.cost_sharing({"CSR": 5, "Lembaga keuangan": 5})[1] is None  # no public money: no leverage
    shares, lev, warn = calc.cost_sharing({"APBD": 0})
    assert shares["bagian"].isna().all() and lev is None and warn == []


def test_evaluate_what_if_for_all_or_one_actor() -> None:
    t = _tables()
    ev = calc.evaluate(t, 0.10)
    s = ev.summary.set_index("peran")
    assert s["rumah_tangga"].tolist() == [10.0, 1.0, 2.0] and ev.losers == []
    assert ev.projection["rt_terjangkau"].tolist() == [10, 30, 50]  # outreach read in year order
    assert ev.returns["flows"] == [-14_000_000, 1_900_000, 8_700_000, 13_500_000]
    assert ev.leverage == pytest.approx(4 / 11) and len(ev.warnings) == 1
    assert ev.sharing["sumber"].tolist() == list(calc.SOURCES)
    # volume +50% for everyone: POKMAS 21.6 − 9 − 1.2; local 24.3 − 21.6 − 0.3; private 27 − 24.3 − 0.6 (jt)
    v = calc.evaluate(t, 0.10, volume=0.5).summary.set_index("peran")["laba_sesudah"]
    assert v.tolist() == pytest.approx([11_400_000, 2_400_000, 2_100_000])
    # costs +10% for the local partner only: 16.2 − 15.84 − 0.33 = 0.03 jt < 1 jt before → worse off
    c = calc.evaluate(t, 0.10, cost=0.10, scope="mitra_lokal")
    assert c.summary.set_index("peran")["laba_sesudah"].tolist() == pytest.approx([7_200_000, 30_000, 1_200_000])
    assert c.losers == ["mitra_lokal"]
    # price −30% for everyone: POKMAS 10.08 − 7.2 = 2.88 jt < 5 jt; the partners sell at a loss
    p = calc.evaluate(t, 0.10, price=-0.30)
    assert p.losers == ["pokmas", "mitra_lokal", "mitra_swasta"]
    assert p.summary.set_index("peran").loc["pokmas", "laba_sesudah"] == pytest.approx(2_880_000)
    # households only: the partners' gain left out of the benefits
    assert calc.evaluate(t, 0.10, include_partners=False).returns["flows"] == [-14_000_000, 1_200_000, 6_600_000,
                                                                                10_000_000]


# ---------------------------------------------------------------- a model drawn from a chain
CHAIN_ACTORS = pd.DataFrame([
    ("I", "Toko tani", "input", "fungsi_pendukung", 1),
    ("P", "Pokmas Makmur", "produksi", "umk_pokmas", 20),
    ("C", "Pengepul", "pengumpulan", "mitra_lokal", 1),
    ("B", "BUMDes", "pengumpulan", "mitra_lokal", 3),
    ("S", "PT Kopi", "distribusi", "mitra_swasta", 1),
    ("K", "Konsumen", "konsumsi", "konsumen", 1),
], columns=["actor", "nama", "fungsi", "jenis", "jumlah"])
CHAIN_FLOWS = pd.DataFrame([
    ("sebelum", "I", "P", 50, "sak", 2_000), ("sebelum", "P", "C", 100, "kg", 10_000),
    ("sebelum", "C", "K", 100, "kg", 12_000),
    ("sesudah", "P", "C", 10, "kg", 10_000), ("sesudah", "P", "B", 120, "kg", 11_000),
    ("sesudah", "B", "S", 120, "kg", 13_000), ("sesudah", "S", "K", 120, "kg", 15_000),
], columns=["skenario", "dari", "ke", "volume", "satuan", "harga"])


def test_from_chain_picks_each_role_and_writes_its_lines() -> None:
    system = pd.DataFrame({"lapisan": ["pendukung", "pendukung"], "kategori": ["Pelatihan", "KEUANGAN"],
                           "nama": ["Dinas Pertanian", "Bank Jatim"], "terkait": [None, None], "catatan": [None, None]})
    picked = calc.from_chain(CHAIN_ACTORS, CHAIN_FLOWS, system)
    # the BUMDes buys most from the POKMAS after (120 kg against the collector's 10); the private partner
    # is the one that buys from the BUMDes; the input shop is the first input actor
    assert {r: (p["chain_actor"], p["nama"], p["rumah_tangga"]) for r, p in picked.items()} == {
        "pokmas": ("P", "Pokmas Makmur", 20.0), "mitra_lokal": ("B", "BUMDes", 1.0),
        "mitra_swasta": ("S", "PT Kopi", 1.0), "penyedia_input": ("I", "Toko tani", 1.0),
        "lembaga_keuangan": (None, "Bank Jatim", 1.0)}
    assert picked["pokmas"]["lines"].values.tolist() == [
        ["sebelum", "pendapatan", "Penjualan ke Pengepul", 100, "kg", 10_000],
        ["sebelum", "biaya_variabel", "Pembelian dari Toko tani", 50, "sak", 2_000],
        ["sesudah", "pendapatan", "Penjualan ke Pengepul", 10, "kg", 10_000],
        ["sesudah", "pendapatan", "Penjualan ke BUMDes", 120, "kg", 11_000]]
    assert picked["mitra_lokal"]["lines"].values.tolist() == [
        ["sesudah", "pendapatan", "Penjualan ke PT Kopi", 120, "kg", 13_000],
        ["sesudah", "biaya_variabel", "Pembelian dari Pokmas Makmur", 120, "kg", 11_000]]
    assert picked["lembaga_keuangan"]["lines"].columns.tolist() == calc.LINE_COLUMNS
    assert picked["lembaga_keuangan"]["lines"].empty


def test_from_chain_fallbacks() -> None:
    before_only = CHAIN_FLOWS[CHAIN_FLOWS["skenario"] == "sebelum"]
    picked = calc.from_chain(CHAIN_ACTORS.assign(jumlah=[1, None, 1, 1, 1, 1]), before_only)
    # no "after": the collector, the biggest buyer before; no private partner buys; no system, no lender
    assert sorted(picked) == ["mitra_lokal", "penyedia_input", "pokmas"]
    assert picked["mitra_lokal"]["chain_actor"] == "C" and picked["pokmas"]["rumah_tangga"] == 1.0
    # the private partner buying straight from the POKMAS when the local partner sells it nothing
    direct = pd.concat([CHAIN_FLOWS[CHAIN_FLOWS["dari"] != "B"],
                        pd.DataFrame([("sesudah", "P", "S", 5, "kg", 12_000), ("sesudah", "P", "X", 1, "kg", 1)],
                                     columns=CHAIN_FLOWS.columns)])
    got = calc.from_chain(CHAIN_ACTORS, direct)
    assert got["mitra_swasta"]["chain_actor"] == "S"
    assert "Penjualan ke X" in got["pokmas"]["lines"]["uraian"].tolist()  # an unknown buyer keeps its code
    none = calc.from_chain(CHAIN_ACTORS.assign(jenis="konsumen"), CHAIN_FLOWS)
    assert sorted(none) == ["penyedia_input"]  # no POKMAS producer, so no partners either


def test_outreach_check_against_the_productive_poor() -> None:
    ev = calc.evaluate(_tables(), 0.10)  # reaches 50 households by year 3
    poor = calc.PoorHouseholds(40, ["35.07.10"], "DTKS 2025", False)
    share, warning = calc.outreach_check(ev, poor)
    assert share == 50 / 40
    assert warning == ("Rencana menjangkau 50 rumah tangga, lebih banyak dari 40 rumah tangga miskin produktif "
                       "(desil 2-3) di wilayah sasaran: sebagian penerima bukan sasaran APP, atau wilayahnya perlu "
                       "diperluas.")
    assert calc.outreach_check(ev, calc.PoorHouseholds(50, [], "", False)) == (1.0, None)  # exactly all: fine
    assert calc.outreach_check(ev, calc.PoorHouseholds(0, [], "", False)) == (None, None)
    assert calc.outreach_check(ev, None) == (None, None)


def test_small_contributions_zero_budget_lines_and_tidy_lines() -> None:
    # a contribution of half a rupiah per kg still breaks even: 1,000 / 0.5 = 2,000 kg
    thin = _lines([("sesudah", "pendapatan", "Jual", 100, "kg", 1_000.5),
                   ("sesudah", "biaya_variabel", "Beli", 100, "kg", 1_000),
                   ("sesudah", "biaya_tetap", "Alat", 1, "tahun", 1_000)])
    assert calc.calculate(thin, "sesudah").break_even_volume == pytest.approx(2_000)
    # nobody reached in the first two years: the cost per household uses the last year's reach
    assert calc.outreach([0, 0, 5], 1, 10)["biaya_per_rt"].tolist() == [2.0] * 3
    # a budget line of 0 adds nothing
    zero_line = BUDGET.assign(nilai=[10_000_000, 0, 0, 1_000_000])
    assert calc.budget_by_year(zero_line, 3) == [10_000_000, 0, 0, 1_000_000]
    ev = calc.evaluate(_tables(), 0.10)
    assert all(ls.columns.tolist() == calc.LINE_COLUMNS for ls in ev.lines.values())
    assert ev.lines["pokmas"].index.tolist() == list(range(6))


def test_from_chain_without_an_input_shop_and_with_an_unknown_seller() -> None:
    no_input = CHAIN_ACTORS[CHAIN_ACTORS["fungsi"] != "input"]
    flows = pd.concat([CHAIN_FLOWS, pd.DataFrame([("sesudah", "Y", "P", 3, "sak", 2_000)],
                                                 columns=CHAIN_FLOWS.columns)])
    picked = calc.from_chain(no_input, flows)
    assert "penyedia_input" not in picked
    assert "Pembelian dari Y" in picked["pokmas"]["lines"]["uraian"].tolist()  # not in the actor list: its code
    assert "Pembelian dari I" in picked["pokmas"]["lines"]["uraian"].tolist()


def test_a_model_is_empty_only_when_no_actor_has_a_line() -> None:
    t = _tables()
    assert not calc.evaluate(t, 0.1).empty
    # one actor's lines left: still something to judge
    lines = t["lines"]
    only_pokmas = {**t, "lines": lines[lines["peran"] == "pokmas"]}
    assert not calc.evaluate(only_pokmas, 0.1).empty
    assert calc.evaluate({**t, "lines": lines.iloc[0:0]}, 0.1).empty
