"""Real-browser tests: `streamlit run` on a free loopback port, headless Debian Chromium, every request
that leaves the machine aborted. Screenshots go to tests/screenshots/ (git-ignored)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from analytics.testing import harness
from tests.shared_data import shared_file

SHOTS = Path(__file__).resolve().parents[1] / "screenshots"
pytestmark = pytest.mark.skipif(not Path(harness.CHROMIUM).exists(),
                                reason="Debian chromium is not installed (the test command installs it)")


@pytest.fixture(scope="module")
def server(fresh_db):
    db = fresh_db("browser")
    with harness.streamlit_server(db) as (url, _):
        yield url


@pytest.fixture(scope="module")
def chromium():
    with harness.browser() as b:
        yield b


@pytest.fixture()
def page(chromium, request):
    ctx = chromium.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    pg.blocked = harness.offline_routes(pg)
    yield pg
    SHOTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{request.node.name}.png"), full_page=True)
    ctx.close()
    assert pg.blocked == [], f"requests that tried to leave the machine: {pg.blocked[:5]}"  # icons, fonts, tiles


def _pick_role(page, url: str, role_label: str) -> None:
    page.goto(url)
    page.get_by_text("Status data").first.wait_for(timeout=30000)
    _wait_ready(page)
    box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.get_by_role("combobox")
    for _ in range(3):  # under load the typed name can reach the box before its list listens: pick again
        _sidebar_choose(page, 0, role_label)
        try:
            expect(box).to_have_value(role_label, timeout=10000)
            return
        except AssertionError:
            _wait_ready(page)
    expect(box).to_have_value(role_label)


def _sidebar_choose(page, index: int, text: str) -> None:
    """Pick an option of a sidebar select box by typing it (its list may open below the window now
    that the menu lists every page)."""
    box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").nth(index)
    box.scroll_into_view_if_needed()
    box.click()
    page.keyboard.type(text)
    page.keyboard.press("Enter")


@pytest.mark.parametrize("role,label", [("viewer", "Pengamat"), ("perencana", "Perencana (Bappeda)"),
                                        ("pokja", "Anggota Pokja"), ("pemantau", "Staf pemantauan"),
                                        ("admin", "Admin")])
def test_beranda_map_draws_offline_for_every_role(server: str, page, role: str, label: str) -> None:
    _pick_role(page, server, label)
    page.get_by_text("Data contoh (sintetis)").first.wait_for()
    page.get_by_text("8.494").first.wait_for()
    frame = harness.map_frame(page)
    paths = frame.locator("path.leaflet-interactive")
    expect(paths).to_have_count(38, timeout=30000)  # the map of Indonesia: its provinces, then
    harness.choose_shown_level(page, "Kabupaten/kota")
    expect(paths).to_have_count(514, timeout=30000)  # its kabupaten/kota
    legend = frame.locator(".perantara-legend")
    assert "Data contoh (sintetis)" in legend.inner_text()
    assert "Batas wilayah perkiraan" in legend.inner_text()
    # hovering an area shows its tooltip with name, code and value (Kab. Malang; drawn in code order)
    paths.nth(harness.kabupaten_index("35.07")).hover(force=True)
    tip = frame.locator(".leaflet-tooltip")
    tip.first.wait_for()
    assert "Kabupaten Malang" in tip.first.inner_text() and "35.07" in tip.first.inner_text()
    assert "%" in tip.first.inner_text()
    # only the favicon-free app: nothing had to come from outside the machine
    assert [u for u in page.blocked if "leaflet" in u or "cdn" in u] == []
    nav = page.locator("[data-testid='stSidebarNav']")
    if role == "admin":
        assert nav.get_by_text("Data", exact=True).is_visible()
        assert nav.get_by_text("Pengguna").is_visible()
    else:
        assert nav.count() == 0 or not nav.get_by_text("Pengguna").is_visible()


def test_admin_opens_data_and_users_pages(server: str, page) -> None:
    _pick_role(page, server, "Admin")
    _choose_year(page, "2022")
    page.get_by_text("P0 provinsi 2022").wait_for()
    page.locator("[data-testid='stSidebarNav']").get_by_text("Data", exact=True).click()
    page.get_by_text("Versi skema basis data").wait_for()
    page.get_by_text("Jejak audit (50 terbaru)").wait_for()
    assert page.get_by_role("button", name="Bangun ulang data contoh").is_disabled()
    page.locator("[data-testid='stSidebarNav']").get_by_text("Pengguna").click()
    page.get_by_text("Buat akun baru").wait_for()
    # the shared filters (role, year) survive page changes
    page.locator("[data-testid='stSidebarNav']").get_by_text("Beranda").click()
    page.get_by_text("P0 provinsi 2022").wait_for()
    assert page.locator("[data-testid='stSidebarNav']").get_by_text("Pengguna").is_visible()


def test_url_outside_role_is_refused(server: str, page) -> None:
    page.goto(server)
    page.get_by_text("Status data").first.wait_for(timeout=30000)
    page.goto(f"{server}/data")
    page.get_by_text("tidak tersedia untuk peran Anda").wait_for(timeout=30000)
    assert page.get_by_text("Jejak audit").count() == 0


def test_page_urls_resolve(server: str, page) -> None:
    """Every page has its own address, Beranda included (Streamlit serves its default page only at the
    root, so the default is a hidden start page that forwards)."""
    page.goto(f"{server}/beranda")
    page.get_by_text("Status data").first.wait_for(timeout=30000)
    expect(page).to_have_url(re.compile(r"/beranda$"))
    page.goto(server)
    page.get_by_text("Status data").first.wait_for(timeout=30000)
    expect(page).to_have_url(re.compile(r"/beranda$"))
    page.goto(f"{server}/masuk")
    expect(page.get_by_role("button", name="Masuk")).to_be_visible(timeout=30000)
    expect(page.get_by_text("Page not found")).to_have_count(0)


def test_first_request_after_restart_is_refused_by_the_router(fresh_db, tmp_path: Path, chromium) -> None:
    """A fresh server, demo mode off, and a first request straight to /peta with no one signed in: the
    router refuses before the page runs (no title, no map), and /masuk offers the sign-in form."""
    db = fresh_db("db")
    with harness.streamlit_server(db, env={"PERANTARA_DEMO_MODE": "0"}) as (url, _):
        ctx = chromium.new_context(viewport={"width": 1400, "height": 1000})
        page = ctx.new_page()
        harness.offline_routes(page)
        page.goto(f"{url}/peta")
        expect(page.get_by_text("Silakan masuk terlebih dahulu")).to_be_visible(timeout=30000)
        expect(page.get_by_role("heading", name="Peta kemiskinan")).to_have_count(0)
        expect(page.locator("iframe")).to_have_count(0)
        page.goto(f"{url}/masuk")
        expect(page.get_by_role("button", name="Masuk")).to_be_visible(timeout=30000)
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "router_refusal.png"))
        ctx.close()


def _choose_year(page, year: str) -> None:
    """Pick a year in the sidebar's Tahun box."""
    _sidebar_choose(page, 2, year)


