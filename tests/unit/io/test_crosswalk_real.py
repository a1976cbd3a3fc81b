"""The BPS–Kemendagri crosswalk on BPS desa polygons as BPS distributes them (four kabupaten/kota read in
place from ../shared/data/bps-desa-sample/): the files go in as they are, at least 97% of each file's
features sure, every sure pair vouched for by its place (the official point inside or within 1 km) or by
both names, no desa twice, and every other feature left out with suggestions and a reason."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from analytics.core.db import Database
from analytics.io import pipeline
from tests.shared_data import shared_file

# features in the file, sure pairs expected at least (97% of the features)
SAMPLES = {"3501": 171, "3515": 350, "3529": 333, "3578": 154}


@pytest.mark.parametrize("kab", list(SAMPLES))
def test_bps_desa_files_go_in_with_sure_pairs_and_suggestions(ro_db: Database, kab: str) -> None:
    path = shared_file("bps-desa-sample", f"idkab_{kab}.geojson")
    gdf = gpd.read_file(path)
    assert len(gdf) == SAMPLES[kab]
    pv = pipeline.boundary_preview(ro_db, path.name, path.read_bytes())
    assert pv.ok and pv.level == "desa"  # stored as it is: the sure pairs; the rest keep their shape
    assert len(pv.matched) >= 0.97 * len(gdf)
    assert len(pv.matched) + len(pv.unsure) == len(gdf)
    assert not pv.matched["kode"].duplicated().any()
    points = ro_db.query("SELECT kode, lon, lat FROM areas WHERE level = 'desa'").set_index("kode")
    for r in pv.matched.itertuples():
        assert r.method.startswith("silang BPS: ")
        lon, lat = points.loc[r.kode, ["lon", "lat"]]
        km = r.geometry.distance(shapely.Point(lon, lat)) * 111.32
        assert km <= 1.0 or "nama+kecamatan" in r.method, (r.kode, r.method, km)
    for r in pv.unsure.itertuples():
        assert r.reason and 1 <= len(r.suggestions) <= 3
        assert all(s["kode"].startswith(f"{kab[:2]}.{kab[2:]}.") for s in r.suggestions)


def test_a_bps_code_that_looks_like_another_desas_kemendagri_code_is_read_as_bps(ro_db: Database) -> None:
    """Surabaya: BPS 3578141002 is Bringin (Sambikerep); Kemendagri 35.78.14.1002 is a kelurahan of Tandes.
    The crosswalk finds Kemendagri's Beringin in Sambikerep (a spelling variant)."""
    path = shared_file("bps-desa-sample", "idkab_3578.geojson")
    pv = pipeline.boundary_preview(ro_db, path.name, path.read_bytes())
    names = ro_db.query("SELECT kode, nama FROM areas WHERE kode LIKE '35.78.%'").set_index("kode")["nama"]
    bringin = pv.matched[pv.matched["nama_file"] == "BRINGIN"]
    kode = bringin["kode"].iat[0]
    assert len(bringin) == 1 and kode != "35.78.14.1002"
    assert names[kode].upper() == "BERINGIN" and names[kode[:8]].upper() == "SAMBIKEREP"


def test_a_feature_holding_two_desa_points_is_listed_not_guessed(ro_db: Database) -> None:
    """Pacitan: BPS 2022's KETRO holds the official points of Kemendagri's Ketro (35.01.10.2016) and Ketro
    Harjo (35.01.10.2017), a split since; no other feature has either. Listed with both as suggestions;
    Sidoarjo's three 'DAERAH BERDAMPAK LUMPUR' polygons (the Lapindo mudflow) are said to have no
    Kemendagri desa."""
    path = shared_file("bps-desa-sample", "idkab_3501.geojson")
    pv = pipeline.boundary_preview(ro_db, path.name, path.read_bytes())
    ketro = pv.unsure[pv.unsure["value"] == "KETRO"]
    assert len(ketro) == 1 and not pv.matched["kode"].isin(["35.01.10.2016", "35.01.10.2017"]).any()
    assert [s["kode"] for s in ketro["suggestions"].iat[0][:2]] == ["35.01.10.2016", "35.01.10.2017"]
    assert "2 desa Kemendagri" in ketro["reason"].iat[0] and "pemekaran" in ketro["reason"].iat[0]
    path = shared_file("bps-desa-sample", "idkab_3515.geojson")
    pv = pipeline.boundary_preview(ro_db, path.name, path.read_bytes())
    mud = pv.unsure[pv.unsure["value"] == "DAERAH BERDAMPAK LUMPUR"]
    assert len(mud) == 3 and mud["reason"].str.contains("wilayah BPS tanpa desa Kemendagri").all()


