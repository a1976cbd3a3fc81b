"""Real-browser harness: the app server (`serve.py`, i.e. `streamlit run app.py`) on a free loopback port
and headless Chromium (Debian's /usr/bin/chromium driven by Playwright; never `playwright install`). Used by
the browser tests and by bench/run.py. The server is always terminated."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def streamlit_server(db_path: Path | str, env: dict[str, str] | None = None,
                     timeout: float = 60, port: int | None = None) -> Iterator[tuple[str, float]]:
    """Start the app on a free port (or ``port``) over a DuckDB file or a ``postgresql://`` URL; yield
    (base URL, seconds until the health check answered)."""
    port = port or free_port()
    where = {"PERANTARA_DATABASE_URL": str(db_path)} if str(db_path).startswith("postgresql://") \
        else {"PERANTARA_DB_PATH": str(db_path), "PERANTARA_DATABASE_URL": ""}
    full_env = {**os.environ, **where, **(env or {})}
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "serve.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        while True:
            if proc.poll() is not None:
                out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
                raise RuntimeError(f"streamlit exited early:\n{out}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.time() > deadline:
                raise TimeoutError("streamlit did not become healthy")
            time.sleep(0.1)
        yield url, time.perf_counter() - t0
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def offline_routes(page) -> list[str]:  # noqa: ANN001 (playwright Page)
    """Abort every request that leaves the loopback interface; return the list of blocked URLs."""
    blocked: list[str] = []

    def handle(route) -> None:  # noqa: ANN001
        u = route.request.url
        if u.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")):
            route.continue_()
        else:
            blocked.append(u)
            route.abort()

    page.route("**/*", handle)
    return blocked


@contextmanager
def browser() -> Iterator[object]:
    """A headless Chromium (Playwright)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def map_frame(page):  # noqa: ANN001, ANN201
    """The streamlit-folium iframe of the page."""
    return page.frame_locator("iframe[title*='streamlit_folium']").first


def map_paths(page) -> int:  # noqa: ANN001
    """Number of drawn area shapes in the page's map."""
    return map_frame(page).locator("path.leaflet-interactive").count()


def map_shapes(page):  # noqa: ANN001, ANN201
    """The locator of the drawn area shapes, for Playwright's ``expect`` (e.g. ``to_have_count(38)``)."""
    return map_frame(page).locator("path.leaflet-interactive")


def wait_paths(page, ok, timeout: float = 30) -> int:  # noqa: ANN001
    """Poll until ``ok(number of drawn shapes)`` holds; return that number (TimeoutError otherwise).

    For a condition ``expect`` cannot state (the count *changed*, is *below* a number) while the iframe
    may be replaced, when a count of 0 must not count; an exact count uses ``expect(map_shapes(page))``."""
    deadline = time.perf_counter() + timeout
    while True:
        try:
            n = map_paths(page)
        except Exception:  # the iframe is being replaced
            n = -1
        if n > 0 and ok(n):
            return n
        if time.perf_counter() > deadline:
            raise TimeoutError(f"map shapes: {n}")
        time.sleep(0.02)


def province_index(prov: str) -> int:
    """Where province ``prov`` is drawn on the map of Indonesia's provinces (they are drawn in code order)."""
    from analytics.core.regions import province_codes

    return province_codes().index(prov)


def kabupaten_index(kode: str) -> int:
    """Where kabupaten/kota ``kode`` is drawn on the map of Indonesia's 514 (in code order)."""
    from analytics.core.regions import load_province, province_codes

    before = [p for p in province_codes() if p < kode[:2]]
    kabs = load_province(kode[:2]).query("level == 'kabupaten'")["kode"].tolist()
    return sum(int((load_province(p)["level"] == "kabupaten").sum()) for p in before) + sorted(kabs).index(kode)


def open_peta(page, url: str, national: bool = False, prov: str = "35", n_kab: int = 38) -> None:  # noqa: ANN001
    """Open Peta kemiskinan: the map of Indonesia's 38 provinces first; unless ``national``, a click on
    province ``prov`` then enters it; wait until its ``n_kab`` kabupaten/kota are drawn and the script is
    idle."""
    page.goto(f"{url}/peta")
    page.get_by_text("Peringkat Provinsi").wait_for(timeout=60000)
    expect(map_shapes(page)).to_have_count(38, timeout=60000)
    expect(page.locator("[data-testid='stStatusWidget']")).to_be_hidden(timeout=30000)
    if national:
        return
    click_area(page, province_index(prov))
    page.get_by_text("Peringkat Kabupaten/kota").wait_for(timeout=60000)
    expect(map_shapes(page)).to_have_count(n_kab, timeout=60000)
    expect(page.locator("[data-testid='stStatusWidget']")).to_be_hidden(timeout=30000)


def choose_shown_level(page, label: str) -> None:  # noqa: ANN001
    """Click a level in the 'Wilayah yang ditampilkan' segmented control."""
    page.locator("[data-testid='stButtonGroup']").get_by_text(label, exact=True).click()


def click_area(page, index: int) -> None:  # noqa: ANN001
    """Click the ``index``-th drawn area of the map: a DOM click event on its SVG path, handled by
    Leaflet and streamlit-folium exactly as a person's click. (Playwright's mouse coordinates land about
    75 px low inside the Streamlit component iframe here, on the map background, so the event is
    dispatched on the element itself.)"""
    map_frame(page).locator("path.leaflet-interactive").nth(index).dispatch_event("click")


