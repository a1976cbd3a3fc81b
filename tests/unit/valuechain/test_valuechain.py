"""Value chain: known-answer margins and value added on a hand-computed chain, Sankey and tree builders,
flow checks."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.render import charts, diagrams
from analytics.valuechain import analysis

ACTORS = pd.DataFrame([
    ("P", "Petani kopi", "produksi", "umk_pokmas", 120, 1000.0, 0.4),
    ("K", "Pengepul desa", "pengumpulan", "mitra_lokal", 6, None, 0.2),
    ("O", "Pengolah (roastery)", "pengolahan", "mitra_swasta", 1, None, 0.5),
    ("R", "Pengecer", "ritel", "mitra_swasta", 15, None, 0.6),
    ("C", "Konsumen", "konsumsi", "konsumen", None, None, None),
], columns=["actor", "nama", "fungsi", "jenis", "jumlah", "produksi", "perempuan"])


def _flows(scenario: str, prices: tuple[float, float, float, float], volume: float = 1000.0) -> pd.DataFrame:
    steps = [("P", "K"), ("K", "O"), ("O", "R"), ("R", "C")]
    return pd.DataFrame([{"dari": a, "ke": b, "volume": volume, "satuan": "kg", "harga": p, "skenario": scenario}
                         for (a, b), p in zip(steps, prices, strict=False)])


FLOWS = pd.concat([_flows("sebelum", (20_000, 24_000, 30_000, 40_000)),
                   _flows("sesudah", (26_000, 28_000, 32_000, 40_000))], ignore_index=True)


def test_margins_and_value_added_by_hand() -> None:
    t = analysis.margins(ACTORS, FLOWS, "sebelum").set_index("actor")
    assert t.loc["P", "harga_akhir"] == 40_000
    # unit margins: 20,000 / 4,000 / 6,000 / 10,000 → shares 50% / 10% / 15% / 25%
    assert t.loc[["P", "K", "O", "R"], "marjin_per_unit"].tolist() == [20_000, 4_000, 6_000, 10_000]
    assert t.loc[["P", "K", "O", "R"], "bagian_harga_akhir"].tolist() == pytest.approx([0.5, 0.1, 0.15, 0.25])
    assert t.loc[["P", "K", "O", "R"], "nilai_tambah"].sum() == 40_000 * 1000  # = what consumers pay
    assert t.loc["K", "nilai_tambah"] == 4_000 * 1000
    after = analysis.margins(ACTORS, FLOWS, "sesudah").set_index("actor")
    assert after.loc["P", "bagian_harga_akhir"] == pytest.approx(26_000 / 40_000)  # the farmer's share rises
    by_type = analysis.margin_by_type(analysis.margins(ACTORS, FLOWS)).set_index("jenis")
    assert by_type.loc["mitra_swasta", "bagian_harga_akhir"] == pytest.approx(0.40)
    assert by_type.loc["umk_pokmas", "nilai_tambah"] == 20_000_000


def test_checks_find_unknown_actors_and_imbalances() -> None:
    assert analysis.check(ACTORS, FLOWS) == []
    bad = FLOWS.copy()
    bad.loc[1, "ke"] = "X"
    bad.loc[2, "harga"] = None
    found = analysis.check(ACTORS, bad)
    assert any(c.severity == "error" and "'X'" in c.message and c.row == 2 for c in found)
    assert any(c.severity == "error" and "harga" in c.message and c.row == 3 for c in found)
    over = FLOWS.copy()
    over.loc[1, "volume"] = 1200  # the collector sends more than it bought
    warn = analysis.check(ACTORS, over)
    assert [c.severity for c in warn] == ["warning"]  # only K: the processor receives 1,200 and sends 1,000
    k_name = ACTORS.set_index("actor").loc["K", "nama"]  # the test's own table: names, not codes, on screen
    assert f"pelaku {k_name} (K) mengirim 1.200 padahal menerima/memproduksi 1.000" in warn[0].message


def test_sankey_builder() -> None:
    d = analysis.sankey_data(ACTORS, FLOWS, "sebelum", "nilai")
    assert d["labels"] == ["Petani kopi", "Pengepul desa", "Pengolah (roastery)", "Pengecer", "Konsumen"]
    assert d["source"] == [0, 1, 2, 3] and d["target"] == [1, 2, 3, 4]
    assert d["value"] == [20_000_000, 24_000_000, 30_000_000, 40_000_000]
    assert analysis.sankey_data(ACTORS, FLOWS, "sebelum", "volume")["value"] == [1000.0] * 4
    fig = charts.sankey_figure(d, "Aliran nilai", "Rp")
    assert fig.data[0].type == "sankey" and list(fig.data[0].link.value) == d["value"]


def test_problem_tree_dot() -> None:
    tree = pd.DataFrame([
        ("m", None, "Harga kopi petani rendah", False),
        ("a", "m", "Mutu biji tidak seragam", False),
        ("b", "m", "Petani menjual ke satu pengepul", False),
        ("a1", "a", "Tidak ada SOP pascapanen \"petik merah\"", True),
    ], columns=["id", "parent", "teks", "akar"])
    dot = diagrams.problem_tree_dot(tree)
    assert dot.startswith("digraph") and dot.count("->") == 3
    assert '"m" -> "a"' in dot and '"a" -> "a1"' in dot and 'mengapa?' in dot
    assert '\\"petik merah\\"' in dot and '#fd8d3c' in dot  # quotes escaped; the root cause highlighted


def test_demo_chains_are_consistent_and_labelled(ro_db) -> None:
    from analytics.render import diagrams
    from analytics.valuechain import analysis
    from analytics.valuechain import store as vc_store

    listed = vc_store.vc_chains(ro_db)
    assert len(listed) == 2 and listed["is_synthetic"].all()
    assert listed["title"].str.contains("sintetis").all()
    for cid in listed["id"]:
        c = vc_store.load(ro_db, int(cid))
        assert analysis.check(c["actors"], c["flows"]) == []  # volumes balance at every actor
        for scen in analysis.SCENARIOS:
            t = analysis.margins(c["actors"], c["flows"], scen)
            chain_actors = t[~t["fungsi"].isin(["konsumsi"])]
            # what consumers pay = the value added along the chain + inputs bought from outside
            paid = t.loc[t["fungsi"] == "konsumsi", "nilai_masuk"].sum()
            inputs = c["flows"][(c["flows"]["skenario"] == scen) & (c["flows"]["dari"].isin(
                c["actors"].loc[c["actors"]["fungsi"] == "input", "actor"]))]
            outside = (inputs["volume"] * inputs["harga"]).sum()
            assert chain_actors["nilai_tambah"].sum() == pytest.approx(paid)
            assert outside > 0
        g = analysis.guideline_table(c["problems"])
        assert len(g) == 2 and g["Intervensi"].str.len().gt(0).all()
        dot = diagrams.system_dot(c["actors"], c["system"], "Sistem pasar")
        assert "cluster_pendukung" in dot and "cluster_aturan" in dot and "cluster_inti" in dot


def test_farmer_share_rises_in_the_coffee_business_model(ro_db) -> None:
    from analytics.valuechain import analysis
    from analytics.valuechain import store as vc_store

    cid = int(vc_store.vc_chains(ro_db).query("commodity == 'kopi'")["id"].iloc[0])
    c = vc_store.load(ro_db, cid)
    before = analysis.margins(c["actors"], c["flows"], "sebelum").set_index("actor")
    after = analysis.margins(c["actors"], c["flows"], "sesudah").set_index("actor")
    assert after.loc["P", "harga_jual"] > before.loc["P", "harga_jual"]
    # the farmer's fertiliser is counted per kg of coffee sold: 60,000 kg × Rp 3,000 / 240,000 kg
    assert before.loc["P", "harga_beli"] == pytest.approx(60_000 * 3_000 / 240_000)


def test_saving_checks_and_changes_nothing_on_error(db_copy) -> None:
    from analytics.core.auth import PermissionDenied
    from analytics.core.db import Database
    from analytics.valuechain import store as vc_store

    db = Database(db_copy)
    cid = vc_store.create_chain(db, "pokja", "t", "kopi", "35.11", "Kopi uji")
    vc_store.save(db, "pokja", "t", cid, "actors", ACTORS)
    warnings = vc_store.save(db, "pokja", "t", cid, "flows", FLOWS)
    assert warnings == []
    before = db.table_checksums()
    bad = FLOWS.copy()
    bad.loc[0, "ke"] = "Z"
    with pytest.raises(ValueError, match="'Z'"):
        vc_store.save(db, "pokja", "t", cid, "flows", bad)
    with pytest.raises(PermissionDenied):
        vc_store.save(db, "viewer", "v", cid, "flows", FLOWS)
    assert db.table_checksums() == before
    over = FLOWS.copy()
    over.loc[1, "volume"] = 1500
    w = vc_store.save(db, "pokja", "t", cid, "flows", over)
    assert len(w) == 1 and "pelaku Pengepul desa (K)" in w[0].message  # saved, with a clear warning
    assert len(vc_store.load(db, cid)["flows"]) == len(FLOWS)
    assert cid in set(vc_store.vc_chains(db)["id"])
    db.close()


def test_xlsx_round_trip_and_bad_workbooks(db_copy) -> None:
    import io

    from openpyxl import load_workbook

    from analytics.core.db import Database
    from analytics.core.problems import ImportRejected
    from analytics.render import documents
    from analytics.valuechain import store as vc_store

    db = Database(db_copy)
    demo = vc_store.vc_chains(db).query("commodity == 'kopi'").iloc[0]
    tables = vc_store.load(db, int(demo["id"]))
    data = documents.chain_xlsx(demo, tables)
    cid = vc_store.create_chain(db, "perencana", "t", "kopi", "35.11", "Kopi dari XLSX")
    counts = vc_store.import_xlsx(db, "perencana", "t", cid, "kopi.xlsx", data)
    assert counts == {"actors": len(tables["actors"]), "flows": len(tables["flows"]),
                      "system": len(tables["system"]), "problems": len(tables["problems"])}
    again = vc_store.load(db, cid)
    pd.testing.assert_frame_equal(again["flows"], tables["flows"], check_dtype=False)
    assert again["problems"]["akar"].sum() == 2
    # the workbook is written for people: headers by name, numbers as numbers with a format, sheet names whole
    wb = load_workbook(io.BytesIO(data))
    flows = wb["Aliran"]
    head = [c.value for c in flows[3]]  # below the synthetic-data note
    assert head == ["Skenario", "Dari", "Ke", "Volume", "Satuan", "Harga (Rp/satuan)"]
    assert isinstance(flows["F4"].value, (int, float)) and flows["F4"].number_format == "#,##0"
    assert flows["F4"].value == tables["flows"]["harga"].iloc[0]
    margins = wb["Marjin sebelum"]
    share_col = [c.value for c in margins[3]].index("Bagian harga akhir") + 1
    assert margins.cell(4, share_col).number_format == "0.0%"
    assert all(len(s) <= 31 for s in wb.sheetnames)

    def broken(edit) -> bytes:
        wb = load_workbook(io.BytesIO(data))
        edit(wb)
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    before = db.table_checksums()
    flows_sheet = lambda wb: wb["Aliran"]  # noqa: E731
    cases = {
        "pelaku_asing.xlsx": (lambda wb: flows_sheet(wb).__setitem__("C5", "Z"), ["lembar 'Aliran'", "baris 5", "'Z'"]),
        "teks_harga.xlsx": (lambda wb: flows_sheet(wb).__setitem__("F6", "mahal"),
                            ["baris 6", "kolom 'Harga (Rp/satuan)'", "'mahal' bukan angka"]),
        "tanpa_kolom.xlsx": (lambda wb: flows_sheet(wb).__setitem__("D3", "jumlah"), ["kolom volume tidak ada"]),
    }
    for name, (edit, pieces) in cases.items():
        with pytest.raises(ImportRejected) as exc:
            vc_store.import_xlsx(db, "perencana", "t", cid, name, broken(edit))
        for piece in [f"Berkas '{name}'"] + pieces:
            assert piece in str(exc.value), (piece, str(exc.value))
    with pytest.raises(ImportRejected, match="rusak"):
        vc_store.import_xlsx(db, "perencana", "t", cid, "rusak.xlsx", b"PK\x03\x04bukan xlsx")
    other = io.BytesIO()
    pd.DataFrame({"a": [1]}).to_excel(other, sheet_name="Lain", index=False)
    with pytest.raises(ImportRejected, match="tidak ada lembar"):
        vc_store.import_xlsx(db, "perencana", "t", cid, "lain.xlsx", other.getvalue())
    assert db.table_checksums() == before
    db.close()


def test_actor_locations_must_be_known_areas(db_copy) -> None:
    from analytics.core.db import Database
    from analytics.valuechain import store as vc_store

    db = Database(db_copy)
    cid = vc_store.create_chain(db, "pokja", "t", "kopi", "35.11", "Lokasi")
    bad = ACTORS.assign(wilayah=["35.11.07", "35.99.01", None, None, None])
    with pytest.raises(ValueError, match="35.99.01 tidak dikenal"):
        vc_store.save(db, "pokja", "t", cid, "actors", bad)
    vc_store.save(db, "pokja", "t", cid, "actors",
                  ACTORS.assign(wilayah=["35.11.07, 35.11", None, "35.78", None, None]))
    assert vc_store.load(db, cid)["actors"]["wilayah"].iloc[0] == "35.11.07, 35.11"
    db.close()
