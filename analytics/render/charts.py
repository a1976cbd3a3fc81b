"""Plotly figures used by the pages (built here so pages only place them): sources, targeting, ranking
and robustness, margins and the Sankey, the tornado and outreach, targets vs realisations, PCI and ADKAR,
and the leadership charts."""

from __future__ import annotations

import functools
import html
from collections.abc import Callable

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from analytics.core import fmt
from analytics.monitoring.leadership import GOVERNMENT, Summary

_DATA_TEXT = ("x", "y", "text", "hovertext", "name", "labels")


def _plain(value: object) -> object:
    return html.escape(value, quote=False) if isinstance(value, str) else value


def plain_text(fig: go.Figure, text: bool = True) -> go.Figure:
    """The figure with every string among its data (category values, bar and hover texts, trace names,
    Sankey and pie labels) and the title HTML-escaped: plotly reads ``<b>``, ``<br>`` and ``<a href>`` in
    them as markup, and shows ``&lt;`` as ``<``, so a name a user typed shows as typed and never becomes a
    link. ``text=False`` keeps a builder's own ``<br>`` in bar texts made from numbers."""
    for trace in fig.data:
        for attr in _DATA_TEXT:
            if attr == "text" and not text:
                continue
            try:
                value = trace[attr]
            except (KeyError, ValueError):
                continue
            if isinstance(value, str):
                trace[attr] = _plain(value)
            elif isinstance(value, list | tuple | np.ndarray) and any(isinstance(v, str) for v in value):
                trace[attr] = [_plain(v) for v in value]
        if trace.type == "sankey" and trace.node.label is not None:
            trace.node.label = [_plain(v) for v in trace.node.label]
    if isinstance(fig.layout.title.text, str):  # titles often carry a name ("Riwayat skor: <kelompok>")
        fig.layout.title.text = _plain(fig.layout.title.text)
    return fig


def plain_figures(fn: Callable | None = None, *, text: bool = True) -> Callable:
    """Decorate a figure builder so what it returns (a figure, None, or a dict of figures) passes through
    :func:`plain_text`."""
    def wrap(builder: Callable) -> Callable:
        @functools.wraps(builder)
        def built(*args, **kwargs):  # noqa: ANN202
            out = builder(*args, **kwargs)
            if isinstance(out, dict):
                return {k: plain_text(v, text) for k, v in out.items()}
            return out if out is None else plain_text(out, text)
        return built
    return wrap(fn) if fn is not None else wrap


def nice_ticks(low: float, high: float, n: int = 5) -> list[float]:
    """About ``n`` round tick values (steps of 1, 2 or 5 × 10^k) covering ``low`` … ``high``.

    >>> nice_ticks(0, 4_300_000)
    [0.0, 1000000.0, 2000000.0, 3000000.0, 4000000.0, 5000000.0]
    >>> nice_ticks(-120, 480)
    [-200.0, 0.0, 200.0, 400.0, 600.0]
    """
    if not (np.isfinite(low) and np.isfinite(high)) or high <= low:
        return [float(low)] if np.isfinite(low) else []
    raw = (high - low) / n
    mag = 10 ** np.floor(np.log10(raw))
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    start, stop = np.floor(low / step) * step, np.ceil(high / step) * step
    return [float(round(v / step) * step) for v in np.arange(start, stop + step / 2, step)]



def localise(fig: go.Figure, lang: str = "id") -> go.Figure:
    """Numbers in a figure the way the reader writes them: decimal comma and thousands dot in Indonesian
    (``separators``), and a numeric axis reaching ten thousand or more labelled with short scale words
    (``4 jt``, ``1,5 M``: :func:`analytics.core.fmt.short`) instead of plotly's SI letters (``4M`` would
    read as 4 miliar). Axes with their own tick format or labels are left alone."""
    fig.update_layout(separators=",." if lang == "id" else ".,")
    ranges: dict[str, list[float]] = {}
    for trace in fig.data:
        if trace.type not in ("bar", "scatter", "box", "histogram"):
            continue
        for axis_letter in ("x", "y"):
            try:
                values = trace[axis_letter]
            except (KeyError, ValueError):
                continue
            if values is None:
                continue
            arr = pd.to_numeric(pd.Series(list(values)), errors="coerce")
            if arr.notna().sum() == 0 or arr.isna().any():
                continue
            ref = (trace[f"{axis_letter}axis"] or axis_letter).replace(axis_letter, f"{axis_letter}axis", 1)
            ranges.setdefault(ref, []).extend([float(arr.min()), float(arr.max())])
            if trace.type == "bar" and trace.base is None:
                ranges[ref].append(0.0)
    for ref, vals in ranges.items():
        axis = fig.layout[ref]
        if axis.tickformat or axis.tickvals is not None or axis.type == "category":
            continue
        low, high = min(vals), max(vals)
        if max(abs(low), abs(high)) < 10_000:
            continue
        ticks = nice_ticks(low, high)
        axis.update(tickvals=ticks, ticktext=[fmt.short(v, lang) for v in ticks])
    return fig


