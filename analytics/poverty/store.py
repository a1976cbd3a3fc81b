"""The poverty stage's reads and writes: indicator values and definitions, register aggregates, the
sources side by side, and the priority shortlist. All of its SQL is here."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd

from analytics.core import auth
from analytics.core import store as core_store
from analytics.core.db import Database
from analytics.core.regions import level_of
from analytics.core.store import under


def years(db: Database, indicator: str = "p0") -> list[int]:
    """Years for which ``indicator`` has values, newest last."""
    df = db.query("SELECT DISTINCT period FROM indicators WHERE indicator = ? ORDER BY period", [indicator])
    return [int(v) for v in df["period"]]


def indicator_defs(db: Database) -> pd.DataFrame:
    """Known indicators with their names, units and aggregation rules."""
    return db.query("SELECT * FROM indicator_defs ORDER BY indicator")


def indicator_values(db: Database, level: str, parent_prefix: str, indicator: str,
                     period: int) -> pd.DataFrame:
    """Values of one indicator for all areas of a level under a code prefix, with name and source.

    Several sources for the same area are returned side by side (one row each), never merged.
    """
    return db.query("""
        SELECT a.kode, a.nama, i.value, i.unit, i.source, i.is_synthetic
        FROM areas a JOIN indicators i ON i.kode = a.kode
        WHERE a.level = ? AND a.kode LIKE ? AND i.indicator = ? AND i.period = ?
        ORDER BY a.kode, i.source""", [level, under(parent_prefix), indicator, period])


def area_indicators(db: Database, kode: str, period: int, indicators: list[str]) -> pd.DataFrame:
    """Values of some indicators for one area and year (real sources before synthetic ones)."""
    return db.query("""SELECT indicator, value, source, is_synthetic FROM indicators
                       WHERE kode = ? AND period = ? AND list_contains(?, indicator)
                       ORDER BY is_synthetic, source""", [kode, period, indicators])


def poverty_line(db: Database, kode: str) -> pd.DataFrame:
    """The newest year in which area ``kode`` has the garis kemiskinan, P0 and P1 (with P2 when present):
    one row with ``period``, ``garis_kemiskinan``, ``p0``, ``p1``, ``p2`` and ``is_synthetic`` (real sources
    before synthetic ones), or no row."""
    return db.query("""WITH v AS (
                           SELECT period, indicator, value, is_synthetic FROM indicators
                           WHERE kode = ? AND indicator IN ('garis_kemiskinan', 'p0', 'p1', 'p2') AND value IS NOT NULL
                           QUALIFY row_number() OVER (PARTITION BY period, indicator ORDER BY is_synthetic, source) = 1)
                       SELECT period,
                              max(value) FILTER (WHERE indicator = 'garis_kemiskinan') AS garis_kemiskinan,
                              max(value) FILTER (WHERE indicator = 'p0') AS p0,
                              max(value) FILTER (WHERE indicator = 'p1') AS p1,
                              max(value) FILTER (WHERE indicator = 'p2') AS p2, bool_or(is_synthetic) AS is_synthetic
                       FROM v GROUP BY period
                       HAVING garis_kemiskinan IS NOT NULL AND p0 IS NOT NULL AND p1 IS NOT NULL
                       ORDER BY period DESC LIMIT 1""", [kode])


def indicator_sources(db: Database, level: str, prefix: str, indicator: str, period: int) -> pd.DataFrame:
    """Sources holding ``indicator`` for areas of a level under a prefix: source, is_synthetic, n."""
    return db.query("""SELECT i.source, bool_and(i.is_synthetic) AS is_synthetic, count(*) AS n
                       FROM indicators i JOIN areas a ON a.kode = i.kode
                       WHERE a.level = ? AND a.kode LIKE ? AND i.indicator = ? AND i.period = ?
                       GROUP BY 1 ORDER BY 2, 3 DESC, 1""", [level, under(prefix), indicator, period])


def priority_areas(db: Database, prov: str) -> pd.DataFrame:
    """Shortlisted areas of a province with their name and their kabupaten and kecamatan names."""
    return db.query("""
        SELECT p.kode, a.nama, p.level, kab.nama AS kabupaten, kec.nama AS kecamatan, p.reason,
               p.indicator, p.period, p.value, p.source, p.added_by, p.added_at
        FROM priority_areas p JOIN areas a ON a.kode = p.kode
        LEFT JOIN areas kab ON kab.kode = substr(p.kode, 1, 5) AND p.level <> 'kabupaten'
        LEFT JOIN areas kec ON kec.kode = substr(p.kode, 1, 8) AND p.level = 'desa'
        WHERE p.kode LIKE ? ORDER BY p.added_at, p.kode""", [under(prov)])


def in_shortlist(db: Database, kode: str) -> bool:
    """Whether an area is already on the priority shortlist."""
    return bool(db.scalar("SELECT count(*) FROM priority_areas WHERE kode = ?", [kode]))


def register_sources(db: Database, prov: str) -> pd.DataFrame:
    """Register sources and years stored for a province: source, period, is_synthetic, households."""
    return db.query("""SELECT source, period, bool_and(is_synthetic) AS is_synthetic, sum(households) AS households
                       FROM register_agg WHERE kode LIKE ? GROUP BY 1, 2 ORDER BY 3, 1, 2 DESC""", [under(prov)])


def register_rows(db: Database, scope: str, period: int, source: str) -> pd.DataFrame:
    """Register aggregates of the desa under ``scope`` with desa and kecamatan names."""
    return db.query("""
        SELECT r.kode, a.nama, k.nama AS kecamatan, r.desil, r.sektor, r.sex_head, r.disability, r.households,
               r.persons
        FROM register_agg r JOIN areas a ON a.kode = r.kode LEFT JOIN areas k ON k.kode = a.parent
        WHERE r.kode LIKE ? AND r.period = ? AND r.source = ?""", [under(scope), period, source])


_PREFIX_LEN = {"provinsi": 2, "kabupaten": 5, "kecamatan": 8, "desa": 13}


def indicator_all_sources(db: Database, level: str, prefix: str, indicator: str, period: int) -> pd.DataFrame:
    """Every source's value of an indicator for the areas of a level under a prefix (long form), including
    household counts per desil derived from stored registers (source named '<register> (register)')."""
    df = db.query("""
        SELECT a.kode, a.nama, i.source, i.is_synthetic, i.value FROM indicators i JOIN areas a ON a.kode = i.kode
        WHERE a.level = ? AND a.kode LIKE ? AND i.indicator = ? AND i.period = ?""",
                  [level, under(prefix), indicator, period])
    if indicator.startswith("ruta_desil_") and level != "provinsi":
        desil = int(indicator.rsplit("_", 1)[1])
        reg = db.query(f"""
            SELECT a.kode, a.nama, r.source || ' (register)' AS source, bool_and(r.is_synthetic) AS is_synthetic,
                   sum(r.households)::DOUBLE AS value
            FROM register_agg r JOIN areas a ON a.kode = substr(r.kode, 1, {_PREFIX_LEN[level]})
            WHERE r.kode LIKE ? AND r.period = ? AND r.desil = ? GROUP BY 1, 2, 3""", [under(prefix), period, desil])
        df = pd.concat([df, reg], ignore_index=True)
    return df


def multi_source_indicators(db: Database, prov: str) -> pd.DataFrame:
    """Indicator, period and level combinations where at least two sources exist in a province."""
    return db.query("""
        SELECT i.indicator, i.period, a.level, count(DISTINCT i.source) AS n_sources
        FROM indicators i JOIN areas a ON a.kode = i.kode WHERE a.kode LIKE ?
        GROUP BY 1, 2, 3 HAVING count(DISTINCT i.source) > 1 ORDER BY 2 DESC, 1, 3""", [under(prov)])


def register_desa(db: Database, kode: str, period: int, source: str) -> pd.DataFrame:
    """Register aggregates of one desa: desil, sektor, sex_head, disability, households."""
    return db.query("""SELECT desil, sektor, sex_head, disability, households FROM register_agg
                       WHERE kode = ? AND period = ? AND source = ?""", [kode, period, source])


def households_in(db: Database, kabupaten: str, period: int, source: str, prefixes: list[str]) -> pd.DataFrame:
    """Register aggregates (kode, desil, sektor, households) of the desa of a kabupaten whose code starts
    with one of ``prefixes`` (all of the kabupaten when the list is empty)."""
    rows = db.query("""SELECT kode, desil, sektor, households FROM register_agg
                       WHERE kode LIKE ? AND period = ? AND source = ?""", [under(kabupaten), period, source])
    if prefixes:
        inside = [any(k == p or k.startswith(p + ".") for p in prefixes) for k in rows["kode"]]
        rows = rows[pd.Series(inside, index=rows.index, dtype=bool)]  # an empty mask stays a mask
    return rows


def sector_overrides(db: Database) -> dict[str, bool]:
    """The planner's productive/not-productive settings of register sector labels (normalised label → bool)."""
    rows = db.query("SELECT label, productive FROM sector_map ORDER BY label")
    return dict(zip(rows["label"], rows["productive"].astype(bool), strict=True))


