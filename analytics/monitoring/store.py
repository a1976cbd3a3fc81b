"""The monitoring stage's reads and writes: PCI rubrics (the method's reference and local copies),
groups and observations (append-only); results chains with their boxes, indicators, targets and
realisations (append-only) and reviews; ADKAR respondents, scores (append-only) and links; and the imports
of the PCI workbook and ADKAR responses (all rows or none)."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import numpy as np
import pandas as pd

from analytics.business import calc
from analytics.business import store as bm_store
from analytics.core import auth, fmt
from analytics.core import store as core_store
from analytics.core.db import Database
from analytics.core.problems import ImportRejected, Problem
from analytics.monitoring import adkar, comprehensiveness, graduation, pci, replication
from analytics.monitoring.adkar import read_responses, respondent_problems, score_problems
from analytics.monitoring.pci_workbook import LEVEL_COLUMNS, check_entries, read_workbook, same_texts
from analytics.monitoring.results import (
    BOX_COLUMNS,
    DECISIONS,
    DISAGGREGATIONS,
    IND_COLUMNS,
    REVIEW_KINDS,
    YEAR_END,
    _draft,
    before_start,
    check,
    check_period,
    starting_tables,
)
from analytics.valuechain import store as vc_store

# ---------------------------------------------------------------------- rubrics

# The child tables of monitoring records (the sets a save replaces, the rows a demo rebuild deletes).
PCI_LEVELS = core_store.ChildTable("pci_levels", "rubric_id", "indicator_no, score")
PCI_WEIGHTS = core_store.ChildTable("pci_weights", "rubric_id", "criterion_no")
RC_TABLES: dict[str, core_store.ChildTable] = {
    "boxes": core_store.ChildTable("rc_boxes", "chain_id", "level, box"),
    "indicators": core_store.ChildTable("rc_indicators", "chain_id", "ind")}
RC_CHILDREN: tuple[core_store.ChildTable, ...] = (
    *RC_TABLES.values(), core_store.ChildTable("rc_values", "chain_id"), core_store.ChildTable("reviews", "chain_id"),
    core_store.ChildTable("programme_stages", "chain_id"), core_store.ChildTable("rc_households", "chain_id"))
RC_HOUSEHOLDS = core_store.ChildTable("rc_households", "chain_id", "period, kode_rt")
PCI_CHILDREN = (core_store.ChildTable("pci_obs", "group_id"),)
ADKAR_CHILDREN = (core_store.ChildTable("adkar_scores", "respondent_id"),)


def ensure_reference(db: Database) -> int:
    """The id of the method's reference rubric, stored on first use."""
    rid = db.scalar("SELECT min(id) FROM pci_rubrics WHERE is_reference")
    if rid is not None:
        return int(rid)
    ref = pci.reference_indicators()[LEVEL_COLUMNS]
    return _store_rubric(db, "sistem", "Rubrik acuan (Pedoman P&E MBBA, ICRAF)", ref, {}, True)


def _store_rubric(db: Database, actor: str, name: str, texts: pd.DataFrame, weights: dict[int, float],
                  reference: bool = False, rubric_id: int | None = None) -> int:
    return db.write(actor, "pci.rubric", f"{name}: {len(texts)} indikator",
                    lambda cur: write_rubric(cur, actor, name, texts, weights, reference, rubric_id))


def write_rubric(cur: duckdb.DuckDBPyConnection, actor: str, name: str, texts: pd.DataFrame,
                 weights: dict[int, float], reference: bool = False, rubric_id: int | None = None) -> int:
    """Inside a write transaction: store a rubric's level texts and weights (new, or replacing one)."""
    long = texts.melt(id_vars="indicator_no", value_vars=LEVEL_COLUMNS[1:], var_name="score", value_name="teks")
    long["score"] = long["score"].str[-1].astype(int)
    long = long[long["teks"].map(lambda v: isinstance(v, str) and v.strip() != "")].copy()
    long["teks"] = long["teks"].str.strip()
    w = pd.DataFrame({"criterion_no": list(weights), "weight": [float(v) for v in weights.values()]})
    rid = rubric_id
    if rid is None:
        rid = int(cur.execute("SELECT nextval('mon_seq')").fetchone()[0])
        cur.execute("INSERT INTO pci_rubrics VALUES (?, ?, ?, ?, ?)", [rid, name, reference, actor, datetime.now()])
    else:
        cur.execute("UPDATE pci_rubrics SET name = ? WHERE id = ?", [name, rid])
    core_store.replace_rows(cur, PCI_LEVELS, rid, long[["indicator_no", "score", "teks"]])
    core_store.replace_rows(cur, PCI_WEIGHTS, rid, w)
    return rid


def rubric_texts(db: Database, rubric_id: int) -> pd.DataFrame:
    """A rubric's level texts, one row per indicator (``score_0`` … ``score_3``, "" = not defined)."""
    long = pci_levels(db, rubric_id)
    wide = long.pivot(index="indicator_no", columns="score", values="teks").reindex(
        index=range(1, 27), columns=range(4)).fillna("")
    wide.columns = LEVEL_COLUMNS[1:]
    return wide.reset_index()


def rubric_weights(db: Database, rubric_id: int) -> dict[int, float]:
    """Criterion weights of a rubric (criteria without a weight count 1)."""
    w = pci_weights(db, rubric_id)
    return dict(zip(w["criterion_no"].astype(int), w["weight"].astype(float), strict=False))


