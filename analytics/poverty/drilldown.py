"""Peta kemiskinan: drill-down navigation, ranking, the choropleth and pocket layers (drawn by
:mod:`analytics.render.maps`), statistical pockets, priority shortlist.

The page keeps two pieces of state: the **scope** (the area drilled into: province, kabupaten or
kecamatan code) and the **shown level** (which areas below the scope are drawn). :func:`drill` is the
one rule for what a click does; everything else reads the database through :mod:`analytics.poverty.store`.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from analytics.core import fmt
from analytics.core import store as core_store
from analytics.core.db import Database
from analytics.core.i18n import t
from analytics.core.regions import LEVELS, level_of
from analytics.poverty import emerging, hotspots
from analytics.poverty import store as poverty_store

DEPTH: dict[str, int] = {lvl: i for i, lvl in enumerate(LEVELS)}
NATIONAL = ""
"""The scope of the whole country (Indonesia): the Peta and Beranda start there."""
NATIONAL_NAME = "Indonesia"
NATIONAL_LEVELS = ["provinsi", "kabupaten"]
"""What the map of Indonesia draws: its 38 provinces, or its 514 kabupaten/kota (a province's kecamatan
and desa are drawn once the province is entered)."""
POCKET_COLOURS: dict[str, str] = {"HH": "#b2182b", "LL": "#2166ac", "HL": "#f4a582", "LH": "#92c5de"}
GI_COLOURS: dict[str, str] = {"hot": "#b2182b", "cold": "#2166ac"}
TREND_COLOURS: dict[str, str] = {"intensif": "#67000d", "menetap": "#b2182b", "melemah": "#f4a582",
                                 "berosilasi": "#8073ac", "baru": "#e08214", "berturut": "#fdb863",
                                 "sporadis": "#fee0b6", "historis": "#bababa"}
"""Pocket patterns over the years (:mod:`analytics.poverty.emerging`); ``tidak_ada`` is left uncoloured."""


def ancestor(kode: str, level: str) -> str:
    """The code of ``kode``'s ancestor (or itself) at ``level``.

    >>> ancestor("35.07.10.2010", "kabupaten"), ancestor("35.07.10.2010", "kecamatan")
    ('35.07', '35.07.10')
    """
    return ".".join(kode.split(".")[: DEPTH[level] + 1])


def depth(scope: str) -> int:
    """How deep ``scope`` lies: -1 for the whole country, 0 for a province … 3 for a desa.

    >>> depth(NATIONAL), depth("35"), depth("35.07.10")
    (-1, 0, 2)
    """
    return -1 if scope == NATIONAL else DEPTH[level_of(scope)]


def inside(codes: pd.Series, scope: str) -> pd.Series:
    """Which of ``codes`` lie under ``scope`` (every code for the whole country)."""
    return codes.str.startswith(scope + ".") if scope != NATIONAL else pd.Series(True, index=codes.index)


def levels_below(scope: str) -> list[str]:
    """Levels that can be drawn inside ``scope``.

    >>> levels_below("35"), levels_below("35.07.10"), levels_below(NATIONAL)
    (['kabupaten', 'kecamatan', 'desa'], ['desa'], ['provinsi', 'kabupaten'])
    """
    if scope == NATIONAL:
        return list(NATIONAL_LEVELS)
    return list(LEVELS[DEPTH[level_of(scope)] + 1:])


def drill(scope: str, shown: str, clicked: str) -> tuple[str, str, str]:
    """What a click on area ``clicked`` does: returns (new scope, new shown level, selected area).

    A click goes one level down, towards the clicked area; the shown level is kept if it is still
    below the new scope, otherwise the next level is shown. A desa clicked inside a kecamatan is only
    selected.

    >>> drill("35", "kabupaten", "35.07")
    ('35.07', 'kecamatan', '35.07')
    >>> drill("35", "desa", "35.07.10.2010")          # province-wide desa map: into the desa's kabupaten
    ('35.07', 'desa', '35.07.10.2010')
    >>> drill("35.07.10", "desa", "35.07.10.2010")
    ('35.07.10', 'desa', '35.07.10.2010')
    >>> drill(NATIONAL, "provinsi", "73"), drill(NATIONAL, "kabupaten", "73.03")  # Indonesia: into the province
    (('73', 'kabupaten', '73'), ('73', 'kabupaten', '73.03'))
    """
    scope_depth = depth(scope)
    if level_of(clicked) == "desa" and scope_depth >= DEPTH["kecamatan"]:
        return scope, shown, clicked
    new_scope = ancestor(clicked, LEVELS[scope_depth + 1])
    new_depth = DEPTH[level_of(new_scope)]
    new_shown = shown if DEPTH[shown] > new_depth else LEVELS[new_depth + 1]
    return new_scope, new_shown, clicked


def climb(code: str) -> tuple[str, str]:
    """Going back up to ``code`` (a breadcrumb click): the new scope and the level shown below it.

    >>> climb("35"), climb("35.07"), climb(NATIONAL)
    (('35', 'kabupaten'), ('35.07', 'kecamatan'), ('', 'provinsi'))
    """
    return code, levels_below(code)[0]


def clicked_code(map_value: object) -> str | None:
    """The area code of the feature last clicked on a map (the st_folium value), if any.

    >>> clicked_code({"last_active_drawing": {"properties": {"kode": "35.07"}}}), clicked_code(None)
    ('35.07', None)
    """
    if not isinstance(map_value, dict):
        return None
    feature = map_value.get("last_active_drawing") or {}
    kode = (feature.get("properties") or {}).get("kode") if isinstance(feature, dict) else None
    return str(kode) if kode else None


def breadcrumb(db: Database, scope: str) -> list[tuple[str, str]]:
    """(code, name) from Indonesia (code ``""``) down to ``scope``."""
    codes = [ancestor(scope, lvl) for lvl in LEVELS[: depth(scope) + 1]]
    names = core_store.area_names(db, codes)
    return [(NATIONAL, NATIONAL_NAME)] + [(c, names.get(c, c)) for c in codes]


def indicator_label(db: Database, indicator: str, lang: str) -> tuple[str, str]:
    """(display name, unit) of an indicator."""
    defs = poverty_store.indicator_defs(db).set_index("indicator")
    if indicator not in defs.index:
        return indicator, ""
    return str(defs.loc[indicator, "nama_id" if lang == "id" else "nama_en"]), str(defs.loc[indicator, "unit"])


def values(db: Database, scope: str, level: str, indicator: str, period: int,
           source: str | None = None) -> pd.DataFrame:
    """One value per area of ``level`` under ``scope`` from one source (default: the first real source,
    else the synthetic one). Other sources are not mixed in: see :mod:`analytics.sources`."""
    df = poverty_store.indicator_values(db, level, scope, indicator, period)
    if df.empty:
        return df
    chosen = source or pick_source(df)
    return df[df["source"] == chosen].reset_index(drop=True)


def pick_source(df: pd.DataFrame) -> str:
    """The default source among those present: the real source covering most areas, else synthetic."""
    cover = df.groupby(["source", "is_synthetic"]).size().reset_index(name="n")
    cover = cover.sort_values(["is_synthetic", "n", "source"], ascending=[True, False, True])
    return str(cover["source"].iloc[0])


def ranking(db: Database, scope: str, level: str, indicator: str, period: int, lang: str,
            source: str | None = None) -> pd.DataFrame:
    """Areas ranked by value (highest first) with formatted values, for the table beside the map."""
    df = values(db, scope, level, indicator, period, source)
    if df.empty:
        return pd.DataFrame(columns=["peringkat", "kode", "nama", "value", "nilai", "source"])
    df = df.sort_values(["value", "kode"], ascending=[False, True], na_position="last").reset_index(drop=True)
    df.insert(0, "peringkat", np.arange(1, len(df) + 1))
    df["nilai"] = [fmt.by_unit(v, u, lang) for v, u in zip(df["value"], df["unit"], strict=False)]
    return df[["peringkat", "kode", "nama", "value", "nilai", "source"]]


def gis_layer(db: Database, scope: str, level: str, indicator: str, period: int, lang: str,
              source: str | None = None, result: pd.DataFrame | None = None) -> tuple[pd.DataFrame, list]:
    """The map's layer as a table for GIS staff, with the areas' full (unsimplified) boundaries: one row
    per area of ``level`` under ``scope`` with code, name, level, indicator, year, value, unit, source and a
    synthetic flag; with a pockets ``result`` also the LISA cluster and Gi* class with their p and q
    values. Areas without a value keep an empty value. Returns (table, geometry in the same order)."""
    shapes = core_store.area_shapes(db, level, scope)[["kode", "nama"]]
    vals = values(db, scope, level, indicator, period, source)
    name, unit = indicator_label(db, indicator, lang)
    out = shapes.merge(vals[["kode", "value", "source", "is_synthetic"]], on="kode", how="left")
    table = pd.DataFrame({"kode": out["kode"], "nama": out["nama"], "tingkat": t(f"level.{level}", lang),
                          "indikator": name, "tahun": period, "nilai": out["value"], "satuan": unit,
                          "sumber": out["source"], "sintetis": out["is_synthetic"].fillna(False).astype(bool)})
    if result is not None:
        r = result.set_index("kode")
        for col, src in (("kantong_lisa", "cluster"), ("lisa_p", "lisa_p"), ("lisa_q", "lisa_q"),
                         ("gi_kelas", "gi_class"), ("gi_z", "gi_z"), ("gi_p", "gi_p"), ("gi_q", "gi_q")):
            table[col] = table["kode"].map(r[src]) if src in r else None
    full = core_store.area_full_geometry(db, table["kode"].tolist()).set_index("kode")["geometry"]
    return table, [full.get(k) for k in table["kode"]]


def shortlist_gis(db: Database, prov: str, lang: str) -> tuple[pd.DataFrame, list]:
    """The priority shortlist as a GIS layer: its export table with each area's full boundary."""
    table = shortlist_export(db, prov, lang)
    full = core_store.area_full_geometry(db, table["kode"].tolist()).set_index("kode")["geometry"]
    return table, [full.get(k) for k in table["kode"]]


