"""Stored value chains: create, read and save the actor, flow, market-system and problem tables.

Each table of a chain is saved whole (as edited in the page) in one transaction, after the checks of
:mod:`analytics.valuechain.analysis`; an error leaves the stored chain unchanged. Two synthetic demo chains are
part of the demo layer and labelled as such.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd

from analytics.commodity import store as commodity_store
from analytics.core import auth, fmt
from analytics.core import store as core_store
from analytics.core.db import Database
from analytics.core.files import BROKEN_XLSX, refuse_unreadable
from analytics.core.problems import ImportRejected, Problem
from analytics.valuechain import analysis
from analytics.valuechain.analysis import COLUMNS, validate

TABLES: dict[str, core_store.ChildTable] = {
    "actors": core_store.ChildTable("vc_actors", "chain_id"),
    "flows": core_store.ChildTable("vc_flows", "chain_id", "position", position=True),
    "system": core_store.ChildTable("vc_system", "chain_id", "position", position=True),
    "problems": core_store.ChildTable("vc_problems", "chain_id")}


def create_chain(db: Database, role: str | None, actor: str, commodity: str, kabupaten: str, title: str,
                 workshop_id: int | None = None, is_synthetic: bool = False) -> int:
    """A new, empty chain for a commodity in a kabupaten; returns its id."""
    auth.require(role, "edit_chain")
    if not title.strip():
        raise ValueError("Judul rantai nilai wajib diisi.")

    def fn(cur: duckdb.DuckDBPyConnection) -> int:
        now = datetime.now()
        twin = core_store.recent_twin(cur, "vc_chains", {"commodity": commodity, "kabupaten": kabupaten,
                                                         "title": title.strip(), "workshop_id": workshop_id,
                                                         "created_by": actor}, now)
        if twin is not None:  # the same form sent twice: the chain it made
            return twin
        cid = int(cur.execute("SELECT nextval('vc_seq')").fetchone()[0])
        cur.execute("INSERT INTO vc_chains VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [cid, commodity, kabupaten, title.strip(), is_synthetic, workshop_id, actor, now])
        return cid

    return db.write(actor, "chain.create", f"{title} ({commodity}, {kabupaten})", fn)


def load(db: Database, chain_id: int) -> dict[str, pd.DataFrame]:
    """The four tables of a chain."""
    return {name: core_store.child_rows(db, TABLES[name], chain_id, COLUMNS[name]) for name in TABLES}


def replace_rows(cur: duckdb.DuckDBPyConnection, chain_id: int, name: str, frame: pd.DataFrame) -> int:
    """Inside a write transaction: replace one table of a chain with ``frame`` (already checked)."""
    out = frame.reindex(columns=COLUMNS[name]).copy()
    if name == "problems":
        out["akar"] = out["akar"].fillna(False).astype(bool)
    return core_store.replace_rows(cur, TABLES[name], chain_id, out)


def save(
    db: Database, role: str | None, actor: str, chain_id: int, name: str, frame: pd.DataFrame
) -> list[analysis.Check]:
    """Replace one table of a chain after checking it; returns the warnings. Raises ValueError (all the
    error messages) and stores nothing when the table has errors."""
    auth.require(role, "edit_chain")
    df = analysis.clean_table(name, frame)
    actors = df if name == "actors" else load(db, chain_id)["actors"]
    checks = validate(name, df, actors, set(core_store.area_table(db)["kode"]))
    errors = [c.message for c in checks if c.severity == "error"]
    if errors:
        raise ValueError("; ".join(errors))
    db.write(actor, f"chain.{name}", f"rantai {chain_id}: {len(df)} baris",
             lambda cur: replace_rows(cur, chain_id, name, df))
    return [c for c in checks if c.severity == "warning"]


def from_workshop(db: Database, session_id: int) -> tuple[str, str] | None:
    """(commodity, kabupaten) of a workshop's final choice, if one was made."""
    choice = commodity_store.final_choice(db, session_id)
    return None if choice is None else (choice, str(commodity_store.ws_session(db, session_id)["kabupaten"]))


def latest_workshop_choice(db: Database) -> tuple[str, str] | None:
    """(commodity, kabupaten) of the newest workshop that has made its final choice."""
    for sid in commodity_store.ws_sessions(db)["id"]:
        choice = from_workshop(db, int(sid))
        if choice:
            return choice
    return None


SHEETS: dict[str, str] = {"Pelaku": "actors", "Aliran": "flows", "Sistem pasar": "system", "Pohon masalah": "problems"}
"""Workbook sheet → chain table (the names :func:`export_xlsx` writes)."""


