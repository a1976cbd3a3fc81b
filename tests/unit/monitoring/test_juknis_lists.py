"""The monitoring lists against the Juknis APP (issue 18, item 7; seeds/000): the seven "Level Perubahan", the
review meetings of year one and year two with "menambah intervensi baru", the monitoring plan's fields, the
collection method per data source, and the indicator templates the Juknis lists per theme and source. Every
expected value below is copied from the Juknis text (the line it comes from is quoted)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from analytics.core.db import Database
from analytics.monitoring import results
from analytics.monitoring import store as mon_store


def test_seven_levels_of_change_in_the_juknis_order() -> None:
    # "Level Perubahan: Dampak Kemiskinan, Dampak POKMAS, Dampak Sektor, Hasil POKMAS, Hasil Mitra Lokal/Mitra
    # Swasta, Keluaran Mitra Lokal/Mitra Swasta, Kelompok Kegiatan" (top to bottom)
    top_down = sorted(results.CHANGE_LEVELS.values(), reverse=True)
    assert [name for _, name in top_down] == ["Dampak kemiskinan", "Dampak POKMAS", "Dampak sektor", "Hasil POKMAS",
                                              "Hasil mitra lokal/mitra swasta", "Keluaran mitra lokal/mitra swasta",
                                              "Kelompok kegiatan"]
    # every level of change sits under exactly the strategy levels it can, and each strategy level has one
    assert set().union(*results.CHANGE_BY_LEVEL.values()) == set(results.CHANGE_LEVELS)


def test_a_box_on_the_wrong_level_of_change_or_leading_down_is_refused() -> None:
    boxes = pd.DataFrame([("I1", 1, "Pelatihan", "S1", "dampak_kemiskinan"),
                          ("S1", 2, "Offtaker membeli", "A1", "dampak_sektor"),
                          ("A1", 3, "POKMAS menjual", "P1", "hasil_pokmas"),
                          ("P1", 4, "Pendapatan naik", None, "dampak_kemiskinan")], columns=results.BOX_COLUMNS)
    found = results.check("boxes", boxes)
    assert found == [
        "Kotak, baris 1, kolom level perubahan: kotak level 1 (Intervensi) berada pada Kelompok kegiatan, Keluaran "
        "mitra lokal/mitra swasta, bukan 'Dampak kemiskinan'",
        "Kotak, baris 1, kolom menuju: 'Dampak kemiskinan' harus menuju level perubahan yang lebih tinggi, bukan "
        "'Dampak sektor'",
        "Kotak, baris 2, kolom menuju: 'Dampak sektor' harus menuju level perubahan yang lebih tinggi, bukan 'Hasil "
        "POKMAS'"]
    fixed = boxes.assign(perubahan=["kegiatan", "hasil_mitra", "hasil_pokmas", "dampak_kemiskinan"])
    assert results.check("boxes", fixed) == []


def test_the_collection_method_follows_the_data_source() -> None:
    # "POKMAS/ PETANI : Survey; BUMDEs/Koperasi : Wawancara dan Catatan Usaha; Offtaker : Wawancara dan Catatan Usaha"
    plan = results.plan_defaults(pd.DataFrame({"sumber_kelompok": list(results.SOURCES), "metode": None,
                                               "responden": None}))
    assert plan["metode"].tolist() == ["Survei", "Wawancara dan catatan usaha", "Wawancara dan catatan usaha"]
    # "d. Jenis data yanng dibutuhkan; e. Sumber verifikasi" and "b. … jumlah koresponden …; c. Menetapkan responden"
    assert {"jenis_data", "sumber_verifikasi", "ukuran_sampel", "responden"} <= set(results.IND_COLUMNS)
    bad = pd.DataFrame([("T1", "A1", "x", None, "pokmas", "orang", None, None, None, None, None, None, False, None,
                         "campuran", 2.5, None, None)], columns=results.IND_COLUMNS)
    assert results.check("indicators", bad, pd.DataFrame({"box": ["A1"]})) == [
        "Indikator, baris 1, kolom jenis data: 'campuran' bukan kuantitatif atau kualitatif",
        "Indikator, baris 1, kolom ukuran sampel: '2.5' harus bilangan bulat 1 atau lebih"]


JUKNIS_ITEMS = [  # (theme, source, a phrase of the template's name) for each item the Juknis lists
    ("peluang_ekonomi", "pokmas", "bermigrasi masuk"),                      # "Migrasi masuk dan keluar"
    ("peluang_ekonomi", "pokmas", "bermigrasi keluar"),
    ("pendapatan_konsumsi", "pokmas", "pendapatan individu"),               # "… keseluruhan pendapatan individu"
    ("pendapatan_konsumsi", "pokmas", "pendapatan rumah tangga"),
    ("pendapatan_konsumsi", "pokmas", "belanja makanan"),                   # "(konsumsi makanan, pendidikan dan
    ("pendapatan_konsumsi", "pokmas", "pendidikan dan kesehatan"),          #  kesehatan, transportasi dan
    ("pendapatan_konsumsi", "pokmas", "transportasi dan komunikasi"),       #  komunikasi, keperluan rumah,
    ("pendapatan_konsumsi", "pokmas", "keperluan rumah"),                   #  transfer, lainnya)"
    ("pendapatan_konsumsi", "pokmas", "transfer"),
    ("pendapatan_konsumsi", "pokmas", "belanja lainnya"),
    ("tenaga_kerja", "pokmas", "kedudukan dalam pekerjaan utama"),          # "Status kedudukan dalam pekerjaan"
    ("kinerja_usaha", "pokmas", "Pembelian berulang"),                      # "Pembelian berulang …"
    ("kinerja_usaha", "pokmas", "pasar utama"),                             # "Pasar utama"
    ("kinerja_usaha", "pokmas", "Waktu produksi"),                          # "Waktu produksi dalam satu bulan"
    ("kinerja_usaha", "pokmas", "aset produksi"),                           # "aset (produksi dan non produksi)"
    ("kinerja_usaha", "pokmas", "aset non-produksi"),
    ("akses_jaringan", "bumdes_koperasi", "telepon genggam"),               # BUMDES: "Menggunakan telepon genggam"
    ("persepsi_dampak", "bumdes_koperasi", "Dampak sosial"),                # BUMDES: "Keuntungan, Dampaksosial"
]


@pytest.mark.parametrize(("theme", "source", "phrase"), JUKNIS_ITEMS)
def test_every_template_the_juknis_lists_is_offered(theme: str, source: str, phrase: str) -> None:
    t = results.APP_TEMPLATES
    hit = t[(t["tema"] == theme) & (t["sumber_kelompok"] == source) & t["nama"].str.contains(phrase, regex=False)]
    assert len(hit) == 1, (theme, source, phrase)


def test_year_end_reviews_apart_and_adding_interventions_only_there(db_copy: Path) -> None:
    # "d. Pertemuan review akhir tahun pertama; e. … akhir tahun kedua"; their key decision: "Melanjutkan,
    # menghentikan atau menambah intervensi baru"
    assert results.REVIEW_KINDS[-2:] == ("akhir_tahun_1", "akhir_tahun_2") and "tambah" in results.DECISIONS
    db = Database(db_copy)
    cid = int(mon_store.rc_chains(db)["id"].iloc[0])
    before = len(mon_store.reviews(db, cid))
    with pytest.raises(ValueError, match="diputuskan di pertemuan review akhir tahun pertama atau kedua"):
        mon_store.add_review(db, "pemantau", "p", cid, "triwulan", date(2026, 3, 30), "Kemajuan", "", "tambah",
                             "Pelatihan pengemasan", [])
    with pytest.raises(ValueError, match="Tuliskan intervensi baru"):
        mon_store.add_review(db, "pemantau", "p", cid, "akhir_tahun_2", date(2027, 12, 15), "Kinerja portofolio", "",
                             "tambah", " ", [])
    assert len(mon_store.reviews(db, cid)) == before
    mon_store.add_review(db, "pemantau", "p", cid, "akhir_tahun_2", date(2027, 12, 15), "Kinerja portofolio", "",
                         "tambah", "Intervensi pengemasan untuk pasar modern", [])
    latest = mon_store.reviews(db, cid).iloc[0]
    assert (latest["jenis"], latest["keputusan"]) == ("akhir_tahun_2", "tambah")


def test_an_older_database_keeps_its_reviews_and_boxes_through_migration_20(tmp_path: Path) -> None:
    path = tmp_path / "lama.duckdb"
    old = Database(path, migrate=False)
    old.migrate(upto=19)
    old.con.execute("INSERT INTO rc_chains VALUES (1, NULL, 'RH', FALSE, 'x', now())")
    old.con.execute("INSERT INTO rc_boxes VALUES (1, 'A1', 3, 'POKMAS menjual', NULL)")
    old.con.execute("""INSERT INTO reviews VALUES (7, 1, 'akhir_tahun', DATE '2025-12-20', 'Tinjauan tahunan', NULL,
                       'lanjut', NULL, [], FALSE, 'x', now())""")
    old.close()
    db = Database(path)
    assert db.scalar("SELECT jenis FROM reviews WHERE id = 7") == "akhir_tahun_1"
    assert db.scalar("SELECT perubahan FROM rc_boxes WHERE box = 'A1'") == "dampak_pokmas"
    assert db.scalar("SELECT count(*) FROM rc_indicators") == 0
    assert "sumber_verifikasi" in db.query("SELECT * FROM rc_indicators").columns