def _open_impor(page, server: str) -> None:
    """Open the Import page and wait until its first run has finished."""
    page.goto(f"{server}/impor")
    page.get_by_text("Impor data").first.wait_for(timeout=30000)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=30000)


def _wait_ready(page) -> None:
    """The first run has finished: the map is drawn and the app reports no running script."""
    harness.map_frame(page).locator("path.leaflet-interactive").first.wait_for(timeout=30000)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=30000)


def test_language_switch_and_year_filter(server: str, page) -> None:
    page.goto(server)
    page.get_by_text("Status data").first.wait_for(timeout=30000)
    _wait_ready(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    _choose_year(page, "2022")
    # the demo's province P0 for 2022 is 13.327066 %: written the Indonesian way, then the English way
    metric = page.locator("[data-testid='stMetric']").filter(has_text="P0 provinsi 2022")
    expect(metric.locator("[data-testid='stMetricValue']")).to_have_text("13,33%")
    sidebar.get_by_text("EN", exact=True).click()
    metric = page.locator("[data-testid='stMetric']").filter(has_text="Province P0 2022")  # the year kept
    expect(metric.locator("[data-testid='stMetricValue']")).to_have_text("13.33%")
    expect(page.get_by_text("Synthetic demo data").first).to_be_visible()
    frame = harness.map_frame(page)
    expect(frame.locator(".perantara-legend").get_by_text("Approximate boundaries")).to_be_visible()


def _sign_in(page, url: str, user: str, password: str) -> None:
    page.goto(url)
    page.get_by_role("button", name="Masuk").wait_for(timeout=30000)
    page.get_by_label("Nama pengguna").fill(user)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def _session_cookies(page) -> list[dict]:
    """The sign-in cookies the browser holds, once the app has set one (within 15 s)."""
    from analytics.core import auth

    for _ in range(60):
        if found := [c for c in page.context.cookies() if c["name"] == auth.SESSION_COOKIE]:
            return found
        page.wait_for_timeout(250)
    return []


def test_login_reload_deactivation_logout_and_throttling(fresh_db, tmp_path: Path, chromium) -> None:
    """With demo mode off: a sign-in survives a reload (the signed cookie); a page outside the role is
    refused; an admin deactivating the account ends its open session at its next click; signing out
    ends the session even though the browser could replay the cookie; five wrong passwords lock the
    name and the device."""
    db = fresh_db("db")
    from analytics.core import auth
    from analytics.core.db import Database
    d = Database(db)
    auth.create_user(d, "admin", "admin", "rina", "perencana", "kebun-kopi-2026")
    auth.create_user(d, "admin", "admin", "kepala", "admin", "sawah-lestari-9")
    d.close()
    _, code = harness.prepare_workshop(db)
    with harness.streamlit_server(db, env={"PERANTARA_DEMO_MODE": "0"}) as (url, _):
        ctx = chromium.new_context(viewport={"width": 1400, "height": 1000})
        page = ctx.new_page()
        blocked = [harness.offline_routes(page)]  # each filled as its page runs
        page.goto(url)
        page.get_by_role("button", name="Masuk").wait_for(timeout=30000)
        assert page.get_by_text("Status data").count() == 0
        _sign_in(page, url, "rina", "kebun-kopi-2026")
        page.get_by_text("Status data").first.wait_for(timeout=30000)
        page.get_by_text("Masuk sebagai rina").first.wait_for()
        cookie = _session_cookies(page)
        assert len(cookie) == 1 and cookie[0]["sameSite"] == "Strict" and cookie[0]["expires"] > 0
        page.reload()  # a reload keeps the sign-in
        page.get_by_text("Masuk sebagai rina").first.wait_for(timeout=30000)
        page.goto(f"{url}/pengguna")
        page.get_by_text("tidak tersedia untuk peran Anda").first.wait_for(timeout=30000)
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "login_refusal.png"))

        admin = chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        blocked.append(harness.offline_routes(admin))
        _sign_in(admin, url, "kepala", "sawah-lestari-9")
        admin.get_by_text("Masuk sebagai kepala").first.wait_for(timeout=30000)
        assert _session_cookies(admin)
        admin.goto(f"{url}/pengguna")
        admin.get_by_text("Kelola akun").wait_for(timeout=30000)
        box = admin.locator("[data-testid='stSelectbox']").filter(has_text="Pilih akun")
        box.click()
        admin.keyboard.type("rina")
        admin.keyboard.press("Enter")
        admin.get_by_role("button", name="Nonaktifkan").click()
        admin.get_by_text("Akun rina diperbarui").wait_for(timeout=30000)

        page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Beranda").click()  # rina's next click
        page.get_by_text("Sesi Anda berakhir karena akun dinonaktifkan").wait_for(timeout=30000)
        page.reload()  # and the cookie no longer opens it: the page asks to sign in and links to the form
        page.get_by_text("Silakan masuk terlebih dahulu").wait_for(timeout=30000)
        page.locator("[data-testid='stMain'] a").filter(has_text="Masuk").click()
        page.get_by_role("button", name="Masuk").wait_for(timeout=30000)
        assert page.get_by_text("Masuk sebagai rina").count() == 0

        admin.get_by_role("button", name="Keluar").click()  # signing out ends the session...
        admin.get_by_role("button", name="Masuk").wait_for(timeout=30000)
        admin.reload()  # ... and a reload does not bring it back
        admin.get_by_role("button", name="Masuk").wait_for(timeout=30000)
        assert admin.get_by_text("Masuk sebagai kepala").count() == 0

        guest = chromium.new_context(viewport={"width": 390, "height": 844}).new_page()  # no account at all
        blocked.append(harness.offline_routes(guest))
        harness.join_workshop(guest, url, code, "Tamu")
        guest.get_by_text("Anda tercatat sebagai P01").wait_for(timeout=30000)
        guest.goto(f"{url}/lokakarya")  # the workshop's own page, and only that
        guest.get_by_text("Silakan masuk terlebih dahulu").wait_for(timeout=30000)
        assert guest.get_by_text("Kode peserta").count() == 0

        for _ in range(5):  # five wrong passwords, then the right one is refused for 15 minutes
            _sign_in(admin, url, "kepala", "salah-sekali-1")
            admin.get_by_text("Nama pengguna atau kata sandi salah").wait_for(timeout=30000)
        _sign_in(admin, url, "kepala", "sawah-lestari-9")
        admin.get_by_text("Terlalu banyak percobaan masuk yang gagal").wait_for(timeout=30000)
        assert admin.get_by_text("Masuk sebagai kepala").count() == 0
        ctx.close()
    assert [u for urls in blocked for u in urls] == []