@plain_figures
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


@plain_figures
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


@plain_figures
def ranking_bars(ranked: pd.DataFrame, names: dict[str, str], title: str, x_label: str) -> go.Figure:
    """Horizontal bars of weighted scores (0-100), best on top."""
    df = ranked.assign(nama=ranked["commodity"].map(names).fillna(ranked["commodity"]))
    fig = px.bar(df, x="skor", y="nama", orientation="h", text=df["skor"].round(1),
                 labels={"skor": x_label, "nama": ""}, color_discrete_sequence=["#d94801"])
    fig.update_layout(height=max(260, 36 * len(df) + 80), yaxis={"autorange": "reversed"},
                      xaxis={"range": [0, 100]}, margin={"l": 0, "r": 10, "t": 40, "b": 0}, title=title)
    return fig


@plain_figures
def acceptability_heatmap(acceptability: pd.DataFrame, names: dict[str, str], title: str) -> go.Figure:
    """Probability of each commodity (rows) taking each rank (columns), as a heat map."""
    data = acceptability.rename(index=lambda k: names.get(k, k))
    data.columns = [c.replace("peringkat_", "") for c in data.columns]
    fig = px.imshow(data, text_auto=".0%", color_continuous_scale="Oranges", zmin=0, zmax=1, aspect="auto",
                    labels={"x": "", "y": "", "color": ""})
    fig.update_layout(height=max(260, 36 * len(data) + 80), title=title, margin={"l": 0, "r": 0, "t": 40, "b": 0})
    return fig


@plain_figures
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


@plain_figures
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


@plain_figures
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


@plain_figures
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


@plain_figures
def target_realisation(prog: pd.DataFrame, title: str, labels: dict[str, str], unit: str) -> go.Figure | None:
    """Target and realisation per period as grouped bars, with the disaggregated realisations as
    markers where recorded."""
    if prog.empty:
        return None
    fig = go.Figure([go.Bar(x=prog["period"], y=prog["target"], name=labels["target"], marker_color="#bdbdbd",
                            text=[fmt.number(v) if v == v else "" for v in prog["target"]], textposition="outside"),
                     go.Bar(x=prog["period"], y=prog["realisasi"], name=labels["realisasi"], marker_color="#2166ac",
                            text=[fmt.number(v) if v == v else "" for v in prog["realisasi"]], textposition="outside")])
    for col, colour in (("perempuan", "#c51b7d"), ("disabilitas", "#e08214")):
        if prog[col].notna().any():
            fig.add_trace(go.Scatter(x=prog["period"], y=prog[col], mode="markers", name=labels[col],
                                     marker={"color": colour, "size": 11, "symbol": "diamond"}))
    fig.update_layout(barmode="group", height=340, title=title, yaxis_title=unit, xaxis={"type": "category"},
                      margin={"l": 10, "r": 10, "t": 50, "b": 40}, legend={"orientation": "h", "y": -0.2})
    return fig


PREDICATE_COLOURS = {"Teladan": "#1a9850", "Maju": "#91cf60", "Berkembang": "#fee08b", "Perlu ditingkatkan": "#fc8d59"}


@plain_figures
def predicate_bars(table: pd.DataFrame, order: list[str], title: str) -> go.Figure | None:
    """Number of groups per PCI predicate and year, stacked (lowest predicate at the bottom)."""
    if table.empty:
        return None
    n = table.groupby(["period", "predikat"]).size().rename("n").reset_index()
    fig = go.Figure([go.Bar(x=n.loc[n["predikat"] == p, "period"].astype(str), y=n.loc[n["predikat"] == p, "n"], name=p,
                            marker_color=PREDICATE_COLOURS.get(p), text=n.loc[n["predikat"] == p, "n"],
                            textposition="inside") for p in order if (n["predikat"] == p).any()])
    fig.update_layout(barmode="stack", height=320, title=title, xaxis={"type": "category"},
                      margin={"l": 10, "r": 10, "t": 50, "b": 40}, legend={"orientation": "h", "y": -0.2})
    return fig


