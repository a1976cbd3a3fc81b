"""Plotly figures used by the pages (built here so pages only place them)."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from analytics import fmt


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


def tornado(table: pd.DataFrame, factor_labels: dict[str, str], down_label: str, up_label: str, title: str,
            value_label: str, lang: str = "id") -> go.Figure | None:
    """Tornado chart: for each factor (widest swing on top) the change of net profit when it moves
    down and up, as two horizontal bars around zero, each labelled with its value."""
    if table.empty:
        return None
    t = table.iloc[::-1]
    names = [factor_labels.get(f, f) for f in t["faktor"]]

    def text(v: pd.Series) -> list[str]:
        return [("+" if x > 0 else "") + fmt.rupiah_short(x, lang, 2) for x in v]

    fig = go.Figure([go.Bar(y=names, x=t["turun"], orientation="h", name=down_label, marker_color="#b2182b",
                            text=text(t["turun"]), textposition="auto"),
                     go.Bar(y=names, x=t["naik"], orientation="h", name=up_label, marker_color="#2166ac",
                            text=text(t["naik"]), textposition="auto")])
    fig.update_layout(barmode="overlay", height=300, title=title, xaxis_title=value_label,
                      margin={"l": 10, "r": 10, "t": 50, "b": 40}, legend={"orientation": "h", "y": -0.25},
                      yaxis={"automargin": True})
    fig.add_vline(x=0, line={"color": "#444", "width": 1})
    return fig


def sharing_bars(sharing: pd.DataFrame, title: str, value_label: str, lang: str = "id") -> go.Figure | None:
    """Contribution per funding source (Rp) as horizontal bars with its share in percent."""
    s = sharing[sharing["nilai"] > 0]
    if s.empty:
        return None
    s = s.sort_values("nilai")
    fig = px.bar(s, x="nilai", y="sumber", orientation="h", text=[fmt.percent(100 * b, 1, lang) for b in s["bagian"]])
    fig.update_traces(marker_color="#4d7ea8", textposition="outside", cliponaxis=False)
    fig.update_layout(height=320, title=title, xaxis_title=value_label, yaxis_title=None,
                      margin={"l": 10, "r": 60, "t": 50, "b": 40})
    return fig


def outreach_bars(projection: pd.DataFrame, poor: float | None, title: str, reached_label: str, poor_label: str,
                  year_label: str) -> go.Figure | None:
    """Households reached (cumulative) per projection year, with the productive poor households of the
    target area as a line when known."""
    if projection.empty:
        return None
    fig = px.bar(projection, x="tahun", y="rt_terjangkau", text="rt_terjangkau",
                 labels={"tahun": year_label, "rt_terjangkau": reached_label})
    fig.update_traces(marker_color="#5aae61", texttemplate="%{text:,.0f}", textposition="outside", cliponaxis=False)
    if poor:
        fig.add_hline(y=poor, line={"dash": "dash", "color": "#b2182b"}, annotation_text=poor_label)
    fig.update_layout(height=320, title=title, xaxis={"dtick": 1}, margin={"l": 10, "r": 10, "t": 50, "b": 40})
    return fig
