"""Shared fixtures: one demo database built per test session, copied for tests that write."""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# the tests' secret keys live in a temporary folder, never in the user's configuration folder
_KEYS = Path(tempfile.mkdtemp(prefix="perantara-test-keys-"))
os.environ.setdefault("PERANTARA_PSEUDONYM_KEY_PATH", str(_KEYS / "pseudonym.key"))
os.environ.setdefault("PERANTARA_SESSION_KEY_PATH", str(_KEYS / "session.key"))
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
# the test database holds every province's regions and areas, and demo data for Jawa Timur and two
# island provinces outside it (Kepulauan Riau and Maluku)
from analytics.testing import TEST_DEMO_PROVINCES  # noqa: E402

os.environ.setdefault("PERANTARA_DEMO_DATA", TEST_DEMO_PROVINCES)

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
    cached = Path(tempfile.gettempdir()) / "perantara-test-cache" / f"built-{_build_inputs_hash()}.duckdb"
    if cached.is_file():
        return cached
    cached.parent.mkdir(parents=True, exist_ok=True)
    path = tmp_path_factory.mktemp("built") / "perantara.duckdb"
    demo_build.build(path, quiet=True)
    shutil.copyfile(path, cached.with_suffix(f".{os.getpid()}.part"))
    os.replace(cached.with_suffix(f".{os.getpid()}.part"), cached)  # atomic: parallel workers may race
    return path


def _build_inputs_hash() -> str:
    """Hash of everything the demo build reads: the package's code and data files and the pinned
    requirements. The built database is reused across test runs (and workers) while this is unchanged."""
    h = hashlib.sha256((ROOT / "requirements.txt").read_bytes() + os.environ["PERANTARA_DEMO_DATA"].encode())
    for p in sorted((ROOT / "analytics").rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(ROOT)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


_RAM = Path("/dev/shm")


STORE = os.environ.get("PERANTARA_TEST_STORE", "duckdb")
"""Which store the suite runs on: ``duckdb`` (files) or ``postgres`` (a server started for the run, or the
one ``PERANTARA_TEST_PG_URL`` names; ``db_copy`` is then a ``postgresql://`` URL)."""
duckdb_only = pytest.mark.skipif(STORE == "postgres", reason="about the DuckDB file itself")


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    """The URL of the test server's ``postgres`` database (the server is started here if none is given)."""
    given = os.environ.get("PERANTARA_TEST_PG_URL")
    if given:
        yield given
        return
    from analytics.testing import pgserver

    server = pgserver.start()
    yield server.url()
    server.stop()


@pytest.fixture(scope="session")
def built_pg(built_db: Path, pg_admin_url: str) -> str:
    """Name of a PostgreSQL template database holding the built demo database (made once per build)."""
    from analytics.testing import pgtemplates

    return pgtemplates.template(pg_admin_url, built_db)


@pytest.fixture(scope="session")
def fresh_db(request: pytest.FixtureRequest, built_db: Path, tmp_path_factory: pytest.TempPathFactory):
    """Make a private, writable copy of the demo database on demand: a file in a new temporary folder, or
    on PostgreSQL a database cloned from the template (dropped at the end of the run)."""
    made: list[tuple[str, str]] = []

    def make(name: str = "db") -> Path | str:
        if STORE == "postgres":
            from analytics.testing import pgtemplates

            admin = request.getfixturevalue("pg_admin_url")
            url = pgtemplates.clone(admin, request.getfixturevalue("built_pg"))
            made.append((admin, url))
            return url
        path = tmp_path_factory.mktemp(name) / "perantara.duckdb"
        shutil.copyfile(built_db, path)
        return path

    yield make
    if made:
        from analytics.testing import pgtemplates

        for admin, url in made:
            pgtemplates.drop(admin, url)  # (a server the run started is gone already, its databases with it)


@pytest.fixture()
def db_copy(request: pytest.FixtureRequest, built_db: Path, tmp_path: Path):
    """A private copy of the demo database for a test that writes: in memory-backed ``/dev/shm`` where
    the machine has it (the national database is 90 MB and a hundred tests copy it), else ``tmp_path``.
    On PostgreSQL, a new database made from the built template, dropped afterwards."""
    if STORE == "postgres":
        from analytics.testing import pgtemplates

        admin = request.getfixturevalue("pg_admin_url")
        url = pgtemplates.clone(admin, request.getfixturevalue("built_pg"))
        yield url
        pgtemplates.drop(admin, url)
        return
    folder = Path(tempfile.mkdtemp(prefix="perantara-test-", dir=_RAM)) if _RAM.is_dir() else tmp_path
    dst = folder / "perantara.duckdb"
    shutil.copyfile(built_db, dst)
    yield dst
    if folder != tmp_path:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def ro_db(request: pytest.FixtureRequest, built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Database:
    """The demo database opened for reading by unit tests (a session copy)."""
    if STORE == "postgres":
        from analytics.testing import pgtemplates

        admin = request.getfixturevalue("pg_admin_url")
        url = pgtemplates.clone(admin, request.getfixturevalue("built_pg"))
        db = Database(url, read_only=True)
        yield db
        db.close()
        pgtemplates.drop(admin, url)
        return
    folder = Path(tempfile.mkdtemp(prefix="perantara-ro-", dir=_RAM)) if _RAM.is_dir() \
        else tmp_path_factory.mktemp("ro")
    dst = folder / "perantara.duckdb"
    shutil.copyfile(built_db, dst)
    db = Database(dst, read_only=True)
    yield db
    db.close()
    shutil.rmtree(folder, ignore_errors=True)