# ---------------------------------------------------------------------- issue 3
def test_peta_drills_down_and_back_up_by_clicks(server: str, page) -> None:
    harness.open_peta(page, server)
    frame = harness.map_frame(page)
    assert "Data contoh (sintetis)" in frame.locator(".perantara-legend").inner_text()
    harness.click_area(page, 6)  # a kabupaten → its kecamatan
    n_kec = harness.wait_paths(page, lambda n: n != 38)
    assert 5 <= n_kec <= 40
    page.get_by_text("Peringkat Kecamatan").wait_for()
    crumbs = page.locator("[data-testid='stButton']").filter(has_text="›")
    assert crumbs.count() == 2  # Indonesia › Jawa Timur › the kabupaten
    # the tooltip names the area, its code, value, unit, source and year
    paths = frame.locator("path.leaflet-interactive")
    paths.nth(0).hover(force=True)
    tip = frame.locator(".leaflet-tooltip").first
    tip.wait_for()
    for piece in ("Kode", "persen", "Data contoh (sintetis)", "2024"):
        assert piece in tip.inner_text()
    page.get_by_role("button", name="Jawa Timur").click()  # breadcrumb back to the province
    expect(harness.map_shapes(page)).to_have_count(38, timeout=30000)
    page.get_by_text("Peringkat Kabupaten/kota").wait_for()


