"""All database access behind one class.

* One DuckDB connection per process; every read runs on its own cursor (``con.cursor()``), so threads
  never share one.
* Every write goes through :meth:`Database.write`: one lock, one transaction, and one row in
  ``audit_log`` (who, when, what) in the same transaction, so a failed write leaves nothing behind.
* Numbered migrations (:mod:`analytics.core.migrations`) are applied at open; an older file is upgraded, a
  newer or damaged one gives a clear message in Bahasa Indonesia (:class:`DatabaseError`).
* The location is a DuckDB file (the default) or a ``postgresql://`` URL (the shared store of several app
  servers, :mod:`analytics.core.pg`): writes then go to PostgreSQL and reads to this server's DuckDB
  replica of it. Nothing outside this module and :mod:`analytics.core.pg` knows which.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd

from analytics.core import pg
from analytics.core.migrations import LATEST, MIGRATIONS

T = TypeVar("T")


@contextmanager
def _closing(cur: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    try:
        yield cur
    finally:
        cur.close()


class DatabaseError(RuntimeError):
    """A database problem explained for the user (message in Bahasa Indonesia)."""


def exists(location: str | Path) -> bool:
    """Whether a database is there to open: the DuckDB file exists, or the PostgreSQL database holds
    the regions (an empty one, or one only migrated, is to be filled)."""
    location = str(location)
    if not pg.is_url(location):
        return Path(location).exists()
    return pg.has_regions(location, DatabaseError)


class Database:
    """The application database (one per process).

    >>> db = Database(":memory:")
    >>> db.schema_version() == LATEST
    True
    >>> _ = db.write("tester", "contoh", "satu baris", lambda cur: cur.execute(
    ...     "INSERT INTO commodities VALUES ('x','X','X','lain','kg',NULL)"))
    >>> db.scalar("SELECT count(*) FROM audit_log")
    1
    """

    def __init__(self, path: str | Path, read_only: bool = False, migrate: bool = True) -> None:
        self.path = str(path)
        self._lock = threading.Lock()
        self._pg: pg.PgBackend | None = None
        self.read_only = read_only
        if pg.is_url(self.path):
            self._open_postgres(migrate and not read_only)
            return
        new = self.path != ":memory:" and not Path(self.path).exists()
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
            if new:
                os.chmod(self.path, 0o600)  # households' data: readable by the app's own user only
        except duckdb.IOException as exc:
            msg = str(exc)
            if "lock" in msg.lower():
                raise DatabaseError(
                    f"Berkas basis data {self.path} sedang dipakai proses lain (misalnya aplikasi yang "
                    "masih berjalan). Tutup proses itu lalu coba lagi.") from exc
            raise DatabaseError(
                f"Berkas basis data {self.path} tidak dapat dibuka: berkas rusak atau bukan basis data "
                f"DuckDB. Pindahkan atau hapus berkas itu agar basis data contoh dibangun ulang. "
                f"(Rincian: {msg.splitlines()[0]})") from exc
        except duckdb.Error as exc:
            raise DatabaseError(
                f"Berkas basis data {self.path} tidak dapat dibuka: {str(exc).splitlines()[0]}") from exc
        if migrate and not read_only:
            self.migrate()
        else:
            self._check_version()

    def _open_postgres(self, migrate: bool) -> None:
        self._pg = pg.PgBackend(self.path, DatabaseError)
        self.con = self._pg.replica
        self._check_version()
        if migrate:
            self._pg.migrate(LATEST)
        self._pg.build_replica()

    @property
    def where(self) -> str:
        """Where the data live, fit to show an administrator: the file, or the URL without its password."""
        return pg.redact(self.path)

    # ------------------------------------------------------------------ schema
    def schema_version(self) -> int:
        """Highest migration applied (0 for an empty database)."""
        if self._pg is not None:
            return self._pg.schema_version()
        with self.cursor() as cur:
            has = cur.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
            ).fetchone()[0]
            if not has:
                return 0
            v = cur.execute("SELECT max(version) FROM schema_version").fetchone()[0]
            return int(v or 0)

    def _check_version(self) -> int:
        v = self.schema_version()
        if v > LATEST:
            raise DatabaseError(
                f"Berkas basis data {pg.redact(self.path)} dibuat oleh versi Perantara yang lebih baru (skema {v}, "
                f"aplikasi ini mengenal sampai skema {LATEST}). Perbarui aplikasi.")
        if v == 0:
            if self._pg is not None:
                n = self._pg.n_tables()
            else:
                with self.cursor() as cur:
                    n = cur.execute("SELECT count(*) FROM information_schema.tables").fetchone()[0]
            if n:
                raise DatabaseError(
                    f"Berkas basis data {pg.redact(self.path)} berisi tabel tetapi tidak punya versi skema Perantara; "
                    "berkas ini bukan basis data Perantara.")
        return v

    def migrate(self, upto: int | None = None) -> list[int]:
        """Apply the missing migrations (up to ``upto``, default all); return the numbers applied."""
        current = self._check_version()
        applied: list[int] = []
        target = LATEST if upto is None else upto
        if self._pg is not None:
            with self._lock:
                return self._pg.migrate(target)
        with self._lock:
            cur = self.con.cursor()
            try:
                if current == 0:
                    cur.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                                "applied_at TIMESTAMP NOT NULL, description VARCHAR)")
                for number, description, statements in MIGRATIONS:
                    if number <= current or number > target:
                        continue
                    cur.execute("BEGIN TRANSACTION")
                    try:
                        for sql in statements:
                            cur.execute(sql)
                        cur.execute("INSERT INTO schema_version VALUES (?, ?, ?)",
                                    [number, datetime.now(), description])
                        cur.execute("COMMIT")
                    except duckdb.Error as exc:
                        cur.execute("ROLLBACK")
                        raise DatabaseError(
                            f"Pemutakhiran skema basis data ke versi {number} gagal: {exc}") from exc
                    applied.append(number)
            finally:
                cur.close()
        return applied

    # ------------------------------------------------------------------ reads
    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A fresh cursor on the shared connection (on PostgreSQL: on the replica, brought up to date
        first), closed afterwards."""
        if self._pg is not None:
            self._pg.sync()
        cur = self.con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def warm(self, background: bool = True) -> threading.Thread | None:
        """On PostgreSQL, fill this server's replica with every table a page reads, so pages opened after a
        server has started find their tables copied (the app does it once its first page is on screen).
        The household register is left out: only an import reads it, and it may hold millions of rows.
        In the ``background``: a thread, already started; otherwise done before returning (``None``).
        ``None`` on DuckDB, whose file is the data itself."""
        if self._pg is None:
            return None
        if not background:
            self._pg.warm()
            return None
        thread = threading.Thread(target=self._pg.warm, name="perantara-replica", daemon=True)
        thread.start()
        return thread

    def _read_cursor(self, sql: str) -> Any:
        """A cursor for one read query; on PostgreSQL the tables it names are brought up to date first."""
        if self._pg is not None:
            self._pg.sync(pg.tables_of(sql))
            return _closing(self.con.cursor())
        return self.cursor()

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> pd.DataFrame:
        """Run a read query on its own cursor and return a DataFrame."""
        with self._read_cursor(sql) as cur:
            return cur.execute(sql, params or []).df()

    def scalar(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        """Run a read query returning one value."""
        with self._read_cursor(sql) as cur:
            row = cur.execute(sql, params or []).fetchone()
            return None if row is None else row[0]

    # ------------------------------------------------------------------ writes
    def write(self, actor: str, action: str, detail: str,
              fn: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        """Run ``fn(cursor)`` as one transaction under the writer lock, audited.

        If ``fn`` raises, the transaction is rolled back (nothing stored changes) and the error is
        re-raised. On PostgreSQL the transaction is serializable and retried from the start when another
        server's transaction conflicts with it, so ``fn`` must only touch the database.
        """
        if self._pg is not None:
            if self.read_only:
                raise DatabaseError("Basis data dibuka hanya untuk dibaca.")
            with self._lock:
                return self._pg.write(actor, action, detail, fn)
        with self._lock:
            cur = self.con.cursor()
            try:
                cur.execute("BEGIN TRANSACTION")
                try:
                    result = fn(cur)
                    cur.execute("INSERT INTO audit_log VALUES (nextval('audit_seq'), ?, ?, ?, ?)",
                                [datetime.now(), actor, action, detail])
                    cur.execute("COMMIT")
                except BaseException:
                    cur.execute("ROLLBACK")
                    raise
                return result
            finally:
                cur.close()

    def table_checksums(self) -> dict[str, tuple[int, int]]:
        """(row count, content hash) of every user table, the audit log included: for 'nothing changed'."""
        out: dict[str, tuple[int, int]] = {}
        with self.cursor() as cur:  # on PostgreSQL, the replica just brought up to date: the same hashes
            names = [r[0] for r in cur.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema='main' "
                "ORDER BY 1").fetchall()]
            if not names:
                return out
            rows = cur.execute(" UNION ALL ".join(  # one query: DuckDB scans the tables in parallel
                f"SELECT '{name}', count(*), coalesce(sum(hash(t)), 0) FROM \"{name}\" t" for name in names)).fetchall()
        for name, n, h in rows:
            out[str(name)] = (int(n), int(h))
        return dict(sorted(out.items()))

    def close(self) -> None:
        """Close the connection."""
        if self._pg is not None:
            self._pg.close()
            return
        self.con.close()