def load_rubric(db: Database, rubric_id: int) -> pci.Rubric:
    """A stored rubric, ready to score with."""
    return pci.rubric_from_texts(rubric_texts(db, rubric_id), rubric_weights(db, rubric_id))


def save_rubric(db: Database, role: str | None, actor: str, name: str, texts: pd.DataFrame,
                weights: dict[int, float] | None = None, rubric_id: int | None = None) -> int:
    """Store a local rubric (a new one, or replace ``rubric_id``; the reference cannot be changed).
    Returns its id. The checker's findings are not errors: a team may keep a rubric with gaps, and
    the page shows them."""
    auth.require(role, "edit_monitoring")
    if not name.strip():
        raise ValueError("Nama rubrik wajib diisi.")
    if rubric_id is not None and db.scalar("SELECT is_reference FROM pci_rubrics WHERE id = ?", [rubric_id]):
        raise ValueError("Rubrik acuan metode tidak diubah; simpan sebagai rubrik lokal baru.")
    texts = texts.reindex(columns=LEVEL_COLUMNS)
    bad = sorted(set(texts["indicator_no"]) - set(range(1, 27)))
    if bad:
        raise ValueError(f"Nomor indikator tidak dikenal: {', '.join(map(str, bad))} (1-26).")
    empty = [int(r.indicator_no) for r in texts.itertuples()
             if not any(isinstance(getattr(r, c), str) and getattr(r, c).strip() for c in LEVEL_COLUMNS[1:])]
    if empty:
        raise ValueError(f"Indikator {', '.join(map(str, empty))}: belum ada satu pun tingkat skor.")
    if weights and any(v < 0 for v in weights.values()):
        raise ValueError("Bobot kriteria tidak boleh negatif.")
    return _store_rubric(db, actor, name.strip(), texts, weights or {}, False, rubric_id)


# ---------------------------------------------------------------------- groups and observations
def create_group(db: Database, role: str | None, actor: str, nama: str, kabupaten: str | None = None,
                 desa: str | None = None, model_id: int | None = None) -> int:
    """A kelompok to score."""
    auth.require(role, "edit_monitoring")
    if not nama.strip():
        raise ValueError("Nama kelompok wajib diisi.")

    def fn(cur: duckdb.DuckDBPyConnection) -> int:
        gid = int(cur.execute("SELECT nextval('mon_seq')").fetchone()[0])
        cur.execute("INSERT INTO pci_groups VALUES (?, ?, ?, ?, ?, FALSE, ?, ?)",
                    [gid, nama.strip(), kabupaten, desa, model_id, actor, datetime.now()])
        return gid

    return db.write(actor, "pci.group", nama, fn)


def record(db: Database, role: str | None, actor: str, group_id: int, period: int, rubric: pci.Rubric,
           entries: pd.DataFrame) -> int:
    """Store one group's observations for a year (rows with neither value nor level are skipped).
    Raises ValueError with every problem, storing nothing, when an entry is wrong."""
    auth.require(role, "edit_monitoring")
    if not 2000 <= int(period) <= 2100:
        raise ValueError(f"Tahun {period} tidak masuk akal.")
    e = entries.reindex(columns=["indicator_no", "value", "level", "note"]).copy()
    e = e[e["value"].notna() | e["level"].notna()]
    problems = check_entries(rubric, e)
    if problems:
        raise ValueError("; ".join(problems))
    now = datetime.now()

    def fn(cur: duckdb.DuckDBPyConnection) -> int:
        for r in e.itertuples():
            seq = int(cur.execute("SELECT nextval('mon_seq')").fetchone()[0])
            cur.execute("INSERT INTO pci_obs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [seq, group_id, int(period), int(r.indicator_no), None if pd.isna(r.value) else float(r.value),
                         None if pd.isna(r.level) else int(r.level), r.note if isinstance(r.note, str) else None,
                         actor, now])
        return len(e)

    return db.write(actor, "pci.record", f"kelompok {group_id}, {period}: {len(e)} indikator", fn)


# ---------------------------------------------------------------------- the method's workbook


def import_workbook(db: Database, role: str | None, actor: str, file_name: str, data: bytes, rubric_id: int) -> dict:
    """Import one group's year from the method's workbook, all or nothing: the group is matched by name
    (created when new) and its observations stored, scored with ``rubric_id``. Returns what was stored."""
    auth.require(role, "import_monitoring")
    rubric = load_rubric(db, rubric_id)
    group, year, entries, texts, problems = read_workbook(file_name, data, rubric)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ImportRejected(errors)
    groups = pci_groups(db)
    match = groups[groups["nama"].str.lower() == group.lower()]
    differs = texts is not None and not same_texts(texts, rubric_texts(db, rubric_id))
    e = entries[entries["value"].notna() | entries["level"].notna()]
    now = datetime.now()

    def fn(cur: duckdb.DuckDBPyConnection) -> dict:
        if match.empty:
            gid = int(cur.execute("SELECT nextval('mon_seq')").fetchone()[0])
            cur.execute("INSERT INTO pci_groups VALUES (?, ?, NULL, NULL, NULL, FALSE, ?, ?)", [gid, group, actor, now])
        else:
            gid = int(match["id"].iloc[0])
        for r in e.itertuples():
            seq = int(cur.execute("SELECT nextval('mon_seq')").fetchone()[0])
            cur.execute("INSERT INTO pci_obs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [seq, gid, year, int(r.indicator_no), None if pd.isna(r.value) else float(r.value),
                         None if pd.isna(r.level) else int(r.level), r.note, actor, now])
        return {"group_id": gid, "kelompok": group, "tahun": year, "indikator": len(e), "baru": match.empty,
                "rubrik_berbeda": differs}

    return db.write(actor, "pci.import", f"{file_name}: {group} {year}", fn)


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
    return dict(zip(df["group_id"].astype(int), df["first"].astype(int), strict=False))


