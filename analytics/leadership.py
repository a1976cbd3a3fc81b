"""The leadership summary: households reached against target, income change, PCI predicate distribution,
ADKAR barrier points, interventions over the poverty pockets, budget and co-investment by source; and
the same on paper (PDF)."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from analytics import adkar, business, fmt, pci, pci_store, queries, results
from analytics.db import Database

GOVERNMENT = business.PUBLIC


@dataclass(frozen=True)
class Summary:
    """Everything the leadership page shows."""

    reached: float | None            # households reached, latest realisation, all chains
    reached_target: float | None     # the target for the same periods
    reached_final: float | None      # the end-of-plan target
    reached_period: str | None
    income: float | None             # additional net income per household, latest realisation (mean of chains)
    income_target: float | None
    income_period: str | None
    outreach: pd.DataFrame           # per chain: title, period, realisasi, target, final target
    pci: pd.DataFrame                # predicate, n (latest year per group)
    pci_year: int | None
    barriers: pd.DataFrame           # hambatan, n (latest period per respondent)
    budget: pd.DataFrame             # sumber, nilai, bagian
    co_investment: float | None      # share of the budget not paid by government
    interventions: pd.DataFrame      # title, kabupaten, nama, kode, lat, lon, reached
    synthetic: bool


def _latest(values: pd.DataFrame) -> tuple[str | None, float | None, float | None]:
    """The newest period with a realisation, its value and the target of that period."""
    real = values[(values["jenis"] == "realisasi") & (values["pilah"] == "total") & values["value"].notna()]
    if real.empty:
        return None, None, None
    per = max(real["period"], key=results.period_key)
    tgt = values[(values["jenis"] == "target") & (values["pilah"] == "total") & (values["period"] == per)]["value"]
    return per, float(real.loc[real["period"] == per, "value"].iloc[0]), (float(tgt.iloc[0]) if len(tgt) else None)


def summary(db: Database, prov: str) -> Summary:
    """Collect the leadership figures from the monitoring records and business models."""
    keys = queries.rc_key_indicators(db)
    values = queries.rc_values(db)
    chains = queries.rc_chains(db).set_index("id")
    rows = []
    for k in keys.itertuples():
        v = values[(values["chain_id"] == k.chain_id) & (values["ind"] == k.ind)]
        per, real, tgt = _latest(v)
        title = chains["model_title"].get(k.chain_id) or chains["title"].get(k.chain_id, "")
        rows.append({"chain_id": k.chain_id, "judul": title, "kunci": k.kunci,
                     "period": per, "realisasi": real, "target_periode": tgt if tgt is not None else np.nan,
                     "target_akhir": k.target, "baseline": k.baseline})
    key_rows = pd.DataFrame(rows, columns=["chain_id", "judul", "kunci", "period", "realisasi", "target_periode",
                                           "target_akhir", "baseline"])
    reach = key_rows[key_rows["kunci"] == "rt_terjangkau"]
    income = key_rows[(key_rows["kunci"] == "pendapatan_rt") & key_rows["realisasi"].notna()]
    r_real = reach["realisasi"].dropna()
    pci_table = pd.DataFrame(columns=["predikat", "n"])
    pci_year = None
    if db.scalar("SELECT count(*) FROM pci_obs"):  # scored on the method's reference rubric
        table, _ = pci_store.scorecard(db, pci.reference_rubric())
        last = table.sort_values("period").groupby("group_id").tail(1)
        pci_year = int(last["period"].max())
        order = list(pci.reference_predicates()["predicate"])
        pci_table = last["predikat"].value_counts().reindex(order, fill_value=0).rename_axis("predikat").reset_index(
            name="n")
    resp, stages = adkar.load_stages(db)
    latest = adkar.latest_per_respondent(stages, resp)
    order = list(adkar.ELEMENTS) + [adkar.ALL_REACHED]
    barriers = latest["hambatan"].value_counts().reindex(order, fill_value=0).rename_axis("hambatan").reset_index(
        name="n") if len(latest) else pd.DataFrame(columns=["hambatan", "n"])
    budget = queries.budget_by_source(db)
    total = float(budget["nilai"].sum()) if len(budget) else 0.0
    budget = budget.assign(bagian=budget["nilai"] / total if total else np.nan)
    co = float(budget.loc[~budget["sumber"].isin(GOVERNMENT), "nilai"].sum() / total) if total else None
    synthetic = bool(chains["is_synthetic"].any() or resp["is_synthetic"].any() or budget["is_synthetic"].any())
    return Summary(float(r_real.sum()) if len(r_real) else None,
                   float(reach.loc[r_real.index, "target_periode"].sum(min_count=1)) if len(r_real) else None,
                   float(reach["target_akhir"].sum()) if len(reach) else None,
                   max(reach["period"].dropna(), key=results.period_key) if reach["period"].notna().any() else None,
                   float(income["realisasi"].mean()) if len(income) else None,
                   float(income["target_periode"].fillna(income["target_akhir"]).mean()) if len(income) else None,
                   max(income["period"], key=results.period_key) if len(income) else None,
                   reach, pci_table, pci_year, barriers, budget.drop(columns=["is_synthetic"]), co,
                   interventions(db, reach), synthetic)


def interventions(db: Database, reach: pd.DataFrame) -> pd.DataFrame:
    """Where the business models work: each model's POKMAS area (its ``wilayah`` codes, else its
    kabupaten) with the centre point, and the households reached by its results chain."""
    from analytics import bizmodels
    from analytics.chains import area_codes

    models = queries.bm_models(db)
    chains = queries.rc_chains(db)
    rows = []
    for m in models.itertuples():
        act = bizmodels.load(db, int(m.id))["actors"].set_index("peran")
        codes = area_codes(act.loc["pokmas", "wilayah"]) if "pokmas" in act.index else []
        codes = codes or [m.kabupaten]
        cids = chains.loc[chains["model_id"] == m.id, "id"].tolist()
        reached = reach.loc[reach["chain_id"].isin(cids), "realisasi"].sum(min_count=1)
        for c in codes:
            rows.append({"judul": m.title, "kabupaten": m.kabupaten, "kode": c, "reached": reached})
    df = pd.DataFrame(rows, columns=["judul", "kabupaten", "kode", "reached"])
    if df.empty:
        return df.assign(nama=[], lat=[], lon=[])
    pts = queries.area_points(db, df["kode"].tolist())
    return df.merge(pts, on="kode", how="left")


def figures(s: Summary, labels: dict[str, str], lang: str = "id") -> dict[str, object]:
    """Plotly figures of the summary (built here so the page only places them)."""
    import plotly.graph_objects as go

    from analytics.charts import PREDICATE_COLOURS

    out: dict[str, object] = {}
    if len(s.outreach):
        o = s.outreach
        out["outreach"] = go.Figure([
            go.Bar(y=o["judul"].str[:40], x=o["realisasi"], orientation="h", name=labels["realisasi"],
                   marker_color="#2166ac", text=[fmt.number(v, 0, lang) for v in o["realisasi"]], textposition="auto"),
            go.Bar(y=o["judul"].str[:40], x=o["target_akhir"], orientation="h", name=labels["target_akhir"],
                   marker_color="#bdbdbd", text=[fmt.number(v, 0, lang) for v in o["target_akhir"]],
                   textposition="auto")])
        out["outreach"].update_layout(barmode="group", height=260, title=labels["outreach_title"],
                                      margin={"l": 10, "r": 10, "t": 40, "b": 30}, legend={"orientation": "h"})
    if len(s.pci) and s.pci["n"].sum():
        out["pci"] = go.Figure(go.Bar(x=s.pci["predikat"], y=s.pci["n"], text=s.pci["n"], textposition="auto",
                                      marker_color=[PREDICATE_COLOURS.get(p) for p in s.pci["predikat"]]))
        out["pci"].update_layout(height=260, title=labels["pci_title"], margin={"l": 10, "r": 10, "t": 40, "b": 30})
    if len(s.barriers) and s.barriers["n"].sum():
        out["adkar"] = go.Figure(go.Bar(x=[labels.get(f"el.{h}", h) for h in s.barriers["hambatan"]], y=s.barriers["n"],
                                        text=s.barriers["n"], textposition="auto", marker_color="#d95f0e"))
        out["adkar"].update_layout(height=260, title=labels["adkar_title"], margin={"l": 10, "r": 10, "t": 40, "b": 30})
    if len(s.budget):
        b = s.budget.sort_values("nilai")
        out["budget"] = go.Figure(go.Bar(y=b["sumber"], x=b["nilai"], orientation="h",
                                         text=[fmt.rupiah_short(v, lang) for v in b["nilai"]], textposition="auto",
                                         marker_color=["#7f7f7f" if x in GOVERNMENT else "#4d7ea8" for x in b["sumber"]]))
        out["budget"].update_layout(height=260, title=labels["budget_title"], margin={"l": 10, "r": 10, "t": 40, "b": 30})
    return out


def pocket_map(geojson: str, pockets: pd.DataFrame, s: Summary, labels: dict[str, str]):  # -> folium.Map
    """Kecamatan coloured by significant high-high P0 pockets (and low-low), the interventions as
    markers with their households reached."""
    import folium

    from analytics import maps
    from analytics.poverty import POCKET_COLOURS

    cats = dict(zip(pockets["kode"], pockets["cluster"])) if len(pockets) else {}
    keep = {k: v for k, v in cats.items() if v in ("HH", "LL")}
    colours = {k: POCKET_COLOURS[k] for k in ("HH", "LL")}
    m = maps.categorical(geojson, keep, colours, {"HH": labels["hh"], "LL": labels["ll"]},
                         {k: labels.get(v, v) for k, v in keep.items()}, ["nama", "nilai"],
                         [labels["area"], labels["pocket"]], labels["map_title"], [], labels["ns"])
    for r in s.interventions.dropna(subset=["lat", "lon"]).itertuples():
        reached = "" if r.reached != r.reached else f" · {fmt.number(r.reached)} RT"
        folium.CircleMarker([r.lat, r.lon], radius=9, color="#08306b", weight=2, fill=True, fill_color="#4292c6",
                            fill_opacity=0.9, tooltip=f"{r.judul} ({r.nama}){reached}").add_to(m)
    return m


def pdf(s: Summary, geojson: str, pockets: pd.DataFrame, labels: dict[str, str], lang: str = "id") -> bytes:
    """The leadership summary as a two-page A4 PDF: headline figures, the four charts and the map, with
    the synthetic-data label when any figure is synthetic."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from fpdf import FPDF
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Polygon

    font = f"{matplotlib.get_data_path()}/fonts/ttf/DejaVuSans.ttf"
    bold = f"{matplotlib.get_data_path()}/fonts/ttf/DejaVuSans-Bold.ttf"
    doc = FPDF(format="A4")
    doc.add_font("dv", "", font)
    doc.add_font("dv", "B", bold)
    doc.set_auto_page_break(True, 12)
    doc.add_page()
    doc.set_font("dv", "B", 16)
    doc.cell(0, 10, labels["pdf_title"], new_x="LMARGIN", new_y="NEXT")
    doc.set_font("dv", "", 9)
    doc.cell(0, 5, f"{labels['made']} {datetime.now():%d-%m-%Y %H:%M}", new_x="LMARGIN", new_y="NEXT")
    if s.synthetic:
        doc.set_text_color(138, 59, 0)
        doc.set_font("dv", "B", 10)
        doc.multi_cell(0, 5, labels["synthetic"], new_x="LMARGIN", new_y="NEXT")
        doc.set_text_color(0, 0, 0)
    doc.ln(2)
    doc.set_font("dv", "", 10)
    for label, value in headline(s, labels, lang):
        doc.set_font("dv", "B", 9)
        doc.cell(72, 5, label)
        doc.set_font("dv", "", 9)
        doc.multi_cell(0, 5, value, new_x="LMARGIN", new_y="NEXT")

    def chart(draw, w: float = 90, h: float = 55) -> io.BytesIO:
        fig, ax = plt.subplots(figsize=(w / 25.4, h / 25.4), dpi=150)
        draw(ax)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        plt.close(fig)
        buf.seek(0)
        return buf

    def bars(ax, names, vals, title, colours=None):
        ax.barh(list(names), list(vals), color=colours or "#4d7ea8")
        ax.set_title(title, fontsize=8)
        ax.tick_params(labelsize=6)
        for i, v in enumerate(vals):
            ax.text(v, i, f" {fmt.number(v, 0, lang)}", va="center", fontsize=6)

    from analytics.charts import PREDICATE_COLOURS

    imgs = []
    if len(s.outreach):
        imgs.append(chart(lambda ax: bars(ax, s.outreach["judul"].str[:28], s.outreach["realisasi"].fillna(0),
                                          labels["outreach_title"])))
    if len(s.pci):
        imgs.append(chart(lambda ax: bars(ax, s.pci["predikat"], s.pci["n"], labels["pci_title"],
                                          [PREDICATE_COLOURS.get(p, "#999") for p in s.pci["predikat"]])))
    if len(s.barriers):
        imgs.append(chart(lambda ax: bars(ax, [labels.get(f"el.{h}", h) for h in s.barriers["hambatan"]],
                                          s.barriers["n"], labels["adkar_title"], "#d95f0e")))
    if len(s.budget):
        imgs.append(chart(lambda ax: bars(ax, s.budget["sumber"], s.budget["nilai"] / 1e6,
                                          labels["budget_title"] + " (jt)")))
    y0 = doc.get_y() + 4
    for i, img in enumerate(imgs):
        doc.image(img, x=10 + (i % 2) * 95, y=y0 + (i // 2) * 60, w=90)
    doc.add_page()
    doc.set_font("dv", "B", 12)
    doc.cell(0, 8, labels["map_title"], new_x="LMARGIN", new_y="NEXT")
    fc = json.loads(geojson)
    cats = dict(zip(pockets["kode"], pockets["cluster"])) if len(pockets) else {}
    from analytics.poverty import POCKET_COLOURS

    def draw_map(ax):
        patches, colours = [], []
        for f in fc["features"]:
            geom = f["geometry"]
            polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
            colour = POCKET_COLOURS.get(cats.get(f["properties"]["kode"]), "#eeeeee") \
                if cats.get(f["properties"]["kode"]) in ("HH", "LL") else "#eeeeee"
            for poly in polys:
                patches.append(Polygon(np.asarray(poly[0]), closed=True))
                colours.append(colour)
        ax.add_collection(PatchCollection(patches, facecolor=colours, edgecolor="#999999", linewidth=0.15))
        pts = s.interventions.dropna(subset=["lat", "lon"])
        ax.scatter(pts["lon"], pts["lat"], s=40, c="#4292c6", edgecolors="#08306b", zorder=3)
        for r in pts.itertuples():
            ax.annotate(str(r.judul)[:30], (r.lon, r.lat), fontsize=5, xytext=(3, 3), textcoords="offset points")
        ax.autoscale_view()
        ax.set_aspect("equal")
        ax.axis("off")
        from matplotlib.patches import Patch

        ax.legend(handles=[Patch(facecolor=POCKET_COLOURS["HH"], label=labels["hh"]),
                           Patch(facecolor=POCKET_COLOURS["LL"], label=labels["ll"]),
                           Patch(facecolor="#eeeeee", edgecolor="#999999", label=labels.get("ns", "")),
                           plt.Line2D([], [], marker="o", linestyle="", markerfacecolor="#4292c6",
                                      markeredgecolor="#08306b", label=labels.get("intervensi", "Intervensi"))],
                  loc="lower right", fontsize=6, frameon=True)

    doc.image(chart(draw_map, 190, 120), x=10, w=190)
    return bytes(doc.output())


def headline(s: Summary, labels: dict[str, str], lang: str = "id") -> list[tuple[str, str]]:
    """The headline figures as (label, text) pairs, for the page and the PDF."""
    def pct(a, b):
        return fmt.percent(100 * a / b, 0, lang) if a is not None and b else "–"

    return [
        (labels["reached"], f"{fmt.number(s.reached, 0, lang)} / {fmt.number(s.reached_target, 0, lang)} "
                            f"({pct(s.reached, s.reached_target)}; {s.reached_period or '–'}); "
                            f"{labels['final']} {fmt.number(s.reached_final, 0, lang)}"),
        (labels["income"], f"{fmt.rupiah(s.income, lang)} / {fmt.rupiah(s.income_target, lang)} "
                           f"({pct(s.income, s.income_target)}; {s.income_period or '–'})"),
        (labels["pci"], ", ".join(f"{r.predikat} {r.n}" for r in s.pci.itertuples()) + (f" ({s.pci_year})"
                                                                                           if s.pci_year else "")),
        (labels["adkar"], ", ".join(f"{labels.get(f'el.{r.hambatan}', r.hambatan)} {r.n}" for r in s.barriers.itertuples()
                                    if r.n)),
        (labels["budget"], f"{fmt.rupiah_short(float(s.budget['nilai'].sum()), lang)}; {labels['co']} "
                           f"{fmt.percent(100 * s.co_investment, 0, lang) if s.co_investment is not None else '–'}"),
    ]


def headline_metrics(s: Summary, labels: dict[str, str], lang: str = "id") -> list[tuple[str, str, str]]:
    """The five headline numbers as (label, value, note) for metric cards."""
    def share(a, b):
        return fmt.percent(100 * a / b, 0, lang) if a is not None and b else "–"

    good = int(s.pci.loc[s.pci["predikat"].isin(["Teladan", "Maju"]), "n"].sum()) if len(s.pci) else 0
    top = s.barriers[s.barriers["hambatan"] != adkar.ALL_REACHED].sort_values("n", ascending=False).head(1)
    return [
        (labels["reached"], fmt.number(s.reached, 0, lang),
         labels["of_target"].format(pct=share(s.reached, s.reached_target), target=fmt.number(s.reached_target, 0, lang),
                                    period=s.reached_period or "–")),
        (labels["income"], fmt.rupiah_short(s.income, lang, 2),
         labels["of_target"].format(pct=share(s.income, s.income_target),
                                    target=fmt.rupiah_short(s.income_target, lang, 2), period=s.income_period or "–")),
        (labels["pci_good"], f"{good} / {int(s.pci['n'].sum()) if len(s.pci) else 0}",
         f"{s.pci_year or '–'}"),
        (labels["adkar_top"], labels.get(f"el.{top['hambatan'].iloc[0]}", "–") if len(top) and top["n"].iloc[0] else "–",
         labels["respondents"].format(n=int(top["n"].iloc[0]) if len(top) else 0)),
        (labels["budget"], fmt.rupiah_short(float(s.budget["nilai"].sum()) if len(s.budget) else None, lang),
         labels["co_share"].format(pct=fmt.percent(100 * s.co_investment, 0, lang) if s.co_investment is not None
                                   else "–")),
    ]
