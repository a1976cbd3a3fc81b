"""Benchmarks: `python bench/run.py [--store duckdb|postgres] [NAME ...]` prints one JSON object per line:
{"name": ..., "value": ..., "unit": ...} (with "store": "postgres" on PostgreSQL). With no NAME, every
benchmark runs."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analytics.core import store as core_store  # noqa: E402
from analytics.core.db import Database  # noqa: E402
from analytics.demo import build as demo_build  # noqa: E402
from analytics.testing import TEST_DEMO_PROVINCES  # noqa: E402

_TMP = Path(tempfile.mkdtemp(prefix="perantara-bench-"))
_BUILT: Path | None = None


def _built() -> Path:
    global _BUILT
    if _BUILT is None:
        _BUILT = _TMP / "built.duckdb"
        demo_build.build(_BUILT, quiet=True)
    return _BUILT


STORE = "duckdb"
"""The store the figures are taken on: ``duckdb`` (files) or ``postgres`` (``--store postgres``: a server
started for the run, each bench on its own database cloned from the built one)."""
_PG: dict[str, object] = {}


def _pg_template() -> str:
    if "template" not in _PG:
        from analytics.testing import pgserver, pgtemplates

        server = pgserver.start()
        _PG.update(server=server, admin=server.url())
        _PG["template"] = pgtemplates.template(server.url(), _built())
    return str(_PG["template"])


def _fresh(name: str) -> Path | str:
    """A private, writable copy of the built demo database: a file, or a PostgreSQL database's URL."""
    if STORE == "postgres":
        from analytics.testing import pgtemplates

        template = _pg_template()
        return pgtemplates.clone(str(_PG["admin"]), template)
    path = _TMP / f"{name}.duckdb"
    shutil.copyfile(_built(), path)
    return path


_READ: list[Path | str] = []


def _read_copy() -> Path | str:
    """The built database for benches that only read (one copy shared by them on PostgreSQL)."""
    if STORE != "postgres":
        return _built()
    if not _READ:
        _READ.append(_fresh("read"))
    return _READ[0]


def build_s() -> tuple[float, str]:
    """Demo database build (region list, approximate geometry, synthetic layer), seconds."""
    global _BUILT
    path = _TMP / "timed.duckdb"
    t0 = time.perf_counter()
    demo_build.build(path, force=True, quiet=True)
    elapsed = time.perf_counter() - t0
    _BUILT = _BUILT or path
    return elapsed, "s"


_NATIONAL: dict[str, object] = {}


def _build_with(path: Path, demo_data: str, force: bool = False) -> float:
    """Build a demo database with ``PERANTARA_DEMO_DATA=demo_data`` (the setting restored after); seconds."""
    import os

    before = os.environ.get("PERANTARA_DEMO_DATA")
    os.environ["PERANTARA_DEMO_DATA"] = demo_data
    try:
        t0 = time.perf_counter()
        demo_build.build(path, force=force, quiet=True)
        return time.perf_counter() - t0
    finally:
        if before is None:
            os.environ.pop("PERANTARA_DEMO_DATA", None)
        else:
            os.environ["PERANTARA_DEMO_DATA"] = before


def _national() -> dict[str, float]:
    """The demo database with every province's regions, approximate areas and demo data
    (``PERANTARA_DEMO_DATA=all``) built from scratch: seconds and megabytes. On PostgreSQL: built, then
    copied into a new PostgreSQL database (both in the seconds), and that database's size."""
    if not _NATIONAL:
        path = _TMP / "national.duckdb"
        seconds = _build_with(path, "all", force=True)
        _NATIONAL.update(build=seconds, mb=path.stat().st_size / 1e6)
        if STORE == "postgres":
            import psycopg

            from analytics.core import transfer

            _pg_template()
            name = "national"
            with psycopg.connect(str(_PG["admin"]), autocommit=True) as con:
                con.execute(f"CREATE DATABASE {name}")
            url = str(_PG["admin"]).rsplit("/", 1)[0] + f"/{name}"
            t0 = time.perf_counter()
            transfer.copy(str(path), url)
            with psycopg.connect(url) as con:
                size = con.execute("SELECT pg_database_size(current_database())").fetchone()[0]
            _NATIONAL.update(build=seconds + time.perf_counter() - t0, mb=size / 1e6, url=url)
    return _NATIONAL


def _national_db() -> Path | str:
    """The national demo database of :func:`_national` (built once): its file, or its PostgreSQL URL."""
    _national()
    return str(_NATIONAL["url"]) if STORE == "postgres" else _TMP / "national.duckdb"


def _national_pockets(prefix: str, expected: int) -> tuple[float, str]:
    """Local Moran's I + Gi* + FDR (999 permutations, weights included) over the desa of a province
    (Jawa Tengah: 8,563) or of all Indonesia (83,762), on the national demo data, seconds."""
    from analytics.poverty import drilldown

    db = _opened(_national_db())
    try:
        t0 = time.perf_counter()
        res = drilldown.pockets(db, prefix, "desa", "p0", 2024, permutations=999)
        elapsed = time.perf_counter() - t0
        assert len(res) == expected, len(res)
        return elapsed, "s"
    finally:
        db.close()