def pci_periods(db: Database) -> list[int]:
    """Years with PCI observations, newest first."""
    return [int(v) for v in db.query("SELECT DISTINCT period FROM pci_obs ORDER BY 1 DESC")["period"]]


def adkar_respondents(db: Database) -> pd.DataFrame:
    """ADKAR respondents, real ones first."""
    return db.query("SELECT * FROM adkar_respondents ORDER BY is_synthetic, actor_group, kode")


def adkar_latest(db: Database, period: str | None = None) -> pd.DataFrame:
    """The newest score per respondent, period and indicator."""
    return db.query(
        """SELECT respondent_id, period, indicator_code, score FROM adkar_scores
                       WHERE (? IS NULL OR period = ?)
                       QUALIFY row_number() OVER (PARTITION BY respondent_id, period, indicator_code
                                                  ORDER BY seq DESC) = 1
                       ORDER BY respondent_id, period, indicator_code""",
        [period, period],
    )


def adkar_links(db: Database, period: str | None = None) -> pd.DataFrame:
    """Supporter and barrier links (optionally of one period)."""
    return db.query("""SELECT period, dari, dari_kelompok, ke, ke_kelompok, jenis, catatan, is_synthetic
                       FROM adkar_links WHERE (? IS NULL OR period = ?) ORDER BY seq""", [period, period])


def rc_chains(db: Database, prov: str | None = None) -> pd.DataFrame:
    """Results chains with their business model's title, real ones first (with ``prov``: those whose model
    works in that province, and those without a model, whose place is not known)."""
    return db.query("""SELECT c.*, m.title AS model_title, m.kabupaten FROM rc_chains c
                       LEFT JOIN bm_models m ON m.id = c.model_id
                       WHERE ? IS NULL OR m.kabupaten IS NULL OR m.kabupaten LIKE ?
                       ORDER BY c.is_synthetic, c.id DESC""", [prov, core_store.under(prov or "")])


def rc_values(db: Database, chain_id: int | None = None) -> pd.DataFrame:
    """The newest target and realisation per indicator, period and disaggregation."""
    return db.query(
        """SELECT chain_id, ind, period, jenis, pilah, value FROM rc_values WHERE (? IS NULL OR chain_id = ?)
                       QUALIFY row_number() OVER (PARTITION BY chain_id, ind, period, jenis, pilah
                                                  ORDER BY seq DESC) = 1
                       ORDER BY chain_id, ind, period""",
        [chain_id, chain_id],
    )


def rc_key_indicators(db: Database) -> pd.DataFrame:
    """Indicators with a key (households reached, income per household) across chains."""
    return db.query("""SELECT i.chain_id, i.ind, i.kunci, i.baseline, i.target, i.satuan, c.is_synthetic
                       FROM rc_indicators i JOIN rc_chains c ON c.id = i.chain_id WHERE i.kunci IS NOT NULL""")


def reviews(db: Database, chain_id: int) -> pd.DataFrame:
    """Review meetings of a results chain, newest first."""
    return db.query("SELECT * FROM reviews WHERE chain_id = ? ORDER BY tanggal DESC, id DESC", [chain_id])


def load_results_chain(db, chain_id: int) -> dict[str, pd.DataFrame]:
    """The boxes and indicators of a results chain."""
    return {"boxes": core_store.child_rows(db, RC_TABLES["boxes"], chain_id, BOX_COLUMNS),
            "indicators": core_store.child_rows(db, RC_TABLES["indicators"], chain_id, IND_COLUMNS)}


def save_results_table(db, role: str | None, actor: str, chain_id: int, name: str, frame: pd.DataFrame) -> None:
    """Replace the boxes or the indicators of a chain after the checks (nothing stored on an error)."""
    auth.require(role, "edit_monitoring")
    df = _draft(name, frame)
    boxes = df if name == "boxes" else load_results_chain(db, chain_id)["boxes"]
    problems = check(name, df, boxes)
    if name == "boxes":
        used = set(load_results_chain(db, chain_id)["indicators"]["box"]) - set(df["box"])
        problems += [f"Kotak '{b}' masih dipakai indikator; pindahkan indikatornya dulu" for b in sorted(used)]
    if problems:
        raise ValueError("; ".join(problems))
    db.write(actor, f"results.{name}", f"rantai hasil {chain_id}: {len(df)} baris",
             lambda cur: core_store.replace_rows(cur, RC_TABLES[name], chain_id, df))


