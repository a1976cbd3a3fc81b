"""User text is text, in a real browser (issue 14): a payload corpus is put into every free-text field a
user or an imported file controls (titles, names, reasons, notes, area names, actor names, line
descriptions, participant names, source names), then every page is opened, every tab and expander shown
and every download the app offers taken, with a dialog listener and every request off loopback blocked.

Counted: dialogs opened, requests that tried to leave the machine, payload scripts that ran (they set
``top.__xss``), elements the payloads would create (``img[src=x]``, ``javascript:`` links), and formulas,
field codes or active content in the downloaded files. Every count must be 0."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest

from analytics.core import auth
from analytics.testing import harness
from tests import plain

pytestmark = pytest.mark.skipif(not Path(harness.CHROMIUM).exists(),
                                reason="Debian chromium is not installed (the test command installs it)")

PAYLOADS = [
    '<img src=x onerror="top.__xss=1;alert(1)">',
    "<script>top.__xss=1;alert(2)</script>",
    "${top.__xss=1}`+alert(3)+`",
    "</script><script>top.__xss=1;alert(4)</script>",
    "![gambar](http://203.0.113.9/p.png)",
    "[klik di sini](javascript:top.__xss=1)",
    '=HYPERLINK("http://203.0.113.9/","klik")',
    '<a href="http://203.0.113.9/">tautan</a> <b>tebal</b>',
    "\u202eRTL\u202c \u200fnama\u200f",
    "{{7*7}} %s %(x)s \\n \\u0000 **tebal** _miring_",
    "Pokmas " + "sangat panjang " * 120,
]

# every column whose text a user types or a file brings in (codes, keys and roles stay as they are)
FREE_TEXT = {
    "adkar_links": ["catatan"], "adkar_respondents": ["nama", "kelompok"],
    "bm_actors": ["nama", "catatan"], "bm_budget": ["sumber", "uraian"], "bm_lines": ["uraian", "satuan"],
    "bm_models": ["title"], "imports": ["source", "file_name", "note"], "audit_log": ["detail"],
    "pci_groups": ["nama", "desa"], "pci_obs": ["note"], "pci_rubrics": ["name"], "pci_levels": ["teks"],
    "priority_areas": ["reason"], "rc_boxes": ["teks"], "rc_chains": ["title"],
    "rc_indicators": ["nama", "sumber_data", "metode", "penanggung_jawab", "jadwal"],
    "reviews": ["agenda", "temuan", "alasan"], "vc_actors": ["nama", "catatan"],
    "vc_chains": ["title"], "vc_problems": ["teks", "intervensi", "mitra"], "vc_system": ["nama", "catatan"],
    "ws_criteria": ["nama", "description"], "ws_decisions": ["reason"],
    "ws_participants": ["name", "organisation"], "ws_scores": ["justification"], "ws_sessions": ["title", "place"],
}
AREAS = "level IN ('kabupaten', 'kecamatan') OR kode LIKE '35.07.%'"  # names as a boundary file could bring


ALL_SHORT = " ".join(PAYLOADS[:-1])


def _poison(path: Path) -> None:
    """Prefix every free-text value with every short payload (and every tenth row with the long one too),
    so whichever value a page shows carries them all, and rows stay told apart."""
    con = plain.connect(path)
    tenth = "rowid % 10 = 9" if isinstance(con, duckdb.DuckDBPyConnection) \
        else "abs(hashtext(ctid::text)) % 10 = 9"  # PostgreSQL has no rowid: about one row in ten
    try:
        for table, cols in FREE_TEXT.items():
            for col in cols:
                con.execute(f"""UPDATE {table} SET {col} = ? || CASE WHEN {tenth} THEN ? ELSE '' END
                                || ' ' || coalesce({col}, '')""", [ALL_SHORT, PAYLOADS[-1]])
        con.execute(f"UPDATE areas SET nama = ? || ' ' || nama WHERE {AREAS}", [ALL_SHORT])
    finally:
        con.close()


def _prepare(db: Path) -> str:
    """Demo data plus a workshop with participants, scores, decisions and a shortlisted area, so every free
    text table has rows; returns a participant's personal link token."""
    from analytics.commodity import store as commodity_store
    from analytics.core.db import Database
    from analytics.poverty import store as poverty_store

    sid, _ = harness.prepare_workshop(db, n_commodities=4)
    d = Database(db)
    try:
        pid, _ = commodity_store.join(d, sid, "Sari", "Bappeda")
        commodity_store.join(d, sid, "Budi", "Pokja")
        crits = commodity_store.ws_criteria(d, sid)["criterion"].tolist()
        commodity_store.set_weights(d, sid, pid, {c: 4 for c in crits})
        cands = commodity_store.ws_candidates(d, sid)["commodity"].tolist()
        commodity_store.decide(d, "pokja", "uji", sid, "shortlist", cands[:3], "skor tertinggi")
        kec = d.scalar("SELECT min(kode) FROM areas WHERE level = 'kecamatan' AND kode LIKE '35.07.%'")
        poverty_store.add_to_shortlist(d, "perencana", "uji", kec, "kantong kemiskinan", "p0", 2024, 21.5, "BPS")
        return commodity_store.participant_token(d, sid, pid)
    finally:
        d.close()


