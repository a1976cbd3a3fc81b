"""Stored value chains: create, read and save the actor, flow, market-system and problem tables.

Each table of a chain is saved whole (as edited in the page) in one transaction, after the checks of
:mod:`analytics.valuechain`; an error leaves the stored chain unchanged. Two synthetic demo chains are
part of the demo layer and labelled as such.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd

from analytics import auth, edits, fmt, queries, valuechain
from analytics.db import Database

COLUMNS: dict[str, list[str]] = {
    "actors": ["actor", "nama", "fungsi", "jenis", "jumlah", "produksi", "perempuan", "wilayah", "catatan"],
    "flows": ["skenario", "dari", "ke", "volume", "satuan", "harga"],
    "system": ["lapisan", "kategori", "nama", "terkait", "catatan"],
    "problems": ["id", "parent", "teks", "akar", "intervensi", "mitra"],
}
TABLES = {"actors": "vc_actors", "flows": "vc_flows", "system": "vc_system", "problems": "vc_problems"}


def create_chain(db: Database, role: str | None, actor: str, commodity: str, kabupaten: str, title: str,
                 workshop_id: int | None = None, is_synthetic: bool = False) -> int:
    """A new, empty chain for a commodity in a kabupaten; returns its id."""
    auth.require(role, "edit_chain")
    if not title.strip():
        raise ValueError("Judul rantai nilai wajib diisi.")

    def fn(cur: duckdb.DuckDBPyConnection) -> int:
        cid = int(cur.execute("SELECT nextval('vc_seq')").fetchone()[0])
        cur.execute("INSERT INTO vc_chains VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [cid, commodity, kabupaten, title.strip(), is_synthetic, workshop_id, actor, datetime.now()])
        return cid

    return db.write(actor, "chain.create", f"{title} ({commodity}, {kabupaten})", fn)


def load(db: Database, chain_id: int) -> dict[str, pd.DataFrame]:
    """The four tables of a chain."""
    return {name: queries.vc_table(db, TABLES[name], chain_id, COLUMNS[name]) for name in TABLES}


def _clean(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    key = {"actors": "actor", "flows": "dari", "system": "nama", "problems": "id"}[name]
    return edits.clean(frame, COLUMNS[name], key)


def area_codes(text: object) -> list[str]:
    """Area codes listed in an actor's ``wilayah`` cell (comma, semicolon or space separated).

    >>> area_codes("35.11.07, 35.11;35.78"), area_codes(None)
    (['35.11.07', '35.11', '35.78'], [])
    """
    if not isinstance(text, str):
        return []
    return [c for c in text.replace(";", ",").replace(" ", ",").split(",") if c.strip()]


def validate(name: str, frame: pd.DataFrame, actors: pd.DataFrame,
             known_areas: set[str] | None = None) -> list[valuechain.Check]:
    """Checks of one table against the chain's actors (errors block saving); actor locations must be
    known area codes when ``known_areas`` is given."""
    out: list[valuechain.Check] = []
    if name == "actors":
        flows = pd.DataFrame(columns=COLUMNS["flows"])
        out += valuechain.check(frame, flows)
        for i, r in enumerate(frame.itertuples(), start=1):
            if r.jenis not in valuechain.TYPES:
                out.append(valuechain.Check("error", i, f"baris {i}: jenis pelaku '{r.jenis}' tidak dikenal"))
            unknown = [c for c in area_codes(r.wilayah) if known_areas is not None and c not in known_areas]
            if unknown:
                out.append(valuechain.Check("error", i, f"baris {i}: kode wilayah {', '.join(unknown)} tidak dikenal "
                                                        "(pakai kode Kemendagri bertitik, mis. 35.11.07)"))
    elif name == "flows":
        for i, r in enumerate(frame.itertuples(), start=1):
            if r.skenario not in valuechain.SCENARIOS:
                out.append(valuechain.Check("error", i, f"aliran ke-{i}: skenario harus 'sebelum' atau 'sesudah'"))
            if not isinstance(r.satuan, str) or not r.satuan:
                out.append(valuechain.Check("error", i, f"aliran ke-{i}: satuan belum diisi"))
        out += valuechain.check(actors, frame)
    elif name == "system":
        ids = set(actors["actor"])
        for i, r in enumerate(frame.itertuples(), start=1):
            if r.lapisan not in ("pendukung", "aturan"):
                out.append(valuechain.Check("error", i, f"baris {i}: lapisan harus 'pendukung' atau 'aturan'"))
            if isinstance(r.terkait, str) and r.terkait and r.terkait not in ids:
                out.append(valuechain.Check("error", i, f"baris {i}: pelaku terkait '{r.terkait}' tidak ada"))
    elif name == "problems":
        ids = set(frame["id"].astype(str))
        if frame["id"].duplicated().any():
            out.append(valuechain.Check("error", None, "kode masalah ganda"))
        for i, r in enumerate(frame.itertuples(), start=1):
            if isinstance(r.parent, str) and r.parent and r.parent not in ids:
                out.append(valuechain.Check("error", i, f"baris {i}: induk '{r.parent}' tidak ada"))
        if (frame["parent"].isna() | (frame["parent"].astype(str).str.strip() == "")).sum() == 0 and len(frame):
            out.append(valuechain.Check("error", None, "pohon masalah butuh satu masalah inti (tanpa induk)"))
    return out


def replace_rows(cur: duckdb.DuckDBPyConnection, chain_id: int, name: str, frame: pd.DataFrame) -> int:
    """Inside a write transaction: replace one table of a chain with ``frame`` (already checked)."""
    out = frame.reindex(columns=COLUMNS[name]).copy()
    if name == "problems":
        out["akar"] = out["akar"].fillna(False).astype(bool)
    return queries.replace_rows(cur, TABLES[name], {"chain_id": chain_id}, out, position=name in ("flows", "system"))


def save(db: Database, role: str | None, actor: str, chain_id: int, name: str, frame: pd.DataFrame) -> list[valuechain.Check]:
    """Replace one table of a chain after checking it; returns the warnings. Raises ValueError (all the
    error messages) and stores nothing when the table has errors."""
    auth.require(role, "edit_chain")
    df = _clean(name, frame)
    actors = df if name == "actors" else load(db, chain_id)["actors"]
    checks = validate(name, df, actors, set(queries.area_table(db)["kode"]))
    errors = [c.message for c in checks if c.severity == "error"]
    if errors:
        raise ValueError("; ".join(errors))
    db.write(actor, f"chain.{name}", f"rantai {chain_id}: {len(df)} baris",
             lambda cur: replace_rows(cur, chain_id, name, df))
    return [c for c in checks if c.severity == "warning"]


def from_workshop(db: Database, session_id: int) -> tuple[str, str] | None:
    """(commodity, kabupaten) of a workshop's final choice, if one was made."""
    d = queries.ws_decisions(db, session_id)
    final = d[d["kind"] == "final"]
    if final.empty:
        return None
    return str(list(final["commodities"].iloc[-1])[0]), str(queries.ws_session(db, session_id)["kabupaten"])