def test_peta_starts_from_indonesia_and_opens_provinces_outside_jawa_timur(server: str, page) -> None:
    """The map of Indonesia: its provinces, then its 514 kabupaten/kota; a click on a province enters it
    and makes it the province worked in; Lokakarya and Ringkasan pimpinan then open there. Two island
    provinces with demo data (Maluku, Kepulauan Riau) and one without any data yet (Sulawesi Selatan)."""
    harness.open_peta(page, server, national=True)
    assert page.get_by_role("button", name="Indonesia").is_disabled()
    harness.choose_shown_level(page, "Kabupaten/kota")
    expect(harness.map_shapes(page)).to_have_count(514, timeout=30000)
    page.get_by_text("Peringkat Kabupaten/kota").wait_for()
    for prov, name, n_kab in (("81", "Maluku", 11), ("21", "Kepulauan Riau", 7), ("73", "Sulawesi Selatan", 24)):
        page.goto(f"{server}/peta")  # (the session keeps the last view: back to Indonesia by the breadcrumb)
        page.get_by_text("Peringkat").first.wait_for(timeout=60000)
        _wait_ready(page)
        if page.get_by_role("button", name="Indonesia").is_enabled():
            page.get_by_role("button", name="Indonesia").click()
        harness.choose_shown_level(page, "Provinsi")
        page.get_by_text("Peringkat Provinsi").wait_for(timeout=30000)
        expect(harness.map_shapes(page)).to_have_count(38, timeout=30000)
        _wait_ready(page)
        harness.click_area(page, harness.province_index(prov))
        page.get_by_role("button", name=f"› {name}").wait_for(timeout=30000)
        expect(harness.map_shapes(page)).to_have_count(n_kab, timeout=30000)
        province_box = page.locator("[data-testid='stSidebar'] input[aria-label='Provinsi']")
        expect(province_box).to_have_value(name)  # the province worked in follows the click
        for link, heading in (("Lokakarya komoditas", "Lokakarya seleksi komoditas"),
                              ("Ringkasan pimpinan", "Ringkasan pimpinan")):
            page.locator("[data-testid='stSidebarNav'] a", has_text=link).click()
            page.get_by_role("heading", name=heading).first.wait_for(timeout=30000)
            page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=60000)
            assert page.get_by_text("halaman ini gagal ditampilkan").count() == 0
            expect(province_box).to_have_value(name)


def test_peta_province_desa_map_then_one_kabupaten(server: str, page) -> None:
    harness.open_peta(page, server)
    harness.choose_shown_level(page, "Desa/kelurahan")
    expect(harness.map_shapes(page)).to_have_count(8494, timeout=60000)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=30000)
    harness.click_area(page, 4000)  # a desa → the desa of its kabupaten
    n = harness.wait_paths(page, lambda n: n < 8494)
    assert 50 <= n <= 700
    page.get_by_text("Peringkat Desa/kelurahan").wait_for()
    assert page.locator("[data-testid='stButton']").filter(has_text="›").count() == 2


def test_peta_pocket_layer_and_shortlist(server: str, page) -> None:
    harness.open_peta(page, server)
    page.get_by_text("Kantong (Moran lokal)").click()
    frame = harness.map_frame(page)
    frame.locator(".perantara-legend").get_by_text("Kantong (tinggi-tinggi)").wait_for(timeout=60000)
    page.get_by_text("kantong tinggi-tinggi").first.wait_for()  # the summary line under the map
    assert frame.locator(".perantara-legend").get_by_text("Tidak signifikan").count() >= 1
    # the shortlist: a planner adds the selected area with a reason
    page.get_by_label("Alasan").fill("Kantong kemiskinan menurut Moran lokal")
    page.get_by_role("button", name="Tambahkan ke daftar").click()
    page.get_by_text("ditambahkan ke daftar prioritas").wait_for()
    page.get_by_text("Kantong kemiskinan menurut Moran lokal").first.wait_for()
    with page.expect_download() as dl:
        page.get_by_role("button", name="Unduh XLSX").click()
    assert dl.value.suggested_filename == "daftar_prioritas.xlsx"
    # the pattern over the years (issue 18, item 11): its legend, the years it read, and the method
    page.get_by_text("Pola antar-tahun").click()
    frame = harness.map_frame(page)
    frame.locator(".perantara-legend").get_by_text("Kantong menetap").wait_for(timeout=60000)
    assert frame.locator(".perantara-legend").get_by_text("Bukan kantong").count() >= 1
    page.get_by_text("Tahun 2021–2024 (4 tahun)").first.wait_for(timeout=30000)
    page.get_by_text("Metode: titik panas antar-tahun").first.wait_for()


def test_import_page_previews_then_stores_official_boundaries(server: str, page) -> None:
    src = shared_file("jatim-standard-formats", "jatim_kabupaten.geojson")
    _open_impor(page, server)
    harness.upload(page, str(src), "Wilayah cocok")
    button = page.get_by_role("button", name="Simpan batas wilayah")
    button.wait_for()
    button.click()
    page.get_by_text("38 batas Kabupaten/kota resmi tersimpan").wait_for(timeout=60000)
    # a bad file in the tables tab: a clear message, nothing stored
    page.get_by_role("tab", name="Tabel indikator").click()
    tables = page.get_by_role("tabpanel", name="Tabel indikator")  # (the boundary tab has two uploaders)
    bad = tables.locator("[data-testid='stFileUploader'] input[type=file]")
    harness.upload(page, [{"name": "teks.csv", "mimeType": "text/csv",
                           "buffer": b"kode;p0\n35.01;15,11\n35.02;abc\n"}], "'abc' bukan angka", locator=bad)
    assert page.get_by_role("button", name="Simpan nilai indikator").is_disabled()


