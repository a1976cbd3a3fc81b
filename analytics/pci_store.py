"""Stored PCI scorecards: rubrics (the method's reference and local copies), groups, observations per
group and year (append-only), scorecards and history, and the method's three-sheet workbook
(Indikator Pemantauan, Acuan Evaluasi, Form Isian) for export and import."""

from __future__ import annotations

import io
from datetime import datetime

import duckdb
import numpy as np
import pandas as pd

from analytics import auth, export, pci, queries
from analytics.db import Database
from analytics.importer.problems import ImportRejected, Problem

LEVEL_COLUMNS = ["indicator_no", "score_0", "score_1", "score_2", "score_3"]
SHEETS = ("Indikator Pemantauan", "Acuan Evaluasi", "Form Isian")
_HEAD_LABELS = ("kelompok", "tahun", "total skor", "predikat", "no")


# ---------------------------------------------------------------------- rubrics
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
    queries.replace_rows(cur, "pci_levels", {"rubric_id": rid}, long[["indicator_no", "score", "teks"]])
    queries.replace_rows(cur, "pci_weights", {"rubric_id": rid}, w)
    return rid


def rubric_texts(db: Database, rubric_id: int) -> pd.DataFrame:
    """A rubric's level texts, one row per indicator (``score_0`` … ``score_3``, "" = not defined)."""
    long = queries.pci_levels(db, rubric_id)
    wide = long.pivot(index="indicator_no", columns="score", values="teks").reindex(
        index=range(1, 27), columns=range(4)).fillna("")
    wide.columns = LEVEL_COLUMNS[1:]
    return wide.reset_index()


def rubric_weights(db: Database, rubric_id: int) -> dict[int, float]:
    """Criterion weights of a rubric (criteria without a weight count 1)."""
    w = queries.pci_weights(db, rubric_id)
    return dict(zip(w["criterion_no"].astype(int), w["weight"].astype(float)))


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


def check_entries(rubric: pci.Rubric, entries: pd.DataFrame, where: str = "Isian") -> list[str]:
    """Problems of one group's entries (``indicator_no``, ``value``, ``level``, ``note``): unknown
    indicator, negative value, level outside 0-3 or not defined by the rubric, a qualitative indicator
    without a level, a value no band covers and no level chosen."""
    by_no = rubric.by_no()
    out = []
    for i, r in enumerate(entries.itertuples(), start=1):
        ind = by_no.get(int(r.indicator_no)) if pd.notna(r.indicator_no) else None
        if ind is None:
            out.append(f"{where}, baris {i}: indikator '{r.indicator_no}' tidak ada di rubrik (1-26)")
            continue
        has_value, has_level = pd.notna(r.value), pd.notna(r.level)
        if has_value and r.value < 0:
            out.append(f"{where}, indikator {ind.no}: nilai pengamatan negatif ({r.value:g})")
        if has_level and (r.level not in (0, 1, 2, 3) or int(r.level) not in ind.levels()):
            out.append(f"{where}, indikator {ind.no}: skor {r.level:g} tidak didefinisikan rubrik "
                       f"(tersedia: {', '.join(map(str, ind.levels()))})")
        if not ind.numeric and has_value and not has_level:
            out.append(f"{where}, indikator {ind.no}: indikator kualitatif, pilih skor 0-3 sesuai uraian rubrik")
        if ind.numeric and has_value and not has_level and not any(b.contains(float(r.value)) for b in ind.bands):
            out.append(f"{where}, indikator {ind.no}: nilai {r.value:g} tidak tercakup rubrik (celah); pilih skor "
                       "sendiri dan tulis alasannya di catatan")
    return out


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