def households(db: Database, chain_id: int | None = None) -> pd.DataFrame:
    """The households a results chain reaches, by period (of one chain, or all with ``chain_id`` column)."""
    if chain_id is not None:
        return core_store.child_rows(db, RC_HOUSEHOLDS, chain_id, graduation.COLUMNS)
    return db.query(f"SELECT chain_id, {', '.join(graduation.COLUMNS)} FROM rc_households ORDER BY chain_id, period")


def save_households(db: Database, role: str | None, actor: str, chain_id: int, frame: pd.DataFrame,
                    line: float | None) -> int:
    """Replace a results chain's household records after the checks (nothing stored on an error): a blank
    status follows from the spending and the poverty ``line`` (Rp/kapita/bulan; None when unknown). Returns
    the rows stored."""
    auth.require(role, "edit_monitoring")
    df = frame.reindex(columns=graduation.COLUMNS).dropna(how="all").reset_index(drop=True)
    df["kode_rt"] = df["kode_rt"].map(lambda v: v.strip() if isinstance(v, str) else v)
    df["period"] = df["period"].map(lambda v: str(v).strip() if not pd.isna(v) else v)
    problems = graduation.check(df)
    if not problems:
        df = graduation.complete(df, line)
        if df["status"].isna().any():
            rows = [str(i + 1) for i in df.index[df["status"].isna()]]
            problems.append(f"Baris {', '.join(rows[:10])}: status tidak dapat dihitung dari pengeluaran karena garis "
                            "kemiskinan kabupaten ini belum ada; isi statusnya")
    if problems:
        raise ValueError("; ".join(problems))
    df["pengeluaran"] = pd.to_numeric(df["pengeluaran"], errors="coerce")
    return db.write(actor, "results.households", f"rantai hasil {chain_id}: {len(df)} baris",
                    lambda cur: core_store.replace_rows(cur, RC_HOUSEHOLDS, chain_id, df))


REPLICATION_ITEMS = core_store.ChildTable("replication_items", "kabupaten", "item")
REPLICATION_BUDGET = core_store.ChildTable("replication_budget", "kabupaten", "position", position=True)


def replication_items(db: Database, kabupaten: str) -> pd.DataFrame:
    """The stored answers of a kabupaten's replication checklist."""
    return core_store.child_rows(db, REPLICATION_ITEMS, kabupaten, replication.ITEM_COLUMNS)


def replication_budget(db: Database, kabupaten: str) -> pd.DataFrame:
    """A kabupaten's replication budget lines, in the order entered."""
    return core_store.child_rows(db, REPLICATION_BUDGET, kabupaten, replication.BUDGET_COLUMNS)


def replication_kabupaten(db: Database, prov: str | None = None) -> list[str]:
    """Kabupaten/kota (of a province) with a replication record."""
    df = db.query("""SELECT kabupaten FROM replication_items UNION SELECT kabupaten FROM replication_budget
                     ORDER BY 1""")
    return [k for k in df["kabupaten"] if not prov or str(k).startswith(prov)]


def save_replication_items(db: Database, role: str | None, actor: str, kabupaten: str, items: pd.DataFrame) -> int:
    """Replace a kabupaten's checklist answers after the checks (nothing stored on an error); the budget stage's
    outputs are not stored (the budget lines meet them). Returns the answers stored."""
    auth.require(role, "edit_replication")
    df = items.reindex(columns=replication.ITEM_COLUMNS)
    problems = replication.check_items(df)
    if problems:
        raise ValueError("; ".join(problems))
    df = df[~df["item"].isin(list(replication.BUDGET_ITEMS))].copy()
    df["selesai"] = df["selesai"].fillna(False).astype(bool)
    df["tanggal"] = pd.to_datetime(df["tanggal"], errors="coerce").dt.date
    for c in ("jenis_dokumen", "nomor", "opd", "catatan"):
        df[c] = df[c].map(lambda v: None if v is None or (not isinstance(v, str) and pd.isna(v)) or not str(v).strip()
                          else str(v).strip())
    done = int(df["selesai"].sum())
    return db.write(actor, "replication.items", f"{kabupaten}: {done} keluaran selesai",
                    lambda cur: core_store.replace_rows(cur, REPLICATION_ITEMS, kabupaten, df))


def save_replication_budget(db: Database, role: str | None, actor: str, kabupaten: str, lines: pd.DataFrame) -> int:
    """Replace a kabupaten's replication budget lines after the checks (nothing stored on an error)."""
    auth.require(role, "edit_replication")
    df = lines.reindex(columns=replication.BUDGET_COLUMNS).dropna(how="all").reset_index(drop=True)
    problems = replication.check_budget(df)
    if problems:
        raise ValueError("; ".join(problems))
    df["kode"] = df["kode"].map(lambda v: None if v is None or (not isinstance(v, str) and pd.isna(v)) or not
                                str(v).strip() else str(v).strip())
    df["uraian"] = df["uraian"].str.strip()
    df["tahun"] = pd.to_numeric(df["tahun"]).astype(int)
    df["nilai"] = pd.to_numeric(df["nilai"]).astype(float)
    return db.write(actor, "replication.budget", f"{kabupaten}: {len(df)} baris anggaran",
                    lambda cur: core_store.replace_rows(cur, REPLICATION_BUDGET, kabupaten, df))


