"""Two app servers over one PostgreSQL store (issue 19): a participant whose server dies goes on, with the
same personal link, on the other server, weights kept; a facilitator on either server sees the group."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from analytics.testing import harness, pgtemplates
from tests import plain

OUTREACH = "Potensi daya jangkau kelompok miskin (poverty outreach)"


@pytest.fixture()
def shared_db(pg_admin_url: str, built_pg: str):
    url = pgtemplates.clone(pg_admin_url, built_pg)
    yield url
    pgtemplates.drop(pg_admin_url, url)


@pytest.fixture(scope="module")
def chromium():
    with harness.browser() as b:
        yield b


def _weights(url: str, sid: int) -> dict[tuple[str, str], int]:
    """Each participant's latest weight per criterion, read from PostgreSQL itself."""
    con = plain.connect(url)
    rows = con.execute("""SELECT p.code, w.criterion, w.weight FROM ws_weights w
                          JOIN ws_participants p ON p.session_id = w.session_id AND p.participant_id = w.participant_id
                          WHERE w.session_id = ? ORDER BY w.seq""", [sid]).fetchall()
    con.close()
    return {(code, crit): int(weight) for code, crit, weight in rows}  # later rows overwrite earlier


def test_a_participant_goes_on_at_the_other_server_when_theirs_dies(chromium, shared_db: str) -> None:
    sid, code = harness.prepare_workshop(shared_db)
    with harness.streamlit_server(shared_db) as (url_b, _):
        with harness.streamlit_server(shared_db) as (url_a, _):
            phone = chromium.new_context(viewport={"width": 390, "height": 844}).new_page()
            harness.offline_routes(phone)
            harness.join_workshop(phone, url_a, code, "Sari")
            phone.locator("[data-testid='stPlotlyChart'] .bartext").first.wait_for(timeout=30000)
            harness.move_slider(phone, OUTREACH, "End", timeout=15)
            expect(phone.locator("[data-testid='stStatusWidget']")).to_be_hidden(timeout=15000)
            token = re.search(r"[?&]t=([^&]+)", phone.url).group(1)
            # a facilitator on the other server sees the participant who joined on the first
            desk = chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            harness.offline_routes(desk)
            desk.goto(f"{url_b}/lokakarya")
            desk.get_by_text(code).first.wait_for(timeout=30000)
            desk.get_by_role("tab", name="Bobot peserta").click()
            desk.get_by_text("P01").first.wait_for(state="attached", timeout=30000)  # a cell of the canvas grid
        # server A is gone (terminated mid-workshop); the same personal link on server B
        assert _weights(shared_db, sid)[("P01", "jangkauan")] == 5
        phone.goto(f"{url_b}/peserta?t={token}")
        phone.get_by_text("Anda tercatat sebagai P01").wait_for(timeout=30000)
        slider = phone.locator(f"input[type=range][aria-label='{OUTREACH}']")
        assert slider.get_attribute("value") == "5"  # their weight, kept
        phone.locator("[data-testid='stPlotlyChart'] .bartext").first.wait_for(timeout=30000)
        harness.move_slider(phone, OUTREACH, "ArrowLeft", timeout=15)  # and they go on: 5 → 4, stored
        expect(phone.locator("[data-testid='stStatusWidget']")).to_be_hidden(timeout=15000)
        assert _weights(shared_db, sid)[("P01", "jangkauan")] == 4
        con = plain.connect(shared_db)
        assert con.execute("SELECT count(*) FROM ws_participants WHERE session_id = ?", [sid]).fetchone()[0] == 1
        con.close()


def test_two_servers_write_at_once_and_lose_nothing(shared_db: str) -> None:
    """Two server processes, 10 participants each writing 20 weights at the same moment: all 400 rows."""
    from analytics.testing import scale

    expected, lost = scale.lost_writes(shared_db, servers=2, participants=10, per_participant=20)
    assert (expected, lost) == (400, 0)
