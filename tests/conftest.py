"""Shared fixtures: one demo database built per test session, copied for tests that write."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analytics.core.db import Database  # noqa: E402
from analytics.demo import build as demo_build  # noqa: E402


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark tests by folder: ``tests/browser`` → ``browser``, ``tests/app`` → ``apptest`` (so
    ``pytest -m "not browser"`` is the fast loop)."""
    for item in items:
        parts = Path(str(item.path)).relative_to(ROOT).parts
        if parts[:2] == ("tests", "browser"):
            item.add_marker(pytest.mark.browser)
        elif parts[:2] == ("tests", "app"):
            item.add_marker(pytest.mark.apptest)


@pytest.fixture(scope="session")
def built_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A freshly built demo database (built once per session, never written by tests).

    ``PERANTARA_TEST_BUILT_DB`` names one built beforehand (the mutation runner builds it once from the
    unmutated code, so each mutant's test run does not rebuild it)."""
    given = os.environ.get("PERANTARA_TEST_BUILT_DB")
    if given and Path(given).is_file():
        return Path(given)
    path = tmp_path_factory.mktemp("built") / "perantara.duckdb"
    demo_build.build(path, quiet=True)
    return path


@pytest.fixture()
def db_copy(built_db: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database for a test that writes."""
    dst = tmp_path / "perantara.duckdb"
    shutil.copyfile(built_db, dst)
    return dst


@pytest.fixture(scope="session")
def ro_db(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Database:
    """The demo database opened for reading by unit tests (a session copy)."""
    dst = tmp_path_factory.mktemp("ro") / "perantara.duckdb"
    shutil.copyfile(built_db, dst)
    db = Database(dst, read_only=True)
    yield db
    db.close()
