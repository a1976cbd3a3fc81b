"""The planner's whole path in a real browser (issue 17): a pocket on the map → the shortlist → a workshop for
its kabupaten with three participants on phones → the value chain of the final choice → a business model →
its results chain → the leadership PDF, moving from stage to stage only with the "Langkah berikutnya"
buttons, at 1366 × 768 (a Bappeda laptop) and 390 × 844 (a phone). Screenshots of every step go to
tests/screenshots/path_*.png."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from analytics.testing import harness

SHOTS = Path(__file__).resolve().parents[1] / "screenshots"
pytestmark = pytest.mark.skipif(not Path(harness.CHROMIUM).exists(),
                                reason="Debian chromium is not installed (the test command installs it)")


@pytest.fixture(scope="module")
def chromium():
    with harness.browser() as b:
        yield b


def _idle(page) -> None:  # noqa: ANN001
    expect(page.locator("[data-testid='stStatusWidget']")).to_be_hidden(timeout=60000)


def _shot(page, name: str) -> None:  # noqa: ANN001
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"path_{name}.png"), full_page=True)


def _next(page, label: str, heading: str) -> None:  # noqa: ANN001
    """Click the "Langkah berikutnya" button ``label`` and wait for the next page's ``heading``."""
    panel = page.locator("[class*='st-key-next_']")
    expect(panel.get_by_text("Langkah berikutnya")).to_be_visible(timeout=60000)
    button = panel.get_by_role("button", name=label)
    expect(button).to_be_enabled(timeout=60000)
    button.click()
    page.get_by_role("heading", name=heading).first.wait_for(timeout=60000)
    _idle(page)


def _chain_workbook(db_path: Path, out: Path) -> Path:
    """The consultant's filled-in value-chain workbook: the demo kopi chain's own export, names and all."""
    from analytics.core.db import Database
    from analytics.render import documents
    from analytics.valuechain import store as vc_store

    db = Database(db_path)
    chain = vc_store.vc_chains(db).set_index("id").loc[1]
    out.write_bytes(documents.chain_xlsx(chain, vc_store.load(db, 1)))
    db.close()
    return out


