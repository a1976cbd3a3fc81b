"""Stored business models: built from the value chain, every actor better off, projection and returns
by hand, poor-household check against the register, bad tables refused with nothing changed, annexes."""

from __future__ import annotations

import io
import zipfile

import numpy_financial as npf
import pandas as pd
import pytest

from analytics.business import annexes, calc
from analytics.business import store as bm_store
from analytics.demo import chains as demo_chains
from analytics.poverty.targeting import is_productive
from analytics.render import diagrams, documents
from analytics.valuechain import store as vc_store


def _model(db, commodity: str) -> tuple[pd.Series, dict[str, pd.DataFrame]]:
    listed = bm_store.bm_models(db)
    info = listed[listed["commodity"] == commodity].iloc[0]
    return info, bm_store.load(db, int(info["id"]))


def test_from_chain_picks_the_model_actors() -> None:
    chain = demo_chains.frames(demo_chains.DEMO_CHAINS[0])  # coffee
    picked = calc.from_chain(chain["actors"], chain["flows"], chain["system"])
    assert {r: p["chain_actor"] for r, p in picked.items()} == {
        "pokmas": "P", "mitra_lokal": "B", "mitra_swasta": "E", "penyedia_input": "A", "lembaga_keuangan": None}
    assert picked["lembaga_keuangan"]["nama"] == "BPR dan KUR"
    assert picked["pokmas"]["rumah_tangga"] == 120
    p = picked["pokmas"]["lines"]
    before = p[p["skenario"] == "sebelum"]
    # the farmers' sales before: 200,000 kg to the collector at 38,000 and 40,000 kg to the market at 36,000
    sold = before[before["jenis"] == "pendapatan"]
    assert (sold["volume"] * sold["harga"]).sum() == 200_000 * 38_000 + 40_000 * 36_000
    bought = before[before["jenis"] == "biaya_variabel"]
    assert bought[["uraian", "volume", "harga"]].values.tolist() == [["Pembelian dari Kios saprotan", 60_000, 3_000]]
    # BUMDes did not exist before: no lines before, its purchases and sales after
    b = picked["mitra_lokal"]["lines"]
    assert set(b["skenario"]) == {"sesudah"}


def test_demo_models_pay_every_actor_and_read_the_chain(ro_db) -> None:
    listed = bm_store.bm_models(ro_db)
    assert len(listed) == 2 and listed["is_synthetic"].all()
    assert set(listed["model"]) == {"A", "B"}
    assert "sintetis" in " ".join(listed["title"])
    info, tables = _model(ro_db, "kopi")
    assert info["model"] == "B" and set(tables["actors"]["peran"]) == set(calc.ROLES)
    chain_id = int(info["chain_id"])
    assert vc_store.vc_chains(ro_db).set_index("id").loc[chain_id, "commodity"] == "kopi"
    ev = calc.evaluate(tables, float(info["discount_rate"]))
    assert ev.losers == [] and ev.summary["lebih_baik"].all()
    s = ev.summary.set_index("peran")
    # POKMAS by hand: before 9,040,000,000 − 180,000,000 − 960,000,000; after 10,260,000,000 −
    # 180,000,000 − 1,320,000,000 − 60,000,000 − 36,000,000
    assert s.loc["pokmas", "laba_sebelum"] == 7_900_000_000
    assert s.loc["pokmas", "laba_sesudah"] == 8_664_000_000
    assert s.loc["pokmas", "tambahan_per_rt"] == pytest.approx(764_000_000 / 120)
    # the BUMDes (new): 180,000 × (52,000 − 44,000 − 2,500 − 1,000) − 180,000,000 − 150,000,000
    assert s.loc["mitra_lokal", "laba_sesudah"] == 180_000 * 4_500 - 330_000_000


