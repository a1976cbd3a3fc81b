"""Every export of the demo written for people (issue 17, parts 1-2): workbooks with headers by name, numbers
kept as numbers with an Excel format, no ``None``/``nan``, sheet names that fit Excel; CSV headers by name;
DOCX and PDF text without raw numbers; in Indonesian and in English. Read back with openpyxl, python-docx
and pypdf, not with the code that wrote them."""

from __future__ import annotations

import io
from datetime import date

import pytest

from analytics.business import annexes, calc
from analytics.business import store as bm_store
from analytics.commodity import decision_record
from analytics.commodity import store as commodity_store
from analytics.core.db import Database
from analytics.monitoring import results, scorecard
from analytics.monitoring import store as mon_store
from analytics.poverty import drilldown
from analytics.poverty import store as poverty_store
from analytics.render import documents
from analytics.testing import display_scan
from analytics.valuechain import store as vc_store

CODE_HEADERS = ("Kode", "Code", "Kode pelaku", "Actor code", "Kode wilayah", "Area codes", "Kode indikator",
                "Indicator code", "Kotak", "Box", "Kode kabupaten/kota", "Kabupaten/kota code", "Kode responden",
                "Respondent code", "No", "No.")


def _docx_text(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.fixture(scope="module")
def exports(fresh_db) -> dict[str, dict[str, bytes]]:
    """Every export a planner can download from the demo, in both languages (a workshop and a shortlist
    added, as the demo has none)."""

    path = fresh_db("exports")
    db = Database(path)
    desa = db.query("SELECT kode FROM areas WHERE kode LIKE '35.07.%' AND level = 'desa' ORDER BY kode LIMIT 1")
    poverty_store.add_to_shortlist(db, "perencana", "demo:perencana", str(desa["kode"][0]), "kantong HH", "p0", 2024,
                                   14.2567, "demo")
    sid, _ = commodity_store.create_session(db, "pokja", "demo:pokja", "35.07", date(2026, 12, 1), "Lokakarya Malang",
                                            ["kopi", "cabai", "jagung"])
    for i, name in enumerate(["Sari", "Budi"]):
        pid, _ = commodity_store.join(db, sid, name)
        commodity_store.set_weights(db, sid, pid, {"jangkauan": 5 - i, "pendapatan": 3, "sistemik": 2 + i,
                                                  "lainnya": 1})
    for k, com in enumerate(["kopi", "cabai", "jagung"]):
        for j, crit in enumerate(["jangkauan", "pendapatan", "sistemik", "lainnya"]):
            commodity_store.set_score(db, "pokja", "demo:pokja", sid, com, crit, 1 + (k + j) % 5, "uji", "diskusi")
    commodity_store.decide(db, "pokja", "demo:pokja", sid, "final", ["kopi"], "peringkat 1")
    out: dict[str, dict[str, bytes]] = {}
    chain = vc_store.vc_chains(db).set_index("id").loc[1]
    model = bm_store.bm_models(db).set_index("id").loc[1]
    tables = bm_store.load(db, 1)
    ev = calc.evaluate(tables, float(model["discount_rate"]))
    sheets = annexes.annexes(model, tables, ev, calc.poor_households(db, str(model["kabupaten"]), tables))
    rc = mon_store.rc_chains(db).set_index("id")
    rc_id = int(rc.index[0])
    rc_tables = mon_store.load_results_chain(db, rc_id)
    prog = results.progress(rc_tables["indicators"], mon_store.rc_values(db, rc_id))
    rec = decision_record.build(db, sid)
    resp, stages = mon_store.load_stages(db)
    rubric = int(mon_store.pci_rubrics(db)["id"].iloc[0])
    group = int(mon_store.pci_groups(db)["id"].iloc[0])
    for lang in ("id", "en"):
        shortlist = drilldown.shortlist_export(db, "35", lang)
        out[lang] = {
            "rantai.xlsx": documents.chain_xlsx(chain, vc_store.load(db, 1), lang),
            "lampiran.xlsx": documents.annex_xlsx(model, sheets, lang),
            "lampiran.docx": documents.annex_docx(model, sheets),
            "hasil.xlsx": documents.results_xlsx(rc.loc[rc_id], rc_tables, prog, mon_store.reviews(db, rc_id), lang),
            "berita_acara.xlsx": documents.decision_record_xlsx(rec, lang),
            "berita_acara.docx": documents.decision_record_docx(rec),
            "adkar.xlsx": documents.adkar_xlsx(resp, mon_store.adkar_latest(db), stages, mon_store.adkar_links(db),
                                               lang),
            "pci.xlsx": documents.xlsx_bytes(*scorecard.workbook_sheets(db, rubric, group, 2025), lang=lang),
            "prioritas.xlsx": documents.xlsx_bytes({"Daftar prioritas": shortlist}, None, lang),
            "prioritas.csv": documents.csv_bytes(shortlist, lang),
        }
    db.close()
    return out


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_workbook_is_written_for_people(exports, lang: str) -> None:
    found = []
    for name, data in exports[lang].items():
        if name.endswith(".xlsx"):
            found += [f"{name}: {p}" for p in display_scan.xlsx_problems(data, CODE_HEADERS)]
    assert found == []


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_csv_has_headers_by_name_and_no_raw_empties(exports, lang: str) -> None:
    import csv

    rows = list(csv.reader(io.StringIO(exports[lang]["prioritas.csv"].decode("utf-8-sig")), delimiter=";"))
    head = rows[0]
    assert not [h for h in head if display_scan.SNAKE.match(h)]
    assert head[:3] == (["Kode", "Nama", "Tingkat"] if lang == "id" else ["Code", "Name", "Level"])
    assert not {c for r in rows[1:] for c in r} & display_scan.RAW_EMPTY
    # the value keeps its decimals with a comma (Indonesian Excel reads it as a number); "demo:perencana" is a name
    value = rows[1][head.index("Nilai" if lang == "id" else "Value")]
    assert value == "14,2567"
    by = rows[1][head.index("Ditambahkan oleh" if lang == "id" else "Added by")]
    assert by == ("Perencana (Bappeda), mode demo" if lang == "id" else "Planner (Bappeda), demo mode")


def test_documents_write_numbers_and_people_the_indonesian_way(exports) -> None:
    for name in ("lampiran.docx", "berita_acara.docx"):
        text = _docx_text(exports["id"][name])
        assert display_scan.text_problems(text, "id") == [], name
    record = _docx_text(exports["id"]["berita_acara.docx"])
    assert "demo:" not in record and "Anggota Pokja, mode demo" in record
    # the signature block: place and date, then the facilitator and every participant with an empty cell to sign
    from docx import Document

    doc = Document(io.BytesIO(exports["id"]["berita_acara.docx"]))
    assert "Ditetapkan di ...................., pada tanggal 01-12-2026" in record
    signatures = [[c.text for c in r.cells] for r in doc.tables[-1].rows]
    assert signatures == [["No.", "Nama", "Peran", "Tanda tangan"],
                          ["1", "Anggota Pokja, mode demo", "Fasilitator", ""],
                          ["2", "Sari", "Peserta P01", ""], ["3", "Budi", "Peserta P02", ""]]


def test_numbers_stay_numbers_with_formats(exports) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(exports["id"]["lampiran.xlsx"]))
    formats = {c.number_format for ws in wb.worksheets for r in ws.iter_rows() for c in r
               if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)}
    assert formats and formats <= {"#,##0", "#,##0.00", "0.0%", "0"}
    wb = load_workbook(io.BytesIO(exports["en"]["rantai.xlsx"]))
    assert [c.value for c in wb["Pelaku"][3]][:3] == ["Actor code", "Name", "Function"]
    assert wb["Pelaku"]["A1"].value == "Synthetic demo data (Data contoh) — not official data"
