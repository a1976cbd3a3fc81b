"""Business calculation of a business model, per actor, before and after.

An actor's lines are a table with ``skenario`` (sebelum/sesudah), ``jenis`` (``pendapatan``,
``biaya_variabel``, ``biaya_tetap``), ``uraian``, ``volume``, ``satuan`` and ``harga`` (Rp per unit;
for a fixed cost, volume 1 and the amount as price). From them: revenue, variable and fixed costs,
gross margin, net profit, break-even volume and price, and the additional net income the new model
brings, per household and in total.

References
----------
* Petunjuk teknis APP Provinsi Jawa Timur (``shared/seeds/000_…``): business calculation and proposal
  annexes (Lampiran 1-7).
* Panduan replikasi dan pelembagaan Keperantaraan Pasar, KOMPAK (``shared/seeds/004_…``): business
  models A and B, financing sources.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.business import calc, finance
from analytics.core import edits, fmt
from analytics.core.db import Database
from analytics.poverty import store as poverty_store
from analytics.poverty import targeting
from analytics.poverty.targeting import is_productive
from analytics.valuechain import analysis

KINDS: tuple[str, ...] = ("pendapatan", "biaya_variabel", "biaya_tetap")
LINE_COLUMNS: list[str] = ["skenario", "jenis", "uraian", "volume", "satuan", "harga"]
PUBLIC: tuple[str, ...] = ("APBD", "APBDes", "APBN/DAK")
PRIVATE: tuple[str, ...] = ("Mitra swasta", "CSR", "Lembaga keuangan")
SOURCES: tuple[str, ...] = ("APBD", "APBDes", "APBN/DAK", "Mitra swasta", "Swadaya masyarakat", "Lembaga keuangan",
                            "CSR")
"""Who pays: government (APBD, APBDes, APBN/DAK), the private partner, the community, a lender, CSR."""
ROLES: tuple[str, ...] = ("pokmas", "mitra_lokal", "mitra_swasta", "lembaga_keuangan", "penyedia_input")
"""Actors of the replication guide's models: producer group (POKMAS/UMK), local partner (BUMDes,
koperasi, collector), private partner (off-taker); model B adds a financial institution and an input
supplier."""
MODEL_ROLES: dict[str, tuple[str, ...]] = {"A": ROLES[:3], "B": ROLES}


# pragma: no mutate start, outside the calculation core: input validation of edited lines
def check_lines(lines: pd.DataFrame, actor: str) -> list[str]:
    """Problems in an actor's lines, each naming the row: negative volume, missing price, a line
    without a unit, an unknown kind or scenario."""
    out = []
    for i, r in enumerate(lines.itertuples(), start=1):
        where = f"{actor}, baris {i} ('{r.uraian}')"
        if r.jenis not in KINDS:
            out.append(f"{where}: jenis '{r.jenis}' tidak dikenal (pendapatan, biaya_variabel, biaya_tetap)")
        if r.skenario not in ("sebelum", "sesudah"):
            out.append(f"{where}: skenario harus 'sebelum' atau 'sesudah'")
        if pd.isna(r.volume) or r.volume < 0:
            out.append(f"{where}: volume kosong atau negatif")
        if pd.isna(r.harga):
            out.append(f"{where}: harga belum diisi")
        elif r.harga < 0:
            out.append(f"{where}: harga negatif")
        if not isinstance(r.satuan, str) or not r.satuan.strip():
            out.append(f"{where}: satuan belum diisi")
    return out
# pragma: no mutate end


@dataclass(frozen=True)
class Result:
    """One actor in one scenario."""

    revenue: float
    variable_costs: float
    fixed_costs: float
    gross_margin: float       # revenue − variable costs
    net_profit: float         # gross margin − fixed costs
    volume: float             # sales volume (sum of revenue lines)
    break_even_volume: float | None
    break_even_price: float | None


def calculate(lines: pd.DataFrame, scenario: str) -> Result:
    """Revenue, costs, margins and break-even of one scenario (lines already checked).

    Break-even volume = fixed costs ÷ (average price − variable cost per unit); break-even price =
    (fixed + variable costs) ÷ volume.
    """
    sel = lines["skenario"].to_numpy() == scenario
    kind = lines["jenis"].to_numpy()
    volume = lines["volume"].to_numpy(dtype=float)
    value = volume * lines["harga"].to_numpy(dtype=float)
    is_rev = sel & (kind == "pendapatan")
    rev = float(value[is_rev].sum())
    var = float(value[sel & (kind == "biaya_variabel")].sum())
    fix = float(value[sel & (kind == "biaya_tetap")].sum())
    vol = float(volume[is_rev].sum())
    price = rev / vol if vol else np.nan
    unit_var = var / vol if vol else np.nan
    contribution = price - unit_var
    bev = fix / contribution if vol and contribution > 0 else None
    bep = (fix + var) / vol if vol else None
    return Result(rev, var, fix, rev - var, rev - var - fix, vol, bev, bep)


def before_after(lines: pd.DataFrame, households: float) -> pd.DataFrame:
    """Before, after and the difference, in total and per household (``households`` in the actor)."""
    b, a = calculate(lines, "sebelum"), calculate(lines, "sesudah")
    rows = []
    for field in ("revenue", "variable_costs", "fixed_costs", "gross_margin", "net_profit"):
        vb, va = getattr(b, field), getattr(a, field)
        rows.append({"ukuran": field, "sebelum": vb, "sesudah": va, "tambahan": va - vb,
                     "tambahan_per_rt": (va - vb) / households if households else np.nan})
    return pd.DataFrame(rows)


def outreach(households_per_year: list[float], extra_income_per_household: float,
             programme_cost: float) -> pd.DataFrame:
    """Households reached per year (cumulative) × additional net income, over the projection years;
    cost per household reached."""
    reached = np.cumsum(households_per_year)
    income = reached * extra_income_per_household
    return pd.DataFrame({"tahun": np.arange(1, len(reached) + 1), "rt_baru": households_per_year,
                         "rt_terjangkau": reached, "tambahan_pendapatan": income,
                         "biaya_per_rt": programme_cost / reached[-1] if reached[-1] else np.nan})


def returns(rate: float, investment: float, yearly_benefits: list[float], yearly_costs: list[float]) -> dict:
    """NPV, IRR (or why none), BCR and payback of an investment followed by yearly benefits and costs."""
    benefits = [0.0] + list(yearly_benefits)
    costs = [investment] + list(yearly_costs)
    flows = [b - c for b, c in zip(benefits, costs, strict=False)]
    r = finance.irr(flows)
    return {"npv": finance.npv(rate, flows), "irr": r.value, "irr_reason": r.reason,
            "bcr": finance.bcr(rate, benefits, costs), "payback": finance.payback(flows), "flows": flows}


def cost_sharing(
    contributions: dict[str, float], dominance: float = 0.6
) -> tuple[pd.DataFrame, float | None, list[str]]:
    """Shares per source, leverage (private ÷ public) and warnings when one source dominates."""
    total = sum(v for v in contributions.values() if v)
    df = pd.DataFrame({"sumber": list(contributions), "nilai": [float(v or 0) for v in contributions.values()]})
    df["bagian"] = df["nilai"] / total if total else np.nan
    public = df.loc[df["sumber"].isin(PUBLIC), "nilai"].sum()
    private = df.loc[df["sumber"].isin(PRIVATE), "nilai"].sum()
    leverage = private / public if public else None
    warnings = [f"{r.sumber} menanggung {r.bagian:.0%} biaya: pembagian biaya dan risiko tidak seimbang"
                for r in df.itertuples() if total and r.bagian > dominance]
    return df, leverage, warnings


def whatif(lines: pd.DataFrame, price: float = 0.0, volume: float = 0.0, cost: float = 0.0,
           scenario: str = "sesudah") -> pd.DataFrame:
    """The lines of one scenario changed by fractions: selling prices (revenue lines) by ``price``,
    volumes (revenue and variable-cost lines, so yield moves inputs with it) by ``volume``, and the
    prices of cost lines (variable and fixed) by ``cost``. Other scenarios are unchanged."""
    sel = lines["skenario"].to_numpy() == scenario
    kind = lines["jenis"].to_numpy()
    vols = lines["volume"].to_numpy(dtype=float)
    harga = lines["harga"].to_numpy(dtype=float)
    is_rev = kind == "pendapatan"
    is_cost = (kind == "biaya_variabel") | (kind == "biaya_tetap")
    harga = harga * np.where(sel & is_rev, 1 + price, 1.0) * np.where(sel & is_cost, 1 + cost, 1.0)
    vols = vols * np.where(sel & (is_rev | (kind == "biaya_variabel")), 1 + volume, 1.0)
    return lines.assign(volume=vols, harga=harga)


TORNADO_FACTORS: tuple[str, ...] = ("harga", "volume", "biaya")


def tornado(lines: pd.DataFrame, scenario: str = "sesudah", change: float = 0.20,
            households: float = 1.0) -> pd.DataFrame:
    """Net profit (÷ ``households``) when price, volume/yield or costs move by ±``change``, one at a
    time, as the difference from the base; sorted by swing, widest first."""
    base = calculate(lines, scenario).net_profit
    rows = []
    for factor in TORNADO_FACTORS:
        arg = {"harga": "price", "volume": "volume", "biaya": "cost"}[factor]
        out = {sign: calculate(whatif(lines, scenario=scenario, **{arg: sign * change}), scenario).net_profit
               for sign in (-1, 1)}
        hh = households or 1.0
        rows.append({"faktor": factor, "turun": (out[-1] - base) / hh, "naik": (out[1] - base) / hh,
                     "rentang": abs(out[1] - out[-1]) / hh})
    return pd.DataFrame(rows).sort_values("rentang", ascending=False).reset_index(drop=True)


# ---------------------------------------------------------------------- a whole model
def summary(lines_by_role: dict[str, pd.DataFrame], households: dict[str, float]) -> pd.DataFrame:
    """One row per actor: net profit before and after, additional net income in total and per
    household, gross margin after, break-even volume and price after, and whether the actor is better
    off (the business model must pay every actor better than today)."""
    rows = []
    for role, lines in lines_by_role.items():
        b, a = calculate(lines, "sebelum"), calculate(lines, "sesudah")
        hh = float(households.get(role) or 1.0)
        rows.append({"peran": role, "rumah_tangga": hh, "pendapatan_sebelum": b.revenue,
                     "pendapatan_sesudah": a.revenue, "biaya_sebelum": b.variable_costs + b.fixed_costs,
                     "biaya_sesudah": a.variable_costs + a.fixed_costs, "laba_sebelum": b.net_profit,
                     "laba_sesudah": a.net_profit, "tambahan": a.net_profit - b.net_profit,
                     "tambahan_per_rt": (a.net_profit - b.net_profit) / hh, "marjin_kotor_sesudah": a.gross_margin,
                     "impas_volume": a.break_even_volume, "impas_harga": a.break_even_price,
                     "lebih_baik": a.net_profit > b.net_profit})
    return pd.DataFrame(rows)


PERSISTENCE_COLUMNS: list[str] = ["tahun_ke", "bertahan", "capaian"]

INKLUSI_PERSISTENCE = pd.DataFrame({"tahun_ke": [1, 2], "bertahan": [100.0, 70.0], "capaian": [50.0, 100.0]})
"""The Bappenas/INKLUSI logframe's defaults (Kajian model pemberdayaan masyarakat miskin dan rentan,
``shared/seeds/002_…``, "Detail Logframe": "70% peserta masih menjalankan usaha setelah 1 tahun";
"meningkatnya pendapatan … sebesar 30% dalam waktu 2 tahun"), read as: in its first year every household
reached is in business, from its second year 70%; it earns half of the model's added income in its first
year and all of it from its second (the gain is reached within two years). Editable per model."""


def cohort_shares(new_households: list[float], persistence: pd.DataFrame | None) -> tuple[np.ndarray, np.ndarray]:
    """(active, earning) households per projection year. Each year's new households are a cohort; in its
    k-th year in business a cohort counts ``bertahan`` percent of its households as still active, and
    ``bertahan × capaian`` of them as earning the model's full added income (``persistence`` rows by
    ``tahun_ke``, in percent; the last row holds for later years). Without a persistence table every household reached
    stays in business with the full gain: both are the cumulative households reached.

    >>> cohort_shares([100, 100, 100], INKLUSI_PERSISTENCE)
    (array([100., 170., 240.]), array([ 50., 120., 190.]))
    >>> cohort_shares([100, 50], None)
    (array([100., 150.]), array([100., 150.]))
    """
    new = np.asarray(new_households, dtype=float)
    if persistence is None or persistence.empty:
        reached = np.cumsum(new)
        return reached, reached.copy()
    rows = persistence.sort_values("tahun_ke")
    n = len(new)
    keep = np.asarray(rows["bertahan"], dtype=float) / 100
    reach = np.asarray(rows["capaian"], dtype=float) / 100
    k = np.minimum(np.arange(n), len(keep) - 1)  # years in business - 1, the last share held
    stay, gain = keep[k], keep[k] * reach[k]
    active = np.array([sum(new[t] * stay[y - t] for t in range(y + 1)) for y in range(n)])
    earning = np.array([sum(new[t] * gain[y - t] for t in range(y + 1)) for y in range(n)])
    return active, earning


# pragma: no mutate start, outside the calculation core: wording
def persistence_text(persistence: pd.DataFrame | None, lang: str = "id") -> str:
    """The persistence assumption in words, for annexes and captions.

    >>> for part in persistence_text(INKLUSI_PERSISTENCE).split("; "):
    ...     print(part)
    tahun ke-1: 100% masih berusaha, 50% dari tambahan pendapatan
    tahun ke-2 dst.: 70% masih berusaha, 100% dari tambahan pendapatan
    >>> persistence_text(None, "en")
    'every household reached stays in business with the full added income'
    """
    if persistence is None or persistence.empty:
        return ("semua rumah tangga terjangkau tetap berusaha dengan tambahan pendapatan penuh" if lang == "id"
                else "every household reached stays in business with the full added income")
    rows = persistence.sort_values("tahun_ke").reset_index(drop=True)
    parts = []
    for i, r in rows.iterrows():
        year = int(r["tahun_ke"])
        later = i == len(rows) - 1
        stay, gain = fmt.percent(r["bertahan"], 0, lang), fmt.percent(r["capaian"], 0, lang)
        if lang == "id":
            parts.append(f"tahun ke-{year}{' dst.' if later else ''}: {stay} masih berusaha, {gain} dari tambahan "
                         "pendapatan")
        else:
            parts.append(f"year {year}{' on' if later else ''}: {stay} still in business, {gain} of the added income")
    return "; ".join(parts)
# pragma: no mutate end


def projection(summary_table: pd.DataFrame, pokmas_lines: pd.DataFrame, pokmas_households: float,
               new_households: list[float], persistence: pd.DataFrame | None = None) -> pd.DataFrame:
    """Total business projection in the target area (Lampiran 2): the model's lines describe a POKMAS
    of ``pokmas_households`` households; each year the business scales with the households earning the
    model's added income (:func:`cohort_shares`: all households reached so far when there is no
    ``persistence`` table). Per year: households reached (new and cumulative), still active, scale, POKMAS
    sales volume and value, households' additional income, partners' additional profit, and the total."""
    reached = np.cumsum(np.asarray(new_households, dtype=float))
    active, earning = cohort_shares(new_households, persistence)
    scale = earning / pokmas_households if pokmas_households else np.zeros_like(reached)
    after = calculate(pokmas_lines, "sesudah")
    s = summary_table.set_index("peran")["tambahan"]
    hh_extra = float(s.get("pokmas", 0.0))
    partners = float(s.drop("pokmas", errors="ignore").sum())
    return pd.DataFrame({"tahun": np.arange(1, len(reached) + 1), "rt_baru": new_households,
                         "rt_terjangkau": reached, "rt_aktif": active, "rt_berpenghasilan": earning, "skala": scale,
                         "volume_pokmas": after.volume * scale, "penjualan_pokmas": after.revenue * scale,
                         "tambahan_pendapatan_rt": hh_extra * scale, "tambahan_laba_mitra": partners * scale,
                         "tambahan_total": (hh_extra + partners) * scale})


def budget_by_year(budget: pd.DataFrame, years: int) -> list[float]:
    """Budget totals for years 0 (investment) to ``years``; items after the last year are added to it."""
    out = [0.0] * (years + 1)
    for r in budget.itertuples():
        out[min(max(int(r.tahun), 0), years)] += float(r.nilai or 0)
    return out


def programme_returns(rate: float, proj: pd.DataFrame, budget: pd.DataFrame,
                      include_partners: bool = True) -> dict:
    """NPV, IRR, BCR and payback of the programme: the budget (year 0 = investment, later years as
    costs) against the additional net income it brings each projected year (households', plus the
    partners' additional profit when ``include_partners``)."""
    years = len(proj)
    costs = budget_by_year(budget, years)
    benefit = proj["tambahan_total" if include_partners else "tambahan_pendapatan_rt"].astype(float).tolist()
    out = returns(rate, costs[0], benefit, costs[1:])
    total = sum(costs)
    reached = float(proj["rt_terjangkau"].iloc[-1]) if years else 0.0
    out["biaya_total"] = total
    out["biaya_per_rt"] = total / reached if reached else None
    return out


def from_chain(actors: pd.DataFrame, flows: pd.DataFrame, system: pd.DataFrame | None = None) -> dict[str, dict]:
    """A business model's actors and their lines drawn from a value chain, for the roles the chain has.

    POKMAS = the first producer of type ``umk_pokmas``; local partner = the ``mitra_lokal`` that buys
    most from it after the intervention (before, if there is no "sesudah"); private partner = the
    ``mitra_swasta`` that buys most from the local partner; input supplier = the first ``input`` actor;
    financial institution = the first "Keuangan" supporting function (no flows, so no lines). Each
    actor's sales become revenue lines and its purchases variable-cost lines, per scenario, with the
    chain's volumes and prices; the group's ``jumlah`` is its number of households (for POKMAS).
    Returns role → {nama, rumah_tangga, chain_actor, lines}."""
    f = flows.copy()
    names = dict(zip(actors["actor"], actors["nama"], strict=False))
    after = f[f["skenario"] == "sesudah"] if (f["skenario"] == "sesudah").any() else f[f["skenario"] == "sebelum"]

    def biggest_buyer(seller: str | None, jenis: str) -> str | None:
        if seller is None:
            return None
        kinds = dict(zip(actors["actor"], actors["jenis"], strict=False))
        cand = after[(after["dari"] == seller) & after["ke"].map(kinds.get).eq(jenis)]
        return None if cand.empty else str(cand.groupby("ke")["volume"].sum().idxmax())

    prod = actors[(actors["jenis"] == "umk_pokmas") & (actors["fungsi"] == "produksi")]
    pokmas = str(prod["actor"].iloc[0]) if len(prod) else None
    local = biggest_buyer(pokmas, "mitra_lokal")
    private = biggest_buyer(local, "mitra_swasta") or biggest_buyer(pokmas, "mitra_swasta")
    inputs = actors[actors["fungsi"] == "input"]
    supplier = str(inputs["actor"].iloc[0]) if len(inputs) else None
    picked = {"pokmas": pokmas, "mitra_lokal": local, "mitra_swasta": private, "penyedia_input": supplier}
    out: dict[str, dict] = {}
    for role, actor in picked.items():
        if actor is None:
            continue
        rows = []
        for scen in ("sebelum", "sesudah"):
            s = f[f["skenario"] == scen]
            for r in s[s["dari"] == actor].itertuples():
                rows.append((scen, "pendapatan", f"Penjualan ke {names.get(r.ke, r.ke)}", r.volume, r.satuan, r.harga))
            for r in s[s["ke"] == actor].itertuples():
                rows.append((scen, "biaya_variabel", f"Pembelian dari {names.get(r.dari, r.dari)}", r.volume,
                             r.satuan, r.harga))
        row = actors[actors["actor"] == actor].iloc[0]
        hh = row["jumlah"] if role == "pokmas" and pd.notna(row["jumlah"]) else 1.0
        out[role] = {"nama": str(row["nama"]), "rumah_tangga": float(hh), "chain_actor": actor,
                     "lines": pd.DataFrame(rows, columns=LINE_COLUMNS)}
    if system is not None and not system.empty:
        fin = system[system["kategori"].astype(str).str.lower().eq("keuangan")]
        if len(fin):
            out["lembaga_keuangan"] = {"nama": str(fin["nama"].iloc[0]), "rumah_tangga": 1.0, "chain_actor": None,
                                       "lines": pd.DataFrame(columns=LINE_COLUMNS)}
    return out


MODEL_COLUMNS: dict[str, list[str]] = {
    "actors": ["peran", "nama", "rumah_tangga", "chain_actor", "wilayah", "catatan"],
    "lines": ["peran"] + calc.LINE_COLUMNS,
    "outreach": ["tahun", "rt_baru"],
    "budget": ["tahun", "sumber", "uraian", "nilai"],
    "persistence": calc.PERSISTENCE_COLUMNS,
}


ROLE_NAMES: dict[str, str] = {"pokmas": "POKMAS/UMK", "mitra_lokal": "Mitra lokal", "mitra_swasta": "Mitra swasta",
                              "lembaga_keuangan": "Lembaga keuangan", "penyedia_input": "Penyedia input"}


DEFAULT_RATE = 0.12


MAX_YEARS = 10


def lines_by_role(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Each actor's lines (line columns only), in the model's role order."""
    lines = tables["lines"]
    present = [r for r in calc.ROLES if r in set(tables["actors"]["peran"])]
    return {r: lines.loc[lines["peran"] == r, calc.LINE_COLUMNS].reset_index(drop=True) for r in present}


# pragma: no mutate start, outside the calculation core: input validation of edited tables (and its helper)
def _line_text(v: object) -> str:
    return v.strip() if isinstance(v, str) else ""


def check_table(name: str, frame: pd.DataFrame, model: str = "A", actor_name: str = "") -> list[str]:
    """Problems of one table, each naming the row and column, in Bahasa Indonesia (empty = fine)."""
    out: list[str] = []
    if name == "lines":
        return calc.check_lines(frame.reset_index(drop=True), actor_name or "pelaku")
    if name == "actors":
        roles = [_line_text(r) for r in frame["peran"]]
        for i, r in enumerate(frame.itertuples(), start=1):
            if _line_text(r.peran) not in calc.ROLES:
                out.append(f"Pelaku, baris {i}: peran '{r.peran}' tidak dikenal ({', '.join(calc.ROLES)})")
            if not _line_text(r.nama):
                out.append(f"Pelaku, baris {i}, kolom nama: nama belum diisi")
            if pd.notna(r.rumah_tangga) and r.rumah_tangga <= 0:
                out.append(f"Pelaku, baris {i}, kolom rumah_tangga: harus lebih dari 0")
            if _line_text(r.peran) == "pokmas" and not (pd.notna(r.rumah_tangga) and r.rumah_tangga > 0):
                out.append(f"Pelaku, baris {i} (POKMAS), kolom rumah_tangga: jumlah rumah tangga anggota wajib diisi")
        for r in sorted({r for r in roles if roles.count(r) > 1}):
            out.append(f"Pelaku: peran '{r}' muncul lebih dari sekali")
        for r in calc.MODEL_ROLES[model]:
            if r not in roles:
                out.append(f"Pelaku: model {model} membutuhkan {ROLE_NAMES[r]} ('{r}')")
    elif name == "outreach":
        for i, r in enumerate(frame.itertuples(), start=1):
            if pd.isna(r.tahun) or not float(r.tahun).is_integer() or not 1 <= r.tahun <= MAX_YEARS:
                out.append(f"Penjangkauan, baris {i}, kolom tahun: harus bilangan bulat 1-{MAX_YEARS}")
            if pd.isna(r.rt_baru) or r.rt_baru < 0:
                out.append(f"Penjangkauan, baris {i}, kolom rt_baru: kosong atau negatif")
        out += _year_sequence(frame["tahun"], "Penjangkauan", "tahun", out)
    elif name == "budget":
        for i, r in enumerate(frame.itertuples(), start=1):
            if pd.isna(r.tahun) or not float(r.tahun).is_integer() or not 0 <= r.tahun <= MAX_YEARS:
                out.append(f"Anggaran, baris {i}, kolom tahun: harus bilangan bulat 0-{MAX_YEARS} (0 = investasi awal)")
            if _line_text(r.sumber) not in calc.SOURCES:
                out.append(f"Anggaran, baris {i}, kolom sumber: '{r.sumber}' bukan salah satu dari "
                           f"{', '.join(calc.SOURCES)}")
            if not _line_text(r.uraian):
                out.append(f"Anggaran, baris {i}, kolom uraian: belum diisi")
            if pd.isna(r.nilai) or r.nilai < 0:
                out.append(f"Anggaran, baris {i}, kolom nilai: kosong atau negatif")
    elif name == "persistence":
        for i, r in enumerate(frame.itertuples(), start=1):
            if pd.isna(r.tahun_ke) or not float(r.tahun_ke).is_integer() or not 1 <= r.tahun_ke <= MAX_YEARS:
                out.append(f"Keberlanjutan, baris {i}, kolom tahun_ke: harus bilangan bulat 1-{MAX_YEARS}")
            for col in ("bertahan", "capaian"):
                v = getattr(r, col)
                if pd.isna(v) or not 0 <= v <= 100:
                    out.append(f"Keberlanjutan, baris {i}, kolom {col}: harus antara 0% dan 100%")
        out += _year_sequence(frame["tahun_ke"], "Keberlanjutan", "tahun ke-", out)
    return out


def _year_sequence(years: pd.Series, table: str, word: str, found: list[str]) -> list[str]:
    """A year column's own problems: a year twice, or (when the rows are otherwise fine) a gap or a start
    other than 1."""
    ys = years.dropna().tolist()
    if len(ys) != len(set(ys)):
        return [f"{table}: {word} yang sama muncul lebih dari sekali"]
    if sorted(ys) != list(range(1, len(ys) + 1)) and not found:
        return [f"{table}: {word} harus berurutan mulai dari 1 tanpa loncatan"]
    return []
# pragma: no mutate end


# pragma: no mutate start, outside the calculation core: drops empty edited rows
def draft_table(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """An edited table without its empty rows and with text trimmed (what would be saved)."""
    cols = MODEL_COLUMNS[name] if name != "lines" else calc.LINE_COLUMNS
    key = {"actors": "peran", "lines": "uraian", "outreach": "tahun", "budget": "uraian",
           "persistence": "tahun_ke"}[name]
    return edits.clean(frame, cols, key)
# pragma: no mutate end


# pragma: no mutate start, outside the calculation core: first draft of a new model's tables
def starting_tables(model: str, chain: dict[str, pd.DataFrame] | None) -> dict[str, pd.DataFrame]:
    """The tables a new model starts with: from the value chain where there is one (its actors, prices
    and volumes before and after), every actor of the model present (an empty one named after its role
    where the chain has none), and a three-year outreach plan of the POKMAS's households each year."""
    picked = calc.from_chain(chain["actors"], chain["flows"], chain["system"]) if chain else {}
    actors, lines = [], []
    for role in calc.MODEL_ROLES[model]:
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
    actor_df = pd.DataFrame(actors, columns=MODEL_COLUMNS["actors"])
    hh = float(actor_df.loc[actor_df["peran"] == "pokmas", "rumah_tangga"].iloc[0])
    return {"actors": actor_df,
            "lines": (pd.concat(lines, ignore_index=True) if lines else pd.DataFrame(columns=MODEL_COLUMNS["lines"]))
            .reindex(columns=MODEL_COLUMNS["lines"]),
            "outreach": pd.DataFrame({"tahun": [1, 2, 3], "rt_baru": [hh, hh, hh]}),
            "budget": pd.DataFrame(columns=MODEL_COLUMNS["budget"]),
            "persistence": calc.INKLUSI_PERSISTENCE.copy()}
# pragma: no mutate end


@dataclass(frozen=True)
class Evaluation:
    """Everything computed from a model's tables (and an optional what-if). ``projection`` and ``returns``
    follow the model's persistence table (households that stay in business, the share of the gain they
    reach); ``projection_full`` and ``returns_full`` are the same as if every household reached stayed
    with the full gain every year. ``adjusted`` says whether the two differ."""

    lines: dict[str, pd.DataFrame]
    summary: pd.DataFrame
    projection: pd.DataFrame
    returns: dict
    sharing: pd.DataFrame
    leverage: float | None
    warnings: list[str]
    losers: list[str]
    projection_full: pd.DataFrame
    returns_full: dict

    @property
    def adjusted(self) -> bool:
        """The persistence table changes the projection (some household leaves or earns less than the gain)."""
        a, b = self.projection["skala"].to_numpy(), self.projection_full["skala"].to_numpy()
        return not np.allclose(a, b)

    @property
    def empty(self) -> bool:
        """No actor has a before/after line yet: there is nothing to judge (no verdict, no returns)."""
        return all(frame.empty for frame in self.lines.values())


def evaluate(tables: dict[str, pd.DataFrame], rate: float, include_partners: bool = True,
             price: float = 0.0, volume: float = 0.0, cost: float = 0.0, scope: str | None = None) -> Evaluation:
    """The per-actor summary, projection, returns and cost sharing of a model, with the "sesudah"
    lines of actor ``scope`` (every actor when None) changed by the what-if fractions."""
    by_role = lines_by_role(tables)
    if price or volume or cost:
        by_role = {r: calc.whatif(ls, price, volume, cost) if scope in (None, r) else ls for r, ls in by_role.items()}
    act = tables["actors"].set_index("peran")
    households = act["rumah_tangga"].fillna(1.0).to_dict()
    summ = calc.summary(by_role, households)
    pokmas_hh = float(households.get("pokmas", 1.0))
    pokmas = by_role.get("pokmas", pd.DataFrame(columns=calc.LINE_COLUMNS))
    new = tables["outreach"].sort_values("tahun")["rt_baru"].astype(float).tolist()
    proj = calc.projection(summ, pokmas, pokmas_hh, new, tables.get("persistence"))
    full = calc.projection(summ, pokmas, pokmas_hh, new)
    ret = calc.programme_returns(rate, proj, tables["budget"], include_partners)
    contrib = tables["budget"].groupby("sumber")["nilai"].sum().reindex(list(calc.SOURCES)).fillna(0.0)
    sharing, leverage, warnings = calc.cost_sharing(contrib.to_dict())
    losers = summ.loc[~summ["lebih_baik"], "peran"].tolist()
    return Evaluation(by_role, summ, proj, ret, sharing, leverage, warnings, losers, full,
                      calc.programme_returns(rate, full, tables["budget"], include_partners))


@dataclass(frozen=True)
class PoorHouseholds:
    """Productive poor households (desil 2 and 3, APP rule) where the model works."""

    households: int
    scope: list[str]          # area codes counted (the POKMAS area; the whole kabupaten when none)
    register: str             # "source period"
    synthetic: bool


# pragma: no mutate start, outside the calculation core: database read
def poor_households(db: Database, kabupaten: str, tables: dict[str, pd.DataFrame]) -> PoorHouseholds | None:
    """Productive desil 2-3 households in the POKMAS's area (its ``wilayah`` codes, else the
    kabupaten's shortlisted areas, else the whole kabupaten), from the preferred register among those that
    cover the kabupaten. None when no stored register has a row there (the page says what to import),
    so a register of another kabupaten never reads as "0 households"."""
    reg = targeting.preferred_register(db, kabupaten)
    if reg is None:
        return None
    act = tables["actors"].set_index("peran")
    codes = analysis.area_codes(act.loc["pokmas", "wilayah"]) if "pokmas" in act.index else []
    codes = [c for c in codes if c.startswith(kabupaten)]
    if not codes:
        sl = poverty_store.priority_areas(db, kabupaten[:2])
        codes = [c for c in sl["kode"] if str(c).startswith(kabupaten + ".")] if not sl.empty else []
    rows = poverty_store.households_in(db, kabupaten, reg[1], reg[0], codes)
    if rows.empty:
        return None
    mapping = targeting.sector_mapping(db)
    rows = rows[rows["desil"].isin([2, 3]) & rows["sektor"].map(lambda s: is_productive(s, mapping)).astype(bool)]
    return PoorHouseholds(int(rows["households"].sum()), codes or [kabupaten], f"{reg[0]} {reg[1]}", reg[2])
# pragma: no mutate end


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
