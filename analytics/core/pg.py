"""PostgreSQL as the shared store: the store of record for several app servers.

How the two stores divide the work, and why:

* **Writes** go to PostgreSQL, one transaction each at ``SERIALIZABLE`` isolation: two servers that read
  and update the same rows at once cannot both commit, the later one is retried from the start (so no
  update is lost), constraints and sequences are the database's. The stores' DuckDB SQL is translated by
  :mod:`analytics.core.dialect`; a frame a write registers (``cur.register``) becomes a temporary table
  filled by ``COPY``.
* **Reads** run on a DuckDB replica in each server's memory, refreshed from PostgreSQL through Arrow (the
  ADBC driver reads with PostgreSQL's binary ``COPY``) whenever a table has changed. The heavy reads
  (register aggregation over every desa, the pockets' neighbour sums, the map layers) are columnar scans
  that DuckDB runs many times faster than a row store, and the same SQL gives the same figures on both
  stores. Every table carries a change counter bumped by a statement trigger in the writing transaction,
  so a reader asks PostgreSQL one small question before each read and copies only what changed.

Nothing outside :mod:`analytics.core` knows which store is in use.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import random
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import lru_cache
from typing import Any, TypeVar

import duckdb
import numpy as np
import pandas as pd
import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv
import sqlglot
from psycopg import sql as pgsql
from psycopg.types.numeric import FloatLoader
from sqlglot import exp

from analytics.core.dialect import Translator, to_postgres
from analytics.core.migrations import MIGRATIONS

T = TypeVar("T")

CHANGES = "perantara_changes"
"""The PostgreSQL-only table of per-table change counters (not a migration: DuckDB has no need of it)."""
LOCK_KEY = 7_301_942  # advisory lock taken while migrating or filling, so two servers starting together take turns
RETRIES = 30
NOT_WARMED = frozenset({"register_households"})
"""Tables a server does not copy at start: only an import reads them (and they may hold millions of rows)."""


def is_url(path: str) -> bool:
    """Whether a database location is a PostgreSQL URL rather than a DuckDB file."""
    return path.startswith(("postgresql://", "postgres://"))


def redact(url: str) -> str:
    """A URL without its password, for messages and logs.

    >>> redact("postgresql://app:rahasia@db.example:5432/perantara")
    'postgresql://app:***@db.example:5432/perantara'
    """
    head, sep, tail = url.partition("@")
    if not sep or ":" not in head.split("//", 1)[-1]:
        return url
    scheme, _, cred = head.partition("//")
    return f"{scheme}//{cred.split(':', 1)[0]}:***@{tail}"


def connect(url: str) -> psycopg.Connection:
    """An autocommit psycopg connection whose NUMERIC results (``sum`` of integers) load as floats."""
    con = psycopg.connect(url, autocommit=True, connect_timeout=10)
    con.adapters.register_loader("numeric", FloatLoader)
    return con


_PG_TYPES = {"b": "BOOLEAN", "i": "BIGINT", "u": "BIGINT", "f": "DOUBLE PRECISION", "M": "TIMESTAMP"}


_INFERRED = {"integer": "BIGINT", "floating": "DOUBLE PRECISION", "mixed-integer-float": "DOUBLE PRECISION",
             "decimal": "DOUBLE PRECISION", "boolean": "BOOLEAN", "date": "DATE", "datetime": "TIMESTAMP",
             "datetime64": "TIMESTAMP", "bytes": "BYTEA"}


def has_regions(url: str, error: type[Exception]) -> bool:
    """Whether the PostgreSQL database at ``url`` is migrated and holds the regions, asked of PostgreSQL
    itself (no replica is made for the question)."""
    try:
        with connect(url) as con:
            if con.execute("SELECT to_regclass('public.areas') IS NULL").fetchone()[0]:
                return False
            return bool(con.execute("SELECT EXISTS (SELECT 1 FROM areas)").fetchone()[0])
    except psycopg.Error as exc:
        raise unreachable(url, exc, error) from exc


def unreachable(url: str, exc: Exception, error: type[Exception]) -> Exception:
    """The store's error saying the server at ``url`` cannot be reached, with its first line and without the
    password."""
    return error(f"Basis data PostgreSQL {redact(url)} tidak dapat dihubungi: {str(exc).strip().splitlines()[0]}")


def _pg_type(s: pd.Series) -> str:
    """The PostgreSQL type of a registered frame's column (text when unsure: an insert casts it)."""
    kind = s.dtype.kind
    if kind in _PG_TYPES:
        return _PG_TYPES[kind]
    inferred = pd.api.types.infer_dtype(s, skipna=True)
    if inferred in _INFERRED:
        return _INFERRED[inferred]
    first = s.dropna()
    if not first.empty and isinstance(first.iloc[0], list | tuple | np.ndarray):
        return "TEXT[]"
    return "TEXT"