_NATIONAL_MAP: dict[str, float] = {}


def _national_map() -> dict[str, float]:
    """In Chromium, on the national demo data: Peta kemiskinan opens on the map of Indonesia; a click on
    'Kabupaten/kota' → all 514 kabupaten/kota drawn, timed from the click until the shapes are on
    screen; and the size of that map document (folium HTML) sent to the browser."""
    if _NATIONAL_MAP:
        return _NATIONAL_MAP
    from analytics.poverty import drilldown
    from analytics.render import maps
    from analytics.testing import harness

    if STORE == "postgres":
        db = _national_db()  # the map only reads
    else:
        db = _TMP / "national-map.duckdb"
        shutil.copyfile(_national_db(), db)
    d = Database(db, read_only=True)
    try:
        html = maps.choropleth(core_store.area_geojson(d, "kabupaten", ""),
                               **drilldown.value_layer(d, "", "kabupaten", "p0", 2024, "id")).get_root().render()
    finally:
        d.close()
    with harness.browser() as b, harness.streamlit_server(db) as (url, _):
        page = b.new_page(viewport={"width": 1400, "height": 1000})
        harness.offline_routes(page)
        harness.open_peta(page, url, national=True)
        t0 = time.perf_counter()
        harness.choose_shown_level(page, "Kabupaten/kota")
        harness.wait_paths(page, lambda n: n == 514, timeout=60)
        _NATIONAL_MAP.update(s=time.perf_counter() - t0, mb=len(html.encode()) / 1e6)
    return _NATIONAL_MAP


def cold_start_s() -> tuple[float, str]:
    """Server start to the first page rendered in Chromium (title, figures and map drawn), seconds."""
    from analytics.testing import harness

    db = _fresh("cold")
    with harness.browser() as b:
        page = b.new_page(viewport={"width": 1400, "height": 1000})
        harness.offline_routes(page)
        t0 = time.perf_counter()
        with harness.streamlit_server(db) as (url, _):
            page.goto(url)
            page.get_by_text("8.494").first.wait_for(timeout=60000)
            harness.map_frame(page).locator("path.leaflet-interactive").first.wait_for(timeout=60000)
            elapsed = time.perf_counter() - t0
    return elapsed, "s"


def _payload(level: str) -> tuple[float, str]:
    db = Database(_read_copy(), read_only=True)
    try:
        return round(len(core_store.area_geojson(db, level, "35").encode()) / 1e6, 3), "MB"
    finally:
        db.close()


def _opened(location: Path | str) -> Database:
    """The database as a running app server holds it: on PostgreSQL, its replica filled as the server fills
    it at start (``Database.warm``, waited for), so a figure times the work and not that one-time copy
    (``store.first_read_hotspots_s`` times the same work with the copy)."""
    db = Database(location, read_only=True)
    db.warm(background=False)
    return db


def hotspots_s(warm: bool = True) -> tuple[float, str]:
    """Local Moran's I + Gi* + FDR over the 8,494 desa with 999 permutations (weights included), seconds.
    With ``warm`` false, on a database just opened: on PostgreSQL the time includes copying the areas and
    indicators into a new server's replica."""
    from analytics.poverty import drilldown

    db = _opened(_read_copy()) if warm else Database(_read_copy(), read_only=True)
    try:
        t0 = time.perf_counter()
        res = drilldown.pockets(db, "35", "desa", "p0", 2024, permutations=999)
        elapsed = time.perf_counter() - t0
        assert len(res) == 8494
        return elapsed, "s"
    finally:
        db.close()


def trend_s() -> tuple[float, str]:
    """Pocket patterns over the years (space-time Gi*, FDR, Mann-Kendall, the emerging hot-spot rules) for the
    8,494 desa of Jawa Timur over the demo's four years, weights included, seconds."""
    from analytics.poverty import drilldown

    db = _opened(_read_copy())
    try:
        t0 = time.perf_counter()
        res, used = drilldown.trend_pockets(db, "35", "desa", "p0")
        elapsed = time.perf_counter() - t0
        assert len(res) == 8494 and len(used["years"]) == 4
        return elapsed, "s"
    finally:
        db.close()


_REGISTER: dict[tuple[int, str], dict[str, float]] = {}