def test_a_bps_desa_file_goes_in_as_bps_distributes_it(server: str, page) -> None:
    """Sidoarjo's BPS desa file, unrenamed: the columns are recognised as BPS, the sure pairs are stored,
    the features without a sure counterpart are listed with suggestions and left out."""
    src = shared_file("bps-desa-sample", "idkab_3515.geojson")
    _open_impor(page, server)
    harness.upload(page, str(src), "Wilayah cocok")
    page.get_by_text("Kolom dikenali sebagai konvensi BPS").wait_for(timeout=30000)
    page.get_by_text("Belum pasti: 5 fitur BPS").wait_for(timeout=30000)
    expect(page.get_by_text("DAERAH BERDAMPAK LUMPUR").first).to_be_attached()  # a cell of the (canvas) table
    page.get_by_role("button", name="Simpan batas wilayah").click()
    page.get_by_text("345 batas Desa/kelurahan resmi tersimpan").wait_for(timeout=60000)


def test_the_next_table_from_a_source_is_read_with_its_saved_mapping(server: str, page) -> None:
    """March's table from 'BPS Uji' is stored; April's file from the same source is read the way March's
    was, and the page names the column the mapping does not know and the one April no longer has."""
    _open_impor(page, server)
    page.get_by_role("tab", name="Tabel indikator").click()
    tables = page.get_by_role("tabpanel", name="Tabel indikator")
    uploader = tables.locator("[data-testid='stFileUploader'] input[type=file]")
    march = b"kode;persentase_miskin;tpt\n35.01;13,5;1,2\n35.02;9,3;3,4\n"
    harness.upload(page, [{"name": "maret.csv", "mimeType": "text/csv", "buffer": march}], "Kolom nilai",
                   locator=uploader)
    source = tables.get_by_label("Sumber")
    source.fill("BPS Uji")
    source.press("Enter")
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=30000)
    tables.get_by_role("button", name="Simpan nilai indikator").click()
    page.get_by_text("4 nilai tersimpan dengan sumber 'BPS Uji'").wait_for(timeout=60000)  # P0 and TPT, 2 each
    april = b"kode;persentase_miskin;ipm\n35.01;13,1;70,5\n35.02;9,0;71,2\n"
    harness.upload(page, [{"name": "april.csv", "mimeType": "text/csv", "buffer": april}],
                   "pemetaan tersimpan 'BPS Uji (maret.csv)'", locator=uploader)
    expect(page.get_by_text("Kolom baru yang belum ada di pemetaan (dibaca seperti usulan, periksa): 'ipm'")) \
        .to_be_visible()
    expect(page.get_by_text("Kolom di pemetaan yang tidak ada lagi di berkas ini: 'tpt'")).to_be_visible()


def test_a_register_shows_its_sectors_and_the_planner_sets_the_unknown_ones(server: str, page) -> None:
    """Issue 18, item 2: a register whose sector column holds a code the mapping does not know ('12'): the
    preview says it is counted as not productive for now and lists the file's sectors, unknown first; the
    planner saves the settings."""
    _open_impor(page, server)
    page.get_by_role("tab", name="Register rumah tangga").click()
    panel = page.get_by_role("tabpanel", name="Register rumah tangga")
    rows = ["nik,kode_desa,desil,sektor,jenis_kelamin_kk,disabilitas,jumlah_art"]
    rows += [f"3507010101{900 + i:06d},35.07.11.2002,2,{s},L,tidak,4"
             for i, s in enumerate(["hortikultura", "usaha kecil", "non pertanian", "12"])]
    harness.upload(page, [{"name": "sektor.csv", "mimeType": "text/csv", "buffer": ("\n".join(rows) + "\n").encode()}],
                   "Sektor di berkas ini", locator=panel.locator("[data-testid='stFileUploader'] input[type=file]"))
    expect(page.get_by_text("1 label sektor belum dikenal ('12')", exact=False)).to_be_visible()
    grid = panel.locator("[data-testid='stDataFrame']").last
    expect(grid).to_be_visible()
    panel.get_by_role("button", name="Simpan penetapan sektor").click()
    page.get_by_text("4 label sektor disimpan.").wait_for(timeout=30000)


def test_a_listed_split_is_paired_by_choosing_a_suggestion(server: str, page) -> None:
    """Pacitan's KETRO holds the points of Ketro and Ketro Harjo: listed with both as suggestions; the
    planner picks suggestion 1 in the table and all 171 features are stored."""
    src = shared_file("bps-desa-sample", "idkab_3501.geojson")
    _open_impor(page, server)
    harness.upload(page, str(src), "Wilayah cocok")
    page.get_by_text("Belum pasti: 1 fitur BPS").wait_for(timeout=30000)
    metric = page.locator("[data-testid='stMetric']").filter(has_text="Wilayah cocok")
    expect(metric).to_contain_text("170")
    editor = page.locator("[data-testid='stDataFrame']").nth(1)
    editor.scroll_into_view_if_needed()
    box = editor.bounding_box()
    page.mouse.dblclick(box["x"] + 60 + 160 + 55, box["y"] + 36 + 18)  # the Pilihan cell of the first row
    page.get_by_role("option", name="saran 1").click()
    expect(metric).to_contain_text("171", timeout=30000)
    page.get_by_role("button", name="Simpan batas wilayah").click()
    page.get_by_text("171 batas Desa/kelurahan resmi tersimpan").wait_for(timeout=60000)


