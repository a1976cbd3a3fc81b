"""Beneficiary targeting from the household-register aggregates, with small-cell suppression.

The APP rule (Petunjuk teknis APP Jawa Timur): direct beneficiaries are *productive* poor households in
**desil 2 and 3, desil 2 first**, in the productive sectors (pertanian, peternakan, perikanan,
perhutanan, perindustrian dan perdagangan, perkebunan, koperasi, UMK); women and people with a
disability are explicitly open to it. Places follow another rule of the same guideline: "kecamatan dan
desa dengan jumlah penduduk miskin terbanyak sesuai dengan kriteria dalam DTKS" (Kriteria Lokasi Kecamatan
dan Desa). :func:`app_ranking` ranks kecamatan or desa by that rule by default (:data:`PLACE_RULES`:
persons in the register's poor desil 1 and 2, most first), or, when the planner chooses it, by the
household rule (productive desil 2 households, then productive desil 3).

Roles that may not see small cells get :func:`suppress`: counts from 1 to ``min_cell - 1`` are hidden
(primary suppression) and further cells are hidden (complementary suppression) until no hidden cell can
be recovered from a row or column total.

References
----------
* Petunjuk teknis APP (Anti-Poverty Program) Provinsi Jawa Timur (``shared/seeds/000_…``): beneficiaries
  are productive households of desil 2, then desil 3; locations are the kecamatan and desa with the most
  poor people by the DTKS criteria.
* Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley, ch. 4 (primary and
  complementary cell suppression of frequency tables).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.core import auth, settings
from analytics.core.db import Database
from analytics.poverty import store as poverty_store

HIDDEN = "•"
"""How a hidden cell is shown, small and complementary alike."""


def suppress(table: np.ndarray, min_cell: int, lines: list[np.ndarray] | None = None) -> np.ndarray:
    """Primary and complementary suppression of a count table; returns a boolean mask of hidden cells.

    ``lines`` are groups of cells (flat indices) whose sum is published somewhere (a row or column
    total, a kecamatan subtotal, a "sasaran" = desil 2 + desil 3 column); default: every row and every
    column. Cells with ``0 < count < min_cell`` are hidden; then, while any line has exactly one hidden
    cell, the smallest other non-zero visible cell of that line is hidden too (a zero if there is no
    other), so no hidden value equals a published sum minus visible cells.

    >>> m = suppress(np.array([[3, 20, 30], [40, 50, 60]]), 10)
    >>> m.astype(int).tolist()
    [[1, 1, 0], [1, 1, 0]]
    """
    t = np.asarray(table)
    flat = t.ravel()
    hidden = ((flat > 0) & (flat < min_cell))
    if lines is None:
        idx = np.arange(t.size).reshape(t.shape)
        lines = [idx[i, :] for i in range(t.shape[0])] + [idx[:, j] for j in range(t.shape[1])]
    lines = [np.asarray(line) for line in lines if len(line) > 1]
    changed = hidden.any()
    while changed:
        changed = False
        for line in lines:
            h = hidden[line]
            if h.sum() == 1:
                cand = line[~h]
                nonzero = cand[flat[cand] > 0]
                pool = nonzero if len(nonzero) else cand
                hidden[pool[np.argmin(flat[pool])]] = True
                changed = True
    return hidden.reshape(t.shape)


def published_lines(kode: pd.Series, n_cols: int, sum_triples: list[tuple[int, int, int]]) -> list[np.ndarray]:
    """The lines of a desa table whose sums are published: each column over all desa, each column over
    the desa of one kecamatan, and per desa each (a, b, a + b) triple of columns."""
    n = len(kode)
    idx = np.arange(n * n_cols).reshape(n, n_cols)
    lines = [idx[:, j] for j in range(n_cols)]
    for _, rows in pd.Series(np.arange(n)).groupby(kode.str[:8].to_numpy()):
        rows = rows.to_numpy()
        if 1 < len(rows) < n:
            lines += [idx[rows, j] for j in range(n_cols)]
    for a, b, c in sum_triples:
        lines += [idx[i, [a, b, c]] for i in range(n)]
    return lines


def register_sources(db: Database, prov: str) -> pd.DataFrame:
    """Register sources and years available for a province (source, period, is_synthetic)."""
    return poverty_store.register_sources(db, prov)


def preferred_register(db: Database, scope: str) -> tuple[str, int, bool] | None:
    """The register to count households from, among those with rows under ``scope`` (a province or a
    kabupaten code): real before synthetic, newest year first; returns (source, period, is_synthetic) or
    None when no stored register covers the scope."""
    regs = poverty_store.register_sources(db, scope)
    if regs.empty:
        return None
    reg = regs.sort_values(["is_synthetic", "period"], ascending=[True, False]).iloc[0]
    return str(reg["source"]), int(reg["period"]), bool(reg["is_synthetic"])


def desa_table(db: Database, scope: str, period: int, source: str) -> pd.DataFrame:
    """Per desa under ``scope``: households by desil 1-4 (all sectors), productive desil 2 and 3,
    productive desil 2-3 households headed by a woman or with a disability, and the poor people (persons
    in desil 1 and 2, ``miskin_jiwa``)."""
    raw = poverty_store.register_rows(db, scope, period, source)
    if raw.empty:
        return pd.DataFrame(columns=["kode", "nama", "kecamatan", *COUNT_COLUMNS])
    sectors = raw["sektor"].drop_duplicates()
    productive = set(sectors[sectors.map(is_productive)])
    raw = raw.assign(prod=raw["sektor"].isin(productive))
    by_desil = raw.pivot_table(index="kode", columns="desil", values="households", aggfunc="sum", fill_value=0)
    out = pd.DataFrame(index=by_desil.index)
    for d in (1, 2, 3, 4):
        out[f"d{d}"] = by_desil[d] if d in by_desil.columns else 0
    p = raw[raw["prod"] & raw["desil"].isin([2, 3])]
    out["prod_d2"] = p[p["desil"] == 2].groupby("kode")["households"].sum()
    out["prod_d3"] = p[p["desil"] == 3].groupby("kode")["households"].sum()
    out["prod_women"] = p[p["sex_head"] == "P"].groupby("kode")["households"].sum()
    out["prod_disability"] = p[p["disability"]].groupby("kode")["households"].sum()
    out["miskin_jiwa"] = raw[raw["desil"].isin(POOR_DESIL)].groupby("kode")["persons"].sum()
    out = out.fillna(0).astype(int).reset_index()
    names = raw.drop_duplicates("kode").set_index("kode")[["nama", "kecamatan"]]
    out = out.join(names, on="kode")
    return out[["kode", "nama", "kecamatan", *COUNT_COLUMNS]]


POOR_DESIL: tuple[int, ...] = (1, 2)
"""The register's poor: desil 1 (sangat miskin) and 2 (miskin); 3 is hampir miskin, 4 rentan miskin."""