def _register_agg(n: int = 5_000_000, prefix: str = "35") -> dict[str, float]:
    """A register of ``n`` households over the desa under ``prefix`` (``""``: all 83,762 of Indonesia)
    stored as the import stores it (``register_households``), aggregated to desa × desil by our SQL
    (:data:`DESA_DESIL_SQL`), and the same aggregation with pandas on the same rows already in memory
    (source and period as categories, the columns it needs); both timed in this run (best of three)."""
    if (n, prefix) in _REGISTER:
        return _REGISTER[(n, prefix)]
    from analytics.io.registers import DESA_DESIL_SQL

    db = Database(_TMP / f"register-{n}-{prefix or 'id'}.duckdb")
    desa = Database(_read_copy(), read_only=True)
    codes = desa.query("SELECT kode FROM areas WHERE level = 'desa' AND kode LIKE ?", [core_store.under(prefix)])
    desa.close()
    with db.cursor() as cur:
        cur.register("codes", codes)
        cur.execute(f"""INSERT INTO register_households
            SELECT md5(i::VARCHAR), replace(c.kode, '.', '')::UBIGINT, 2024, 'DTKS', 1 + (hash(i, 1) % 10),
                   ['pertanian','perikanan','industri pengolahan','perdagangan','jasa dan lainnya']
                       [1 + (hash(i, 2) % 5)::INT],
                   CASE WHEN hash(i, 3) % 4 = 0 THEN 'P' ELSE 'L' END, hash(i, 4) % 20 = 0, 1 + (hash(i, 5) % 7), 1
            FROM range({n}) r(i) JOIN (SELECT kode, row_number() OVER () - 1 AS k FROM codes) c
              ON c.k = hash(i, 6) % {len(codes)}""")
        stored = cur.execute("SELECT count(*) FROM register_households").fetchone()[0]
        assert stored == n, stored
        df = cur.execute("SELECT desa_key, period, source::ENUM('DTKS') AS source, desil, members "
                         "FROM register_households").df()

    def ours():
        with db.cursor() as cur:
            return cur.execute(DESA_DESIL_SQL, {"source": "DTKS", "period": 2024}).df()

    def theirs():
        sub = df[(df["source"] == "DTKS") & (df["period"] == 2024)]
        out = sub.groupby(["desa_key", "desil"]).agg(households=("members", "size"),
                                                     persons=("members", "sum")).reset_index()
        k = out["desa_key"].astype(str)
        out["kode"] = k.str[:2] + "." + k.str[2:4] + "." + k.str[4:6] + "." + k.str[6:10]
        return out

    def best(fn):
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            res = fn()
            times.append(time.perf_counter() - t0)
        return min(times), res

    t_ours, a = best(ours)
    t_pandas, b = best(theirs)
    assert len(a) == len(b) and int(a["households"].sum()) == int(b["households"].sum()) == n
    db.close()
    _REGISTER[(n, prefix)] = {"ours": t_ours, "pandas": t_pandas}
    return _REGISTER[(n, prefix)]


_STORE_READ: dict[str, float] = {}


def _store_read(n: int = 5_000_000) -> dict[str, float]:
    """The read choice on PostgreSQL, measured: a register of ``n`` households over Jawa Timur's desa
    stored in PostgreSQL (written as an import writes it, so the change counter moves), then aggregated
    to desa × desil by :data:`DESA_DESIL_SQL` (a) through the app's DuckDB replica, first read after the
    import (the table copied through Arrow) and then again (best of three), and (b) inside PostgreSQL, the
    same SQL translated and run there with an index on (source, period) (best of three). Both give the
    same rows; the figures say which way the app's reads go, and why."""
    if _STORE_READ:
        return _STORE_READ
    import adbc_driver_postgresql.dbapi as adbc
    import duckdb
    import psycopg

    from analytics.core.dialect import to_postgres
    from analytics.io.registers import DESA_DESIL_SQL

    url = _pg_fresh()
    desa = Database(url, read_only=True)
    codes = desa.query("SELECT kode FROM areas WHERE level = 'desa' AND kode LIKE '35.%'")
    desa.close()
    gen = duckdb.connect(":memory:")
    gen.register("codes", codes)
    rows = gen.sql(f"""SELECT md5(i::VARCHAR) AS pseudonym, replace(c.kode, '.', '')::BIGINT AS desa_key,
               2024 AS period, 'DTKS' AS source, (1 + (hash(i, 1) % 10))::SMALLINT AS desil,
               ['pertanian','perikanan','industri pengolahan','perdagangan','jasa dan lainnya']
                   [1 + (hash(i, 2) % 5)::INT] AS sektor,
               CASE WHEN hash(i, 3) % 4 = 0 THEN 'P' ELSE 'L' END AS sex_head, hash(i, 4) % 20 = 0 AS disability,
               (1 + (hash(i, 5) % 7))::SMALLINT AS members, 1::BIGINT AS import_id
        FROM range({n}) r(i) JOIN (SELECT kode, row_number() OVER () - 1 AS k FROM codes) c
          ON c.k = hash(i, 6) % {len(codes)}""").to_arrow_table()
    gen.close()
    with adbc.connect(url) as ac, ac.cursor() as cur:
        cur.adbc_ingest("register_households", rows, mode="append")
        ac.commit()
    params = {"source": "DTKS", "period": 2024}
    db = Database(url, read_only=True)
    t0 = time.perf_counter()
    first = db.query(DESA_DESIL_SQL, params)
    t_first = time.perf_counter() - t0
    replica = []
    for _ in range(3):
        t0 = time.perf_counter()
        db.query(DESA_DESIL_SQL, params)
        replica.append(time.perf_counter() - t0)
    db.close()
    native = []
    with psycopg.connect(url, autocommit=True) as con:
        con.execute("CREATE INDEX IF NOT EXISTS register_households_source ON register_households (source, period)")
        con.execute("ANALYZE register_households")
        (sql,) = to_postgres(DESA_DESIL_SQL)
        for _ in range(3):
            t0 = time.perf_counter()
            got = con.execute(sql, params).fetchall()
            native.append(time.perf_counter() - t0)
    assert len(got) == len(first) and sum(int(r[2]) for r in got) == int(first["households"].sum()) == n
    _STORE_READ.update(first=t_first, replica=min(replica), native=min(native))
    return _STORE_READ


