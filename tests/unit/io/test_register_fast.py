"""The vectorised register path (issue 15: a million rows at 200,000 rows/s) gives what the row-by-row
one gave: HMAC pseudonyms equal to Python's ``hmac``, the same cells from Arrow's CSV reader as from the
csv module (row numbers included), the same numbers and desa codes."""

from __future__ import annotations

import hashlib
import hmac
import math

import pandas as pd
import pytest

from analytics.core.db import Database
from analytics.io import context, read, registers

NIKS = ["3507010101900001", "3578124505880002", "0000000000000001", "9999999999999998"]


@pytest.mark.parametrize("key", [b"k", bytes(range(32)), b"x" * 64, bytes(range(100))])
def test_pseudonyms_are_rfc2104_hmac_sha256(key: bytes) -> None:
    got = registers.pseudonymise(pd.Series(NIKS, index=[5, 6, 7, 8]), key)
    assert got.index.tolist() == [5, 6, 7, 8]
    assert got.tolist() == [hmac.new(key, n.encode(), hashlib.sha256).hexdigest()[:32] for n in NIKS]


def test_numbers_are_read_as_written_and_nothing_else() -> None:
    cells = pd.Series(["3", "3.0", "+3", "3e0", "10", "", "tiga", "3,5", "１", "0x3", "3.", ".5"])
    got = registers.numbers(cells).tolist()
    expected = [3, 3, 3, 3, 10, None, None, None, None, None, 3, 0.5]
    assert [(math.isnan(g) if e is None else g == e) for g, e in zip(got, expected, strict=True)] == [True] * 12


def test_desa_codes_dotted_undotted_and_spreadsheet_numbers(ro_db: Database) -> None:
    cells = pd.Series(["3507102010", "35.07.10.2010", "3507102010.0", " 3507102010 ", "35071020", "9999999999", ""],
                      index=range(10, 17))  # a body with its header and blank rows dropped
    got = [None if pd.isna(c) else c for c in registers.desa_codes(cells, context.resolver(ro_db))]
    assert got == ["35.07.10.2010"] * 4 + [None] * 3


def _register(rows: int, blank_at: int | None = None) -> bytes:
    lines = ['\ufeffnik;kode_desa;desil;sektor;jenis_kelamin_kk;catatan']
    for i in range(rows):
        note = '"ada ""kutip""; dan titik koma"' if i % 7 == 0 else f"  catatan {i}  "
        lines.append(f"35{10**13 + i:014d};3507102010;{1 + i % 4};pertanian;{'LP'[i % 2]};{note}")
        if blank_at == i:
            lines.append("")
    return ("\r\n".join(lines) + "\r\n").encode()


@pytest.mark.parametrize("blank_at", [None, 20_000])
def test_arrow_and_csv_module_read_a_long_file_alike(monkeypatch: pytest.MonkeyPatch, blank_at: int | None) -> None:
    data = _register(25_000, blank_at)
    assert len(data) > read.FAST_CSV_BYTES
    fast = read.read_cells("r.csv", data)
    monkeypatch.setattr(read, "FAST_CSV_BYTES", 10**12)
    slow = read.read_cells("r.csv", data)
    assert fast.shape == slow.shape == (25_002 if blank_at else 25_001, 6)
    assert fast.astype(object).equals(slow.astype(object))
    assert fast.iat[1, 5] == 'ada "kutip"; dan titik koma' and fast.iat[2, 5] == "catatan 1"


def test_a_bad_row_deep_in_a_long_register_is_named_by_its_file_row(ro_db: Database) -> None:
    data = _register(25_000).replace(b"35" + b"%014d" % (10**13 + 19_999) + b";3507102010;4",
                                     b"35" + b"%014d" % (10**13 + 19_999) + b";3507102010;11")
    cells = read.read_cells("r.csv", data)
    pv = registers.preview("r.csv", cells, context.resolver(ro_db))
    assert [(p.row, p.column, p.message) for p in pv.problems if p.severity == "error"] == [
        (20_001, "desil", "desil harus bilangan bulat 1-10")]
