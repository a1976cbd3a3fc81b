"""Read queries (SQL kept in one place so the engine can change)."""

from __future__ import annotations

import pandas as pd
import shapely

from analytics import auth, geometry
from analytics.db import Database

LAYERS: tuple[str, ...] = ("areas", "geometry", "indicators", "register", "production")


def provinces(db: Database) -> pd.DataFrame:
    """Provinces present in the database (kode, nama)."""
    return db.query("SELECT kode, nama FROM areas WHERE level = 'provinsi' ORDER BY kode")


def years(db: Database, indicator: str = "p0") -> list[int]:
    """Years for which ``indicator`` has values, newest last."""
    df = db.query("SELECT DISTINCT period FROM indicators WHERE indicator = ? ORDER BY period", [indicator])
    return [int(v) for v in df["period"]]


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
        ORDER BY a.kode, i.source""", [level, parent_prefix + ".%", indicator, period])


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


def area_indicators(db: Database, kode: str, period: int, indicators: list[str]) -> pd.DataFrame:
    """Values of some indicators for one area and year (real sources before synthetic ones)."""
    return db.query("""SELECT indicator, value, source, is_synthetic FROM indicators
                       WHERE kode = ? AND period = ? AND list_contains(?, indicator)
                       ORDER BY is_synthetic, source""", [kode, period, indicators])


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


def indicator_sources(db: Database, level: str, prefix: str, indicator: str, period: int) -> pd.DataFrame:
    """Sources holding ``indicator`` for areas of a level under a prefix: source, is_synthetic, n."""
    return db.query("""SELECT i.source, bool_and(i.is_synthetic) AS is_synthetic, count(*) AS n
                       FROM indicators i JOIN areas a ON a.kode = i.kode
                       WHERE a.level = ? AND a.kode LIKE ? AND i.indicator = ? AND i.period = ?
                       GROUP BY 1 ORDER BY 2, 3 DESC, 1""", [level, prefix + ".%", indicator, period])


def priority_areas(db: Database, prov: str) -> pd.DataFrame:
    """Shortlisted areas of a province with their name and their kabupaten and kecamatan names."""
    return db.query("""
        SELECT p.kode, a.nama, p.level, kab.nama AS kabupaten, kec.nama AS kecamatan, p.reason,
               p.indicator, p.period, p.value, p.source, p.added_by, p.added_at
        FROM priority_areas p JOIN areas a ON a.kode = p.kode
        LEFT JOIN areas kab ON kab.kode = substr(p.kode, 1, 5) AND p.level <> 'kabupaten'
        LEFT JOIN areas kec ON kec.kode = substr(p.kode, 1, 8) AND p.level = 'desa'
        WHERE p.kode LIKE ? ORDER BY p.added_at, p.kode""", [prov + ".%"])


def in_shortlist(db: Database, kode: str) -> bool:
    """Whether an area is already on the priority shortlist."""
    return bool(db.scalar("SELECT count(*) FROM priority_areas WHERE kode = ?", [kode]))


def area_table(db: Database) -> pd.DataFrame:
    """Every stored area's code, name, level and kota flag (for matching uploaded files)."""
    return db.query("SELECT kode, nama, level, is_kota FROM areas ORDER BY kode")


def province_bounds(db: Database, prov: str) -> tuple[float, float, float, float]:
    """(west, south, east, north) of the official centre points of a province's areas."""
    row = db.query("SELECT min(lon) w, min(lat) s, max(lon) e, max(lat) n FROM areas WHERE kode LIKE ?",
                   [prov + ".%"]).iloc[0]
    return float(row["w"]), float(row["s"]), float(row["e"]), float(row["n"])


def register_sources(db: Database, prov: str) -> pd.DataFrame:
    """Register sources and years stored for a province: source, period, is_synthetic, households."""
    return db.query("""SELECT source, period, bool_and(is_synthetic) AS is_synthetic, sum(households) AS households
                       FROM register_agg WHERE kode LIKE ? GROUP BY 1, 2 ORDER BY 3, 1, 2 DESC""", [prov + ".%"])


