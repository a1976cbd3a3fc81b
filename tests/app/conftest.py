"""AppTest set-up shared by the page tests."""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.components.v2 import manifest_scanner
from streamlit.runtime.pages_manager import PagesManager


@pytest.fixture(scope="session", autouse=True)
def _scan_installed_components_once() -> Iterator[None]:
    """Every new AppTest scans the metadata of all installed packages for Streamlit components (about
    half a second each); the installed packages do not change during a test run, so scan them once."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(manifest_scanner, "scan_component_manifests",
                   functools.cache(manifest_scanner.scan_component_manifests))
        yield


@pytest.fixture(scope="session", autouse=True)
def _router_runs_every_time() -> Iterator[None]:
    """Run the app as ``serve.py`` does: Streamlit's old ``pages/``-folder mode off, so every rerun goes
    through ``app.py`` (its navigation, role checks and error boundary). AppTest resets the flag before
    each run and the folder would switch the old mode on, which reruns a page file on its own."""
    original = PagesManager.__init__

    def init(self: PagesManager, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(PagesManager, "__init__", init)
        yield


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def boundary_log(request: pytest.FixtureRequest) -> Iterator[list[logging.LogRecord]]:
    """The error boundary turns a crash into a message, so ``not at.exception`` alone no longer sees it:
    every page test also fails when the boundary logged an error, unless it is marked ``crash_expected``
    (and then checks the records it gets from this fixture)."""
    handler = _Collect()
    log = logging.getLogger("perantara.errors")
    log.addHandler(handler)
    try:
        yield handler.records
    finally:
        log.removeHandler(handler)
    if request.node.get_closest_marker("crash_expected") is None:
        assert [r.getMessage() for r in handler.records] == [], "the error boundary caught a crash"


@pytest.fixture()
def app_env(db_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The app's settings for a page test: a private copy of the demo database, demo mode on. Afterwards
    the app's cached connection to it is let go (on PostgreSQL it holds a replica in memory)."""
    monkeypatch.setenv("PERANTARA_DB_PATH", str(db_copy))
    if str(db_copy).startswith("postgresql://"):
        monkeypatch.setenv("PERANTARA_DATABASE_URL", str(db_copy))
    monkeypatch.setenv("PERANTARA_DEMO_MODE", "1")
    monkeypatch.setenv("PERANTARA_WARM_MAPS", "0")  # no background thread left busy after each test
    yield db_copy
    from pages import _ui

    _ui._open_db.clear()