def _cell(v: Any) -> Any:
    if v is None or v is pd.NaT or v is pd.NA:
        return None
    if isinstance(v, float) and np.isnan(v):
        return None
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, np.ndarray):
        return v.tolist()
    return v


def _csv_chunks(df: pd.DataFrame, rows: int = 200_000) -> list[bytes] | None:
    """The frame as CSV for PostgreSQL's ``COPY … (FORMAT csv)``, in chunks of ``rows`` rows, every valid
    value quoted and every missing one (None, NaN, NaT) empty; ``None`` if Arrow cannot write it."""
    try:
        table = pa.Table.from_pandas(df, preserve_index=False)
        table = pa.table([col.dictionary_decode() if pa.types.is_dictionary(col.type) else col
                          for col in (c.combine_chunks() for c in table.columns)], names=table.column_names)
        options = pacsv.WriteOptions(include_header=False, quoting_style="all_valid")
        out = []
        for start in range(0, max(table.num_rows, 1), rows):
            sink = io.BytesIO()
            pacsv.write_csv(table.slice(start, rows), sink, options)
            out.append(sink.getvalue())
        return out
    except (pa.ArrowException, TypeError, ValueError):
        return None


class PgCursor:
    """The part of DuckDB's cursor the stores' write functions use, over a psycopg cursor."""

    def __init__(self, cur: psycopg.Cursor, translate: Callable[[str], tuple[str, ...]] = to_postgres) -> None:
        self._cur = cur
        self._translate = translate
        self._temp: set[str] = set()

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> PgCursor:
        stmts = self._translate(sql)
        args: Any = dict(params) if isinstance(params, dict) else [_cell(p) for p in (params or [])]
        for stmt in stmts:
            self._cur.execute(stmt, args)
        return self

    def fetchone(self) -> tuple | None:
        return self._cur.fetchone()

    def fetchall(self) -> list[tuple]:
        return self._cur.fetchall()

    def df(self) -> pd.DataFrame:
        cols = [d.name for d in self._cur.description or []]
        return pd.DataFrame(self._cur.fetchall(), columns=cols)

    fetchdf = df

    def register(self, name: str, frame: pd.DataFrame | pa.Table) -> PgCursor:
        """A temporary table ``name`` holding the frame, dropped at the end of the transaction.

        The rows go in by one ``COPY … (FORMAT csv)`` written by Arrow's CSV writer, every valid value
        quoted and a missing one left empty, so an empty text stays empty and a missing value is NULL. A
        frame with lists or bytes, or one Arrow cannot write (a column of mixed types), goes row by row."""
        df = frame.to_pandas() if isinstance(frame, pa.Table) else frame
        cols = [str(c) for c in df.columns]
        types = [_pg_type(df[c]) for c in df.columns]
        ident = pgsql.Identifier
        self._cur.execute(pgsql.SQL("DROP TABLE IF EXISTS {}").format(ident(name)))
        self._cur.execute(pgsql.SQL("CREATE TEMP TABLE {} ({}) ON COMMIT DROP").format(
            ident(name), pgsql.SQL(", ").join(
                pgsql.SQL("{} {}").format(ident(c), pgsql.SQL(t)) for c, t in zip(cols, types,
                                                                                            strict=True))))
        chunks = None if {"TEXT[]", "BYTEA"} & set(types) else _csv_chunks(df)
        if chunks is not None:
            with self._cur.copy(pgsql.SQL("COPY {} FROM STDIN (FORMAT csv)").format(ident(name))) as cp:
                for chunk in chunks:
                    cp.write(chunk)
        else:
            with self._cur.copy(pgsql.SQL("COPY {} FROM STDIN").format(ident(name))) as cp:
                for row in df.itertuples(index=False, name=None):
                    cp.write_row([_cell(v) for v in row])
        self._temp.add(name)
        return self

    def unregister(self, name: str) -> PgCursor:
        if name in self._temp:
            self._cur.execute(pgsql.SQL("DROP TABLE IF EXISTS {}").format(pgsql.Identifier(name)))
            self._temp.discard(name)
        return self

    def close(self) -> None:
        self._cur.close()


