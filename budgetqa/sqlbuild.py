r"""Frames -> SQL through sqlglot's expression builders, validated against the catalogue.

The question's words never become SQL text: a frame is built into a statement whose values are
parameters (`$p0`, `$p1`, ... as `exp.Placeholder` nodes), and the values go to DuckDB beside it.
Table and column names come from the catalogue. Every statement is checked before it runs: one
SELECT, over known tables and columns only (`qualify` against the catalogue's schema).

Frames of the same shape (same tables, columns, operators; other values) share one statement, so
it is built and checked once and kept in the cache directory: most questions never import sqlglot.

>>> q = Query("projects", measure="amount", agg="sum", where=[Cond("name", "contains", "应急指挥中心")])
>>> q.statement()
("SELECT SUM(amount) AS value FROM projects WHERE doc_id = $p0 AND name LIKE $p1 ESCAPE '\\'", {'p0': '', 'p1': '%应急指挥中心%'})

What the user sees (`sql()`) has the values written in, for reading and for pasting into DuckDB:

>>> q.sql()
"SELECT SUM(amount) AS value FROM projects WHERE doc_id = '' AND name LIKE '%应急指挥中心%' ESCAPE '\\'"
>>> Query("projects", measure="amount", agg="sum", where=[Cond("name", "eq", "x' OR 1=1 --")]).statement()[0]
'SELECT SUM(amount) AS value FROM projects WHERE doc_id = $p0 AND name = $p1'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from budgetqa.store.schema import CATALOGUE, SCHEMA_VERSION, sqlglot_schema


class _LazyExp:
    """sqlglot.exp, imported on first use: a frame whose statement is already cached never needs it
    (sqlglot takes a fifth of a second to import, most of `budgetqa ask`'s start-up)."""

    def __getattr__(self, name: str):
        from sqlglot import exp as real

        globals()["exp"] = real
        return getattr(real, name)


exp = _LazyExp()


class UnsafeQuery(ValueError):
    """A statement that is not a single SELECT over known tables and columns."""


@dataclass(frozen=True)
class Slot:
    """Where a value goes in a statement: a parameter, never text."""

    name: str


@dataclass
class Cond:
    column: str
    op: str  # eq, ne, in, prefix, contains, lt, le, gt, ge, between, null, notnull
    value: Any = None


@dataclass
class Query:
    table: str
    measure: str | None = None
    agg: str = "sum"  # sum, count, count_distinct, avg, max, min, rows
    where: list[Cond] = field(default_factory=list)
    select: list[str] = field(default_factory=list)  # for rows: plain columns
    group: list[str] = field(default_factory=list)  # rows grouped, measure summed per group
    having: list[Cond] = field(default_factory=list)  # conditions on the grouped measure
    order: list[tuple[str, bool]] = field(default_factory=list)  # (column or 'value', descending)
    limit: int | None = None
    doc_id: str = ""
    all_docs: bool = False  # across every loaded document (group by doc_id to tell them apart)

    def build(self) -> exp.Select:
        """The statement of a shaped frame (see `shape`): values are placeholders, never text."""
        t = CATALOGUE[self.table]
        for name in [self.measure, *self.select, *(g.split(":")[0] for g in self.group), *(c.column for c in self.where)]:
            if name and name not in t.columns:
                raise UnsafeQuery(f"{self.table} 没有列 {name}")
        col = exp.column
        if self.agg == "rows":
            q = exp.select(*[col(c) for c in self.select]).from_(self.table)
        elif self.group:
            value = exp.Sum(this=col(self.measure)) if self.agg != "count" else exp.Count(this=exp.Star())
            keys = [group_key(g) for g in self.group]
            q = exp.select(*[exp.alias_(k, g.split(":")[0]) if ":" in g else k for k, g in zip(keys, self.group, strict=True)],
                           exp.alias_(value, "value")).from_(self.table)
            q = q.group_by(*keys)
        else:
            q = exp.select(exp.alias_(aggregate(self.agg, self.measure), "value")).from_(self.table)
        if not self.all_docs:
            q = q.where(exp.column("doc_id").eq(literal(self.doc_id)))
        for c in self.where:
            q = q.where(condition(col(c.column), c))
        if self.group and self.having:
            summed = exp.Sum(this=col(self.measure))
            for c in self.having:
                q = q.having(condition(summed, c))
        for name, desc in self.order:
            if name == "first_line":
                key = exp.Min(this=col("line_no" if "line_no" in t.columns else "line"))
            else:
                key = exp.column("value") if name == "value" else col(name)
            q = q.order_by(exp.Ordered(this=key, desc=desc))
        if self.limit:
            q = q.limit(exp.Literal.number(int(self.limit)))
        return q

    def shape(self) -> tuple[Query, dict[str, Any]]:
        """This frame with every value replaced by a slot, and the slots' values."""
        params: dict[str, Any] = {}

        def slot(v: Any) -> Slot:
            name = f"p{len(params)}"
            params[name] = v
            return Slot(name)

        def shaped(c: Cond) -> Cond:
            op, v = c.op, c.value
            if op in ("null", "notnull"):
                value = None
            elif op == "contains":
                value = slot("%" + like_escape(v) + "%")
            elif op == "prefix":
                value = slot(like_escape(v) + "%")
            elif op == "contains_any":
                value = tuple(slot("%" + like_escape(x) + "%") for x in v)
            elif op in ("in", "notin"):
                value = slot(list(v))  # one list: any number of names is the same shape
            elif op == "between":
                value = tuple(slot(x) for x in v)
            else:
                value = slot(v)
            return Cond(c.column, op, value)

        doc = "" if self.all_docs else slot(self.doc_id)
        where = [shaped(c) for c in self.where]
        having = [shaped(c) for c in self.having]
        frame = Query(self.table, self.measure, self.agg, where, list(self.select), list(self.group), having,
                      list(self.order), self.limit, doc, self.all_docs)
        return frame, params

    def statement(self) -> tuple[str, dict[str, Any]]:
        """The checked statement for this frame's shape, and the values of its parameters."""
        frame, params = self.shape()
        key = repr(frame)  # frames of one shape build the same statement: build and check it once
        built = built_statements()
        sql = built.get(key)
        if sql is None:
            sql = checked_sql(frame.build())
            if len(built) > 4096:
                built.clear()
            built[key] = sql
            _save_later()
        return sql, params

    def sql(self) -> str:
        """The statement with its values written in: for people to read, never run by us."""
        return inline(*self.statement())


PARAMETER = re.compile(r"\$(p\d+)\b")


def inline(sql: str, params: dict[str, Any]) -> str:
    """Write parameter values into a statement for display.

    >>> inline("SELECT a FROM t WHERE b = $p0 AND c > $p1", {"p0": "x'y", "p1": 3})
    "SELECT a FROM t WHERE b = 'x''y' AND c > 3"
    """
    return PARAMETER.sub(lambda m: sql_literal(params[m.group(1)]), sql)


def sql_literal(v: Any) -> str:
    if v is None:
        return "NULL"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(sql_literal(x) for x in v) + "]"
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (int, float)) or type(v).__name__ == "Decimal":
        return str(v)
    return "'" + str(v).replace("'", "''") + "'"