def _small_model() -> dict[str, pd.DataFrame]:
    """A POKMAS of 10 households selling 100 → 120 kg at Rp 10.000 → 12.000, a local partner paid Rp 500.000,
    new households 10, 10, 20 and a budget of 1,5 jt now and 0,2 jt in year 1."""
    lines = pd.DataFrame([("sebelum", "pendapatan", "Jual", 100, "kg", 10_000),
                          ("sesudah", "pendapatan", "Jual", 120, "kg", 12_000)], columns=calc.LINE_COLUMNS)
    partner = pd.DataFrame([("sesudah", "pendapatan", "Jasa", 1, "tahun", 500_000)], columns=calc.LINE_COLUMNS)
    return {"actors": pd.DataFrame({"peran": ["pokmas", "mitra_lokal", "mitra_swasta"], "nama": ["P", "L", "S"],
                                      "rumah_tangga": [10.0, 1.0, 1.0], "chain_actor": None, "wilayah": None,
                                      "catatan": None}),
              "lines": pd.concat([lines.assign(peran="pokmas"), partner.assign(peran="mitra_lokal")]),
              "outreach": pd.DataFrame({"tahun": [1, 2, 3], "rt_baru": [10, 10, 20]}),
              "budget": pd.DataFrame({"tahun": [0, 0, 1], "sumber": ["APBD", "Mitra swasta", "APBD"],
                                      "uraian": ["a", "b", "c"], "nilai": [1_000_000, 500_000, 200_000]})}


def test_projection_and_programme_returns_by_hand() -> None:
    tables = _small_model()
    ev = calc.evaluate(tables, 0.10)
    # POKMAS of 10 households gains 1,440,000 − 1,000,000 = 440,000 → 44,000 per household
    assert ev.summary.set_index("peran").loc["pokmas", "tambahan_per_rt"] == pytest.approx(44_000)
    p = ev.projection
    assert p["rt_terjangkau"].tolist() == [10, 20, 40] and p["skala"].tolist() == [1, 2, 4]
    assert p["tambahan_pendapatan_rt"].tolist() == [440_000, 880_000, 1_760_000]
    assert p["tambahan_laba_mitra"].tolist() == [500_000, 1_000_000, 2_000_000]
    flows = [-1_500_000, 940_000 - 200_000, 1_880_000, 3_760_000]
    assert ev.returns["flows"] == flows
    assert ev.returns["npv"] == pytest.approx(npf.npv(0.10, flows))
    assert ev.returns["irr"] == pytest.approx(npf.irr(flows), abs=1e-6)
    assert ev.returns["biaya_per_rt"] == pytest.approx(1_700_000 / 40)
    # benefits 940k, 1,880k, 3,760k discounted ÷ costs 1,500k + 200k/1.1
    benefit = sum(v / 1.1 ** t for t, v in enumerate([0, 940_000, 1_880_000, 3_760_000]))
    assert ev.returns["bcr"] == pytest.approx(benefit / (1_500_000 + 200_000 / 1.1))
    # households only: benefits without the partner
    only = calc.evaluate(tables, 0.10, include_partners=False)
    hh = calc.programme_returns(0.10, only.projection, tables["budget"], include_partners=False)
    assert hh["flows"] == [-1_500_000, 440_000 - 200_000, 880_000, 1_760_000]
    # cost sharing: APBD 1.2 M of 1.7 M dominates (> 60%); leverage = 0.5 ÷ 1.2
    assert ev.leverage == pytest.approx(500_000 / 1_200_000)
    assert len(ev.warnings) == 1 and ev.warnings[0].startswith("APBD menanggung 71%")
    # what-if on one actor only
    w = calc.evaluate(tables, 0.10, price=-0.5, scope="pokmas")
    ws = w.summary.set_index("peran")
    assert ws.loc["pokmas", "laba_sesudah"] == 120 * 6_000 and ws.loc["mitra_lokal", "laba_sesudah"] == 500_000
    # the private partner has no lines yet: gaining nothing is not "better off" either
    assert w.losers == ["pokmas", "mitra_swasta"] and ev.losers == ["mitra_swasta"]
    # no benefit at all: IRR says why, never NaN
    none = dict(tables, outreach=pd.DataFrame({"tahun": [1, 2, 3], "rt_baru": [0, 0, 0]}))
    r = calc.evaluate(none, 0.10).returns
    assert r["irr"] is None and r["irr_reason"] and r["payback"] is None and r["biaya_per_rt"] is None


