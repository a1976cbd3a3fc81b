"""Stored business models: create (from a value chain), read and save their tables (actors, lines per
actor, outreach plan, budget) after the checks of :mod:`analytics.business.calc`, and the discount rate."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd

from analytics.business import calc
from analytics.business.calc import DEFAULT_RATE, ROLE_NAMES, starting_tables
from analytics.core import auth
from analytics.core import store as core_store
from analytics.core.db import Database
from analytics.valuechain import analysis
from analytics.valuechain import store as vc_store

TABLES: dict[str, core_store.ChildTable] = {
    "actors": core_store.ChildTable("bm_actors", "model_id"),
    "lines": core_store.ChildTable("bm_lines", "model_id", "peran, position"),
    "outreach": core_store.ChildTable("bm_outreach", "model_id", "tahun"),
    "budget": core_store.ChildTable("bm_budget", "model_id", "position", position=True),
    "persistence": core_store.ChildTable("bm_persistence", "model_id", "tahun_ke")}


# ---------------------------------------------------------------------- read
def load(db: Database, model_id: int) -> dict[str, pd.DataFrame]:
    """The five tables of a model."""
    return {name: core_store.child_rows(db, TABLES[name], model_id, calc.MODEL_COLUMNS[name]) for name in TABLES}


# ---------------------------------------------------------------------- write
def new_model(cur: duckdb.DuckDBPyConnection, title: str, model: str, commodity: str, kabupaten: str,
              chain_id: int | None, rate: float, is_synthetic: bool, actor: str) -> int:
    """Inside a write transaction: a new model record; returns its id."""
    mid = int(cur.execute("SELECT nextval('bm_seq')").fetchone()[0])
    cur.execute("INSERT INTO bm_models VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [mid, chain_id, commodity, kabupaten, title, model, rate, is_synthetic, actor, datetime.now()])
    return mid


def write_tables(cur: duckdb.DuckDBPyConnection, mid: int, tables: dict[str, pd.DataFrame]) -> None:
    """Inside a write transaction: replace a model's tables (lines numbered per actor)."""
    for name, df in tables.items():
        out = df.reindex(columns=calc.MODEL_COLUMNS[name])
        if name == "lines":
            out = out.assign(position=out.groupby("peran").cumcount())
        core_store.replace_rows(cur, TABLES[name], mid, out)


def create_model(db: Database, role: str | None, actor: str, title: str, model: str, commodity: str,
                 kabupaten: str, chain_id: int | None = None, rate: float = DEFAULT_RATE) -> int:
    """A new business model (A or B), pre-filled from a value chain when ``chain_id`` is given."""
    auth.require(role, "edit_business")
    if not title.strip():
        raise ValueError("Judul model bisnis wajib diisi.")
    if model not in calc.MODEL_ROLES:
        raise ValueError(f"Model '{model}' tidak dikenal (A atau B).")
    tables = starting_tables(model, vc_store.load(db, chain_id) if chain_id else None)

    def fn(cur: duckdb.DuckDBPyConnection) -> int:
        twin = core_store.recent_twin(cur, "bm_models", {"title": title.strip(), "model": model, "commodity": commodity,
                                                         "kabupaten": kabupaten, "chain_id": chain_id,
                                                         "created_by": actor}, datetime.now())
        if twin is not None:  # the same form sent twice: the model it made
            return twin
        mid = new_model(cur, title.strip(), model, commodity, kabupaten, chain_id, rate, False, actor)
        write_tables(cur, mid, tables)
        return mid

    return db.write(actor, "business.create", f"{title} (model {model}, {commodity}, {kabupaten})", fn)