def register_rows(db: Database, scope: str, period: int, source: str) -> pd.DataFrame:
    """Register aggregates of the desa under ``scope`` with desa and kecamatan names."""
    return db.query("""
        SELECT r.kode, a.nama, k.nama AS kecamatan, r.desil, r.sektor, r.sex_head, r.disability, r.households
        FROM register_agg r JOIN areas a ON a.kode = r.kode LEFT JOIN areas k ON k.kode = a.parent
        WHERE r.kode LIKE ? AND r.period = ? AND r.source = ?""", [scope + ".%", period, source])


_PREFIX_LEN = {"provinsi": 2, "kabupaten": 5, "kecamatan": 8, "desa": 13}


def indicator_all_sources(db: Database, level: str, prefix: str, indicator: str, period: int) -> pd.DataFrame:
    """Every source's value of an indicator for the areas of a level under a prefix (long form), including
    household counts per desil derived from stored registers (source named '<register> (register)')."""
    df = db.query("""
        SELECT a.kode, a.nama, i.source, i.is_synthetic, i.value FROM indicators i JOIN areas a ON a.kode = i.kode
        WHERE a.level = ? AND a.kode LIKE ? AND i.indicator = ? AND i.period = ?""",
                  [level, prefix + ".%", indicator, period])
    if indicator.startswith("ruta_desil_") and level != "provinsi":
        desil = int(indicator.rsplit("_", 1)[1])
        reg = db.query(f"""
            SELECT a.kode, a.nama, r.source || ' (register)' AS source, bool_and(r.is_synthetic) AS is_synthetic,
                   sum(r.households)::DOUBLE AS value
            FROM register_agg r JOIN areas a ON a.kode = substr(r.kode, 1, {_PREFIX_LEN[level]})
            WHERE r.kode LIKE ? AND r.period = ? AND r.desil = ? GROUP BY 1, 2, 3""", [prefix + ".%", period, desil])
        df = pd.concat([df, reg], ignore_index=True)
    return df


def multi_source_indicators(db: Database, prov: str) -> pd.DataFrame:
    """Indicator, period and level combinations where at least two sources exist in a province."""
    return db.query("""
        SELECT i.indicator, i.period, a.level, count(DISTINCT i.source) AS n_sources
        FROM indicators i JOIN areas a ON a.kode = i.kode WHERE a.kode LIKE ?
        GROUP BY 1, 2, 3 HAVING count(DISTINCT i.source) > 1 ORDER BY 2 DESC, 1, 3""", [prov + ".%"])


def register_desa(db: Database, kode: str, period: int, source: str) -> pd.DataFrame:
    """Register aggregates of one desa: desil, sektor, sex_head, disability, households."""
    return db.query("""SELECT desil, sektor, sex_head, disability, households FROM register_agg
                       WHERE kode = ? AND period = ? AND source = ?""", [kode, period, source])


# ---------------------------------------------------------------------- commodity workshops
def commodity_list(db: Database) -> pd.DataFrame:
    """Known commodities: kode, nama, nama_en, kategori, unit."""
    return db.query("SELECT kode, nama, nama_en, kategori, unit FROM commodities ORDER BY nama")


def ws_sessions(db: Database) -> pd.DataFrame:
    """Workshops, newest first, with their number of participants."""
    return db.query("""SELECT s.*, a.nama AS kabupaten_nama,
                              (SELECT count(*) FROM ws_participants p WHERE p.session_id = s.id) AS n_peserta
                       FROM ws_sessions s LEFT JOIN areas a ON a.kode = s.kabupaten ORDER BY s.id DESC""")


def ws_session(db: Database, session_id: int) -> pd.Series:
    """One workshop."""
    return db.query("""SELECT s.*, a.nama AS kabupaten_nama FROM ws_sessions s LEFT JOIN areas a
                       ON a.kode = s.kabupaten WHERE s.id = ?""", [session_id]).iloc[0]


