"""Plain SQL straight against the store a test runs on, not through the app's data layer: a DuckDB file
opened by DuckDB, or the PostgreSQL database itself (the query written for DuckDB, translated), never
the app's replica. Expected values in tests come from here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from analytics.core import pg
from analytics.core.pg import PgCursor


class _Pg(PgCursor):
    """The app's translating cursor on a raw connection of its own (no replica, no audit, autocommit)."""

    def __init__(self, url: str) -> None:
        self.con = pg.connect(url)
        super().__init__(self.con.cursor())

    def close(self) -> None:
        self.con.close()


def connect(location: Path | str, read_only: bool = False) -> Any:
    """A plain connection to the test's database (DuckDB file or PostgreSQL URL)."""
    if str(location).startswith("postgresql://"):
        return _Pg(str(location))
    return duckdb.connect(str(location), read_only=read_only)


def content_hash(location: Path | str, table: str, columns: str) -> list:
    """Row count and an order-free hash of some columns of a table, computed by the store itself."""
    con = connect(location)
    try:
        if isinstance(con, _Pg):
            return list(con.con.execute(f"SELECT count(*), md5(coalesce(string_agg(r, '|' ORDER BY r), '')) "
                                        f"FROM (SELECT ROW({columns})::text AS r FROM {table}) x").fetchone())
        return list(con.execute(f"SELECT count(*), sum(hash({columns})) FROM {table}").fetchone())
    finally:
        con.close()
