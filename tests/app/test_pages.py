"""AppTest for every page: renders, no exception, key widgets present and reacting, roles enforced."""

from pathlib import Path

import numpy_financial as npf
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests import plain

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def _run(role: str, page: str | None = None, national: bool = False) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["demo_role"] = role
    if page == "peta" and not national:  # the map of Indonesia's province already clicked (as peta_scope says)
        at.session_state["peta_scope"] = "35"
    if page:  # straight to the page, through app.py's router (see tests/app/conftest.py)
        at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, at.exception
    return at


def _sql(path: Path, query: str) -> pd.DataFrame:
    """An expected value read straight from the database file with plain SQL (not through the app; a
    read-write connection, the only kind DuckDB allows beside the app's own in the same process)."""
    con = plain.connect(path)
    try:
        return con.execute(query).df()
    finally:
        con.close()


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [w.value for w in at.warning] + [e.value for e in at.error]
    parts += [c.value for c in at.caption] + [t.value for t in at.title] + [s.value for s in at.subheader]
    parts += [s.value for s in at.success] + [i.value for i in at.info]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("role", ["viewer", "perencana", "pokja", "pemantau", "admin"])
def test_beranda_renders_for_every_role(app_env: Path, role: str) -> None:
    p0 = _sql(app_env, "SELECT value FROM indicators WHERE kode = '35' AND indicator = 'p0' AND period = 2024")
    p0 = p0["value"].iloc[0]
    at = _run(role)
    assert at.title[0].value.startswith("Perantara")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Kabupaten/kota"] == "38"
    assert metrics["Kecamatan"] == "666"
    assert metrics["Desa/kelurahan"] == "8.494"
    # the province's P0 exactly as stored (read with plain SQL before the app opened the file)
    assert metrics["P0 provinsi 2024"] == f"{p0:.2f}%".replace(".", ",") == "12,59%"
    assert "Data contoh (sintetis)" in _texts(at)
    assert "1. Persiapan" in _texts(at) and "4. Implementasi dan pengukuran hasil" in _texts(at)
    status = at.dataframe[1].value
    assert "Sintetis (data contoh)" in status.iloc[:, 1].tolist()
    assert "Perkiraan" in status.iloc[:, 1].tolist()


def test_year_and_language_filters_react(app_env: Path) -> None:
    at = _run("perencana")
    p0_2024 = next(m.value for m in at.metric if m.label == "P0 provinsi 2024")
    at.selectbox(key="_w_year").select(2021).run()
    metrics = {m.label: m.value for m in at.metric}
    assert "P0 provinsi 2021" in metrics and metrics["P0 provinsi 2021"] != p0_2024
    # AppTest (Streamlit 1.67) drops the sidebar's elements from its tree after a rerun under
    # st.navigation, so the switch is driven through its session-state key here; the browser test
    # clicks the real button.
    en = AppTest.from_file(APP, default_timeout=60)
    en.session_state["lang"] = "en"
    en.run()
    assert not en.exception
    assert en.title[0].value == "Perantara — market linkage"
    assert "Province P0 2024" in [m.label for m in en.metric]
    assert "Synthetic demo data" in _texts(en)


@pytest.mark.parametrize("role", ["viewer", "perencana", "pokja", "pemantau"])
@pytest.mark.parametrize("page", ["data", "pengguna"])
def test_admin_pages_refuse_other_roles(app_env: Path, role: str, page: str) -> None:
    at = _run(role, page)
    assert any("tidak tersedia untuk peran Anda" in e.value for e in at.error)
    assert not at.button and not at.dataframe  # no content leaked


CONTENT = {"indicators": "kode, period, indicator, value, unit, source",
           "register_agg": "kode, period, desil, sektor, sex_head, disability, households, persons",
           "production": "kode, period, commodity, value", "areas": "kode, nama, geom, coastal"}


def _content_sums(path: Path) -> dict[str, list]:
    """Row count and content hash of the demo layer's tables, with plain SQL (a read-write connection: the
    app in this process may have the file open already)."""
    return {t: plain.content_hash(path, t, c) for t, c in CONTENT.items()}


def test_data_page_for_admin_rebuilds_demo_data(app_env: Path) -> None:
    first = _content_sums(app_env)
    at = _run("admin", "data")
    assert at.title[0].value == "Data"
    assert "Versi skema basis data" in _texts(at)
    rebuild = at.button(key="rebuild")
    assert rebuild.disabled  # needs the confirmation first
    at.checkbox(key="rebuild_confirm").check().run()
    at.button(key="rebuild").click().run()
    assert not at.exception
    assert any("Data contoh dibangun ulang" in s.value for s in at.success)
    audit = at.dataframe[-1].value
    assert audit["Tindakan"].iloc[0] == "Data contoh: dibangun ulang"
    assert audit["Pengguna"].iloc[0] == "Admin, mode demo"
    # the same seed gives identical rows (only the import ids are new); the audit line says who, when, what
    con = plain.connect(app_env)
    actor, detail, ts = con.execute("SELECT actor, detail, ts FROM audit_log WHERE action = 'demo.rebuild' "
                                    "ORDER BY id DESC LIMIT 1").fetchone()
    con.close()
    assert actor == "demo:admin" and "seed" in detail and ts is not None
    assert _content_sums(app_env) == first


def test_users_page_creates_an_account(app_env: Path) -> None:
    at = _run("admin", "pengguna")
    at.text_input(key="new_username").input("sari")
    at.selectbox(key="new_role").select("pemantau")
    at.text_input(key="new_password").input("kuatsekali")
    at.button[0].click().run()  # the form's submit button
    assert not at.exception
    users = at.dataframe[0].value
    assert "sari" in users["Nama pengguna"].tolist()
    assert users.set_index("Nama pengguna").loc["sari", "Peran"] == "Staf pemantauan"
    assert "password_hash" not in users.columns


