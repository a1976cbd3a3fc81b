"""The command line (``python -m analytics``): each command on a real database file, and a clear one-line
message (never a traceback) when the file is not a database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from analytics.__main__ import main
from analytics.core.migrations import LATEST

ROOT = Path(__file__).resolve().parents[2]


def test_migrate_prints_the_schema_version(fresh_db, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = fresh_db("db")
    assert main(["migrate", "--path", str(db)]) == 0
    assert capsys.readouterr().out.strip() == f"{db}: versi skema {LATEST}"


def test_status_lists_every_layer(fresh_db, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = fresh_db("db")
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


def test_import_boundaries_dry_run_then_store_as_json(fresh_db, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture) -> None:
    import json

    from tests.shared_data import shared_file

    db = fresh_db("db")
    src = shared_file("bps-desa-sample", "idkab_3515.geojson")
    assert main(["import", "boundaries", str(src), "--dry-run", "--json", "--path", str(db)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "clean" and out["level"] == "desa"
    assert len(out["matched"]) == 345 and len(out["unsure"]) == 5 and out["unmatched"] == []
    assert {m["row"] for m in out["matched"]} | {u["row"] for u in out["unsure"]} == set(range(1, 351))
    assert all(0.75 <= m["keyakinan"] <= 1 and m["metode"].startswith("silang BPS") for m in out["matched"])
    assert all(1 <= len(u["saran"]) <= 3 and set(u["saran"][0]) == {"kode", "nama", "jarak_km"} for u in out["unsure"])
    assert main(["import", "boundaries", str(src), "--path", str(db)]) == 0  # stored, as text
    text = capsys.readouterr().out
    assert text.startswith("status: stored (tingkat desa)\ncocok pasti: 345\nbelum pasti, fitur ")
    from tests import plain

    con = plain.connect(db, read_only=True)
    assert con.execute("SELECT count(*) FROM areas WHERE kode LIKE '35.15.%' AND level = 'desa' "
                       "AND geom_source = 'official'").fetchone()[0] == 345
    con.close()


def test_import_refusals_and_usage(fresh_db, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    import json

    db = fresh_db("db")
    bad = tmp_path / "teks.csv"
    bad.write_text("kode;nama;p0\n35.01;Pacitan;lima belas\n35.02;Ponorogo;10,26\n")
    assert main(["import", "table", str(bad), "--source", "BPS", "--period", "2023", "--json",
                 "--path", str(db)]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "refused"
    assert out["problems"][0] == {"row": 2, "column": "p0", "message": "'lima belas' bukan angka", "severity": "error"}
    good = tmp_path / "baik.csv"
    good.write_text("kode;nama;p0_2023\n35.01;Pacitan;13,0\n35.02;Ponorogo;9,5\n")
    assert main(["import", "table", str(good), "--source", "BPS", "--json", "--path", str(db)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "stored" and out["values"] == [{"indicator": "p0", "period": 2023, "n": 2}]
    assert main(["import", "table", str(good), "--path", str(db)]) == 2  # no --source
    assert main(["import", "table", str(tmp_path / "tidak_ada.csv"), "--path", str(db)]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["import", "peta", str(good)])
    assert exc.value.code == 2