_MAPS: dict[str, float] = {}


def _peta_maps() -> dict[str, float]:
    """In Chromium: Peta kemiskinan open; click 'Desa/kelurahan' → all 8,494 desa drawn (province desa
    map); then click one desa → the desa of its kabupaten drawn. Each timed from the click until the
    shapes are on screen."""
    if _MAPS:
        return _MAPS
    from analytics.testing import harness

    db = _fresh("maps")
    with harness.browser() as b, harness.streamlit_server(db) as (url, _):
        page = b.new_page(viewport={"width": 1400, "height": 1000})
        harness.offline_routes(page)
        harness.open_peta(page, url)
        t0 = time.perf_counter()
        harness.choose_shown_level(page, "Desa/kelurahan")
        harness.wait_paths(page, lambda n: n == 8494, timeout=60)
        _MAPS["prov"] = time.perf_counter() - t0
        page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=30000)
        t0 = time.perf_counter()
        harness.click_area(page, 4000)
        harness.wait_paths(page, lambda n: n < 8494, timeout=60)
        _MAPS["kab"] = time.perf_counter() - t0
    return _MAPS


def prov_desa_payload_mb() -> tuple[float, str]:
    """Size of the province-wide desa map document sent to the browser (folium HTML), MB."""
    from analytics.poverty import drilldown
    from analytics.render import maps

    d = Database(_read_copy(), read_only=True)
    try:
        gj = core_store.area_geojson(d, "desa", "35")
        m = maps.choropleth(gj, **drilldown.value_layer(d, "35", "desa", "p0", 2024, "id"))
        return round(len(maps.render_html(m).encode()) / 1e6, 3), "MB"
    finally:
        d.close()


def _bench_matrix(seed: int = 3):
    import numpy as np

    rng = np.random.default_rng(seed)
    return ([f"k{i}" for i in range(40)], [f"c{j}" for j in range(8)], rng.integers(1, 6, size=(40, 8)),
            rng.integers(1, 6, size=(30, 8)))


def rank_ms() -> tuple[float, str]:
    """Re-rank 40 commodities × 8 criteria (weighted scores and the ranked table), median of 200, ms."""
    import statistics

    from analytics.commodity import scoring

    names, _, scores, people = _bench_matrix()
    w = people.mean(axis=0)
    times = []
    for i in range(200):
        w = w.copy()
        w[i % 8] = 1 + (i % 5)  # a slider moved
        t0 = time.perf_counter()
        scoring.ranking(names, scores, w)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), "ms"


def robustness_ms() -> tuple[float, str]:
    """10,000 Monte Carlo draws over 30 participants' weights and every score ±1 step (as the workshop page
    runs it) for 40 × 8, top-3 and acceptability, ms."""
    from analytics.commodity import scoring

    names, _, scores, people = _bench_matrix()
    scoring.robustness(names, scores, people, k=3, draws=10_000, score_step=1)  # warm-up
    t0 = time.perf_counter()
    scoring.robustness(names, scores, people, k=3, draws=10_000, score_step=1)
    return (time.perf_counter() - t0) * 1000, "ms"


def lost_writes() -> tuple[float, str]:
    """30 participants writing 100 weights each at the same time (threads): rows missing afterwards."""
    import threading
    from datetime import date

    from analytics.commodity import store as commodity_store

    path = _fresh("writes")
    db = Database(path)
    sid, _ = commodity_store.create_session(db, "pokja", "bench", "35.07", date.today(), "bench", ["kopi", "cabai"])
    ids = [commodity_store.join(db, sid, f"P{i}")[0] for i in range(30)]
    crits = commodity_store.ws_criteria(db, sid)["criterion"].tolist()
    barrier = threading.Barrier(30)

    def run(pid: int) -> None:
        barrier.wait()
        for n in range(100):
            commodity_store.set_weight(db, sid, pid, crits[n % len(crits)], 1 + n % 5)

    threads = [threading.Thread(target=run, args=(p,)) for p in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lost = 30 * 100 - commodity_store.ws_weight_rows(db, sid)
    db.close()
    return float(lost), "rows"


def slider_to_rank_s() -> tuple[float, str]:
    """In Chromium, with 30 participants joined on their own pages: the facilitator moves one weight
    slider on the Peringkat tab (keyboard Home = weight 1); seconds until the ranking chart shows the new
    scores. Median of 5 moves."""
    import statistics

    from analytics.testing import harness

    db = _fresh("slider")
    sid, code = harness.prepare_workshop(db)
    times = []
    with harness.browser() as b, harness.streamlit_server(db) as (url, _):
        ctx = b.new_context(viewport={"width": 420, "height": 900})
        for i in range(30):
            p = ctx.new_page()
            harness.offline_routes(p)
            harness.join_workshop(p, url, code, f"Peserta {i + 1}")
        page = b.new_page(viewport={"width": 1400, "height": 1000})
        harness.offline_routes(page)
        page.goto(f"{url}/lokakarya")
        page.get_by_role("tab", name="Peringkat").click()
        page.locator("[data-testid='stPlotlyChart'] .bartext").first.wait_for(timeout=60000)
        from analytics.commodity.store import DEFAULT_CRITERIA

        for n in range(8):  # every slider to 1, then every slider to 5: each press changes a weight
            times.append(harness.move_slider(page, DEFAULT_CRITERIA[n % 4][1], "Home" if n < 4 else "End"))
            harness.settle(page)
            page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=30000)
    return statistics.median(times), "s"


