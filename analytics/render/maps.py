"""Offline choropleth maps (folium + Leaflet served from the ``xstatic-leaflet`` package).

Folium's default page loads Leaflet, jQuery, Bootstrap and Font Awesome from CDNs, which leaves a map
blank offline. :func:`offline_map` replaces them with Leaflet alone, served by Streamlit's static
serving from ``static/leaflet`` (filled from the installed package by :func:`ensure_static_assets`).
No base tiles (they need internet), no branca colormap (it pulls d3 from a CDN): the legend is HTML.
"""

from __future__ import annotations

import functools
import html
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import folium
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement, Template

from analytics.core import fmt
from analytics.monitoring.leadership import Summary
from analytics.poverty.drilldown import POCKET_COLOURS

STATIC_URL = "/app/static/leaflet"
PALETTE: tuple[str, ...] = ("#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704")
NO_DATA = "#d9d9d9"
Scheme = Literal["quantiles", "natural_breaks"]


def ensure_static_assets(static_dir: Path) -> Path:
    """Copy Leaflet's JS, CSS and images from the ``xstatic-leaflet`` package to ``static_dir/leaflet``."""
    import xstatic.pkg.leaflet as xl

    src = Path(xl.BASE_DIR)
    dst = static_dir / "leaflet"
    dst.mkdir(parents=True, exist_ok=True)
    for name in ("leaflet.js", "leaflet.css"):
        if not (dst / name).exists() or (dst / name).stat().st_size != (src / name).stat().st_size:
            shutil.copyfile(src / name, dst / name)
    if (src / "images").is_dir():
        shutil.copytree(src / "images", dst / "images", dirs_exist_ok=True)
    return dst


@dataclass(frozen=True)
class Classes:
    """Class breaks (upper bounds) and the class index of every value (-1 = no data)."""

    bins: tuple[float, ...]
    index: tuple[int, ...]
    scheme: str