def replication_overview(db: Database, prov: str | None = None) -> pd.DataFrame:
    """Per kabupaten/kota with a record: its name, stages complete, outputs met, the next stage, the budget total
    and the share of it in APBD-coded lines."""
    rows = []
    kabs = replication_kabupaten(db, prov)
    names = core_store.area_names(db, kabs)
    for kab in kabs:
        budget = replication_budget(db, kab)
        card = replication.checklist(replication_items(db, kab), budget)
        s = replication.standing(replication.stage_status(card))
        total = float(budget["nilai"].sum()) if len(budget) else 0.0
        coded = float(budget.loc[budget["kode"].notna(), "nilai"].sum()) if len(budget) else 0.0
        rows.append({"kabupaten": kab, "nama": names.get(kab, kab), **s, "anggaran": total,
                     "anggaran_berkode": coded / total if total else None})
    return pd.DataFrame(rows, columns=["kabupaten", "nama", "tahap_selesai", "tahap_jumlah", "keluaran_selesai",
                                       "keluaran_jumlah", "berikutnya", "anggaran", "anggaran_berkode"])


def import_households(db: Database, role: str | None, actor: str, chain_id: int, file_name: str, data: bytes,
                      line: float | None) -> int:
    """Add a file of household records to a results chain (all rows or none): a household already recorded for
    a period the file has is replaced by the file's row. Problems name the file, its line and column. Returns
    the rows read from the file."""
    auth.require(role, "edit_monitoring")
    rows = graduation.read_households(file_name, data)
    rows = rows.assign(kode_rt=rows["kode_rt"].map(lambda v: v.strip() if isinstance(v, str) else v),
                       period=rows["period"].map(lambda v: str(v).strip() if not pd.isna(v) else v))
    problems = graduation.check(rows, first_row=2)
    if problems:
        raise ImportRejected([Problem(file_name, None, None, p) for p in problems])
    have = households(db, chain_id)
    keys = set(zip(rows["kode_rt"], rows["period"], strict=True))
    kept = have[[(k, p) not in keys for k, p in zip(have["kode_rt"], have["period"], strict=True)]]
    try:
        save_households(db, role, actor, chain_id, pd.concat([kept, rows], ignore_index=True), line)
    except ValueError as exc:  # only the line-less statuses can fail here: say it for the file
        raise ImportRejected([Problem(file_name, None, None, str(exc))]) from exc
    return len(rows)


def create_results_chain(db, role: str | None, actor: str, title: str, model_id: int | None = None,
                         start_year: int | None = None) -> int:
    """A new results chain, pre-filled from a business model when ``model_id`` is given."""
    auth.require(role, "edit_monitoring")
    if not title.strip():
        raise ValueError("Judul rantai hasil wajib diisi.")
    tables = ev = problems = None
    if model_id is not None:

        info = bm_store.bm_models(db).set_index("id").loc[model_id]
        tables = bm_store.load(db, model_id)
        ev = calc.evaluate(tables, float(info["discount_rate"]))
        if pd.notna(info["chain_id"]):
            problems = vc_store.load(db, int(info["chain_id"]))["problems"]
    boxes, inds, targets = starting_tables(tables, ev, problems, start_year or date.today().year)
    now = datetime.now()

    def fn(cur: duckdb.DuckDBPyConnection) -> int:
        twin = core_store.recent_twin(cur, "rc_chains", {"title": title.strip(), "model_id": model_id,
                                                         "created_by": actor}, now)
        if twin is not None:  # the same form sent twice: the results chain it made
            return twin
        return write_results_chain(cur, title.strip(), model_id, False, actor, now, boxes, inds, targets)

    return db.write(actor, "results.create", title, fn)


def write_results_chain(cur: duckdb.DuckDBPyConnection, title: str, model_id: int | None, synthetic: bool, actor: str,
                        now: datetime, boxes: pd.DataFrame, inds: pd.DataFrame, targets: pd.DataFrame) -> int:
    """Inside a write transaction: a new results chain with its boxes, indicators and period targets."""
    cid = int(cur.execute("SELECT nextval('mon_seq')").fetchone()[0])
    cur.execute("INSERT INTO rc_chains VALUES (?, ?, ?, ?, ?, ?)", [cid, model_id, title, synthetic, actor, now])
    core_store.replace_rows(cur, RC_TABLES["boxes"], cid, boxes)
    core_store.replace_rows(cur, RC_TABLES["indicators"], cid, inds.assign(pilah=inds["pilah"].astype(bool)))
    for r in targets.itertuples():
        insert_value(cur, cid, r.ind, r.period, "target", "total", r.value, actor, now)
    return cid


def insert_value(cur, cid: int, ind: str, period: str, jenis: str, pilah: str, value: float | None, actor: str,
                 now: datetime) -> None:
    """Inside a write transaction: append one target or realisation (the newest row counts)."""
    seq = int(cur.execute("SELECT nextval('mon_seq')").fetchone()[0])
    cur.execute("INSERT INTO rc_values VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [seq, cid, ind, period, jenis, pilah, None if value is None or value != value else float(value), actor,
                 now])


