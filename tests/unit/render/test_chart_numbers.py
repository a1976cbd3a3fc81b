"""Numbers in charts as the reader writes them (issue 17): separators and short scale words on axes."""

from __future__ import annotations

import plotly.graph_objects as go

from analytics.render import charts


def _bars() -> go.Figure:
    fig = go.Figure(go.Bar(x=[1_250_000, 4_300_000, 2_000_000], y=["Petani", "Pengepul", "Pedagang"],
                           orientation="h"))
    fig.add_trace(go.Scatter(x=[1, 2, 3], y=[0.5, 0.25, 0.75], xaxis="x2", yaxis="y2"))
    fig.update_layout(xaxis2={"anchor": "y2"}, yaxis2={"anchor": "x2"})
    return fig


def test_indonesian_axis_in_juta_and_decimal_comma() -> None:
    fig = charts.localise(_bars(), "id")
    assert fig.layout.separators == ",."
    assert list(fig.layout.xaxis.tickvals) == [0, 1e6, 2e6, 3e6, 4e6, 5e6]
    assert list(fig.layout.xaxis.ticktext) == ["0", "1 jt", "2 jt", "3 jt", "4 jt", "5 jt"]
    # small numbers and category axes keep plotly's own ticks (with the separators above)
    assert fig.layout.xaxis2.tickvals is None and fig.layout.yaxis2.tickvals is None
    assert fig.layout.yaxis.tickvals is None


def test_english_axis_and_an_axis_with_its_own_format_is_left_alone() -> None:
    fig = charts.localise(_bars(), "en")
    assert fig.layout.separators == ".," and list(fig.layout.xaxis.ticktext)[1] == "1 m"
    fig = _bars()
    fig.update_layout(xaxis={"tickformat": ".0%"})
    assert charts.localise(fig, "id").layout.xaxis.tickvals is None


def test_miliar_is_m_not_millions() -> None:
    fig = charts.localise(go.Figure(go.Bar(x=["A", "B"], y=[2.5e9, 6.9e9])), "id")
    assert list(fig.layout.yaxis.ticktext) == ["0", "2 M", "4 M", "6 M", "8 M"]