def matrices(obs: pd.DataFrame, rubric: pci.Rubric, keys: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Values and levels (len(keys) × indicators) from the newest observations of (group, period)."""
    nos = [i.no for i in rubric.indicators]
    index = pd.MultiIndex.from_tuples(keys, names=["group_id", "period"])
    val = obs.pivot_table(index=["group_id", "period"], columns="indicator_no", values="value", aggfunc="last")
    lev = obs.pivot_table(index=["group_id", "period"], columns="indicator_no", values="level", aggfunc="last")
    val = val.reindex(index=index, columns=nos) if not val.empty else pd.DataFrame(np.nan, index=index, columns=nos)
    lev = lev.reindex(index=index, columns=nos) if not lev.empty else pd.DataFrame(np.nan, index=index, columns=nos)
    return val.to_numpy(dtype=float), lev.to_numpy(dtype=float)


def scorecard(db: Database, rubric: pci.Rubric, period: int | None = None, use_weights: bool = False,
              group_id: int | None = None) -> tuple[pd.DataFrame, pci.Scored]:
    """Per group and year (one year, or all): total, weighted total, predicate, the predicate by total
    alone and why it differs, completeness, whether it is the group's first year, and indicator scores
    (columns ``i1`` … ``i26``)."""
    obs = queries.pci_latest(db, period, group_id)
    groups = queries.pci_groups(db).set_index("id")
    first = queries.pci_first_periods(db)
    keys = list(obs[["group_id", "period"]].drop_duplicates().itertuples(index=False, name=None))
    keys.sort(key=lambda k: (groups["nama"].get(k[0], ""), k[1]))
    values, levels = matrices(obs, rubric, keys)
    sc = pci.score(rubric, values, levels)
    preds = pci.predicates(sc, use_weights)
    rows = []
    for (gid, per), p, t, w, c in zip(keys, preds, sc.total, sc.weighted, sc.complete):
        rows.append({"group_id": gid, "kelompok": groups["nama"].get(gid, str(gid)), "period": per,
                     "total": t, "total_bobot": w, "predikat": p.name, "kode": p.code, "predikat_total": p.by_total,
                     "alasan": " ".join(p.reasons), "lengkap": bool(c), "tahun_pertama": first.get(gid) == per,
                     "sintetis": bool(groups["is_synthetic"].get(gid, False))})
    table = pd.DataFrame(rows, columns=["group_id", "kelompok", "period", "total", "total_bobot", "predikat", "kode",
                                        "predikat_total", "alasan", "lengkap", "tahun_pertama", "sintetis"])
    scores = pd.DataFrame(sc.scores, columns=[f"i{n}" for n in sc.indicators])
    return pd.concat([table, scores], axis=1), sc


def group_detail(db: Database, rubric: pci.Rubric, group_id: int, period: int) -> pd.DataFrame:
    """One group's year per indicator: observed value, chosen level, score, note on the scoring (gap,
    overlap), the first-year flag and the rubric texts."""
    obs = queries.pci_latest(db, period, group_id)
    values, levels = matrices(obs, rubric, [(group_id, period)])
    sc = pci.score(rubric, values, levels)
    first = queries.pci_first_periods(db).get(group_id) == period
    notes = obs.set_index("indicator_no")["note"] if not obs.empty else pd.Series(dtype=object)
    rows = []
    for j, ind in enumerate(rubric.indicators):
        flag = "tahun pertama: belum ada pembanding tahun lalu" if first and ind.previous_year else ""
        rows.append({"no": ind.no, "indikator": ind.name, "nilai": values[0, j], "skor_pilihan": levels[0, j],
                     "skor": sc.scores[0, j], "catatan_skor": {"gap": "celah rubrik", "overlap": "tumpang tindih, skor "
                                                               "terendah dipakai"}.get(sc.notes[0, j], ""),
                     "bendera": flag, "catatan": notes.get(ind.no, None),
                     "rubrik": " | ".join(f"{b.score}: {b.text}" for b in ind.bands)})
    return pd.DataFrame(rows)


def detail_summary(detail: pd.DataFrame) -> tuple[float, pci.Predicate, int]:
    """Total, predicate (with the extra rules) and number of scored indicators of one group's year, from
    :func:`group_detail`."""
    total = float(detail["skor"].fillna(0).sum())
    return total, pci.predicate(total, dict(zip(detail["no"], detail["skor"]))), int(detail["skor"].notna().sum())


# ---------------------------------------------------------------------- the method's workbook
def workbook(db: Database, rubric_id: int, group_id: int | None = None, period: int | None = None) -> bytes:
    """The three sheets of the method: the indicators, the rubric (targets and score levels, weights)
    and the entry form of one group and year (empty when none is given), with the totals."""
    ref = pci.reference_indicators()
    ind = ref[["principle_no", "principle", "criterion_no", "criterion", "indicator_no", "indicator", "measure",
               "unit", "scale", "method", "period"]].rename(columns={
        "principle_no": "No prinsip", "principle": "Prinsip", "criterion_no": "No kriteria", "criterion": "Kriteria",
        "indicator_no": "No", "indicator": "Indikator", "measure": "Alat ukur", "unit": "Satuan", "scale": "Skala",
        "method": "Metode", "period": "Periode"})
    texts = rubric_texts(db, rubric_id)
    weights = rubric_weights(db, rubric_id)
    acuan = ref[["indicator_no", "indicator", "criterion_no", "target"]].merge(texts, on="indicator_no")
    acuan["bobot_kriteria"] = acuan["criterion_no"].map(lambda c: weights.get(int(c), 1.0))
    acuan = acuan.rename(columns={"indicator_no": "No", "indicator": "Indikator", "criterion_no": "No kriteria",
                                  "target": "Target capaian", "score_0": "Skor 0", "score_1": "Skor 1",
                                  "score_2": "Skor 2", "score_3": "Skor 3", "bobot_kriteria": "Bobot kriteria"})
    rubric = load_rubric(db, rubric_id)
    if group_id is not None and period is not None:
        detail = group_detail(db, rubric, group_id, period)
        form = detail[["no", "indikator", "nilai", "skor_pilihan", "skor", "catatan"]]
        name = queries.pci_groups(db).set_index("id")["nama"].get(group_id, "")
        synthetic = bool(queries.pci_groups(db).set_index("id")["is_synthetic"].get(group_id, False))
    else:
        form = pd.DataFrame({"no": ref["indicator_no"], "indikator": ref["indicator"], "nilai": np.nan,
                             "skor_pilihan": np.nan, "skor": np.nan, "catatan": None})
        name, synthetic = "", False
    form = form.rename(columns={"no": "No", "indikator": "Indikator", "nilai": "Hasil pengamatan",
                                "skor_pilihan": "Skor dipilih", "skor": "Skor", "catatan": "Catatan"})
    total, p, _n = detail_summary(detail) if group_id is not None and period is not None else (0.0, None, 0)
    head = pd.DataFrame({"No": ["Kelompok", "Tahun", "Total skor", "Predikat"],
                         "Indikator": [name, period or "", total if p else "", p.name if p else ""]})
    form_sheet = pd.concat([head, pd.DataFrame({"No": [None]}), form], ignore_index=True)
    return export.xlsx_bytes({SHEETS[0]: ind, SHEETS[1]: acuan, SHEETS[2]: form_sheet},
                             "Data contoh (sintetis) — bukan data resmi" if synthetic else None)


def read_workbook(file_name: str, data: bytes, rubric: pci.Rubric) -> tuple[str, int, pd.DataFrame, pd.DataFrame | None,
                                                                             list[Problem]]:
    """Read the method's workbook: group name, year and entries from 'Form Isian'; the rubric texts of
    'Acuan Evaluasi' (None when the sheet is missing). Problems name the sheet, row and column."""
    problems: list[Problem] = []
    try:
        book = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, dtype=object)
    except Exception as exc:  # noqa: BLE001 - any unreadable file gets the same clear message
        raise ImportRejected([Problem(file_name, None, None, f"bukan berkas XLSX yang bisa dibaca ({exc})")]) from exc
    if SHEETS[2] not in book:
        raise ImportRejected([Problem(file_name, None, None, f"lembar kerja '{SHEETS[2]}' tidak ada (ada: "
                                                             f"{', '.join(book)})")])
    raw = book[SHEETS[2]]
    label = raw.iloc[:, 0].map(lambda v: str(v).strip().lower() if v is not None and v == v else "")
    start = 0 if not label.str.startswith("data contoh").any() else int(label.str.startswith("data contoh").idxmax()) + 1

    def field(name: str) -> tuple[object, int | None]:
        hit = label[label == name.lower()]
        return (raw.iat[hit.index[0], 1], int(hit.index[0]) + 1) if len(hit) else (None, None)

    group, grow = field("Kelompok")
    year, yrow = field("Tahun")
    if not isinstance(group, str) or not group.strip():
        problems.append(Problem(file_name, grow, "Indikator", f"{SHEETS[2]}: nama kelompok (baris 'Kelompok') kosong"))
    try:
        year_i = int(float(year))
        if not 2000 <= year_i <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        problems.append(Problem(file_name, yrow, "Indikator", f"{SHEETS[2]}: tahun '{year}' bukan tahun yang sah"))
        year_i = 0
    header = label[label == "no"].index
    header = [h for h in header if h >= start]
    if not header:
        raise ImportRejected(problems + [Problem(file_name, None, "No", f"{SHEETS[2]}: baris judul tabel ('No', "
                                                                        "'Indikator', 'Hasil pengamatan' …) tidak ditemukan")])
    h = header[-1]
    cols = [str(c).strip() for c in raw.iloc[h]]
    body = raw.iloc[h + 1:].reset_index(drop=True)
    body.columns = cols[:len(body.columns)]
    need = ["No", "Hasil pengamatan", "Skor dipilih"]
    missing = [c for c in need if c not in body.columns]
    if missing:
        raise ImportRejected(problems + [Problem(file_name, h + 1, c, f"{SHEETS[2]}: kolom tidak ada") for c in missing])
    rows, lines = [], []
    for k, r in body.iterrows():
        line = h + 2 + k
        no = str(r["No"]).strip() if r["No"] is not None and r["No"] == r["No"] else ""
        if not no or no.lower() in _HEAD_LABELS:
            continue  # blank lines and the group/year/total lines above the table
        vals = {}
        for col, key in (("No", "indicator_no"), ("Hasil pengamatan", "value"), ("Skor dipilih", "level")):
            v = r[col]
            if v is None or v != v or (isinstance(v, str) and not v.strip()):
                vals[key] = np.nan
                continue
            try:
                vals[key] = float(str(v).replace(",", ".").replace("%", "").strip())
            except ValueError:
                problems.append(Problem(file_name, line, col, f"{SHEETS[2]}: '{v}' bukan angka"))
                vals[key] = np.nan
        note = r.get("Catatan")
        vals["note"] = note if isinstance(note, str) else None
        rows.append(vals)
        lines.append(line)
    entries = pd.DataFrame(rows, columns=["indicator_no", "value", "level", "note"])
    for k, line in enumerate(lines):
        for text in check_entries(rubric, entries.iloc[[k]], SHEETS[2]):
            problems.append(Problem(file_name, line, None, text))
    dup = entries["indicator_no"].dropna()
    for no in sorted(set(dup[dup.duplicated()])):
        problems.append(Problem(file_name, None, "No", f"{SHEETS[2]}: indikator {no:g} muncul lebih dari sekali"))
    texts = None
    if SHEETS[1] in book:
        a = book[SHEETS[1]]
        lab = a.iloc[:, 0].map(lambda v: str(v).strip() if v is not None and v == v else "")
        hdr = lab[lab == "No"].index
        if len(hdr):
            ah = hdr[0]
            acols = [str(c).strip() for c in a.iloc[ah]]
            ab = a.iloc[ah + 1:].copy()
            ab.columns = acols
            if all(f"Skor {s}" in ab.columns for s in range(4)):
                ab = ab[ab["No"].notna()]
                texts = pd.DataFrame({"indicator_no": pd.to_numeric(ab["No"], errors="coerce"),
                                      **{f"score_{s}": ab[f"Skor {s}"].map(lambda v: str(v) if v is not None and v == v
                                                                           else "") for s in range(4)}}).dropna(
                    subset=["indicator_no"])
                texts["indicator_no"] = texts["indicator_no"].astype(int)
    return (group.strip() if isinstance(group, str) else ""), year_i, entries, texts, problems


def import_workbook(db: Database, role: str | None, actor: str, file_name: str, data: bytes, rubric_id: int) -> dict:
    """Import one group's year from the method's workbook, all or nothing: the group is matched by name
    (created when new) and its observations stored, scored with ``rubric_id``. Returns what was stored."""
    auth.require(role, "import_monitoring")
    rubric = load_rubric(db, rubric_id)
    group, year, entries, texts, problems = read_workbook(file_name, data, rubric)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ImportRejected(errors)
    groups = queries.pci_groups(db)
    match = groups[groups["nama"].str.lower() == group.lower()]
    differs = texts is not None and not _same_texts(texts, rubric_texts(db, rubric_id))
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


def _same_texts(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    cols = LEVEL_COLUMNS
    x = a.reindex(columns=cols).set_index("indicator_no").sort_index().fillna("").astype(str)
    y = b.reindex(columns=cols).set_index("indicator_no").sort_index().fillna("").astype(str)
    x = x.apply(lambda s: s.str.strip())
    y = y.reindex(x.index).fillna("").apply(lambda s: s.str.strip())
    return x.equals(y)


def export_csv(table: pd.DataFrame) -> bytes:
    """The scorecard as CSV, the synthetic label in its own column."""
    out = table.copy()
    out["keterangan"] = np.where(out["sintetis"], "Data contoh (sintetis)", "")
    return export.csv_bytes(out.drop(columns=["sintetis"]))