def record_values(db, role: str | None, actor: str, chain_id: int, ind: str, period: str, jenis: str,
                  values: dict[str, float | None]) -> int:
    """Store a target or realisation of an indicator for a period, in total and disaggregated
    (``values``: total, perempuan, laki_laki, disabilitas). The parts may not exceed the total, and
    women + men must equal it when all three are given."""
    auth.require(role, "edit_monitoring")
    problems = []
    if (p := check_period(period)) is not None:
        problems.append(p[0].upper() + p[1:])
    if jenis not in ("target", "realisasi"):
        problems.append("Jenis harus target atau realisasi")
    known = load_results_chain(db, chain_id)["indicators"]
    if ind not in set(known["ind"]):
        problems.append(f"Indikator '{ind}' tidak ada di rantai hasil ini")
    if jenis == "realisasi":
        stored = rc_values(db, chain_id)
        if (p := before_start(period, stored.loc[stored["jenis"] == "target", "period"].tolist())) is not None:
            problems.append(p[0].upper() + p[1:])
    vals = {k: v for k, v in values.items() if v is not None and v == v}
    for k in vals:
        if k not in DISAGGREGATIONS:
            problems.append(f"Pemilahan '{k}' tidak dikenal")
    total = vals.get("total")
    for k in ("perempuan", "laki_laki", "disabilitas"):
        if k in vals and total is not None and vals[k] > total:
            problems.append(f"{k.replace('_', '-')} ({fmt.number(vals[k])}) melebihi total ({fmt.number(total)})")
        if k in vals and vals[k] < 0:
            problems.append(f"{k} negatif")
    if {"perempuan", "laki_laki", "total"} <= set(vals) and abs(vals["perempuan"] + vals["laki_laki"] - total) > 1e-9:
        both = fmt.number(vals["perempuan"] + vals["laki_laki"])
        problems.append(f"perempuan + laki-laki ({both}) tidak sama dengan total ({fmt.number(total)})")
    if not vals:
        problems.append("Belum ada nilai yang diisi")
    if problems:
        raise ValueError("; ".join(problems))
    now = datetime.now()

    def fn(cur: duckdb.DuckDBPyConnection) -> int:
        for k, v in vals.items():
            insert_value(cur, chain_id, ind, period.strip(), jenis, k, v, actor, now)
        return len(vals)

    return db.write(actor, "results.value", f"{chain_id}/{ind} {period} {jenis}", fn)


def add_review(db, role: str | None, actor: str, chain_id: int, jenis: str, tanggal: date, agenda: str,
               temuan: str, keputusan: str, alasan: str, indikator: list[str]) -> int:
    """Record a review meeting with its agenda, findings and decision, linked to the indicators discussed."""
    auth.require(role, "edit_monitoring")
    problems = []
    if jenis not in REVIEW_KINDS:
        problems.append(f"Jenis tinjauan '{jenis}' tidak dikenal ({', '.join(REVIEW_KINDS)})")
    if keputusan not in DECISIONS:
        problems.append(f"Keputusan '{keputusan}' harus lanjut, sesuaikan, hentikan atau tambah")
    if not agenda.strip():
        problems.append("Agenda wajib diisi")
    if keputusan in ("sesuaikan", "hentikan") and not (alasan or "").strip():
        problems.append("Tuliskan alasan keputusan menyesuaikan atau menghentikan intervensi")
    if keputusan == "tambah" and jenis not in YEAR_END:
        problems.append("Menambah intervensi baru diputuskan di pertemuan review akhir tahun pertama atau kedua")
    if keputusan == "tambah" and not (alasan or "").strip():
        problems.append("Tuliskan intervensi baru yang ditambahkan dan alasannya")
    unknown = set(indikator) - set(load_results_chain(db, chain_id)["indicators"]["ind"])
    if unknown:
        problems.append(f"Indikator tidak ada di rantai hasil: {', '.join(sorted(unknown))}")
    if problems:
        raise ValueError("; ".join(problems))

    def fn(cur: duckdb.DuckDBPyConnection) -> int:
        rid = int(cur.execute("SELECT nextval('mon_seq')").fetchone()[0])
        cur.execute("INSERT INTO reviews VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?, ?)",
                    [rid, chain_id, jenis, tanggal, agenda.strip(), temuan, keputusan, alasan, list(indikator), actor,
                     datetime.now()])
        return rid

    return db.write(actor, "results.review", f"{jenis} {tanggal}: {keputusan}", fn)


def programme_stages(db: Database, chain_id: int | None = None) -> pd.DataFrame:
    """The programme scorecard's answers (``chain_id``, ``criterion``, ``met``, ``bukti``), of one results chain
    or all."""
    return db.query("""SELECT chain_id, criterion, met, bukti, updated_by, updated_at FROM programme_stages
                       WHERE ? IS NULL OR chain_id = ? ORDER BY chain_id, criterion""", [chain_id, chain_id])


