"""Stored business models: create (from a value chain), read, check and save their tables; evaluate a
model as a whole; the poor households it can reach; the proposal annexes (Lampiran 2-5 and 7).

A model has four tables:

* **actors**: ``peran`` (one of :data:`business.ROLES`), ``nama``, ``rumah_tangga`` (households its
  lines describe; POKMAS members), ``chain_actor`` (the value-chain actor it came from), ``wilayah``
  (area codes, for the poor-household check) and ``catatan``;
* **lines**: ``peran`` plus the line columns of :mod:`analytics.business`;
* **outreach**: ``tahun`` (1, 2, 3 …) and ``rt_baru`` (new households reached that year);
* **budget**: ``tahun`` (0 = investment before the first year), ``sumber`` (one of
  :data:`business.SOURCES`), ``uraian``, ``nilai`` (Rp).

Each table is saved whole (the lines one actor at a time) after its checks; an error stores nothing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

import duckdb
import numpy as np
import pandas as pd

from analytics import auth, business, chains, edits, export, fmt, queries, targeting
from analytics.db import Database
from analytics.importer.registers import is_productive

COLUMNS: dict[str, list[str]] = {
    "actors": ["peran", "nama", "rumah_tangga", "chain_actor", "wilayah", "catatan"],
    "lines": ["peran"] + business.LINE_COLUMNS,
    "outreach": ["tahun", "rt_baru"],
    "budget": ["tahun", "sumber", "uraian", "nilai"],
}
TABLES = {"actors": "bm_actors", "lines": "bm_lines", "outreach": "bm_outreach", "budget": "bm_budget"}
ROLE_NAMES: dict[str, str] = {"pokmas": "POKMAS/UMK", "mitra_lokal": "Mitra lokal", "mitra_swasta": "Mitra swasta",
                              "lembaga_keuangan": "Lembaga keuangan", "penyedia_input": "Penyedia input"}
DEFAULT_RATE = 0.12
MAX_YEARS = 10


# ---------------------------------------------------------------------- read
def load(db: Database, model_id: int) -> dict[str, pd.DataFrame]:
    """The four tables of a model."""
    return {name: queries.bm_table(db, TABLES[name], model_id, COLUMNS[name]) for name in TABLES}


def lines_by_role(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Each actor's lines (line columns only), in the model's role order."""
    lines = tables["lines"]
    present = [r for r in business.ROLES if r in set(tables["actors"]["peran"])]
    return {r: lines.loc[lines["peran"] == r, business.LINE_COLUMNS].reset_index(drop=True) for r in present}


# ---------------------------------------------------------------------- checks
def _text(v: object) -> str:
    return v.strip() if isinstance(v, str) else ""


