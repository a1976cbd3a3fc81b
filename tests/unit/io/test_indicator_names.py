"""Indicator columns named as people name them, with the year in the header, are proposed without
mapping by hand."""

from __future__ import annotations

import pytest

from analytics.core.db import Database
from analytics.io import pipeline


@pytest.mark.parametrize("header,indicator,period", [
    ("persentase_miskin", "p0", None), ("kemiskinan_pct", "p0", None), ("Tingkat Kemiskinan", "p0", None),
    ("angka kemiskinan 2022", "p0", 2022), ("p0_2023", "p0", 2023), ("Persentase Penduduk Miskin 2021", "p0", 2021),
    ("Indeks Kedalaman Kemiskinan (P1) 2020", "p1", 2020), ("Indeks Keparahan Kemiskinan", "p2", None),
    ("IPM", "ipm", None), ("TPT (%)", "tpt", None), ("PDRB per kapita", "pdrb_per_kapita", None),
])
def test_indicator_headers_as_people_write_them(ro_db: Database, header: str, indicator: str,
                                               period: int | None) -> None:
    data = f"kode;nama;{header}\n35.01;Pacitan;13,0\n35.02;Ponorogo;9,5\n35.03;Trenggalek;11,2\n".encode()
    pv = pipeline.table_preview(ro_db, "tabel.csv", data, 2024)
    assert set(pv.values["indicator"]) == {indicator}
    assert set(pv.values["period"]) == {period or 2024}
    assert pv.values["value"].tolist() == [13.0, 9.5, 11.2]


def test_poor_people_in_thousands_are_scaled(ro_db: Database) -> None:
    data = b"kode;nama;Jumlah Penduduk Miskin (ribu) 2023\n35.01;Pacitan;75,86\n35.02;Ponorogo;80,91\n"
    pv = pipeline.table_preview(ro_db, "miskin.csv", data)
    assert pv.values[["indicator", "period"]].drop_duplicates().values.tolist() == [["penduduk_miskin", 2023]]
    assert pv.values["value"].round(2).tolist() == [75860.0, 80910.0]