def ws_session_by_code(db: Database, code: str) -> pd.DataFrame:
    """The open workshop with a join code."""
    return db.query("SELECT * FROM ws_sessions WHERE join_code = ? AND NOT closed", [code])


def ws_criteria(db: Database, session_id: int) -> pd.DataFrame:
    """Active criteria of a workshop in order."""
    return db.query("""SELECT criterion, nama, description, position FROM ws_criteria
                       WHERE session_id = ? AND active ORDER BY position""", [session_id])


def ws_candidates(db: Database, session_id: int) -> pd.DataFrame:
    """Candidate commodities of a workshop with names."""
    return db.query("""SELECT c.commodity, k.nama, k.nama_en FROM ws_candidates c
                       JOIN commodities k ON k.kode = c.commodity WHERE c.session_id = ? ORDER BY k.nama""",
                    [session_id])


def ws_participants(db: Database, session_id: int) -> pd.DataFrame:
    """Participants of a workshop in joining order."""
    return db.query("""SELECT participant_id, code, name, organisation, joined_at FROM ws_participants
                       WHERE session_id = ? ORDER BY joined_at, participant_id""", [session_id])


def ws_current_weights(db: Database, session_id: int) -> pd.DataFrame:
    """The newest weight per participant and criterion."""
    return db.query("""SELECT participant_id, criterion, weight, ts FROM ws_weights WHERE session_id = ?
                       QUALIFY row_number() OVER (PARTITION BY participant_id, criterion ORDER BY seq DESC) = 1""",
                    [session_id])


def ws_weight_rows(db: Database, session_id: int) -> int:
    """How many weight rows a workshop holds (every change is kept)."""
    return int(db.scalar("SELECT count(*) FROM ws_weights WHERE session_id = ?", [session_id]) or 0)


def ws_current_scores(db: Database, session_id: int) -> pd.DataFrame:
    """The newest score per commodity and criterion, with its computed value, justification and source."""
    return db.query("""SELECT commodity, criterion, score, computed, justification, source, override_reason,
                              entered_by, ts FROM ws_scores WHERE session_id = ?
                       QUALIFY row_number() OVER (PARTITION BY commodity, criterion ORDER BY seq DESC) = 1""",
                    [session_id])


def ws_decisions(db: Database, session_id: int) -> pd.DataFrame:
    """Shortlist and final-choice records of a workshop, oldest first."""
    return db.query("SELECT * FROM ws_decisions WHERE session_id = ? ORDER BY seq", [session_id])


def desa_production(db: Database, kabupaten: str, period: int) -> pd.DataFrame:
    """Production per desa of a kabupaten in a year: kode, commodity, value."""
    return db.query("""SELECT kode, commodity, value FROM production
                       WHERE kode LIKE ? AND length(kode) = 13 AND period = ?""", [kabupaten + ".%", period])


def kab_production(db: Database, kabupaten: str) -> pd.DataFrame:
    """Production of a kabupaten per commodity and year: commodity, period, value, unit."""
    return db.query("""SELECT commodity, period, value, unit FROM production WHERE kode = ? ORDER BY 1, 2""",
                    [kabupaten])


def ws_participant_by_token(db: Database, token: str) -> pd.DataFrame:
    """The participant holding a rejoin token, in an open workshop."""
    return db.query("""SELECT p.session_id, p.participant_id, p.code FROM ws_participants p
                       JOIN ws_sessions s ON s.id = p.session_id WHERE p.token = ? AND NOT s.closed""", [token])



# ---------------------------------------------------------------------- value chains
def vc_chains(db: Database) -> pd.DataFrame:
    """Stored value chains, newest first, with commodity and kabupaten names."""
    return db.query("""SELECT c.*, k.nama AS commodity_nama, a.nama AS kabupaten_nama FROM vc_chains c
                       LEFT JOIN commodities k ON k.kode = c.commodity LEFT JOIN areas a ON a.kode = c.kabupaten
                       ORDER BY c.is_synthetic, c.id DESC""")