def _install_triggers(cur: psycopg.Cursor, tables: Sequence[str]) -> None:
    cur.execute(f"CREATE TABLE IF NOT EXISTS {CHANGES} (table_name TEXT PRIMARY KEY, version BIGINT NOT NULL)")
    cur.execute(f"""CREATE OR REPLACE FUNCTION perantara_bump() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO {CHANGES} VALUES (TG_TABLE_NAME, 1)
          ON CONFLICT (table_name) DO UPDATE SET version = {CHANGES}.version + 1;
          RETURN NULL;
        END $$""")
    for t in tables:
        cur.execute(pgsql.SQL(
            "CREATE OR REPLACE TRIGGER perantara_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {} "
            "FOR EACH STATEMENT EXECUTE FUNCTION perantara_bump()").format(pgsql.Identifier(t)))
        cur.execute(f"INSERT INTO {CHANGES} VALUES (%s, 1) ON CONFLICT DO NOTHING", [t])


@lru_cache(maxsize=4096)
def tables_of(sql: str) -> frozenset[str] | None:
    """The tables a read query names (``None`` when it cannot be parsed: then every table is brought up
    to date). CTE names and registered frames are returned too; they match no stored table.

    >>> sorted(tables_of("WITH x AS (SELECT * FROM areas) SELECT * FROM x JOIN indicators USING (kode)"))
    ['areas', 'indicators', 'x']
    """
    try:
        trees = sqlglot.parse(sql, read="duckdb")
    except sqlglot.errors.SqlglotError:
        return None
    return frozenset(t.name for tree in trees if tree is not None for t in tree.find_all(exp.Table))


def user_tables(cur: Any, dialect: str) -> list[str]:
    """The application's tables (``main`` schema on DuckDB, ``public`` on PostgreSQL), sorted."""
    schema = "public" if dialect == "postgres" else "main"
    cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                + ("%s" if dialect == "postgres" else "?") + " AND table_type = 'BASE TABLE' ORDER BY 1",
                [schema])
    return [r[0] for r in cur.fetchall() if r[0] != CHANGES]


SPLIT_BLOCKS = 4096
"""A table larger than this many blocks (32 MB of 8 kB pages) is read in block ranges by several connections."""