def test_survival_and_ramp_up_by_hand() -> None:
    """Issue 18, item 1, worked by hand on the model above with the Bappenas/INKLUSI logframe's defaults
    (seeds/002, "Detail Logframe": 70% still in business after a year; the income gain within two years):
    each year's new households are a cohort, all active in their first year and 70% after; earning half the
    gain in their first year and all of it after."""
    tables = _small_model() | {"persistence": calc.INKLUSI_PERSISTENCE}
    ev = calc.evaluate(tables, 0.10)
    p = ev.projection
    # still active: year 1: 10; year 2: 0.7 × 10 + 10 = 17; year 3: 0.7 × 10 + 0.7 × 10 + 20 = 34
    assert p["rt_aktif"].tolist() == pytest.approx([10, 17, 34])
    assert p["rt_terjangkau"].tolist() == [10, 20, 40]  # reached at least once, as before
    # earning the full gain: 0.5 × 10 = 5; 0.7 × 10 + 0.5 × 10 = 12; 0.7 × 10 + 0.7 × 10 + 0.5 × 20 = 24
    assert p["skala"].tolist() == pytest.approx([0.5, 1.2, 2.4])
    assert p["tambahan_pendapatan_rt"].tolist() == pytest.approx([220_000, 528_000, 1_056_000])
    assert p["tambahan_laba_mitra"].tolist() == pytest.approx([250_000, 600_000, 1_200_000])
    flows = [-1_500_000, 470_000 - 200_000, 1_128_000, 2_256_000]
    assert ev.returns["flows"] == pytest.approx(flows)
    assert ev.returns["npv"] == pytest.approx(npf.npv(0.10, flows))
    assert ev.returns["irr"] == pytest.approx(npf.irr(flows), abs=1e-6)
    # the unadjusted figures stay beside them, as if every household stayed with the full gain
    full = [-1_500_000, 940_000 - 200_000, 1_880_000, 3_760_000]
    assert ev.returns_full["flows"] == full and ev.returns_full["npv"] == pytest.approx(npf.npv(0.10, full))
    assert ev.adjusted and not calc.evaluate({k: v for k, v in tables.items() if k != "persistence"}, 0.1).adjusted
    # a table of 100% and 100% changes nothing
    same = dict(tables, persistence=pd.DataFrame({"tahun_ke": [1], "bertahan": [100.0], "capaian": [100.0]}))
    assert not calc.evaluate(same, 0.10).adjusted
    # survival only, held after the table's last row: 100% then 50% → active 10, 15, 5 + 5 + 20 = 30
    half = dict(tables, persistence=pd.DataFrame({"tahun_ke": [1, 2], "bertahan": [100, 50], "capaian": [100, 100]}))
    assert calc.evaluate(half, 0.10).projection["skala"].tolist() == pytest.approx([1.0, 1.5, 3.0])
    # refused: a share above 100%, a gap in the years
    bad = pd.DataFrame({"tahun_ke": [1, 3], "bertahan": [120, 70], "capaian": [50, 100]})
    assert calc.check_table("persistence", bad) == [
        "Keberlanjutan, baris 1, kolom bertahan: harus antara 0% dan 100%"]
    assert calc.check_table("persistence", bad.assign(bertahan=[100, 70])) == [
        "Keberlanjutan: tahun ke- harus berurutan mulai dari 1 tanpa loncatan"]


def test_poor_households_by_hand_and_the_outreach_check(ro_db) -> None:
    info, tables = _model(ro_db, "kopi")
    poor = calc.poor_households(ro_db, str(info["kabupaten"]), tables)
    assert poor.scope == ["35.11.07"] and poor.synthetic
    raw = ro_db.query("SELECT kode, desil, sektor, households FROM register_agg WHERE kode LIKE '35.11.07.%'")
    expect = raw[raw["desil"].isin([2, 3]) & raw["sektor"].map(is_productive)]["households"].sum()
    assert poor.households == expect > 0
    ev = calc.evaluate(tables, 0.12)
    share, warn = calc.outreach_check(ev, poor)
    assert share == pytest.approx(470 / expect) and warn is None
    big = dict(tables, outreach=pd.DataFrame({"tahun": [1, 2, 3], "rt_baru": [expect, 100, 100]}))
    share, warn = calc.outreach_check(calc.evaluate(big, 0.12), poor)
    assert share > 1 and "lebih banyak dari" in warn