def group_key(g: str) -> exp.Expression:
    """'func_code:3' groups by the first three characters of func_code (a subject's 类)."""
    if ":" in g:
        name, n = g.split(":")
        return exp.Substring(this=exp.column(name), start=exp.Literal.number(1), length=exp.Literal.number(int(n)))
    return exp.column(g)


def aggregate(agg: str, measure: str | None) -> exp.Expression:
    c = exp.column(measure) if measure else exp.Star()
    return {
        "sum": lambda: exp.Sum(this=c),
        "count": lambda: exp.Count(this=exp.Star()),
        "count_distinct": lambda: exp.Count(this=exp.Distinct(expressions=[c])),
        "avg": lambda: exp.Avg(this=c),
        "max": lambda: exp.Max(this=c),
        "min": lambda: exp.Min(this=c),
    }[agg]()


def literal(v: Any) -> exp.Expression:
    if isinstance(v, Slot):
        return exp.Placeholder(this=v.name)
    if isinstance(v, str):
        return exp.Literal.string(v)
    return exp.convert(v)


def like_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like(c: exp.Expression, pattern: Any) -> exp.Expression:
    """c LIKE pattern ESCAPE '\\': DuckDB has no default escape character."""
    return exp.Escape(this=exp.Like(this=c, expression=literal(pattern)), expression=exp.Literal.string("\\"))


