"""Build and rebuild the embedded default: real region list, approximate areas, synthetic demo layer."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from datetime import datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import shapely

from analytics.core import auth, geometry, regions, settings, transfer
from analytics.core import store as core_store
from analytics.core.db import Database, exists
from analytics.core.pg import is_url as pg_url
from analytics.demo import chains as demo_chains
from analytics.demo import monitoring as demo_monitoring
from analytics.demo import synthetic
from analytics.valuechain.store import TABLES, replace_rows

PROVINCE = "35"  # Jawa Timur: the province of the demo value chains, models and monitoring records
GEOM_ORIGIN = "Perkiraan: sel Voronoi dari titik pusat resmi desa, dipotong garis pantai (global-land-mask)"
GEOM_ORIGIN_NO_POINT = ("Perkiraan, lokasi titik tidak tersedia: daftar wilayah tidak memuat titik pusat desa ini; "
                        "selnya dibuat di sekitar titik pusat kecamatannya")


def demo_provinces(value: str | None = None) -> list[str]:
    """The provinces the synthetic demo layer covers, from the ``demo_data`` setting: ``all``, ``jatim``,
    ``none`` or codes separated by commas.

    >>> demo_provinces("jatim"), demo_provinces("none"), demo_provinces("73, 35"), len(demo_provinces("all"))
    (['35'], [], ['35', '73'], 38)
    """
    value = (settings.get("demo_data") if value is None else value).strip().lower()
    every = regions.province_codes()
    if value == "all":
        return every
    if value in ("jatim", "35"):
        return [PROVINCE]
    if value in ("none", ""):
        return []
    codes = sorted({c.strip() for c in value.split(",") if c.strip()})
    unknown = [c for c in codes if c not in every]
    if unknown:
        raise ValueError(f"PERANTARA_DEMO_DATA: kode provinsi tidak dikenal: {', '.join(unknown)}")
    return codes


def _new_import(cur: duckdb.DuckDBPyConnection, actor: str, layer: str, source: str, n_rows: int,
                is_synthetic: bool, note: str, file_name: str | None = None) -> int:
    import_id = int(cur.execute("SELECT nextval('import_seq')").fetchone()[0])
    cur.execute("INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [import_id, datetime.now(), actor, layer, source, file_name, n_rows, is_synthetic, note])
    return import_id


def area_frame(areas: pd.DataFrame, cells: dict[str, shapely.Geometry]) -> pd.DataFrame:
    """One province's areas (:func:`analytics.core.regions.load_province`) with approximate nested
    geometry, ready for the ``areas`` table, from its desa's cells in the country's Voronoi diagram
    (``cells``: desa code → cell, see :func:`national_frame`)."""
    mine = np.asarray([cells[k] for k in geometry.seed_points(areas)["kode"]], dtype=object)
    geo = geometry.approximate_areas(areas, cells=mine)
    levels = geo["kode"].map(regions.level_of)
    display = geo.geometry.copy()
    for level, tol in (("provinsi", 0.003), ("kabupaten", 0.002), ("kecamatan", 0.0015), ("desa", 0.001)):
        mask = (levels == level).to_numpy()
        display[mask] = geometry.simplify_for_display(geo[mask].reset_index(drop=True), tol).to_numpy()
    geo = geo.assign(geom=shapely.to_wkb(geo.geometry.to_numpy()),
                     geom_display=shapely.to_wkb(display.to_numpy()))
    out = areas.merge(pd.DataFrame(geo[["kode", "coastal", "point_missing", "geom", "geom_display"]]), on="kode",
                      how="left")
    out["geom_origin"] = out["point_missing"].astype("boolean").fillna(False).map(
        {True: GEOM_ORIGIN_NO_POINT, False: GEOM_ORIGIN}).astype(str)
    return out.drop(columns=["point_missing"])


def national_frame(provinces: list[str] | None = None) -> pd.DataFrame:
    """:func:`area_frame` for every province (or ``provinces``), all cut from one Voronoi diagram of the
    country's 83,762 desa, so neighbouring provinces share their borders exactly."""
    every = {p: regions.load_province(p) for p in regions.province_codes()}
    seeds = pd.concat([geometry.seed_points(a) for a in every.values()], ignore_index=True)
    bbox = geometry.BBox(seeds["lon"].min(), seeds["lat"].min(), seeds["lon"].max(), seeds["lat"].max()).padded(1.0)
    cells = dict(zip(seeds["kode"], geometry.voronoi_cells(seeds, bbox), strict=True))
    frame = pd.concat([area_frame(every[p], cells) for p in provinces or every], ignore_index=True)
    # a province's shape is only ever drawn on the map of Indonesia: simplified for it, all together so
    # neighbouring provinces keep sharing their borders
    prov = (frame["level"] == "provinsi").to_numpy()
    full = shapely.from_wkb(frame.loc[prov, "geom"].to_numpy())
    frame.loc[prov, "geom_display"] = shapely.to_wkb(
        shapely.make_valid(shapely.coverage_simplify(full, core_store.NATIONAL_TOLERANCE)))
    return frame


