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
         "pimpinan", "replikasi", "impor", "data", "pengguna"]
CODES = ("Kode", "kode", "Code", "Kode BPS", "Kode Kemendagri", "BPS code", "Kemendagri code")
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


@pytest.mark.parametrize("lang", ["id", "en"])
def test_editable_tables_have_labelled_columns_and_locale_numbers(app_env: Path, lang: str) -> None:
    """Every column of every ``st.data_editor`` the demo shows has a header written for people (no
    snake_case, nothing left to the raw column name) and its numbers written in the reader's locale; a
    select box over codes shows names (the flows' "from"/"to" are actors by name)."""
    import json

    found, seen, numbers, names = [], 0, 0, 0
    for page in ("rantai", "bisnis", "hasil", "pci", "adkar"):
        at = AppTest.from_file(APP, default_timeout=120)
        at.session_state["demo_role"] = "admin"
        at.session_state["lang"] = lang
        at.switch_page(f"pages/{page}.py")
        at.run()
        assert not at.exception, (page, at.exception)
        for i, table in enumerate(at.dataframe):
            if _read_only(table):
                continue
            seen += 1
            config = json.loads(table.proto.columns)
            for col in table.value.columns:
                cfg = config.get(f"col:{col}") or config.get(col) or {}
                label = cfg.get("label")
                if not label or ("_" in label and label == col):
                    found.append(f"{page}[{i}] {col}: no header for people ({label!r})")
                tc = cfg.get("type_config") or {}
                if tc.get("type") == "number" or (table.value[col].dtype.kind in "iuf"
                                                  and tc.get("type") not in ("selectbox", "checkbox")):
                    numbers += 1
                    if tc.get("format") != "localized":
                        found.append(f"{page}[{i}] {col}: number not in the reader's locale")
                if col in ("dari", "ke"):
                    names += 1
                    labels = [o["label"] for o in tc.get("options", [])]
                    values = [o["value"] for o in tc.get("options", [])]
                    if labels == values or not labels:
                        found.append(f"{page}[{i}] {col}: codes instead of actor names")
    assert seen >= 10 and numbers >= 15 and names == 2  # the check reached the editors, their numbers, the flows
    assert found == []