def _notes(db: Database, scope: str, synthetic: bool, lang: str) -> list[str]:
    notes = []
    if synthetic:
        notes.append(t("synthetic.label", lang))
    geo = core_store.geometry_sources(db, scope[:2])
    if geo.get("approximate"):
        notes.append(t("approximate.label", lang) if not geo.get("official")
                     else t("approximate.partial", lang))
    return notes


def value_layer(db: Database, scope: str, level: str, indicator: str, period: int, lang: str,
                scheme: str = "quantiles", source: str | None = None, selected: str | None = None) -> dict:
    """What the choropleth of one indicator over the areas of ``level`` under ``scope`` shows, honestly
    labelled: the keyword arguments of :func:`analytics.render.maps.choropleth` (all but the GeoJSON)."""
    df = values(db, scope, level, indicator, period, source)
    name, unit = indicator_label(db, indicator, lang)
    return dict(
        values=dict(zip(df["kode"], df["value"], strict=False)),
        labels={k: fmt.by_unit(v, unit, lang) for k, v in zip(df["kode"], df["value"], strict=False)},
        tooltip_fields=["nama", "kode", "nilai"],
        tooltip_aliases=[t("col.nama", lang), t("col.kode", lang), name],
        title=f"{name} ({period})", fmt=lambda v: fmt.by_unit(v, unit, lang),
        notes=_notes(db, scope, bool(df["is_synthetic"].any()), lang), no_data_label=t("map.nodata", lang),
        scheme=scheme,
        tooltip_constants=[(t("col.satuan", lang), unit),
                           (t("col.sumber", lang), str(df["source"].iloc[0]) if not df.empty else "–"),
                           (t("col.tahun", lang), str(period))],
        selected=selected)


