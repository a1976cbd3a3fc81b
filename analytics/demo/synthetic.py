"""Deterministic synthetic demo layer over the real region list.

Everything here is **Data contoh (sintetis)**: invented figures with a plausible shape, so that the app
can be used and tested before real data are imported. Nothing made here is ever labelled BPS or official.

Design (fixed seed, same seed gives the same data):

* desa population: log-normal (kelurahan larger), growing about 0.7% a year;
* a latent poverty field with spatial structure (broad Gaussian bumps plus a few sharp pockets, a
  kecamatan effect and desa noise), rescaled so kabupaten P0 spans about 3.5-21%;
* desa P0 = poor / population exactly, so every higher level is the ratio of sums; P1 and P2 are
  population-weighted means (FGT indices are additively decomposable); garis kemiskinan is set per
  kabupaten (as BPS does) and inherited by its kecamatan and desa;
* households per welfare desil 1-4 from the desa's P0; register aggregates by desil, sector, sex of the
  household head and disability that add up to those counts;
* production of the seed commodities per kabupaten (rumput laut only where there is coast), split among
  producing desa.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

YEARS: tuple[int, ...] = (2021, 2022, 2023, 2024)
# Province-wide trend of P0 relative to the last year (shape of the 2021-2024 decline).
_P0_TREND = {2021: 1.14, 2022: 1.06, 2023: 1.04, 2024: 1.0}
_GK_TREND = {2021: 0.86, 2022: 0.92, 2023: 0.97, 2024: 1.0}
KAB_P0_RANGE = (3.5, 20.5)

# indicator, nama_id, nama_en, unit, aggregation, description
INDICATOR_DEFS: list[tuple[str, str, str, str, str, str]] = [
    ("p0", "Persentase penduduk miskin (P0)", "Poverty headcount ratio (P0)", "persen", "ratio",
     "Penduduk miskin dibagi jumlah penduduk x 100."),
    ("p1", "Indeks kedalaman kemiskinan (P1)", "Poverty gap index (P1)", "indeks", "pop_weighted",
     "Rata-rata jarak pengeluaran penduduk miskin terhadap garis kemiskinan."),
    ("p2", "Indeks keparahan kemiskinan (P2)", "Poverty severity index (P2)", "indeks", "pop_weighted",
     "Ketimpangan pengeluaran di antara penduduk miskin."),
    ("garis_kemiskinan", "Garis kemiskinan", "Poverty line", "Rp/kapita/bulan", "inherit",
     "Ditetapkan per kabupaten/kota; kecamatan dan desa memakai nilai kabupatennya."),
    ("penduduk", "Jumlah penduduk", "Population", "jiwa", "sum", ""),
    ("penduduk_miskin", "Jumlah penduduk miskin", "Poor population", "jiwa", "sum", ""),
    ("ruta", "Jumlah rumah tangga", "Households", "rumah tangga", "sum", ""),
    ("ruta_desil_1", "Rumah tangga desil 1", "Households in decile 1", "rumah tangga", "sum",
     "Desil kesejahteraan nasional 1 (10% termiskin)."),
    ("ruta_desil_2", "Rumah tangga desil 2", "Households in decile 2", "rumah tangga", "sum", ""),
    ("ruta_desil_3", "Rumah tangga desil 3", "Households in decile 3", "rumah tangga", "sum", ""),
    ("ruta_desil_4", "Rumah tangga desil 4", "Households in decile 4", "rumah tangga", "sum", ""),
]

# kode, nama, nama_en, kategori, unit, coastal_only, kota_share
COMMODITIES: list[tuple[str, str, str, str, str, bool, float]] = [
    ("kopi", "Kopi", "Coffee", "perkebunan", "ton", False, 0.0),
    ("jahe_merah", "Jahe merah", "Red ginger", "biofarmaka", "ton", False, 0.05),
    ("rumput_laut", "Rumput laut", "Seaweed", "perikanan", "ton", True, 0.0),
    ("eceng_gondok", "Eceng gondok", "Water hyacinth", "bahan kerajinan", "ton", False, 0.1),
    ("singkong", "Singkong (ubi kayu)", "Cassava", "tanaman pangan", "ton", False, 0.02),
    ("cabai", "Cabai", "Chilli", "hortikultura", "ton", False, 0.05),
    ("karet", "Karet", "Rubber", "perkebunan", "ton", False, 0.0),
    ("nanas", "Nanas", "Pineapple", "hortikultura", "ton", False, 0.02),
    ("kakao", "Kakao", "Cocoa", "perkebunan", "ton", False, 0.0),
    ("bawang_merah", "Bawang merah", "Shallot", "hortikultura", "ton", False, 0.03),
    ("jagung", "Jagung", "Maize", "tanaman pangan", "ton", False, 0.02),
    ("garam", "Garam rakyat", "Salt", "perikanan", "ton", True, 0.0),
]
_COMMODITY_SCALE = {"kopi": 2500, "jahe_merah": 400, "rumput_laut": 9000, "eceng_gondok": 300,
                    "singkong": 40000, "cabai": 8000, "karet": 900, "nanas": 6000, "kakao": 500,
                    "bawang_merah": 12000, "jagung": 120000, "garam": 30000}
SECTORS: tuple[str, ...] = ("pertanian", "perikanan", "industri pengolahan", "perdagangan",
                            "jasa dan lainnya")


def _logit(p: np.ndarray | float) -> np.ndarray:
    p = np.asarray(p, dtype=float)
    return np.log(p / (1 - p))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def poverty_field(lon: np.ndarray, lat: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Spatially structured latent field (higher = poorer) at the given points."""
    field = np.zeros_like(lon, dtype=float)
    w, e, s, n = lon.min(), lon.max(), lat.min(), lat.max()
    for _ in range(45):  # broad structure
        cx, cy = rng.uniform(w, e), rng.uniform(s, n)
        sigma, amp = rng.uniform(0.15, 0.45), rng.normal(0, 0.9)
        field += amp * np.exp(-((lon - cx) ** 2 + (lat - cy) ** 2) / (2 * sigma**2))
    for _ in range(9):  # sharp poverty pockets
        cx, cy = rng.uniform(w, e), rng.uniform(s, n)
        sigma, amp = rng.uniform(0.05, 0.14), rng.uniform(1.2, 2.2)
        field += amp * np.exp(-((lon - cx) ** 2 + (lat - cy) ** 2) / (2 * sigma**2))
    return field