def test_sasaran_and_sumber_pages(server: str, page) -> None:
    page.goto(f"{server}/sasaran")
    page.get_by_text("Sasaran penerima manfaat (aturan APP)").wait_for(timeout=30000)
    page.get_by_text("Desil 2 produktif").first.wait_for()
    page.get_by_text("Wilayah teratas menurut aturan APP").wait_for()  # the chart's title
    page.get_by_text("Rincian satu desa: sektor × desil").wait_for()
    expect(page.get_by_text("Angka lengkap", exact=False).first).to_be_visible()  # a planner sees full counts
    # as a viewer, small cells are hidden and the page says how many
    _sidebar_choose(page, 0, "Pengamat")
    note = page.get_by_text("sel disembunyikan untuk peran Anda").first
    note.wait_for(timeout=30000)
    assert re.match(r"^\d+ sel disembunyikan untuk peran Anda \(•\)", note.inner_text())
    assert int(note.inner_text().split()[0]) > 0
    page.goto(f"{server}/sumber")
    page.get_by_text("Perbandingan sumber").first.wait_for(timeout=30000)
    expect(page.get_by_text("Selisih melebihi batas")).to_be_visible()
    expect(page.get_by_text("Data contoh (sintetis)").first).to_be_visible()
    expect(page.get_by_text("Sumber pertama terhadap sumber kedua")).to_be_visible()


# ---------------------------------------------------------------------- issue 4
def test_workshop_participant_and_facilitator(server: str, chromium, fresh_db, tmp_path: Path) -> None:
    db = fresh_db("db")
    sid, code = harness.prepare_workshop(db)
    with harness.streamlit_server(db) as (url, _):
        phone = chromium.new_context(viewport={"width": 390, "height": 844}).new_page()
        harness.offline_routes(phone)
        harness.join_workshop(phone, url, code.lower(), "Sari")
        phone.get_by_text("P01").first.wait_for()
        phone.locator("[data-testid='stPlotlyChart'] .bartext").first.wait_for(timeout=30000)
        outreach = "Potensi daya jangkau kelompok miskin (poverty outreach)"
        harness.move_slider(phone, outreach, "End", timeout=15)  # the participant's own ranking follows
        expect(phone.locator("[data-testid='stStatusWidget']")).to_be_hidden(timeout=15000)  # the weight is stored
        phone.reload()  # a locked screen or a reload: back as the same participant, weights kept
        phone.get_by_text("Anda tercatat sebagai P01").wait_for(timeout=30000)
        assert phone.locator(f"input[type=range][aria-label='{outreach}']").get_attribute("value") == "5"
        SHOTS.mkdir(exist_ok=True)
        phone.screenshot(path=str(SHOTS / "workshop_phone.png"), full_page=True)
        desk = chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        harness.offline_routes(desk)
        desk.goto(f"{url}/lokakarya")
        desk.get_by_text(code).first.wait_for(timeout=30000)  # the join code, big enough for a projector
        desk.get_by_role("tab", name="Peringkat").click()
        desk.locator("[data-testid='stPlotlyChart'] .bartext").first.wait_for(timeout=30000)
        harness.move_slider(desk, outreach, "Home", timeout=15)
        desk.get_by_role("tab", name="Kekokohan").click()
        desk.get_by_text("simulasi Monte Carlo").first.wait_for(timeout=30000)
        desk.screenshot(path=str(SHOTS / "workshop_facilitator.png"), full_page=True)
        # closing freezes the workshop: the participant's link then shows it is closed, no sliders
        desk.get_by_role("tab", name="Keputusan").click()
        close = desk.get_by_role("button", name="Tutup lokakarya")
        expect(close).to_be_disabled()  # not one click away: the facilitator confirms first
        desk.get_by_text("Saya paham: setelah ditutup").click()
        close.click()
        desk.get_by_text("Lokakarya ini sudah ditutup").first.wait_for(timeout=30000)
        phone.reload()
        phone.get_by_text("Lokakarya ini sudah ditutup oleh fasilitator").wait_for(timeout=30000)
        assert phone.locator("input[type=range]").count() == 0