def set_sectors(db: Database, role: str | None, actor: str, settings: dict[str, bool]) -> int:
    """Store whether each register sector label (normalised by the caller) counts as productive. Returns
    how many labels were set."""
    auth.require(role, "import_data")
    if not settings:
        return 0
    now = datetime.now()

    def fn(cur: duckdb.DuckDBPyConnection) -> int:
        for label, productive in settings.items():
            cur.execute("""INSERT INTO sector_map VALUES (?, ?, ?, ?) ON CONFLICT (label) DO UPDATE SET
                           productive = excluded.productive, updated_by = excluded.updated_by,
                           updated_at = excluded.updated_at""", [label, bool(productive), actor, now])
        return len(settings)

    shown = ", ".join(f"{k}={'ya' if v else 'tidak'}" for k, v in list(settings.items())[:10])
    return db.write(actor, "register.sectors", f"{len(settings)} sektor: {shown}", fn)


def add_to_shortlist(db: Database, role: str | None, actor: str, kode: str, reason: str,
                     indicator: str | None = None, period: int | None = None, value: float | None = None,
                     source: str | None = None) -> None:
    """Put an area on the shortlist with a reason (planners and admins)."""
    auth.require(role, "edit_shortlist")
    reason = (reason or "").strip()
    if len(reason) < 3:
        raise ValueError("Tuliskan alasan (minimal 3 karakter) mengapa wilayah ini diprioritaskan.")
    info = core_store.area_names(db, [kode])
    if kode not in info:
        raise ValueError(f"Kode wilayah {kode} tidak dikenal.")
    if in_shortlist(db, kode):
        raise ValueError(f"{info[kode]} ({kode}) sudah ada di daftar prioritas.")

    def fn(cur: duckdb.DuckDBPyConnection) -> None:
        cur.execute("INSERT INTO priority_areas VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [kode, level_of(kode), reason, indicator, period,
                     None if value is None or pd.isna(value) else float(value), source, actor, datetime.now()])

    db.write(actor, "shortlist.add", f"{kode}: {reason}", fn)


def remove_from_shortlist(db: Database, role: str | None, actor: str, kode: str) -> None:
    """Take an area off the shortlist."""
    auth.require(role, "edit_shortlist")
    db.write(actor, "shortlist.remove", kode,
             lambda cur: cur.execute("DELETE FROM priority_areas WHERE kode = ?", [kode]))