def save_programme_stages(db: Database, role: str | None, actor: str, chain_id: int,
                          answers: dict[str, tuple[bool, str]]) -> int:
    """Store which of the study's ten programme stages a results chain has, with the evidence; a stage
    ticked as present needs its evidence written (document, activity, date). Criteria not in ``answers``
    are cleared (not answered). Returns the number of answers stored."""
    auth.require(role, "edit_monitoring")
    unknown = set(answers) - set(comprehensiveness.KEYS)
    if unknown:
        raise ValueError(f"Kriteria tidak dikenal: {', '.join(sorted(unknown))}")
    names = {c.key: c.label() for c in comprehensiveness.CRITERIA}
    missing = [names[k] for k in comprehensiveness.KEYS  # in the card's order
               if k in answers and answers[k][0] and len(answers[k][1].strip()) < 3]
    if missing:
        raise ValueError("Tuliskan buktinya (dokumen, kegiatan atau tanggal) untuk tahap yang dinyatakan ada: "
                         + ", ".join(missing))
    if rc_chains(db).query("id == @chain_id").empty:
        raise ValueError(f"Rantai hasil {chain_id} tidak ada.")
    now = datetime.now()

    def fn(cur: duckdb.DuckDBPyConnection) -> int:
        cur.execute("DELETE FROM programme_stages WHERE chain_id = ?", [chain_id])
        for key, (met, bukti) in answers.items():
            cur.execute("INSERT INTO programme_stages VALUES (?, ?, ?, ?, ?, ?)",
                        [chain_id, key, bool(met), bukti.strip() or None, actor, now])
        return len(answers)

    points = sum(1 for met, _ in answers.values() if met)
    return db.write(actor, "programme.stages", f"rantai hasil {chain_id}: {points}/10", fn)


def create_respondent(db: Database, role: str | None, actor: str, kode: str, actor_group: str, nama: str | None = None,
                      kelompok: str | None = None, kabupaten: str | None = None, sex: str | None = None,
                      disabilitas: bool = False, model_id: int | None = None) -> int:
    """A respondent (people are referred to by code; the name is optional)."""
    auth.require(role, "edit_monitoring")
    problems = respondent_problems(kode, actor_group, sex)
    if problems:
        raise ValueError("; ".join(problems))
    if kode.strip() in set(adkar_respondents(db)["kode"]):
        raise ValueError(f"Kode responden '{kode.strip()}' sudah dipakai.")

    def fn(cur: duckdb.DuckDBPyConnection) -> int:
        rid = int(cur.execute("SELECT nextval('mon_seq')").fetchone()[0])
        cur.execute("INSERT INTO adkar_respondents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?, ?)",
                    [rid, kode.strip(), nama, actor_group, kelompok, kabupaten, sex or None, bool(disabilitas),
                     model_id,
                     actor, datetime.now()])
        return rid

    return db.write(actor, "adkar.respondent", kode, fn)