# ---------------------------------------------------------------------- statistical pockets
def pockets(db: Database, prov: str, level: str, indicator: str, period: int, source: str | None = None,
            smooth: bool = False, permutations: int = 999, alpha: float = 0.05,
            seed: int = 12345) -> pd.DataFrame:
    """Significant pockets for every area of ``level`` in the province (neighbours cross kabupaten lines).

    With ``smooth`` (P0 only), the rate tested is the empirical-Bayes smoothed poor / population of the
    same source. Areas without a value are left out (and listed as such by the caller).
    """
    if smooth and indicator != "p0":
        raise ValueError(t("pockets.smooth_p0_only", "id"))
    df = values(db, prov, level, indicator, period, source).dropna(subset=["value"])
    if len(df) < 3:
        raise ValueError(t("pockets.too_few", "id"))
    chosen = str(df["source"].iloc[0])
    shapes = core_store.area_full_geometry(db, df["kode"].tolist())
    df = df.merge(shapes, on="kode", how="inner")
    y = df["value"].to_numpy(dtype=float)
    if smooth:
        poor = values(db, prov, level, "penduduk_miskin", period, chosen).set_index("kode")["value"]
        pop = values(db, prov, level, "penduduk", period, chosen).set_index("kode")["value"]
        ok = df["kode"].isin(poor.index) & df["kode"].isin(pop.index)
        if not ok.all():
            raise ValueError(t("pockets.smooth_missing", "id"))
        y = hotspots.eb_smooth(poor.loc[df["kode"]].to_numpy(), pop.loc[df["kode"]].to_numpy()) * 100.0
    w = hotspots.contiguity_weights(df["geometry"].tolist(), df["kode"].tolist())
    res = hotspots.find_pockets(y, w, permutations=permutations, alpha=alpha, seed=seed)
    res.insert(1, "nama", df["nama"].to_numpy())
    res["raw_value"] = df["value"].to_numpy()
    res["source"] = chosen
    res["smoothed"] = smooth
    return res