def load_areas(db: Database, actor: str, frame: pd.DataFrame) -> None:
    """Replace the areas of the frame's provinces (all-or-nothing, audited)."""
    provs = sorted(frame["kode"].str[:2].unique())
    rows = pd.DataFrame({
        "kode": frame["kode"], "nama": frame["nama"], "level": frame["level"], "parent": frame["parent"],
        "is_kota": frame["is_kota"].astype(bool), "lat": frame["lat"], "lon": frame["lon"],
        "geom": frame["geom"], "geom_display": frame["geom_display"], "geom_source": "approximate",
        "geom_origin": frame["geom_origin"] if "geom_origin" in frame else GEOM_ORIGIN,
        "name_source": regions.SOURCE_NAME,
        "coastal": frame["coastal"].astype("boolean").fillna(False).astype(bool)})

    def fn(cur: duckdb.DuckDBPyConnection) -> None:
        cur.execute("DELETE FROM areas WHERE left(kode, 2) IN (SELECT unnest(CAST(? AS VARCHAR[])))", [provs])
        cur.register("new_areas", rows)
        cols = ", ".join(rows.columns)  # by name, written out: the same SQL on both stores
        cur.execute(f"INSERT INTO areas ({cols}) SELECT {cols} FROM new_areas")
        cur.unregister("new_areas")
        _new_import(cur, actor, "areas", regions.SOURCE_NAME, len(rows), False,
                    "Daftar wilayah resmi (kode Kemendagri 2025) dari paket")
        _new_import(cur, actor, "geometry", "Perkiraan dari titik pusat", len(rows), False, GEOM_ORIGIN)

    db.write(actor, "areas.load", f"provinsi {', '.join(provs)}: {len(rows)} wilayah", fn)


def rebuild_demo(db: Database, role: str | None, actor: str, seed: int | None = None) -> dict[str, int]:
    """Regenerate the synthetic demo layer (admin only). Real imported data are left untouched.

    Returns the number of rows written per table.
    """
    auth.require(role, "rebuild_demo")
    seed = settings.get_int("seed") if seed is None else seed
    provs = demo_provinces()
    areas = db.query("SELECT kode, level, lat, lon, is_kota FROM areas WHERE left(kode, 2) IN "
                     "(SELECT unnest(CAST(? AS VARCHAR[])))", [provs])
    if provs and areas.empty:
        raise ValueError("Belum ada daftar wilayah; bangun basis data contoh terlebih dahulu.")
    data = synthetic_layer(areas, provs, seed, _coastal_kab(db))

    def fn(cur: duckdb.DuckDBPyConnection) -> dict[str, int]:
        for table in ("indicators", "register_agg", "production"):
            cur.execute(f"DELETE FROM {table} WHERE is_synthetic")
        cur.execute("DELETE FROM imports WHERE is_synthetic")
        counts = _insert_synthetic(cur, actor, data, seed)
        counts["vc_chains"] = _demo_chains(cur, actor) if PROVINCE in provs else 0
        return counts

    return db.write(actor, "demo.rebuild", f"data contoh sintetis, seed {seed}", fn)