def _formulas(path: Path) -> list[str]:
    """Formulas, field codes, links or active content in a downloaded file."""
    data = path.read_bytes()
    name = path.name.lower()
    if name.endswith(".xlsx"):
        book = openpyxl.load_workbook(io.BytesIO(data))
        return [f"{ws.title}!{c.coordinate}" for ws in book.worksheets for row in ws.iter_rows() for c in row
                if c.data_type == "f" or c.hyperlink is not None]
    if name.endswith(".csv"):
        text = data.decode("utf-8-sig")
        delim = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
        return [c for row in csv.reader(io.StringIO(text, newline=""), delimiter=delim) for c in row
                if c[:1] in ("=", "+", "@", "\t", "\r") or (c[:1] == "-" and not re.fullmatch(r"-[\d.,]+", c))]
    if name.endswith(".docx"):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            xml = " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
        return re.findall(r"<w:instrText|<w:fldSimple|<w:hyperlink", xml)
    if name.endswith(".pdf"):
        return re.findall(rb"/JavaScript|/JS\b|/URI|/Launch", data)
    return []


@pytest.fixture(scope="module")
def poisoned(fresh_db):
    db = fresh_db("payloads")
    token = _prepare(db)
    _poison(db)
    with harness.streamlit_server(db) as (url, _):
        yield url, token


def _idle(page) -> None:
    """The run has finished and every map on the page has drawn (its scripts, tooltips included, ran)."""
    page.wait_for_timeout(300)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=60000)
    frames = "iframe[title*='streamlit_folium']"
    for i in range(page.locator(frames).count()):
        frame = page.frame_locator(frames).nth(i)
        frame.locator(".leaflet-container").wait_for(timeout=60000)
        shapes = frame.locator("path.leaflet-interactive")
        for k in range(min(4, shapes.count())):  # a user's mouse over areas and markers opens their tooltips
            try:
                shapes.nth(shapes.count() - 1 - k).hover(timeout=2000, force=True)
            except Exception:  # noqa: BLE001 - a shape hidden under another
                continue
    page.wait_for_timeout(300)


def test_payloads_stay_text_on_every_page_and_in_every_download(poisoned, tmp_path: Path) -> None:
    url, token = poisoned
    dialogs: list[str] = []
    ran: list[str] = []
    made: list[str] = []
    formulas: dict[str, list[str]] = {}
    downloads = 0
    with harness.browser() as chromium:
        ctx = chromium.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page = ctx.new_page()
        blocked = harness.offline_routes(page)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(url)
        page.get_by_text("Status data").first.wait_for(timeout=60000)
        _idle(page)
        box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").nth(0)  # the demo role: admin
        box.click()
        page.keyboard.type("Admin")
        page.keyboard.press("Enter")
        _idle(page)
        targets = [f"{url}/{p.id}" for p in auth.PAGES] + [f"{url}/peserta?t={token}"]
        for target in targets:
            page.goto(target)
            page.locator("[data-testid='stSidebar']").wait_for(timeout=60000)
            _idle(page)
            tabs = page.get_by_role("tab")
            for t in [None, *range(tabs.count())]:
                if t is not None:
                    tabs.nth(t).click()
                    _idle(page)
                for exp in page.locator("[data-testid='stExpander'] details:not([open]) summary").all():
                    if exp.is_visible():
                        exp.click()
                for button in page.locator("[data-testid='stDownloadButton'] button").all():
                    if not button.is_visible() or not button.is_enabled():
                        continue
                    label = button.inner_text()
                    try:
                        with page.expect_download(timeout=60000) as info:
                            button.click()
                    except Exception as e:  # say which download never came
                        raise AssertionError(f"{target}: '{label}' gave no file in 60 s") from e
                    saved = tmp_path / info.value.suggested_filename
                    info.value.save_as(saved)
                    downloads += 1
                    if found := _formulas(saved):
                        formulas[f"{target} {saved.name}"] = found[:5]
            for frame in page.frames:
                try:
                    if frame.evaluate("() => window.__xss !== undefined || window.top.__xss !== undefined"):
                        ran.append(f"{target} {frame.url[:60]}")
                    n = frame.evaluate("""() => document.querySelectorAll(
                        'img[src="x"], a[href^="javascript:"], img[src^="http://203.0.113.9"], ' +
                        'a[href^="http://203.0.113.9"], a[*|href^="http://203.0.113.9"]').length""")
                    if n:
                        made.append(f"{target} {frame.url[:60]}: {n}")
                except Exception:  # noqa: BLE001 - a frame that went away while the page re-ran
                    continue
        ctx.close()
    print(f"payloads: {len(targets)} pages, {downloads} downloads, {len(dialogs)} dialogs, {len(blocked)} blocked, "
          f"{len(ran)} scripts ran, {len(made)} payload elements, {len(formulas)} files with formulas")
    assert dialogs == [] and ran == [] and made == [], (dialogs, ran, made)
    assert blocked == [], blocked[:5]
    assert formulas == {}, formulas
    assert downloads >= 10  # the downloads were really taken (tables, annexes, records, summaries)
