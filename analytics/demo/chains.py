"""Two synthetic demo value chains (Data contoh (sintetis)), shaped like the method's examples:
smallholder coffee with collectors and an exporter/roaster (a Bantaeng-like setting, placed in Kab.
Bondowoso), and red ginger for the jamu industry (a Trenggalek-like setting, Kab. Trenggalek). The
figures are invented; volumes balance at every actor; "sesudah" is the intervention's business model."""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.business import calc
from analytics.business.calc import DEFAULT_RATE, starting_tables
from analytics.business.store import TABLES, new_model, write_tables
from analytics.core import store as core_store
from analytics.valuechain.analysis import COLUMNS

_KOPI_ACTORS = [
    ("A", "Kios saprotan", "input", "mitra_lokal", 4, None, 0.3, "35.11", "Pupuk dan alat pascapanen"),
    ("P", "Petani kopi (POKMAS)", "produksi", "umk_pokmas", 120, 240_000, 0.35, "35.11.07",
     "Biji kopi setara green bean"),
    ("K", "Pengepul desa", "pengumpulan", "mitra_lokal", 6, None, 0.15, "35.11.07", "Memberi pinjaman musiman"),
    ("T", "Pedagang pasar lokal", "ritel", "mitra_lokal", 10, None, 0.6, "35.11", None),
    ("B", "BUMDes (pengolahan petik merah)", "pengolahan", "mitra_lokal", 1, None, 0.4, "35.11.07",
     "Dalam model bisnis baru"),
    ("E", "Eksportir/roaster (off-taker)", "distribusi", "mitra_swasta", 1, None, 0.3, "35.78", "Surabaya"),
    ("R", "Kafe dan ritel", "ritel", "mitra_swasta", 40, None, 0.5, None, None),
    ("C", "Konsumen dalam negeri", "konsumsi", "konsumen", None, None, None, None, None),
    ("X", "Pembeli luar negeri", "konsumsi", "konsumen", None, None, None, None, None),
]
_KOPI_FLOWS = [
    ("sebelum", "A", "P", 60_000, "kg pupuk", 3_000), ("sebelum", "P", "K", 200_000, "kg", 38_000),
    ("sebelum", "P", "T", 40_000, "kg", 36_000), ("sebelum", "T", "C", 40_000, "kg", 55_000),
    ("sebelum", "K", "E", 200_000, "kg", 45_000), ("sebelum", "E", "R", 120_000, "kg", 90_000),
    ("sebelum", "E", "X", 80_000, "kg", 75_000), ("sebelum", "R", "C", 120_000, "kg", 150_000),
    ("sesudah", "A", "P", 60_000, "kg pupuk", 3_000), ("sesudah", "P", "B", 180_000, "kg", 44_000),
    ("sesudah", "P", "K", 60_000, "kg", 39_000), ("sesudah", "B", "E", 180_000, "kg", 52_000),
    ("sesudah", "K", "E", 60_000, "kg", 45_000), ("sesudah", "E", "R", 140_000, "kg", 92_000),
    ("sesudah", "E", "X", 100_000, "kg", 78_000), ("sesudah", "R", "C", 140_000, "kg", 150_000),
]
_KOPI_SYSTEM = [
    ("pendukung", "Keuangan", "BPR dan KUR", "P", "Belum ada kredit musiman untuk petani"),
    ("pendukung", "Penyuluhan", "Dinas Pertanian", "P", None),
    ("pendukung", "Informasi", "Harga dari eksportir lewat grup pesan", "K", None),
    ("pendukung", "Transportasi", "Angkutan desa", "K", None),
    ("aturan", "Standar", "SNI 2907 biji kopi", "E", None),
    ("aturan", "Regulasi", "Perdes pendirian BUMDes", "B", None),
    ("aturan", "Norma", "Menjual ke pengepul yang memberi pinjaman", "P", None),
]
_KOPI_PROBLEMS = [
    ("m", None, "Pendapatan petani kopi rendah", False, None, None),
    ("a", "m", "Harga jual rendah karena mutu tidak seragam", False, None, None),
    ("a1", "a", "Belum ada SOP petik merah dan pascapanen", True,
     "SOP dan pelatihan petik merah; BUMDes mengolah dan menyortir", "Eksportir (off-taker), Dinas Pertanian"),
    ("b", "m", "Petani terikat pada pengepul pemberi pinjaman", False, None, None),
    ("b1", "b", "Tidak ada akses kredit musiman", True,
     "Pembiayaan panen oleh BPR dengan jaminan kontrak off-taker", "BPR, eksportir"),
]