def _insert_synthetic(cur: duckdb.DuckDBPyConnection, actor: str, data: dict[str, pd.DataFrame],
                      seed: int) -> dict[str, int]:
    """Store a :func:`synthetic_layer` (indicator definitions and commodities upserted, rows added), each
    table under its own synthetic import; returns the rows written per table."""
    defs = pd.DataFrame(synthetic.INDICATOR_DEFS,
                        columns=["indicator", "nama_id", "nama_en", "unit", "aggregation", "description"])
    src = core_store.SYNTHETIC_SOURCE
    cur.register("defs", defs)
    cur.execute("INSERT INTO indicator_defs SELECT * FROM defs ON CONFLICT (indicator) DO UPDATE SET "
                "nama_id = excluded.nama_id, nama_en = excluded.nama_en, unit = excluded.unit, "
                "aggregation = excluded.aggregation, description = excluded.description")
    cur.register("coms", data["commodities"])
    cur.execute("INSERT INTO commodities SELECT * FROM coms ON CONFLICT (kode) DO NOTHING")
    counts = {}
    for layer, table, columns in (
            ("indicators", "indicators", "kode, period, indicator, value, unit, ?, TRUE, ?"),
            ("register", "register_agg", "kode, period, ?, desil, sektor, sex_head, disability, households, persons, "
                                         "TRUE, ?"),
            ("production", "production", "kode, period, commodity, value, unit, ?, TRUE, ?")):
        rows = data[layer]
        import_id = _new_import(cur, actor, layer, src, len(rows), True, f"seed {seed}")
        cur.register("rows", rows)
        cur.execute(f"INSERT INTO {table} SELECT {columns} FROM rows", [src, import_id])
        cur.unregister("rows")
        counts[table] = len(rows)
    for name in ("defs", "coms"):
        cur.unregister(name)
    return counts


def synthetic_layer(areas: pd.DataFrame, provinces: list[str], seed: int,
                    coastal_kab: set[str]) -> dict[str, pd.DataFrame]:
    """The synthetic indicators, register aggregates and production of ``provinces``, each province made
    on its own (its kabupaten P0 spanning the demo's range) with its own seed (Jawa Timur keeps ``seed``
    itself, so its demo data are the same as before the other provinces came); a desa without an official
    point takes the seed of its approximate cell, beside its kecamatan's centre."""
    seeds = geometry.seed_points(areas).set_index("kode")  # where the desa's approximate cell grows from
    desa = (areas["level"] == "desa").to_numpy()
    areas.loc[desa, ["lon", "lat"]] = seeds.loc[areas.loc[desa, "kode"], ["lon", "lat"]].to_numpy()
    parts = [synthetic.generate(areas[areas["kode"].str[:2] == p], seed if p == PROVINCE else seed + int(p),
                                coastal_kab=coastal_kab) for p in provinces]
    if not parts:
        return {"indicators": pd.DataFrame(columns=["kode", "period", "indicator", "value", "unit"]),
                "register": pd.DataFrame(columns=["kode", "period", "desil", "sektor", "sex_head", "disability",
                                                  "households", "persons"]),
                "production": pd.DataFrame(columns=["kode", "period", "commodity", "value", "unit"]),
                "commodities": synthetic.commodities_frame()}
    out = {k: pd.concat([p[k] for p in parts], ignore_index=True) for k in ("indicators", "register", "production")}
    out["commodities"] = parts[0]["commodities"]
    return out


def _demo_chains(cur: duckdb.DuckDBPyConnection, actor: str) -> int:
    """Replace the synthetic demo value chains and the demo business models built on them (real chains
    and models are left alone)."""

    core_store.delete_synthetic(cur, "vc_chains", tuple(TABLES.values()))
    ids = {}
    for chain in demo_chains.DEMO_CHAINS:
        cid = int(cur.execute("SELECT nextval('vc_seq')").fetchone()[0])
        cur.execute("INSERT INTO vc_chains VALUES (?, ?, ?, ?, TRUE, NULL, ?, ?)",
                    [cid, chain["commodity"], chain["kabupaten"], chain["title"], actor, datetime.now()])
        for name, df in demo_chains.frames(chain).items():
            replace_rows(cur, cid, name, df)
        ids[chain["commodity"]] = cid
    models = demo_chains.replace_demo_models(cur, actor, ids)
    demo_monitoring.replace_demo(cur, actor, models, settings.get_int("seed"))
    return len(demo_chains.DEMO_CHAINS)


def _coastal_kab(db: Database) -> set[str]:
    """Kabupaten that touch the sea, as flagged when the approximate areas were built (a cell cut by the
    land grid's coastline). A database from before those flags were stored gets them once, from the
    package's region list."""
    flags = db.query("SELECT kode, coastal FROM areas WHERE level = 'kabupaten'")
    if flags.empty:
        return set()
    unknown = sorted(flags.loc[flags["coastal"].isna(), "kode"].str[:2].unique())
    if unknown:
        frame = national_frame(unknown)
        coastal = frame.loc[frame["coastal"].astype("boolean").fillna(False).astype(bool), ["kode"]]

        def fn(cur: duckdb.DuckDBPyConnection) -> None:
            cur.register("coastal_areas", coastal)
            cur.execute("UPDATE areas SET coastal = (kode IN (SELECT kode FROM coastal_areas)) "
                        "WHERE left(kode, 2) IN (SELECT unnest(CAST(? AS VARCHAR[])))", [unknown])
            cur.unregister("coastal_areas")

        db.write("sistem", "areas.coastal", f"provinsi {', '.join(unknown)}: {len(coastal)} wilayah pesisir", fn)
        flags = db.query("SELECT kode, coastal FROM areas WHERE level = 'kabupaten'")
    return set(flags.loc[flags["coastal"].fillna(False).astype(bool), "kode"])