COUNT_COLUMNS: tuple[str, ...] = ("d1", "d2", "d3", "d4", "prod_d2", "prod_d3", "prod_women", "prod_disability",
                                  "miskin_jiwa")

PLACE_RULES: tuple[str, ...] = ("penduduk", "desil")
"""How places are ranked: ``penduduk`` (the guideline's location rule: most poor people by the DTKS
criteria, persons in desil 1-2, then productive desil 2 households) or ``desil`` (the beneficiary rule
applied to places: productive desil 2 households, then productive desil 3)."""


def app_ranking(table: pd.DataFrame, level: str = "desa", rule: str = "penduduk") -> pd.DataFrame:
    """Rank desa (or kecamatan, summing their desa) by ``rule`` (:data:`PLACE_RULES`; ties by code). Adds
    ``peringkat`` and ``sasaran`` (= prod_d2 + prod_d3, the households the programme may reach)."""
    if rule not in PLACE_RULES:
        raise ValueError(f"Aturan urutan wilayah '{rule}' tidak dikenal ({', '.join(PLACE_RULES)}).")
    df = table.copy()
    if level == "kecamatan":
        df["kode"] = df["kode"].str[:8]
        df = df.groupby(["kode", "kecamatan"], as_index=False)[list(COUNT_COLUMNS)].sum()
        df = df.rename(columns={"kecamatan": "nama"})
        df["kecamatan"] = df["nama"]
    df["sasaran"] = df["prod_d2"] + df["prod_d3"]
    keys = ["miskin_jiwa", "prod_d2", "kode"] if rule == "penduduk" else ["prod_d2", "prod_d3", "kode"]
    df = df.sort_values(keys, ascending=[False, False, True]).reset_index(drop=True)
    df.insert(0, "peringkat", np.arange(1, len(df) + 1))
    return df