def block_ranges(blocks: int, jobs: int) -> list[tuple[int, int | None]]:
    """Block ranges ``[lo, hi)`` covering a table of ``blocks`` blocks: one range (the whole table) for a
    small table, else up to ``jobs`` ranges of at least :data:`SPLIT_BLOCKS` each. The last range is open
    (``hi`` is ``None``), so rows in blocks added after the size was read are not left out."""
    n = max(1, min(jobs, blocks // SPLIT_BLOCKS))
    step = -(-blocks // n) if n > 1 else 0
    return [(i * step, (i + 1) * step if i < n - 1 else None) for i in range(n)]


def _fetch(acur: Any, sql: str) -> pa.Table:
    acur.execute(sql)
    return acur.fetch_arrow_table()


class PgBackend:
    """One server's link to the shared PostgreSQL store and its DuckDB replica."""

    def __init__(self, url: str, error: type[Exception]) -> None:
        self.url = url
        self.error = error
        try:
            self.con = connect(url)
            self.wcon = connect(url)
        except psycopg.Error as exc:
            raise unreachable(url, exc, error) from exc
        self.replica = duckdb.connect(":memory:")
        self._reader: Any = None  # the ADBC connection the replica's copies are read on (opened at first use)
        self._seen: dict[str, int] = {}
        self._sync_lock = threading.Lock()
        self._pg_lock = threading.Lock()  # the reading connection
        self.jobs = max(2, min(4, os.cpu_count() or 2))  # connections that copy tables into the replica at once
        self._wlock = threading.Lock()  # the writing connection

    # ------------------------------------------------------------------ schema
    def schema_version(self) -> int:
        with self._pg_lock:
            has = self.con.execute("SELECT to_regclass('public.schema_version') IS NOT NULL").fetchone()[0]
            if not has:
                return 0
            return int(self.con.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0)

    def n_tables(self) -> int:
        with self._pg_lock:
            return int(self.con.execute("SELECT count(*) FROM information_schema.tables "
                                        "WHERE table_schema = 'public'").fetchone()[0])

    def migrate(self, target: int) -> list[int]:
        """Apply the missing migrations in one transaction, under an advisory lock."""
        applied: list[int] = []
        with self._wlock, self.wcon.transaction():
            cur = self.wcon.cursor()
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
            cur.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                        "applied_at TIMESTAMP NOT NULL, description VARCHAR)")
            current = int(cur.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0])
            pc = PgCursor(cur)
            for number, description, statements in MIGRATIONS:
                if number <= current or number > target:
                    continue
                try:
                    for sql in statements:
                        pc.execute(sql)
                except psycopg.Error as exc:
                    raise self.error(f"Pemutakhiran skema basis data ke versi {number} gagal: "
                                     f"{str(exc).strip().splitlines()[0]}") from exc
                cur.execute("INSERT INTO schema_version VALUES (%s, %s, %s)", [number, datetime.now(), description])
                applied.append(number)
            _install_triggers(cur, user_tables(cur, "postgres"))
        return applied

    def build_replica(self) -> None:
        """The replica's tables: the columns and types the migrations give, without constraints or indexes
        (the replica is only read; a primary key would only slow each refresh). The migrations run in a
        scratch in-memory DuckDB; the replica copies its tables' shapes."""
        scratch = duckdb.connect(":memory:")
        scratch.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, "
                        "applied_at TIMESTAMP NOT NULL, description VARCHAR)")
        for _, _, statements in MIGRATIONS:
            for sql in statements:
                scratch.execute(sql)
        self._types: dict[str, list[tuple[str, str]]] = {}
        for t in user_tables(scratch.cursor(), "duckdb"):
            self._types[t] = [(str(c), str(ty)) for c, ty in scratch.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
                "ORDER BY ordinal_position", [t]).fetchall()]
        scratch.close()
        self.translate = Translator(self._types)
        for t, cols in self._types.items():
            self.replica.execute(f'CREATE OR REPLACE TABLE "{t}" ('
                                 + ", ".join(f'"{c}" {ty}' for c, ty in cols) + ")")
        self._seen = {}

    # ------------------------------------------------------------------ replica
    def sync(self, tables: frozenset[str] | None = None) -> None:
        """Bring the replica's copy of ``tables`` (default: all) up to date: copy every one whose change
        counter moved since it was last copied.

        All the copies of one call come from one snapshot, read by several connections at once (as
        ``pg_dump --jobs`` does): the first exports its snapshot, the others import it. A large table is
        read in block ranges (``ctid``), so one table alone is also read by several connections; each
        range's rows go to Arrow on their own thread (the driver's fetch runs outside Python's lock)."""
        wanted = list(self._types) if tables is None else [t for t in self._types if t in tables]
        if not wanted:
            return
        with self._sync_lock:
            with self._pg_lock:
                versions = dict(self.con.execute(f"SELECT table_name, version FROM {CHANGES}").fetchall())
            stale = [t for t in wanted if versions.get(t) != self._seen.get(t)]
            if not stale:
                return
            try:
                self._copy(stale)
            except BaseException:
                self._drop_reader()  # a connection left mid-transaction is not used again
                raise

    def _copy(self, stale: list[str]) -> None:
        """Copy the ``stale`` tables into the replica (under the sync lock)."""
        if self._reader is None:  # kept open between copies: a new connection costs more than a small table
            import adbc_driver_postgresql.dbapi as adbc

            self._reader = adbc.connect(self.url, autocommit=True)
        with self._reader.cursor() as acur:
            acur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            acur.execute("SELECT pg_export_snapshot()")
            snapshot = str(acur.fetchone()[0])
            acur.execute(f"SELECT table_name, version FROM {CHANGES}")
            versions = dict(acur.fetchall())  # the versions of the snapshot the copies come from
            acur.execute("SELECT c.relname, (pg_relation_size(c.oid) / current_setting('block_size')::int)::bigint "
                         "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                         "WHERE n.nspname = current_schema() AND c.relkind = 'r'")
            blocks = {str(t): int(b) for t, b in acur.fetchall()}
            parts = [(t, lo, hi) for t in stale for lo, hi in block_ranges(blocks.get(t, 0), self.jobs)]
            parts.sort(key=lambda p: -((p[2] if p[2] is not None else blocks.get(p[0], 0)) - p[1]))
            if len(parts) == 1:
                fetched = [_fetch(acur, self._select(*parts[0]))]
            else:
                with ThreadPoolExecutor(max_workers=min(self.jobs, len(parts))) as pool:
                    fetched = list(pool.map(lambda p: self._fetch_in(snapshot, self._select(*p)), parts))
            acur.execute("COMMIT")
        frames: dict[str, list[pa.Table]] = {}
        for (t, _, _), tbl in zip(parts, fetched, strict=True):
            frames.setdefault(t, []).append(tbl)
        rcur = self.replica.cursor()
        try:
            for t, pieces in frames.items():  # each table replaced at once: a reader sees old or new, whole
                incoming = pa.concat_tables(pieces) if len(pieces) > 1 else pieces[0]
                rcur.register("incoming", incoming)
                rcur.execute(f'CREATE OR REPLACE TABLE "{t}" AS SELECT '
                             + ", ".join(f'CAST("{c}" AS {ty}) AS "{c}"' for c, ty in self._types[t])
                             + " FROM incoming")
                rcur.unregister("incoming")
        finally:
            rcur.close()
        for t in stale:
            self._seen[t] = versions.get(t, 0)

    def _drop_reader(self) -> None:
        if self._reader is not None:
            with contextlib.suppress(Exception):  # a broken connection may fail to close: it is dropped anyway
                self._reader.close()
            self._reader = None

    def warm(self) -> None:
        """Copy every table but those of :data:`NOT_WARMED` into the replica (a server's start-up work; a
        failure, such as the database closing meanwhile, is logged and left to the next read)."""
        try:
            self.sync(frozenset(t for t in self._types if t not in NOT_WARMED))
        except Exception as exc:  # noqa: BLE001 - a background thread: the next read copies what it needs
            logging.getLogger("perantara.db").warning("replika tidak dapat diisi lebih dulu: %s", exc)

    def _select(self, table: str, lo: int, hi: int | None) -> str:
        """The query that reads ``table``'s rows in blocks ``lo`` to ``hi`` (``None``: to the end)."""
        sql = "SELECT " + ", ".join(f'"{c}"' for c, _ in self._types[table]) + f' FROM "{table}"'
        if lo > 0 or hi is not None:
            sql += " WHERE " + " AND ".join(([f"ctid >= '({lo},0)'::tid"] if lo > 0 else [])
                                            + ([f"ctid < '({hi},0)'::tid"] if hi is not None else []))
        return sql

    def _fetch_in(self, snapshot: str, sql: str) -> pa.Table:
        """``sql`` on a connection of its own, in the exported ``snapshot``."""
        import adbc_driver_postgresql.dbapi as adbc

        with adbc.connect(self.url, autocommit=True) as ac, ac.cursor() as acur:
            acur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            acur.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
            tbl = _fetch(acur, sql)
            acur.execute("COMMIT")
            return tbl

    # ------------------------------------------------------------------ writes
    def write(self, actor: str, action: str, detail: str, fn: Callable[[Any], T]) -> T:
        """``fn(cursor)`` in one serializable transaction with its audit row, retried on a conflict."""
        for attempt in range(RETRIES):
            try:
                with self._wlock, self.wcon.transaction():
                    raw = self.wcon.cursor()
                    raw.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")
                    cur = PgCursor(raw, self.translate)
                    result = fn(cur)
                    cur.execute("INSERT INTO audit_log VALUES (nextval('audit_seq'), ?, ?, ?, ?)",
                                [datetime.now(), actor, action, detail])
                return result
            except (psycopg.errors.SerializationFailure, psycopg.errors.DeadlockDetected):
                if attempt == RETRIES - 1:
                    raise
                time.sleep(random.uniform(0.005, 0.05) * (attempt + 1))
        raise AssertionError("unreachable")

    def close(self) -> None:
        with self._sync_lock:  # a copy under way (a start-up warm-up) finishes first
            self._drop_reader()
            self.replica.close()
            self.con.close()
            self.wcon.close()