def quantile_classes(y: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """mapclassify's ``Quantiles`` without importing it (it pulls in scipy.stats and scikit-learn, 2,6 s
    on the first page a server shows): the upper bounds at the 100/k … 100th percentiles (interpolated
    as ``scipy.stats.scoreatpercentile`` does, to the last bit: a value equal to a bound stays in its
    class), duplicates merged, and each value's class (the first bound at or above it).

    >>> quantile_classes(np.array([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 5)
    (array([ 2.8,  4.6,  6.4,  8.2, 10. ]), array([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]))
    """
    w = 100.0 / k
    pct = np.arange(w, 100 + w, w)
    pct[-1] = min(pct[-1], 100.0)
    s = np.sort(y)
    bounds = []
    for p in pct:
        idx = p / 100.0 * (len(s) - 1)
        i = int(idx)
        bounds.append(s[i] if i == idx else (s[i] * (i + 1 - idx) + s[i + 1] * (idx - i)) / ((i + 1 - idx) + (idx - i)))
    bins = np.unique(np.array(bounds, dtype=float))
    return bins, np.searchsorted(bins, y, side="left")


def classify(values: list[float | None], scheme: Scheme = "quantiles", k: int = 5) -> Classes:
    """Classify values: quantiles (as mapclassify's ``Quantiles``) or Fisher-Jenks natural breaks
    (mapclassify).

    >>> c = classify([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "quantiles", k=5)
    >>> c.bins
    (2.8, 4.6, 6.4, 8.2, 10.0)
    >>> c.index[:3], c.index[-1]
    ((0, 0, 1), 4)
    """
    arr = np.array([np.nan if v is None else float(v) for v in values])
    ok = ~np.isnan(arr)
    idx = np.full(len(arr), -1)
    uniq = np.unique(arr[ok])
    if len(uniq) == 0:
        return Classes((), tuple(int(i) for i in idx), scheme)
    k = int(min(k, len(uniq)))
    if k < 2:
        idx[ok] = 0
        return Classes((float(uniq[0]),), tuple(int(i) for i in idx), scheme)
    if scheme == "natural_breaks":
        import mapclassify  # imported on first use: it pulls in scipy and scikit-learn

        c = mapclassify.FisherJenks(arr[ok], k=k)
        bins, yb = c.bins, c.yb
    else:
        bins, yb = quantile_classes(arr[ok], k)
    idx[ok] = yb
    return Classes(tuple(round(float(b), 6) for b in bins), tuple(int(i) for i in idx), scheme)


def colours_for(k: int) -> list[str]:
    """``k`` colours spread over the palette, light (low) to dark (high)."""
    if k <= 0:
        return []
    pos = np.linspace(0, len(PALETTE) - 1, k).round().astype(int)
    return [PALETTE[i] for i in pos]


class _Raw(Element):
    """Text placed into the page as it is: never read again as a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs: object) -> str:
        return self._text


class VerbatimMacro(MacroElement):
    """A MacroElement whose rendered header, html and script go into the page as they are.

    branca's MacroElement wraps each rendered part in a new ``Element(text)``, that is, it compiles the
    *output* as a Jinja template and renders it a second time. Two faults follow for a layer that carries
    the areas' data: any ``{{ … }}`` or ``{% … %}`` in a name from an imported file is evaluated on the
    server (a name like ``{{ 7*7 }}`` came out as ``49``; worse ones reach Python objects, and a lone
    ``{%`` breaks the map), and the whole 8,494-desa GeoJSON was lexed by Jinja on every render (about a
    third of the province's desa map run). Here each part is rendered once, by this element's own macro.
    """

    def render(self, **kwargs: object) -> None:
        figure = self.get_root()
        module = self._template.module.__dict__
        for part in ("header", "html", "script"):
            if part in module:
                getattr(figure, part).add_child(_Raw(module[part](self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


class Legend(VerbatimMacro):
    """An HTML legend as a Leaflet control (rendered in the map's own script, no external asset)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
          var legend = L.control({position: 'bottomright'});
          legend.onAdd = function () {
            var div = L.DomUtil.create('div', 'perantara-legend');
            div.style.cssText = 'background:rgba(255,255,255,0.92);padding:4px 8px;border:1px solid #999;' +
              'border-radius:4px;font:11px sans-serif;line-height:16px;max-width:210px';
            L.DomEvent.disableClickPropagation(div);  // opening or closing it is not a click on the map
            div.innerHTML = {{ this.html_json }};
            return div;
          };
          legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
    """)

    def __init__(self, html_text: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.html_json = _script_json(html_text)


def legend_html(title: str, bins: tuple[float, ...], colours: list[str], fmt: callable,
                notes: list[str], no_data_label: str, minimum: float | None) -> str:
    """Legend HTML: a title, one swatch per class with its range, a no-data swatch and notes."""
    rows = []
    lower = minimum
    for b, c in zip(bins, colours, strict=False):
        lo = fmt(lower) if lower is not None else ""
        rows.append(f"<div><span style='display:inline-block;width:14px;height:12px;background:{c};"
                    f"border:1px solid #777;margin-right:6px'></span>{html.escape(lo)} – "
                    f"{html.escape(fmt(b))}</div>")
        lower = b
    rows.append(_swatch(NO_DATA, no_data_label))
    for n in notes:
        rows.append(f"<div style='margin-top:4px;color:#8a3b00'><i>{html.escape(n)}</i></div>")
    return collapsible(title, rows)


def collapsible(title: str, rows: list[str]) -> str:
    """A legend that its title opens and closes (HTML ``details``: no script), open at first."""
    return (f"<details open><summary style='cursor:pointer'><b>{html.escape(title)}</b></summary>"
            f"{''.join(rows)}</details>")


LEGEND_ROOM = (225, 215)
"""Pixels (width, height) the open legend takes in the bottom-right corner; the first view leaves them free."""


class FitMainland(VerbatimMacro):
    """The first view: fit the mainland's bounds, leaving the legend's corner free. Which side gives up
    the room is decided in the browser, from the map's real size: an area wider than the map (for its
    height) fills the width, so the room comes from the height it does not use, and the other way round."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function(map) {
          var b = L.latLngBounds({{ this.bounds_json }});
          var size = map.getSize();
          var mapAspect = size.x / Math.max(size.y, 1);
          var ne = map.options.crs.project(b.getNorthEast()), sw = map.options.crs.project(b.getSouthWest());
          var areaAspect = (ne.x - sw.x) / Math.max(ne.y - sw.y, 1e-9);
          var pad = areaAspect > mapAspect ? [0, {{ this.room[1] }}] : [{{ this.room[0] }}, 0];
          map.fitBounds(b, {paddingBottomRight: pad, paddingTopLeft: [8, 8]});
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, bounds: tuple[float, float, float, float]) -> None:
        super().__init__()
        self._name = "FitMainland"
        west, south, east, north = bounds
        self.bounds_json = json.dumps([[south, west], [north, east]])
        self.room = LEGEND_ROOM


def offline_map(bounds: tuple[float, float, float, float] | None = None) -> folium.Map:
    """A folium map with no tiles and Leaflet from the app's own static folder; the first view fits
    ``bounds`` with the legend's corner left free (:class:`FitMainland`), zooming in quarter steps so the
    area fills the map."""
    m = folium.Map(tiles=None, zoom_control=True, prefer_canvas=False, control_scale=True, zoom_snap=0.25)
    m.default_js = [("leaflet", f"{STATIC_URL}/leaflet.js")]
    m.default_css = [("leaflet_css", f"{STATIC_URL}/leaflet.css")]
    if bounds is not None:
        FitMainland(bounds).add_to(m)
    return m


def choropleth(geojson: str, values: dict[str, float | None], labels: dict[str, str],
               tooltip_fields: list[str], tooltip_aliases: list[str], title: str,
               fmt: callable, notes: list[str], no_data_label: str,
               scheme: Scheme = "quantiles", k: int = 5,
               extra_properties: dict[str, dict[str, str]] | None = None,
               selected: str | None = None,
               tooltip_constants: list[tuple[str, str]] | None = None) -> folium.Map:
    """A choropleth of ``values`` (by area code) over the features of ``geojson``.

    ``labels`` holds the formatted value per code (shown in tooltips), ``extra_properties`` any further
    per-code tooltip properties, ``tooltip_constants`` (label, text) rows that are the same for every
    area (e.g. source, year, unit; written once, not per feature). Features without a value are grey;
    the ``selected`` area gets a thick outline.
    """
    fc = json.loads(geojson)
    codes = [f["properties"]["kode"] for f in fc["features"]]
    vals = [values.get(c) for c in codes]
    cls = classify(vals, scheme, k)
    colours = colours_for(len(cls.bins))
    fills = {c: (colours[i] if i >= 0 else NO_DATA) for c, i in zip(codes, cls.index, strict=False)}
    finite = [v for v in vals if v is not None and not np.isnan(v)]
    legend = legend_html(title, cls.bins, colours, fmt, notes, no_data_label,
                         min(finite) if finite else None)
    return _area_map(fc, fills, labels, tooltip_fields, tooltip_aliases, legend, no_data_label,
                     extra_properties, selected, tooltip_constants, mainland(geojson))


def categorical(geojson: str, categories: dict[str, str], colours: dict[str, str],
                category_labels: dict[str, str], labels: dict[str, str], tooltip_fields: list[str],
                tooltip_aliases: list[str], title: str, notes: list[str], no_data_label: str,
                extra_properties: dict[str, dict[str, str]] | None = None,
                selected: str | None = None,
                tooltip_constants: list[tuple[str, str]] | None = None) -> folium.Map:
    """A map colouring each area by a category (e.g. a significant cluster type), with an HTML legend."""
    fc = json.loads(geojson)
    fills = {f["properties"]["kode"]: colours.get(categories.get(f["properties"]["kode"], ""), NO_DATA)
             for f in fc["features"]}
    rows = [_swatch(colour, category_labels.get(cat, cat)) for cat, colour in colours.items()]
    rows.append(_swatch(NO_DATA, no_data_label))
    rows += [f"<div style='margin-top:4px;color:#8a3b00'><i>{html.escape(n)}</i></div>" for n in notes]
    return _area_map(fc, fills, labels, tooltip_fields, tooltip_aliases, collapsible(title, rows), no_data_label,
                     extra_properties, selected, tooltip_constants, mainland(geojson))


def _swatch(colour: str, label: str) -> str:
    return (f"<div><span style='display:inline-block;width:14px;height:12px;background:{colour};"
            f"border:1px solid #777;margin-right:6px'></span>{html.escape(label)}</div>")


def _area_map(fc: dict, fills: dict[str, str], labels: dict[str, str], tooltip_fields: list[str],
              tooltip_aliases: list[str], legend: str, no_data_label: str,
              extra_properties: dict[str, dict[str, str]] | None, selected: str | None,
              tooltip_constants: list[tuple[str, str]] | None = None,
              bounds: tuple[float, float, float, float] | None = None) -> folium.Map:
    needed = set(tooltip_fields) | {"kode", "_fill", "nilai"}
    for f in fc["features"]:
        p = f["properties"]
        for key in [k for k in p if k not in needed]:
            del p[key]
        p["_fill"] = fills.get(p["kode"], NO_DATA)
        if p["kode"] == selected:
            p["_sel"] = True
        p["nilai"] = labels.get(p["kode"], no_data_label)
        for key, per_code in (extra_properties or {}).items():
            p[key] = per_code.get(p["kode"], "–")
    m = offline_map(main_bounds(fc) if bounds is None else bounds)
    # Styles and tooltips come from each feature's own properties in JavaScript: folium's Python style
    # map would write one `case` per feature (8,494 for the province's desa), rendered twice by
    # st_folium, and GeoJsonTooltip would need the rows that are the same everywhere in every feature.
    fields = _script_json([[a, f] for a, f in zip(tooltip_aliases, tooltip_fields, strict=False)])
    consts = _script_json([[a, v] for a, v in (tooltip_constants or [])])
    AreaLayer(fc, _FEATURE_JS.replace("__FIELDS__", fields).replace("__CONSTS__", consts)).add_to(m)
    Legend(legend).add_to(m)
    return m


class AreaLayer(VerbatimMacro):
    """A Leaflet GeoJSON layer of areas whose data are serialised once, here, not on every render.

    (folium.GeoJson re-serialises its data each time it is rendered, and st_folium renders a map more
    than once: for the province's 8,494 desa that was most of the time between a click and the map.)
    Styles and tooltips are read from each feature's properties in JavaScript.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJson({{ this.data_json }}, {
            style: {{ this.style_js }},
            onEachFeature: {{ this.feature_js }}
        }).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, fc: dict, feature_js: str) -> None:
        super().__init__()
        self._name = "AreaLayer"
        self.data_json = json.dumps(fc, separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/")
        self.style_js = _STYLE_JS
        self.feature_js = feature_js


_STYLE_JS = """function (feature) {
    var p = feature.properties;
    return {fillColor: p._fill, color: p._sel ? '#00bcd4' : '#555555', weight: p._sel ? 3.5 : 0.6,
            fillOpacity: 0.85};
}"""
_FEATURE_JS = """function (feature, layer) {
    var p = feature.properties;
    var esc = function (v) {
        return String(v === null || v === undefined ? '–' : v).replace(/[&<>"]/g, function (c) {
            return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]; });
    };
    layer.bindTooltip(function () {
        var rows = __FIELDS__.map(function (f) { return [f[0], p[f[1]]]; }).concat(__CONSTS__);
        return '<table style="font-size:12px">' + rows.map(function (r) {
            return '<tr><th style="text-align:left;padding-right:8px">' + esc(r[0]) + '</th><td>' +
                esc(r[1]) + '</td></tr>'; }).join('') + '</table>';
    }, {sticky: true});
    layer.on({
        mouseover: function (e) { e.target.setStyle({weight: 2.5, color: '#000000'}); },
        mouseout: function (e) {
            var p = feature.properties;
            e.target.setStyle({color: p._sel ? '#00bcd4' : '#555555', weight: p._sel ? 3.5 : 0.6});
        }
    });
}"""


@functools.lru_cache(maxsize=64)
def mainland(geojson: str) -> tuple[float, float, float, float] | None:
    """:func:`main_bounds` of a GeoJSON text, remembered: a map's areas are the same text every time it is
    drawn (and the start-up warm-up computes the province's maps before anyone asks)."""
    return main_bounds(geojson)


def _polygons(fc: dict | str) -> np.ndarray:
    """Every polygon part of a FeatureCollection (dict or GeoJSON text) as shapely polygons, read by GEOS
    in one call; features without a polygon (no geometry, points, empty coordinates) are left out."""
    import shapely

    text = fc if isinstance(fc, str) else json.dumps(fc)
    try:
        collection = shapely.from_geojson(text)
    except shapely.errors.GEOSException:  # a feature GEOS will not read (null geometry): keep the polygons
        data = json.loads(text) if isinstance(fc, str) else fc
        kept = [{"type": "Feature", "properties": {}, "geometry": g} for g in
                (f.get("geometry") or {} for f in data.get("features", []))
                if g.get("type") in ("Polygon", "MultiPolygon") and g.get("coordinates")]
        collection = shapely.from_geojson(json.dumps({"type": "FeatureCollection", "features": kept}))
    parts = shapely.get_parts(shapely.get_parts(collection))  # features, then a MultiPolygon's parts
    return parts[(shapely.get_type_id(parts) == 3) & ~shapely.is_empty(parts)]


def main_bounds(fc: dict | str, share: float = 0.95) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of the area's mainland: the largest land masses that together make
    ``share`` of the land, so that a first view (or the PDF's map) fits them and small far islands
    (Masalembu, Bawean and Kangean off Jawa Timur) do not shrink it; the islands stay a pan or a zoom away.
    A land mass is the polygon parts whose boxes touch or overlap, joined: neighbouring desa make one
    mass, a strait of a few kilometres (Madura) may join it, an island 50 km out stays apart. A part's
    land is the area inside its outer ring. ``fc`` is a FeatureCollection, as a dict or as GeoJSON text.

    >>> square = lambda x, y, d: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]
    >>> fc = {"features": [{"geometry": {"type": "Polygon", "coordinates": square(112, -8, 1)}},
    ...                    {"geometry": {"type": "MultiPolygon", "coordinates": [square(113, -8, 0.5),
    ...                                                                          square(116, -5, 0.1)]}},
    ...                    {"geometry": None}]}
    >>> main_bounds(fc)
    (112.0, -8.0, 113.5, -7.0)
    """
    import shapely

    parts = _polygons(fc)
    if not len(parts):
        return None
    areas = shapely.area(shapely.polygons(shapely.get_exterior_ring(parts)))
    b = shapely.bounds(parts)
    boxes = shapely.box(b[:, 0], b[:, 1], b[:, 2], b[:, 3])
    left, right = shapely.STRtree(boxes).query(boxes, predicate="intersects")
    parent = list(range(len(parts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i < j:
            ri, rj = root(i), root(j)
            if ri != rj:
                parent[ri] = rj
    mass = np.fromiter((root(i) for i in range(len(parts))), dtype=np.int64, count=len(parts))
    ids, inverse = np.unique(mass, return_inverse=True)
    land = np.bincount(inverse, weights=areas, minlength=len(ids))
    order = np.argsort(-land, kind="stable")
    needed = int(np.searchsorted(np.cumsum(land[order]), share * areas.sum())) + 1
    c = b[np.isin(inverse, order[:needed])]
    return float(c[:, 0].min()), float(c[:, 1].min()), float(c[:, 2].max()), float(c[:, 3].max())


def template_text(text: object) -> str:
    r"""Text for folium's tooltips and popups, which put it raw into HTML inside a JavaScript template
    literal: HTML-escaped, and the template literal's own characters (backtick, ``$``, backslash) as
    character references, so ``${…}`` is never evaluated and ``</script>`` never closes anything; braces
    too, because folium's own elements (a marker's tooltip) are read once more as a Jinja template.

    >>> template_text("<b>${x}</b> `a` \\ {{ 7*7 }}")
    '&lt;b&gt;&#36;&#123;x&#125;&lt;/b&gt; &#96;a&#96; &#92; &#123;&#123; 7*7 &#125;&#125;'
    """
    return (html.escape(str(text)).replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")
            .replace("{", "&#123;").replace("}", "&#125;"))


def _script_json(value: object) -> str:
    """JSON to place inside a ``<script>``: ``</`` written as ``<\\/`` so no text can close the element."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def render_html(m: folium.Map) -> str:
    """The full standalone HTML of a map (for tests and exports)."""
    return m.get_root().render()


def leadership_map(geojson: str, pockets: pd.DataFrame, s: Summary, labels: dict[str, str],
                   sites: pd.DataFrame | None = None):  # -> folium.Map
    """Kecamatan coloured by significant high-high P0 pockets (and low-low), the interventions as
    markers with their households reached; ``sites`` (with the pocket each lies in) marks those placed in a
    low-low pocket in orange and says so in their tooltip."""
    import folium


    cats = dict(zip(pockets["kode"], pockets["cluster"], strict=False)) if len(pockets) else {}
    keep = {k: v for k, v in cats.items() if v in ("HH", "LL")}
    colours = {k: POCKET_COLOURS[k] for k in ("HH", "LL")}
    m = categorical(geojson, keep, colours, {"HH": labels["hh"], "LL": labels["ll"]},
                         {k: labels.get(v, v) for k, v in keep.items()}, ["nama", "nilai"],
                         [labels["area"], labels["pocket"]], labels["map_title"], [], labels["ns"])
    marks = s.interventions if sites is None else sites
    for r in marks.dropna(subset=["lat", "lon"]).itertuples():
        reached = "" if r.reached != r.reached else f" · {fmt.number(r.reached)} RT"
        low = getattr(r, "kantong", None) == "LL"
        note = f" · {labels['in_ll']}" if low and "in_ll" in labels else ""
        folium.CircleMarker([r.lat, r.lon], radius=9, color="#7f2704" if low else "#08306b", weight=2, fill=True,
                            fill_color="#fd8d3c" if low else "#4292c6", fill_opacity=0.9,
                            tooltip=template_text(f"{r.judul} ({r.nama}){reached}{note}")).add_to(m)
    return m