def generate(areas: pd.DataFrame, seed: int, coastal_kab: set[str] | None = None,
             register_period: int = 2024) -> dict[str, pd.DataFrame]:
    """Make the synthetic demo layer for one province.

    Parameters
    ----------
    areas:
        Areas with ``kode``, ``level``, ``lat``, ``lon``, ``is_kota`` (from the region list).
    seed:
        Random seed; the same seed gives identical output.
    coastal_kab:
        Kabupaten codes with a coastline (rumput laut and garam are produced only there).
    register_period:
        Year of the synthetic household-register aggregates.

    Returns
    -------
    dict with ``indicators`` (long: kode, period, indicator, value, unit), ``register``,
    ``commodities`` and ``production`` frames.
    """
    rng = np.random.default_rng(seed)
    desa = areas[areas["level"] == "desa"].sort_values("kode").reset_index(drop=True)
    kab_of = desa["kode"].str[:5]
    kec_of = desa["kode"].str[:8]
    kota_kab = set(areas.loc[(areas["level"] == "kabupaten") & areas["is_kota"], "kode"])
    in_kota = kab_of.isin(kota_kab).to_numpy()
    is_kel = desa["is_kota"].to_numpy(dtype=bool)
    nd = len(desa)

    # population 2024
    mean = np.where(is_kel | in_kota, 9000.0, 4300.0)
    pop24 = np.maximum(300, rng.lognormal(np.log(mean) - 0.18, 0.6)).round()

    # latent poverty field
    z = poverty_field(desa["lon"].to_numpy(), desa["lat"].to_numpy(), rng)
    kec_codes, kec_idx = np.unique(kec_of, return_inverse=True)
    z += rng.normal(0, 0.35, len(kec_codes))[kec_idx] + rng.normal(0, 0.35, nd)
    z -= 0.9 * in_kota + 0.4 * is_kel
    kab_codes, kab_idx = np.unique(kab_of, return_inverse=True)
    zk = np.bincount(kab_idx, weights=z * pop24) / np.bincount(kab_idx, weights=pop24)
    lo, hi = _logit(KAB_P0_RANGE[0] / 100), _logit(KAB_P0_RANGE[1] / 100)
    target = lo + (zk - zk.min()) / (zk.max() - zk.min()) * (hi - lo)
    logit24 = target[kab_idx] + 0.75 * (z - zk[kab_idx])
    p24 = np.clip(_sigmoid(logit24), 0.004, 0.6)

    depth = 0.17 * rng.lognormal(0, 0.15, nd)
    severity = 0.26 * rng.lognormal(0, 0.1, nd)
    gk_kab = 470_000 + rng.normal(0, 45_000, len(kab_codes)) + 60_000 * np.isin(kab_codes, list(kota_kab))
    hh_size = np.clip(rng.normal(3.45, 0.25, nd) + 0.15 * is_kel, 2.6, 4.4)

    rows: list[pd.DataFrame] = []
    desil_by_year: dict[int, np.ndarray] = {}
    for year in YEARS:
        k = 2024 - year
        pop = np.round(pop24 / 1.007**k)
        p = np.clip(p24 * _P0_TREND[year] * rng.lognormal(0, 0.04, nd), 0.002, 0.65)
        poor = np.round(pop * p)
        p0 = 100 * poor / pop
        p1 = p0 * depth * (1 + 0.03 * k)
        p2 = p1 * severity
        gk = np.round(gk_kab[kab_idx] * _GK_TREND[year], -2)
        ruta = np.round(pop / hh_size)
        pr = p0 / 100
        shares = np.column_stack([0.55 * pr + 0.02, 0.45 * pr + 0.05, 0.3 * pr + 0.07, 0.2 * pr + 0.08])
        total = shares.sum(axis=1, keepdims=True)
        shares = np.where(total > 0.9, shares * 0.9 / total, shares)
        rest = 1 - shares.sum(axis=1, keepdims=True)
        desil = rng.multinomial(ruta.astype(np.int64), np.hstack([shares, rest]))[:, :4]
        desil_by_year[year] = desil
        data = {"p0": p0, "p1": p1, "p2": p2, "garis_kemiskinan": gk, "penduduk": pop,
                "penduduk_miskin": poor, "ruta": ruta}
        for d in range(4):
            data[f"ruta_desil_{d + 1}"] = desil[:, d]
        for ind, vals in data.items():
            rows.append(pd.DataFrame({"kode": desa["kode"], "period": year, "indicator": ind,
                                      "value": np.asarray(vals, dtype=float)}))
    desa_long = pd.concat(rows, ignore_index=True)
    indicators = pd.concat([desa_long, aggregate_up(desa_long)], ignore_index=True)
    units = {d[0]: d[3] for d in INDICATOR_DEFS}
    indicators["unit"] = indicators["indicator"].map(units)

    register = _register(desa, desil_by_year[register_period], hh_size, is_kel, register_period, rng)
    commodities, production = _production(areas, kab_codes, kota_kab, coastal_kab or set(), rng)
    production = pd.concat([production, desa_production(desa, production, seed)], ignore_index=True)
    return {"indicators": indicators, "register": register, "commodities": commodities,
            "production": production}