def latest_workshop_choice(db: Database) -> tuple[str, str] | None:
    """(commodity, kabupaten) of the newest workshop that has made its final choice."""
    for sid in queries.ws_sessions(db)["id"]:
        choice = from_workshop(db, int(sid))
        if choice:
            return choice
    return None


def system_dot(actors: pd.DataFrame, system: pd.DataFrame, title: str) -> str:
    """Graphviz DOT of the market system: the core chain left to right, supporting functions above,
    rules (regulation, standards, norms) below, dashed lines to the actors they serve."""

    order = {fn: i for i, fn in enumerate(valuechain.FUNCTIONS)}
    core = actors.assign(_o=actors["fungsi"].map(order)).sort_values(["_o", "actor"], kind="stable")
    lines = ["digraph sistem {", "  rankdir=TB; compound=true; newrank=true;",
             f'  labelloc=t; label="{fmt.dot_escape(title)}"; fontname="Helvetica";',
             '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11];']
    for layer, colour, label in (("pendukung", "#deebf7", "Fungsi pendukung"), ("aturan", "#f0f0f0", "Aturan")):
        rows = system[system["lapisan"] == layer]
        if rows.empty:
            continue
        lines.append(f'  subgraph cluster_{layer} {{ label="{label}"; style=dashed;')
        for i, r in enumerate(rows.itertuples()):
            lines.append(f'    "{layer}_{i}" [label="{fmt.dot_escape(r.kategori)}: {fmt.dot_escape(r.nama)}", fillcolor="{colour}"];')
        lines.append("  }")
    lines.append('  subgraph cluster_inti { label="Rantai inti"; style=solid; rank=same;')
    for r in core.itertuples():
        lines.append(f'    "{fmt.dot_escape(r.actor)}" [label="{fmt.dot_escape(r.nama)}\\n({fmt.dot_escape(r.fungsi)})", fillcolor="#fdd0a2"];')
    lines.append("  }")
    ids = list(core["actor"])
    for a, b in zip(ids, ids[1:]):
        lines.append(f'  "{fmt.dot_escape(a)}" -> "{fmt.dot_escape(b)}" [style=invis];')
    for layer in ("pendukung", "aturan"):
        rows = system[system["lapisan"] == layer]
        for i, r in enumerate(rows.itertuples()):
            target = r.terkait if isinstance(r.terkait, str) and r.terkait in ids else (ids[len(ids) // 2] if ids else None)
            if target is None:
                continue
            if layer == "pendukung":
                lines.append(f'  "{layer}_{i}" -> "{fmt.dot_escape(target)}" [style=dashed, arrowhead=none];')
            else:
                lines.append(f'  "{fmt.dot_escape(target)}" -> "{layer}_{i}" [style=dashed, arrowhead=none];')
    lines.append("}")
    return "\n".join(lines)


def guideline_table(problems: pd.DataFrame) -> pd.DataFrame:
    """The four-column table of the technical guideline, one row per chosen root cause:
    Permasalahan (the core problem above it) / Penyebab (akar masalah) / Intervensi / Mitra potensial."""
    by_id = problems.set_index("id")
    rows = []
    for r in problems[problems["akar"].fillna(False).astype(bool)].itertuples():
        parent = r.parent if isinstance(r.parent, str) and r.parent in by_id.index else None
        rows.append({"Permasalahan": by_id.loc[parent, "teks"] if parent else r.teks,
                     "Penyebab (akar masalah)": r.teks, "Intervensi": r.intervensi or "",
                     "Mitra potensial": r.mitra or ""})
    return pd.DataFrame(rows, columns=["Permasalahan", "Penyebab (akar masalah)", "Intervensi", "Mitra potensial"])


def export_xlsx(chain: pd.Series, tables: dict[str, pd.DataFrame]) -> bytes:
    """All tables of a chain (plus margins before and after) as one workbook."""
    from analytics import export

    sheets = {"Pelaku": tables["actors"], "Aliran": tables["flows"], "Sistem pasar": tables["system"],
              "Pohon masalah": tables["problems"], "Tabel intervensi": guideline_table(tables["problems"])}
    if not tables["flows"].empty:
        for scen in valuechain.SCENARIOS:
            sheets[f"Marjin {scen}"] = valuechain.margins(tables["actors"], tables["flows"], scen)
    return export.xlsx_bytes(sheets, "Data contoh (sintetis)" if bool(chain["is_synthetic"]) else None)


def draft(frame: pd.DataFrame) -> pd.DataFrame:
    """An edited flow table as it would be saved (empty rows dropped), for checking and drawing before
    saving."""
    return _clean("flows", frame)


SHEETS: dict[str, str] = {"Pelaku": "actors", "Aliran": "flows", "Sistem pasar": "system", "Pohon masalah": "problems"}
"""Workbook sheet → chain table (the names :func:`export_xlsx` writes)."""


def import_xlsx(db: Database, role: str | None, actor: str, chain_id: int, file_name: str, data: bytes) -> dict[str, int]:
    """Replace a chain's tables from a workbook laid out like :func:`export_xlsx` (any of its four sheets;
    sheets left out keep their stored table). Every sheet is checked against the others first; any error
    (naming file, sheet, row and column) stops the import and nothing changes. Returns rows per table."""
    import io

    from analytics.importer.problems import ImportRejected, Problem

    auth.require(role, "edit_chain")
    try:
        book = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, dtype=object, engine="openpyxl")
    except Exception as exc:  # openpyxl raises several types for damaged files
        raise ImportRejected([Problem(file_name, None, None, f"berkas XLSX rusak atau tidak dapat dibaca ({exc})")]) from exc
    found = {SHEETS[s]: s for s in book if s in SHEETS}
    if not found:
        raise ImportRejected([Problem(file_name, None, None, "tidak ada lembar " + ", ".join(f"'{s}'" for s in SHEETS))])
    problems: list[Problem] = []
    frames: dict[str, pd.DataFrame] = {}
    header_rows: dict[str, int] = {}
    for name, sheet in found.items():
        raw = book[sheet]
        first = COLUMNS[name][0]
        hits = [i for i in range(min(len(raw), 10)) if str(raw.iat[i, 0]).strip() == first]
        if not hits:
            problems.append(Problem(file_name, None, None, f"lembar '{sheet}': baris judul dengan kolom '{first}' tidak ditemukan"))
            continue
        h = hits[0]
        header = [str(v).strip() for v in raw.iloc[h]]
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
                    problems.append(Problem(file_name, h + 2 + int(i), col,
                                            f"lembar '{sheet}': '{body.at[i, col]}' bukan angka"))
                body[col] = num
        if name == "problems":
            body["akar"] = body["akar"].map(lambda v: str(v).strip().lower() in {"true", "1", "ya", "y"})
        frames[name] = _clean(name, body)
        header_rows[name] = h
    if problems:
        raise ImportRejected(problems)
    actors = frames.get("actors", load(db, chain_id)["actors"])
    known = set(queries.area_table(db)["kode"])
    for name, df in frames.items():
        for c in validate(name, df, actors, known):
            if c.severity == "error":
                row = None if c.row is None else header_rows[name] + 1 + c.row
                problems.append(Problem(file_name, row, None, f"lembar '{found[name]}': {c.message}"))
    if "flows" not in frames and "actors" in frames:
        stored = load(db, chain_id)["flows"]
        for c in valuechain.check(actors, stored):
            if c.severity == "error":
                problems.append(Problem(file_name, None, None,
                                        f"aliran tersimpan tidak cocok dengan pelaku baru: {c.message}"))
    if problems:
        raise ImportRejected(problems)

    def fn(cur: duckdb.DuckDBPyConnection) -> dict[str, int]:
        return {name: replace_rows(cur, chain_id, name, df) for name, df in frames.items()}

    return db.write(actor, "chain.import", f"rantai {chain_id}: {file_name}", fn)
