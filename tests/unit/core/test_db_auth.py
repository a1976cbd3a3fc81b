"""Database (migrations, damaged files, audited all-or-nothing writes, concurrency) and roles."""

import threading
from pathlib import Path

import duckdb
import pytest

from analytics.core import auth
from analytics.core.db import Database, DatabaseError
from analytics.core.migrations import LATEST
from analytics.demo import build as demo_build


def test_fresh_database_is_at_latest_schema(tmp_path: Path) -> None:
    db = Database(tmp_path / "x.duckdb")
    assert db.schema_version() == LATEST
    assert db.migrate() == []  # idempotent


def test_older_schema_is_upgraded_without_losing_data(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    old = Database(path, migrate=False)
    old.migrate(upto=1)
    old.con.execute("INSERT INTO commodities VALUES ('kopi','Kopi','Coffee','perkebunan','ton',NULL)")
    assert old.schema_version() == 1
    old.close()
    db = Database(path)
    assert db.schema_version() == LATEST
    assert db.scalar("SELECT nama FROM commodities WHERE kode='kopi'") == "Kopi"
    assert db.scalar("SELECT count(*) FROM users") == 0


def test_damaged_file_gives_clear_indonesian_message(tmp_path: Path) -> None:
    path = tmp_path / "rusak.duckdb"
    path.write_bytes(b"ini bukan basis data" * 500)
    with pytest.raises(DatabaseError) as err:
        Database(path)
    msg = str(err.value)
    assert "rusak.duckdb" in msg and "tidak dapat dibuka" in msg


def test_truncated_real_database_gives_clear_message(built_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "potong.duckdb"
    path.write_bytes(built_db.read_bytes()[:20000])
    with pytest.raises(DatabaseError) as err:
        Database(path)
    assert "potong.duckdb" in str(err.value)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "baru.duckdb"
    db = Database(path)
    db.con.execute("INSERT INTO schema_version VALUES (?, now(), 'from the future')", [LATEST + 1])
    db.close()
    with pytest.raises(DatabaseError, match="lebih baru"):
        Database(path)


def test_foreign_duckdb_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lain.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE t (x INTEGER)")
    con.close()
    with pytest.raises(DatabaseError, match="bukan basis data Perantara"):
        Database(path)


def test_failed_write_changes_nothing_and_is_not_audited(db_copy: Path) -> None:
    db = Database(db_copy)
    before = db.table_checksums()
    audit_before = db.scalar("SELECT count(*) FROM audit_log")

    def bad(cur: duckdb.DuckDBPyConnection) -> None:
        cur.execute("DELETE FROM indicators")
        raise ValueError("gagal di tengah")

    with pytest.raises(ValueError):
        db.write("tester", "hapus", "semua indikator", bad)
    assert db.table_checksums() == before
    assert db.scalar("SELECT count(*) FROM audit_log") == audit_before


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    db = Database(tmp_path / "c.duckdb")
    n_threads, n_writes = 20, 25

    def worker(i: int) -> None:
        for j in range(n_writes):
            db.write(f"user{i}", "test.insert", f"{i}-{j}", lambda cur, i=i, j=j: cur.execute(
                "INSERT INTO commodities VALUES (?, ?, ?, 'x', 'kg', NULL)", [f"c{i}_{j}", "n", "n"]))
            db.query("SELECT count(*) FROM commodities")  # reads interleave on their own cursors

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert db.scalar("SELECT count(*) FROM commodities") == n_threads * n_writes
    assert db.scalar("SELECT count(*) FROM audit_log WHERE action='test.insert'") == n_threads * n_writes


def test_rebuild_demo_is_admin_only(db_copy: Path) -> None:
    # a refused rebuild changes nothing; the admin's rebuild, identical rows and its audit line are checked
    # where an admin does it, on the Data page (tests/app/test_pages.py)
    db = Database(db_copy)
    before = db.table_checksums()
    for role in ("viewer", "perencana", "pokja", "pemantau", None):
        with pytest.raises(auth.PermissionDenied):
            demo_build.rebuild_demo(db, role, "x")
    assert db.table_checksums() == before


def test_roles_in_navigation_guard_and_data_layer(db_copy: Path) -> None:
    common = ["beranda", "peta", "sasaran", "sumber", "lokakarya", "peserta", "rantai", "bisnis", "hasil", "pci",
              "adkar", "pimpinan", "replikasi"]
    assert [p.id for p in auth.pages_for("viewer")] == common
    assert [p.id for p in auth.pages_for("perencana")] == common + ["impor"]
    assert [p.id for p in auth.pages_for("admin")] == common + ["impor", "data", "pengguna"]
    assert not auth.can_view("pokja", "impor") and auth.can_view("perencana", "impor")
    assert [p.id for p in auth.pages_for(None)] == ["peserta"]  # a participant without an account
    assert not auth.can_view("perencana", "data") and auth.can_view("admin", "data")
    db = Database(db_copy)
    from analytics.core import store as core_store
    with pytest.raises(auth.PermissionDenied, match="tidak berwenang"):
        core_store.audit_tail(db, "perencana")
    with pytest.raises(auth.PermissionDenied):
        auth.list_users(db, "pokja")


def test_accounts(db_copy: Path) -> None:
    db = Database(db_copy)
    assert auth.ensure_first_admin(db) is None  # the build made one already
    stored = db.scalar("SELECT password_hash FROM users WHERE username='admin'")
    assert stored.startswith("scrypt$") and len(stored) > 60
    auth.create_user(db, "admin", "admin", "sari", "pemantau", "kuatsekali")
    assert auth.authenticate(db, "sari", "kuatsekali") == "pemantau"
    assert auth.authenticate(db, "sari", "salah") is None
    with pytest.raises(ValueError, match="sudah dipakai"):
        auth.create_user(db, "admin", "admin", "sari", "viewer", "kuatsekali")
    with pytest.raises(ValueError, match="minimal 10"):
        auth.create_user(db, "admin", "admin", "andi", "viewer", "pendek")
    with pytest.raises(ValueError, match="tidak dikenal"):
        auth.create_user(db, "admin", "admin", "andi", "raja", "kuatsekali")
    auth.set_active(db, "admin", "admin", "sari", False)
    assert auth.authenticate(db, "sari", "kuatsekali") is None
    with pytest.raises(ValueError, match="terakhir"):
        auth.set_active(db, "admin", "admin", "admin", False)
    new = auth.reset_password(db, "admin", "admin", "sari")
    auth.set_active(db, "admin", "admin", "sari", True)
    assert auth.authenticate(db, "sari", new) == "pemantau"


def test_first_admin_is_created_once_with_a_printed_password(tmp_path: Path, capsys, built_db: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # the areas come from the session's built database (their geometry is tested where it is made)
    con = duckdb.connect(str(built_db), read_only=True)
    frame = con.execute("SELECT * FROM areas").df()
    con.close()
    monkeypatch.setattr(demo_build, "national_frame", lambda: frame)
    monkeypatch.setattr(demo_build, "rebuild_demo", lambda *_a, **_k: None)  # the demo layer: tested apart
    path = tmp_path / "p.duckdb"
    demo_build.build(path)
    out = capsys.readouterr().out
    assert "kata sandi:" in out
    password = out.split("kata sandi:")[1].split()[0]
    db = Database(path)
    assert auth.authenticate(db, "admin", password) == "admin"
    assert auth.ensure_first_admin(db) is None



def test_password_rules_and_user_names(db_copy: Path) -> None:
    db = Database(db_copy)
    for user, password, why in [("andi", "123456789", "minimal 10 karakter"), ("andi", " " * 12, "hanya berisi spasi"),
                                ("andi_tani01", "Andi_Tani01", "sama dengan nama pengguna"),
                                ("andi", "Bappeda2025", "terlalu umum"), ("andi", "katasandi123", "terlalu umum")]:
        with pytest.raises(ValueError, match=why):
            auth.create_user(db, "admin", "admin", user, "viewer", password)
    with pytest.raises(ValueError, match="ASCII"):
        auth.create_user(db, "admin", "admin", "sári", "viewer", "kebun kopi lereng")
    # full-width letters are the same name as their ASCII form (NFKC), and sign in either way
    auth.create_user(db, "admin", "admin", "ｓａｒｉ", "pemantau", "kebun kopi lereng")
    assert db.scalar("SELECT count(*) FROM users WHERE username = 'sari'") == 1
    assert auth.authenticate(db, " sari ", "kebun kopi lereng") == "pemantau"
    assert auth.authenticate(db, "ｓａｒｉ", "kebun kopi lereng") == "pemantau"
    with pytest.raises(ValueError, match="sudah dipakai"):
        auth.create_user(db, "admin", "admin", "sari", "viewer", "kebun kopi lereng")


def test_login_throttles_per_name_and_per_client_and_audits_every_attempt(db_copy: Path) -> None:
    from datetime import datetime, timedelta

    db = Database(db_copy)
    auth.create_user(db, "admin", "admin", "sari", "pemantau", "kebun kopi lereng")
    auth.create_user(db, "admin", "admin", "budi", "viewer", "sawah padi subur")
    t0 = datetime(2026, 11, 30, 9, 0)
    for i in range(5):  # five wrong passwords for sari from one client, a minute apart
        assert auth.login(db, "sari", "salah", "10.0.0.1", t0 + timedelta(minutes=i)) == auth.Login(None)
    # the sixth, even with the right password, is refused until 09:15 (the first failure + 15 minutes)
    locked = auth.login(db, "sari", "kebun kopi lereng", "10.0.0.9", t0 + timedelta(minutes=5))
    assert locked == auth.Login(None, datetime(2026, 11, 30, 9, 15))
    # the client that failed five times is locked for everyone; budi from another client is not
    assert auth.login(db, "budi", "sawah padi subur", "10.0.0.1", t0 + timedelta(minutes=6)).locked_until == \
        datetime(2026, 11, 30, 9, 15)
    assert auth.login(db, "budi", "sawah padi subur", "10.0.0.2", t0 + timedelta(minutes=6)) == auth.Login("viewer")
    # refused-while-locked attempts do not extend the lock: at 09:15 four failures remain in the window
    assert auth.login(db, "sari", "kebun kopi lereng", "10.0.0.9", t0 + timedelta(minutes=15)) == \
        auth.Login("pemantau")
    audit = db.query("SELECT actor, action, detail FROM audit_log WHERE action LIKE 'login.%' ORDER BY id")
    assert audit["action"].tolist() == ["login.fail"] * 5 + ["login.locked", "login.locked", "login.ok", "login.ok"]
    assert audit["actor"].tolist() == ["sari"] * 6 + ["budi", "budi", "sari"]
    assert audit["detail"].iloc[0] == "klien 10.0.0.1"


def test_unknown_names_cost_the_same_work_and_deactivation_takes_effect(db_copy: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database(db_copy)
    auth.create_user(db, "admin", "admin", "sari", "pemantau", "kebun kopi lereng")
    calls = []
    real = auth.verify_password
    monkeypatch.setattr(auth, "verify_password", lambda p, h: calls.append(h) or real(p, h))
    assert auth.authenticate(db, "tidak_ada", "kebun kopi lereng") is None
    assert auth.authenticate(db, "sari", "salah") is None
    assert len(calls) == 2 and all(h.startswith("scrypt$16384$8$1$") for h in calls)  # one scrypt each
    assert auth.current_role(db, "sari") == "pemantau"
    auth.set_active(db, "admin", "admin", "sari", False)
    assert auth.current_role(db, "sari") is None and auth.current_role(db, None) is None


def test_a_new_database_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    import stat

    path = tmp_path / "baru.duckdb"
    Database(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_session_survives_until_it_expires_ends_or_its_account_is_closed(db_copy: Path) -> None:
    from datetime import datetime, timedelta

    db = Database(db_copy)
    auth.create_user(db, "admin", "admin", "sari", "pemantau", "kebun kopi lereng")
    t0 = datetime(2026, 11, 30, 9, 0)
    token = auth.start_session(db, "sari", t0)
    nonce, stamp, sig = token.split(".")
    assert int(stamp) == int(datetime(2026, 11, 30, 21, 0).timestamp())  # 12 hours, the default
    assert auth.session_user(db, token, t0 + timedelta(hours=11, minutes=59)) == "sari"
    assert auth.session_user(db, token, t0 + timedelta(hours=12)) is None  # expired
    # a longer expiry, another signature, a made-up nonce or garbage: refused
    later = str(int(stamp) + 86400)
    flipped = sig[:-1] + ("0" if sig[-1] != "0" else "1")
    for bad in (f"{nonce}.{later}.{sig}", f"{nonce}.{stamp}.{flipped}", f"x{nonce}.{stamp}.{sig}", None, "",
                "a.b.c", "...", "1.2", token + ".1", "x" * 500, f"{nonce}.-5.{sig}"):
        assert auth.session_user(db, bad, t0) is None, bad
    # signing out ends it in the store, so the same cookie is then worthless
    auth.end_session(db, token, t0 + timedelta(hours=1))
    assert auth.session_user(db, token, t0 + timedelta(hours=1)) is None
    auth.end_session(db, token, t0 + timedelta(hours=2))  # twice: nothing more happens
    # a deactivated account or a reset password ends every session of that user
    second, third = auth.start_session(db, "sari", t0), auth.start_session(db, "sari", t0)
    auth.reset_password(db, "admin", "admin", "sari")
    assert auth.session_user(db, second, t0) is None and auth.session_user(db, third, t0) is None
    fourth = auth.start_session(db, "sari", t0)
    auth.set_active(db, "admin", "admin", "sari", False)
    assert auth.session_user(db, fourth, t0) is None
    auth.set_active(db, "admin", "admin", "sari", True)
    assert auth.session_user(db, fourth, t0) == "sari"  # a session of a reactivated account, not ended, lives
    audit = db.query("SELECT action FROM audit_log WHERE action LIKE 'session.%' ORDER BY id")["action"].tolist()
    assert audit == ["session.start", "session.end", "session.start", "session.start", "session.start"]


def test_secret_keys_live_apart_from_the_data_and_an_old_key_is_kept(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import stat

    from analytics.core import settings

    key = tmp_path / "conf" / "perantara" / "k.key"
    first = settings.secret_key(key)
    assert len(first) == 32 and settings.secret_key(key) == first
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    key.write_bytes(b"")
    with pytest.raises(ValueError, match="k.key terlalu pendek"):
        settings.secret_key(key)
    # the default is the user's configuration folder, not data/
    assert settings.KEY_DIR.parts[-1] == "perantara" and settings.ROOT / "data" not in settings.KEY_DIR.parents
    # an installation that already has data/pseudonym.key keeps it (a new key would break linkage)...
    legacy = tmp_path / "data" / "pseudonym.key"
    legacy.parent.mkdir()
    legacy.write_bytes(b"k" * 32)
    monkeypatch.setattr(settings, "LEGACY_PSEUDONYM_KEY", legacy)
    monkeypatch.delenv("PERANTARA_PSEUDONYM_KEY_PATH")
    monkeypatch.setattr(settings, "KEY_DIR", tmp_path / "elsewhere")
    monkeypatch.setattr(settings, "_BY_NAME", {**settings._BY_NAME, "pseudonym_key_path": settings.Setting(
        "pseudonym_key_path", str(tmp_path / "elsewhere" / "pseudonym.key"), "")})
    assert settings.pseudonym_key_path() == legacy
    # ... and the admin is warned that it sits beside the database
    monkeypatch.setenv("PERANTARA_DB_PATH", str(tmp_path / "data" / "perantara.duckdb"))
    assert settings.keys_beside_data() == ["pseudonym"]
    # once an administrator moves it, the new place wins and the warning goes
    (tmp_path / "elsewhere").mkdir()
    legacy.rename(tmp_path / "elsewhere" / "pseudonym.key")
    assert settings.pseudonym_key_path() == tmp_path / "elsewhere" / "pseudonym.key"
    assert settings.keys_beside_data() == []


def test_processes_starting_together_share_one_whole_secret_key(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from analytics.core import settings

    key = tmp_path / "kunci" / "sesi.key"
    with ThreadPoolExecutor(8) as pool:
        keys = list(pool.map(lambda _: settings.secret_key(key), range(16)))
    assert len(set(keys)) == 1 and len(keys[0]) == 32
    assert [p.name for p in key.parent.iterdir()] == ["sesi.key"]  # no temporary file left behind