def check(name: str, frame: pd.DataFrame, model: str = "A", actor_name: str = "") -> list[str]:
    """Problems of one table, each naming the row and column, in Bahasa Indonesia (empty = fine)."""
    out: list[str] = []
    if name == "lines":
        return business.check_lines(frame.reset_index(drop=True), actor_name or "pelaku")
    if name == "actors":
        roles = [_text(r) for r in frame["peran"]]
        for i, r in enumerate(frame.itertuples(), start=1):
            if _text(r.peran) not in business.ROLES:
                out.append(f"Pelaku, baris {i}: peran '{r.peran}' tidak dikenal ({', '.join(business.ROLES)})")
            if not _text(r.nama):
                out.append(f"Pelaku, baris {i}, kolom nama: nama belum diisi")
            if pd.notna(r.rumah_tangga) and r.rumah_tangga <= 0:
                out.append(f"Pelaku, baris {i}, kolom rumah_tangga: harus lebih dari 0")
            if _text(r.peran) == "pokmas" and not (pd.notna(r.rumah_tangga) and r.rumah_tangga > 0):
                out.append(f"Pelaku, baris {i} (POKMAS), kolom rumah_tangga: jumlah rumah tangga anggota wajib diisi")
        for r in sorted({r for r in roles if roles.count(r) > 1}):
            out.append(f"Pelaku: peran '{r}' muncul lebih dari sekali")
        for r in business.MODEL_ROLES[model]:
            if r not in roles:
                out.append(f"Pelaku: model {model} membutuhkan {ROLE_NAMES[r]} ('{r}')")
    elif name == "outreach":
        for i, r in enumerate(frame.itertuples(), start=1):
            if pd.isna(r.tahun) or not float(r.tahun).is_integer() or not 1 <= r.tahun <= MAX_YEARS:
                out.append(f"Penjangkauan, baris {i}, kolom tahun: harus bilangan bulat 1-{MAX_YEARS}")
            if pd.isna(r.rt_baru) or r.rt_baru < 0:
                out.append(f"Penjangkauan, baris {i}, kolom rt_baru: kosong atau negatif")
        years = frame["tahun"].dropna().tolist()
        if len(years) != len(set(years)):
            out.append("Penjangkauan: tahun yang sama muncul lebih dari sekali")
        if sorted(years) != list(range(1, len(years) + 1)) and not out:
            out.append("Penjangkauan: tahun harus berurutan mulai dari 1 tanpa loncatan")
    elif name == "budget":
        for i, r in enumerate(frame.itertuples(), start=1):
            if pd.isna(r.tahun) or not float(r.tahun).is_integer() or not 0 <= r.tahun <= MAX_YEARS:
                out.append(f"Anggaran, baris {i}, kolom tahun: harus bilangan bulat 0-{MAX_YEARS} (0 = investasi awal)")
            if _text(r.sumber) not in business.SOURCES:
                out.append(f"Anggaran, baris {i}, kolom sumber: '{r.sumber}' bukan salah satu dari "
                           f"{', '.join(business.SOURCES)}")
            if not _text(r.uraian):
                out.append(f"Anggaran, baris {i}, kolom uraian: belum diisi")
            if pd.isna(r.nilai) or r.nilai < 0:
                out.append(f"Anggaran, baris {i}, kolom nilai: kosong atau negatif")
    return out