# ---------------------------------------------------------------------- issue 5
def test_rantai_sankey_map_and_tree_draw_offline(server: str, page) -> None:
    page.goto(f"{server}/rantai")
    page.get_by_text("Rantai nilai dan sistem pasar").first.wait_for(timeout=30000)
    page.locator("[data-testid='stPlotlyChart'] .sankey").first.wait_for(timeout=30000)
    assert page.locator("[data-testid='stPlotlyChart'] .sankey-node").count() >= 7
    page.get_by_text("Data contoh (sintetis)").first.wait_for()
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=30000)
    # editing a flow: the collector now sends far more than it buys → redrawn at once, with a warning
    before = harness.sankey_shape(page)
    harness.edit_grid_cell(page, 0, 4, 3, "900000")  # row 5 of the jahe chain: K → J
    page.keyboard.press("Enter")
    page.get_by_text("(K) mengirim").first.wait_for(timeout=15000)
    assert harness.sankey_shape(page) != before
    page.get_by_role("button", name="Simpan aliran").click()
    page.get_by_text("Tersimpan.").wait_for(timeout=15000)
    page.reload()
    page.locator("[data-testid='stPlotlyChart'] .sankey-link").first.wait_for(timeout=30000)
    page.get_by_text("(K) mengirim").first.wait_for(timeout=15000)  # stored, and still flagged
    page.get_by_role("tab", name="Peta sistem pasar").click()
    svg = page.locator("[data-testid='stGraphVizChart'] svg").first
    svg.wait_for(timeout=30000)
    assert "Fungsi pendukung" in svg.text_content() and "Rantai inti" in svg.text_content()
    page.get_by_role("tab", name="Pohon masalah").click()
    tree = page.locator("[data-testid='stGraphVizChart'] svg").last
    tree.wait_for(timeout=30000)
    assert "mengapa?" in tree.text_content()
    assert [u for u in page.blocked if "graphviz" in u or "wasm" in u or "cdn" in u] == []


# ---------------------------------------------------------------------- issue 6
def test_bisnis_model_whatif_returns_and_annexes(server: str, page, tmp_path: Path) -> None:
    page.goto(f"{server}/bisnis")
    page.get_by_text("Model bisnis dan kalkulasi bisnis").first.wait_for(timeout=30000)
    page.get_by_text("Data contoh (sintetis)").first.wait_for()
    page.get_by_text("Setiap pelaku mendapat laba bersih lebih besar").wait_for(timeout=30000)
    svg = page.locator("[data-testid='stGraphVizChart'] svg").first
    svg.wait_for(timeout=30000)
    drawn = svg.text_content()
    assert "POKMAS/UMK" in drawn and "Produk 200.000 kg @ Rp 7.500" in drawn and "Investasi, jasa melekat" in drawn
    # what-if: the per-actor table and the tornado chart follow a slider
    page.get_by_role("tab", name="Per pelaku dan kepekaan").click()
    page.locator("[data-testid='stPlotlyChart'] .bartext").first.wait_for(timeout=30000)
    harness.settle(page, harness.whatif_view)
    table, bars = harness.whatif_view(page)
    assert "Petani jahe merah" in table and "✓" in table and len(bars) == 6
    for _ in range(6):  # selling prices −30% for everyone
        harness.move_slider(page, "Harga jual", "ArrowLeft", read=harness.whatif_view)
    harness.settle(page, harness.whatif_view)
    # the what-if says its own verdict as the what-if's; the model's verdict above stays the model's
    page.get_by_text("Dalam skenario bagaimana-jika ini").first.wait_for(timeout=15000)
    assert page.get_by_text("Setiap pelaku mendapat laba bersih lebih besar").count() == 1
    assert "✓" not in harness.whatif_view(page)[0]
    page.get_by_role("tab", name="Penjangkauan dan imbal hasil").click()
    page.get_by_text("Rasio manfaat-biaya").first.wait_for(timeout=15000)
    page.get_by_text("Rumah tangga miskin produktif (desil 2-3) di wilayah sasaran").wait_for()
    page.get_by_text("Keluar dari kemiskinan (taksiran)").wait_for()  # issue 18, item 9
    page.get_by_text("Asumsi: Garis kemiskinan Kabupaten Trenggalek 2024").wait_for()
    page.get_by_role("tab", name="Pembagian biaya dan risiko").click()
    page.get_by_text("Leverage (swasta ÷ pemerintah)").wait_for(timeout=15000)
    page.get_by_role("tab", name="Lampiran proposal").click()
    with page.expect_download() as dl:
        page.get_by_role("button", name="Unduh lampiran (XLSX)").click()
    path = tmp_path / "lampiran.xlsx"
    dl.value.save_as(path)
    import openpyxl

    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0].startswith("Lampiran 1") and "sintetis" in str(book.worksheets[0]["A1"].value)
    assert [n.split()[1] for n in book.sheetnames] == ["1", "2", "3", "4", "5", "6", "7"]  # the Juknis's seven
    # model B: five actors, the financial institution drawn
    box = page.locator("[data-testid='stMain'] [data-testid='stSelectbox']").filter(
        has=page.get_by_text("Model bisnis", exact=True))
    box.scroll_into_view_if_needed()
    box.click()
    page.keyboard.type("Model B kopi")
    page.keyboard.press("Enter")
    page.get_by_role("tab", name="Model").first.click()
    graph = page.locator("[data-testid='stGraphVizChart'] svg").first
    graph.filter(has_text="Lembaga keuangan").wait_for(timeout=30000)
    assert "BPR dan KUR" in page.locator("[data-testid='stGraphVizChart'] svg").first.text_content()


