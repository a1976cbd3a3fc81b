"""Column mappings saved per source and re-applied to the next file from it, with what changed; the
command line's ``--mapping`` (a saved source's mapping or a JSON file)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from analytics.__main__ import main
from analytics.core import store as core_store
from analytics.core.db import Database
from analytics.core.problems import ImportRejected
from analytics.io import indicator_tables, mappings, pipeline

MARCH = b"kode;nama;ukuran_a;jml_miskin\n35.01;Pacitan;13,5;70,1\n35.02;Ponorogo;9,3;80,2\n"
APRIL = b"kode;nama;UKURAN_A;ipm_baru\n35.01;Pacitan;13,1;70,5\n35.02;Ponorogo;9,0;71,2\n"


def _map_by_hand(db: Database) -> list[indicator_tables.ValueColumn]:
    """What the data officer sets once: ukuran_a is P0 (%, year 2024), jml_miskin is thousands of poor."""
    proposed = pipeline.table_preview(db, "maret.csv", MARCH, 2024).columns
    assert [(c.label, c.include) for c in proposed] == [("ukuran_a", False), ("jml_miskin", False)]
    return [replace(proposed[0], indicator="p0", unit="%", include=True, period=2024),
            replace(proposed[1], indicator="penduduk_miskin", unit="jiwa", scale=1000.0, include=True, period=2024)]


def test_a_saved_mapping_reads_the_next_file_and_says_what_changed(db_copy: Path) -> None:
    db = Database(db_copy)
    try:
        pipeline.import_table(db, "perencana", "uji", "maret.csv", MARCH, "BPS Jatim", 2024, columns=_map_by_hand(db))
        saved = core_store.column_mapping(db, "bps jatim")  # letter case aside
        assert saved is not None and saved["file"] == "maret.csv" and saved["saved_by"] == "uji"
        assert [(c["label"], c["indicator"], c["scale"]) for c in saved["columns"]] == [
            ("ukuran_a", "p0", 1.0), ("jml_miskin", "penduduk_miskin", 1000.0)]
        pv = pipeline.table_preview(db, "april.csv", APRIL, 2024, source="BPS Jatim")
        assert pv.mapping.applied == ["UKURAN_A"] and pv.mapping.new == ["ipm_baru"]
        assert pv.mapping.missing == ["jml_miskin"] and pv.mapping.changed
        assert pv.mapping.name == "BPS Jatim (maret.csv)"
        assert sorted(zip(pv.values["kode"], pv.values["indicator"], pv.values["value"], strict=True)) == [
            ("35.01", "p0", 13.1), ("35.02", "p0", 9.0)]
        other = pipeline.table_preview(db, "april.csv", APRIL, 2024, source="Dinsos")
        assert other.mapping is None and other.values.empty  # nothing known for that source: as proposed
    finally:
        db.close()


def test_the_command_line_takes_a_saved_mapping_or_a_json_file(db_copy: Path, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture) -> None:
    db = Database(db_copy)
    try:
        pipeline.import_table(db, "perencana", "uji", "maret.csv", MARCH, "BPS Jatim", 2024, columns=_map_by_hand(db))
        records = indicator_tables.column_records(_map_by_hand(db))
    finally:
        db.close()
    april = tmp_path / "april.csv"
    april.write_bytes(APRIL)
    assert main(["import", "table", str(april), "--mapping", "BPS Jatim", "--dry-run", "--json",
                 "--path", str(db_copy)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["mapping"] == {"name": "BPS Jatim (maret.csv)", "applied": ["UKURAN_A"], "new": ["ipm_baru"],
                              "missing": ["jml_miskin"]}
    assert out["values"] == [{"indicator": "p0", "period": 2024, "n": 2}]
    file = tmp_path / "peta.json"
    file.write_text(json.dumps({"columns": records}), encoding="utf-8")
    assert main(["import", "table", str(april), "--mapping", str(file), "--source", "BPS", "--path",
                 str(db_copy)]) == 0
    text = capsys.readouterr().out
    assert "status: stored" in text and "pemetaan kolom 'peta.json' dipakai untuk 1 kolom" in text
    assert "kolom baru (dibaca seperti usulan, periksa): ipm_baru" in text
    assert main(["import", "table", str(april), "--mapping", "Tidak Ada", "--dry-run", "--path", str(db_copy)]) == 2
    assert "Tidak ada berkas atau pemetaan tersimpan bernama 'Tidak Ada'" in capsys.readouterr().err


@pytest.mark.parametrize("data,expect", [
    (b"{not json", "bukan JSON yang sah"),
    (b'{"columns": []}', "daftar 'columns' yang tidak kosong"),
    (b'{"columns": [{"label": "a", "indicator": "p0"}, {"label": 3}]}', "entri 2"),
    (b'{"columns": [{"label": "a", "indicator": "p0", "period": "tahun lalu"}]}', "'period', 'scale'"),
    (b'{"columns": [{"label": "a", "indicator": "p0", "numbers": "roman"}]}', "harus auto, comma atau dot"),
])
def test_a_broken_mapping_file_is_refused_clearly(data: bytes, expect: str) -> None:
    with pytest.raises(ImportRejected) as exc:
        mappings.read_file("peta.json", data)
    assert "peta.json" in str(exc.value) and expect in str(exc.value)