def import_xlsx(
    db: Database, role: str | None, actor: str, chain_id: int, file_name: str, data: bytes
) -> dict[str, int]:
    """Replace a chain's tables from a workbook laid out like :func:`export_xlsx` (any of its four sheets;
    sheets left out keep their stored table). Every sheet is checked against the others first; any error
    (naming file, sheet, row and column) stops the import and nothing changes. Returns rows per table."""
    import io


    auth.require(role, "edit_chain")
    refuse_unreadable(file_name, data)
    try:
        book = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, dtype=object, engine="openpyxl")
    except Exception as exc:  # openpyxl raises several types for damaged files
        raise ImportRejected([Problem(file_name, None, None, BROKEN_XLSX)]) from exc
    found = {SHEETS[s]: s for s in book if s in SHEETS}
    if not found:
        raise ImportRejected([Problem(file_name, None, None,
                                      "tidak ada lembar " + ", ".join(f"'{s}'" for s in SHEETS))])
    problems: list[Problem] = []
    frames: dict[str, pd.DataFrame] = {}
    header_rows: dict[str, int] = {}
    for name, sheet in found.items():
        raw = book[sheet]
        first = COLUMNS[name][0]
        # the export writes headers for people (Indonesian or English); older files have the column names
        known = {fmt.header(c, lang).lower(): c for c in COLUMNS[name] for lang in ("id", "en")} | \
            {c: c for c in COLUMNS[name]}
        hits = [i for i in range(min(len(raw), 10)) if known.get(str(raw.iat[i, 0]).strip().lower()) == first]
        if not hits:
            problems.append(Problem(file_name, None, None,
                                    f"lembar '{sheet}': baris judul dengan kolom '{first}' tidak ditemukan"))
            continue
        h = hits[0]
        header = [known.get(str(v).strip().lower(), str(v).strip()) for v in raw.iloc[h]]
        written = {known.get(str(v).strip().lower(), ""): str(v).strip() for v in raw.iloc[h]}  # names as in the file
        missing = [c for c in COLUMNS[name] if c not in header]
        if missing:
            problems.append(Problem(file_name, h + 1, None, f"lembar '{sheet}': kolom {', '.join(missing)} tidak ada"))
            continue
        body = raw.iloc[h + 1:].copy()
        body.columns = header
        body = body[COLUMNS[name]].reset_index(drop=True)
        body = body.where(body.notna(), None)
        for col in ("jumlah", "produksi", "perempuan", "volume", "harga"):
            if col in body:
                num = pd.to_numeric(body[col], errors="coerce")
                bad = body[col].notna() & num.isna()
                for i in bad[bad].index[:10]:
                    problems.append(Problem(file_name, h + 2 + int(i), written.get(col, col),
                                            f"lembar '{sheet}': '{body.at[i, col]}' bukan angka"))
                body[col] = num
        if name == "problems":
            body["akar"] = body["akar"].map(lambda v: str(v).strip().lower() in {"true", "1", "ya", "y"})
        frames[name] = analysis.clean_table(name, body)
        header_rows[name] = h
    if problems:
        raise ImportRejected(problems)
    actors = frames.get("actors", load(db, chain_id)["actors"])
    known = set(core_store.area_table(db)["kode"])
    for name, df in frames.items():
        for c in validate(name, df, actors, known):
            if c.severity == "error":
                row = None if c.row is None else header_rows[name] + 1 + c.row
                problems.append(Problem(file_name, row, c.column, f"lembar '{found[name]}': {c.message}"))
    if "flows" not in frames and "actors" in frames:
        stored = load(db, chain_id)["flows"]
        for c in analysis.check(actors, stored):
            if c.severity == "error":
                problems.append(Problem(file_name, None, None,
                                        f"aliran tersimpan tidak cocok dengan pelaku baru: {c.message}"))
    if problems:
        raise ImportRejected(problems)

    def fn(cur: duckdb.DuckDBPyConnection) -> dict[str, int]:
        return {name: replace_rows(cur, chain_id, name, df) for name, df in frames.items()}

    return db.write(actor, "chain.import", f"rantai {chain_id}: {file_name}", fn)


def vc_chains(db: Database, prov: str | None = None) -> pd.DataFrame:
    """Stored value chains, newest first, with commodity and kabupaten names (province ``prov``'s only
    when given)."""
    return db.query("""SELECT c.*, k.nama AS commodity_nama, a.nama AS kabupaten_nama FROM vc_chains c
                       LEFT JOIN commodities k ON k.kode = c.commodity LEFT JOIN areas a ON a.kode = c.kabupaten
                       WHERE ? IS NULL OR c.kabupaten LIKE ?
                       ORDER BY c.is_synthetic, c.id DESC""", [prov, core_store.under(prov or "")])