STATUS_COLOURS = {"miskin": "#d7301f", "rentan": "#fdae61", "menengah": "#a6d96a", "stabil": "#1a9850"}


@plain_figures
def status_bars(table: pd.DataFrame, labels: dict[str, str], title: str) -> go.Figure | None:
    """Households per graduation status and period, stacked from the poorest up (``table`` from
    :func:`analytics.monitoring.graduation.counts`)."""
    if table.empty:
        return None
    statuses = [c for c in STATUS_COLOURS if c in table.columns]
    fig = go.Figure([go.Bar(x=table["period"].astype(str), y=table[s], name=labels.get(s, s),
                            marker_color=STATUS_COLOURS[s], text=table[s], textposition="inside") for s in statuses])
    fig.update_layout(barmode="stack", height=320, title=title, xaxis={"type": "category"},
                      margin={"l": 10, "r": 10, "t": 50, "b": 40}, legend={"orientation": "h", "y": -0.2})
    return fig


COMPLETENESS_COLOURS = {"kurang": "#d7301f", "cukup": "#fdae61", "sangat": "#1a9850"}


@plain_figures
def completeness_bars(table: pd.DataFrame, category_labels: dict[str, str], title: str) -> go.Figure | None:
    """Programme completeness scores (0-10) as horizontal bars, best on top, coloured by the study's
    category; ``table`` has ``program``, ``skor`` and ``kategori`` ("": not every stage answered, grey),
    and ``ours`` (True for the app's programmes, drawn with a dark outline)."""
    if table.empty:
        return None
    df = table.sort_values(["skor", "program"], ascending=[False, True])
    colours = [COMPLETENESS_COLOURS.get(k, "#bdbdbd") if isinstance(k, str) else "#bdbdbd" for k in df["kategori"]]
    fig = go.Figure(go.Bar(x=df["skor"], y=df["program"], orientation="h", text=df["skor"].astype(int),
                           textposition="outside", marker={"color": colours,
                                                           "line": {"color": ["#222" if o else "rgba(0,0,0,0)"
                                                                              for o in df["ours"]], "width": 2}},
                           hovertext=[category_labels.get(k, "") for k in df["kategori"].fillna("")]))
    for x in (5.5, 7.5):  # the category borders: 1-5, 6-7, 8-10
        fig.add_vline(x=x, line={"dash": "dot", "color": "#888"})
    fig.update_layout(height=max(300, 22 * len(df) + 90), title=title, yaxis={"autorange": "reversed"},
                      xaxis={"range": [0, 10.9], "dtick": 1}, margin={"l": 10, "r": 10, "t": 50, "b": 30})
    return fig


@plain_figures(text=False)
def pci_history(rows: pd.DataFrame, title: str, column: str = "total") -> go.Figure | None:
    """A group's PCI total per year with the predicate thresholds (40, 60, 76) as dotted lines."""
    if rows.empty:
        return None
    text = [f"{v:.0f}<br>{p}" for v, p in zip(rows[column], rows["predikat"], strict=False)]
    fig = go.Figure(go.Bar(x=rows["period"].astype(str), y=rows[column], text=text, textposition="outside",
                           marker_color=[PREDICATE_COLOURS.get(p, "#999") for p in rows["predikat"]]))
    for y, label in ((40, "B"), (60, "A"), (76, "A+")):
        fig.add_hline(y=y, line={"dash": "dot", "color": "#888"}, annotation_text=label)
    fig.update_layout(height=320, title=title, yaxis={"range": [0, 85]}, xaxis={"type": "category"},
                      margin={"l": 10, "r": 10, "t": 50, "b": 40})
    return fig


