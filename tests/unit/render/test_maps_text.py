"""Maps render offline with honest labels; texts exist in both languages; settings are documented."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

from analytics.core import fmt, i18n, settings
from analytics.core import store as core_store
from analytics.core.db import Database
from analytics.poverty import overview
from analytics.render import maps

ROOT = Path(__file__).resolve().parents[3]


def test_kabupaten_map_html_is_offline_and_labelled(ro_db: Database) -> None:
    m = maps.choropleth(core_store.area_geojson(ro_db, "kabupaten", "35"),
                        **overview.kabupaten_layer(ro_db, "35", 2024, "p0", "id"))
    html = maps.render_html(m)
    external = [u for u in re.findall(r"""(?:src|href)=["'](https?://[^"']+)""", html)]
    assert external == [], external
    assert "/app/static/leaflet/leaflet.js" in html
    assert "Data contoh (sintetis)" in html
    assert "Batas wilayah perkiraan" in html
    data = re.search(r"= L\.geoJson\((\{.*?\}), \{\s*style:", html, re.S)
    fc = json.loads(data.group(1))
    assert len(fc["features"]) == 38
    props = {f["properties"]["kode"]: f["properties"] for f in fc["features"]}
    # tooltip values are formatted Indonesian percentages with their source and year
    assert re.fullmatch(r"\d{1,2},\d%", props["35.27"]["nilai"])
    assert props["35.27"]["sumber"] == "Data contoh (sintetis)"
    assert '[["Tahun", "2024"]]' in html  # the year: one tooltip row written once for all areas
    # the highest P0 is in the darkest class, the lowest in the lightest
    vals = ro_db.query("SELECT kode, value FROM indicators WHERE indicator='p0' AND period=2024 "
                       "AND length(kode)=5 AND kode LIKE '35.%' ORDER BY value")
    assert props[vals["kode"].iloc[-1]]["_fill"] == maps.PALETTE[-1]
    assert props[vals["kode"].iloc[0]]["_fill"] == maps.PALETTE[0]


def test_english_map_legend(ro_db: Database) -> None:
    html = maps.render_html(maps.choropleth(core_store.area_geojson(ro_db, "kabupaten", "35"),
                                            **overview.kabupaten_layer(ro_db, "35", 2021, "p0", "en")))
    assert "Poverty headcount ratio (P0) (2021)" in html
    assert "Approximate boundaries" in html


def test_classify_natural_breaks_and_missing() -> None:
    c = maps.classify([1, 1, 2, 10, 11, 12, None], "natural_breaks", k=2)
    assert c.bins == (2.0, 12.0)
    assert c.index == (0, 0, 0, 1, 1, 1, -1)
    assert maps.classify([None, None]).bins == ()


@pytest.mark.parametrize("seed", range(12))
def test_quantiles_are_mapclassify_quantiles(seed: int) -> None:
    """The quantile classes (computed without importing mapclassify) are mapclassify's, bounds and
    classes, on data with ties, repeated values, few distinct values and negative numbers."""
    import mapclassify

    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(5, 400)), int(rng.integers(2, 8))
    y = (rng.normal(10, 4, n), rng.integers(-3, 6, n).astype(float), np.round(rng.gamma(2, 3, n), 1))[seed % 3]
    k = min(k, len(np.unique(y)))
    ref = mapclassify.Quantiles(y, k=k)
    bins, yb = maps.quantile_classes(y, k)
    np.testing.assert_allclose(bins, ref.bins, rtol=0, atol=1e-12)
    assert yb.tolist() == ref.yb.tolist()


def test_static_assets_come_from_the_package(tmp_path: Path) -> None:
    out = maps.ensure_static_assets(tmp_path)
    assert (out / "leaflet.js").stat().st_size > 100_000
    assert "Leaflet" in (out / "leaflet.js").read_text()[:500]


def test_locales_have_the_same_keys_and_cover_code() -> None:
    ids, ens = i18n.catalogue("id"), i18n.catalogue("en")
    assert set(ids) == set(ens)
    used = set()
    for f in list(ROOT.glob("pages/*.py")) + [ROOT / "app.py"] + list(ROOT.glob("analytics/**/*.py")):
        used |= set(re.findall(r"""\bt\(\s*["']([a-z0-9_.]+)["']\s*[,)]""", f.read_text()))
    assert used, "no keys found"
    assert used <= set(ids), used - set(ids)


def test_number_formats() -> None:
    assert fmt.rupiah(1250000) == "Rp 1.250.000"
    assert fmt.percent(12.5) == "12,5%"
    assert fmt.number(8494) == "8.494"
    assert fmt.number(8494, lang="en") == "8,494"


def test_every_setting_is_documented_in_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    for s in settings.SETTINGS:
        assert f"PERANTARA_{s.name.upper()}" in readme, s.name


PAYLOAD = "<img src=x onerror=alert(1)>${alert(2)}`</script><script>alert(3)</script>\\"