def pocket_layer(db: Database, scope: str, result: pd.DataFrame, kind: str, lang: str, title: str, unit: str,
                 selected: str | None = None) -> dict:
    """What the map of significant LISA clusters (``kind='lisa'``) or Gi* hot/cold spots (``kind='gi'``)
    shows: the keyword arguments of :func:`analytics.render.maps.categorical` (all but the GeoJSON)."""
    col, colours = ("cluster", POCKET_COLOURS) if kind == "lisa" else ("gi_class", GI_COLOURS)
    prefix = "pockets.cluster" if kind == "lisa" else "pockets.gi"
    sub = result[inside(result["kode"], scope)]
    cats = dict(zip(sub["kode"], sub[col], strict=False))
    labels = {c: t(f"{prefix}.{v}", lang) for c, v in cats.items()}
    pf = (lambda x: f"{x:.3f}".replace(".", ",")) if lang == "id" else (lambda x: f"{x:.3f}")
    notes = _notes(db, scope, False, lang)
    return dict(
        categories={c: v for c, v in cats.items() if v != "ns"}, colours=colours,
        category_labels={k: t(f"{prefix}.{k}", lang) for k in colours},
        labels=labels,
        tooltip_fields=["nama", "kode", "nilai", "angka", "q"],
        tooltip_aliases=[t("col.nama", lang), t("col.kode", lang), t("pockets.type", lang),
                         t("col.nilai", lang), t("pockets.qvalue", lang)],
        title=title, notes=notes + [t("pockets.legend.ns", lang)], no_data_label=t("pockets.ns", lang),
        extra_properties={
            "angka": {k: fmt.by_unit(v, unit, lang) for k, v in zip(sub["kode"], sub["value"], strict=False)},
            "q": {k: pf(v) for k, v in zip(sub["kode"], sub["lisa_q" if kind == "lisa" else "gi_q"], strict=False)}},
        selected=selected)