def record_scores(db: Database, role: str | None, actor: str, respondent_id: int, period: str,
                  scores: dict[str, int]) -> int:
    """Store a respondent's indicator scores for a period (append-only; the newest counts)."""
    auth.require(role, "edit_monitoring")
    resp = adkar_respondents(db).set_index("id")
    if respondent_id not in resp.index:
        raise ValueError(f"Responden {respondent_id} tidak ada.")
    group = resp.loc[respondent_id, "actor_group"]
    problems = score_problems(group, scores, f"Responden {resp.loc[respondent_id, 'kode']}")

    if (bad := check_period(str(period))) is not None:
        problems.append(bad[0].upper() + bad[1:])
    if problems:
        raise ValueError("; ".join(problems))
    now = datetime.now()

    def fn(cur: duckdb.DuckDBPyConnection) -> int:
        for code, sc in scores.items():
            seq = int(cur.execute("SELECT nextval('mon_seq')").fetchone()[0])
            cur.execute("INSERT INTO adkar_scores VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [seq, respondent_id, str(period).strip(), code, int(sc), actor, now])
        return len(scores)

    return db.write(actor, "adkar.scores", f"responden {respondent_id}, {period}: {len(scores)}", fn)


def record_link(db: Database, role: str | None, actor: str, period: str, dari: str, ke: str, jenis: str,
                dari_kelompok: str | None = None, ke_kelompok: str | None = None, catatan: str | None = None) -> None:
    """Record that ``dari`` supports (``pendukung``) or holds back (``penghambat``) ``ke``."""
    auth.require(role, "edit_monitoring")
    if not dari.strip() or not ke.strip():
        raise ValueError("Isi siapa yang mendukung/menghambat dan siapa yang didukung/dihambat.")
    if jenis not in ("pendukung", "penghambat"):
        raise ValueError("Jenis hubungan harus 'pendukung' atau 'penghambat'.")
    if dari.strip() == ke.strip():
        raise ValueError("Pelaku tidak dapat mendukung atau menghambat dirinya sendiri.")

    def fn(cur: duckdb.DuckDBPyConnection) -> None:
        seq = int(cur.execute("SELECT nextval('mon_seq')").fetchone()[0])
        cur.execute("INSERT INTO adkar_links VALUES (?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?, ?)",
                    [seq, str(period).strip(), dari.strip(), dari_kelompok, ke.strip(), ke_kelompok, jenis, catatan,
                     actor, datetime.now()])

    db.write(actor, "adkar.link", f"{dari} → {ke} ({jenis})", fn)


def respondents_from_model(db: Database, role: str | None, actor: str, model_id: int) -> int:
    """Respondents drawn from a business model and its value chain: one per actor of the model (farmers
    for POKMAS, buyers for the local and private partners, the financial institution, the input
    supplier as a supporting function) and one per supporting function of the chain. Existing codes are
    kept. Returns how many were added."""
    auth.require(role, "edit_monitoring")

    info = bm_store.bm_models(db).set_index("id").loc[model_id]
    actors = bm_store.load(db, model_id)["actors"]
    role_group = {"pokmas": "petani", "mitra_lokal": "pembeli", "mitra_swasta": "pembeli",
                  "lembaga_keuangan": "keuangan", "penyedia_input": "pendukung"}
    want = [(f"M{model_id}-{r.peran}", r.nama, role_group[r.peran]) for r in actors.itertuples()]
    if pd.notna(info["chain_id"]):
        system = vc_store.load(db, int(info["chain_id"]))["system"]
        for i, r in enumerate(system[system["lapisan"] == "pendukung"].itertuples(), start=1):
            grp = "keuangan" if str(r.kategori).lower() == "keuangan" else "pendukung"
            want.append((f"M{model_id}-fp{i}", r.nama, grp))
    have = set(adkar_respondents(db)["kode"])
    new = [w for w in want if w[0] not in have]
    now = datetime.now()

    def fn(cur: duckdb.DuckDBPyConnection) -> int:
        for kode, nama, grp in new:
            rid = int(cur.execute("SELECT nextval('mon_seq')").fetchone()[0])
            cur.execute("INSERT INTO adkar_respondents VALUES (?, ?, ?, ?, ?, ?, NULL, FALSE, ?, FALSE, ?, ?)",
                        [rid, kode, nama, grp, nama, str(info["kabupaten"]), model_id, actor, now])
        return len(new)

    return db.write(actor, "adkar.from_model", f"model {model_id}: {len(new)} responden", fn)


def import_responses(db: Database, role: str | None, actor: str, file_name: str, data: bytes) -> dict[str, int]:
    """Import responses all or nothing: new respondent codes are created, scores appended."""
    auth.require(role, "import_monitoring")
    rows, problems = read_responses(file_name, data)
    if any(p.severity == "error" for p in problems):
        raise ImportRejected(problems)
    existing = adkar_respondents(db).set_index("kode")
    clash = [r for r in rows.drop_duplicates("kode").itertuples()
             if r.kode in existing.index and existing.loc[r.kode, "actor_group"] != r.actor_group]
    if clash:
        raise ImportRejected([Problem(file_name, r.line, "kelompok_aktor",
                                      f"responden {r.kode} sudah tercatat sebagai "
                                      f"{existing.loc[r.kode, 'actor_group']}")
                              for r in clash])
    now = datetime.now()

    def fn(cur: duckdb.DuckDBPyConnection) -> dict[str, int]:
        ids = dict(zip(existing.index, existing["id"], strict=False))
        added = 0
        for r in rows.drop_duplicates("kode").itertuples():
            if r.kode not in ids:
                rid = int(cur.execute("SELECT nextval('mon_seq')").fetchone()[0])
                cur.execute("INSERT INTO adkar_respondents VALUES (?, ?, ?, ?, ?, NULL, ?, ?, NULL, FALSE, ?, ?)",
                            [rid, r.kode, r.nama if isinstance(r.nama, str) else None, r.actor_group,
                             r.kelompok if isinstance(r.kelompok, str) else None, r.sex, bool(r.disabilitas), actor,
                             now])
                ids[r.kode] = rid
                added += 1
        for r in rows.itertuples():
            seq = int(cur.execute("SELECT nextval('mon_seq')").fetchone()[0])
            cur.execute("INSERT INTO adkar_scores VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [seq, ids[r.kode], r.period, r.indicator_code, int(r.score), actor, now])
        return {"responden_baru": added, "skor": len(rows)}

    return db.write(actor, "adkar.import", f"{file_name}: {len(rows)} skor", fn)


def load_stages(db: Database, threshold: int = 1, reading: str = "setiap") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Respondents and their stage table (all periods), stages read by ``reading`` (:data:`adkar.READINGS`)."""
    resp = adkar_respondents(db)
    return resp, adkar.stages(adkar_latest(db), resp, threshold, reading)


def add_templates(db, role: str | None, actor: str, chain_id: int, templates: pd.DataFrame, box: str) -> int:
    """Add APP template indicators to a box of a chain (new codes T1, T2 …; existing names skipped)."""
    auth.require(role, "edit_monitoring")
    tables = load_results_chain(db, chain_id)
    if box not in set(tables["boxes"]["box"]):
        raise ValueError(f"Kotak '{box}' tidak ada di rantai hasil ini.")
    inds = tables["indicators"]
    have = set(inds["nama"].str.lower())
    new = templates[~templates["nama"].str.lower().isin(have)]
    used = set(inds["ind"])
    codes, n = [], 1
    while len(codes) < len(new):
        if f"T{n}" not in used:
            codes.append(f"T{n}")
        n += 1
    add = pd.DataFrame({"ind": codes, "box": box, "nama": new["nama"].values, "tema": new["tema"].values,
                        "sumber_kelompok": new["sumber_kelompok"].values, "satuan": new["satuan"].values,
                        "baseline": np.nan, "target": np.nan, "sumber_data": None, "metode": None,
                        "penanggung_jawab": None, "jadwal": None, "pilah": new["pilah"].astype(bool).values,
                        "kunci": None, "jenis_data": "kuantitatif", "ukuran_sampel": None, "responden": None,
                        "sumber_verifikasi": None})
    if add.empty:
        return 0
    save_results_table(db, role, actor, chain_id, "indicators", pd.concat([inds, add], ignore_index=True))
    return len(add)