def _pg_fresh() -> str:
    """A PostgreSQL clone of the built database whatever ``--store`` says (the scale benches need one)."""
    global STORE
    saved, STORE = STORE, "postgres"
    try:
        return str(_fresh("scale"))
    finally:
        STORE = saved


def scale_lost_writes() -> tuple[float, str]:
    """Two app-server processes over one PostgreSQL, 30 participants each writing 100 weights at the same
    moment (threads in each process, a barrier across them): rows missing afterwards."""
    from analytics.testing import scale

    _, lost = scale.lost_writes(_pg_fresh(), servers=2, participants=30, per_participant=100)
    return float(lost), "rows"


def scale_slider_to_rank_s() -> tuple[float, str]:
    """In Chromium, two app servers over one PostgreSQL with 30 participants joined on each: the facilitator
    moves a weight slider on the Peringkat tab, on one server and then on the other; seconds until the
    ranking shows it. The larger of the two servers' medians (8 moves each)."""
    import statistics

    from analytics.commodity.store import DEFAULT_CRITERIA
    from analytics.testing import harness

    url_db = _pg_fresh()
    _, code = harness.prepare_workshop(url_db)
    medians = []
    with harness.browser() as b, harness.streamlit_server(url_db) as (url_a, _), \
            harness.streamlit_server(url_db) as (url_b, _):
        ctx = b.new_context(viewport={"width": 420, "height": 900})
        for url in (url_a, url_b):
            for i in range(30):
                p = ctx.new_page()
                harness.offline_routes(p)
                harness.join_workshop(p, url, code, f"Peserta {url[-5:]} {i + 1}")
        for url in (url_a, url_b):
            page = b.new_page(viewport={"width": 1400, "height": 1000})
            harness.offline_routes(page)
            page.goto(f"{url}/lokakarya")
            page.get_by_role("tab", name="Peringkat").click()
            page.locator("[data-testid='stPlotlyChart'] .bartext").first.wait_for(timeout=60000)
            times = []
            for n in range(8):
                times.append(harness.move_slider(page, DEFAULT_CRITERIA[n % 4][1], "Home" if n < 4 else "End"))
                harness.settle(page)
                page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=30000)
            medians.append(statistics.median(times))
            page.close()
    return max(medians), "s"


def redraw_s() -> tuple[float, str]:
    """In Chromium, on Rantai nilai: type a new volume into a flow cell and press Enter; seconds until the
    Sankey is redrawn (the margin table is redrawn in the same fragment run). Median of 5 edits."""
    import statistics

    from analytics.testing import harness

    db = _fresh("chain")
    times = []
    with harness.browser() as b, harness.streamlit_server(db) as (url, _):
        page = b.new_page(viewport={"width": 1400, "height": 1000})
        harness.offline_routes(page)
        page.goto(f"{url}/rantai")
        page.locator("[data-testid='stPlotlyChart'] .sankey-link").first.wait_for(timeout=60000)
        page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=30000)
        for n in range(5):
            before = harness.sankey_shape(page)
            harness.edit_grid_cell(page, 0, 0, 3, str(20_000 + 7_000 * (n + 1)))  # first flow's volume
            t0 = time.perf_counter()
            page.keyboard.press("Enter")
            while harness.sankey_shape(page) == before:
                if time.perf_counter() - t0 > 30:
                    raise TimeoutError("the Sankey was not redrawn")
                time.sleep(0.01)
            times.append(time.perf_counter() - t0)
            harness.settle(page, harness.sankey_shape)
    return statistics.median(times), "s"


def whatif_s() -> tuple[float, str]:
    """In Chromium, on Model bisnis (tab "Per pelaku dan kepekaan"): press an arrow key on a what-if
    slider (selling price, volume, costs; 5 points per press); seconds until both the per-actor table
    and the tornado chart's values have changed. Median of 9 moves."""
    import statistics

    from analytics.testing import harness

    db = _fresh("business")
    times = []
    with harness.browser() as b, harness.streamlit_server(db) as (url, _):
        page = b.new_page(viewport={"width": 1400, "height": 1400})
        harness.offline_routes(page)
        page.goto(f"{url}/bisnis")
        page.get_by_role("tab", name="Per pelaku dan kepekaan").click()
        page.locator("[data-testid='stPlotlyChart'] .bartext").first.wait_for(timeout=60000)
        harness.settle(page, harness.whatif_view)
        for label in ("Harga jual", "Volume/hasil panen", "Biaya"):
            for key in ("ArrowLeft", "ArrowLeft", "ArrowRight"):
                times.append(harness.move_slider(page, label, key, read=harness.whatif_view))
                harness.settle(page, harness.whatif_view)
    return statistics.median(times), "s"