_JAHE_ACTORS = [
    ("A", "Penangkar bibit", "input", "mitra_lokal", 3, None, 0.5, "35.03", None),
    ("P", "Petani jahe merah (POKMAS)", "produksi", "umk_pokmas", 80, 300_000, 0.55, "35.03.10", "Jahe segar"),
    ("K", "Pengepul", "pengumpulan", "mitra_lokal", 5, None, 0.2, "35.03", None),
    ("M", "Pasar tradisional", "ritel", "mitra_lokal", 20, None, 0.7, "35.03", None),
    ("B", "Koperasi (sortasi dan pengeringan)", "pengolahan", "mitra_lokal", 1, None, 0.6, "35.03.10",
     "Dalam model bisnis baru"),
    ("J", "IKM jamu", "pengolahan", "umk_pokmas", 12, None, 0.8, "35.03", None),
    ("F", "Pabrik obat tradisional (off-taker)", "pengolahan", "mitra_swasta", 1, None, 0.4, None, None),
    ("R", "Toko, apotek, daring", "ritel", "mitra_swasta", 60, None, 0.5, None, None),
    ("C", "Konsumen", "konsumsi", "konsumen", None, None, None, None, None),
]
_JAHE_FLOWS = [
    ("sebelum", "A", "P", 20_000, "kg bibit", 12_000), ("sebelum", "P", "K", 250_000, "kg", 6_000),
    ("sebelum", "P", "M", 50_000, "kg", 7_000), ("sebelum", "M", "C", 50_000, "kg", 10_000),
    ("sebelum", "K", "J", 150_000, "kg", 9_000), ("sebelum", "K", "F", 100_000, "kg", 8_500),
    ("sebelum", "J", "R", 150_000, "kg", 20_000), ("sebelum", "F", "R", 100_000, "kg", 18_000),
    ("sebelum", "R", "C", 250_000, "kg", 30_000),
    ("sesudah", "A", "P", 20_000, "kg bibit", 12_000), ("sesudah", "P", "B", 200_000, "kg", 7_500),
    ("sesudah", "P", "K", 100_000, "kg", 6_200), ("sesudah", "B", "F", 200_000, "kg", 10_000),
    ("sesudah", "K", "J", 100_000, "kg", 9_000), ("sesudah", "J", "R", 100_000, "kg", 20_000),
    ("sesudah", "F", "R", 200_000, "kg", 19_000), ("sesudah", "R", "C", 300_000, "kg", 30_000),
]
_JAHE_SYSTEM = [
    ("pendukung", "Input", "Bibit bersertifikat dari penangkar", "P", None),
    ("pendukung", "Keuangan", "Koperasi simpan pinjam", "B", None),
    ("pendukung", "Penyuluhan", "Dinas Pertanian dan Dinas Koperasi", "P", None),
    ("aturan", "Standar", "Standar mutu simplisia pabrik", "F", None),
    ("aturan", "Regulasi", "Izin edar obat tradisional (BPOM)", "J", None),
]
_JAHE_PROBLEMS = [
    ("m", None, "Pendapatan petani jahe merah rendah dan tidak stabil", False, None, None),
    ("a", "m", "Harga jatuh saat panen raya", False, None, None),
    ("a1", "a", "Tidak ada pengeringan dan penyimpanan", True, "Unit pengeringan dan gudang koperasi",
     "Pabrik obat tradisional, Dinas Koperasi"),
    ("b", "m", "Industri kesulitan mendapat bahan baku bermutu", False, None, None),
    ("b1", "b", "Tidak ada standar mutu yang disepakati", True, "Kontrak mutu dan harga dengan pabrik",
     "Pabrik obat tradisional, BPOM (pembinaan)"),
]