def test_the_whole_path_through_langkah_berikutnya(fresh_db, tmp_path: Path, chromium) -> None:
    db = fresh_db("db")
    workbook = _chain_workbook(db, tmp_path / "rantai_kopi.xlsx")
    with harness.streamlit_server(db) as (url, _):
        ctx = chromium.new_context(viewport={"width": 1366, "height": 768})
        desk = ctx.new_page()
        blocked = harness.offline_routes(desk)
        # 1. the pockets of Jawa Timur, and the first area of the ranking on the shortlist
        harness.open_peta(desk, url)
        desk.get_by_text("Kantong (Moran lokal)").click()
        harness.map_frame(desk).locator(".perantara-legend").get_by_text("Kantong (tinggi-tinggi)") \
            .wait_for(timeout=60000)
        _idle(desk)
        desk.get_by_label("Alasan").fill("Kantong kemiskinan tinggi-tinggi, P0 di atas rata-rata provinsi")
        desk.get_by_role("button", name="Tambahkan ke daftar").click()
        desk.get_by_text("ditambahkan ke daftar prioritas").wait_for(timeout=30000)
        _idle(desk)
        panel = desk.locator("[class*='st-key-next_peta']")
        expect(panel.get_by_role("button")).to_be_enabled(timeout=30000)  # the shortlist is no longer empty
        text = panel.inner_text()
        kab = re.search(r"untuk (.+?): Pokja", text).group(1)
        _shot(desk, "1_shortlist")
        # 2. a workshop for that kabupaten: the form arrives filled in
        _next(desk, "Buka lokakarya untuk kabupaten ini", "Lokakarya seleksi komoditas")
        title = desk.get_by_label("Judul")
        expect(title).to_have_value(re.compile(r"^Lokakarya komoditas — "))
        assert kab.replace("Kabupaten ", "").replace("Kota ", "") in title.input_value()
        desk.get_by_role("button", name="Buka lokakarya").click()
        desk.get_by_text("Kode untuk peserta").wait_for(timeout=30000)
        code = desk.locator("[data-testid='stMetric']").filter(has_text="Kode peserta") \
            .locator("[data-testid='stMetricValue']").inner_text().strip()
        assert re.fullmatch(r"[A-Z0-9]{6}", code)
        # the join link as a QR code beside the code, and as text to copy
        expect(desk.locator("[data-testid='stImage'] img").first).to_be_visible()
        link = desk.locator("[data-testid='stCode']").first.inner_text().strip()
        assert link == f"{url}/peserta?kode={code}"
        _shot(desk, "2_workshop")
        # three participants on their phones, the first through the QR code's link (the code is filled in);
        # the facilitator's count follows without a reload
        phones = []
        for name in ("Sari", "Budi", "Rina"):
            phone = chromium.new_context(viewport={"width": 390, "height": 844}).new_page()
            harness.offline_routes(phone)
            if not phones:
                phone.goto(link)
                expect(phone.get_by_label("Kode lokakarya")).to_have_value(code, timeout=60000)
                phone.get_by_label("Nama").fill(name)
                phone.get_by_role("button", name="Ikut").click()
                phone.get_by_text("Anda tercatat sebagai").wait_for(timeout=60000)
            else:
                harness.join_workshop(phone, url, code.lower(), name)
            phones.append(phone)
        _shot(phones[0], "3_participant_phone")
        count = desk.locator("[data-testid='stMetric']").filter(has=desk.get_by_text("Peserta", exact=True)) \
            .locator("[data-testid='stMetricValue']")
        expect(count).to_have_text("3", timeout=30000)
        # scores from data, then the final choice in the Decision tab
        desk.get_by_role("tab", name="Skor").click()
        desk.get_by_role("button", name="Pakai skor hasil data").click()
        desk.get_by_text("Skor hasil data disimpan.").first.wait_for(timeout=30000)
        _idle(desk)
        desk.get_by_role("tab", name="Keputusan").click()
        desk.get_by_label("Alasan").last.fill("Peringkat 1 dan kokoh")
        desk.get_by_role("button", name="Simpan pilihan akhir").click()
        expect(desk.locator("[class*='st-key-next_lokakarya']").get_by_role("button")).to_be_enabled(timeout=30000)
        chosen = re.search(r"Komoditas terpilih: (.+?)\. Petakan",
                           desk.locator("[class*='st-key-next_lokakarya']").inner_text()).group(1)
        # 3. the chosen commodity's value chain, filled from the consultant's workbook
        _next(desk, "Buat rantai nilai dari pilihan ini", "Rantai nilai dan sistem pasar")
        expect(desk.locator("input[aria-label='Rantai nilai']")).to_have_value(re.compile(f"^Rantai nilai {chosen} — "))
        desk.get_by_text("Impor rantai nilai dari XLSX").click()
        harness.upload(desk, str(workbook), "Impor", locator=desk.locator(
            "[data-testid='stFileUploader'] input[type=file]").last)
        desk.get_by_role("button", name="Impor", exact=True).click()
        desk.get_by_text("baris diimpor").wait_for(timeout=30000)
        _idle(desk)
        _shot(desk, "4_chain")
        # 4. the business model built on it: one verdict
        _next(desk, "Buat model bisnis", "Model bisnis dan kalkulasi bisnis")
        verdicts = desk.get_by_text(re.compile(r"^(Setiap pelaku mendapat|Belum semua pelaku untung)"))
        expect(verdicts).to_have_count(1, timeout=30000)
        _shot(desk, "5_model")
        # 5. its results chain, then what leadership sees, on paper too
        _next(desk, "Buat rantai hasil", "Rantai hasil dan pengukuran hasil")
        _shot(desk, "6_results")
        _next(desk, "Buka ringkasan pimpinan", "Ringkasan pimpinan")
        harness.leadership_ready(desk, 60)  # cards, charts and map all there: the page's run has ended
        _idle(desk)
        desk.get_by_role("button", name="Buat PDF").click()
        download = desk.get_by_role("button", name="Unduh ringkasan (PDF)")
        try:
            download.wait_for(timeout=90000)
        except Exception as e:  # say what the page showed instead
            _shot(desk, "7_leadership_failed")
            alerts = desk.locator("[data-testid='stAlert'], [data-testid='stException']").all_inner_texts()
            raise AssertionError(f"no PDF download after 90 s; the page's messages: {alerts}") from e
        with desk.expect_download(timeout=60000) as dl:
            download.click()
        assert dl.value.suggested_filename == "ringkasan_pimpinan.pdf"
        assert Path(dl.value.path()).read_bytes()[:5] == b"%PDF-"
        _shot(desk, "7_leadership")
        # Beranda: where this programme stands
        desk.goto(f"{url}/beranda")
        desk.get_by_text("Berikutnya:").first.wait_for(timeout=60000)
        stages = desk.locator("[class*='st-key-beranda_stage']")
        done, started = "check_circle ", "pending "  # the icon's ligature name is its text
        assert f"{done}1 wilayah di daftar prioritas" in stages.nth(0).inner_text()
        assert f"{done}Lokakarya memilih {chosen}" in stages.nth(1).inner_text()
        assert f"{done}Rantai nilai:" in stages.nth(1).inner_text()
        assert f"{done}Model bisnis A:" in stages.nth(2).inner_text()
        assert f"{started}Rantai hasil dibuat; belum ada realisasi" in stages.nth(3).inner_text()
        assert kab in desk.get_by_text("Kabupaten/kota:").first.inner_text()
        expect(desk.locator("[data-testid='stMetricValue']").first).to_be_visible(timeout=60000)
        _idle(desk)
        _shot(desk, "8_beranda")
        assert blocked == [], f"requests that tried to leave the machine: {blocked[:5]}"
        for phone in phones:
            phone.context.close()
        ctx.close()