def test_bad_tables_are_refused_and_nothing_changes(db_copy) -> None:
    from analytics.core.auth import PermissionDenied
    from analytics.core.db import Database

    db = Database(db_copy)
    info, tables = _model(db, "jahe_merah")
    mid = int(info["id"])
    before = db.table_checksums()
    lines = calc.lines_by_role(tables)["pokmas"]
    bad = lines.copy()
    bad.loc[0, "volume"] = -10
    bad.loc[1, "harga"] = None
    bad.loc[2, "satuan"] = ""
    with pytest.raises(ValueError) as exc:
        bm_store.save(db, "pokja", "t", mid, "lines", bad, "pokmas")
    msg = str(exc.value)
    assert "Petani jahe merah (POKMAS), baris 1" in msg and "volume kosong atau negatif" in msg
    assert "baris 2" in msg and "harga belum diisi" in msg
    assert "baris 3" in msg and "satuan belum diisi" in msg
    budget = tables["budget"].copy()
    budget.loc[0, "sumber"] = "Dana desa"
    budget.loc[1, "nilai"] = -5
    with pytest.raises(ValueError, match=r"Anggaran, baris 1, kolom sumber: 'Dana desa'.*baris 2, kolom nilai"):
        bm_store.save(db, "pokja", "t", mid, "budget", budget)
    with pytest.raises(ValueError, match="tahun harus berurutan"):
        bm_store.save(db, "pokja", "t", mid, "outreach", pd.DataFrame({"tahun": [1, 3], "rt_baru": [5, 5]}))
    actors = tables["actors"][tables["actors"]["peran"] != "mitra_swasta"]
    with pytest.raises(ValueError, match="model A membutuhkan Mitra swasta"):
        bm_store.save(db, "pokja", "t", mid, "actors", actors)
    with pytest.raises(PermissionDenied):
        bm_store.save(db, "viewer", "v", mid, "lines", lines, "pokmas")
    assert db.table_checksums() == before
    # a good edit is stored, only for that actor
    good = lines.copy()
    good.loc[0, "harga"] = 6_500
    bm_store.save(db, "pokja", "t", mid, "lines", good, "pokmas")
    after = bm_store.load(db, mid)
    assert calc.lines_by_role(after)["pokmas"].loc[0, "harga"] == 6_500
    assert len(after["lines"]) == len(tables["lines"])
    db.close()


def test_create_from_a_chain_and_roles(db_copy) -> None:
    from analytics.core.auth import PermissionDenied
    from analytics.core.db import Database

    db = Database(db_copy)
    jahe = vc_store.vc_chains(db).query("commodity == 'jahe_merah'").iloc[0]
    with pytest.raises(PermissionDenied):
        bm_store.create_model(db, "viewer", "v", "x", "B", "jahe_merah", "35.03", int(jahe["id"]))
    with pytest.raises(ValueError, match="Judul"):
        bm_store.create_model(db, "perencana", "p", " ", "B", "jahe_merah", "35.03", int(jahe["id"]))
    mid = bm_store.create_model(db, "perencana", "p", "Jahe model B", "B", "jahe_merah", "35.03", int(jahe["id"]))
    t = bm_store.load(db, mid)
    names = dict(zip(t["actors"]["peran"], t["actors"]["nama"], strict=False))
    assert names["lembaga_keuangan"] == "Koperasi simpan pinjam" and names["penyedia_input"] == "Penangkar bibit"
    assert t["outreach"]["rt_baru"].tolist() == [80, 80, 80]
    s = calc.evaluate(t, 0.12).summary.set_index("peran")
    # before, straight from the chain: 250,000 × 6,000 + 50,000 × 7,000 − 20,000 × 12,000
    assert s.loc["pokmas", "laba_sebelum"] == 1_500_000_000 + 350_000_000 - 240_000_000
    blank = bm_store.create_model(db, "perencana", "p", "Tanpa rantai", "A", "kopi", "35.11")
    bt = bm_store.load(db, blank)
    assert bt["lines"].empty and len(bt["actors"]) == 3
    db.close()