def build(path: str | Path, force: bool = False, quiet: bool = False) -> Path:
    """Build the embedded default database at ``path`` (atomically: a temp file, then a rename).

    Prints the first admin's password once. Does nothing if the file exists and ``force`` is False.
    """
    if pg_url(str(path)):
        return _build_postgres(str(path), force, quiet)
    path = Path(path)
    if path.exists() and not force:
        return path
    tmp = path.with_suffix(".building")
    for p in (tmp, Path(str(tmp) + ".wal")):
        p.unlink(missing_ok=True)
    t0 = time.perf_counter()
    db = Database(tmp)
    try:
        load_areas(db, "sistem", national_frame())
        rebuild_demo(db, "admin", "sistem")
        password = auth.ensure_first_admin(db)
        db.con.execute("CHECKPOINT")
    finally:
        db.close()
    os.replace(tmp, path)
    if not quiet:
        print(f"Basis data contoh dibangun di {path} dalam {time.perf_counter() - t0:.1f} detik.")
        if password:
            print("Akun admin pertama dibuat. Catat kata sandinya, ini hanya ditampilkan sekali:")
            print(f"  nama pengguna: admin   kata sandi: {password}")
    return path


def _build_postgres(url: str, force: bool, quiet: bool) -> str:
    """The demo database built as a DuckDB file in a temporary folder, then copied into PostgreSQL (all
    or nothing). A database another server filled meanwhile is kept as it is."""
    if exists(url) and not force:
        return url
    with tempfile.TemporaryDirectory(prefix="perantara-build-") as folder:
        build(Path(folder) / "perantara.duckdb", quiet=quiet)
        with contextlib.suppress(transfer.TargetNotEmpty):
            transfer.copy(str(Path(folder) / "perantara.duckdb"), url, replace=force)
    return url


def add_missing_provinces(db: Database, actor: str = "sistem") -> list[str]:
    """Bring a database built before every province was covered (Jawa Timur only) up to all 38: the
    missing provinces' region list and approximate areas (cut from the national Voronoi diagram, so they
    meet the stored ones without overlap) and, where the database carries the synthetic demo layer, their
    demo data for the provinces the ``demo_data`` setting names. Stored provinces, real data and the demo
    data already there are left as they are. Returns the provinces added (none: nothing to do)."""
    stored = set(db.query("SELECT kode FROM areas WHERE level = 'provinsi'")["kode"])
    missing = [p for p in regions.province_codes() if p not in stored]
    if not missing:
        return []
    load_areas(db, actor, national_frame(missing))
    demo = [p for p in demo_provinces() if p in missing]
    if demo and db.scalar("SELECT count(*) FROM imports WHERE is_synthetic"):
        seed = settings.get_int("seed")
        areas = db.query("SELECT kode, level, lat, lon, is_kota FROM areas WHERE left(kode, 2) IN "
                         "(SELECT unnest(CAST(? AS VARCHAR[])))", [demo])
        data = synthetic_layer(areas, demo, seed, _coastal_kab(db))
        db.write(actor, "demo.provinces", f"data contoh sintetis provinsi {', '.join(demo)}, seed {seed}",
                 lambda cur: _insert_synthetic(cur, actor, data, seed))
    return missing


def refresh_if_outdated(db: Database) -> bool:
    """After an upgrade, fill in the parts of the synthetic demo layer that newer versions add (desa
    production, demo value chains, demo business models and monitoring records) by regenerating the demo
    layer; real data are not touched. Returns whether it did."""
    if not db.scalar("SELECT count(*) FROM imports WHERE is_synthetic"):
        return False
    has_chains = db.scalar("SELECT count(*) FROM vc_chains WHERE is_synthetic")
    has_models = db.scalar("SELECT count(*) FROM bm_models WHERE is_synthetic")
    has_models = has_models and db.scalar("SELECT count(*) FROM rc_chains WHERE is_synthetic")
    has_desa_prod = db.scalar("SELECT count(*) FROM production WHERE is_synthetic AND length(kode) = 13")
    if has_chains and has_models and has_desa_prod:
        return False
    rebuild_demo(db, "admin", "sistem")
    return True
