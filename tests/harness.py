"""Real-browser harness: a `streamlit run` server on a free loopback port and headless Chromium
(Debian's /usr/bin/chromium driven by Playwright; never `playwright install`). Used by the browser
tests and by bench/run.py. The server is always terminated."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def streamlit_server(db_path: Path, env: dict[str, str] | None = None,
                     timeout: float = 60) -> Iterator[tuple[str, float]]:
    """Start the app on a free port; yield (base URL, seconds until the health check answered)."""
    port = free_port()
    full_env = {**os.environ, "PERANTARA_DB_PATH": str(db_path), **(env or {})}
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
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
