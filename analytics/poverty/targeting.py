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
    mapping = sector_mapping(db)
    sectors = raw["sektor"].drop_duplicates()
    productive = set(sectors[sectors.map(lambda s: is_productive(s, mapping))])
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
    mapping = sector_mapping(db)
    by.insert(1, "produktif", by["sektor"].map(lambda s: is_productive(s, mapping)))
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


def normal_sector(label: object) -> str:
    """A register's sector label as the mapping keys it: lower case, single spaces, no edge spaces.

    >>> normal_sector("  Pertanian   Tanaman  Pangan ")
    'pertanian tanaman pangan'
    """
    return " ".join(str(label).lower().split())


DEFAULT_SECTORS: dict[str, bool] = {
    **dict.fromkeys((
        # the Juknis APP's productive sectors: pertanian, peternakan, perikanan, perhutanan, perindustrian dan
        # perdagangan, perkebunan, koperasi, UMK, and the labels registers write them with
        "pertanian", "pertanian tanaman pangan", "pertanian tanaman padi dan palawija", "tanaman pangan",
        "hortikultura", "perkebunan", "peternakan", "perikanan", "perikanan tangkap", "perikanan budidaya",
        "perhutanan", "kehutanan", "kehutanan dan pertanian lainnya", "perindustrian", "industri",
        "industri pengolahan", "perdagangan", "perdagangan besar dan eceran", "perindustrian dan perdagangan",
        "koperasi", "umk", "usaha mikro", "usaha kecil", "usaha mikro dan kecil", "usaha mikro kecil",
        "kerajinan"), True),
    **dict.fromkeys((
        "jasa", "jasa dan lainnya", "jasa lainnya", "jasa kemasyarakatan", "non pertanian", "bukan pertanian",
        "lainnya", "tidak bekerja", "pertambangan dan penggalian", "konstruksi", "pengangkutan",
        "transportasi dan pergudangan", "pemerintahan", "pendidikan", "kesehatan"), False),
}
"""Register sector labels (normalised) and whether the APP rule counts them as productive: the Juknis APP's
list and the labels registers write it with. A label not here, a numeric sector code among them, is
*unknown*: counted as not productive and flagged in the import preview until the planner sets it
(:func:`sector_mapping`: the planner's settings over these)."""


def sector_mapping(db: Database) -> dict[str, bool]:
    """The defaults (:data:`DEFAULT_SECTORS`) with the planner's stored settings over them."""
    return DEFAULT_SECTORS | poverty_store.sector_overrides(db)


def sector_settings(table: pd.DataFrame) -> dict[str, bool]:
    """Normalised label → productive, from a table of ``label_sektor`` and ``produktif`` (the edited sector
    table of an import preview): what the planner sets, the labels already known included.

    >>> sector_settings(pd.DataFrame({"label_sektor": ["Ojek ", "12"], "produktif": [False, True]}))
    {'ojek': False, '12': True}
    """
    return {normal_sector(s): bool(p) for s, p in zip(table["label_sektor"], table["produktif"], strict=True)}


def is_productive(sektor: str, mapping: dict[str, bool] | None = None) -> bool:
    """Whether a sector counts as productive under the APP rule, by ``mapping`` (normalised label → bool;
    :data:`DEFAULT_SECTORS` when none is given). An unknown label is not productive.

    >>> is_productive("Pertanian tanaman pangan"), is_productive("jasa dan lainnya"), is_productive("Hortikultura")
    (True, False, True)
    >>> is_productive("non pertanian"), is_productive("12"), is_productive("12", {"12": True})
    (False, False, True)
    """
    return (DEFAULT_SECTORS if mapping is None else mapping).get(normal_sector(sektor), False)


def unknown_sectors(labels: pd.Series, mapping: dict[str, bool] | None = None) -> list[str]:
    """The distinct labels of ``labels`` the mapping does not know, as written (first spelling), sorted.

    >>> unknown_sectors(pd.Series(["Pertanian", "12", "Ojek", "12", "jasa"]))
    ['12', 'Ojek']
    """
    known = DEFAULT_SECTORS if mapping is None else mapping
    seen: dict[str, str] = {}
    for label in labels.dropna().astype(str):
        key = normal_sector(label)
        if key not in known:
            seen.setdefault(key, label)
    return sorted(seen.values())