def aggregate_up(desa_long: pd.DataFrame) -> pd.DataFrame:
    """Aggregate desa indicators to kecamatan, kabupaten and province by each indicator's rule.

    ``sum`` indicators add up; ``p0`` is 100 x poor / population of the sums; ``p1``/``p2`` are
    population-weighted means; ``garis_kemiskinan`` is taken from the kabupaten (inherited below it,
    population-weighted above it).
    """
    wide = desa_long.pivot_table(index=["kode", "period"], columns="indicator", values="value").reset_index()
    out = []
    for width in (8, 5, 2):  # kecamatan, kabupaten, province
        g = wide.assign(parent=wide["kode"].str[:width])
        g["p1w"] = g["p1"] * g["penduduk"]
        g["p2w"] = g["p2"] * g["penduduk"]
        g["gkw"] = g["garis_kemiskinan"] * g["penduduk"]
        sums = g.groupby(["parent", "period"], as_index=False)[
            ["penduduk", "penduduk_miskin", "ruta", "ruta_desil_1", "ruta_desil_2", "ruta_desil_3",
             "ruta_desil_4", "p1w", "p2w", "gkw"]].sum()
        sums["p0"] = 100 * sums["penduduk_miskin"] / sums["penduduk"]
        sums["p1"] = sums["p1w"] / sums["penduduk"]
        sums["p2"] = sums["p2w"] / sums["penduduk"]
        sums["garis_kemiskinan"] = sums["gkw"] / sums["penduduk"]
        if width >= 5:  # inside one kabupaten the line is the kabupaten's own
            sums["garis_kemiskinan"] = sums["garis_kemiskinan"].round(-2)
        sums = sums.drop(columns=["p1w", "p2w", "gkw"]).rename(columns={"parent": "kode"})
        out.append(sums.melt(id_vars=["kode", "period"], var_name="indicator", value_name="value"))
    return pd.concat(out, ignore_index=True)


