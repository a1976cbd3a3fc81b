"""What a person sees on every page at a Bappeda laptop's 1366 × 768 and a meeting room's 1920 × 1080, and
the participant page on a 390 × 844 phone (issue 17, parts 8 and "done when"): no figure card whose title
or value is cut off, no raw number in a table cell. Screenshots go to tests/screenshots/screen_*.png."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from analytics.testing import harness

SHOTS = Path(__file__).resolve().parents[1] / "screenshots"
pytestmark = pytest.mark.skipif(not Path(harness.CHROMIUM).exists(),
                                reason="Debian chromium is not installed (the test command installs it)")
PAGES = ["beranda", "peta", "sasaran", "sumber", "lokakarya", "peserta", "rantai", "bisnis", "hasil", "pci", "adkar",
         "pimpinan", "replikasi", "impor", "data", "pengguna"]

# a card is cut off when its text is wider than its box (the browser then ends it with "…")
CUT = """() => [...document.querySelectorAll("[data-testid='stMetricLabel'], [data-testid='stMetricValue']")]
    .filter(el => el.offsetParent !== null)
    .flatMap(el => [el, ...el.querySelectorAll('*')])
    .filter(el => el.scrollWidth > el.clientWidth + 1)
    .map(el => el.closest("[data-testid='stMetric']").innerText.replace(/\\n/g, ' | '))"""


@pytest.fixture(scope="module")
def chromium():
    with harness.browser() as b:
        yield b


@pytest.fixture(scope="module")
def server(fresh_db):
    db = fresh_db("screens")
    harness.prepare_workshop(db)  # so Lokakarya shows a workshop with its header cards
    with harness.streamlit_server(db) as (url, _):
        yield url


def _open(page, url: str, page_id: str) -> None:  # noqa: ANN001
    """Open a page from the menu, as a person does (a new address would be a new session: the role
    chosen in the sidebar would be gone)."""
    page.locator(f"[data-testid='stSidebarNav'] a[href$='/{page_id}']").first.click()
    try:
        page.locator("h1").first.wait_for(timeout=60000)
    except Exception as exc:  # noqa: BLE001 - name the page that did not open
        raise AssertionError(f"{page_id} shows no title: {page.locator('body').inner_text()[:300]}") from exc
    page.wait_for_timeout(500)
    expect(page.locator("[data-testid='stStatusWidget']")).to_be_hidden(timeout=60000)


@pytest.mark.parametrize("width,height", [(1366, 768), (1920, 1080)])
def test_every_page_as_a_planner_sees_it(server: str, chromium, width: int, height: int) -> None:
    ctx = chromium.new_context(viewport={"width": width, "height": height})
    page = ctx.new_page()
    blocked = harness.offline_routes(page)
    page.goto(server)
    page.locator("h1").first.wait_for(timeout=60000)
    box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first  # the demo role: admin
    box.click()
    page.keyboard.type("Admin")
    page.keyboard.press("Enter")
    expect(page.locator("[data-testid='stStatusWidget']")).to_be_hidden(timeout=60000)
    cut: dict[str, list[str]] = {}
    SHOTS.mkdir(exist_ok=True)
    for page_id in PAGES:
        _open(page, server, page_id)
        expect(page.locator("[data-testid='stException']")).to_have_count(0)
        found = page.evaluate(CUT)
        if found:
            cut[page_id] = found
        if width == 1366:
            page.screenshot(path=str(SHOTS / f"screen_{page_id}_{width}.png"))
    assert cut == {}, f"figure cards cut off at {width} px: {cut}"
    assert blocked == []
    ctx.close()


def test_the_participant_page_on_a_phone(server: str, chromium) -> None:
    from analytics.core.db import Database  # noqa: F401 (the workshop was prepared by the fixture)

    phone = chromium.new_context(viewport={"width": 390, "height": 844}).new_page()
    harness.offline_routes(phone)
    phone.goto(f"{server}/lokakarya")
    phone.locator("h1").first.wait_for(timeout=60000)
    code = phone.locator("[data-testid='stMetric']").first.locator("[data-testid='stMetricValue']").inner_text()
    harness.join_workshop(phone, server, code.strip(), "Sari")
    chart = phone.locator("[data-testid='stPlotlyChart']").first
    chart.wait_for(timeout=30000)
    # the chart's title is not under a toolbar (there is none on the participant's chart)
    assert chart.locator(".modebar").count() == 0
    assert re.search(r"Peringkat", chart.inner_text() or "") or chart.locator(".gtitle").count() == 1
    SHOTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(SHOTS / "screen_peserta_390.png"), full_page=True)
    phone.context.close()
