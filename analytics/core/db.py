"""All database access behind one class.

* One DuckDB connection per process; every read runs on its own cursor (``con.cursor()``), so threads
  never share one.
* Every write goes through :meth:`Database.write`: one lock, one transaction, and one row in
  ``audit_log`` (who, when, what) in the same transaction, so a failed write leaves nothing behind.
* Numbered migrations (:mod:`analytics.core.migrations`) are applied at open; an older file is upgraded, a
  newer or damaged one gives a clear message in Bahasa Indonesia (:class:`DatabaseError`).
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

from analytics.core.migrations import LATEST, MIGRATIONS

T = TypeVar("T")


class DatabaseError(RuntimeError):
    """A database problem explained for the user (message in Bahasa Indonesia)."""


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

    # ------------------------------------------------------------------ schema
    def schema_version(self) -> int:
        """Highest migration applied (0 for an empty database)."""
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
                f"Berkas basis data {self.path} dibuat oleh versi Perantara yang lebih baru (skema {v}, "
                f"aplikasi ini mengenal sampai skema {LATEST}). Perbarui aplikasi.")
        if v == 0:
            with self.cursor() as cur:
                n = cur.execute("SELECT count(*) FROM information_schema.tables").fetchone()[0]
            if n:
                raise DatabaseError(
                    f"Berkas basis data {self.path} berisi tabel tetapi tidak punya versi skema Perantara; "
                    "berkas ini bukan basis data Perantara.")
        return v

    def migrate(self, upto: int | None = None) -> list[int]:
        """Apply the missing migrations (up to ``upto``, default all); return the numbers applied."""
        current = self._check_version()
        applied: list[int] = []
        target = LATEST if upto is None else upto
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
        """A fresh cursor on the shared connection, closed afterwards."""
        cur = self.con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> pd.DataFrame:
        """Run a read query on its own cursor and return a DataFrame."""
        with self.cursor() as cur:
            return cur.execute(sql, params or []).df()

    def scalar(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        """Run a read query returning one value."""
        with self.cursor() as cur:
            row = cur.execute(sql, params or []).fetchone()
            return None if row is None else row[0]

    # ------------------------------------------------------------------ writes
    def write(self, actor: str, action: str, detail: str,
              fn: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        """Run ``fn(cursor)`` as one transaction under the writer lock, audited.

        If ``fn`` raises, the transaction is rolled back (nothing stored changes) and the error is
        re-raised.
        """
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
        with self.cursor() as cur:
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
        self.con.close()
