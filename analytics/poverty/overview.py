"""What the Beranda page shows: headline figures, the kabupaten map and the data status."""

from __future__ import annotations

import pandas as pd

from analytics.core import fmt
from analytics.core import store as core_store
from analytics.core.db import Database
from analytics.core.i18n import t
from analytics.poverty import store as poverty_store


def province_summary(db: Database, prov: str, year: int) -> dict[str, float | int | None | bool]:
    """Area counts, province P0 and poor population for ``year``, and whether those are synthetic."""
    counts = core_store.area_counts(db, prov)
    vals = poverty_store.area_indicators(db, prov, year, ["p0", "penduduk_miskin"])
    first = vals.drop_duplicates("indicator").set_index("indicator")
    return {
        "kabupaten": counts.get("kabupaten", 0), "kecamatan": counts.get("kecamatan", 0),
        "desa": counts.get("desa", 0),
        "p0": float(first.loc["p0", "value"]) if "p0" in first.index else None,
        "penduduk_miskin": float(first.loc["penduduk_miskin", "value"])
        if "penduduk_miskin" in first.index else None,
        "synthetic": bool(first["is_synthetic"].any()) if not first.empty else False,
    }


def top_kabupaten(db: Database, prov: str, year: int, indicator: str = "p0", n: int = 5,
                  lang: str = "id") -> pd.DataFrame:
    """The ``n`` kabupaten/kota with the highest value, formatted for display."""
    df = poverty_store.indicator_values(db, "kabupaten", prov, indicator, year)
    df = df.sort_values("value", ascending=False).head(n)
    return pd.DataFrame({
        t("col.kode", lang): df["kode"], t("col.nama", lang): df["nama"],
        t("col.nilai", lang): [fmt.by_unit(v, u, lang) for v, u in zip(df["value"], df["unit"], strict=False)],
        t("col.sumber", lang): df["source"]}).reset_index(drop=True)


def kabupaten_layer(db: Database, prov: str, year: int, indicator: str = "p0", lang: str = "id",
                    level: str = "kabupaten") -> dict:
    """What the choropleth of one indicator over the kabupaten/kota of a province (or, with ``prov``
    ``""``, of Indonesia; or its provinces with ``level="provinsi"``) shows, labelled honestly: the
    keyword arguments of :func:`analytics.render.maps.choropleth` (all but the GeoJSON).

    Where one area has several sources, the map colours by the first source in name order and the
    tooltip names it; the sources are not merged.
    """
    df = poverty_store.indicator_values(db, level, prov, indicator, year).drop_duplicates("kode")
    defs = poverty_store.indicator_defs(db).set_index("indicator")
    name = defs.loc[indicator, "nama_id" if lang == "id" else "nama_en"] if indicator in defs.index else indicator
    unit = str(df["unit"].iloc[0]) if not df.empty else ""
    notes = []
    if df["is_synthetic"].any():
        notes.append(t("synthetic.label", lang))
    if core_store.geometry_sources(db, prov).get("approximate"):
        notes.append(t("approximate.label", lang))
    return dict(
        values=dict(zip(df["kode"], df["value"], strict=False)),
        labels={k: fmt.by_unit(v, unit, lang) for k, v in zip(df["kode"], df["value"], strict=False)},
        tooltip_fields=["nama", "kode", "nilai", "sumber"],
        tooltip_aliases=[t("col.nama", lang), t("col.kode", lang), str(name), t("col.sumber", lang)],
        title=f"{name} ({year})", fmt=lambda v: fmt.by_unit(v, unit, lang), notes=notes,
        no_data_label=t("map.nodata", lang),
        extra_properties={"sumber": dict(zip(df["kode"], df["source"], strict=False))},
        tooltip_constants=[(t("col.tahun", lang), str(year))])


def status_table(db: Database, lang: str = "id") -> pd.DataFrame:
    """The data status per layer, in words: synthetic, approximate, official or real; last import."""
    st = core_store.data_status(db)

    def state(r: pd.Series) -> str:
        if r["n_rows"] == 0:
            return t("status.empty", lang)
        if r["layer"] == "geometry":
            return t("status.approximate", lang) if r["approximate"] else t("status.official", lang)
        if r["synthetic"]:
            return t("status.synthetic", lang)
        if r["mixed"]:
            return t("status.mixed", lang)
        return t("status.official", lang) if r["layer"] == "areas" else t("status.real", lang)

    return pd.DataFrame({
        t("status.layer", lang): [t(f"layer.{x}", lang) for x in st["layer"]],
        t("status.state", lang): [state(r) for _, r in st.iterrows()],
        t("status.rows", lang): [fmt.number(n, 0, lang) for n in st["n_rows"]],
        t("status.sources", lang): st["sources"].fillna("–"),
        t("status.last", lang): [fmt.timestamp(v.to_pydatetime() if pd.notna(v) else None, lang)
                                 for v in st["last_import"]],
    })


def has_synthetic(db: Database) -> bool:
    """Whether any synthetic row is stored (every screen showing data then carries the label)."""
    return core_store.has_synthetic(db)
