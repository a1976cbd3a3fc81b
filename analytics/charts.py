"""Plotly figures used by the pages (built here so pages only place them)."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go


def source_scatter(table: pd.DataFrame, names: list[str], flag_label: str, title: str) -> go.Figure | None:
    """Source A against source B per area, flagged areas in red, with the line of perfect agreement."""
    if len(names) < 2:
        return None
    both = table.dropna(subset=names[:2])
    if both.empty:
        return None
    fig = px.scatter(both, x=names[0], y=names[1], hover_name="nama", color="berbeda",
                     color_discrete_map={True: "#b2182b", False: "#4d4d4d"}, labels={"berbeda": flag_label})
    lo, hi = float(both[names[:2]].min().min()), float(both[names[:2]].max().max())
    fig.add_shape(type="line", x0=lo, y0=lo, x1=hi, y1=hi, line={"dash": "dot", "color": "#888"})
    fig.update_layout(height=420, title=title)
    return fig


def target_bars(chart: pd.DataFrame, group_labels: dict[str, str], title: str, x_label: str) -> go.Figure | None:
    """Stacked horizontal bars of productive desil 2 and 3 households for the top-ranked areas."""
    if chart.empty:
        return None
    chart = chart.assign(kelompok=chart["kelompok"].map(group_labels))
    fig = px.bar(chart, x="rumah_tangga", y="nama", color="kelompok", orientation="h",
                 labels={"rumah_tangga": x_label, "nama": "", "kelompok": ""},
                 color_discrete_sequence=["#b2182b", "#f4a582"])
    fig.update_layout(height=460, yaxis={"autorange": "reversed"}, margin={"l": 0, "r": 0, "t": 30, "b": 0},
                      legend={"orientation": "h", "y": 1.08}, title=title)
    return fig


def ranking_bars(ranked: pd.DataFrame, names: dict[str, str], title: str, x_label: str) -> go.Figure:
    """Horizontal bars of weighted scores (0-100), best on top."""
    df = ranked.assign(nama=ranked["commodity"].map(names).fillna(ranked["commodity"]))
    fig = px.bar(df, x="skor", y="nama", orientation="h", text=df["skor"].round(1),
                 labels={"skor": x_label, "nama": ""}, color_discrete_sequence=["#d94801"])
    fig.update_layout(height=max(260, 36 * len(df) + 80), yaxis={"autorange": "reversed"},
                      xaxis={"range": [0, 100]}, margin={"l": 0, "r": 10, "t": 40, "b": 0}, title=title)
    return fig


def acceptability_heatmap(acceptability: pd.DataFrame, names: dict[str, str], title: str) -> go.Figure:
    """Probability of each commodity (rows) taking each rank (columns), as a heat map."""
    data = acceptability.rename(index=lambda k: names.get(k, k))
    data.columns = [c.replace("peringkat_", "") for c in data.columns]
    fig = px.imshow(data, text_auto=".0%", color_continuous_scale="Oranges", zmin=0, zmax=1, aspect="auto",
                    labels={"x": "", "y": "", "color": ""})
    fig.update_layout(height=max(260, 36 * len(data) + 80), title=title, margin={"l": 0, "r": 0, "t": 40, "b": 0})
    return fig


def margin_bars(by_type: pd.DataFrame, labels: dict[str, str], title: str) -> go.Figure | None:
    """Share of the final price per actor type, as horizontal bars (percent)."""
    t = by_type.dropna(subset=["bagian_harga_akhir"])
    if t.empty:
        return None
    t = t.assign(nama=t["jenis"].map(labels).fillna(t["jenis"]), persen=100 * t["bagian_harga_akhir"])
    fig = px.bar(t, x="persen", y="nama", orientation="h", text=t["persen"].round(1),
                 labels={"persen": "%", "nama": ""}, color_discrete_sequence=["#d94801"])
    fig.update_layout(height=260, yaxis={"autorange": "reversed"}, margin={"l": 0, "r": 10, "t": 40, "b": 0},
                      title=title)
    return fig
