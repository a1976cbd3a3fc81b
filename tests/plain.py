"""Plain SQL straight against the store a test runs on, not through the app's data layer: a DuckDB file
opened by DuckDB, or the PostgreSQL database itself (the query written for DuckDB, translated), never
the app's replica. Expected values in tests come from here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pandas as pd


class _Pg:
    def __init__(self, url: str) -> None:
        import psycopg
        from psycopg.types.numeric import FloatLoader

        self.con = psycopg.connect(url, autocommit=True)
        self.con.adapters.register_loader("numeric", FloatLoader)
        self.cur = self.con.cursor()

    def execute(self, sql: str, params: Any = None) -> _Pg:
        from analytics.core.dialect import to_postgres

        for stmt in to_postgres(sql):
            self.cur.execute(stmt, params if params is not None else [])
        return self

    def fetchone(self) -> tuple | None:
        return self.cur.fetchone()

    def fetchall(self) -> list[tuple]:
        return self.cur.fetchall()

    def df(self) -> pd.DataFrame:
        return pd.DataFrame(self.cur.fetchall(), columns=[d.name for d in self.cur.description or []])

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
            con.cur.execute(f"SELECT count(*), md5(coalesce(string_agg(r, '|' ORDER BY r), '')) "
                            f"FROM (SELECT ROW({columns})::text AS r FROM {table}) x")
            return list(con.cur.fetchone())
        return list(con.execute(f"SELECT count(*), sum(hash({columns})) FROM {table}").fetchone())
    finally:
        con.close()