def protect(ranked: pd.DataFrame, role: str | None, min_cell: int | None = None) -> tuple[pd.DataFrame, int]:
    """The desa ranking as shown to ``role``: unchanged for roles allowed to see small cells; otherwise
    every count column as text, hidden cells shown as ``•``. Small (primary) and complementary cells get
    the same mark, as statistical offices do: were small cells marked apart ("<10"), a reader would know
    each lies in 1-9 and could pin it from a total (two hidden 9s in a column whose hidden part sums to 18).
    Returns (table, number of hidden cells)."""
    min_cell = settings.get_int("min_cell") if min_cell is None else min_cell
    if auth.can(role, "view_small_cells") or ranked.empty:
        return ranked, 0
    cols = list(COUNT_COLUMNS) + ["sasaran"]
    base = ranked[cols].to_numpy(dtype=int)
    triple = (cols.index("prod_d2"), cols.index("prod_d3"), cols.index("sasaran"))
    hidden = suppress(base, min_cell, published_lines(ranked["kode"], len(cols), [triple]))
    out = ranked.copy()
    for j, col in enumerate(cols):
        out[col] = [HIDDEN if h else str(v) for v, h in zip(base[:, j], hidden[:, j], strict=False)]
    return out, int(hidden.sum())


def totals(table: pd.DataFrame) -> dict[str, int]:
    """Sums of the count columns over a scope (a kabupaten or larger; never suppressed)."""
    return {c: int(table[c].sum()) for c in COUNT_COLUMNS} if not table.empty else {c: 0 for c in COUNT_COLUMNS}


def chart_frame(shown: pd.DataFrame, n: int = 15) -> pd.DataFrame:
    """The top ``n`` rows in long form (nama, kelompok, rumah_tangga) for a stacked bar chart; hidden
    cells are left out, never drawn as a number."""
    top = shown.head(n)
    long = top.melt(id_vars=["nama"], value_vars=["prod_d2", "prod_d3"], var_name="kelompok",
                    value_name="rumah_tangga")
    long["rumah_tangga"] = pd.to_numeric(long["rumah_tangga"], errors="coerce")
    return long.dropna(subset=["rumah_tangga"])


def desa_detail(db: Database, kode: str, period: int, source: str) -> pd.DataFrame:
    """One desa's households by sector (rows) and desil (columns), with women-headed and disability
    counts, whether the sector is productive under the APP rule, and a total row."""
    raw = poverty_store.register_desa(db, kode, period, source)
    if raw.empty:
        return pd.DataFrame()
    by = raw.pivot_table(index="sektor", columns="desil", values="households", aggfunc="sum", fill_value=0)
    by.columns = [f"desil_{int(c)}" for c in by.columns]
    by["kepala_perempuan"] = raw[raw["sex_head"] == "P"].groupby("sektor")["households"].sum()
    by["disabilitas"] = raw[raw["disability"]].groupby("sektor")["households"].sum()
    by = by.fillna(0).astype(int)
    by["jumlah"] = by[[c for c in by.columns if c.startswith("desil_")]].sum(axis=1)
    by = by.reset_index()
    by.insert(1, "produktif", by["sektor"].map(is_productive))
    total = {"sektor": "Jumlah", "produktif": None, **{c: int(by[c].sum()) for c in by.columns[2:]}}
    return pd.concat([by, pd.DataFrame([total])], ignore_index=True)


def protect_detail(detail: pd.DataFrame, role: str | None, min_cell: int | None = None) -> tuple[pd.DataFrame, int]:
    """:func:`desa_detail` as shown to ``role``: small cells and their complements hidden (row totals,
    column totals and the desil sum are published) for roles that may not see them."""
    min_cell = settings.get_int("min_cell") if min_cell is None else min_cell
    if detail.empty or auth.can(role, "view_small_cells"):
        return detail, 0
    body = detail.iloc[:-1]
    cols = [c for c in detail.columns if c not in ("sektor", "produktif")]
    desil_cols = [i for i, c in enumerate(cols) if c.startswith("desil_")]
    values = body[cols].to_numpy(dtype=int)
    n, m = values.shape
    idx = np.arange(n * m).reshape(n, m)
    lines = [idx[:, j] for j in range(m)] + [idx[i, desil_cols + [cols.index("jumlah")]] for i in range(n)]
    hidden = suppress(values, min_cell, lines)
    out = detail.astype({c: object for c in cols}).copy()
    for j, col in enumerate(cols):
        out.loc[: n - 1, col] = [HIDDEN if h else v for v, h in zip(values[:, j], hidden[:, j], strict=False)]
    return out, int(hidden.sum())


def is_productive(sektor: str) -> bool:
    """Whether a sector counts as productive under the APP rule.

    >>> is_productive("Pertanian tanaman pangan"), is_productive("jasa dan lainnya")
    (True, False)
    """
    s = str(sektor).lower()
    return any(k in s for k in PRODUCTIVE_KEYWORDS)


PRODUCTIVE_KEYWORDS: tuple[str, ...] = ("pertanian", "peternakan", "perikanan", "kehutanan", "perhutanan",
                                        "perkebunan", "industri", "pengolahan", "perdagangan", "koperasi",
                                        "umk", "usaha mikro", "kerajinan")