def condition(c: exp.Expression, cond: Cond) -> exp.Expression:
    """One condition of a shaped frame (Query.shape): its values are slots, never text."""
    op, v = cond.op, cond.value
    if op == "eq":
        return c.eq(literal(v))
    if op == "ne":
        return c.neq(literal(v))
    if op == "in":  # one list parameter, so any number of names is the same statement; DuckDB runs
        # list_contains($list, name) in a quarter of the time of name = ANY($list) (0.8 ms against 3.3)
        return exp.ArrayContains(this=literal(v), expression=c)
    if op in ("prefix", "contains"):  # the pattern (escaped, with its %) is the slot's value: see Query.shape
        return like(c, v)
    if op == "notin":  # 除了公共事务协管经费: every name but these
        return exp.Not(this=exp.ArrayContains(this=literal(v), expression=c))
    if op == "contains_any":
        return exp.or_(*[like(c, x) for x in v])
    if op == "lt":
        return exp.LT(this=c, expression=literal(v))
    if op == "le":
        return exp.LTE(this=c, expression=literal(v))
    if op == "gt":
        return exp.GT(this=c, expression=literal(v))
    if op == "ge":
        return exp.GTE(this=c, expression=literal(v))
    if op == "between":
        return exp.Between(this=c, low=literal(v[0]), high=literal(v[1]))
    if op == "null":
        return exp.Is(this=c, expression=exp.Null())
    if op == "notnull":
        return exp.Not(this=exp.Is(this=c, expression=exp.Null()))
    raise UnsafeQuery(f"未知条件 {op}")


_BUILT: dict[str, str] | None = None
_DIRTY = False
_SCHEMA = None


def _cache_file():
    """Named after the code that builds statements: a changed builder or catalogue never reads old ones."""
    import hashlib
    from pathlib import Path

    from budgetqa.core.paths import cache_dir
    from budgetqa.store import schema

    digest = hashlib.sha1(Path(__file__).read_bytes() + Path(schema.__file__).read_bytes()).hexdigest()[:12]
    return cache_dir() / f"statements-s{SCHEMA_VERSION}-{digest}.json"


def built_statements() -> dict[str, str]:
    """Statements built and checked before (also by earlier processes: kept in the cache directory)."""
    global _BUILT
    if _BUILT is None:
        import json

        try:
            loaded = json.loads(_cache_file().read_text(encoding="utf-8"))
            _BUILT = {k: v for k, v in loaded.items() if isinstance(v, str) and v.startswith("SELECT ")}
        except (OSError, ValueError):
            _BUILT = {}
    return _BUILT


def _save_later() -> None:
    global _DIRTY
    if not _DIRTY:
        import atexit

        _DIRTY = True
        atexit.register(_save)


def save_statements() -> None:
    """Write the built statements now (they are also written when the process ends)."""
    _save()


def _save() -> None:
    import json
    import os

    if not _BUILT:
        return
    try:
        path = _cache_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(_BUILT, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
        for old in path.parent.glob("statements-*.json"):  # written by earlier versions of the builder
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass


_VALIDATED: dict[str, None] = {}  # statements already checked: the same text is the same statement


def checked_sql(tree: exp.Expression) -> str:
    """Validate a statement (one SELECT, known tables and columns) and render it for DuckDB."""
    global _SCHEMA
    if not isinstance(tree, exp.Select):
        raise UnsafeQuery("只允许 SELECT")
    for node in tree.walk():
        if isinstance(node, (exp.Insert, exp.Update, exp.Delete, exp.Drop, exp.Create, exp.Command, exp.Copy,
                             exp.Attach)) or isinstance(node, exp.Anonymous):
            raise UnsafeQuery(f"不允许的语句成分：{type(node).__name__}")
    for t in tree.find_all(exp.Table):
        if t.name not in CATALOGUE:
            raise UnsafeQuery(f"未知表 {t.name}")
    if _SCHEMA is None:
        from sqlglot.schema import MappingSchema

        _SCHEMA = MappingSchema(sqlglot_schema(), dialect="duckdb")  # built once: normalising it is the costly part
    sql = tree.sql(dialect="duckdb")
    if sql in _VALIDATED:
        return sql
    from sqlglot.optimizer.qualify import qualify

    try:
        qualify(tree, schema=_SCHEMA, dialect="duckdb", validate_qualify_columns=True)  # rewrites the tree: after .sql()
    except Exception as e:
        raise UnsafeQuery(f"查询未通过校验：{e}") from None
    if len(_VALIDATED) > 4096:
        _VALIDATED.clear()
    _VALIDATED[sql] = None
    return sql