def test_model_diagram_and_annexes(ro_db) -> None:
    labels = {k: k for k in ("produk", "uang", "investasi", "pinjaman", "cicilan", "rujukan", "input")}
    info, tables = _model(ro_db, "kopi")
    ev = calc.evaluate(tables, 0.12)
    names = dict(zip(tables["actors"]["peran"], tables["actors"]["nama"], strict=False))
    dot_b = diagrams.model_dot("B", names, ev.lines, labels)
    assert "lembaga_keuangan -> pokmas" in dot_b and "penyedia_input -> pokmas" in dot_b
    # the product edge carries the farmers' sales to the BUMDes after: 180.000 kg at Rp 44.000
    assert "produk 180.000 kg @ Rp 44.000" in dot_b
    dot_a = diagrams.model_dot("A", names, ev.lines, labels)
    assert "lembaga_keuangan" not in dot_a and "mitra_swasta -> mitra_lokal" in dot_a
    poor = calc.poor_households(ro_db, str(info["kabupaten"]), tables)
    sheets = annexes.annexes(info, tables, ev, poor)
    assert [n.split()[1] for n in sheets] == ["1", "2", "3", "4", "5", "6", "7"]  # the Juknis's seven annexes
    l3 = sheets["Lampiran 3 Profitabilitas POKMAS"].set_index("uraian")
    assert l3.loc["Laba bersih", "nilai_sesudah"] == 8_664_000_000
    assert l3.loc["Tambahan pendapatan bersih per rumah tangga", "nilai_sesudah"] == pytest.approx(764_000_000 / 120)
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(documents.annex_xlsx(info, sheets)))
    assert len(book.sheetnames) == 7
    assert all("sintetis" in str(book[n]["A1"].value) for n in book.sheetnames)
    doc = documents.annex_docx(info, sheets)
    xml = zipfile.ZipFile(io.BytesIO(doc)).read("word/document.xml").decode()
    assert "Lampiran 3 Profitabilitas POKMAS" in xml and "bukan data resmi" in xml
    assert "8.664.000.000" in xml  # numbers in Indonesian form


def test_a_real_register_of_another_kabupaten_is_not_read_as_zero_households(db_copy) -> None:
    """Issue 14: after a real register for Pacitan only, a model elsewhere crashed (and the workshop read 0
    households for every commodity); its figures now come from the register that covers its kabupaten."""
    from analytics.business import calc
    from analytics.business import store as bm_store
    from analytics.commodity import data_scores
    from analytics.core.db import Database
    from analytics.io import pipeline

    db = Database(db_copy)
    desa = db.query("SELECT kode FROM areas WHERE level = 'desa' AND kode LIKE '35.01.%' ORDER BY kode LIMIT 2")
    rows = "nik,kode_desa,desil,sektor,jenis_kelamin_kk,disabilitas,jumlah_art\n" + "".join(
        f"350101010190{i:04d},{desa['kode'].iloc[i % 2]},2,pertanian,P,tidak,4\n" for i in range(1, 30))
    pipeline.import_register(db, "perencana", "t", "pacitan.csv", rows.encode(), "DTKS", 2025)
    model = bm_store.bm_models(db).iloc[0]
    kab = str(model["kabupaten"])
    assert kab != "35.01"  # a demo model outside Pacitan
    tables = bm_store.load(db, int(model["id"]))
    poor = calc.poor_households(db, kab, tables)
    assert poor is not None and poor.synthetic and poor.households > 0 and poor.register.startswith("Data contoh")
    pacitan = calc.poor_households(db, "35.01", tables)
    assert pacitan is not None and not pacitan.synthetic
    assert (pacitan.households, pacitan.register) == (29, "DTKS 2025")
    # a kabupaten no register covers: no figure at all, never 0
    db.con.execute("DELETE FROM register_agg WHERE kode LIKE '35.02.%'")
    assert calc.poor_households(db, "35.02", tables) is None
    reached, source = data_scores.outreach(db, "35.02", 2024, ["kopi", "cabai"])
    assert reached.isna().all() and source == "–"
    reached, source = data_scores.outreach(db, kab, 2024, ["kopi", "cabai"])
    assert reached.notna().all() and reached.sum() > 0 and source.startswith("Data contoh")
    db.close()
