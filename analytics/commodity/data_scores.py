"""Criterion scores computed from data, with the formula shown to the workshop.

* **Jangkauan (poverty outreach)**: productive poor households (register, desil 2 and 3, the APP rule)
  living in the kabupaten's desa that produce the commodity; optionally only desa flagged as
  significant high-high pockets on the poverty map.
* **Pendapatan (income impact)**: growth of the kabupaten's production, as the compound annual growth
  rate between the first and last year available (there are no price series yet, so this is a volume
  trend only, and the screen says so).
* The other criteria have no data source here and are scored by the group.

Raw values become 1-5 scores across the candidate commodities by a linear scale (the lowest → 1, the
highest → 5, rounded to whole points). A commodity with no data (no covering register, no production series
for the growth rate) gets no score: it is shown as missing and left for the group to score, never given
the worst score in silence. A commodity that has data and produces nothing (0 households) is a real 1.

References
----------
* Petunjuk teknis APP Provinsi Jawa Timur (``shared/seeds/000_…``): the outreach and income criteria of
  commodity research.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.commodity import store as commodity_store
from analytics.poverty import store as poverty_store
from analytics.poverty import targeting
from analytics.poverty.targeting import is_productive

FORMULAS: dict[str, str] = {
    "jangkauan": ("Rumah tangga miskin produktif (desil 2 + desil 3, sektor produktif; register {register}) di desa "
                  "penghasil komoditas di kabupaten ini{pockets}; diskalakan linear 1-5 antar kandidat."),
    "pendapatan": ("Pertumbuhan produksi kabupaten per tahun (CAGR {first}–{last}); belum ada deret harga, jadi ini "
                   "tren volume saja; diskalakan linear 1-5 antar kandidat."),
}


def to_scale(raw: pd.Series) -> pd.Series:
    """Linear 1-5 score of raw values (lowest → 1, highest → 5, whole points); a missing value has no
    score (``<NA>``); when every known value is the same, a positive one scores 3 and zero scores 1.

    >>> to_scale(pd.Series([0.0, 5.0, 10.0, None])).tolist()
    [1, 3, 5, <NA>]
    >>> to_scale(pd.Series([4.0, 4.0, None])).tolist(), to_scale(pd.Series([None, None])).tolist()
    ([3, 3, <NA>], [<NA>, <NA>])
    """
    r = raw.astype(float)
    lo, hi = r.min(skipna=True), r.max(skipna=True)
    if not np.isfinite(lo) or hi == lo:
        out = pd.Series(np.where(r > 0, 3, 1), index=raw.index)
    else:
        out = (1 + 4 * (r - lo) / (hi - lo)).round()
    return out.where(r.notna()).astype("Int64")


def scaled_across(criterion_rows: pd.DataFrame) -> list[str]:
    """The candidates a criterion's computed 1-5 scores were scaled across (:func:`to_scale`): those with a
    known raw value, lowest → 1 and highest → 5 among them only; a score is relative to this list.

    >>> scaled_across(pd.DataFrame({"commodity": ["kopi", "cabai", "jahe"], "raw": [3.0, None, 9.0]}))
    ['kopi', 'jahe']
    """
    return criterion_rows.loc[criterion_rows["raw"].notna(), "commodity"].tolist()


def outreach(db, kabupaten: str, period: int, commodities: list[str],
             pockets: set[str] | None = None) -> tuple[pd.Series, str]:
    """Productive desil 2-3 households in producing desa, per commodity; and the register used (among
    those that cover the kabupaten: another kabupaten's register would read as 0 everywhere)."""
    reg = targeting.preferred_register(db, kabupaten)
    if reg is None:
        return pd.Series(np.nan, index=commodities), "–"
    hh = poverty_store.register_rows(db, kabupaten, reg[1], reg[0])
    mapping = targeting.sector_mapping(db)
    hh = hh[hh["desil"].isin([2, 3]) & hh["sektor"].map(lambda s: is_productive(s, mapping)).astype(bool)]
    per_desa = hh.groupby("kode")["households"].sum()
    prod = commodity_store.desa_production(db, kabupaten, period)
    out = {}
    for c in commodities:
        desa = set(prod.loc[(prod["commodity"] == c) & (prod["value"] > 0), "kode"])
        if pockets is not None:
            desa &= pockets
        out[c] = float(per_desa[per_desa.index.isin(desa)].sum())
    return pd.Series(out), f"{reg[0]} {reg[1]}"


def growth(db, kabupaten: str, commodities: list[str]) -> tuple[pd.Series, int | None, int | None]:
    """Compound annual growth of the kabupaten's production per commodity, first to last year."""
    prod = commodity_store.kab_production(db, kabupaten)
    if prod.empty:
        return pd.Series(np.nan, index=commodities), None, None
    first, last = int(prod["period"].min()), int(prod["period"].max())
    out = {}
    for c in commodities:
        p = prod[prod["commodity"] == c].set_index("period")["value"]
        a, b = p.get(first, np.nan), p.get(last, np.nan)
        out[c] = (b / a) ** (1 / (last - first)) - 1 if a and a > 0 and b > 0 and last > first else np.nan
    return pd.Series(out), first, last


def computed_scores(db, kabupaten: str, period: int, commodities: list[str],
                    pockets: set[str] | None = None) -> pd.DataFrame:
    """Computed scores: commodity, criterion, raw, score (1-5), formula."""
    reach, register = outreach(db, kabupaten, period, commodities, pockets)
    grow, first, last = growth(db, kabupaten, commodities)
    rows = []
    fr = FORMULAS["jangkauan"].format(register=register,
                                      pockets=" (hanya desa kantong tinggi-tinggi)" if pockets is not None else "")
    for c, raw, score in zip(
        commodities, reach.reindex(commodities), to_scale(reach.reindex(commodities)), strict=False
    ):
        rows.append((c, "jangkauan", raw, None if pd.isna(score) else int(score), fr))
    fg = FORMULAS["pendapatan"].format(first=first or "–", last=last or "–")
    g = grow.reindex(commodities)
    for c, raw, score in zip(commodities, g, to_scale(g), strict=False):
        rows.append((c, "pendapatan", raw, None if pd.isna(score) else int(score), fg))
    out = pd.DataFrame(rows, columns=["commodity", "criterion", "raw", "score", "formula"])
    out["score"] = out["score"].astype("Int64")  # <NA>: no data, so no score (the group scores it)
    return out