def test_user_text_in_map_tooltips_and_legends_stays_text(ro_db: Database) -> None:
    import dataclasses

    import pandas as pd

    from analytics.monitoring import leadership

    s = leadership.summary(ro_db, "35")
    hostile = pd.DataFrame([{"judul": PAYLOAD, "kabupaten": "35.07", "nama": PAYLOAD, "kode": "35.07.10",
                             "lat": -8.1, "lon": 112.6, "reached": 12.0}])
    s = dataclasses.replace(s, interventions=hostile)
    labels = {"hh": PAYLOAD, "ll": "LL", "area": PAYLOAD, "pocket": "Kantong", "map_title": PAYLOAD, "ns": "-"}
    out = maps.render_html(maps.leadership_map(core_store.area_geojson(ro_db, "kecamatan", "35.07"),
                                               pd.DataFrame(columns=["kode", "cluster"]), s, labels))
    # the area layer's tooltip rows and the legend carry the text as JSON data (escaped when shown, in
    # JavaScript); apart from that data, none of it appears raw
    as_data = json.dumps(PAYLOAD, ensure_ascii=False)[1:-1].replace("</", "<\\/")
    assert as_data in out
    rest = out.replace(as_data, "")
    for piece in ("<img src=x", "<script>alert(3)"):
        assert piece not in rest, piece
    # folium's tooltip is a JavaScript template literal: the text ends neither it nor evaluates ${…} in it
    literals = re.findall(r"bindTooltip\(\s*`([^`]*)`", out)
    assert len(literals) == 1 and "${" not in literals[0] and "&#36;&#123;alert(2)&#125;" in literals[0]
    # the marker's tooltip: the text itself, as character references inside the template literal
    assert "&lt;img src=x onerror=alert(1)&gt;&#36;&#123;alert(2)&#125;&#96;&lt;/script&gt;" in out
    # the area layer's tooltip rows (aliases) and the legend: JSON that cannot close the script element
    assert rest.count("</script>") == rest.count("<script")


JINJA = "Desa {{ 'pw' ~ 'ned' }} {{ this.__class__.__name__ }} {% if x %} {# c"


def test_names_are_never_read_as_templates(ro_db: Database) -> None:
    """branca reads a rendered element once more as a Jinja template: an area name from an imported file
    such as ``{{ 'pw' ~ 'ned' }}`` came out as ``pwned`` (and ``{{ this.… }}`` reaches Python objects; a lone
    ``{%`` broke the map). Names in the area layer, the legend and a marker's tooltip stay as written, in
    the standalone HTML and in what streamlit-folium sends to the browser."""
    import dataclasses

    import pandas as pd
    from streamlit_folium import generate_leaflet_string

    from analytics.monitoring import leadership

    fc = json.loads(core_store.area_geojson(ro_db, "kecamatan", "35.07"))
    fc["features"][0]["properties"]["nama"] = JINJA
    s = dataclasses.replace(leadership.summary(ro_db, "35"), interventions=pd.DataFrame(
        [{"judul": JINJA, "nama": "Desa", "kode": "35.07.10", "lat": -8.1, "lon": 112.6, "reached": 12.0}]))
    labels = {"hh": JINJA, "ll": "LL", "area": "Wilayah", "pocket": "Kantong", "map_title": JINJA, "ns": "-"}
    m = maps.leadership_map(json.dumps(fc), pd.DataFrame(columns=["kode", "cluster"]), s, labels)
    out = maps.render_html(m)
    import html

    as_data = json.dumps(JINJA, ensure_ascii=False)[1:-1]  # the area's name, as JSON data
    as_html = json.dumps(html.escape(JINJA), ensure_ascii=False)[1:-1]  # the legend's title and swatch
    assert out.count(as_data) == 1 and out.count(as_html) == 2
    assert "&#123;&#123; &#x27;pw&#x27; ~ &#x27;ned&#x27; &#125;&#125;" in out  # the marker's tooltip
    m.render()
    leaflet = generate_leaflet_string(m)
    for text in (out, leaflet):
        assert "pwned" not in text and "MacroElement" not in text and "Element " not in text
    assert leaflet.count(as_data) == 1 and leaflet.count(as_html) == 2


def test_the_first_view_fits_jawa_timur_mainland_and_madura_not_its_far_islands(ro_db) -> None:
    """Issue 17, part 5. Geography, not the code: Jawa Timur's mainland and Madura lie within about 110.9–114.6° E
    and 8.8–6.7° S; Bawean (5.8° S), Masalembu (5.5° S) and Kangean (115.2–115.6° E) lie outside that."""
    import json

    from analytics.core import store as core_store
    from analytics.render import maps

    fc = json.loads(core_store.area_geojson(ro_db, "kecamatan", "35"))
    xs = [p[0] for f in fc["features"] for poly in (f["geometry"]["coordinates"] if f["geometry"]["type"] ==
          "MultiPolygon" else [f["geometry"]["coordinates"]]) for p in poly[0]]
    ys = [p[1] for f in fc["features"] for poly in (f["geometry"]["coordinates"] if f["geometry"]["type"] ==
          "MultiPolygon" else [f["geometry"]["coordinates"]]) for p in poly[0]]
    assert max(xs) > 115.2 and max(ys) > -5.9  # the file does hold the far islands
    west, south, east, north = maps.main_bounds(fc)
    assert 110.8 < west < 111.0 and -8.9 < south < -8.6 and 114.3 < east < 114.7 and -6.9 < north < -6.6
    # the national map keeps the whole country (Sumatra to Papua)
    west, _, east, _ = maps.main_bounds(json.loads(core_store.area_geojson(ro_db, "provinsi", "")))
    assert west < 100 and east > 138
