"""Application settings, declared as data: (name, default, help).

Each setting can be overridden by an environment variable ``PERANTARA_<NAME>`` (upper case).
A test checks that every setting is documented in the README.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KEY_DIR = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "perantara"
"""Where the app's secret keys live by default: the user's configuration folder, not beside the data,
so that a copy of the data folder (a backup, a laptop handed on) does not carry the key that links its
pseudonyms back to NIKs, nor the one that signs sessions."""
LEGACY_PSEUDONYM_KEY = ROOT / "data" / "pseudonym.key"


@dataclass(frozen=True)
class Setting:
    """One setting: its name, default value (as text) and a one-line help."""

    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db_path", str(ROOT / "data" / "perantara.duckdb"),
            "Path of the DuckDB database file (one app process per file); used when database_url is empty."),
    Setting("database_url", "",
            "Where the data live: empty or a DuckDB file path (embedded, one app process), or "
            "postgresql://user:password@host:port/name (PostgreSQL, shared by several app servers)."),
    Setting("demo_mode", "1",
            "1: start with a role picker instead of a login (clearly marked demo mode); 0: require login."),
    Setting("default_lang", "id", "Language of the interface on first load: id or en."),
    Setting("seed", "20240601", "Seed of the synthetic demo data (the same seed gives the same data)."),
    Setting("demo_data", "all",
            "Which provinces get the synthetic demo layer: all, jatim (Jawa Timur only), none, or province codes "
            "separated by commas (e.g. 35,73). The region list and approximate areas always cover all 38."),
    Setting("min_cell", "10",
            "Smallest household count shown below kabupaten level to roles that may not see small cells."),
    Setting("pseudonym_key_path", str(KEY_DIR / "pseudonym.key"),
            "Secret key file for the NIK pseudonyms of imported registers (created on first use, owner-only; "
            "keep it safe and apart from the data, never commit it)."),
    Setting("session_key_path", str(KEY_DIR / "session.key"),
            "Secret key file that signs the sign-in cookie (created on first use, owner-only; replacing it "
            "signs everyone out)."),
    Setting("session_hours", "12", "How long a sign-in lasts (a reload keeps it; signing out ends it at once)."),
    Setting("source_tolerance", "0.10",
            "Relative difference between two sources of the same figure above which they are flagged."),
    Setting("public_url", "",
            "The address participants' phones reach this server at (e.g. http://192.168.1.10:8501), for the "
            "workshop's join link and QR code; empty: the address the facilitator's browser uses."),
    Setting("warm_maps", "1",
            "1: after start-up, fill the PostgreSQL replica and prepare the finer maps and the leadership "
            "page's pockets in the background; 0: do each when first needed (the page tests, a very small "
            "machine)."),
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


def database() -> str:
    """The database location: ``PERANTARA_DATABASE_URL`` if set, else the DuckDB file ``db_path``."""
    return get("database_url").strip() or get("db_path")


def is_set(name: str) -> bool:
    """Whether the environment overrides a setting's default."""
    return f"PERANTARA_{name.upper()}" in os.environ


def pseudonym_key_path() -> Path:
    """Where the NIK pseudonym key lives. An installation made before the key moved out of ``data/``
    keeps using the key it has there (a new key would stop later imports linking to earlier ones) until
    an administrator moves it; :func:`keys_beside_data` then warns."""
    if not is_set("pseudonym_key_path") and LEGACY_PSEUDONYM_KEY.is_file() \
            and not Path(get("pseudonym_key_path")).exists():
        return LEGACY_PSEUDONYM_KEY
    return Path(get("pseudonym_key_path"))


def secret_key(path: Path) -> bytes:
    """A 32-byte secret read from ``path``, created there (owner-only, in an owner-only folder) on first
    use. The key is written to a private temporary file and then linked into place, which fails if the
    file exists: two processes starting together end with one whole key, never an empty or half one."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # created owner-only
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(secrets.token_bytes(32))
            with contextlib.suppress(FileExistsError):  # another process was first: its key stands
                os.link(tmp, path)
        finally:
            os.unlink(tmp)
    key = path.read_bytes()
    if len(key) < 16:
        raise ValueError(f"Kunci rahasia {path.name} terlalu pendek atau kosong; pulihkan dari cadangan.")
    return key


def keys_beside_data() -> list[str]:
    """Names of secret key files that sit in the same folder as the database (a warning for the admin:
    whoever copies the data folder then holds the keys too)."""
    if database().startswith(("postgresql://", "postgres://")):
        return []
    data_dir = Path(database()).resolve().parent
    keys = {"pseudonym": pseudonym_key_path(), "sesi": Path(get("session_key_path"))}
    return [name for name, p in keys.items() if p.exists() and p.resolve().parent == data_dir]