def save(db: Database, role: str | None, actor: str, model_id: int, name: str, frame: pd.DataFrame,
         peran: str | None = None) -> None:
    """Replace one table of a model (the lines of actor ``peran`` only) after checking it. Raises
    ValueError with every problem, and stores nothing, when the table has errors."""
    auth.require(role, "edit_business")
    info = bm_models(db).set_index("id").loc[model_id]
    df = calc.draft_table(name, frame)
    names = dict(zip(*load(db, model_id)["actors"][["peran", "nama"]].T.values, strict=False))
    problems = calc.check_table(name, df, str(info["model"]), names.get(peran, ROLE_NAMES.get(peran or "", "")))
    if name == "actors":
        gone = set(load(db, model_id)["lines"]["peran"]) - set(df["peran"])
        problems += [f"Pelaku: peran '{g}' masih punya baris hitungan; hapus barisnya dulu" for g in sorted(gone)]
    if problems:
        raise ValueError("; ".join(problems))
    if name == "lines":
        if peran not in names:
            raise ValueError(f"Pelaku '{peran}' tidak ada di model ini.")
        df = df.assign(position=range(len(df)))
        within = {"peran": peran}
    else:
        within = None
    db.write(actor, f"business.{name}", f"model {model_id}{' ' + peran if peran else ''}: {len(df)} baris",
             lambda cur: core_store.replace_rows(cur, TABLES[name], model_id, df, within))


def set_rate(db: Database, role: str | None, actor: str, model_id: int, rate: float) -> None:
    """Store the discount rate of a model (a fraction, 0-1)."""
    auth.require(role, "edit_business")
    if not 0 <= rate < 1:
        raise ValueError("Tingkat diskonto harus antara 0% dan 100%.")
    db.write(actor, "business.rate", f"model {model_id}: {rate:.3f}",
             lambda cur: cur.execute("UPDATE bm_models SET discount_rate = ? WHERE id = ?", [rate, model_id]))


# ---------------------------------------------------------------------- for display


def chain_problems(db: Database, model_id: int) -> pd.DataFrame | None:
    """The problem tree of the value chain a model was built on (None when it was not built on one)."""
    chain = db.scalar("SELECT chain_id FROM bm_models WHERE id = ?", [model_id])
    return None if chain is None else vc_store.load(db, int(chain))["problems"]


def code_names(db: Database, model_id: int) -> dict[str, str]:
    """Names of the codes a model's annexes mention: its commodity, kabupaten and the actors' areas."""
    info = db.query("SELECT commodity, kabupaten FROM bm_models WHERE id = ?", [model_id])
    if info.empty:
        return {}
    areas = db.query("SELECT wilayah FROM bm_actors WHERE model_id = ? AND wilayah IS NOT NULL", [model_id])
    codes = {str(info["kabupaten"].iloc[0])} | {c for w in areas["wilayah"] for c in analysis.area_codes(w)}
    names = core_store.area_names(db, sorted(codes))
    com = db.query("SELECT kode, nama FROM commodities WHERE kode = ?", [str(info["commodity"].iloc[0])])
    return {**names, **dict(zip(com["kode"], com["nama"], strict=True))}


def bm_models(db: Database, prov: str | None = None) -> pd.DataFrame:
    """Stored business models, real ones first and newest first, with commodity and kabupaten names
    (province ``prov``'s only when given)."""
    return db.query("""SELECT m.*, k.nama AS commodity_nama, a.nama AS kabupaten_nama, v.title AS chain_title
                       FROM bm_models m
                       LEFT JOIN commodities k ON k.kode = m.commodity LEFT JOIN areas a ON a.kode = m.kabupaten
                       LEFT JOIN vc_chains v ON v.id = m.chain_id
                       WHERE ? IS NULL OR m.kabupaten LIKE ?
                       ORDER BY m.is_synthetic, m.id DESC""", [prov, core_store.under(prov or "")])


def budget_by_source(db: Database) -> pd.DataFrame:
    """Budget and co-investment per funding source over all business models (sumber, nilai, synthetic)."""
    return db.query("""SELECT b.sumber, sum(b.nilai) AS nilai, bool_and(m.is_synthetic) AS is_synthetic
                       FROM bm_budget b JOIN bm_models m ON m.id = b.model_id GROUP BY 1 ORDER BY 2 DESC""")
