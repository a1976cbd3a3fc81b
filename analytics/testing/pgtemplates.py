"""Test databases on a PostgreSQL server: one template per built demo database, cloned per test."""

from __future__ import annotations

import contextlib
import uuid
from pathlib import Path

import psycopg

from analytics.core import transfer


def _admin(url: str) -> psycopg.Connection:
    return psycopg.connect(url, autocommit=True)


def _with_db(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + name


def template(admin_url: str, built: Path) -> str:
    """The template database holding ``built`` (a DuckDB file), made on first use. Workers of a parallel
    run take turns by an advisory lock; the copy fills a database under a temporary name, renamed when
    whole, so a half-filled template is never used."""
    name = "tpl_" + Path(built).stem.replace("-", "_").replace(".", "_")[:40]
    with _admin(admin_url) as con:
        con.execute("SELECT pg_advisory_lock(4242)")
        try:
            if con.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                return name
            part = name + "_part"
            con.execute(f'DROP DATABASE IF EXISTS "{part}"')
            con.execute(f'CREATE DATABASE "{part}"')
            transfer.copy(str(built), _with_db(admin_url, part))
            con.execute(f'ALTER DATABASE "{part}" RENAME TO "{name}"')
            con.execute(f'ALTER DATABASE "{name}" WITH IS_TEMPLATE true')
            return name
        finally:
            con.execute("SELECT pg_advisory_unlock(4242)")


def clone(admin_url: str, template_name: str) -> str:
    """A new database made from the template; its URL."""
    name = "t_" + uuid.uuid4().hex[:16]
    with _admin(admin_url) as con:
        con.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"')
    return _with_db(admin_url, name)


def drop(admin_url: str, url: str) -> None:
    """Drop a cloned database (closing whatever connections a test left open)."""
    name = url.rsplit("/", 1)[1]
    with contextlib.suppress(psycopg.Error), _admin(admin_url) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