def _register(desa: pd.DataFrame, desil: np.ndarray, hh_size: np.ndarray, is_kel: np.ndarray,
              period: int, rng: np.random.Generator) -> pd.DataFrame:
    """Household-register aggregates (desa x desil x sector x sex of head x disability)."""
    rural = np.array([0.46, 0.08, 0.12, 0.18, 0.16])
    urban = np.array([0.08, 0.04, 0.2, 0.33, 0.35])
    frames = []
    for d in range(4):
        n = desil[:, d].astype(np.int64)
        sector_p = np.where(is_kel[:, None], urban, rural)
        by_sector = rng.multinomial(n, sector_p)
        female = 0.22 - 0.02 * d
        disab = 0.05 - 0.005 * d
        cell_p = np.array([(1 - female) * (1 - disab), (1 - female) * disab, female * (1 - disab),
                           female * disab])
        for s, sector in enumerate(SECTORS):
            cells = rng.multinomial(by_sector[:, s], cell_p)
            for c, (sex, dis) in enumerate((("L", False), ("L", True), ("P", False), ("P", True))):
                h = cells[:, c]
                keep = h > 0
                frames.append(pd.DataFrame({
                    "kode": desa["kode"].to_numpy()[keep], "period": period, "desil": d + 1,
                    "sektor": sector, "sex_head": sex, "disability": dis, "households": h[keep],
                    "persons": np.round(h[keep] * (hh_size[keep] + 0.3 * (3 - d))).astype(np.int64)}))
    return pd.concat(frames, ignore_index=True)


def desa_production(desa: pd.DataFrame, kab_production: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Split each kabupaten's production among the desa that produce the commodity.

    Producing desa are drawn per commodity (about a third to two thirds of a kabupaten's rural desa,
    fewer kelurahan); the same desa produce it every year; the kabupaten value is divided among them by
    Dirichlet shares, so desa values add up to the kabupaten exactly. Uses its own random stream, so the
    other synthetic figures do not change.
    """
    rng = np.random.default_rng([seed, 11])
    desa = desa.sort_values("kode").reset_index(drop=True)
    kab_of = desa["kode"].str[:5].to_numpy()
    is_kel = desa["is_kota"].to_numpy(dtype=bool)
    parts: dict[str, list] = {"kode": [], "period": [], "commodity": [], "value": [], "unit": []}
    for (kab, com), g in kab_production[kab_production["value"] > 0].groupby(["kode", "commodity"], sort=True):
        idx = np.flatnonzero(kab_of == kab)
        if len(idx) == 0:
            continue
        share = rng.uniform(0.3, 0.65)
        p = np.where(is_kel[idx], share * 0.2, share)
        producing = idx[rng.random(len(idx)) < p]
        if len(producing) == 0:
            producing = idx[[rng.integers(len(idx))]]
        weights = rng.dirichlet(np.full(len(producing), 1.5))
        codes = desa["kode"].to_numpy()[producing]
        for period, value, unit in zip(g["period"], g["value"], g["unit"], strict=True):
            vals = np.round(value * weights, 3)
            vals[-1] = round(value - vals[:-1].sum(), 3)
            n = len(codes)
            parts["kode"].append(codes)
            parts["period"].append(np.full(n, period))
            parts["commodity"].append(np.full(n, com, dtype=object))
            parts["value"].append(vals)
            parts["unit"].append(np.full(n, unit, dtype=object))
    return pd.DataFrame({k: np.concatenate(v) for k, v in parts.items()})


def commodities_frame() -> pd.DataFrame:
    """The seed commodities (kode, nama, nama_en, kategori, unit, description)."""
    return pd.DataFrame(
        [(k, n, ne, cat, unit, "Komoditas contoh dari dokumen metode") for k, n, ne, cat, unit, _, _ in
         COMMODITIES], columns=["kode", "nama", "nama_en", "kategori", "unit", "description"])


def _production(areas: pd.DataFrame, kab_codes: np.ndarray, kota_kab: set[str], coastal: set[str],
                rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    commodities = commodities_frame()
    rows = []
    for kode, _, _, _, unit, coastal_only, kota_share in COMMODITIES:
        scale = _COMMODITY_SCALE[kode]
        for kab in kab_codes:
            is_kota = kab in kota_kab
            grows = rng.random() < (kota_share if is_kota else 0.7)
            if coastal_only and kab not in coastal:
                grows = False
            base = scale * rng.lognormal(-0.3, 0.9) if grows else 0.0
            trend = rng.normal(0.03, 0.05)
            for year in YEARS:
                value = base * (1 + trend) ** (year - 2024) * rng.lognormal(0, 0.08) if base else 0.0
                rows.append((kab, year, kode, round(value, 1), unit))
    production = pd.DataFrame(rows, columns=["kode", "period", "commodity", "value", "unit"])
    return commodities, production
