"""Sources side by side: the same figure from two sources (e.g. BPS and a register) is shown in two
columns and flagged when they differ by more than a tolerance. Nothing is ever merged or averaged."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.core import settings
from analytics.core.db import Database
from analytics.poverty import store as poverty_store


def relative_gap(values: pd.DataFrame) -> pd.Series:
    """(max - min) / mean over the sources of each row (NaN where fewer than two sources have a value).

    >>> relative_gap(pd.DataFrame({"a": [10.0, 5.0], "b": [12.0, None]})).round(4).tolist()
    [0.1818, nan]
    """
    n = values.notna().sum(axis=1)
    mean = values.mean(axis=1).abs()
    gap = (values.max(axis=1) - values.min(axis=1)) / mean.replace(0, np.nan)
    return gap.where(n >= 2)


def compare(db: Database, level: str, prefix: str, indicator: str, period: int,
            tolerance: float | None = None) -> tuple[pd.DataFrame, list[str]]:
    """One row per area with one column per source, the relative gap and a flag.

    Returns (table, source names). Table columns: kode, nama, <source>..., n_sumber, selisih_relatif,
    berbeda (True where the gap exceeds ``tolerance``; default setting ``source_tolerance``).
    """
    tolerance = float(settings.get("source_tolerance")) if tolerance is None else tolerance
    long = poverty_store.indicator_all_sources(db, level, prefix, indicator, period)
    if long.empty:
        return pd.DataFrame(columns=["kode", "nama", "n_sumber", "selisih_relatif", "berbeda"]), []
    order = (long.groupby("source")["is_synthetic"].first().sort_values(kind="stable").index.tolist())
    wide = long.pivot_table(index=["kode", "nama"], columns="source", values="value", aggfunc="first")
    wide = wide.reindex(columns=order).reset_index()
    wide.columns.name = None
    vals = wide[order]
    wide["n_sumber"] = vals.notna().sum(axis=1)
    wide["selisih_relatif"] = relative_gap(vals)
    wide["berbeda"] = wide["selisih_relatif"] > tolerance
    return wide.sort_values(["berbeda", "selisih_relatif"], ascending=False).reset_index(drop=True), order


def counts(table: pd.DataFrame) -> dict[str, int]:
    """Areas with two or more sources, and those flagged, in a :func:`compare` table."""
    if table.empty:
        return {"compared": 0, "flagged": 0}
    return {"compared": int((table["n_sumber"] >= 2).sum()), "flagged": int(table["berbeda"].sum())}


def comparable(db: Database, prov: str) -> pd.DataFrame:
    """Indicator/year/level combinations with two or more sources, plus desil counts (always comparable
    with a register when one is stored)."""
    return poverty_store.multi_source_indicators(db, prov)