def pci_1000_s() -> tuple[float, str]:
    """1,000 groups × 26 indicators stored in DuckDB (values for numeric indicators, chosen levels for
    the others): seconds to read the newest observations, score them on the reference rubric and give
    every group its predicate (extra rules included). Best of 3."""
    import numpy as np

    from analytics.core.db import Database
    from analytics.monitoring import pci, scorecard
    from analytics.monitoring import store as mon_store

    db_path = _fresh("pci")
    db = Database(db_path)
    rubric = pci.reference_rubric()
    rng = np.random.default_rng(5)
    rows = []
    for g in range(1000):
        for ind in rubric.indicators:
            if ind.numeric:
                rows.append((10_000 + g, 2030, ind.no, float(rng.uniform(0, 100)), None))
            else:
                rows.append((10_000 + g, 2030, ind.no, None, int(rng.choice(ind.levels()))))
    import pandas as pd

    frame = pd.DataFrame(rows, columns=["group_id", "period", "indicator_no", "value", "level"])

    def load(cur) -> None:  # noqa: ANN001
        cur.register("obs", frame)
        cur.execute("INSERT INTO pci_groups SELECT DISTINCT group_id, 'Kelompok ' || group_id, NULL, NULL, NULL, "
                    "FALSE, 'bench', now() FROM obs")
        cur.execute("INSERT INTO pci_obs SELECT nextval('mon_seq'), group_id, period, indicator_no, value, level, "
                    "NULL, 'bench', now() FROM obs")
        cur.unregister("obs")

    db.write("bench", "bench.pci", "1000 kelompok", load)
    rid = mon_store.ensure_reference(db)
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        table, _sc = scorecard.scorecard(db, mon_store.load_rubric(db, rid), period=2030)
        best = min(best, time.perf_counter() - t0)
    assert len(table) == 1000
    db.close()
    return best, "s"


def leadership_s() -> tuple[float, str]:
    """In Chromium, on a running server (first page served, background map preparation done), with the
    app open on another page: click "Ringkasan pimpinan" in the menu; seconds until the five headline
    cards, the four charts' values and the map (666 kecamatan and the intervention markers) are drawn.
    Median of 3 visits, each from a different page (the first visit of the session included)."""
    import statistics

    from analytics.testing import harness

    db = _fresh("lead")
    times = []
    with harness.browser() as b, harness.streamlit_server(db) as (url, _):
        page = b.new_page(viewport={"width": 1400, "height": 1400})
        harness.offline_routes(page)
        page.goto(url)
        page.get_by_text("Perantara").first.wait_for(timeout=60000)
        time.sleep(12)  # the background preparation (kecamatan and desa maps, pockets) starts 3 s after the first page
        for other in ("Rantai hasil", "Skor PCI", "ADKAR"):
            page.locator("[data-testid='stSidebarNav'] a", has_text=other).click()
            page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=60000)
            time.sleep(1.5)
            t0 = time.perf_counter()
            page.locator("[data-testid='stSidebarNav'] a", has_text="Ringkasan pimpinan").click()
            harness.leadership_ready(page)
            times.append(time.perf_counter() - t0)
    return statistics.median(times), "s"


_MUTATION: dict[str, float] | None = None
EQUIVALENT = ROOT / "tests" / "equivalent_mutants.txt"
"""Mutants reviewed as equivalent (no observable change), one per line with its reason after ``#``."""


def equivalent_mutants() -> set[str]:
    lines = EQUIVALENT.read_text(encoding="utf-8").splitlines() if EQUIVALENT.exists() else []
    return {ln.split("#")[0].strip() for ln in lines if ln.split("#")[0].strip()}