DEMO_CHAINS: list[dict] = [
    {"commodity": "kopi", "kabupaten": "35.11",
     "title": "Kopi rakyat — Kab. Bondowoso (contoh sintetis, mirip Bantaeng)",
     "actors": _KOPI_ACTORS, "flows": _KOPI_FLOWS, "system": _KOPI_SYSTEM, "problems": _KOPI_PROBLEMS},
    {"commodity": "jahe_merah", "kabupaten": "35.03",
     "title": "Jahe merah untuk industri jamu — Kab. Trenggalek (contoh sintetis)",
     "actors": _JAHE_ACTORS, "flows": _JAHE_FLOWS, "system": _JAHE_SYSTEM, "problems": _JAHE_PROBLEMS},
]


def frames(chain: dict) -> dict[str, pd.DataFrame]:
    """The demo chain's four tables as DataFrames with the stored column names."""
    return {name: pd.DataFrame(chain[name], columns=COLUMNS[name]) for name in COLUMNS}


# ---------------------------------------------------------------------- demo business models
# Each demo model starts from its chain (actors, prices and volumes before and after) and adds the
# lines a chain does not carry: labour, processing, fixed costs, loans and embedded services. Invented.
_KOPI_EXTRA = {
    "pokmas": [("sebelum", "biaya_variabel", "Tenaga kerja panen dan pascapanen", 240_000, "kg", 4_000),
               ("sesudah", "biaya_variabel", "Tenaga kerja petik merah dan pascapanen", 240_000, "kg", 5_500),
               ("sesudah", "biaya_tetap", "Penyusutan alat pascapanen", 1, "tahun", 60_000_000),
               ("sesudah", "biaya_tetap", "Bunga kredit panen (BPR)", 1, "tahun", 36_000_000)],
    "mitra_lokal": [("sesudah", "biaya_variabel", "Sortasi, pengeringan, karung", 180_000, "kg", 2_500),
                    ("sesudah", "biaya_variabel", "Angkutan ke Surabaya", 180_000, "kg", 1_000),
                    ("sesudah", "biaya_tetap", "Gaji pengelola BUMDes", 12, "bulan", 15_000_000),
                    ("sesudah", "biaya_tetap", "Penyusutan unit pengolahan", 1, "tahun", 150_000_000)],
    "mitra_swasta": [("sebelum", "biaya_variabel", "Sangrai, kemasan dan ekspor", 200_000, "kg", 18_000),
                     ("sesudah", "biaya_variabel", "Sangrai, kemasan dan ekspor", 240_000, "kg", 18_000),
                     ("sebelum", "biaya_tetap", "Overhead", 1, "tahun", 1_200_000_000),
                     ("sesudah", "biaya_tetap", "Overhead", 1, "tahun", 1_200_000_000),
                     ("sesudah", "biaya_tetap", "Pendampingan teknis petani (jasa melekat)", 1, "tahun", 80_000_000)],
    "penyedia_input": [("sebelum", "biaya_variabel", "Pembelian pupuk dari distributor", 60_000, "kg pupuk", 2_400),
                       ("sesudah", "biaya_variabel", "Pembelian pupuk dari distributor", 60_000, "kg pupuk", 2_400),
                       ("sesudah", "pendapatan", "Penjualan alat petik dan terpal", 120, "paket", 350_000),
                       ("sesudah", "biaya_variabel", "Pembelian alat petik dan terpal", 120, "paket", 260_000),
                       ("sesudah", "biaya_tetap", "Penyuluhan pemakaian pupuk (jasa melekat)", 1, "tahun", 5_000_000)],
    "lembaga_keuangan": [("sesudah", "pendapatan", "Bunga kredit panen", 1, "tahun", 36_000_000),
                         ("sesudah", "biaya_variabel", "Biaya dana", 1, "tahun", 18_000_000),
                         ("sesudah", "biaya_tetap", "Analisis dan penagihan lewat BUMDes", 1, "tahun", 6_000_000)],
}
_KOPI_BUDGET = [
    (0, "APBD", "Unit pengolahan petik merah BUMDes", 450_000_000),
    (0, "APBDes", "Penyertaan modal BUMDes", 200_000_000),
    (0, "Mitra swasta", "Pelatihan SOP petik merah dan jaminan pembelian", 150_000_000),
    (0, "Swadaya masyarakat", "Tenaga dan lahan jemur", 60_000_000),
    (0, "Lembaga keuangan", "Kredit panen (plafon tahun 1)", 300_000_000),
    (1, "APBD", "Pendampingan keperantaraan pasar", 120_000_000),
    (1, "CSR", "Sertifikasi mutu", 50_000_000),
    (2, "APBD", "Pendampingan keperantaraan pasar", 100_000_000),
    (3, "APBDes", "Pemeliharaan unit pengolahan", 40_000_000),
]
_JAHE_EXTRA = {
    "pokmas": [("sebelum", "biaya_variabel", "Pupuk kandang dan tenaga kerja", 300_000, "kg", 1_200),
               ("sesudah", "biaya_variabel", "Pupuk kandang, tenaga kerja dan SOP panen", 300_000, "kg", 1_400)],
    "mitra_lokal": [("sesudah", "biaya_variabel", "Pengeringan dan sortasi", 200_000, "kg", 1_000),
                    ("sesudah", "biaya_tetap", "Pengelola dan gudang koperasi", 1, "tahun", 120_000_000),
                    ("sesudah", "biaya_tetap", "Penyusutan pengering", 1, "tahun", 80_000_000)],
    "mitra_swasta": [("sebelum", "biaya_variabel", "Pengolahan dan kemasan", 100_000, "kg", 6_000),
                     ("sesudah", "biaya_variabel", "Pengolahan dan kemasan", 200_000, "kg", 5_500),
                     ("sebelum", "biaya_tetap", "Overhead", 1, "tahun", 200_000_000),
                     ("sesudah", "biaya_tetap", "Overhead", 1, "tahun", 250_000_000)],
}
_JAHE_BUDGET = [
    (0, "APBD", "Unit pengering dan gudang koperasi", 300_000_000),
    (0, "APBDes", "Modal kerja koperasi", 100_000_000),
    (0, "Mitra swasta", "Kontrak mutu dan pelatihan pascapanen", 200_000_000),
    (0, "Swadaya masyarakat", "Lahan dan tenaga", 40_000_000),
    (0, "APBN/DAK", "Jalan usaha tani", 150_000_000),
    (1, "APBD", "Pendampingan keperantaraan pasar", 90_000_000),
    (2, "APBD", "Pendampingan keperantaraan pasar", 80_000_000),
]
DEMO_MODELS: list[dict] = [
    {"commodity": "kopi", "model": "B", "title": "Model B kopi petik merah — BUMDes, eksportir, BPR (contoh sintetis)",
     "extra": _KOPI_EXTRA, "outreach": [120, 150, 200], "budget": _KOPI_BUDGET},
    {"commodity": "jahe_merah", "model": "A",
     "title": "Model A jahe merah — koperasi dan pabrik jamu (contoh sintetis)",
     "extra": _JAHE_EXTRA, "outreach": [80, 120, 160], "budget": _JAHE_BUDGET},
]


