"""Lampiran 1 (Rancangan Intervensi) and Lampiran 6 (Rencana Pelaksanaan Detil) of the Juknis APP's proposal
outline (seeds/000, "10. Lampiran"), issue 18 item 7. Known answers from the demo's model A worked by hand: new
households 80, 120, 160 (cumulative 80, 200, 360); earning the full gain 40, 116, 220 of a POKMAS of 80, so the
POKMAS's sales volume is 0,5, 1,45 and 2,75 times its "after" volume; its value chain's two root causes."""

from __future__ import annotations

import duckdb
import pytest

from analytics.business import annexes, calc
from analytics.business import store as bm_store
from analytics.core.db import Database


def test_lampiran_1_and_6_of_the_demo_model_a(ro_db: Database, built_db) -> None:
    models = bm_store.bm_models(ro_db)
    mid = int(models.loc[models["model"] == "A", "id"].iloc[0])
    info = models.set_index("id").loc[mid]
    tables = bm_store.load(ro_db, mid)
    ev = calc.evaluate(tables, float(info["discount_rate"]))
    sheets = annexes.annexes(info, tables, ev, None, bm_store.chain_problems(ro_db, mid),
                             bm_store.code_names(ro_db, mid))
    assert list(sheets)[0] == "Lampiran 1 Rancangan intervensi" and list(sheets)[-2:] == [
        "Lampiran 6 Rencana pelaksanaan", "Lampiran 7 Anggaran"]
    con = duckdb.connect(str(built_db), read_only=True)
    roots = con.execute("""SELECT p.teks, p.intervensi FROM vc_problems p JOIN bm_models m ON m.chain_id = p.chain_id
                           WHERE m.id = ? AND p.akar ORDER BY p.id""", [mid]).fetchall()
    after = con.execute("""SELECT sum(volume) FROM bm_lines WHERE model_id = ? AND peran = 'pokmas'
                           AND skenario = 'sesudah' AND jenis = 'pendapatan'""", [mid]).fetchone()[0]
    items = con.execute("SELECT count(*) FROM bm_budget WHERE model_id = ?", [mid]).fetchone()[0]
    con.close()
    l1 = sheets["Lampiran 1 Rancangan intervensi"]
    assert l1.loc[l1["Bagian"] == "Akar masalah", "Uraian"].tolist() == [t for t, _ in roots]
    assert l1.loc[l1["Bagian"] == "Intervensi", "Uraian"].tolist() == [i for _, i in roots if i]
    said = dict(zip(l1["Bagian"], l1["Uraian"], strict=False))
    assert said["Komoditas"] == "Jahe merah" and said["Kabupaten/kota"] == "Kabupaten Trenggalek"  # names, not codes
    pokmas = l1[l1["Bagian"] == "POKMAS/UMK"].iloc[0]
    assert pokmas["Keterangan"].startswith("80 rumah tangga; wilayah: ") and "35." not in pokmas["Keterangan"]
    l6 = sheets["Lampiran 6 Rencana pelaksanaan"]
    assert (l6["Kegiatan"] != "Sasaran tahun ini").sum() == items
    targets = l6[l6["Kegiatan"] == "Sasaran tahun ini"]
    assert targets["Tahun ke-"].tolist() == [1, 2, 3]
    for text, new, reached, scale in zip(targets["Sasaran"], (80, 120, 160), (80, 200, 360), (0.5, 1.45, 2.75),
                                         strict=True):
        volume = f"{after * scale:,.0f}".replace(",", ".")
        assert text == f"{new} RT baru; {reached} RT terjangkau; volume penjualan POKMAS {volume}"
    assert l6["Tahun ke-"].is_monotonic_increasing
    assert bm_store.chain_problems(ro_db, 987654) is None and bm_store.code_names(ro_db, 987654) == {}
    assert pytest.approx(l6["Nilai (Rp)"].sum()) == float(tables["budget"]["nilai"].sum())
