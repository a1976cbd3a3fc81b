"""Business calculation (issue 6, started): known answers by hand and clear messages for bad lines."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.business import calc

POKMAS = pd.DataFrame([
    # skenario, jenis, uraian, volume, satuan, harga
    ("sebelum", "pendapatan", "Kopi asalan", 2_000, "kg", 38_000),
    ("sebelum", "biaya_variabel", "Pupuk", 500, "kg", 3_000),
    ("sebelum", "biaya_variabel", "Upah petik", 2_000, "kg", 5_000),
    ("sebelum", "biaya_tetap", "Penyusutan alat", 1, "tahun", 2_000_000),
    ("sesudah", "pendapatan", "Kopi petik merah", 2_000, "kg", 44_000),
    ("sesudah", "biaya_variabel", "Pupuk", 500, "kg", 3_000),
    ("sesudah", "biaya_variabel", "Upah petik merah", 2_000, "kg", 7_000),
    ("sesudah", "biaya_tetap", "Penyusutan alat", 1, "tahun", 2_000_000),
    ("sesudah", "biaya_tetap", "Iuran BUMDes", 1, "tahun", 1_000_000),
], columns=["skenario", "jenis", "uraian", "volume", "satuan", "harga"])


def test_actor_before_after_by_hand() -> None:
    b = calc.calculate(POKMAS, "sebelum")
    # revenue 76,000,000; variable 1,500,000 + 10,000,000; fixed 2,000,000
    assert (b.revenue, b.variable_costs, b.fixed_costs) == (76_000_000, 11_500_000, 2_000_000)
    assert b.gross_margin == 64_500_000 and b.net_profit == 62_500_000
    # break-even volume = 2,000,000 / (38,000 − 5,750); break-even price = 13,500,000 / 2,000
    assert b.break_even_volume == pytest.approx(2_000_000 / (38_000 - 5_750))
    assert b.break_even_price == pytest.approx(6_750)
    a = calc.calculate(POKMAS, "sesudah")
    assert a.net_profit == 88_000_000 - 15_500_000 - 3_000_000
    t = calc.before_after(POKMAS, households=1).set_index("ukuran")
    assert t.loc["net_profit", "tambahan"] == 69_500_000 - 62_500_000


def test_bad_lines_are_named() -> None:
    bad = POKMAS.copy()
    bad.loc[1, "volume"] = -5
    bad.loc[2, "harga"] = None
    bad.loc[3, "satuan"] = ""
    msgs = calc.check_lines(bad, "POKMAS")
    assert "POKMAS, baris 2 ('Pupuk'): volume kosong atau negatif" in msgs
    assert "POKMAS, baris 3 ('Upah petik'): harga belum diisi" in msgs
    assert "POKMAS, baris 4 ('Penyusutan alat'): satuan belum diisi" in msgs
    assert calc.check_lines(POKMAS, "POKMAS") == []


def test_outreach_returns_sharing_and_tornado() -> None:
    o = calc.outreach([100, 150, 200], 3_500_000, programme_cost=900_000_000)
    assert o["rt_terjangkau"].tolist() == [100, 250, 450] and o["biaya_per_rt"].iloc[0] == pytest.approx(2_000_000)
    r = calc.returns(0.10, 900_000_000, [350_000_000, 875_000_000, 1_575_000_000], [50_000_000] * 3)
    assert r["flows"][0] == -900_000_000 and r["irr"] is not None and r["npv"] > 0 and r["payback"] < 3
    none = calc.returns(0.10, 100, [10, 10], [50, 50])
    assert none["irr"] is None and none["irr_reason"]  # never pays back: said, not NaN
    shares, lev, warn = calc.cost_sharing({"APBD": 600, "APBDes": 100, "Mitra swasta": 200, "Swadaya": 100})
    assert lev == pytest.approx(200 / 700) and shares["bagian"].sum() == pytest.approx(1)
    assert warn == []
    _, _, warn2 = calc.cost_sharing({"APBD": 900, "Mitra swasta": 100})
    assert warn2 and "APBD menanggung 90%" in warn2[0]
    tor = calc.tornado(POKMAS)
    assert tor["faktor"].iloc[0] == "harga"  # price moves revenue of 88 M by ±17.6 M: the widest swing
    assert tor.set_index("faktor").loc["harga", "naik"] == pytest.approx(0.2 * 88_000_000)
