"""Business calculation of a business model, per actor, before and after (issue 6, started).

An actor's lines are a table with ``skenario`` (sebelum/sesudah), ``jenis`` (``pendapatan``,
``biaya_variabel``, ``biaya_tetap``), ``uraian``, ``volume``, ``satuan`` and ``harga`` (Rp per unit;
for a fixed cost, volume 1 and the amount as price). From them: revenue, variable and fixed costs,
gross margin, net profit, break-even volume and price, and the additional net income the new model
brings, per household and in total.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics import finance

KINDS: tuple[str, ...] = ("pendapatan", "biaya_variabel", "biaya_tetap")
PUBLIC: tuple[str, ...] = ("APBD", "APBDes", "APBN/DAK")
PRIVATE: tuple[str, ...] = ("Mitra swasta", "CSR", "Lembaga keuangan")


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
    s = lines[lines["skenario"] == scenario]
    value = s["volume"] * s["harga"]
    rev = float(value[s["jenis"] == "pendapatan"].sum())
    var = float(value[s["jenis"] == "biaya_variabel"].sum())
    fix = float(value[s["jenis"] == "biaya_tetap"].sum())
    vol = float(s.loc[s["jenis"] == "pendapatan", "volume"].sum())
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
    flows = [b - c for b, c in zip(benefits, costs)]
    r = finance.irr(flows)
    return {"npv": finance.npv(rate, flows), "irr": r.value, "irr_reason": r.reason,
            "bcr": finance.bcr(rate, benefits, costs), "payback": finance.payback(flows), "flows": flows}


def cost_sharing(contributions: dict[str, float], dominance: float = 0.6) -> tuple[pd.DataFrame, float | None, list[str]]:
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


def tornado(lines: pd.DataFrame, scenario: str = "sesudah", change: float = 0.20) -> pd.DataFrame:
    """Net profit when price, volume or costs move by ±``change`` (one at a time), sorted by swing."""
    base = calculate(lines, scenario).net_profit
    rows = []
    for factor in ("harga", "volume", "biaya"):
        out = {}
        for sign in (-1, 1):
            l2 = lines.copy()
            sel = l2["skenario"] == scenario
            if factor == "harga":
                m = sel & (l2["jenis"] == "pendapatan")
                l2.loc[m, "harga"] *= 1 + sign * change
            elif factor == "volume":
                m = sel & l2["jenis"].isin(["pendapatan", "biaya_variabel"])
                l2.loc[m, "volume"] *= 1 + sign * change
            else:
                m = sel & l2["jenis"].isin(["biaya_variabel", "biaya_tetap"])
                l2.loc[m, "harga"] *= 1 + sign * change
            out[sign] = calculate(l2, scenario).net_profit
        rows.append({"faktor": factor, "turun": out[-1] - base, "naik": out[1] - base,
                     "rentang": abs(out[1] - out[-1])})
    return pd.DataFrame(rows).sort_values("rentang", ascending=False).reset_index(drop=True)
