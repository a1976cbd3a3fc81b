"""DuckDB SQL to PostgreSQL SQL, for the statements that run on PostgreSQL (writes and migrations).

The stores are written once, in DuckDB's SQL. On PostgreSQL, reads run on each server's DuckDB replica
(:mod:`analytics.core.pg`), so only what a write or a migration sends reaches PostgreSQL itself; it is
translated here by sqlglot, with the few things sqlglot leaves to the caller done on its syntax tree:

* ``?``, ``$name`` placeholders become psycopg's ``%s``, ``%(name)s``, and a literal ``%`` becomes ``%%``;
* DuckDB's unsigned integers become the next wider signed type;
* ``list_position`` becomes ``array_position`` and ``a % b`` becomes ``mod(a, b)`` (psycopg would read
  the ``%`` as a placeholder);
* ``GROUP BY ALL`` becomes the list of the select's non-aggregate columns, by position;
* a subquery in ``FROM`` gets the alias PostgreSQL requires;
* ``INSERT … SELECT`` casts each value to its column's type, as DuckDB does on insert (a frame's column of
  numbers written as text, or all empty, goes into a number column), when the schema is given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

import sqlglot
from sqlglot import exp

_UNSIGNED = {
    exp.DataType.Type.UTINYINT: exp.DataType.Type.SMALLINT,
    exp.DataType.Type.USMALLINT: exp.DataType.Type.INT,
    exp.DataType.Type.UINT: exp.DataType.Type.BIGINT,
    exp.DataType.Type.UBIGINT: exp.DataType.Type.BIGINT,
}


def _fix(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.DataType) and node.this in _UNSIGNED:
        return exp.DataType(this=_UNSIGNED[node.this], expressions=node.expressions)
    if isinstance(node, exp.Literal) and node.is_string and "%" in node.this:
        return exp.Literal.string(node.this.replace("%", "%%"))
    if isinstance(node, exp.Mod):  # psycopg reads a bare % as a placeholder
        return exp.Anonymous(this="mod", expressions=[node.this, node.expression])
    if isinstance(node, exp.Anonymous) and str(node.this).lower() == "list_position":
        return exp.Anonymous(this="array_position", expressions=node.expressions)
    if isinstance(node, exp.Select):
        group = node.args.get("group")
        if group is not None and group.args.get("all"):
            keys = [exp.Literal.number(i) for i, e in enumerate(node.expressions, start=1)
                    if not e.find(exp.AggFunc) and not e.find(exp.Window)]
            node.set("group", exp.Group(expressions=keys) if keys else None)
    return node


Schema = Mapping[str, Sequence[tuple[str, str]]]
"""Table → its (column, DuckDB type) pairs in order."""


def _cast_inserts(tree: exp.Expression, schema: Schema) -> None:
    if not isinstance(tree, exp.Insert) or not isinstance(tree.expression, exp.Select):
        return
    target = tree.this
    table = target.this if isinstance(target, exp.Schema) else target
    if not isinstance(table, exp.Table) or table.name not in schema:
        return
    types = dict(schema[table.name])
    names = [i.name for i in target.expressions] if isinstance(target, exp.Schema) \
        else [c for c, _ in schema[table.name]]
    select = tree.expression
    if len(select.expressions) != len(names) or any(isinstance(e, exp.Star) for e in select.expressions):
        return
    cast = []
    for e, name in zip(select.expressions, names, strict=True):
        if name not in types:
            return
        alias = e.alias if isinstance(e, exp.Alias) else ""
        value = e.this if isinstance(e, exp.Alias) else e
        typed = exp.Cast(this=value, to=exp.DataType.build(types[name], dialect="duckdb").transform(_fix))
        cast.append(exp.alias_(typed, alias) if alias else typed)
    select.set("expressions", cast)


class Translator:
    """:func:`to_postgres` with the schema known, remembering each statement's translation."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self._done: dict[str, tuple[str, ...]] = {}

    def __call__(self, sql: str) -> tuple[str, ...]:
        out = self._done.get(sql)
        if out is None:
            out = self._done[sql] = _translate(sql, self.schema)
        return out


@lru_cache(maxsize=4096)
def to_postgres(sql: str) -> tuple[str, ...]:
    """The PostgreSQL statements for one DuckDB statement (usually one), with psycopg placeholders.

    >>> to_postgres("SELECT a, count(*) FROM t WHERE b LIKE '35.%' AND c = ? GROUP BY ALL")
    ("SELECT a, COUNT(*) FROM t WHERE b LIKE '35.%%' AND c = %s GROUP BY 1",)
    >>> to_postgres("CREATE TABLE x (d UTINYINT, k UBIGINT)")
    ('CREATE TABLE x (d SMALLINT, k BIGINT)',)
    >>> Translator({"t": [("a", "DOUBLE"), ("b", "DATE")]})("INSERT INTO t SELECT x, ? FROM (SELECT 1 AS x)")
    ('INSERT INTO t SELECT CAST(x AS DOUBLE PRECISION), CAST(%s AS DATE) FROM (SELECT 1 AS x) AS _q1',)
    """
    return _translate(sql, {})


def _translate(sql: str, schema: Schema) -> tuple[str, ...]:
    out = []
    for tree in sqlglot.parse(sql, read="duckdb"):
        if tree is None:
            continue
        tree = tree.transform(_fix)
        unnamed = [q for q in tree.find_all(exp.Subquery) if not q.alias and isinstance(q.parent, exp.From | exp.Join)]
        for n, q in enumerate(unnamed, start=1):  # PostgreSQL wants every subquery in FROM named
            q.set("alias", exp.TableAlias(this=exp.to_identifier(f"_q{n}")))
        _cast_inserts(tree, schema)
        out.append(tree.sql(dialect="postgres"))
    return tuple(out)
