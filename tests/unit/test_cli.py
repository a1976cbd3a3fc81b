"""The command line (``python -m analytics``): each command on a real database file, and a clear one-line
message (never a traceback) when the file is not a database."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analytics.__main__ import main
from analytics.core.migrations import LATEST

ROOT = Path(__file__).resolve().parents[2]


def test_migrate_prints_the_schema_version(built_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = tmp_path / "p.duckdb"
    shutil.copyfile(built_db, db)
    assert main(["migrate", "--path", str(db)]) == 0
    assert capsys.readouterr().out.strip() == f"{db}: versi skema {LATEST}"


def test_status_lists_every_layer(built_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = tmp_path / "p.duckdb"
    shutil.copyfile(built_db, db)
    assert main(["status", "--path", str(db)]) == 0
    out = capsys.readouterr().out
    assert "Data contoh (sintetis)" in out
    assert len(out.strip().splitlines()) == 1 + 5  # header + areas, geometry, indicators, register, production


def test_demo_does_not_rebuild_an_existing_file(tmp_path: Path) -> None:
    db = tmp_path / "p.duckdb"
    db.write_bytes(b"keep me")
    assert main(["demo", "--path", str(db)]) == 0
    assert db.read_bytes() == b"keep me"


def test_a_file_that_is_not_a_database_gives_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "rusak.duckdb"
    bad.write_bytes(b"bukan basis data" * 100)
    run = subprocess.run([sys.executable, "-m", "analytics", "migrate", "--path", str(bad)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert "tidak dapat dibuka" in run.stderr and "Traceback" not in run.stderr
    assert run.stdout == ""