def prepare_workshop(db_path: Path, n_commodities: int = 6) -> tuple[int, str]:
    """A workshop in Kab. Malang with scored candidates, for browser tests and the bench."""
    from datetime import date

    from analytics.commodity import store as commodity_store
    from analytics.core.db import Database

    db = Database(db_path)
    coms = commodity_store.commodity_list(db)["kode"].tolist()[:n_commodities]
    sid, code = commodity_store.create_session(db, "pokja", "harness", "35.07", date.today(), "Lokakarya uji", coms)
    crits = commodity_store.ws_criteria(db, sid)["criterion"].tolist()
    for k, com in enumerate(coms):
        for j, crit in enumerate(crits):
            commodity_store.set_score(db, "pokja", "harness", sid, com, crit, 1 + (k * 3 + j * 2) % 5, "uji", "diskusi")
    db.close()
    return sid, code


def join_workshop(page, url: str, code: str, name: str) -> None:  # noqa: ANN001
    """A participant joins on their own page."""
    page.goto(f"{url}/peserta")
    page.get_by_label("Kode lokakarya").fill(code)
    page.get_by_label("Nama").fill(name)
    page.get_by_role("button", name="Ikut").click()
    page.get_by_text("Anda tercatat sebagai").wait_for(timeout=60000)


def bar_texts(page) -> list[str]:  # noqa: ANN001
    """The value labels of the ranking bar chart, top to bottom."""
    return page.locator("[data-testid='stPlotlyChart'] .bartext").all_text_contents()


def move_slider(page, label: str, key: str, timeout: float = 30, read=None) -> float:  # noqa: ANN001
    """Press ``key`` (Home, End, ArrowLeft…) on the slider labelled ``label``; return the seconds until
    what ``read(page)`` returns (default: the ranking chart's values) has changed, every part of it
    when it is a tuple (TimeoutError if it does not)."""
    read = read or bar_texts
    before = read(page)

    def changed() -> bool:
        now = read(page)
        if isinstance(before, tuple):
            return all(a != b for a, b in zip(now, before, strict=False))
        return now != before

    slider = page.locator(f"input[type=range][aria-label='{label}']")
    old = slider.get_attribute("value")
    slider.focus()
    t0 = time.perf_counter()
    page.keyboard.press(key)
    while not changed():
        if time.perf_counter() - t0 > timeout:
            raise TimeoutError(f"the view did not change after {key} on '{label}' "
                               f"(slider {old} → {slider.get_attribute('value')})")
        time.sleep(0.01)
    return time.perf_counter() - t0


def whatif_view(page) -> tuple[str, tuple[str, ...]]:  # noqa: ANN001
    """What the business-model what-if shows: the per-actor table's text and the tornado's bar values."""
    table = page.locator("[data-testid='stTable']").first.text_content() or ""
    tornado = page.locator("[data-testid='stPlotlyChart']").first  # the other tabs' charts come later
    return table, tuple(tornado.locator(".bartext").all_text_contents())


def edit_grid_cell(page, grid_index: int, row: int, col: int, text: str) -> None:  # noqa: ANN001
    """Type ``text`` into a cell of a ``st.data_editor`` (0-based data row and column) with the keyboard,
    as a person would: select the first cell, arrow to the target, Enter, select all, type — the final
    Enter (which commits) is left to the caller so it can start a timer."""
    grid = page.locator("[data-testid='stDataFrame']").nth(grid_index)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 60, box["y"] + 35 + 17)  # below the header, first data row, first column
    for _ in range(col):
        page.keyboard.press("ArrowRight")
    for _ in range(row):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    page.keyboard.press("Control+a")
    page.keyboard.type(text)
    page.wait_for_timeout(200)


def sankey_shape(page) -> str:  # noqa: ANN001
    """The drawn path of the first Sankey link (changes when the flows change)."""
    return page.locator("[data-testid='stPlotlyChart'] .sankey-link").first.get_attribute("d") or ""


def settle(page, read=None, quiet: float = 0.4, timeout: float = 30) -> None:  # noqa: ANN001
    """Wait until the app is idle and what ``read(page)`` returns (default: the ranking chart's values)
    has not changed for ``quiet`` seconds, so one measurement cannot pick up the end of the previous one."""
    read = read or bar_texts
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=timeout * 1000)
    last, since, t0 = read(page), time.perf_counter(), time.perf_counter()
    while time.perf_counter() - since < quiet and time.perf_counter() - t0 < timeout:
        time.sleep(0.05)
        now = read(page)
        if now != last:
            last, since = now, time.perf_counter()


def leadership_ready(page, timeout: float = 30) -> float:  # noqa: ANN001
    """Seconds until the leadership page is fully visible: the six headline cards, the five charts'
    values, and the map with its pocket areas and intervention markers (TimeoutError otherwise)."""
    t0 = time.perf_counter()
    ms = timeout * 1000
    expect(page.locator("[data-testid='stMetric']").nth(5)).to_be_visible(timeout=ms)
    charts = page.locator("[data-testid='stPlotlyChart']")
    for i in range(5):
        expect(charts.nth(i).locator(".bartext").first).to_be_attached(timeout=ms)
    # the areas (666 kecamatan) and at least one intervention marker (a circle marker is a path too)
    expect(map_shapes(page).nth(666)).to_be_attached(timeout=ms)
    return time.perf_counter() - t0


def upload(page, files, expect: str, timeout: float = 60, locator=None) -> None:  # noqa: ANN001
    """Give ``files`` to the page's (first) file uploader and wait for ``expect`` to show. Under load the
    browser may hand the file over before Streamlit's uploader listens; then it is given again."""
    target = locator or page.locator("[data-testid='stFileUploader'] input[type=file]").first
    deadline = time.perf_counter() + timeout
    while True:
        target.set_input_files(files)
        try:
            page.get_by_text(expect).first.wait_for(timeout=15000)
            return
        except Exception:  # noqa: BLE001 - playwright's TimeoutError: try once more until the deadline
            if time.perf_counter() > deadline:
                raise