def draft(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """An edited table without its empty rows and with text trimmed (what would be saved)."""
    cols = COLUMNS[name] if name != "lines" else business.LINE_COLUMNS
    key = {"actors": "peran", "lines": "uraian", "outreach": "tahun", "budget": "uraian"}[name]
    return edits.clean(frame, cols, key)


# ---------------------------------------------------------------------- write
def _new_model(cur: duckdb.DuckDBPyConnection, title: str, model: str, commodity: str, kabupaten: str,
               chain_id: int | None, rate: float, is_synthetic: bool, actor: str) -> int:
    mid = int(cur.execute("SELECT nextval('bm_seq')").fetchone()[0])
    cur.execute("INSERT INTO bm_models VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [mid, chain_id, commodity, kabupaten, title, model, rate, is_synthetic, actor, datetime.now()])
    return mid


def starting_tables(model: str, chain: dict[str, pd.DataFrame] | None) -> dict[str, pd.DataFrame]:
    """The tables a new model starts with: from the value chain where there is one (its actors, prices
    and volumes before and after), every actor of the model present (an empty one named after its role
    where the chain has none), and a three-year outreach plan of the POKMAS's households each year."""
    picked = business.from_chain(chain["actors"], chain["flows"], chain["system"]) if chain else {}
    actors, lines = [], []
    for role in business.MODEL_ROLES[model]:
        p = picked.get(role)
        if p is None:
            actors.append((role, f"{ROLE_NAMES[role]} (belum ditentukan)", 1.0 if role != "pokmas" else 25.0,
                           None, None, None))
            continue
        wil = None
        if chain and p["chain_actor"] is not None:
            wil = chain["actors"].set_index("actor").loc[p["chain_actor"], "wilayah"]
        actors.append((role, p["nama"], p["rumah_tangga"], p["chain_actor"], wil, None))
        if not p["lines"].empty:
            lines.append(p["lines"].assign(peran=role))
    actor_df = pd.DataFrame(actors, columns=COLUMNS["actors"])
    hh = float(actor_df.loc[actor_df["peran"] == "pokmas", "rumah_tangga"].iloc[0])
    return {"actors": actor_df,
            "lines": (pd.concat(lines, ignore_index=True) if lines else pd.DataFrame(columns=COLUMNS["lines"]))
            .reindex(columns=COLUMNS["lines"]),
            "outreach": pd.DataFrame({"tahun": [1, 2, 3], "rt_baru": [hh, hh, hh]}),
            "budget": pd.DataFrame(columns=COLUMNS["budget"])}


def _write_tables(cur: duckdb.DuckDBPyConnection, mid: int, tables: dict[str, pd.DataFrame]) -> None:
    for name, df in tables.items():
        out = df.reindex(columns=COLUMNS[name])
        if name == "lines":
            out = out.assign(position=out.groupby("peran").cumcount())
        queries.replace_rows(cur, TABLES[name], {"model_id": mid}, out, position=name == "budget")


def create_model(db: Database, role: str | None, actor: str, title: str, model: str, commodity: str,
                 kabupaten: str, chain_id: int | None = None, rate: float = DEFAULT_RATE) -> int:
    """A new business model (A or B), pre-filled from a value chain when ``chain_id`` is given."""
    auth.require(role, "edit_business")
    if not title.strip():
        raise ValueError("Judul model bisnis wajib diisi.")
    if model not in business.MODEL_ROLES:
        raise ValueError(f"Model '{model}' tidak dikenal (A atau B).")
    tables = starting_tables(model, chains.load(db, chain_id) if chain_id else None)

    def fn(cur: duckdb.DuckDBPyConnection) -> int:
        mid = _new_model(cur, title.strip(), model, commodity, kabupaten, chain_id, rate, False, actor)
        _write_tables(cur, mid, tables)
        return mid

    return db.write(actor, "business.create", f"{title} (model {model}, {commodity}, {kabupaten})", fn)


def save(db: Database, role: str | None, actor: str, model_id: int, name: str, frame: pd.DataFrame,
         peran: str | None = None) -> None:
    """Replace one table of a model (the lines of actor ``peran`` only) after checking it. Raises
    ValueError with every problem, and stores nothing, when the table has errors."""
    auth.require(role, "edit_business")
    info = queries.bm_models(db).set_index("id").loc[model_id]
    df = draft(name, frame)
    names = dict(zip(*load(db, model_id)["actors"][["peran", "nama"]].T.values))
    problems = check(name, df, str(info["model"]), names.get(peran, ROLE_NAMES.get(peran or "", "")))
    if name == "actors":
        gone = set(load(db, model_id)["lines"]["peran"]) - set(df["peran"])
        problems += [f"Pelaku: peran '{g}' masih punya baris hitungan; hapus barisnya dulu" for g in sorted(gone)]
    if problems:
        raise ValueError("; ".join(problems))
    if name == "lines":
        if peran not in names:
            raise ValueError(f"Pelaku '{peran}' tidak ada di model ini.")
        df = df.assign(position=range(len(df)))
        key = {"model_id": model_id, "peran": peran}
    else:
        key = {"model_id": model_id}
    db.write(actor, f"business.{name}", f"model {model_id}{' ' + peran if peran else ''}: {len(df)} baris",
             lambda cur: queries.replace_rows(cur, TABLES[name], key, df, position=name == "budget"))


def set_rate(db: Database, role: str | None, actor: str, model_id: int, rate: float) -> None:
    """Store the discount rate of a model (a fraction, 0-1)."""
    auth.require(role, "edit_business")
    if not 0 <= rate < 1:
        raise ValueError("Tingkat diskonto harus antara 0% dan 100%.")
    db.write(actor, "business.rate", f"model {model_id}: {rate:.3f}",
             lambda cur: cur.execute("UPDATE bm_models SET discount_rate = ? WHERE id = ?", [rate, model_id]))


def replace_demo(cur: duckdb.DuckDBPyConnection, actor: str, chain_ids: dict[str, int]) -> dict[str, int]:
    """Inside the demo rebuild: replace the synthetic demo business models, one per demo chain
    (``chain_ids``: commodity → the new demo chain id). Real models are left alone. Returns
    commodity → the new demo model id."""
    from analytics import synthetic_chains

    queries.delete_synthetic(cur, "bm_models", tuple(TABLES.values()), "model_id")
    ids = {}
    for demo in synthetic_chains.DEMO_MODELS:
        chain = next(c for c in synthetic_chains.DEMO_CHAINS if c["commodity"] == demo["commodity"])
        tables = synthetic_chains.model_tables(demo, starting_tables(demo["model"], synthetic_chains.frames(chain)))
        mid = _new_model(cur, demo["title"], demo["model"], chain["commodity"], chain["kabupaten"],
                         chain_ids.get(chain["commodity"]), DEFAULT_RATE, True, actor)
        _write_tables(cur, mid, tables)
        ids[chain["commodity"]] = mid
    return ids


# ---------------------------------------------------------------------- a model as a whole
@dataclass(frozen=True)
class Evaluation:
    """Everything computed from a model's tables (and an optional what-if)."""

    lines: dict[str, pd.DataFrame]
    summary: pd.DataFrame
    projection: pd.DataFrame
    returns: dict
    sharing: pd.DataFrame
    leverage: float | None
    warnings: list[str]
    losers: list[str]


def evaluate(tables: dict[str, pd.DataFrame], rate: float, include_partners: bool = True,
             price: float = 0.0, volume: float = 0.0, cost: float = 0.0, scope: str | None = None) -> Evaluation:
    """The per-actor summary, projection, returns and cost sharing of a model, with the "sesudah"
    lines of actor ``scope`` (every actor when None) changed by the what-if fractions."""
    by_role = lines_by_role(tables)
    if price or volume or cost:
        by_role = {r: business.whatif(ls, price, volume, cost) if scope in (None, r) else ls for r, ls in by_role.items()}
    act = tables["actors"].set_index("peran")
    households = act["rumah_tangga"].fillna(1.0).to_dict()
    summ = business.summary(by_role, households)
    pokmas_hh = float(households.get("pokmas", 1.0))
    proj = business.projection(summ, by_role.get("pokmas", pd.DataFrame(columns=business.LINE_COLUMNS)), pokmas_hh,
                               tables["outreach"].sort_values("tahun")["rt_baru"].astype(float).tolist())
    ret = business.programme_returns(rate, proj, tables["budget"], include_partners)
    contrib = tables["budget"].groupby("sumber")["nilai"].sum().reindex(list(business.SOURCES)).fillna(0.0)
    sharing, leverage, warnings = business.cost_sharing(contrib.to_dict())
    losers = summ.loc[~summ["lebih_baik"], "peran"].tolist()
    return Evaluation(by_role, summ, proj, ret, sharing, leverage, warnings, losers)


@dataclass(frozen=True)
class PoorHouseholds:
    """Productive poor households (desil 2 and 3, APP rule) where the model works."""

    households: int
    scope: list[str]          # area codes counted (the POKMAS area; the whole kabupaten when none)
    register: str             # "source period"
    synthetic: bool


def poor_households(db: Database, kabupaten: str, tables: dict[str, pd.DataFrame]) -> PoorHouseholds | None:
    """Productive desil 2-3 households in the POKMAS's area (its ``wilayah`` codes, else the
    kabupaten's shortlisted areas, else the whole kabupaten), from the preferred register."""
    reg = targeting.preferred_register(db, kabupaten[:2])
    if reg is None:
        return None
    act = tables["actors"].set_index("peran")
    codes = chains.area_codes(act.loc["pokmas", "wilayah"]) if "pokmas" in act.index else []
    codes = [c for c in codes if c.startswith(kabupaten)]
    if not codes:
        sl = queries.priority_areas(db, kabupaten[:2])
        codes = [c for c in sl["kode"] if str(c).startswith(kabupaten + ".")] if not sl.empty else []
    rows = queries.households_in(db, kabupaten, reg[1], reg[0], codes)
    rows = rows[rows["desil"].isin([2, 3]) & rows["sektor"].map(is_productive)]
    return PoorHouseholds(int(rows["households"].sum()), codes or [kabupaten], f"{reg[0]} {reg[1]}", reg[2])


def outreach_check(ev: Evaluation, poor: PoorHouseholds | None) -> tuple[float | None, str | None]:
    """Share of the poor households reached by the last projection year, and a warning when the
    plan reaches more households than there are productive poor households in the area."""
    if poor is None or ev.projection.empty:
        return None, None
    reached = float(ev.projection["rt_terjangkau"].iloc[-1])
    share = reached / poor.households if poor.households else None
    if poor.households and reached > poor.households:
        return share, (f"Rencana menjangkau {fmt.number(reached)} rumah tangga, lebih banyak dari "
                       f"{fmt.number(poor.households)} rumah tangga miskin produktif (desil 2-3) di wilayah sasaran: "
                       "sebagian penerima bukan sasaran APP, atau wilayahnya perlu diperluas.")
    return share, None


# ---------------------------------------------------------------------- annexes
def profitability_table(lines: pd.DataFrame, households: float) -> pd.DataFrame:
    """An actor's lines before and after side by side (matched by kind, description and unit), with
    subtotals, net profit, additional net income, and per household."""
    def side(scen: str) -> pd.DataFrame:
        s = lines[lines["skenario"] == scen]
        return s.assign(nilai=s["volume"] * s["harga"]).set_index(["jenis", "uraian", "satuan"])[
            ["volume", "harga", "nilai"]].groupby(level=[0, 1, 2], sort=False).sum()

    both = side("sebelum").join(side("sesudah"), how="outer", lsuffix="_sebelum", rsuffix="_sesudah")
    order = {k: i for i, k in enumerate(business.KINDS)}
    both = both.reset_index()
    both = both.sort_values("jenis", key=lambda s: s.map(order), kind="stable")
    titles = {"pendapatan": "Pendapatan", "biaya_variabel": "Biaya variabel", "biaya_tetap": "Biaya tetap"}
    rows = []
    for kind in business.KINDS:
        part = both[both["jenis"] == kind]
        for r in part.itertuples():
            rows.append({"kelompok": titles[kind], "uraian": r.uraian, "satuan": r.satuan,
                         "volume_sebelum": r.volume_sebelum, "harga_sebelum": r.harga_sebelum,
                         "nilai_sebelum": r.nilai_sebelum, "volume_sesudah": r.volume_sesudah,
                         "harga_sesudah": r.harga_sesudah, "nilai_sesudah": r.nilai_sesudah})
        rows.append({"kelompok": titles[kind], "uraian": f"Jumlah {titles[kind].lower()}",
                     "nilai_sebelum": part["nilai_sebelum"].sum(), "nilai_sesudah": part["nilai_sesudah"].sum()})
    b, a = business.calculate(lines, "sebelum"), business.calculate(lines, "sesudah")
    hh = households or 1.0
    rows += [{"kelompok": "Hasil", "uraian": "Marjin kotor", "nilai_sebelum": b.gross_margin, "nilai_sesudah": a.gross_margin},
             {"kelompok": "Hasil", "uraian": "Laba bersih", "nilai_sebelum": b.net_profit, "nilai_sesudah": a.net_profit},
             {"kelompok": "Hasil", "uraian": f"Laba bersih per rumah tangga ({fmt.number(hh)} RT)",
              "nilai_sebelum": b.net_profit / hh, "nilai_sesudah": a.net_profit / hh},
             {"kelompok": "Hasil", "uraian": "Tambahan pendapatan bersih", "nilai_sesudah": a.net_profit - b.net_profit},
             {"kelompok": "Hasil", "uraian": "Tambahan pendapatan bersih per rumah tangga",
              "nilai_sesudah": (a.net_profit - b.net_profit) / hh},
             {"kelompok": "Hasil", "uraian": "Titik impas volume", "nilai_sebelum": b.break_even_volume,
              "nilai_sesudah": a.break_even_volume},
             {"kelompok": "Hasil", "uraian": "Titik impas harga (Rp per unit)", "nilai_sebelum": b.break_even_price,
              "nilai_sesudah": a.break_even_price}]
    return pd.DataFrame(rows, columns=["kelompok", "uraian", "satuan", "volume_sebelum", "harga_sebelum",
                                       "nilai_sebelum", "volume_sesudah", "harga_sesudah", "nilai_sesudah"])


def annexes(info: pd.Series, tables: dict[str, pd.DataFrame], ev: Evaluation,
            poor: PoorHouseholds | None) -> dict[str, pd.DataFrame]:
    """Lampiran 2, 3, 4, 5 and 7 of the proposal outline (technical guideline) as tables."""
    act = tables["actors"].set_index("peran")
    proj = ev.projection
    l2 = proj.rename(columns={"tahun": "Tahun", "rt_baru": "RT baru", "rt_terjangkau": "RT terjangkau (kumulatif)",
                              "skala": "Skala thd model", "volume_pokmas": "Volume penjualan POKMAS",
                              "penjualan_pokmas": "Nilai penjualan POKMAS (Rp)",
                              "tambahan_pendapatan_rt": "Tambahan pendapatan rumah tangga (Rp)",
                              "tambahan_laba_mitra": "Tambahan laba mitra (Rp)",
                              "tambahan_total": "Tambahan pendapatan bersih total (Rp)"})
    per_rt = float(ev.summary.set_index("peran").loc["pokmas", "tambahan_per_rt"]) if "pokmas" in act.index else np.nan
    l5 = pd.DataFrame({"Tahun": proj["tahun"], "RT baru": proj["rt_baru"], "RT terjangkau (kumulatif)": proj["rt_terjangkau"],
                       "Tambahan pendapatan per RT per tahun (Rp)": per_rt,
                       "Tambahan pendapatan RT total (Rp)": proj["tambahan_pendapatan_rt"]})
    r = ev.returns
    extra = [("Biaya program total (Rp)", r["biaya_total"]), ("Biaya per RT terjangkau (Rp)", r["biaya_per_rt"]),
             ("Tingkat diskonto", float(info["discount_rate"])), ("NPV (Rp)", r["npv"]),
             ("IRR", r["irr"] if r["irr"] is not None else r["irr_reason"]), ("Rasio manfaat-biaya (BCR)", r["bcr"]),
             ("Periode pengembalian (tahun)", r["payback"] if r["payback"] is not None else "tidak kembali dalam proyeksi")]
    if poor is not None:
        extra += [("RT miskin produktif (desil 2-3) di wilayah sasaran", poor.households),
                  ("Wilayah dihitung", ", ".join(poor.scope)), ("Register", poor.register)]
    l5_extra = pd.DataFrame(extra, columns=["Ukuran", "Nilai"])
    budget = tables["budget"].sort_values(["tahun", "sumber"]).rename(
        columns={"tahun": "Tahun", "sumber": "Sumber", "uraian": "Uraian", "nilai": "Nilai (Rp)"})
    share = ev.sharing.rename(columns={"sumber": "Sumber", "nilai": "Nilai (Rp)", "bagian": "Bagian"})
    lev = pd.DataFrame([("Leverage (swasta ÷ pemerintah)", ev.leverage)] + [("Peringatan", w) for w in ev.warnings],
                       columns=["Sumber", "Nilai (Rp)"])
    sheets = {"Lampiran 2 Proyeksi bisnis": l2}
    for role, sheet in (("pokmas", "Lampiran 3 Profitabilitas POKMAS"), ("mitra_swasta", "Lampiran 4 Mitra swasta")):
        if role in act.index:
            sheets[sheet] = profitability_table(ev.lines[role], float(act.loc[role, "rumah_tangga"] or 1.0))
    sheets["Lampiran 5 Penjangkauan"] = pd.concat([l5, l5_extra], ignore_index=True)
    sheets["Lampiran 7 Anggaran"] = pd.concat([budget, share, lev], ignore_index=True)
    return sheets


def annex_xlsx(info: pd.Series, sheets: dict[str, pd.DataFrame]) -> bytes:
    """The annexes as a workbook (the synthetic label above every table of a demo model)."""
    return export.xlsx_bytes(sheets, "Data contoh (sintetis) — bukan data resmi" if bool(info["is_synthetic"]) else None)


def annex_docx(info: pd.Series, sheets: dict[str, pd.DataFrame]) -> bytes:
    """The annexes as a Word document, one heading and table per Lampiran."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt, RGBColor

    doc = Document()
    doc.styles["Normal"].font.size = Pt(8)
    sec = doc.sections[0]
    sec.orientation, sec.page_width, sec.page_height = WD_ORIENT.LANDSCAPE, sec.page_height, sec.page_width
    doc.add_heading(f"Lampiran proposal: {info['title']}", level=0)
    if bool(info["is_synthetic"]):
        run = doc.add_paragraph().add_run("Data contoh (sintetis) — angka dalam dokumen ini bukan data resmi.")
        run.bold = True
        run.font.color.rgb = RGBColor(0x8A, 0x3B, 0x00)
    doc.add_paragraph(f"Model bisnis {info['model']}; komoditas {info.get('commodity_nama') or info['commodity']}; "
                      f"{info.get('kabupaten_nama') or info['kabupaten']}; tingkat diskonto "
                      f"{fmt.number(float(info['discount_rate']) * 100, 1)}%.")
    for name, df in sheets.items():
        doc.add_heading(name, level=1)
        export.docx_table(doc, df)
    doc.add_paragraph(f"Dibuat oleh Perantara pada {datetime.now():%d-%m-%Y %H:%M}.")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------- for display
def as_text(df: pd.DataFrame, money: list[str], numbers: list[str] | None = None, lang: str = "id") -> pd.DataFrame:
    """A copy with Rupiah columns (``money``) and plain number columns formatted for the screen."""
    out = df.copy()
    for c in money:
        out[c] = out[c].map(lambda v: fmt.rupiah(v, lang) if v is not None and v == v else "–")
    for c in numbers or []:
        out[c] = out[c].map(lambda v: fmt.number(v, 0, lang) if v is not None and v == v else "–")
    return out


def summary_display(summary: pd.DataFrame, names: dict[str, str], role_labels: dict[str, str],
                    lang: str = "id") -> pd.DataFrame:
    """The per-actor summary as text: actor, households, net profit before and after, additional net
    income in total and per household, break-even after, and ✓/✗ for "better off than today"."""
    s = summary.assign(pelaku=[f"{role_labels.get(r, r)}: {names.get(r, '')}" for r in summary["peran"]],
                       status=np.where(summary["lebih_baik"], "✓", "✗"))
    s = as_text(s, ["laba_sebelum", "laba_sesudah", "tambahan", "tambahan_per_rt", "impas_harga"],
                ["rumah_tangga", "impas_volume"], lang)
    return s[["pelaku", "rumah_tangga", "laba_sebelum", "laba_sesudah", "tambahan", "tambahan_per_rt",
              "impas_volume", "impas_harga", "status"]]
