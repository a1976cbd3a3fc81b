"""Shared reads and store helpers: the stored areas (names, codes, shapes, centre points, GeoJSON for
maps), the data status and audit (admin), the synthetic label, and the child-table helpers every stage
store uses (:class:`ChildTable`, :func:`child_rows`, :func:`replace_rows`, :func:`delete_synthetic`).

SQL lives in ``store`` modules (this one and one per stage), so the engine can change in one place."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd
import shapely

from analytics.core import auth, geometry
from analytics.core.db import Database

LAYERS: tuple[str, ...] = ("areas", "geometry", "indicators", "register", "production")


def provinces(db: Database) -> pd.DataFrame:
    """Provinces present in the database (kode, nama)."""
    return db.query("SELECT kode, nama FROM areas WHERE level = 'provinsi' ORDER BY kode")


def under(prefix: str) -> str:
    """The LIKE pattern of the areas under a code prefix; ``""`` (the whole country) is every area.

    >>> under("35.07"), under("")
    ('35.07.%', '%')
    """
    return prefix + ".%" if prefix else "%"


def area_counts(db: Database, prov: str) -> dict[str, int]:
    """Number of areas per level in a province."""
    df = db.query("SELECT level, count(*) AS n FROM areas WHERE kode = ? OR kode LIKE ? GROUP BY level",
                  [prov, under(prov)])
    return {str(r.level): int(r.n) for r in df.itertuples()}


def geometry_sources(db: Database, prov: str) -> dict[str, int]:
    """Areas per geometry source (official / approximate) in a province."""
    df = db.query("SELECT geom_source, count(*) AS n FROM areas WHERE kode LIKE ? GROUP BY 1",
                  [under(prov)])
    return {str(r.geom_source): int(r.n) for r in df.itertuples()}


def data_status(db: Database) -> pd.DataFrame:
    """One row per data layer: rows, sources, whether synthetic / approximate, last import.

    Columns: ``layer``, ``n_rows``, ``sources``, ``synthetic`` (all rows synthetic), ``mixed`` (some
    synthetic, some real), ``approximate`` (geometry only), ``last_import``.
    """
    counts = db.query("""
        SELECT 'indicators' AS layer, count(*) AS n, count(*) FILTER (WHERE is_synthetic) AS n_syn,
               string_agg(DISTINCT source, '; ' ORDER BY source) AS sources FROM indicators
        UNION ALL
        SELECT 'register', count(*), count(*) FILTER (WHERE is_synthetic),
               string_agg(DISTINCT source, '; ' ORDER BY source) FROM register_agg
        UNION ALL
        SELECT 'production', count(*), count(*) FILTER (WHERE is_synthetic),
               string_agg(DISTINCT source, '; ' ORDER BY source) FROM production
        UNION ALL
        SELECT 'areas', count(*), 0, string_agg(DISTINCT name_source, '; ') FROM areas
        UNION ALL
        SELECT 'geometry', count(geom), 0, string_agg(DISTINCT geom_source, '; ' ORDER BY geom_source)
        FROM areas""")
    approx = db.scalar("SELECT count(*) FROM areas WHERE geom_source = 'approximate'") or 0
    last = db.query("SELECT layer, max(ts) AS last_import FROM imports GROUP BY layer")
    out = counts.merge(last, on="layer", how="left")
    out["synthetic"] = (out["n"] > 0) & (out["n_syn"] == out["n"])
    out["mixed"] = (out["n_syn"] > 0) & (out["n_syn"] < out["n"])
    out["approximate"] = (out["layer"] == "geometry") & (approx > 0)
    out = out.rename(columns={"n": "n_rows"})
    out["layer"] = pd.Categorical(out["layer"], LAYERS, ordered=True)
    return out.sort_values("layer")[["layer", "n_rows", "sources", "synthetic", "mixed", "approximate",
                                     "last_import"]].reset_index(drop=True)


def layer_source_counts(db: Database, role: str | None) -> pd.DataFrame:
    """Rows per layer, source and year (admin's Data page)."""
    auth.require(role, "view_data_status")
    return db.query("""
        SELECT 'indicators' AS layer, source, period, is_synthetic, count(*) AS n FROM indicators GROUP BY ALL
        UNION ALL
        SELECT 'register', source, period, is_synthetic, count(*) FROM register_agg GROUP BY ALL
        UNION ALL
        SELECT 'production', source, period, is_synthetic, count(*) FROM production GROUP BY ALL
        ORDER BY 1, 2, 3""")


def last_import(db: Database) -> pd.Timestamp | None:
    """Time of the most recent import of any layer."""
    return db.scalar("SELECT max(ts) FROM imports")


def audit_tail(db: Database, role: str | None, limit: int = 50) -> pd.DataFrame:
    """The newest audit entries (admin only)."""
    auth.require(role, "view_audit")
    return db.query("SELECT ts, actor, action, detail FROM audit_log ORDER BY id DESC LIMIT ?", [limit])


def area_shapes(db: Database, level: str, parent_prefix: str) -> pd.DataFrame:
    """Display geometry (shapely, EPSG:4326, column ``geometry``) of all areas of a level under a prefix."""
    df = db.query("""SELECT kode, nama, geom_source, geom_display FROM areas
                     WHERE level = ? AND kode LIKE ? AND geom_display IS NOT NULL ORDER BY kode""",
                  [level, under(parent_prefix)])
    geoms = shapely.from_wkb([bytes(b) for b in df["geom_display"]])
    return df.drop(columns=["geom_display"]).assign(geometry=geoms)


def area_geojson(db: Database, level: str, parent_prefix: str) -> str:
    """Compact GeoJSON (code, name) of a level under a code prefix, for maps.

    Coordinates have 5 decimals (about 1 m), or 4 (about 11 m, far below a pixel at that zoom) for the
    whole province's desa, the one map large enough for the difference to matter. The map of Indonesia
    (``parent_prefix`` ``""``: its provinces or 514 kabupaten/kota, a pixel being some 5 km) is simplified
    further, shared borders kept shared (:data:`NATIONAL_TOLERANCE`), with 3 decimals (about 110 m): about
    0,6 MB for the kabupaten instead of 2,3.
    """
    shapes = area_shapes(db, level, parent_prefix)
    if not parent_prefix and level != "provinsi":  # provinces are stored simplified for this map
        shapes["geometry"] = shapely.make_valid(shapely.coverage_simplify(shapes["geometry"].to_numpy(),
                                                                          NATIONAL_TOLERANCE))
        return geometry.to_geojson(shapes, ["kode", "nama"], 3)
    precision = 4 if level == "desa" and "." not in parent_prefix else 5
    return geometry.to_geojson(shapes, ["kode", "nama"], precision)


NATIONAL_TOLERANCE = 0.02
"""Simplification (degrees, about 2 km: under half a pixel of the map of Indonesia) of its shapes."""


def has_synthetic(db: Database) -> bool:
    """Whether any synthetic layer is stored."""
    return bool(db.scalar("SELECT count(*) FROM imports WHERE is_synthetic"))


def area_names(db: Database, codes: list[str]) -> dict[str, str]:
    """Names of the given area codes (unknown codes are absent)."""
    if not codes:
        return {}
    df = db.query("SELECT kode, nama FROM areas WHERE list_contains(?, kode)", [list(codes)])
    return dict(zip(df["kode"], df["nama"], strict=False))


def area_full_geometry(db: Database, codes: list[str]) -> pd.DataFrame:
    """Full (unsimplified) geometry of the given areas: columns ``kode``, ``geometry`` (shapely)."""
    df = db.query("SELECT kode, geom FROM areas WHERE list_contains(?, kode) AND geom IS NOT NULL",
                  [list(codes)])
    return pd.DataFrame({"kode": df["kode"], "geometry": shapely.from_wkb([bytes(b) for b in df["geom"]])})


def area_table(db: Database, prov: str | None = None) -> pd.DataFrame:
    """Every stored area's (or province ``prov``'s) code, name, level, kota flag and official centre
    point (for matching and checking uploaded files)."""
    if prov is None:
        return db.query("SELECT kode, nama, level, is_kota, lon, lat FROM areas ORDER BY kode")
    return db.query("SELECT kode, nama, level, is_kota, lon, lat FROM areas WHERE kode = ? OR kode LIKE ? "
                    "ORDER BY kode", [prov, under(prov)])


def last_write(db: Database) -> int:
    """The id of the newest audited write (every write is audited): changes whenever stored data do."""
    return int(db.scalar("SELECT coalesce(max(id), 0) FROM audit_log") or 0)


def crosswalk(db: Database) -> pd.DataFrame:
    """The stored BPS-Kemendagri pairs (kode_bps as ten digits, kode_kemendagri dotted, metode, keyakinan)."""
    return db.query("SELECT kode_bps, kode_kemendagri, metode, keyakinan, sumber FROM crosswalk ORDER BY kode_bps")


def column_mapping(db: Database, source: str) -> dict | None:
    """The column mapping saved for ``source`` (``{"columns": [...], "file": ..., "saved_at": ...}``), or
    None."""

    row = db.query("SELECT mapping, file, saved_by, saved_at FROM column_mappings WHERE lower(source) = lower(?)",
                   [source.strip()])
    if row.empty:
        return None
    return {"columns": json.loads(row["mapping"].iat[0]), "file": str(row["file"].iat[0]),
            "saved_by": str(row["saved_by"].iat[0]), "saved_at": row["saved_at"].iat[0]}


def save_column_mapping(cur, source: str, columns: list[dict], file: str, actor: str) -> None:  # noqa: ANN001
    """Inside a write: keep ``columns`` (the value columns of a table import, as dicts) as ``source``'s
    mapping, replacing the one saved before."""

    cur.execute("DELETE FROM column_mappings WHERE lower(source) = lower(?)", [source.strip()])
    cur.execute("INSERT INTO column_mappings VALUES (?, ?, ?, ?, now())",
                [source.strip(), json.dumps(columns, ensure_ascii=False), file, actor])


def save_crosswalk(cur, pairs: pd.DataFrame, source: str) -> int:  # noqa: ANN001 (a DuckDB cursor)
    """Inside a write: insert or replace the pairs (kode_bps, kode_kemendagri, metode, keyakinan); a
    Kemendagri desa now paired with another BPS code loses its old pair. Returns how many were written."""
    if pairs.empty:
        return 0
    rows = pairs[["kode_bps", "kode_kemendagri", "metode", "keyakinan"]].assign(sumber=source)
    cur.register("new_pairs", rows)
    cur.execute("""DELETE FROM crosswalk WHERE kode_bps IN (SELECT kode_bps FROM new_pairs)
                   OR kode_kemendagri IN (SELECT kode_kemendagri FROM new_pairs)""")
    cur.execute("""INSERT INTO crosswalk SELECT kode_bps, kode_kemendagri, metode, keyakinan, sumber, now()
                   FROM new_pairs""")
    cur.unregister("new_pairs")
    return len(rows)


def kabupaten_sizes(db: Database, prov: str = "") -> dict[str, float]:
    """Each kabupaten/kota's (of province ``prov``, or every one) stored polygon area in square degrees
    (official or approximate), for checking that an uploaded desa or kecamatan is not larger than the
    kabupaten it belongs to."""
    import shapely

    df = db.query("SELECT kode, geom FROM areas WHERE level = 'kabupaten' AND geom IS NOT NULL AND kode LIKE ?",
                  [f"{prov}%"])
    if df.empty:
        return {}
    areas = shapely.area(shapely.from_wkb([bytes(g) for g in df["geom"]]))
    return dict(zip(df["kode"], (float(a) for a in areas), strict=True))


def province_bounds(db: Database, prov: str | None = None) -> tuple[float, float, float, float]:
    """(west, south, east, north) of the official centre points of a province's areas (of every stored
    area without ``prov``)."""
    row = db.query("SELECT min(lon) w, min(lat) s, max(lon) e, max(lat) n FROM areas WHERE kode LIKE ?",
                   [under(prov or "")]).iloc[0]
    return float(row["w"]), float(row["s"]), float(row["e"]), float(row["n"])


# ---------------------------------------------------------------------- child tables of the stages' records
_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")


def _ident(*names: str) -> None:
    """Table and column names go into SQL text, so they must be plain identifiers (they come from the stage
    stores' own constants, never from a user; this check keeps it that way)."""
    for name in names:
        if not _IDENT.match(name):
            raise ValueError(f"not a plain SQL identifier: {name!r}")


@dataclass(frozen=True)
class ChildTable:
    """A table whose rows belong to one record of a parent table (a chain's actors, a model's lines…):
    its name, the column pointing at the parent, and the order its rows are read back in."""

    name: str
    key: str
    order: str = "rowid"
    position: bool = False  # rows carry a 0-based ``position`` column written by :func:`replace_rows`

    def __post_init__(self) -> None:
        _ident(self.name, self.key, *[c.strip() for c in self.order.split(",")])


def child_rows(db: Database, table: ChildTable, parent_id: int, columns: list[str]) -> pd.DataFrame:
    """The rows of ``table`` belonging to one parent record, ``columns`` only, in the table's order.

    >>> db = Database(":memory:")
    >>> t = ChildTable("vc_flows", "chain_id", "position", position=True)
    >>> child_rows(db, t, 1, ["dari", "ke"]).columns.tolist()
    ['dari', 'ke']
    >>> child_rows(db, ChildTable("vc_flows", "chain_id"), 1, ["dari; DROP TABLE areas"])
    Traceback (most recent call last):
    ValueError: not a plain SQL identifier: 'dari; DROP TABLE areas'
    """
    _ident(*columns)
    return db.query(f"SELECT {', '.join(columns)} FROM {table.name} WHERE {table.key} = ? ORDER BY {table.order}",
                    [parent_id])


def replace_rows(cur, table: ChildTable, parent_id: int, frame: pd.DataFrame,
                 within: dict[str, object] | None = None) -> int:
    """Inside a write transaction: replace the rows of ``table`` belonging to one parent record (and, with
    ``within``, only those whose columns hold these values too, e.g. one actor's lines of a model) with
    ``frame`` (numbered in a ``position`` column when the table keeps one). Returns the rows written."""
    out = frame.copy()
    if table.position:
        out.insert(0, "position", range(len(out)))
    key = {table.key: parent_id, **(within or {})}
    _ident(*key, *map(str, out.columns))
    cur.execute(f"DELETE FROM {table.name} WHERE {' AND '.join(f'{k} = ?' for k in key)}", list(key.values()))
    cur.register("new_rows", out)
    cols = ", ".join(out.columns)
    marks = ", ".join("?" for _ in key)
    cur.execute(f"INSERT INTO {table.name} ({', '.join(key)}, {cols}) SELECT {marks}, {cols} FROM new_rows",
                list(key.values()))
    cur.unregister("new_rows")
    return len(out)


def delete_synthetic(cur, parent: str, children: tuple[ChildTable, ...]) -> None:
    """Inside a write transaction: delete the synthetic rows of ``parent`` and every row of ``children``
    pointing at one of them (real rows are left alone)."""
    _ident(parent)
    old = [r[0] for r in cur.execute(f"SELECT id FROM {parent} WHERE is_synthetic").fetchall()]
    for table in children:
        cur.execute(f"DELETE FROM {table.name} WHERE list_contains(?, {table.key})", [old])
    cur.execute(f"DELETE FROM {parent} WHERE is_synthetic")


def area_points(db: Database, codes: list[str]) -> pd.DataFrame:
    """Names and official centre points of areas: kode, nama, lat, lon."""
    return db.query("SELECT kode, nama, lat, lon FROM areas WHERE list_contains(?, kode)", [codes])


SYNTHETIC_SOURCE = "Data contoh (sintetis)"


TWIN_SECONDS = 60
"""A creation identical to one made by the same person this many seconds ago is the same click twice."""


def recent_twin(cur, table: str, match: dict[str, object], now: datetime,  # noqa: ANN001 (a DuckDB cursor)
                seconds: int = TWIN_SECONDS) -> int | None:
    """Inside a write transaction: the id of a row of ``table`` equal to ``match`` on every given column and
    created (``created_at``) less than ``seconds`` before ``now``, if there is one. Creation functions return
    it instead of inserting again, so a double click, a resubmitted form or a second tab cannot make the
    same workshop, chain or model twice."""
    _ident(table, *match)
    where = " AND ".join(f"{c} IS NOT DISTINCT FROM ?" for c in match)
    row = cur.execute(f"SELECT id FROM {table} WHERE {where} AND created_at >= ? ORDER BY id DESC LIMIT 1",
                      [*match.values(), now - timedelta(seconds=seconds)]).fetchone()
    return None if row is None else int(row[0])