def vc_table(db: Database, table: str, chain_id: int, columns: list[str]) -> pd.DataFrame:
    """One table of a chain (``table`` is one of the fixed vc_* tables), in its stored order."""
    assert table in {"vc_actors", "vc_flows", "vc_system", "vc_problems"}
    order = "position" if table in ("vc_flows", "vc_system") else "rowid"
    return db.query(f"SELECT {', '.join(columns)} FROM {table} WHERE chain_id = ? ORDER BY {order}", [chain_id])


def bm_models(db: Database) -> pd.DataFrame:
    """Stored business models, real ones first and newest first, with commodity and kabupaten names."""
    return db.query("""SELECT m.*, k.nama AS commodity_nama, a.nama AS kabupaten_nama FROM bm_models m
                       LEFT JOIN commodities k ON k.kode = m.commodity LEFT JOIN areas a ON a.kode = m.kabupaten
                       ORDER BY m.is_synthetic, m.id DESC""")


def bm_table(db: Database, table: str, model_id: int, columns: list[str]) -> pd.DataFrame:
    """One table of a business model (``table`` is one of the fixed bm_* tables), in its stored order."""
    assert table in {"bm_actors", "bm_lines", "bm_outreach", "bm_budget"}
    order = {"bm_lines": "peran, position", "bm_budget": "position", "bm_outreach": "tahun"}.get(table, "rowid")
    return db.query(f"SELECT {', '.join(columns)} FROM {table} WHERE model_id = ? ORDER BY {order}", [model_id])


def households_in(db: Database, kabupaten: str, period: int, source: str, prefixes: list[str]) -> pd.DataFrame:
    """Register aggregates (kode, desil, sektor, households) of the desa of a kabupaten whose code starts
    with one of ``prefixes`` (all of the kabupaten when the list is empty)."""
    rows = db.query("""SELECT kode, desil, sektor, households FROM register_agg
                       WHERE kode LIKE ? AND period = ? AND source = ?""", [kabupaten + ".%", period, source])
    if prefixes:
        rows = rows[rows["kode"].map(lambda k: any(k == p or k.startswith(p + ".") for p in prefixes))]
    return rows


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
def pci_rubrics(db: Database) -> pd.DataFrame:
    """PCI rubrics, the method's reference first."""
    return db.query("SELECT * FROM pci_rubrics ORDER BY is_reference DESC, id")


def pci_levels(db: Database, rubric_id: int) -> pd.DataFrame:
    """The level texts of a rubric: indicator_no, score, teks."""
    return db.query("SELECT indicator_no, score, teks FROM pci_levels WHERE rubric_id = ? ORDER BY 1, 2", [rubric_id])


def pci_weights(db: Database, rubric_id: int) -> pd.DataFrame:
    """Criterion weights of a rubric."""
    return db.query("SELECT criterion_no, weight FROM pci_weights WHERE rubric_id = ? ORDER BY 1", [rubric_id])


def pci_groups(db: Database) -> pd.DataFrame:
    """PCI groups with their kabupaten name, real ones first."""
    return db.query("""SELECT g.*, a.nama AS kabupaten_nama FROM pci_groups g LEFT JOIN areas a ON a.kode = g.kabupaten
                       ORDER BY g.is_synthetic, g.nama""")


def pci_latest(db: Database, period: int | None = None, group_id: int | None = None) -> pd.DataFrame:
    """The newest observation per group, year and indicator (optionally one year and/or one group)."""
    return db.query("""SELECT group_id, period, indicator_no, value, level, note, entered_by, ts FROM pci_obs
                       WHERE (? IS NULL OR period = ?) AND (? IS NULL OR group_id = ?)
                       QUALIFY row_number() OVER (PARTITION BY group_id, period, indicator_no ORDER BY seq DESC) = 1
                       ORDER BY group_id, period, indicator_no""", [period, period, group_id, group_id])


def pci_first_periods(db: Database) -> dict[int, int]:
    """Each group's first observed year."""
    df = db.query("SELECT group_id, min(period) AS first FROM pci_obs GROUP BY 1")
    return dict(zip(df["group_id"].astype(int), df["first"].astype(int)))