def trend_pockets(db: Database, prov: str, level: str, indicator: str, source: str | None = None,
                  alpha: float = 0.05) -> tuple[pd.DataFrame, dict[str, object]]:
    """Pocket patterns over every year ``indicator`` has (:func:`analytics.poverty.emerging.emerging`) for the
    areas of ``level`` in the province, from one source throughout (the default source of the newest year).
    Areas missing a year are left out and counted. Returns the table (with ``nama``) and what was used:
    ``years``, ``source``, ``n`` (areas tested), ``dropped`` (areas without every year)."""
    all_years = poverty_store.years(db, indicator)
    if not all_years:
        raise ValueError(t("trend.too_few_years", "id", n=0))
    newest = values(db, prov, level, indicator, all_years[-1], source)
    if newest.empty:
        raise ValueError(t("pockets.too_few", "id"))
    chosen = str(newest["source"].iloc[0])
    frames = {y: values(db, prov, level, indicator, y, chosen).set_index("kode")["value"] for y in all_years}
    used = [y for y in all_years if not frames[y].dropna().empty]
    if len(used) < 3:
        raise ValueError(t("trend.too_few_years", "id", n=len(used)))
    panel = pd.DataFrame({y: frames[y] for y in used})
    complete = panel.dropna()
    if len(complete) < 3:
        raise ValueError(t("pockets.too_few", "id"))
    shapes = core_store.area_full_geometry(db, complete.index.tolist()).set_index("kode")
    complete = complete.loc[complete.index.intersection(shapes.index)]
    w = hotspots.contiguity_weights(shapes.loc[complete.index, "geometry"].tolist(), complete.index.tolist())
    res = emerging.emerging(complete.to_numpy(), used, w, alpha)
    names = newest.set_index("kode")["nama"]
    res.insert(1, "nama", res["kode"].map(names))
    res["nilai_akhir"] = res["kode"].map(complete[used[-1]])
    return res, {"years": used, "source": chosen, "n": len(res), "dropped": int(len(panel) - len(res))}


def trend_layer(db: Database, scope: str, result: pd.DataFrame, lang: str, title: str, unit: str,
                selected: str | None = None) -> dict:
    """What the map of pocket patterns over the years shows: the keyword arguments of
    :func:`analytics.render.maps.categorical` (all but the GeoJSON)."""
    sub = result[inside(result["kode"], scope)]
    cats = dict(zip(sub["kode"], sub["pola"], strict=False))
    return dict(
        categories={c: v for c, v in cats.items() if v != "tidak_ada"}, colours=TREND_COLOURS,
        category_labels={k: t(f"trend.{k}", lang) for k in TREND_COLOURS},
        labels={c: t(f"trend.{v}", lang) for c, v in cats.items()},
        tooltip_fields=["nama", "kode", "nilai", "angka", "panas"],
        tooltip_aliases=[t("col.nama", lang), t("col.kode", lang), t("trend.pattern", lang),
                         t("trend.last_value", lang), t("trend.hot_years", lang)],
        title=title, notes=_notes(db, scope, False, lang), no_data_label=t("trend.tidak_ada", lang),
        extra_properties={
            "angka": {k: fmt.by_unit(v, unit, lang) for k, v in zip(sub["kode"], sub["nilai_akhir"], strict=False)},
            "panas": {k: str(v) for k, v in zip(sub["kode"], sub["tahun_panas"], strict=False)}},
        selected=selected)


def trend_summary(result: pd.DataFrame, scope: str) -> dict[str, int]:
    """Areas per pattern inside ``scope``."""
    sub = result[inside(result["kode"], scope)]
    return {c: int((sub["pola"] == c).sum()) for c in emerging.CATEGORIES}


def pocket_codes(result: pd.DataFrame, cluster: str = "HH") -> set[str]:
    """Codes of the areas in significant clusters of one type (default: high-high pockets)."""
    return set(result.loc[result["cluster"] == cluster, "kode"])


def pocket_summary(result: pd.DataFrame, scope: str) -> dict[str, int]:
    """Counts of significant cluster types and hot/cold spots inside ``scope``."""
    sub = result[inside(result["kode"], scope)]
    out = {c: int((sub["cluster"] == c).sum()) for c in hotspots.CLUSTERS}
    out.update({f"gi_{c}": int((sub["gi_class"] == c).sum()) for c in hotspots.GI_CLASSES})
    out["islands"] = int(sub["island_fallback"].sum())
    out["n"] = len(sub)
    out["significant"] = int((sub["cluster"] != "ns").sum() + (sub["gi_class"] != "ns").sum())
    return out


