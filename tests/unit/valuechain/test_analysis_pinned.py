"""Value-chain margins, checks and Sankey data of a small chain worked out by hand (issue 13).

Before: an input shop sells 50 sacks of fertiliser at Rp 2,000 to a POKMAS (which grows 120 kg), the
POKMAS sells 100 kg at Rp 10,000 to a collector, who sells 100 kg at Rp 12,000 to consumers. After: the
POKMAS sells 120 kg at Rp 11,000 to a BUMDes, which sells them at Rp 13,000.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.testing import assert_frame_equal

from analytics.valuechain import analysis
from analytics.valuechain.analysis import Check

ACTORS = pd.DataFrame([
    ("I", "Toko tani", "input", "fungsi_pendukung", 1, None),
    ("P", "Pokmas Makmur", "produksi", "umk_pokmas", 20, 120.0),
    ("C", "Pengepul", "pengumpulan", "mitra_lokal", 1, None),
    ("B", "BUMDes", "pengumpulan", "mitra_lokal", 1, None),
    ("K", "Konsumen", "konsumsi", "konsumen", 1, None),
], columns=["actor", "nama", "fungsi", "jenis", "jumlah", "produksi"])
FLOWS = pd.DataFrame([
    ("sebelum", "I", "P", 50, "sak", 2_000), ("sebelum", "P", "C", 100, "kg", 10_000),
    ("sebelum", "C", "K", 100, "kg", 12_000),
    ("sesudah", "P", "B", 120, "kg", 11_000), ("sesudah", "B", "K", 120, "kg", 13_000),
], columns=["skenario", "dari", "ke", "volume", "satuan", "harga"])


def test_margins_before_by_hand() -> None:
    m = analysis.margins(ACTORS, FLOWS, "sebelum")
    nan = np.nan
    # POKMAS: buys fertiliser in sacks (other unit) → per kg sold: 100,000 / 100 = 1,000; margin 9,000
    # of the final price 12,000 = 0.75. Collector: 12,000 − 10,000 = 2,000 → 1/6.
    expected = pd.DataFrame({
        "actor": ["I", "P", "C", "B", "K"], "nama": ["Toko tani", "Pokmas Makmur", "Pengepul", "BUMDes", "Konsumen"],
        "fungsi": ["input", "produksi", "pengumpulan", "pengumpulan", "konsumsi"],
        "jenis": ["fungsi_pendukung", "umk_pokmas", "mitra_lokal", "mitra_lokal", "konsumen"],
        "volume_masuk": [0, 50, 100, 0, 100], "nilai_masuk": [0, 100_000, 1_000_000, 0, 1_200_000],
        "volume_keluar": [50, 100, 100, 0, 0], "nilai_keluar": [100_000, 1_000_000, 1_200_000, 0, 0],
        "nilai_tambah": [100_000, 900_000, 200_000, nan, nan],
        "harga_beli": [0.0, 1_000.0, 10_000.0, nan, 12_000.0], "harga_jual": [2_000.0, 10_000.0, 12_000.0, nan, nan],
        "marjin_per_unit": [2_000.0, 9_000.0, 2_000.0, nan, nan],
        "bagian_harga_akhir": [2_000 / 12_000, 0.75, 2_000 / 12_000, nan, nan], "harga_akhir": [12_000.0] * 5})
    assert_frame_equal(m, expected, check_dtype=False)
    by_type = analysis.margin_by_type(m)
    assert by_type.to_dict("list") == {"jenis": ["umk_pokmas", "mitra_lokal", "fungsi_pendukung"],
                                       "nilai_tambah": [900_000.0, 200_000.0, 100_000.0],
                                       "bagian_harga_akhir": [0.75, 2_000 / 12_000, 2_000 / 12_000]}


def test_margins_after_and_without_consumers() -> None:
    m = analysis.margins(ACTORS, FLOWS, "sesudah").set_index("actor")
    assert m.loc["P", "harga_beli"] == 0.0 and m.loc["P", "bagian_harga_akhir"] == 11_000 / 13_000
    assert m.loc["B", "marjin_per_unit"] == 2_000 and m.loc["C", "volume_keluar"] == 0
    no_consumer = analysis.margins(ACTORS[ACTORS["actor"] != "K"], FLOWS[FLOWS["ke"] != "K"], "sebelum")
    assert no_consumer["harga_akhir"].isna().all() and no_consumer["bagian_harga_akhir"].isna().all()


def test_checks_exact_messages() -> None:
    actors = pd.concat([ACTORS, ACTORS.iloc[[2]], pd.DataFrame([("X", "Aneh", "bertani", "umk_pokmas", 1, None)],
                                                               columns=ACTORS.columns)], ignore_index=True)
    flows = pd.DataFrame([("sebelum", "P", "Z", 10, "kg", 1_000), ("sebelum", "C", "C", 10, "kg", 1_000),
                          ("sebelum", "P", "C", 0, "kg", 1_000), ("sebelum", "P", "C", 5, "kg", -1),
                          ("sebelum", "P", "C", 5, "kg", None), ("sebelum", "P", "C", 5, "kg", 0)],
                         columns=FLOWS.columns)
    assert analysis.check(actors, flows) == [
        Check("error", None, "Kode pelaku ganda: C"),
        Check("error", 7, "fungsi 'bertani' tidak dikenal untuk pelaku Aneh (X)"),
        Check("error", 1, "aliran ke-1: pelaku 'Z' (ke) tidak ada di daftar pelaku"),
        Check("error", 2, "aliran ke-2: pelaku mengalir ke dirinya sendiri: Pengepul (C)"),
        Check("error", 3, "aliran ke-3: volume harus lebih dari 0", "volume"),
        Check("error", 4, "aliran ke-4: harga belum diisi atau negatif", "harga"),
        Check("error", 5, "aliran ke-5: harga belum diisi atau negatif", "harga")]


def test_volume_balance_warning_at_its_tolerance() -> None:
    assert analysis.check(ACTORS, FLOWS) == []
    # the collector receives 100 kg: sending 101 kg is within 1%, 1,102 kg is not
    ok = FLOWS.copy()
    ok.loc[2, "volume"] = 101
    assert analysis.check(ACTORS, ok) == []
    bad = FLOWS.copy()
    bad.loc[2, "volume"] = 1_102
    assert analysis.check(ACTORS, bad) == [
        Check("warning", None, "sebelum: pelaku Pengepul (C) mengirim 1.102 padahal menerima/memproduksi 100")]
    # an input shop brings product from outside the chain; a POKMAS without production is flagged
    grown = ACTORS.assign(produksi=[None, 0, None, None, None])
    assert analysis.check(grown, FLOWS) == [
        Check("warning", None, "sebelum: pelaku Pokmas Makmur (P) mengirim 100 padahal menerima/memproduksi 50"),
        Check("warning", None, "sesudah: pelaku Pokmas Makmur (P) mengirim 120 padahal menerima/memproduksi 0")]
    assert analysis.check(ACTORS.drop(columns="produksi"), FLOWS) == analysis.check(grown, FLOWS)


def test_sankey_by_volume_and_by_value() -> None:
    v = analysis.sankey_data(ACTORS, FLOWS, "sebelum")
    # upstream first (input, produksi, pengumpulan, konsumsi); the BUMDes has no flow before
    assert v == {"labels": ["Toko tani", "Pokmas Makmur", "Pengepul", "Konsumen"], "actors": ["I", "P", "C", "K"],
                 "source": [0, 1, 2], "target": [1, 2, 3], "value": [50.0, 100.0, 100.0]}
    n = analysis.sankey_data(ACTORS, FLOWS, "sesudah", measure="nilai")
    assert n == {"labels": ["Pokmas Makmur", "BUMDes", "Konsumen"], "actors": ["P", "B", "K"],
                 "source": [0, 1], "target": [1, 2], "value": [1_320_000.0, 1_560_000.0]}


def test_more_check_limits() -> None:
    two = pd.concat([ACTORS, ACTORS.iloc[[1, 2]]], ignore_index=True)
    assert analysis.check(two, FLOWS)[0] == Check("error", None, "Kode pelaku ganda: P, C")
    half = FLOWS.astype({"volume": float})
    half.loc[0, "volume"] = 0.5  # half a sack is a volume
    assert analysis.check(ACTORS, half) == []
    over = FLOWS.astype({"volume": float})
    over.loc[2, "volume"] = 101.5  # 1.5% over what the collector received
    assert analysis.check(ACTORS, over) == [
        Check("warning", None, "sebelum: pelaku Pengepul (C) mengirim 102 padahal menerima/memproduksi 100")]


def test_margins_keep_the_order_of_actors_with_the_same_function() -> None:
    many = pd.DataFrame([(f"A{i:02d}", f"Petani {i}", "produksi", "umk_pokmas", 1, 1.0) for i in range(39, -1, -1)],
                        columns=ACTORS.columns)
    assert analysis.margins(many, FLOWS.iloc[:0])["actor"].tolist() == many["actor"].tolist()
    assert analysis.sankey_data(ACTORS, FLOWS) == analysis.sankey_data(ACTORS, FLOWS, "sebelum", "volume")


def test_margins_keep_the_entry_order_within_a_function_in_long_chains() -> None:
    # 40 actors entered alternately as collector and producer: producers first, each function in entry order
    # (an unstable sort reorders equal keys once there are more than 16)
    actors = pd.DataFrame([(f"A{i:02}", f"Pelaku {i:02}", "pengumpulan" if i % 2 == 0 else "produksi",
                            "mitra_lokal", 1, None) for i in range(40)],
                          columns=["actor", "nama", "fungsi", "jenis", "jumlah", "produksi"])
    out = analysis.margins(actors, FLOWS.iloc[:0])
    assert out["actor"].tolist() == [f"A{i:02}" for i in range(1, 40, 2)] + [f"A{i:02}" for i in range(0, 40, 2)]