def test_login_required_when_demo_mode_is_off(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERANTARA_DEMO_MODE", "0")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Masuk"
    assert not at.metric  # no data before signing in
    at.text_input(key="login_user").input("admin")
    at.text_input(key="login_password").input("salah-sekali")
    at.button[0].click().run()
    assert any("salah" in e.value for e in at.error)


def test_damaged_database_shows_message_not_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "rusak.duckdb"
    bad.write_bytes(b"\x00garbage" * 1000)
    monkeypatch.setenv("PERANTARA_DB_PATH", str(bad))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    shown = [e.value for e in at.error]
    assert any("tidak dapat dibuka" in e for e in shown) and "rusak.duckdb" in shown[0]
    assert str(tmp_path) not in shown[0]  # the server's folders are not shown


# ---------------------------------------------------------------------- issue 3 pages
def test_peta_renders_ranks_and_drills(app_env: Path) -> None:
    stored = _sql(app_env, "SELECT kode, value FROM indicators WHERE indicator = 'p0' AND period = 2024 "
                           "AND kode LIKE '35.__' ORDER BY value DESC, kode")
    at = _run("viewer", "peta")
    assert at.title[0].value == "Peta kemiskinan"
    assert "Data contoh (sintetis)" in _texts(at)
    rank = at.dataframe[0].value
    # the order and values of the stored kabupaten P0 (plain SQL), highest first
    assert len(rank) == 38 and rank["#"].tolist() == list(range(1, 39))
    assert rank["Kode"].tolist() == stored["kode"].tolist()
    assert rank.iloc[:, 3].tolist() == [f"{v:.1f}%".replace(".", ",") for v in stored["value"]]
    assert rank["Nama"].iloc[0] == "Kabupaten Bojonegoro"
    assert any("tidak mengubahnya" in i.value for i in at.info)  # viewers cannot edit the shortlist
    # a click on Kab. Malang is a drill (the map's click sets the scope; AppTest cannot click Leaflet)
    at.session_state["peta_scope"] = "35.07"
    at.run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 33  # its kecamatan
    assert at.button(key="crumb_35.07").disabled  # the current level is not a link
    at.button(key="crumb_35").click().run()
    assert len(at.dataframe[0].value) == 38


def test_peta_starts_from_indonesia_and_a_click_enters_a_province(app_env: Path) -> None:
    at = _run("perencana", "peta", national=True)
    assert [(b.label, b.disabled) for b in at.button if b.key.startswith("crumb_")] == [("Indonesia", True)]
    assert at.get("segmented_control")[0].options == ["Provinsi", "Kabupaten/kota"]
    # the provinces with (demo) data, highest P0 first, straight from the database
    stored = _sql(app_env, "SELECT kode FROM indicators WHERE indicator = 'p0' AND period = 2024 "
                           "AND length(kode) = 2 ORDER BY value DESC, kode")["kode"].tolist()
    assert sorted(stored) == ["21", "35", "81"] and at.dataframe[0].value["Kode"].tolist() == stored
    assert any("Daftar prioritas disusun per provinsi" in i.value for i in at.info)
    at.get("segmented_control")[0].set_value("kabupaten").run()
    kab = _sql(app_env, "SELECT count(*) n FROM indicators WHERE indicator = 'p0' AND period = 2024 "
                        "AND length(kode) = 5")["n"].iloc[0]
    assert len(at.dataframe[0].value) == kab == 38 + 7 + 11  # Jawa Timur, Kepulauan Riau, Maluku
    # a click on a kabupaten of Maluku (the map's value, as st_folium sends it) enters Maluku
    at.session_state[at.session_state["peta_map_key"]] = {"last_active_drawing": {"properties": {"kode": "81.03"}}}
    at.run()
    assert not at.exception
    assert at.selectbox(key="_w_prov").value == "81"  # the province worked in follows
    assert [b.label for b in at.button if b.key.startswith("crumb_")] == ["Indonesia", "› Maluku"]
    assert len(at.dataframe[0].value) == 11 and at.session_state["peta_selected"] == "81.03"
    # back to Indonesia through the breadcrumb
    at.button(key="crumb_").click().run()
    assert [b.label for b in at.button if b.key.startswith("crumb_")] == ["Indonesia"]


def test_peta_pocket_layer_explains_a_selected_desa(app_env: Path) -> None:
    at = _run("perencana", "peta")
    at.session_state["peta_scope"] = "35.07"
    at.session_state["peta_shown"] = "desa"
    at.run()
    at.radio(key="_w_peta_layer").set_value("lisa").run()
    assert not at.exception
    rank = at.dataframe[0].value
    assert "Jenis klaster" in rank.columns and len(rank) == 390
    at.session_state["peta_selected"] = rank["Kode"].iloc[0]
    at.run()
    text = _texts(at)
    assert "Mengapa ditandai?" in text and "nilai q setelah koreksi FDR" in text
    assert "kantong tinggi-tinggi" in text  # the summary line
    # one verdict, in bold, after the reasons; its kind follows the area's own two test results
    shown = [m.value for m in at.markdown if m.value.startswith("**Kesimpulan:")]
    assert len(shown) == 1
    if rank["Jenis klaster"].iloc[0] == "Kantong (tinggi-tinggi)":  # Moran says high-high: a pocket, for sure
        assert shown[0].startswith(("**Kesimpulan: kantong kemiskinan", "**Kesimpulan: kemungkinan kantong"))


def test_peta_shortlist_add_and_download(app_env: Path) -> None:
    at = _run("perencana", "peta")
    first = at.dataframe[0].value["Kode"].iloc[0]
    at.selectbox(key="shortlist_area").select(first)
    at.text_input(key="shortlist_reason").input("P0 tertinggi di provinsi")
    next(b for b in at.button if b.label == "Tambahkan ke daftar").click().run()
    assert not at.exception
    assert any("ditambahkan" in s.value for s in at.success)
    assert "P0 tertinggi di provinsi" in _texts(at)
    assert at.get("download_button")  # CSV and XLSX


def test_sasaran_suppresses_for_viewers_only(app_env: Path) -> None:
    viewer = _run("viewer", "sasaran")
    assert viewer.title[0].value.startswith("Sasaran penerima manfaat")
    assert any("disembunyikan" in i.value for i in viewer.info)
    table = viewer.dataframe[0].value
    assert table.astype(str).isin(["•"]).any().any()
    planner = _run("perencana", "sasaran")
    assert "angka lengkap" in _texts(planner)
    assert not planner.dataframe[0].value.astype(str).isin(["•"]).any().any()
    planner.radio(key="_w_sasaran_level").set_value("kecamatan").run()
    assert not planner.exception
    assert len(planner.dataframe[0].value) < len(table)


def test_sasaran_orders_places_by_poor_people_or_by_desil(app_env: Path) -> None:
    """Issue 18, item 3: places by the guideline's location rule (most poor people) unless the planner
    chooses the household rule; checked against the register aggregates read with plain SQL."""
    at = _run("perencana", "sasaran")
    kab = at.selectbox(key="_w_sasaran_kab").value
    source, period = at.selectbox(key="_w_sasaran_register").value.split("|")
    rows = _sql(app_env, f"""SELECT kode, sum(persons) FILTER (WHERE desil IN (1, 2)) AS miskin
                             FROM register_agg WHERE kode LIKE '{kab}.%' AND period = {period}
                             AND source = '{source}' GROUP BY 1""")
    table = at.dataframe[0].value
    assert "Penduduk miskin (desil 1-2, jiwa)" in table.columns
    top = rows.sort_values(["miskin", "kode"], ascending=[False, True]).iloc[0]
    assert table.iloc[0]["Kode"] == top["kode"]
    assert table.iloc[0]["Penduduk miskin (desil 1-2, jiwa)"] == f"{int(top['miskin']):,}".replace(",", ".")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Penduduk miskin (desil 1-2)"] == f"{int(rows['miskin'].sum()):,}".replace(",", ".")
    at.radio(key="_w_sasaran_rule").set_value("desil").run()
    assert not at.exception
    by_desil = at.dataframe[0].value
    poor = pd.to_numeric(table["Penduduk miskin (desil 1-2, jiwa)"].str.replace(".", "", regex=False))
    assert poor.is_monotonic_decreasing and not poor.equals(
        pd.to_numeric(by_desil["Penduduk miskin (desil 1-2, jiwa)"].str.replace(".", "", regex=False)))
    d2 = pd.to_numeric(by_desil["Desil 2 produktif"].str.replace(".", "", regex=False))
    assert d2.is_monotonic_decreasing  # productive desil 2 first


def test_sumber_shows_sources_side_by_side(app_env: Path) -> None:
    at = _run("pemantau", "sumber")
    assert at.title[0].value == "Perbandingan sumber"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Sumber"] == "2"  # the indicator layer and the register's desil counts
    assert metrics["Selisih melebihi batas"] == "0"
    assert len(at.dataframe[0].value) == 38


def test_impor_page_for_planners_only(app_env: Path) -> None:
    at = _run("perencana", "impor")
    assert at.title[0].value == "Impor data"
    assert len(at.tabs) == 3
    assert "Batas wilayah" in [t.label for t in at.tabs]
    assert "Tabel silang BPS–Kemendagri (0 pasangan)" in [e.label for e in at.expander]
    refused = _run("pokja", "impor")
    assert any("tidak tersedia untuk peran Anda" in e.value for e in refused.error)
    assert not refused.tabs


def test_impor_shows_the_stored_crosswalk_with_desa_names(app_env: Path) -> None:
    from analytics.core.db import Database
    from analytics.io import pipeline

    db = Database(app_env)
    pipeline.import_crosswalk(db, "perencana", "t", "silang.csv",
                              b"kode_bps;kode_kemendagri;metode;keyakinan\n3501010001;35.01.01.2001;uji;0,9\n"
                              b"3501010002;35.01.01.2002;uji;1\n")
    db.close()
    at = _run("perencana", "impor")
    assert "Tabel silang BPS–Kemendagri (2 pasangan)" in [e.label for e in at.expander]
    table = at.dataframe[0].value
    assert table.columns.tolist() == ["Kode BPS", "Kode Kemendagri", "Desa", "Cara cocok", "Keyakinan", "Sumber"]
    assert table.iloc[0].tolist() == ["3501010001", "35.01.01.2001", "Widoro", "uji", "0,90", "tabel: silang.csv"]


# ---------------------------------------------------------------------- issue 4 pages
def _workshop(db_path: Path, scores: bool = True) -> tuple[int, str]:
    from datetime import date

    from analytics.commodity import store as commodity_store
    from analytics.core.db import Database

    db = Database(db_path)
    sid, code = commodity_store.create_session(db, "pokja", "fasilitator", "35.07", date(2026, 11, 23), "Uji Malang",
                                        ["kopi", "jahe_merah", "cabai", "singkong"])
    for i, name in enumerate(["Sari", "Budi", "Rina"]):
        pid, _ = commodity_store.join(db, sid, name)
        commodity_store.set_weights(db, sid, pid,
                                    {"jangkauan": 5 - i, "pendapatan": 2 + i, "sistemik": 3, "lainnya": 1 + i})
    if scores:
        for k, com in enumerate(["kopi", "jahe_merah", "cabai", "singkong"]):
            for j, crit in enumerate(["jangkauan", "pendapatan", "sistemik", "lainnya"]):
                commodity_store.set_score(db, "pokja", "f", sid, com, crit, 1 + (k * 3 + j * 2) % 5, "uji", "diskusi")
    db.close()
    return sid, code


def test_lokakarya_facilitator_view(app_env: Path) -> None:
    sid, code = _workshop(app_env)
    at = _run("pokja", "lokakarya")
    assert at.title[0].value == "Lokakarya seleksi komoditas"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Kode peserta"] == code and metrics["Peserta"] == "3"
    # the join link beside the code, as a QR code and as text to copy
    assert len(at.get("image")) == 1 and at.code[0].value.endswith(f"/peserta?kode={code}")
    assert [t.label for t in at.tabs][:3] == ["Bobot peserta", "Skor", "Peringkat"]
    frames = [d.value for d in at.dataframe]
    weights = next(f for f in frames if "P01" in f.index)
    assert list(weights.index) == ["P01", "P02", "P03"]  # codes, not names
    # scores (see _workshop): kopi 1 3 5 2, jahe merah 4 1 3 5, cabai 2 4 1 3, singkong 5 2 4 1; the group's
    # mean weights 4 3 3 2 give Σ w (s − 1) / 4 ÷ Σ w: singkong 7 / 12, jahe 6.5 / 12, kopi 5 / 12, cabai 4.25 / 12
    rank = next(f for f in frames if "peringkat" in f.columns and "skor" in f.columns)
    assert rank["peringkat"].tolist() == [1, 2, 3, 4]
    assert rank["skor"].tolist() == pytest.approx([700 / 12, 650 / 12, 500 / 12, 425 / 12], abs=0.05)  # 1 decimal
    assert rank["nama"].iloc[0] == "Singkong (ubi kayu)"
    # moving the sliders re-ranks (the fragment): weights 1 5 5 5 → kopi 8.75 / 16, jahe 8.25, cabai 6.5, singkong 6
    for s in at.slider:
        if s.key.startswith(f"lok_w_{sid}_"):
            s.set_value(1.0 if s.key.endswith("jangkauan_mean") else 5.0)
    at.run()
    assert not at.exception
    rank = next(d.value for d in at.dataframe if "peringkat" in d.value.columns and "skor" in d.value.columns)
    assert rank["skor"].tolist() == pytest.approx([875 / 16, 825 / 16, 650 / 16, 600 / 16], abs=0.05)
    assert rank["nama"].tolist() == ["Kopi", "Jahe merah", "Cabai", "Singkong (ubi kayu)"]
    # the robustness tab works on the group's own weights (4 3 3 2): singkong leads jahe merah by
    # Σ w (s_singkong − s_jahe) = 4 + 3 + 3 − 2·4 = 2; raising "lainnya" by 2/4 (to 2,5) ties them, and every
    # other single change is larger or leaves the 1-5 scale
    # (the criterion's name is user text, sent as literal Markdown: its parentheses escaped in the source)
    assert [i.value for i in at.info if i.value.startswith("Perubahan satu bobot")] == [
        "Perubahan satu bobot terkecil yang mengubah peringkat 1: Kriteria penting lainnya \\(lingkungan hidup, "
        "gender, prioritas pembangunan\\) dari 2,0 menjadi 2,50 → Jahe merah menjadi peringkat 1."]
    rob = next(d.value for d in at.dataframe if "Lencana" in d.value.columns)
    assert len(rob) == 4 and set(rob["Lencana"]) <= {"kokoh", "rapuh"}
    # issue 18, item 6: the ranking "now" of the robustness is the one shown (group weights 4 3 3 2: singkong
    # first), and it says what it varied: the three participants' weights and every score ±1
    assert rob.iloc[0].tolist()[:2] == [1, "Singkong (ubi kayu)"]
    assert ("10.000 simulasi Monte Carlo; setiap simulasi mengambil, untuk tiap kriteria, bobot seorang peserta "
            "secara acak (3 peserta), dan menggeser setiap skor komoditas −1, 0 atau +1 (tetap 1-5).") in [
        c.value for c in at.caption]
    # the computed 1-5 scores say which candidates each scale was made across
    scaled = [c.value for c in at.caption if c.value.startswith("Skala 1-5 dihitung di antara kandidat")]
    assert scaled and all(any(n in c for n in ("Kopi", "Jahe merah", "Cabai", "Singkong")) for c in scaled)


def test_lokakarya_create_and_decide(app_env: Path) -> None:
    at = _run("perencana", "lokakarya")
    at.text_input(key="lok_new_title").input("Seleksi komoditas 2026")
    at.multiselect(key="lok_new_cands").select("kopi").select("cabai").select("jagung")
    next(b for b in at.button if b.label == "Buka lokakarya").click().run()
    assert not at.exception
    assert any("Kode untuk peserta" in s.value for s in at.success)
    at.multiselect(key="lok_short").select("kopi").select("cabai")
    at.text_input(key="lok_short_reason").input("skor tertinggi")
    next(b for b in at.button if b.label == "Simpan daftar pendek").click().run()
    assert not at.exception
    assert "Daftar pendek" in _texts(at) and "skor tertinggi" in _texts(at)


def test_peserta_joins_and_sets_weights(app_env: Path) -> None:
    from analytics.commodity import store as commodity_store
    from analytics.core.db import Database

    sid, code = _workshop(app_env, scores=False)
    at = _run("viewer", "peserta")
    at.text_input(key="peserta_code").input(code.lower())
    at.text_input(key="peserta_name").input("Wati")
    next(b for b in at.button if b.label == "Ikut").click().run()
    assert not at.exception
    assert any("P04" in i.value for i in at.info)
    at.slider(key=f"peserta_w_{sid}_jangkauan").set_value(5).run()
    assert not at.exception
    db = Database(app_env)
    w = commodity_store.ws_current_weights(db, sid)
    db.close()
    assert len(w) == 3 * 4 + 1 and (w["weight"] == 5).sum() >= 1  # the new participant's weight is stored
    bad = _run("viewer", "peserta")
    bad.text_input(key="peserta_code").input("XXXXXX")
    bad.text_input(key="peserta_name").input("Wati")
    next(b for b in bad.button if b.label == "Ikut").click().run()
    assert any("Kode tidak dikenal" in e.value for e in bad.error)


def test_facilitator_removes_and_merges_participants(app_env: Path) -> None:
    sid, _ = _workshop(app_env)
    pid = _sql(app_env, f"SELECT code, participant_id FROM ws_participants WHERE session_id = {sid}").set_index(
        "code")["participant_id"].to_dict()
    at = _run("pokja", "lokakarya")
    at.selectbox(key="lok_remove_who").set_value(pid["P02"])  # Budi
    next(b for b in at.button if b.key == "lok_remove").click().run()
    assert not at.exception
    assert "P02 — Budi dikeluarkan dari lokakarya." in [s.value for s in at.success]
    assert {m.label: m.value for m in at.metric}["Peserta"] == "2"
    assert list(next(d.value for d in at.dataframe if "P01" in d.value.index).index) == ["P01", "P03"]
    at.selectbox(key="lok_merge_keep").set_value(pid["P01"])
    at.selectbox(key="lok_merge_drop").set_value(pid["P03"])  # Rina, as if Sari's second phone
    next(b for b in at.button if b.key == "lok_merge").click().run()
    assert not at.exception
    assert "P03 — Rina digabung ke P01 — Sari." in [s.value for s in at.success]
    assert {m.label: m.value for m in at.metric}["Peserta"] == "1"


def test_participant_without_account_joins_and_reaches_only_the_workshop(app_env: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """With demo mode off, a participant has no account: the join page is open to them (and listed in
    their menu beside Masuk), every other page asks them to sign in."""
    monkeypatch.setenv("PERANTARA_DEMO_MODE", "0")
    sid, code = _workshop(app_env, scores=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/peserta.py")
    at.run()
    assert not at.exception and at.title[0].value == "Ikut lokakarya"
    at.text_input(key="peserta_code").input(code)
    at.text_input(key="peserta_name").input("Wati")
    next(b for b in at.button if b.label == "Ikut").click().run()
    assert not at.exception
    assert any("P04" in i.value for i in at.info)
    at.slider(key=f"peserta_w_{sid}_jangkauan").set_value(5).run()
    assert _sql(app_env, f"""SELECT weight FROM ws_weights w JOIN ws_participants p USING (session_id, participant_id)
                              WHERE session_id = {sid} AND p.code = 'P04'""")["weight"].tolist() == [5]
    for other in ("lokakarya", "beranda", "bisnis", "pengguna"):
        at.switch_page(f"pages/{other}.py")
        at.run()
        assert not at.exception
        assert [w.value for w in at.warning] == ["Silakan masuk terlebih dahulu."], other
        assert not at.metric and not at.dataframe


# ---------------------------------------------------------------------- issue 5 page
def test_rantai_shows_demo_chain_and_reacts(app_env: Path) -> None:
    at = _run("pokja", "rantai")
    assert at.title[0].value == "Rantai nilai dan sistem pasar"
    assert "Data contoh (sintetis)" in _texts(at)
    margins = next(d.value for d in at.dataframe if "Bagian harga akhir" in d.value.columns)
    shares = margins["Bagian harga akhir"].dropna()
    shares = shares[shares != ""].str.rstrip("%").str.replace(",", ".").astype(float)
    assert shares.max() <= 100 and len(margins) >= 5  # written "45,0%"

    def rupiah(text: str) -> int | None:  # "Rp 12.000" as the table shows it ("" where not filled in)
        return int(text.removeprefix("Rp ").replace(".", "")) if text else None

    before = margins.set_index("Pelaku")["Harga jual"].map(rupiah)
    at.session_state["vc_scenario"] = "sesudah"
    at.run()
    assert not at.exception
    after = next(d.value for d in at.dataframe if "Bagian harga akhir" in d.value.columns).set_index("Pelaku")
    farmer = next(n for n in after.index if n.startswith("Petani"))
    assert rupiah(after.loc[farmer, "Harga jual"]) > before.loc[farmer]
    table = next(d.value for d in at.dataframe if "Penyebab (akar masalah)" in d.value.columns)
    assert len(table) == 2 and table["Mitra potensial"].str.len().gt(0).all()
    assert len(at.get("graphviz_chart")) == 2


# ---------------------------------------------------------------------- issue 6
def test_bisnis_shows_models_whatif_returns_and_annexes(app_env: Path) -> None:
    at = _run("pokja", "bisnis")
    assert at.title[0].value == "Model bisnis dan kalkulasi bisnis"
    texts = _texts(at)
    assert "Data contoh (sintetis)" in texts and "Setiap pelaku mendapat laba bersih lebih besar" in texts
    assert "berasal dari rantai nilai" in texts
    assert len(at.get("graphviz_chart")) == 1
    metrics = {m.label: m.value for m in at.metric}
    # model A (jahe merah), by hand: POKMAS of 80 gains 1,460 − 1,250 = 210 jt, the cooperative 100 jt, the
    # factory 450 − 150 = 300 jt: 610 jt per POKMAS of 80 households. New households 80, 120, 160 with the
    # Bappenas/INKLUSI persistence (100% then 70% in business; 50% then 100% of the gain) earn the full gain
    # as 40, 56 + 60 = 116, 56 + 84 + 80 = 220 households = 0.5, 1.45, 2.75 POKMAS → benefits 305, 884.5,
    # 1,677.5 jt against a budget of 790 jt now, 90 and 80 jt later: flows −790, 215, 804.5, 1,677.5 jt at 12%
    flows = [-790e6, 215e6, 804.5e6, 1_677.5e6]
    assert npf.npv(0.12, flows) == pytest.approx(1_237_306_000, abs=1e6)
    assert metrics["NPV"] == "Rp 1,2 M"
    assert metrics["IRR"] == f"{100 * npf.irr(flows):.1f}%".replace(".", ",")
    assert metrics["Periode pengembalian"] == "1,7 tahun"  # 1 + 575 / 804.5
    assert metrics["Rasio manfaat-biaya"] == "2,32"         # 2,171.4 jt ÷ 934.1 jt, both at 12%
    assert metrics["Biaya program"] == "Rp 960 jt" and metrics["Biaya per RT terjangkau"] == "Rp 2,67 jt"
    # unadjusted, every household reached stays with the full gain: 1, 2.5, 4.5 POKMAS → benefits 610, 1,525,
    # 2,745 jt: flows −790, 520, 1,445, 2,745 jt; said beside the adjusted figures
    full = [-790e6, 520e6, 1_445e6, 2_745e6]
    assert npf.npv(0.12, full) == pytest.approx(2_780_067_647.6, abs=1)
    said = [i.value for i in at.info if "Tanpa penyesuaian" in i.value]
    assert len(said) == 1 and "70% masih berusaha" in said[0]
    assert f"NPV Rp 2,8 M, IRR {100 * npf.irr(full):.1f}%, BCR 3,98".replace(".", ",") in said[0]
    # the planner sets persistence to 100% and 100%: the returns become the unadjusted ones
    from analytics.business import store as bm_store
    from analytics.core.db import Database

    db = Database(app_env)  # the app's own connection to the file is open in this process
    listed = bm_store.bm_models(db)
    db.close()
    mid = int(at.session_state["bm_model"])
    at.session_state[f"bm_persistence_{mid}"] = {"edited_rows": {0: {"capaian": 100}}, "added_rows": [],
                                                  "deleted_rows": [1]}
    at.run()
    at.button(key="bm_save_persistence_").click().run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["NPV"] == "Rp 2,8 M"
    assert not [i for i in at.info if "Tanpa penyesuaian" in i.value]
    stored = _sql(app_env, f"SELECT tahun_ke, bertahan, capaian FROM bm_persistence WHERE model_id = {mid}")
    assert stored.values.tolist() == [[1, 100, 100]]
    summary = at.table[0].value
    assert len(summary) == 3 and (summary["Lebih baik"] == "✓").all()
    farmer_after = summary.iloc[0]["Laba bersih sesudah"]
    # what-if: selling prices −30% for everyone → the table follows and nobody is better off
    at.slider(key="bm_wi_price").set_value(-30).run()
    assert not at.exception
    summary = at.table[0].value
    assert summary.iloc[0]["Laba bersih sesudah"] != farmer_after and (summary["Lebih baik"] == "✗").all()
    # the verdict of the model stays one (at the top); the what-if's own is said as the what-if's
    assert [s.value for s in at.success if "pelaku" in s.value] == [
        "Setiap pelaku mendapat laba bersih lebih besar daripada hari ini."]
    assert not any("Belum semua pelaku untung" in w.value for w in at.warning)
    assert any(w.value.startswith("Dalam skenario bagaimana-jika ini") for w in at.warning)
    # the model-B demo: five actors, and the annexes offered in both formats
    at.session_state["bm_model"] = int(listed.loc[listed["model"] == "B", "id"].iloc[0])
    at.run()
    assert not at.exception
    assert len(at.table[0].value) == 5
    labels = [b.label for b in at.get("download_button")]
    assert "Unduh lampiran (XLSX)" in labels and "Unduh lampiran (DOCX)" in labels
    assert "Rumah tangga miskin produktif (desil 2-3) di wilayah sasaran (35.11.07" in _texts(at)


def test_bisnis_is_read_only_for_viewers_and_says_why_a_line_is_bad(app_env: Path) -> None:
    at = _run("viewer", "bisnis")
    assert not [b for b in at.button if b.label == "Simpan"]
    assert not any(e.label == "Buat model bisnis baru" for e in at.expander)
    at = _run("pokja", "bisnis")
    editor = f"bm_lines_{int(at.session_state['bm_model'])}_pokmas"
    at.session_state[editor] = {"edited_rows": {0: {"volume": -5}}, "added_rows": [], "deleted_rows": []}
    next(b for b in at.button if b.key == "bm_save_lines_pokmas").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("baris 1" in e and "volume kosong atau negatif" in e for e in errors), errors


# ---------------------------------------------------------------------- issue 7
def test_hasil_chain_progress_and_bad_values(app_env: Path) -> None:
    at = _run("pemantau", "hasil")
    assert at.title[0].value == "Rantai hasil dan pengukuran hasil"
    assert "Data contoh (sintetis)" in _texts(at)
    assert len(at.get("graphviz_chart")) == 1
    table = at.table[0].value
    assert "Capaian" in table.columns and len(table) >= 2
    at.selectbox(key="rc_ind").select("K2").run()
    table = at.table[0].value
    assert table.loc["2025", "Capaian"].endswith("%") and table.loc["2025", "Perempuan"] != "–"
    at.text_input(key="rc_v_period").input("2026")
    at.number_input(key="rc_v_total").set_value(100.0)
    at.number_input(key="rc_v_perempuan").set_value(70.0)
    at.number_input(key="rc_v_laki_laki").set_value(20.0)
    at.button[[b.label for b in at.button].index("Simpan nilai")].click().run()
    assert not at.exception
    assert any("tidak sama dengan total" in e.value for e in at.error)
    viewer = _run("viewer", "hasil")
    assert not [b for b in viewer.button if b.label in ("Simpan", "Simpan nilai", "Simpan tinjauan")]


def test_pci_page_scores_step_down_and_rubric_checker_reacts(app_env: Path) -> None:
    at = _run("pemantau", "pci")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Maju"] == "1" and metrics["Berkembang"] == "5"
    warnings = " ".join(w.value for w in at.warning)
    assert "KWT Jahe Merah Pule" in warnings and "turun satu predikat" in warnings
    assert "**Temuan pemeriksa rubrik: 47**" in [m.value for m in at.markdown]
    rid = at.session_state["pci_rubric"]
    at.session_state[f"pci_rubric_{rid}"] = {"edited_rows": {0: {"score_1": "> 50 - 70%", "score_2": "> 70 - 90%",
                                                                  "score_3": "> 90 - 100%"}},
                                             "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    assert "**Temuan pemeriksa rubrik: 44**" in [m.value for m in at.markdown]  # indicator 1 is clean now


def test_pci_entry_shows_each_measure_and_its_direction_and_the_weight_formula(app_env: Path) -> None:
    """Issue 18, item 4: the entry form shows the measure as the method writes it and which way is better;
    indicator 5 (farmers who still burn) is better lower; switching weights on says the formula."""
    at = _run("pemantau", "pci")
    form = next(d.value for d in at.dataframe if "ukuran" in d.value.columns).set_index("no")
    assert form.loc[5, "ukuran"] == "Jumlah petani yang membakar lahan (orang)"
    assert form.loc[5, "arah"] == "↓ makin rendah makin baik" and form.loc[1, "arah"] == "↑ makin tinggi makin baik"
    assert form.loc[15, "arah"] == ""  # qualitative: the level is chosen
    assert not any("Σ_k bobot_k" in c.value for c in at.caption)
    at.toggle(key="pci_weighted").set_value(True).run()
    assert not at.exception
    assert any("78 × Σ_k bobot_k × (skor kriteria k ÷ (3 × jumlah indikator k))" in c.value for c in at.caption)


def test_adkar_page_heatmap_threshold_and_roles(app_env: Path) -> None:
    at = _run("pemantau", "adkar")
    assert at.title[0].value == "ADKAR: perubahan perilaku"
    assert len(at.get("plotly_chart")) >= 2  # heat map and network
    latest = next(d.value for d in at.dataframe if "Titik hambatan" in d.value.columns)
    reached = (latest["Titik hambatan"] == "— (semua tercapai)").sum()
    at.session_state["adkar_threshold"] = 2
    at.run()
    assert not at.exception
    strict = next(d.value for d in at.dataframe if "Titik hambatan" in d.value.columns)
    assert (strict["Titik hambatan"] == "— (semua tercapai)").sum() <= reached
    assert strict["Tahap tercapai"].sum() < latest["Tahap tercapai"].sum()
    # the lenient reading (a stage's mean at least 1): every respondent at least as far as by the method's
    at.session_state["adkar_threshold"] = 1
    at.session_state["adkar_reading"] = "rata"
    at.run()
    assert not at.exception
    lenient = next(d.value for d in at.dataframe if "Titik hambatan" in d.value.columns).set_index("Kode")
    method = latest.set_index("Kode")
    assert (lenient["Tahap tercapai"] >= method.loc[lenient.index, "Tahap tercapai"]).all()
    # the maximum is the whole questionnaire's: 2 per indicator of the group, answered or not
    assert (lenient["Maks"] == 2 * lenient["Indikator kuesioner"]).all()
    central = next(d.value for d in at.dataframe if "Mendukung" in d.value.columns)
    assert central.iloc[0]["Nama"] == "Penyuluh Dinas Pertanian"
    viewer = _run("viewer", "adkar")
    assert not [b for b in viewer.button if b.label == "Simpan skor"]


def test_pimpinan_page_and_pdf(app_env: Path) -> None:
    at = _run("viewer", "pimpinan")
    metrics = {m.label: m.value for m in at.metric}
    assert set(metrics) == {"Rumah tangga terjangkau", "Tambahan pendapatan per rumah tangga",
                            "Kelompok Maju atau Teladan", "Hambatan ADKAR terbanyak", "Anggaran dan ko-investasi",
                            "Rumah tangga naik status"}
    assert metrics["Kelompok Maju atau Teladan"] == "1 / 8"
    # households moving up from 2025-S1 to 2025 over both demo chains, counted in SQL
    moved = _sql(app_env, """WITH r AS (SELECT chain_id, kode_rt, period, list_position(['miskin', 'rentan',
                                        'menengah', 'stabil'], status) AS k FROM rc_households)
                             SELECT count(*) FILTER (WHERE b.k > a.k) AS up, count(*) AS n,
                                    count(*) FILTER (WHERE a.k = 1 AND b.k > 1) AS out_ FROM r a JOIN r b
                             ON a.chain_id = b.chain_id AND a.kode_rt = b.kode_rt
                             WHERE a.period = '2025-S1' AND b.period = '2025'""").iloc[0]
    assert metrics["Rumah tangga naik status"] == f"{moved['up']} / {moved['n']}"
    assert moved["n"] == 120 and 0 < moved["up"] < 120
    notes = {m.label: m.delta for m in at.metric}
    assert notes["Rumah tangga naik status"] == f"{moved['out_']} keluar dari miskin; 2025-S1 → 2025"
    assert len(at.get("plotly_chart")) == 5
    assert "Data contoh (sintetis)" in _texts(at)
    at.button[[b.label for b in at.button].index("Buat PDF")].click().run()
    assert not at.exception
    assert "Unduh ringkasan (PDF)" in [b.label for b in at.get("download_button")]
    assert at.session_state["lead_pdf_bytes"][:4] == b"%PDF"


@pytest.mark.crash_expected
def test_a_failing_page_shows_a_reference_not_a_traceback(app_env: Path, monkeypatch: pytest.MonkeyPatch,
                                                          boundary_log: list) -> None:
    from analytics.poverty import overview

    def broken(*_a: object, **_k: object) -> None:
        raise RuntimeError("rahasia-server /srv/perantara/data")

    monkeypatch.setattr(overview, "kabupaten_layer", broken)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["demo_role"] = "perencana"
    at.run()
    assert not at.exception  # nothing reached the user as a traceback
    assert at.title[0].value.startswith("Perantara")  # the page up to the failure is still there
    shown = [e.value for e in at.error]
    assert len(shown) == 1 and shown[0].startswith("Maaf, halaman ini gagal ditampilkan. Sebutkan kode rujukan **")
    ref = shown[0].split("**")[1]
    assert len(ref) == 6 and all(c in "0123456789ABCDEF" for c in ref)
    assert "rahasia-server" not in shown[0] and "RuntimeError" not in shown[0]
    # the server log has the same reference and the whole traceback
    assert len(boundary_log) == 1 and boundary_log[0].getMessage() == f"kesalahan {ref} di halaman beranda"
    assert boundary_log[0].exc_info[0] is RuntimeError
    # in English too
    at.session_state["lang"] = "en"
    at.run()
    assert [e.value[:48] for e in at.error] == ["Sorry, this page could not be shown. Give the re"]


def test_translated_choices_keep_their_value_across_a_language_switch(app_env: Path) -> None:
    at = _run("pemantau", "sumber")
    at.selectbox(key="sumber_level").select("kecamatan").run()
    assert at.selectbox(key="sumber_level").value == "kecamatan"
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    level = at.selectbox(key="sumber_level")
    assert level.value == "kecamatan" and level.options == ["Regency/city", "District", "Village"]


def test_signed_in_user_is_locked_out_after_five_failures_and_loses_access_when_deactivated(
        app_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from analytics.core import auth
    from analytics.core.db import Database

    db = Database(app_env)
    auth.create_user(db, "admin", "admin", "rina", "perencana", "kebun-kopi-2026")
    db.close()
    monkeypatch.setenv("PERANTARA_DEMO_MODE", "0")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()

    def attempt(user: str, password: str) -> None:
        at.text_input(key="login_user").input(user)
        at.text_input(key="login_password").input(password)
        at.button[0].click().run()

    attempt("rina", "kebun-kopi-2026")
    assert at.title[0].value.startswith("Perantara") and not at.error  # signed in, on Beranda
    # an admin deactivates rina (another session); at her next click she is signed out, with a reason
    admin = Database(app_env)
    auth.set_active(admin, "admin", "admin", "rina", False)
    at.run()
    assert not at.title and not at.metric  # Beranda's content is gone
    warnings = [w.value for w in at.warning]
    assert any("akun dinonaktifkan" in w for w in warnings) and any("Silakan masuk" in w for w in warnings)
    # five wrong passwords for admin from this client (a new visit), then even rina's right one waits
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    for _ in range(5):
        attempt("admin", "salah-sekali")
        assert any("salah" in e.value for e in at.error)
    attempt("rina", "kebun-kopi-2026")
    assert any("Terlalu banyak percobaan" in e.value for e in at.error)
    assert admin.scalar("SELECT count(*) FROM audit_log WHERE action = 'login.fail'") == 5
    assert admin.scalar("SELECT count(*) FROM audit_log WHERE action = 'login.locked'") == 1
    admin.close()


def test_a_closed_workshop_is_a_record_for_facilitator_and_participant(app_env: Path) -> None:
    from analytics.commodity import store as commodity_store
    from analytics.core.db import Database

    sid, code = _workshop(app_env, scores=False)
    at = _run("viewer", "peserta")
    at.text_input(key="peserta_code").input(code)
    at.text_input(key="peserta_name").input("Wati")
    next(b for b in at.button if b.label == "Ikut").click().run()
    assert any("P04" in i.value for i in at.info)
    token = at.query_params["t"]
    db = Database(app_env)
    commodity_store.close_session(db, "pokja", "fasilitator", sid)
    rows = commodity_store.ws_weight_rows(db, sid)
    db.close()
    # the open phone: a warning, sliders that no longer move anything
    at.run()
    assert any("sudah ditutup oleh fasilitator" in w.value for w in at.warning)
    slider = at.slider(key=f"peserta_w_{sid}_jangkauan")
    assert slider.disabled
    # a reload with the personal link says the same instead of offering to join again
    again = AppTest.from_file(APP, default_timeout=60)
    again.session_state["demo_role"] = "viewer"
    again.run()
    again.switch_page("pages/peserta.py")
    again.query_params["t"] = token  # as when the link /peserta?t=… is opened
    again.run()
    assert any("sudah ditutup oleh fasilitator" in w.value for w in again.warning)
    assert not [t for t in again.text_input if t.key == "peserta_code"]
    # the facilitator: a lock notice and no form that could change the record
    fac = _run("pokja", "lokakarya")
    assert any("sudah ditutup" in i.value for i in fac.info)
    assert not [b for b in fac.button if b.key in ("lok_close", "lok_apply", "lok_save_crit")]
    db = Database(app_env)
    assert commodity_store.ws_weight_rows(db, sid) == rows
    db.close()


def test_model_pages_after_a_real_register_of_another_kabupaten(app_env: Path) -> None:
    from analytics.core.db import Database
    from analytics.io import pipeline

    db = Database(app_env)
    desa = db.query("SELECT kode FROM areas WHERE level = 'desa' AND kode LIKE '35.01.%' ORDER BY kode LIMIT 1")
    rows = "nik,kode_desa,desil,sektor,jenis_kelamin_kk,disabilitas,jumlah_art\n" + "".join(
        f"350101010190{i:04d},{desa['kode'].iloc[0]},2,pertanian,P,tidak,4\n" for i in range(1, 12))
    pipeline.import_register(db, "perencana", "t", "pacitan.csv", rows.encode(), "DTKS", 2025)
    db.close()
    at = _run("perencana", "lokakarya")  # the boundary fixture fails the test if a page crashed
    assert at.title
    at = _run("perencana", "bisnis")
    assert any("Data contoh (sintetis)" in m.value for m in at.markdown)  # counted from the register that covers it


def test_a_typed_reason_is_shown_as_text_not_markdown(app_env: Path) -> None:
    from analytics.commodity import store as commodity_store
    from analytics.core.db import Database

    sid, _ = _workshop(app_env, scores=False)
    payload = "![x](http://x.example/a.png) [klik](javascript:alert(1)) :red[merah] <b>tebal</b>"
    db = Database(app_env)
    commodity_store.decide(db, "pokja", "fasilitator", sid, "final", ["kopi"], payload)
    db.close()
    at = _run("pokja", "lokakarya")
    shown = next(m.value for m in at.markdown if "klik" in m.value)
    assert "![x](" not in shown and "](javascript" not in shown and ":red[" not in shown
    # a word joiner (U+2060) after "http" stops the automatic link of a bare address
    assert "\\!\\[x\\]\\(http\u2060\\://x\\.example/a\\.png\\)" in shown and "\\<b\\>tebal\\</b\\>" in shown


def test_every_page_opens_when_the_data_layers_are_empty(app_env: Path) -> None:
    """A deployment with no indicators and no register yet (nothing imported, the demo's removed): every
    page opens for an admin without an error (the page tests fail on any error
    the boundary catches), and the pages that need the data say it is missing."""
    from analytics.core import auth

    con = plain.connect(app_env)
    for table in ("indicators", "register_agg", "register_households"):  # (no production: that re-seeds the demo)
        con.execute(f"DELETE FROM {table}")
    con.close()
    for spec in auth.PAGES:
        at = _run("admin", spec.id)
        assert at.title, spec.id
    beranda = _run("admin", "beranda")
    assert [i.value for i in beranda.info if i.value.startswith("Belum ada data P0")] == [
        "Belum ada data P0 untuk tahun 2024 di provinsi ini. Impor tabel indikator BPS (persentase penduduk miskin "
        "per kabupaten/kota) di halaman Impor data, atau pilih tahun lain."]
    assert {m.label: m.value for m in beranda.metric}["P0 provinsi 2024"] == "–"


def test_every_page_opens_in_a_province_without_data(app_env: Path) -> None:
    """Sulawesi Selatan (Bantaeng's province) holds only its region list in the tests' database: every
    page an admin sees opens there without an error, and the forms offer its kabupaten/kota."""
    kab = _sql(app_env, "SELECT kode FROM areas WHERE level = 'kabupaten' AND kode LIKE '73.%' ORDER BY kode")
    assert len(kab) == 24
    for page in ("beranda", "sasaran", "sumber", "lokakarya", "rantai", "bisnis", "hasil", "pci", "adkar",
                 "pimpinan", "impor", "data"):
        at = AppTest.from_file(APP, default_timeout=60)
        at.session_state["demo_role"] = "admin"
        at.session_state["prov"] = "73"
        at.switch_page(f"pages/{page}.py")
        at.run()
        assert not at.exception, (page, at.exception)
        assert at.selectbox(key="_w_prov").value == "73"
        for key in ("lok_new_kab", "rantai_new_kab", "bm_new_kab"):
            boxes = [s for s in at.selectbox if s.key == key]
            if boxes:
                assert boxes[0].options == [o for o in boxes[0].options if o]  # no blank option
                assert len(boxes[0].options) == 24, (page, key)
                assert "Kabupaten Bantaeng" in boxes[0].options


@pytest.mark.parametrize("prov,name", [("81", "Maluku"), ("21", "Kepulauan Riau"), ("73", "Sulawesi Selatan")])
def test_pages_open_in_provinces_outside_jawa_timur(app_env: Path, prov: str, name: str) -> None:
    """Peta, Lokakarya and Ringkasan pimpinan in two island provinces with demo data (tests/conftest.py)
    and one without any data yet: each opens without an error, in that province."""
    for page in ("peta", "lokakarya", "pimpinan"):
        at = AppTest.from_file(APP, default_timeout=60)
        at.session_state["demo_role"] = "perencana"
        at.session_state["prov"] = prov
        at.switch_page(f"pages/{page}.py")
        at.run()
        assert not at.exception, (prov, page, at.exception)
        if page == "peta":  # the map of Indonesia first; the sidebar's province opens the province
            assert [b.label for b in at.button if b.key.startswith("crumb_")] == ["Indonesia"]
            at.selectbox(key="_w_prov").set_value("35").run()
            at.selectbox(key="_w_prov").set_value(prov).run()
            assert not at.exception, (prov, page, at.exception)
            assert [b.label for b in at.button if b.key.startswith("crumb_")] == ["Indonesia", f"› {name}"]
            # the shortlist form offers this province's kabupaten/kota, by name
            kabs = _sql(app_env, f"SELECT nama FROM areas WHERE level = 'kabupaten' AND kode LIKE '{prov}.%'")
            offered = at.selectbox(key="shortlist_area")
            assert set(offered.options) <= set(kabs["nama"])
            assert offered.value is None if not offered.options else offered.value.startswith(f"{prov}.")


def _current_page(at: AppTest) -> str:
    return at.title[0].value if at.title else ""


def _landed(at: AppTest, page: str, title: str) -> None:
    """After a button's ``st.switch_page``: the run showed ``page``; AppTest keeps its own current page for
    the next runs (a browser follows the new URL), so it is moved there too."""
    assert not at.exception and _current_page(at) == title
    at.switch_page(f"pages/{page}.py")


def test_langkah_berikutnya_carries_each_stage_into_the_next(app_env: Path) -> None:
    """Issue 17, part 3: shortlist → workshop for its kabupaten → chain of the final choice → model → results
    chain → leadership summary, each through the "Langkah berikutnya" button only, each carrying its context."""
    from analytics.core.db import Database
    from analytics.valuechain import store as vc_store

    at = _run("perencana", "peta")
    at.selectbox(key="shortlist_area").select(at.dataframe[0].value["Kode"].iloc[0])
    kab = str(at.dataframe[0].value["Kode"].iloc[0])[:5]
    kab_name = _sql(app_env, f"SELECT nama FROM areas WHERE kode = '{kab}'")["nama"].iloc[0]
    at.text_input(key="shortlist_reason").input("kantong HH")
    next(b for b in at.button if b.label == "Tambahkan ke daftar").click().run()
    assert any("ditambahkan" in s.value for s in at.success)
    panel = _texts(at)
    assert "Langkah berikutnya" in panel and f"untuk {kab_name}" in panel
    at.button(key="next_btn_peta").click().run()
    _landed(at, "lokakarya", "Lokakarya seleksi komoditas")
    # the new-workshop form carries the shortlist's kabupaten, a title and the commodities grown there
    assert at.selectbox(key="lok_new_kab").value == kab
    assert at.text_input(key="lok_new_title").value.endswith(kab_name.replace("Kabupaten ", ""))
    produced = _sql(app_env, f"""SELECT commodity, count(*) AS n FROM production WHERE kode LIKE '{kab}.%'
                                 AND length(kode) = 13 AND value > 0 AND period = (SELECT max(period) FROM production
                                 WHERE kode LIKE '{kab}.%' AND length(kode) = 13) GROUP BY 1
                                 ORDER BY n DESC, commodity LIMIT 5""")["commodity"].tolist()
    assert at.multiselect(key="lok_new_cands").value == produced and len(produced) >= 2
    next(b for b in at.button if b.label == "Buka lokakarya").click().run()
    assert any("Kode untuk peserta" in s.value for s in at.success)
    sessions = _sql(app_env, "SELECT id, kabupaten FROM ws_sessions")
    assert sessions["kabupaten"].tolist() == [kab]  # one workshop, the form closed
    assert at.button(key="next_btn_lokakarya").disabled  # no final choice yet
    assert "Tetapkan pilihan akhir di tab Keputusan dahulu." in _texts(at)
    at.selectbox(key="lok_final_com").select(produced[0])
    at.text_input(key="lok_final_reason").input("skor tertinggi")
    next(b for b in at.button if b.label == "Simpan pilihan akhir").click().run()
    assert not at.button(key="next_btn_lokakarya").disabled
    at.button(key="next_btn_lokakarya").click().run()
    _landed(at, "rantai", "Rantai nilai dan sistem pasar")
    chain = _sql(app_env, "SELECT id, commodity, kabupaten, workshop_id FROM vc_chains WHERE NOT is_synthetic")
    assert chain[["commodity", "kabupaten", "workshop_id"]].values.tolist() == [[produced[0], kab, sessions["id"][0]]]
    cid = int(chain["id"][0])
    # the chain is filled (as its workbook import would), then a model A is built on it
    db = Database(app_env)
    demo = vc_store.load(db, 1)
    for name in ("actors", "flows"):
        vc_store.save(db, "perencana", "uji", cid, name, demo[name])
    db.close()
    at.run()
    assert "Rancang model bisnis dari rantai ini" in _texts(at)
    at.button(key="next_btn_rantai").click().run()
    _landed(at, "bisnis", "Model bisnis dan kalkulasi bisnis")
    model = _sql(app_env, "SELECT id, chain_id, model FROM bm_models WHERE NOT is_synthetic")
    assert model[["chain_id", "model"]].values.tolist() == [[cid, "A"]]
    assert not at.button(key="next_btn_bisnis").disabled
    at.button(key="next_btn_bisnis").click().run()
    _landed(at, "hasil", "Rantai hasil dan pengukuran hasil")
    rc = _sql(app_env, "SELECT model_id FROM rc_chains WHERE NOT is_synthetic")
    assert rc["model_id"].tolist() == [model["id"][0]]
    at.button(key="next_btn_hasil").click().run()
    _landed(at, "pimpinan", "Ringkasan pimpinan")
    # Beranda now shows this programme: four stages done up to the results chain, which waits for a realisation
    at.switch_page("pages/beranda.py").run()
    text = _texts(at)
    assert f"Kabupaten/kota: {kab_name}" in text and "1 wilayah di daftar prioritas" in text
    assert ":green[:material/check_circle:] Lokakarya memilih" in text
    assert ":orange[:material/pending:] Rantai hasil dibuat; belum ada realisasi" in text
    assert "Berikutnya: Rantai hasil dibuat; belum ada realisasi" in text
    at.button(key="beranda_go").click().run()
    assert _current_page(at) == "Rantai hasil dan pengukuran hasil"


def test_a_model_without_lines_gives_no_verdict_and_a_what_if_says_it_is_a_what_if(app_env: Path) -> None:
    from analytics.business import store as bm_store
    from analytics.core.db import Database

    db = Database(app_env)
    mid = bm_store.create_model(db, "perencana", "uji", "Model kosong", "A", "kopi", "35.07")
    db.close()
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["demo_role"] = "perencana"
    at.session_state["bm_model"] = mid
    at.switch_page("pages/bisnis.py").run()
    assert not at.exception
    assert not at.success or all("Setiap pelaku" not in s.value for s in at.success)
    assert any(i.value.startswith("Model ini belum berisi baris") for i in at.info)
    assert at.button(key="next_btn_bisnis").disabled
    # the demo model: one verdict at the top; a what-if that hurts the POKMAS says so as a what-if
    at.session_state["bm_model"] = 2
    at.run()
    assert [s.value for s in at.success if "pelaku" in s.value] == [
        "Setiap pelaku mendapat laba bersih lebih besar daripada hari ini."]
    at.slider(key="bm_wi_price").set_value(-30).run()
    said = [w.value for w in at.warning if "bagaimana-jika" in w.value] + \
        [i.value for i in at.info if "bagaimana-jika" in i.value]
    assert len(said) == 1 and said[0].startswith("Dalam skenario bagaimana-jika ini")


def test_an_edited_table_says_it_is_not_saved_until_it_is(app_env: Path) -> None:
    """Issue 17, part 4: an editor whose rows differ from what is stored says so under it; saving ends it."""
    at = _run("perencana", "bisnis")
    note = "Perubahan di tabel ini belum disimpan"
    assert not any(note in w.value for w in at.warning)  # nothing edited yet
    mid = int(at.session_state["bm_model"])
    # what the browser sends after a cell of the outreach plan is typed over (the editor's own state)
    at.session_state[f"bm_outreach_{mid}"] = {"edited_rows": {0: {"rt_baru": 999}}, "added_rows": [],
                                               "deleted_rows": []}
    at.run()
    assert not at.exception
    assert sum(note in w.value for w in at.warning) == 1
    at.button(key="bm_save_outreach_").click().run()
    assert not any(note in w.value for w in at.warning)
    stored = _sql(app_env, f"SELECT rt_baru FROM bm_outreach WHERE model_id = {mid} ORDER BY tahun")["rt_baru"]
    assert stored.iloc[0] == 999


def test_stage_lists_hold_the_province_worked_in(app_env: Path) -> None:
    """A team in Maluku does not pick Jawa Timur's chains, models or results chains (the demo's are all in
    Jawa Timur: Bondowoso 35.11 and Trenggalek 35.03)."""
    for page, empty in (("rantai", "Belum ada rantai nilai"), ("bisnis", "Belum ada model bisnis"),
                        ("hasil", "Belum ada rantai hasil")):
        at = AppTest.from_file(APP, default_timeout=60)
        at.session_state["demo_role"] = "perencana"
        at.session_state["prov"] = "81"
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception
        assert any(i.value.startswith(empty) for i in at.info), (page, [i.value for i in at.info])
        at.session_state["prov"] = "35"
        at.run()
        assert not any(i.value.startswith(empty) for i in at.info), page


def test_programme_completeness_card_scores_the_studys_ten_stages(app_env: Path) -> None:
    """Issue 18, item 10: the Bappenas/INKLUSI study's ten-stage card, filled for the demo programme beside
    the study's own programmes. Hand-worked: seven stages "ya" and three "tidak" is 7 points, "cukup
    komprehensif" (the study's 6-7); PENA, whose row in the study has seven ✓, is 7 and "cukup" too."""
    at = _run("pemantau", "pci")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Skor kelengkapan"] == "0 / 10" and metrics["Tahap dijawab"] == "0 / 10"
    assert metrics["Kategori"] == "–" and any("Belum semua tahap dijawab" in i.value for i in at.info)
    card = next(d for d in at.dataframe if "bukti" in d.value.columns)
    assert list(card.value["kriteria"])[:3] == ["Perencanaan", "Asesmen: Data sekunder", "Asesmen: Data primer"]
    saran = card.value.set_index("kriteria")["saran"]
    assert saran["Perencanaan"].startswith("Model bisnis «Model ")
    assert saran["Persiapan"] == "Rencana monitoring: 4 dari 4 indikator dengan sumber data dan metode"
    assert saran["Exit strategy"] == ""
    key = card.key
    yes = {i: {"ada": "ya", "bukti": f"Dokumen {i}"} for i in range(7)}
    # a stage said to be there with no evidence is refused, and nothing is stored
    at.session_state[key] = {"edited_rows": {**yes, 7: {"ada": "ya"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="program_save").click().run()
    assert not at.exception
    assert any("Tuliskan buktinya" in e.value and "Monev: Digital" in e.value for e in at.error)
    assert _sql(app_env, "SELECT count(*) AS n FROM programme_stages")["n"].iloc[0] == 0
    at.session_state[key] = {"edited_rows": {**yes, 7: {"ada": "tidak"}, 8: {"ada": "tidak"}, 9: {"ada": "tidak"}},
                             "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="program_save").click().run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Skor kelengkapan"] == "7 / 10" and metrics["Tahap dijawab"] == "10 / 10"
    assert metrics["Kategori"] == "Tahapan cukup komprehensif"
    stored = _sql(app_env, "SELECT criterion, met, bukti FROM programme_stages ORDER BY criterion")
    assert len(stored) == 10 and int(stored["met"].sum()) == 7
    assert stored.set_index("criterion").loc["perencanaan", "bukti"] == "Dokumen 0"
    table = next(d.value for d in at.dataframe if "Dinilai oleh" in d.value.columns).set_index("Program")
    assert table.loc["PENA", "Skor"] == 7 and table.loc["PENA", "Kategori"] == "Tahapan cukup komprehensif"
    assert table.loc["YESS", "Skor"] == 9 and table.loc["ATENSI Kewirausahaan", "Kategori"] == \
        "Tahapan kurang komprehensif"
    assert (table["Dinilai oleh"] == "program ini").sum() == 1
    viewer = _run("viewer", "pci")
    assert not [b for b in viewer.button if b.label == "Simpan kelengkapan program"]


def test_bisnis_estimates_the_households_that_could_cross_the_poverty_line(app_env: Path) -> None:
    """Issue 18, item 9: model A's POKMAS household gains Rp 2.625.000 a year (210 jt ÷ 80); for 4 people that
    is Rp 54.687,5 per person per month; 220 households earn in year 3. The share that crosses is the Beta
    with the mean P1/P0 and second moment P2/P0 of Trenggalek 2024 (scipy's Beta, fitted here)."""
    from scipy import stats

    at = _run("pokja", "bisnis")
    line = _sql(app_env, """SELECT indicator, value FROM indicators WHERE kode = '35.03' AND period = 2024
                            AND indicator IN ('garis_kemiskinan', 'p0', 'p1', 'p2')""").set_index("indicator")["value"]
    mean, second = line["p1"] / line["p0"], line["p2"] / line["p0"]
    common = mean * (1 - mean) / (second - mean**2) - 1
    beta = stats.beta(mean * common, (1 - mean) * common)

    def expected(size: float) -> str:
        return f"{220 * beta.cdf(2_625_000 / (12 * size) / line['garis_kemiskinan']):,.0f}".replace(",", ".")

    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Tambahan per kapita per bulan"] == "Rp 54.688"
    assert metrics["Dapat keluar dari kemiskinan"] == expected(4)
    assert any(c.value.startswith("Asumsi: Garis kemiskinan Kabupaten Trenggalek 2024: Rp ") for c in at.caption)
    at.number_input(key="cross_size").set_value(2.0).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Tambahan per kapita per bulan"] == "Rp 109.375"
    assert metrics["Dapat keluar dari kemiskinan"] == expected(2)


def test_hasil_graduation_tab_counts_statuses_and_their_changes(app_env: Path) -> None:
    """Issue 18, item 8: the Graduasi tab of Rantai hasil. Ten households worked by hand (as in the unit test):
    five move up, three stay, one moves down, three leave poverty, one is not seen again, one is new."""
    at = _run("pemantau", "hasil")
    editor = next(d for d in at.dataframe if "kode_rt" in d.value.columns)
    assert len(editor.value) == 120
    s1 = {"H1": "miskin", "H2": "miskin", "H3": "miskin", "H4": "miskin", "H5": "miskin", "H6": "miskin",
          "H7": "rentan", "H8": "rentan", "H9": "rentan", "H10": "menengah"}
    y = {"H1": "miskin", "H2": "rentan", "H3": "rentan", "H4": "menengah", "H5": "miskin", "H7": "rentan",
         "H8": "menengah", "H9": "miskin", "H10": "stabil", "H11": "rentan"}
    added = [{"kode_rt": k, "period": "2026-S1", "status": v} for k, v in s1.items()] + \
            [{"kode_rt": k, "period": "2026", "status": v} for k, v in y.items()]
    at.session_state[editor.key] = {"edited_rows": {}, "added_rows": added, "deleted_rows": list(range(120))}
    at.run()
    at.button(key="rc_households_save").click().run()
    assert not at.exception
    assert _sql(app_env, "SELECT count(*) AS n FROM rc_households WHERE period LIKE '2026%'")["n"].iloc[0] == 20
    metrics = {m.label: m.value for m in at.metric}
    assert {k: metrics[k] for k in ("Naik status", "Tetap", "Turun status", "Keluar dari miskin",
                                    "Tidak tercatat lagi", "Baru")} == {
        "Naik status": "5", "Tetap": "3", "Turun status": "1", "Keluar dari miskin": "3", "Tidak tercatat lagi": "1",
        "Baru": "1"}
    grid = next(d.value for d in at.dataframe if "Stabil" in d.value.columns)
    assert grid.loc["Miskin"].tolist() == [2, 2, 1, 0]
    # a NIK as household code is refused with its row, the NIK itself never shown, nothing stored
    editor = next(d for d in at.dataframe if "kode_rt" in d.value.columns)
    at.session_state[editor.key] = {"edited_rows": {0: {"kode_rt": "3503012345678901"}}, "added_rows": [],
                                    "deleted_rows": []}
    at.run()
    at.button(key="rc_households_save").click().run()
    errors = " ".join(e.value for e in at.error)
    assert "Baris 1, kolom kode_rt: berisi 16 angka seperti NIK" in errors and "3503012345678901" not in errors
    assert _sql(app_env, "SELECT count(*) AS n FROM rc_households WHERE kode_rt = '3503012345678901'")["n"].iloc[0] == 0


def test_peta_pattern_over_the_years_layer(app_env: Path) -> None:
    """Issue 18, item 11: the pattern layer classifies the kecamatan over the demo's four years, says that four
    years cannot show a significant trend (p ≥ 1/12), explains a selected area and gives the method."""
    at = _run("perencana", "peta")
    at.session_state["peta_shown"] = "kecamatan"
    at.run()
    at.radio(key="_w_peta_layer").set_value("tren").run()
    assert not at.exception
    rank = at.dataframe[0].value
    assert "Pola" in rank.columns and set(rank["Pola"]) <= {
        "Kantong menguat", "Kantong menetap", "Kantong melemah", "Kantong berganti-ganti (pernah titik dingin)",
        "Kantong baru", "Kantong beruntun", "Kantong sporadis", "Bekas kantong", "Bukan kantong"}
    summary = next(c.value for c in at.caption if c.value.startswith("Tahun 2021–2024 (4 tahun)"))
    persistent = int((rank["Pola"] == "Kantong menetap").sum())
    assert (f"Kantong menetap {persistent}" in summary) == (persistent > 0)
    assert any("paling kecil mencapai p = 0,083, lebih dari α = 0,05" in i.value for i in at.info)
    assert not (rank["Pola"] == "Kantong menguat").any() and not (rank["Pola"] == "Kantong melemah").any()
    at.session_state["peta_selected"] = rank["Kode"].iloc[0]
    at.run()
    text = _texts(at)
    assert "Mengapa pola ini" in text and "Skor z Gi\\* per tahun: 2021 " in text and "tau Kendall" in text
    assert any(e.label.startswith("Metode: titik panas antar-tahun") for e in at.expander)


def test_replikasi_checklist_needs_evidence_and_budget_lines_need_sub_kegiatan_codes(app_env: Path) -> None:
    """Issue 18, item 12: the replication guide's five stages (KOMPAK, bab 3.1-3.5). The first stage's three
    outputs with their evidence complete it; an APBD line coded at programme level is refused (the guide's Table 1
    puts spending on sub-kegiatan such as 3.30.05.2.01.06); a coded operations line meets the budget stage's
    first output."""
    at = _run("perencana", "replikasi")
    assert at.title[0].value == "Kesiapan replikasi"
    assert any(i.value.startswith("Belum ada kabupaten/kota") for i in at.info)
    assert any(i.value == "0 dari 5 tahap selesai; berikutnya: Penyamaan pemahaman dan visi" for i in at.info)
    at.selectbox(key="_w_repl_kab").set_value("35.03").run()
    editor = next(d for d in at.dataframe if "keluaran" in d.value.columns)
    assert len(editor.value) == 13  # 15 outputs (3 + 5 + 3 + 2 + 2), the budget stage's two met by budget lines
    evidence = {"selesai": True, "jenis_dokumen": "SK Bupati/Wali Kota", "nomor": "188.45/12/2026",
                "tanggal": "2026-02-03", "opd": "Bappeda"}
    no_opd = {**evidence, "opd": None}
    at.session_state[editor.key] = {"edited_rows": {0: evidence, 1: {**evidence, "jenis_dokumen": "Berita acara"},
                                                    2: no_opd}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="repl_items_save").click().run()
    assert not at.exception
    assert any(e.value.startswith("Baris 3 (Kesepemahaman dan komitmen") and
               e.value.endswith("dinyatakan selesai tanpa OPD penanggung jawab") for e in at.error)
    assert _sql(app_env, "SELECT count(*) AS n FROM replication_items")["n"].iloc[0] == 0
    at.session_state[editor.key] = {"edited_rows": {0: evidence, 1: {**evidence, "jenis_dokumen": "Berita acara"},
                                                    2: {**evidence, "jenis_dokumen": "Notulen"}},
                                    "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="repl_items_save").click().run()
    assert not at.exception
    assert any(i.value == "1 dari 5 tahap selesai; berikutnya: Perumusan konsep kegiatan" for i in at.info)
    stored = _sql(app_env, "SELECT item, selesai, opd, tanggal FROM replication_items WHERE selesai ORDER BY item")
    assert stored["item"].tolist() == ["visi.komitmen", "visi.pertemuan", "visi.tim_persiapan"]
    assert str(stored["tanggal"].iloc[0])[:10] == "2026-02-03"
    # budget: a programme-level code is refused with its row; a sub-kegiatan line is stored
    budget = next(d for d in at.dataframe if "peruntukan" in d.value.columns)
    line = {"kode": "3.30.05", "uraian": "Operasional Tim Kerja", "tahun": 2026, "nilai": 150_000_000,
            "sumber": "APBD", "peruntukan": "operasional"}
    at.session_state[budget.key] = {"edited_rows": {}, "added_rows": [line], "deleted_rows": []}
    at.run()
    at.button(key="repl_budget_save").click().run()
    assert any(e.value == "Baris 1, kolom kode: 3.30.05 adalah kode program, bukan sub-kegiatan (anggaran dicatat "
                          "pada sub-kegiatan)"
               for e in at.error)
    assert _sql(app_env, "SELECT count(*) AS n FROM replication_budget")["n"].iloc[0] == 0
    budget = next(d for d in at.dataframe if "peruntukan" in d.value.columns)
    at.session_state[budget.key] = {"edited_rows": {}, "added_rows": [{**line, "kode": "3.30.05.2.01.06"}],
                                    "deleted_rows": []}
    at.run()
    at.button(key="repl_budget_save").click().run()
    assert not at.exception
    assert any(p.text == "Penyiapan penganggaran: 1 dari 2 keluaran — berjalan" for p in at.get("progress"))
    by_code = next(d.value for d in at.dataframe if "Kegiatan" in d.value.columns)
    assert by_code.iloc[0].tolist() == ["3.30.05", "3.30.05.2.01", 1, "Rp 150.000.000"]
    overview = next(d.value for d in at.dataframe if "Tahap selesai" in d.value.columns)
    assert overview.iloc[0]["Nama"] == "Kabupaten Trenggalek" and overview.iloc[0]["Tahap selesai"] == "1 / 5"
    assert overview.iloc[0]["Anggaran berkode APBD"] == "100%"
    viewer = _run("viewer", "replikasi")
    assert not [b for b in viewer.button if b.label in ("Simpan daftar periksa", "Simpan anggaran")]
    # the leadership summary says where the kabupaten stands
    lead = _run("viewer", "pimpinan")
    assert "- Kabupaten Trenggalek: 1 dari 5 tahap persiapan selesai; berikutnya: Perumusan konsep kegiatan; " \
           "anggaran Rp 150 jt" in [m.value.replace("\\", "") for m in lead.markdown]  # as read, unescaped


def test_hasil_shows_the_juknis_levels_of_change_plan_fields_and_year_end_reviews(app_env: Path) -> None:
    """Issue 18, item 7: the seven Level Perubahan as a second view of the chain, the monitoring plan's Juknis
    fields with the collection method by source, and the year-one and year-two reviews with "tambah"."""
    at = _run("pemantau", "hasil")
    at.segmented_control(key="_w_rc_view").set_value("perubahan").run()
    assert not at.exception
    dot = at.get("graphviz_chart")[0].proto.spec
    assert 'label="Dampak kemiskinan"' in dot and 'label="Kelompok kegiatan"' in dot
    assert 'label="Pengurangan kemiskinan"' not in dot
    plan = next(d.value for d in at.dataframe if "sumber_verifikasi" in d.value.columns)
    assert {"jenis_data", "ukuran_sampel", "responden"} <= set(plan.columns)
    k4 = plan.set_index("ind").loc["K4"]
    assert (k4["metode"], k4["responden"], k4["ukuran_sampel"]) == ("Survei", "Anggota POKMAS/petani", 30)
    kinds = at.selectbox(key="rc_r_kind")
    assert kinds.options[-2:] == ["Akhir tahun pertama", "Akhir tahun kedua"]
    assert "Tambah intervensi baru" in at.selectbox(key="rc_r_decision").options
