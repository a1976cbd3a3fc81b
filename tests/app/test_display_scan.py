"""What a user reads in the tables of every page (issue 17): numbers written the Indonesian (or English)
way, no raw ``None``/``nan``, no internal snake_case headers; in both languages, every page an admin
opens with the demo data. Editable tables (``st.data_editor``) keep their numbers as numbers to edit and
are checked separately as they get their column formats."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.testing import display_scan
from tests.app.test_pages import APP

PAGES = ["beranda", "peta", "sasaran", "sumber", "lokakarya", "rantai", "bisnis", "hasil", "pci", "adkar",
         "pimpinan", "impor", "data", "pengguna"]
CODES = ("Kode", "kode", "Code", "kode BPS", "kode Kemendagri")
FREE_TEXT = ("Rincian", "Detail")  # the audit trail's free text ("seed 20240601" is not a number to format)


def _read_only(element) -> bool:  # noqa: ANN001
    return element.proto.editing_mode == element.proto.EditingMode.READ_ONLY


@pytest.mark.parametrize("lang", ["id", "en"])
def test_read_only_tables_are_written_for_people(app_env: Path, lang: str) -> None:
    found, seen = [], 0
    for page in PAGES:
        at = AppTest.from_file(APP, default_timeout=120)
        at.session_state["demo_role"] = "admin"
        at.session_state["lang"] = lang
        if page == "peta":
            at.session_state["peta_scope"] = "35"
        at.switch_page(f"pages/{page}.py")
        at.run()
        assert not at.exception, (page, at.exception)
        for i, table in enumerate(at.dataframe):
            if not _read_only(table):
                continue
            seen += 1
            found += [f"{page}[{i}] {p}" for p in display_scan.problems(table.value, lang, CODES + FREE_TEXT)]
    assert seen >= 15  # the check reached the pages' tables
    assert found == []
