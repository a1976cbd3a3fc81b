"""Read queries (SQL kept in one place so the engine can change)."""

from __future__ import annotations

import pandas as pd
import shapely

from analytics.core import auth, geometry
from analytics.core.db import Database

LAYERS: tuple[str, ...] = ("areas", "geometry", "indicators", "register", "production")


def provinces(db: Database) -> pd.DataFrame:
    """Provinces present in the database (kode, nama)."""
    return db.query("SELECT kode, nama FROM areas WHERE level = 'provinsi' ORDER BY kode")


def area_counts(db: Database, prov: str) -> dict[str, int]:
    """Number of areas per level in a province."""
    df = db.query("SELECT level, count(*) AS n FROM areas WHERE kode = ? OR kode LIKE ? GROUP BY level",
                  [prov, prov + ".%"])
    return {str(r.level): int(r.n) for r in df.itertuples()}


def geometry_sources(db: Database, prov: str) -> dict[str, int]:
    """Areas per geometry source (official / approximate) in a province."""
    df = db.query("SELECT geom_source, count(*) AS n FROM areas WHERE kode LIKE ? GROUP BY 1",
                  [prov + ".%"])
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
                  [level, parent_prefix + ".%"])
    geoms = shapely.from_wkb([bytes(b) for b in df["geom_display"]])
    return df.drop(columns=["geom_display"]).assign(geometry=geoms)


def area_geojson(db: Database, level: str, parent_prefix: str) -> str:
    """Compact GeoJSON (code, name) of a level under a code prefix, for maps.

    Coordinates have 5 decimals (about 1 m), or 4 (about 11 m, far below a pixel at that zoom) for the
    whole province's desa, the one map large enough for the difference to matter.
    """
    precision = 4 if level == "desa" and "." not in parent_prefix else 5
    return geometry.to_geojson(area_shapes(db, level, parent_prefix), ["kode", "nama"], precision)


def has_synthetic(db: Database) -> bool:
    """Whether any synthetic layer is stored."""
    return bool(db.scalar("SELECT count(*) FROM imports WHERE is_synthetic"))


def area_names(db: Database, codes: list[str]) -> dict[str, str]:
    """Names of the given area codes (unknown codes are absent)."""
    if not codes:
        return {}
    df = db.query("SELECT kode, nama FROM areas WHERE list_contains(?, kode)", [list(codes)])
    return dict(zip(df["kode"], df["nama"]))


def area_full_geometry(db: Database, codes: list[str]) -> pd.DataFrame:
    """Full (unsimplified) geometry of the given areas: columns ``kode``, ``geometry`` (shapely)."""
    df = db.query("SELECT kode, geom FROM areas WHERE list_contains(?, kode) AND geom IS NOT NULL",
                  [list(codes)])
    return pd.DataFrame({"kode": df["kode"], "geometry": shapely.from_wkb([bytes(b) for b in df["geom"]])})


def area_table(db: Database) -> pd.DataFrame:
    """Every stored area's code, name, level and kota flag (for matching uploaded files)."""
    return db.query("SELECT kode, nama, level, is_kota FROM areas ORDER BY kode")


def province_bounds(db: Database, prov: str) -> tuple[float, float, float, float]:
    """(west, south, east, north) of the official centre points of a province's areas."""
    row = db.query("SELECT min(lon) w, min(lat) s, max(lon) e, max(lat) n FROM areas WHERE kode LIKE ?",
                   [prov + ".%"]).iloc[0]
    return float(row["w"]), float(row["s"]), float(row["e"]), float(row["n"])


# ---------------------------------------------------------------------- commodity workshops


# ---------------------------------------------------------------------- value chains


def delete_synthetic(cur, parent: str, children: tuple[str, ...], key: str) -> None:
    """Inside a write transaction: delete the synthetic rows of ``parent`` and every row of ``children``
    whose ``key`` points at one of them (real rows are left alone)."""
    assert parent in {"vc_chains", "bm_models", "rc_chains", "pci_groups", "adkar_respondents"}
    old = [r[0] for r in cur.execute(f"SELECT id FROM {parent} WHERE is_synthetic").fetchall()]
    for table in children:
        cur.execute(f"DELETE FROM {table} WHERE list_contains(?, {key})", [old])
    cur.execute(f"DELETE FROM {parent} WHERE is_synthetic")


def replace_rows(cur, table: str, key: dict[str, object], frame: pd.DataFrame, position: bool = False) -> int:
    """Inside a write transaction: delete the rows of ``table`` matching ``key`` (column → value) and
    insert ``frame`` with those key values (and a 0-based ``position`` column when asked)."""
    assert table in {"vc_actors", "vc_flows", "vc_system", "vc_problems", "bm_actors", "bm_lines", "bm_outreach",
                     "bm_budget", "pci_levels", "pci_weights", "rc_boxes", "rc_indicators"}
    out = frame.copy()
    if position:
        out.insert(0, "position", range(len(out)))
    where = " AND ".join(f"{k} = ?" for k in key)
    cur.execute(f"DELETE FROM {table} WHERE {where}", list(key.values()))
    cur.register("new_rows", out)
    cols = ", ".join(out.columns)
    keys = ", ".join(key)
    marks = ", ".join("?" for _ in key)
    cur.execute(f"INSERT INTO {table} ({keys}, {cols}) SELECT {marks}, {cols} FROM new_rows", list(key.values()))
    cur.unregister("new_rows")
    return len(out)


# ---------------------------------------------------------------------- monitoring: PCI


# ---------------------------------------------------------------------- monitoring: ADKAR


# ---------------------------------------------------------------------- monitoring: results chain, reviews


def area_points(db: Database, codes: list[str]) -> pd.DataFrame:
    """Names and official centre points of areas: kode, nama, lat, lon."""
    return db.query("SELECT kode, nama, lat, lon FROM areas WHERE list_contains(?, kode)", [codes])


SYNTHETIC_SOURCE = "Data contoh (sintetis)"
