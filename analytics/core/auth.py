"""Roles, accounts and permissions.

Roles are enforced three times: the navigation list (:func:`pages_for`), a guard at the top of every
page (:func:`can_view`), and the data layer (:func:`require`, called by every function that writes or
reads protected data).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from analytics.core import settings
from analytics.core.db import Database

Role = Literal["viewer", "perencana", "pokja", "pemantau", "admin"]
ROLES: tuple[Role, ...] = ("viewer", "perencana", "pokja", "pemantau", "admin")
ALL: frozenset[str] = frozenset(ROLES)


class PermissionDenied(PermissionError):
    """An action refused for the user's role (message in Bahasa Indonesia)."""


# action -> roles allowed
ACTIONS: dict[str, frozenset[str]] = {
    "view_overview": ALL,
    "view_data_status": frozenset({"admin"}),
    "rebuild_demo": frozenset({"admin"}),
    "manage_users": frozenset({"admin"}),
    "view_audit": frozenset({"admin"}),
    "edit_shortlist": frozenset({"perencana", "admin"}),
    "view_small_cells": frozenset({"perencana", "admin"}),
    "import_data": frozenset({"perencana", "admin"}),
    "facilitate_workshop": frozenset({"perencana", "pokja", "admin"}),
    "edit_chain": frozenset({"perencana", "pokja", "admin"}),
    "edit_business": frozenset({"perencana", "pokja", "admin"}),
    "edit_monitoring": frozenset({"perencana", "pokja", "pemantau", "admin"}),
    "import_monitoring": frozenset({"perencana", "pemantau", "admin"}),
    "edit_replication": frozenset({"perencana", "admin"}),
}


@dataclass(frozen=True)
class PageSpec:
    """A page of the app: its id, file, title key (i18n), icon, menu section, allowed roles and the
    stage of the keperantaraan process it belongs to (1 Persiapan ... 4 Implementasi; 0 = none)."""

    id: str
    path: str
    title_key: str
    icon: str
    section_key: str
    roles: frozenset[str]
    stage: int = 0
    public: bool = False  # open without an account too (a workshop participant's phone)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("beranda", "pages/beranda.py", "page.beranda", ":material/home:", "section.umum", ALL),
    PageSpec("peta", "pages/peta.py", "page.peta", ":material/map:", "section.kemiskinan", ALL, stage=1),
    PageSpec("sasaran", "pages/sasaran.py", "page.sasaran", ":material/groups:", "section.kemiskinan", ALL,
             stage=1),
    PageSpec("sumber", "pages/sumber.py", "page.sumber", ":material/compare_arrows:", "section.kemiskinan", ALL,
             stage=1),
    PageSpec("lokakarya", "pages/lokakarya.py", "page.lokakarya", ":material/how_to_vote:", "section.komoditas",
             ALL, stage=2),
    PageSpec("peserta", "pages/peserta.py", "page.peserta", ":material/smartphone:", "section.komoditas", ALL,
             stage=2, public=True),  # participants join with the code and their link, without an account
    PageSpec("rantai", "pages/rantai.py", "page.rantai", ":material/account_tree:", "section.komoditas", ALL,
             stage=2),
    PageSpec("bisnis", "pages/bisnis.py", "page.bisnis", ":material/handshake:", "section.intervensi", ALL,
             stage=3),
    PageSpec("hasil", "pages/hasil.py", "page.hasil", ":material/flag:", "section.implementasi", ALL, stage=4),
    PageSpec("pci", "pages/pci.py", "page.pci", ":material/grading:", "section.implementasi", ALL, stage=4),
    PageSpec("adkar", "pages/adkar.py", "page.adkar", ":material/psychology:", "section.implementasi", ALL, stage=4),
    PageSpec("pimpinan", "pages/pimpinan.py", "page.pimpinan", ":material/dashboard:", "section.implementasi", ALL,
             stage=4),
    PageSpec("replikasi", "pages/replikasi.py", "page.replikasi", ":material/fact_check:", "section.implementasi",
             ALL, stage=4),
    PageSpec("impor", "pages/impor.py", "page.impor", ":material/upload_file:", "section.datamasuk",
             frozenset({"perencana", "admin"}), stage=1),
    PageSpec("data", "pages/data.py", "page.data", ":material/database:", "section.admin",
             frozenset({"admin"})),
    PageSpec("pengguna", "pages/pengguna.py", "page.pengguna", ":material/group:", "section.admin",
             frozenset({"admin"})),
)


