"""Benchmarks: `python bench/run.py [NAME ...]` prints one JSON object per line:
{"name": ..., "value": ..., "unit": ...}. With no NAME, every benchmark runs."""

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

from analytics import demo, queries  # noqa: E402
from analytics.db import Database  # noqa: E402

_TMP = Path(tempfile.mkdtemp(prefix="perantara-bench-"))
_BUILT: Path | None = None


def _built() -> Path:
    global _BUILT
    if _BUILT is None:
        _BUILT = _TMP / "built.duckdb"
        demo.build(_BUILT, quiet=True)
    return _BUILT


def build_s() -> tuple[float, str]:
    """Demo database build (region list, approximate geometry, synthetic layer), seconds."""
    global _BUILT
    path = _TMP / "timed.duckdb"
    t0 = time.perf_counter()
    demo.build(path, force=True, quiet=True)
    elapsed = time.perf_counter() - t0
    _BUILT = _BUILT or path
    return elapsed, "s"


def cold_start_s() -> tuple[float, str]:
    """Server start to the first page rendered in Chromium (title, figures and map drawn), seconds."""
    from tests import harness

    db = _TMP / "cold.duckdb"
    shutil.copyfile(_built(), db)
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
    db = Database(_built(), read_only=True)
    try:
        return round(len(queries.area_geojson(db, level, "35").encode()) / 1e6, 3), "MB"
    finally:
        db.close()


BENCHES: dict[str, Callable[[], tuple[float, str]]] = {
    "foundation.build_s": build_s,
    "foundation.cold_start_s": cold_start_s,
    "foundation.kab_payload_mb": lambda: _payload("kabupaten"),
    "foundation.desa_payload_mb": lambda: _payload("desa"),
}


def main(names: list[str]) -> int:
    unknown = [n for n in names if n not in BENCHES]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHES)}", file=sys.stderr)
        return 2
    try:
        for name in names or list(BENCHES):
            value, unit = BENCHES[name]()
            print(json.dumps({"name": name, "value": round(value, 3), "unit": unit}), flush=True)
    finally:
        shutil.rmtree(_TMP, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