def model_tables(demo: dict, start: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """A demo model's tables: the chain-based start plus the demo's extra lines, outreach and budget."""
    extra = [(role,) + line for role, lines in demo["extra"].items() for line in lines]
    lines = pd.concat([start["lines"], pd.DataFrame(extra, columns=calc.MODEL_COLUMNS["lines"])], ignore_index=True)
    return {"actors": start["actors"], "lines": lines,
            "outreach": pd.DataFrame({"tahun": range(1, len(demo["outreach"]) + 1), "rt_baru": demo["outreach"]}),
            "budget": pd.DataFrame(demo["budget"], columns=calc.MODEL_COLUMNS["budget"]),
            "persistence": calc.INKLUSI_PERSISTENCE.copy()}


def replace_demo_models(cur: duckdb.DuckDBPyConnection, actor: str, chain_ids: dict[str, int]) -> dict[str, int]:
    """Inside the demo rebuild: replace the synthetic demo business models, one per demo chain
    (``chain_ids``: commodity → the new demo chain id). Real models are left alone. Returns
    commodity → the new demo model id."""

    core_store.delete_synthetic(cur, "bm_models", tuple(TABLES.values()))
    ids = {}
    for demo in DEMO_MODELS:
        chain = next(c for c in DEMO_CHAINS if c["commodity"] == demo["commodity"])
        tables = model_tables(demo, starting_tables(demo["model"], frames(chain)))
        mid = new_model(cur, demo["title"], demo["model"], chain["commodity"], chain["kabupaten"],
                         chain_ids.get(chain["commodity"]), DEFAULT_RATE, True, actor)
        write_tables(cur, mid, tables)
        ids[chain["commodity"]] = mid
    return ids