# ---------------------------------------------------------------------- priority shortlist
def shortlist(db: Database, prov: str) -> pd.DataFrame:
    """The planner's priority shortlist for a province, with kabupaten and kecamatan names."""
    return poverty_store.priority_areas(db, prov)


def priority_kabupaten(db: Database, prov: str) -> str | None:
    """The kabupaten of the first area on the priority shortlist (where the next stages start), if any."""
    sl = shortlist(db, prov)
    return None if sl.empty else str(sl["kode"].iloc[0])[:5]


def shortlist_candidates(db: Database, rank: pd.DataFrame, selected: str | None) -> tuple[list[str], dict[str, str]]:
    """The areas the shortlist form offers, and their labels: the selected area first (also when it is not in
    the ranking shown, e.g. a kecamatan whose desa are listed), then the ranking's order. Labels are names;
    a name that occurs twice gets its parent area's name, never a code."""
    codes = [str(k) for k in rank["kode"]] if not rank.empty else []
    if selected and selected not in codes and len(selected) > 2:
        codes.insert(0, selected)
    up = {c: c[: {13: 8, 8: 5, 5: 2}.get(len(c), 2)] for c in codes}  # desa → kecamatan → kabupaten → provinsi
    ranked = dict(zip(rank["kode"].astype(str), rank["nama"], strict=False)) if "nama" in rank else {}
    extra = [c for c in codes if c not in ranked]  # the ranking's own names; only the others are read
    own = {c: n for c, n in (ranked | core_store.area_names(db, extra)).items() if c in up}
    own = {c: own.get(c, c) for c in codes}
    counts = Counter(own.values())  # (8,494 desa: counted once, not name by name)
    twice = {c for c in codes if counts[own[c]] > 1}
    parents = core_store.area_names(db, sorted({up[c] for c in twice}))
    return codes, {c: f"{own[c]} ({parents[up[c]]})" if c in twice and parents.get(up[c]) else own[c]
                   for c in codes}


def shortlist_evidence(db: Database, rank: pd.DataFrame, kode: str, indicator: str, period: int
                       ) -> tuple[float | None, str | None]:
    """(value, source) of ``indicator`` for an area about to be shortlisted: the ranking's value when the area
    is in it, else the stored value (real sources first)."""
    if not rank.empty and kode in set(rank["kode"]):
        row = rank.set_index("kode").loc[kode]
        return (None if pd.isna(row["value"]) else float(row["value"])), str(row["source"])
    got = poverty_store.area_indicators(db, kode, period, [indicator])
    return (None, None) if got.empty else (float(got["value"].iloc[0]), str(got["source"].iloc[0]))


def shortlist_kabupaten(db: Database, prov: str) -> list[str]:
    """The kabupaten/kota of the shortlisted areas, in the order they were first shortlisted."""
    return list(dict.fromkeys(str(k)[:5] for k in shortlist(db, prov)["kode"]))


def shortlist_export(db: Database, prov: str, lang: str) -> pd.DataFrame:
    """The shortlist as an export table with codes, names, evidence and a synthetic-data note."""
    df = shortlist(db, prov)
    syn = t("synthetic.label", lang)
    out = pd.DataFrame({
        "kode": df["kode"], "nama": df["nama"], "tingkat": df["level"],
        "kode_kabupaten": df["kode"].str[:5], "kabupaten": df["kabupaten"],
        "kecamatan": df["kecamatan"], "alasan": df["reason"], "indikator": df["indicator"],
        "tahun": df["period"], "nilai": df["value"], "sumber": df["source"],
        "ditambahkan_oleh": df["added_by"].map(lambda a: fmt.person(a, lang)), "ditambahkan_pada": df["added_at"],
    })
    out["keterangan"] = np.where(df["source"].fillna("").str.contains("sintetis"), syn, "")
    return out