@plain_figures
def barrier_heatmap(dist: pd.DataFrame, columns: list[str], column_labels: dict[str, str], group_labels: dict[str, str],
                    title: str) -> go.Figure | None:
    """Share of respondents at each ADKAR barrier point (columns, in ADKAR order) per actor group and
    period (rows), as a heat map with the share written in each cell."""
    if dist.empty:
        return None
    dist = dist.assign(baris=dist["actor_group"].map(group_labels).fillna(dist["actor_group"]) + " · " +
                       dist["period"].astype(str))
    wide = dist.pivot_table(index="baris", columns="hambatan", values="bagian", aggfunc="sum").reindex(
        columns=columns).fillna(0.0)
    n = dist.pivot_table(index="baris", columns="hambatan", values="n", aggfunc="sum").reindex(
        index=wide.index, columns=columns).fillna(0).astype(int)
    text = [[f"{100 * v:.0f}% ({k})" if k else "" for v, k in zip(rv, rn, strict=False)] for rv,
            rn in zip(wide.values, n.values, strict=False)]
    fig = go.Figure(go.Heatmap(z=wide.values, x=[column_labels.get(c, c) for c in columns], y=list(wide.index),
                               text=text, texttemplate="%{text}", colorscale="OrRd", zmin=0, zmax=1,
                               colorbar={"tickformat": ".0%"}))
    fig.update_layout(height=120 + 40 * len(wide), title=title, yaxis={"autorange": "reversed"},
                      margin={"l": 10, "r": 10, "t": 50, "b": 40})
    return fig


@plain_figures
def network_figure(g, positions: dict, labels: dict[str, str], title: str) -> go.Figure | None:
    """The supporter/barrier network: green arrows for support, red dashed for barriers, node size by
    how many links it has."""
    if g.number_of_nodes() == 0:
        return None
    traces = []
    for jenis, colour, dash in (("pendukung", "#1a9850", "solid"), ("penghambat", "#d73027", "dash")):
        xs, ys = [], []
        for u, v, d in g.edges(data=True):
            if d["jenis"] == jenis:
                xs += [positions[u][0], positions[v][0], None]
                ys += [positions[u][1], positions[v][1], None]
        if xs:
            traces.append(go.Scatter(x=xs, y=ys, mode="lines", name=labels[jenis], hoverinfo="skip",
                                     line={"color": colour, "width": 1.5, "dash": dash}))
    nodes = list(g.nodes)
    traces.append(go.Scatter(x=[positions[n][0] for n in nodes], y=[positions[n][1] for n in nodes],
                             mode="markers+text",
                             text=nodes, textposition="top center", name=labels["pelaku"], hovertext=[
                                 f"{n} ({g.nodes[n].get('kelompok', '')})" for n in nodes], hoverinfo="text",
                             marker={"size": [8 + 3 * g.degree(n) ** 0.5 * 2 for n in nodes], "color": "#4d7ea8"}))
    fig = go.Figure(traces)
    fig.update_layout(height=520, title=title, showlegend=True, xaxis={"visible": False}, yaxis={"visible": False},
                      margin={"l": 10, "r": 10, "t": 50, "b": 10}, legend={"orientation": "h", "y": -0.05})
    return fig


@plain_figures
def sankey_figure(data: dict[str, list], title: str, unit: str):  # -> plotly Figure
    """A plotly Sankey of :func:`sankey_data`."""
    import plotly.graph_objects as go

    fig = go.Figure(go.Sankey(
        node={"label": data["labels"], "pad": 18, "thickness": 16, "color": "#d94801"},
        link={"source": data["source"], "target": data["target"], "value": data["value"],
              "color": "rgba(217,72,1,0.25)"},
        valueformat=",.0f", valuesuffix=f" {unit}"))
    fig.update_layout(title=title, height=420, margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig


@plain_figures
def leadership_figures(s: Summary, labels: dict[str, str], lang: str = "id") -> dict[str, object]:
    """Plotly figures of the summary (built here so the page only places them)."""
    import plotly.graph_objects as go


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
                                         marker_color=["#7f7f7f" if x in GOVERNMENT else "#4d7ea8"
                                                       for x in b["sumber"]]))
        out["budget"].update_layout(height=260, title=labels["budget_title"],
                                    margin={"l": 10, "r": 10, "t": 40, "b": 30})
    if len(s.graduation):
        out["graduation"] = status_bars.__wrapped__(s.graduation, {k: labels.get(f"st.{k}", k) for k in STATUS_COLOURS},
                                        labels["grad_title"])
        out["graduation"].update_layout(height=260, margin={"l": 10, "r": 10, "t": 40, "b": 30})
    return out