def _mutation() -> dict[str, float]:
    """mutmut over the calculation core (``[tool.mutmut]`` in pyproject.toml), from scratch in a copy of the
    repository, the demo database built once beforehand. Killed (or timed out) ÷ (all − reviewed equivalent);
    mutants no test reaches count as survivors. The per-module figures go to stderr."""
    global _MUTATION
    if _MUTATION is not None:
        return _MUTATION
    import os
    import subprocess

    from tests.shared_data import SHARED

    work = _TMP / "mutation"
    for part in ("analytics", "tests"):
        shutil.copytree(ROOT / part, work / part, ignore=shutil.ignore_patterns("__pycache__", "screenshots"))
    shutil.copy(ROOT / "pyproject.toml", work / "pyproject.toml")
    test_db = _TMP / "test_built.duckdb"  # built as the test session builds its own (tests/conftest.py)
    if not test_db.exists():
        _build_with(test_db, TEST_DEMO_PROVINCES)
    env = dict(os.environ, PERANTARA_TEST_BUILT_DB=str(test_db), PERANTARA_SHARED_DATA=str(SHARED),
               PERANTARA_DEMO_DATA=TEST_DEMO_PROVINCES)
    mutmut = [sys.executable, "-m", "mutmut"]
    run = subprocess.run([*mutmut, "run"], cwd=work, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(f"mutmut run failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    listed = subprocess.run([*mutmut, "results", "--all", "true"], cwd=work, env=env, capture_output=True,
                            text=True, check=True).stdout
    equivalent = equivalent_mutants()
    per_module: dict[str, list[int]] = {}
    total = killed = skipped = 0
    stale, survivors = [], []
    for line in listed.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if not name:
            continue
        module = name.split(".x_")[0].split(".xǁ")[0]
        counts = per_module.setdefault(module, [0, 0, 0])
        total += 1
        counts[0] += 1
        if status in ("killed", "timeout"):
            killed += 1
            counts[1] += 1
            if name in equivalent:
                stale.append(name)
        elif name in equivalent:
            skipped += 1
            counts[2] += 1
        else:
            survivors.append(f"{name} ({status})")
    for module, (n, k, e) in sorted(per_module.items()):
        print(f"  {module}: {k}/{n - e} killed = {k / max(n - e, 1):.3f} ({e} equivalent)", file=sys.stderr)
    if survivors:
        print(f"  not killed and not listed as equivalent: {', '.join(survivors)}", file=sys.stderr)
    if stale:
        print(f"  listed as equivalent but killed (remove from {EQUIVALENT.name}): {', '.join(stale)}",
              file=sys.stderr)
    _MUTATION = {"mutants": total, "score": killed / max(total - skipped, 1)}
    return _MUTATION


def register_rows_per_s(n: int = 1_000_000) -> tuple[float, str]:
    """A household register of ``n`` rows (CSV, valid NIKs, Jawa Timur desa codes) previewed and stored as
    the Import page does it (read, check, pseudonymise, insert, aggregate), rows per second."""
    import numpy as np

    from analytics.io import pipeline

    path = _fresh("register_rows")
    db = Database(path)
    try:
        areas = core_store.area_table(db)
        desa = areas.loc[areas["level"] == "desa", "kode"].to_numpy()
        rng = np.random.default_rng(15)
        lines = ["nik,kode_desa,desil,sektor,jenis_kelamin_kk,disabilitas,jumlah_art"]
        kodes, desil = desa[rng.integers(0, len(desa), n)], rng.integers(1, 5, n)
        sex, size = rng.choice(["L", "P"], n), rng.integers(1, 8, n)
        lines += [f"35{10**13 + i:014d},{k},{d},pertanian,{s},tidak,{m}"
                  for i, (k, d, s, m) in enumerate(zip(kodes, desil, sex, size, strict=True))]
        data = ("\n".join(lines) + "\n").encode()
        t0 = time.perf_counter()
        pipeline.import_register(db, "perencana", "bench", "register.csv", data, "DTKS", 2024)
        return n / (time.perf_counter() - t0), "rows/s"
    finally:
        db.close()


_BPS: dict[str, float] = {}


def _bps() -> dict[str, float]:
    """The province-sized BPS-style desa file (analytics/testing/bps_province.py, from Jawa Timur's 8,494
    desa in ../shared/data) as a GeoPackage: preview (read, check, crosswalk) and commit, seconds; and
    the share of its features paired surely."""
    if not _BPS:
        from analytics.io import boundaries, pipeline
        from analytics.testing import bps_province
        from tests.shared_data import SHARED

        path = _fresh("bps")
        db = Database(path)
        try:
            points = db.query("SELECT kode, lon, lat FROM areas WHERE level = 'desa'")
            province = bps_province.build(SHARED / "jatim-standard-formats" / "jatim_batas_wilayah.gpkg", points)
            gpkg = _TMP / "jatim_bps.gpkg"
            province.features.to_file(gpkg, driver="GPKG", layer="desa")
            data = gpkg.read_bytes()
            t0 = time.perf_counter()
            pv = pipeline.boundary_preview(db, gpkg.name, data)
            t1 = time.perf_counter()
            boundaries.commit(db, "admin", "bench", pv)
            t2 = time.perf_counter()
            _BPS.update(preview=t1 - t0, commit=t2 - t1, sure=len(pv.matched) / len(province.features))
        finally:
            db.close()
    return _BPS


_HOSTILE: dict[str, int] = {}


def _hostile() -> dict[str, int]:
    """The hostile-file corpus on a copy of the demo database: files tried, refused with a clear message,
    crashes, refusals that changed stored data, files accepted that must be refused, unclear messages."""
    if not _HOSTILE:
        from analytics.testing import hostile

        path = _fresh("hostile")
        db = Database(path)
        try:
            _HOSTILE.update(hostile.run(db, hostile.corpus(db)).figures())
        finally:
            db.close()
    return _HOSTILE


BENCHES: dict[str, Callable[[], tuple[float, str]]] = {
    "foundation.build_s": build_s,
    "foundation.cold_start_s": cold_start_s,
    "foundation.kab_payload_mb": lambda: _payload("kabupaten"),
    "foundation.desa_payload_mb": lambda: _payload("desa"),
    "poverty.prov_desa_map_s": lambda: (_peta_maps()["prov"], "s"),
    "poverty.kab_desa_map_s": lambda: (_peta_maps()["kab"], "s"),
    "poverty.prov_desa_payload_mb": prov_desa_payload_mb,
    "poverty.hotspots_s": hotspots_s,
    "poverty.trend_s": trend_s,
    "poverty.register_agg_s": lambda: ((_store_read()["replica"] if STORE == "postgres" else _register_agg()["ours"]),
                                       "s"),
    "poverty.register_agg_vs_pandas": lambda: (_register_agg()["pandas"] / (
        _store_read()["replica"] if STORE == "postgres" else _register_agg()["ours"]), "x"),
    "commodity.rank_ms": rank_ms,
    "commodity.robustness_ms": robustness_ms,
    "commodity.lost_writes": lost_writes,
    "commodity.slider_to_rank_s": slider_to_rank_s,
    "scale.lost_writes": scale_lost_writes,
    "store.first_read_hotspots_s": lambda: hotspots_s(warm=False),
    "store.register_agg_replica_first_s": lambda: (_store_read()["first"], "s"),
    "store.register_agg_replica_s": lambda: (_store_read()["replica"], "s"),
    "store.register_agg_in_postgres_s": lambda: (_store_read()["native"], "s"),
    "scale.slider_to_rank_s": scale_slider_to_rank_s,
    "valuechain.redraw_s": redraw_s,
    "business.whatif_s": whatif_s,
    "monitoring.pci_1000_s": pci_1000_s,
    "monitoring.leadership_s": leadership_s,
    "import.register_rows_per_s": register_rows_per_s,
    "import.bps_preview_s": lambda: (_bps()["preview"], "s"),
    "import.bps_commit_s": lambda: (_bps()["commit"], "s"),
    "import.bps_sure_share": lambda: (_bps()["sure"], "ratio"),
    "national.build_s": lambda: (_national()["build"], "s"),
    "national.db_mb": lambda: (_national()["mb"], "MB"),
    "national.kab_map_s": lambda: (_national_map()["s"], "s"),
    "national.kab_map_mb": lambda: (_national_map()["mb"], "MB"),
    "national.hotspots_prov_s": lambda: _national_pockets("33", 8563),  # the package: 8,563 (the issue said 8,562)
    "national.hotspots_all_s": lambda: _national_pockets("", 83762),
    "national.register_agg_s": lambda: (_duckdb_only() or _register_agg(50_000_000, "")["ours"], "s"),
    "national.register_agg_vs_pandas": lambda: (_duckdb_only() or _register_agg(50_000_000, "")["pandas"]
                                                / _register_agg(50_000_000, "")["ours"], "x"),
    "hostile.files": lambda: (_hostile()["files"], "count"),
    "hostile.clear_messages": lambda: (_hostile()["clear"], "count"),
    "hostile.crashes": lambda: (_hostile()["crashes"], "count"),
    "hostile.partial_writes": lambda: (_hostile()["partial_writes"], "count"),
    "hostile.silent_wrong_data": lambda: (_hostile()["silent"], "count"),
    "hostile.unclear_messages": lambda: (_hostile()["unclear"], "count"),
    "tests.mutation_score": lambda: (_mutation()["score"], "ratio"),
    "tests.mutants": lambda: (_mutation()["mutants"], "count"),
}


class NotOnThisStore(Exception):
    """A figure not taken on this store (said on stderr, no line printed)."""


def _duckdb_only() -> float:
    if STORE == "postgres":
        raise NotOnThisStore("50 million households would be copied into every server's replica; on "
                             "PostgreSQL the register figure is store.register_agg_* (5 million)")
    return 0.0


def main(names: list[str]) -> int:
    global STORE
    if "--store" in names:
        i = names.index("--store")
        STORE = names[i + 1] if i + 1 < len(names) else ""
        names = names[:i] + names[i + 2:]
        if STORE not in ("duckdb", "postgres"):
            print("--store duckdb | postgres", file=sys.stderr)
            return 2
    unknown = [n for n in names if n not in BENCHES]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHES)}", file=sys.stderr)
        return 2
    try:
        for name in names or list(BENCHES):
            try:
                value, unit = BENCHES[name]()
            except NotOnThisStore as why:
                print(f"{name}: not on {STORE}: {why}", file=sys.stderr)
                continue
            digits = 4 if unit == "ratio" else 3  # a score of 0.9998 is not 1.0
            line = {"name": name, "value": round(value, digits), "unit": unit}
            if STORE != "duckdb":
                line["store"] = STORE
            print(json.dumps(line), flush=True)
    finally:
        if "server" in _PG:
            _PG["server"].stop()
        shutil.rmtree(_TMP, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