def pci_periods(db: Database) -> list[int]:
    """Years with PCI observations, newest first."""
    return [int(v) for v in db.query("SELECT DISTINCT period FROM pci_obs ORDER BY 1 DESC")["period"]]


# ---------------------------------------------------------------------- monitoring: ADKAR
def adkar_respondents(db: Database) -> pd.DataFrame:
    """ADKAR respondents, real ones first."""
    return db.query("SELECT * FROM adkar_respondents ORDER BY is_synthetic, actor_group, kode")


def adkar_latest(db: Database, period: str | None = None) -> pd.DataFrame:
    """The newest score per respondent, period and indicator."""
    return db.query("""SELECT respondent_id, period, indicator_code, score FROM adkar_scores
                       WHERE (? IS NULL OR period = ?)
                       QUALIFY row_number() OVER (PARTITION BY respondent_id, period, indicator_code ORDER BY seq DESC) = 1
                       ORDER BY respondent_id, period, indicator_code""", [period, period])


def adkar_links(db: Database, period: str | None = None) -> pd.DataFrame:
    """Supporter and barrier links (optionally of one period)."""
    return db.query("""SELECT period, dari, dari_kelompok, ke, ke_kelompok, jenis, catatan, is_synthetic FROM adkar_links
                       WHERE (? IS NULL OR period = ?) ORDER BY seq""", [period, period])



# ---------------------------------------------------------------------- monitoring: results chain, reviews
def rc_chains(db: Database) -> pd.DataFrame:
    """Results chains with their business model's title, real ones first."""
    return db.query("""SELECT c.*, m.title AS model_title, m.kabupaten FROM rc_chains c
                       LEFT JOIN bm_models m ON m.id = c.model_id ORDER BY c.is_synthetic, c.id DESC""")


def rc_table(db: Database, table: str, chain_id: int, columns: list[str]) -> pd.DataFrame:
    """Boxes or indicators of a results chain."""
    assert table in {"rc_boxes", "rc_indicators"}
    order = "level, box" if table == "rc_boxes" else "ind"
    return db.query(f"SELECT {', '.join(columns)} FROM {table} WHERE chain_id = ? ORDER BY {order}", [chain_id])


def rc_values(db: Database, chain_id: int | None = None) -> pd.DataFrame:
    """The newest target and realisation per indicator, period and disaggregation."""
    return db.query("""SELECT chain_id, ind, period, jenis, pilah, value FROM rc_values WHERE (? IS NULL OR chain_id = ?)
                       QUALIFY row_number() OVER (PARTITION BY chain_id, ind, period, jenis, pilah ORDER BY seq DESC) = 1
                       ORDER BY chain_id, ind, period""", [chain_id, chain_id])


def rc_key_indicators(db: Database) -> pd.DataFrame:
    """Indicators with a key (households reached, income per household) across chains."""
    return db.query("""SELECT i.chain_id, i.ind, i.kunci, i.baseline, i.target, i.satuan, c.is_synthetic
                       FROM rc_indicators i JOIN rc_chains c ON c.id = i.chain_id WHERE i.kunci IS NOT NULL""")


def reviews(db: Database, chain_id: int) -> pd.DataFrame:
    """Review meetings of a results chain, newest first."""
    return db.query("SELECT * FROM reviews WHERE chain_id = ? ORDER BY tanggal DESC, id DESC", [chain_id])


def budget_by_source(db: Database) -> pd.DataFrame:
    """Budget and co-investment per funding source over all business models (sumber, nilai, synthetic)."""
    return db.query("""SELECT b.sumber, sum(b.nilai) AS nilai, bool_and(m.is_synthetic) AS is_synthetic
                       FROM bm_budget b JOIN bm_models m ON m.id = b.model_id GROUP BY 1 ORDER BY 2 DESC""")


def area_points(db: Database, codes: list[str]) -> pd.DataFrame:
    """Names and official centre points of areas: kode, nama, lat, lon."""
    return db.query("SELECT kode, nama, lat, lon FROM areas WHERE list_contains(?, kode)", [codes])