def can(role: str | None, action: str) -> bool:
    """Whether ``role`` may perform ``action``."""
    return role is not None and role in ACTIONS[action]


def require(role: str | None, action: str) -> None:
    """Raise :class:`PermissionDenied` unless ``role`` may perform ``action``."""
    if not can(role, action):
        raise PermissionDenied(
            f"Peran '{role or 'tamu'}' tidak berwenang untuk tindakan ini ({action}).")


def can_view(role: str | None, page_id: str) -> bool:
    """Whether ``role`` may open page ``page_id`` (without an account, ``role`` None: public pages only)."""
    spec = next((p for p in PAGES if p.id == page_id), None)
    return spec is not None and (spec.public if role is None else role in spec.roles)


def pages_for(role: str | None) -> list[PageSpec]:
    """The pages listed in the navigation for ``role``, in order."""
    return [p for p in PAGES if can_view(role, p.id)]


# ---------------------------------------------------------------------- passwords
_N, _R, _P = 2**14, 8, 1


def hash_password(password: str, salt: bytes | None = None) -> str:
    """Salted scrypt hash, stored as ``scrypt$n$r$p$salt$hash`` (hex).

    >>> h = hash_password("rahasia", salt=b"0123456789abcdef")
    >>> h.startswith("scrypt$16384$8$1$")
    True
    >>> verify_password("rahasia", h), verify_password("salah", h)
    (True, False)
    """
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Check ``password`` against a hash made by :func:`hash_password` (constant-time compare)."""
    try:
        algo, n, r, p, salt_hex, digest_hex = stored.split("$")
    except ValueError:
        return False
    if algo != "scrypt":
        return False
    digest = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt_hex), n=int(n), r=int(r),
                            p=int(p), dklen=len(digest_hex) // 2)
    return hmac.compare_digest(digest.hex(), digest_hex)


MIN_PASSWORD = 10
COMMON_PASSWORDS: frozenset[str] = frozenset({
    "1234567890", "12345678910", "0123456789", "1111111111", "0000000000", "1234512345", "qwertyuiop",
    "password123", "password1234", "passw0rd123", "katasandi", "katasandi123", "rahasia123", "rahasiaku",
    "indonesia123", "indonesia1945", "merdeka1945", "bismillah", "bismillah123", "admin12345", "administrator",
    "adminadmin", "perantara", "perantara123", "bappeda123", "bappeda2024", "bappeda2025", "iloveyou123",
    "sayangku123", "qwerty12345", "asdfghjkl", "abcdefghij", "abc1234567", "jakarta123", "surabaya123",
})
"""Passwords refused even at full length: the first guesses of anyone trying (lower case compared)."""


def normalise_username(username: str) -> str:
    """A user name as stored and compared: Unicode NFKC (full-width letters become ASCII), no outer spaces.

    >>> normalise_username("  ｓａｒｉ ")
    'sari'
    """
    return unicodedata.normalize("NFKC", username or "").strip()


def password_problem(username: str, password: str) -> str | None:
    """Why a new password is refused (Bahasa Indonesia), or None when it is acceptable.

    >>> password_problem("sari", "pendek"), password_problem("sari", "kebun kopi lereng")
    ('Kata sandi minimal 10 karakter.', None)
    """
    if not password.strip():
        return "Kata sandi tidak boleh hanya berisi spasi."
    if len(password) < MIN_PASSWORD:
        return f"Kata sandi minimal {MIN_PASSWORD} karakter."
    if password.strip().lower() == normalise_username(username).lower():
        return "Kata sandi tidak boleh sama dengan nama pengguna."
    if password.lower() in COMMON_PASSWORDS:
        return "Kata sandi ini terlalu umum (mudah ditebak); pilih yang lain."
    return None


def _validate_new_user(username: str, role: str, password: str) -> None:
    if not username or not username.isascii() or not username.replace("_", "").replace(".", "").isalnum():
        raise ValueError("Nama pengguna hanya boleh berisi huruf dan angka ASCII (a-z, 0-9), titik dan garis bawah.")
    if role not in ROLES:
        raise ValueError(f"Peran '{role}' tidak dikenal; pilih salah satu: {', '.join(ROLES)}.")
    problem = password_problem(username, password)
    if problem:
        raise ValueError(problem)


def create_user(db: Database, actor_role: str | None, actor: str, username: str, role: str,
                password: str) -> None:
    """Create an account (admin only)."""
    require(actor_role, "manage_users")
    username = normalise_username(username)
    _validate_new_user(username, role, password)
    if db.scalar("SELECT count(*) FROM users WHERE username = ?", [username]):
        raise ValueError(f"Nama pengguna '{username}' sudah dipakai.")
    db.write(actor, "user.create", f"{username} ({role})", lambda cur: cur.execute(
        "INSERT INTO users VALUES (?, ?, ?, ?, TRUE)",
        [username, role, hash_password(password), datetime.now()]))


def set_active(db: Database, actor_role: str | None, actor: str, username: str, active: bool) -> None:
    """Activate or deactivate an account (admin only; the last active admin stays)."""
    require(actor_role, "manage_users")
    if not active and db.scalar("SELECT role FROM users WHERE username = ?", [username]) == "admin":
        n = db.scalar("SELECT count(*) FROM users WHERE role='admin' AND active")
        if n <= 1:
            raise ValueError("Admin aktif terakhir tidak boleh dinonaktifkan.")
    db.write(actor, "user.active" if active else "user.inactive", username, lambda cur: cur.execute(
        "UPDATE users SET active = ? WHERE username = ?", [active, username]))


def reset_password(db: Database, actor_role: str | None, actor: str, username: str) -> str:
    """Give an account a new random password (admin only) and return it, to be shown once. The account's
    open sessions end (whoever knew the old password is signed out)."""
    require(actor_role, "manage_users")
    if not db.scalar("SELECT count(*) FROM users WHERE username = ?", [username]):
        raise ValueError(f"Pengguna '{username}' tidak ada.")
    password = secrets.token_urlsafe(9)

    def reset(cur) -> None:
        cur.execute("UPDATE users SET password_hash = ? WHERE username = ?", [hash_password(password), username])
        cur.execute("UPDATE sessions SET ended_at = ? WHERE username = ? AND ended_at IS NULL",
                    [datetime.now(), username])

    db.write(actor, "user.reset_password", username, reset)
    return password


# a hash nobody's password matches: an unknown user name costs the same scrypt work as a known one
_NO_ACCOUNT = hash_password(secrets.token_urlsafe(16))


def authenticate(db: Database, username: str, password: str) -> str | None:
    """The role of an active account whose password matches, else None (the same work either way)."""
    row = db.query("SELECT role, password_hash FROM users WHERE username = ? AND active",
                   [normalise_username(username)])
    stored = _NO_ACCOUNT if row.empty else str(row["password_hash"].iloc[0])
    if not verify_password(password, stored) or row.empty:
        return None
    return str(row["role"].iloc[0])


def current_role(db: Database, username: str | None) -> str | None:
    """The role of a signed-in account as the database has it now (None once it is deactivated or gone):
    read on every run, so an admin's change takes effect at the user's next click."""
    if not username:
        return None
    row = db.query("SELECT role FROM users WHERE username = ? AND active", [username])
    return None if row.empty else str(row["role"].iloc[0])


MAX_FAILURES = 5
LOCK_MINUTES = 15


@dataclass(frozen=True)
class Login:
    """The outcome of a sign-in: the role (None = refused) and, when refused for too many failures, until
    when."""

    role: str | None
    locked_until: datetime | None = None


def _failures(db: Database, column: Literal["username", "client"], value: str, since: datetime) -> list[datetime]:
    rows = db.query(f"SELECT ts FROM login_attempts WHERE NOT ok AND {column} = ? AND ts > ? ORDER BY ts",
                    [value, since])
    return [t.to_pydatetime() for t in rows["ts"]]


def login(db: Database, username: str, password: str, client: str, now: datetime | None = None) -> Login:
    """Sign in with throttling: once a user name, or a client, has :data:`MAX_FAILURES` failures within
    :data:`LOCK_MINUTES` minutes, further attempts are refused (the password not even checked) until the
    window holds fewer. Every attempt is audited; refused-while-locked ones do not extend the lock. The
    user name is normalised and cut to 64 characters."""
    now = now or datetime.now()
    name = normalise_username(username)[:64] or "?"
    client = (client or "?")[:64]
    since = now - timedelta(minutes=LOCK_MINUTES)
    until = [fails[-MAX_FAILURES] + timedelta(minutes=LOCK_MINUTES)
             for fails in (_failures(db, "username", name, since), _failures(db, "client", client, since))
             if len(fails) >= MAX_FAILURES]
    role = None if until else authenticate(db, name, password)

    def record(cur) -> None:
        if not until:
            cur.execute("INSERT INTO login_attempts VALUES (?, ?, ?, ?)", [now, name, client, role is not None])

    db.write(name, "login.ok" if role else ("login.locked" if until else "login.fail"), f"klien {client}", record)
    return Login(role, max(until) if until else None)


SESSION_COOKIE = "perantara_sesi"


def _session_key() -> bytes:
    return settings.secret_key(Path(settings.get("session_key_path")))


def _signature(nonce: str, expires: int) -> str:
    return hmac.new(_session_key(), f"{nonce}.{expires}".encode(), hashlib.sha256).hexdigest()[:32]


def start_session(db: Database, username: str, now: datetime | None = None) -> str:
    """Open a sign-in session for ``username`` and return the cookie value ``nonce.expires.signature``:
    the expiry is signed with the server's session key (a changed expiry or a made-up token fails), and
    the nonce's hash is stored so that signing out or deactivating the account ends the session at once.
    Expired and ended sessions of the user are cleared on the way."""
    now = now or datetime.now()
    expires = now + timedelta(hours=settings.get_int("session_hours"))
    nonce = secrets.token_urlsafe(24)
    stamp = int(expires.timestamp())

    def store(cur) -> None:
        cur.execute("DELETE FROM sessions WHERE username = ? AND (expires_at < ? OR ended_at IS NOT NULL)",
                    [username, now])
        cur.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, NULL)",
                    [hashlib.sha256(nonce.encode()).hexdigest(), username, now, expires])

    db.write(username, "session.start", f"berlaku sampai {expires:%Y-%m-%d %H:%M}", store)
    return f"{nonce}.{stamp}.{_signature(nonce, stamp)}"


def _session_row(token: str | None, now: datetime) -> str | None:
    """The stored hash of a well-formed, correctly signed, unexpired token, else None."""
    parts = (token or "").split(".")
    if len(parts) != 3 or not parts[1].isdigit() or len(token or "") > 200:
        return None
    nonce, stamp, sig = parts
    if not hmac.compare_digest(sig, _signature(nonce, int(stamp))) or int(stamp) <= now.timestamp():
        return None
    return hashlib.sha256(nonce.encode()).hexdigest()


def session_user(db: Database, token: str | None, now: datetime | None = None) -> str | None:
    """The user name of a live session: the token is signed by this server, not expired, not ended, and
    its account is active. None otherwise (the caller shows the sign-in page)."""
    now = now or datetime.now()
    token_hash = _session_row(token, now)
    if token_hash is None:
        return None
    row = db.query("""SELECT s.username FROM sessions s JOIN users u USING (username)
                      WHERE s.token_hash = ? AND s.ended_at IS NULL AND s.expires_at > ? AND u.active""",
                   [token_hash, now])
    return None if row.empty else str(row["username"].iloc[0])


def end_session(db: Database, token: str | None, now: datetime | None = None) -> None:
    """Sign out: the session ends in the store, so the cookie is worthless even if the browser keeps it."""
    now = now or datetime.now()
    token_hash = _session_row(token, now)
    if token_hash is None:
        return
    row = db.query("SELECT username FROM sessions WHERE token_hash = ? AND ended_at IS NULL", [token_hash])
    if row.empty:
        return
    db.write(str(row["username"].iloc[0]), "session.end", "keluar", lambda cur: cur.execute(
        "UPDATE sessions SET ended_at = ? WHERE token_hash = ?", [now, token_hash]))


def ensure_first_admin(db: Database) -> str | None:
    """Create the first admin account if there is none; return its password (print it once) or None."""
    if db.scalar("SELECT count(*) FROM users WHERE role = 'admin'"):
        return None
    password = secrets.token_urlsafe(12)
    db.write("sistem", "user.create", "admin (admin) — akun admin pertama", lambda cur: cur.execute(
        "INSERT INTO users VALUES ('admin', 'admin', ?, ?, TRUE)",
        [hash_password(password), datetime.now()]))
    return password


def list_users(db: Database, actor_role: str | None):  # -> pd.DataFrame
    """Accounts without their password hashes (admin only)."""
    require(actor_role, "manage_users")
    return db.query("SELECT username, role, active, created_at FROM users ORDER BY username")


# ---------------------------------------------------------------------- shared secret keys
def _key_paths() -> dict[str, Path]:
    return {"pseudonym": settings.pseudonym_key_path(), "sesi": Path(settings.get("session_key_path"))}


def key_fingerprint(key: bytes) -> str:
    """A short fingerprint of a secret key: an HMAC of a fixed text under it (equal keys, equal prints;
    the print does not reveal the key).

    >>> key_fingerprint(bytes(32)) == key_fingerprint(bytes(32)) != key_fingerprint(bytes(31) + b"1")
    True
    """
    return hmac.new(key, b"perantara:sidik-kunci", hashlib.sha256).hexdigest()[:20]


def differing_keys(db: Database) -> list[str]:
    """The secret keys of this server (``pseudonym``, ``sesi``) that differ from those the database was
    first used with. Several app servers over one PostgreSQL database must share both keys: with another
    session key a user moved to this server is signed out, with another pseudonym key a register imported
    here would not link to earlier ones."""
    stored = dict(db.query("SELECT name, fingerprint FROM key_fingerprints").itertuples(index=False))
    return [name for name, path in _key_paths().items()
            if name in stored and path.exists() and key_fingerprint(settings.secret_key(path)) != stored[name]]


def record_keys(db: Database) -> list[str]:
    """Record the fingerprints of this server's keys (made now if missing) that the database has not seen
    yet: the first server to use the database sets them. Returns :func:`differing_keys`."""
    stored = set(db.query("SELECT name FROM key_fingerprints")["name"])
    prints = {name: key_fingerprint(settings.secret_key(path)) for name, path in _key_paths().items()}
    new = {name: fp for name, fp in prints.items() if name not in stored}
    if new:
        def store(cur) -> None:
            for name, fp in new.items():
                cur.execute("INSERT INTO key_fingerprints VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
                            [name, fp, datetime.now()])

        db.write("sistem", "keys.record", ", ".join(sorted(new)), store)
    return differing_keys(db)