# ---------------------------------------------------------------------- issue 7
def test_monitoring_pages_draw(server: str, page, tmp_path: Path) -> None:
    page.goto(f"{server}/hasil")
    page.get_by_text("Rantai hasil dan pengukuran hasil").first.wait_for(timeout=30000)
    svg = page.locator("[data-testid='stGraphVizChart'] svg").first
    svg.wait_for(timeout=30000)
    assert "Pengurangan kemiskinan" in svg.text_content() and "Rumah tangga terjangkau" in svg.text_content()
    page.get_by_role("tab", name="Target vs realisasi").click()
    page.locator("[data-testid='stPlotlyChart'] .bartext").first.wait_for(timeout=30000)
    page.get_by_role("tab", name="Tinjauan").click()
    page.get_by_role("button", name="Simpan tinjauan").wait_for(timeout=15000)
    page.get_by_role("tab", name="Graduasi").click()  # households by status and their moves (issue 18, item 8)
    page.locator("[data-testid='stPlotlyChart'] .sankey").first.wait_for(timeout=30000)
    page.get_by_text("Keluar dari miskin").first.wait_for()
    panel = page.get_by_role("tabpanel", name="Graduasi")  # a status file with a NIK in it: refused, row named
    harness.upload(page, [{"name": "status.csv", "mimeType": "text/csv",
                           "buffer": b"kode_rt;periode;status\n3503012345678901;2026;miskin\n"}],
                   "status.csv", locator=panel.locator("[data-testid='stFileUploader'] input[type=file]"))
    panel.get_by_role("button", name="Simpan dari berkas").click()
    panel.get_by_text("Baris 2, kolom kode_rt: berisi 16 angka seperti NIK").wait_for(timeout=30000)
    assert panel.get_by_text("3503012345678901").count() == 0
    page.locator("[data-testid='stSidebarNav'] a", has_text="Skor PCI").click()
    page.get_by_text("Skor PCI kelompok").first.wait_for(timeout=30000)
    page.locator("[data-testid='stMarkdownContainer'] p", has_text="turun satu predikat").first.wait_for(timeout=30000)
    page.get_by_role("tab", name="Rubrik dan pemeriksa").click()
    page.get_by_text("Temuan pemeriksa rubrik: 47").wait_for(timeout=15000)
    page.get_by_role("tab", name="Kelengkapan program").click()  # the study's ten stages (issue 18, item 10)
    page.get_by_text("Skor kelengkapan").first.wait_for(timeout=15000)
    page.locator("[data-testid='stPlotlyChart'] .barlayer").last.wait_for(timeout=30000)
    page.locator("[data-testid='stSidebarNav'] a", has_text="ADKAR").click()
    page.get_by_text("ADKAR: perubahan perilaku").first.wait_for(timeout=30000)
    page.locator("[data-testid='stPlotlyChart'] .heatmaplayer, [data-testid='stPlotlyChart'] .hm").first.wait_for(
        timeout=30000)
    page.locator("[data-testid='stSidebarNav'] a", has_text="Kesiapan replikasi").click()  # issue 18, item 12
    page.get_by_text("Penyamaan pemahaman dan visi: 0 dari 3 keluaran — belum").wait_for(timeout=30000)
    page.get_by_text("Contoh nomenklatur dari panduan (Tabel 1)").wait_for()
    page.locator("[data-testid='stSidebarNav'] a", has_text="Ringkasan pimpinan").click()
    assert harness.leadership_ready(page) < 30
    page.get_by_text("Data contoh (sintetis)").first.wait_for()
    page.get_by_role("button", name="Buat PDF").click()
    with page.expect_download() as dl:
        page.get_by_role("button", name="Unduh ringkasan (PDF)").click(timeout=60000)
    path = tmp_path / "ringkasan.pdf"
    dl.value.save_as(path)
    assert path.read_bytes()[:4] == b"%PDF"


ROLE_LABELS = {"viewer": "Pengamat", "perencana": "Perencana (Bappeda)", "pokja": "Anggota Pokja",
               "pemantau": "Staf pemantauan", "admin": "Admin"}


def _settle(page) -> None:
    """The script run a click started has finished."""
    page.wait_for_timeout(400)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=60000)


@pytest.mark.parametrize("role", list(ROLE_LABELS))
def test_every_page_opens_in_both_languages_after_switching_on_another_page(server: str, page, role: str) -> None:
    """Issue 14: switching to EN on Beranda and then opening a page used to end in a traceback (the role
    select box sent back its Indonesian label). Every page of every role, in EN and then in ID again."""
    _pick_role(page, server, ROLE_LABELS[role])
    _settle(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    links = page.locator("[data-testid='stSidebarNav'] a")
    for lang in ("EN", "ID"):
        sidebar.get_by_text(lang, exact=True).click()
        _settle(page)
        for i in range(links.count()):
            links.nth(i).click()
            _settle(page)
            where = f"{role}, {lang}, {links.nth(i).inner_text()}"
            expect(page.locator("[data-testid='stException']"), where).to_have_count(0)
            expect(page.get_by_text(re.compile("could not be shown|gagal ditampilkan")), where).to_have_count(0)
            expect(page.locator("h1").first, where).to_be_visible()
        # the role chosen before the switch is still the role (its code kept, not its label)
        english = {"viewer": "Viewer", "perencana": "Planner (Bappeda)", "pokja": "Working-group member",
                   "pemantau": "Monitoring staff", "admin": "Admin"}
        expect(sidebar.get_by_role("combobox").first).to_have_value((english if lang == "EN" else ROLE_LABELS)[role])