def test_the_crosswalk_is_stored_and_then_reads_bps_codes_in_tables(db_copy) -> None:
    """Storing Pacitan's BPS file keeps its pairs; a later indicator table with BPS desa codes (and
    names the region list spells differently) matches through them."""
    db = Database(db_copy)
    try:
        path = shared_file("bps-desa-sample", "idkab_3501.geojson")
        pv = pipeline.import_boundaries(db, "admin", "uji", path.name, path.read_bytes())
        pairs = db.query("SELECT * FROM crosswalk ORDER BY kode_bps")
        assert len(pairs) == len(pv.matched) == 170  # KETRO is listed as a split
        assert pairs["kode_bps"].str.fullmatch(r"3501\d{6}").all()
        assert pairs["kode_kemendagri"].str.startswith("35.01.").all()
        assert pairs["keyakinan"].between(0.75, 1).all() and (pairs["sumber"] == f"batas: {path.name}").all()
        first = pairs.iloc[0]
        table = f"kode;nama;p0\n{first['kode_bps']};NAMA LAIN;21,5\n".encode()
        tpv = pipeline.table_preview(db, "desa_bps.csv", table, 2024)
        assert tpv.values["kode"].tolist() == [first["kode_kemendagri"]]
        assert tpv.areas["method"].tolist() == ["kode BPS (tabel silang)"]
    finally:
        db.close()


def test_the_crosswalk_goes_out_and_back_in_as_csv(db_copy) -> None:
    from analytics.core import store as core_store
    from analytics.core.problems import ImportRejected
    from analytics.render import documents

    db = Database(db_copy)
    try:
        path = shared_file("bps-desa-sample", "idkab_3578.geojson")
        pipeline.import_boundaries(db, "admin", "uji", path.name, path.read_bytes())
        stored = core_store.crosswalk(db)
        out = documents.csv_bytes(stored[["kode_bps", "kode_kemendagri", "metode", "keyakinan"]])
        db.write("uji", "uji", "kosongkan", lambda cur: cur.execute("DELETE FROM crosswalk"))
        assert pipeline.import_crosswalk(db, "perencana", "uji", "silang.csv", out) == len(stored) == 153
        again = core_store.crosswalk(db)
        assert again[["kode_bps", "kode_kemendagri"]].equals(stored[["kode_bps", "kode_kemendagri"]])
        assert (again["keyakinan"] - stored["keyakinan"]).abs().max() < 1e-9
        before = db.table_checksums()
        bad = b"kode_bps;kode_kemendagri;keyakinan\n357814100;35.78.14.1002;1\n3578141002;35.78.99.9999;2\n"
        with pytest.raises(ImportRejected) as exc:
            pipeline.import_crosswalk(db, "perencana", "uji", "silang_salah.csv", bad)
        msg = str(exc.value)
        assert "baris 2, kolom 'kode_bps': '357814100' bukan kode desa BPS (10 angka)" in msg
        assert "baris 3, kolom 'kode_kemendagri': '35.78.99.9999' bukan kode desa Kemendagri" in msg
        assert "baris 3, kolom 'keyakinan': keyakinan harus angka 0 sampai 1" in msg
        assert db.table_checksums() == before
    finally:
        db.close()


