"""Application settings, declared as data: (name, default, help).

Each setting can be overridden by an environment variable ``PERANTARA_<NAME>`` (upper case).
A test checks that every setting is documented in the README.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Setting:
    """One setting: its name, default value (as text) and a one-line help."""

    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db_path", str(ROOT / "data" / "perantara.duckdb"),
            "Path of the DuckDB database file (one app process per file)."),
    Setting("demo_mode", "1",
            "1: start with a role picker instead of a login (clearly marked demo mode); 0: require login."),
    Setting("default_lang", "id", "Language of the interface on first load: id or en."),
    Setting("seed", "20240601", "Seed of the synthetic demo data (the same seed gives the same data)."),
    Setting("min_cell", "10",
            "Smallest household count shown below kabupaten level to roles that may not see small cells."),
    Setting("pseudonym_key_path", str(ROOT / "data" / "pseudonym.key"),
            "Secret key file for the NIK pseudonyms of imported registers (created on first use; keep it safe, "
            "never commit it)."),
    Setting("source_tolerance", "0.10",
            "Relative difference between two sources of the same figure above which they are flagged."),
    Setting("warm_maps", "1",
            "1: after start-up, prepare the finer maps and the leadership page's pockets in the background; "
            "0: compute them when first opened (the page tests, a very small machine)."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    """Value of a setting: the environment variable ``PERANTARA_<NAME>`` or the default."""
    s = _BY_NAME[name]
    return os.environ.get(f"PERANTARA_{name.upper()}", s.default)


def get_bool(name: str) -> bool:
    """A setting read as a boolean (1/true/yes/ya are true)."""
    return get(name).strip().lower() in {"1", "true", "yes", "ya", "on"}


def get_int(name: str) -> int:
    """A setting read as an integer."""
    return int(get(name))
