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