def test_a_chosen_suggestion_goes_in_and_a_taken_desa_is_refused(ro_db: Database) -> None:
    """Pacitan's KETRO: the planner picks suggestion 1 (Ketro) in the table; the pair is stored with its
    score as confidence and the warning about unsure features goes. Picking a desa another feature holds
    is an error naming that feature."""
    from analytics.io import boundaries, context

    path = shared_file("bps-desa-sample", "idkab_3501.geojson")
    pv = pipeline.boundary_preview(ro_db, path.name, path.read_bytes())
    table = context.unsure_table(pv.unsure)
    assert table.columns.tolist() == ["fitur", "nama_di_berkas", "pilihan", "saran_1", "saran_2", "saran_3", "alasan"]
    assert table["saran_1"].iat[0] == "Ketro (35.01.10.2016), 0,00 km, skor 1,00"  # inside; name and kecamatan agree
    assert (table["pilihan"] == "—").all() and context.chosen_pairs(pv.unsure, table) == {}
    table.loc[0, "pilihan"] = "saran 1"
    chosen = context.chosen_pairs(pv.unsure, table)
    assert chosen == {int(pv.unsure["feature"].iat[0]): "35.01.10.2016"}
    done = boundaries.accept(pv, chosen)
    assert len(done.matched) == 171 and done.unsure.empty and done.ok
    row = done.matched[done.matched["kode"] == "35.01.10.2016"].iloc[0]
    assert row["method"] == "saran diterima" and row["keyakinan"] == pv.unsure["suggestions"].iat[0][0]["skor"]
    assert not any("belum punya pasangan" in p.message for p in done.problems)
    holder = int(pv.matched["feature"].iat[0])
    clash = boundaries.accept(pv, {int(pv.unsure["feature"].iat[0]): pv.matched["kode"].iat[0]})
    assert len(clash.matched) == 170  # not among KETRO's suggestions: ignored
    pv.unsure.at[pv.unsure.index[0], "suggestions"] = [{**pv.unsure["suggestions"].iat[0][0],
                                                        "kode": pv.matched["kode"].iat[0]}]
    clash = boundaries.accept(pv, {int(pv.unsure["feature"].iat[0]): pv.matched["kode"].iat[0]})
    assert not clash.ok and len(clash.unsure) == 1
    assert any(p.severity == "error" and f"sudah dipasangkan dengan fitur {holder}" in p.message
               for p in clash.problems)


def test_two_features_on_one_bps_code_are_listed(ro_db: Database) -> None:
    path = shared_file("bps-desa-sample", "idkab_3578.geojson")
    gdf = gpd.read_file(path)
    gdf.loc[1, "iddesa"] = gdf.loc[0, "iddesa"]
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "dup.geojson"
        gdf.to_file(out, driver="GeoJSON")
        pv = pipeline.boundary_preview(ro_db, out.name, out.read_bytes())
    listed = pv.unsure[pv.unsure["feature"].isin([1, 2])].sort_values("feature")
    assert listed["feature"].tolist() == [1, 2] and not pv.matched["feature"].isin([1, 2]).any()
    assert listed["reason"].str.contains(f"kode BPS {gdf.loc[0, 'iddesa']} dipakai juga oleh fitur").all()


def test_ten_digit_codes_that_exist_in_both_systems_follow_the_file(db_copy) -> None:
    """Surabaya's BPS 3578141002 is Bringin (Sambikerep); as a Kemendagri code it is a kelurahan of Tandes.
    After the BPS boundaries are stored, a table and a register written in BPS codes read it as BPS's
    (most of their codes are unknown to Kemendagri); a table in Kemendagri codes still reads Tandes."""
    from analytics.io import context, read, registers

    db = Database(db_copy)
    try:
        path = shared_file("bps-desa-sample", "idkab_3578.geojson")
        pipeline.import_boundaries(db, "admin", "uji", path.name, path.read_bytes())
        pairs = db.query("SELECT kode_bps, kode_kemendagri FROM crosswalk WHERE kode_bps LIKE '3578%' "
                         "ORDER BY kode_bps").set_index("kode_bps")["kode_kemendagri"]
        bringin = pairs["3578141002"]
        assert bringin != "35.78.14.1002"
        others = [k for k in pairs.index if k != "3578141002"][:5]
        bps_rows = "".join(f"{k};;{10 + i},5\n" for i, k in enumerate(["3578141002", *others]))
        tpv = pipeline.table_preview(db, "bps.csv", f"kode;nama;p0\n{bps_rows}".encode(), 2024)
        assert dict(zip(tpv.values["kode"], tpv.values["value"], strict=True))[bringin] == 10.5
        assert any("dibaca sebagai kode BPS" in p.message for p in tpv.problems)
        kem = pipeline.table_preview(db, "kem.csv", b"kode;nama;p0\n3578141002;;10,5\n35.78.01.1001;;9,5\n", 2024)
        assert kem.values["kode"].tolist()[0] == "35.78.14.1002"
        lines = "".join(f"35{10**13 + i:014d},{k},2,pertanian,L\n" for i, k in enumerate(["3578141002", *others]))
        cells = read.read_cells("r.csv", f"nik,kode_desa,desil,sektor,jenis_kelamin_kk\n{lines}".encode())
        rpv = registers.preview("r.csv", cells, context.resolver(db))
        assert rpv.households["kode"].tolist() == [pairs[k] for k in ["3578141002", *others]]
    finally:
        db.close()
