"""Frames -> SQL through sqlglot's expression builders, validated against the catalogue.

The question's words reach SQL only as literal nodes (`exp.Literal.string`, `exp.convert`); table and
column names come from the catalogue. Every statement is checked before it runs: one SELECT, over
known tables and columns only.

>>> q = Query("projects", measure="amount", agg="sum", where=[Cond("name", "contains", "应急指挥中心")])
>>> q.sql()
"SELECT SUM(amount) AS value FROM projects WHERE doc_id = '' AND name LIKE '%应急指挥中心%'"
>>> Query("projects", measure="amount", agg="sum", where=[Cond("name", "eq", "x' OR 1=1 --")]).sql()
"SELECT SUM(amount) AS value FROM projects WHERE doc_id = '' AND name = 'x'' OR 1=1 --'"
"""

from __future__ import annotations

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
            q = q.where(exp.column("doc_id").eq(exp.Literal.string(self.doc_id)))
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

    def sql(self) -> str:
        key = repr(self)  # the same frame always builds the same statement: build and check it once
        built = built_statements()
        sql = built.get(key)
        if sql is None:
            sql = checked_sql(self.build())
            if len(built) > 4096:
                built.clear()
            built[key] = sql
            _save_later()
        return sql


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
    if isinstance(v, str):
        return exp.Literal.string(v)
    return exp.convert(v)


def like_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def condition(c: exp.Expression, cond: Cond) -> exp.Expression:
    op, v = cond.op, cond.value
    if op == "eq":
        return c.eq(literal(v))
    if op == "ne":
        return c.neq(literal(v))
    if op == "in":
        return c.isin(*[literal(x) for x in v])
    if op == "prefix":
        return exp.Like(this=c, expression=exp.Literal.string(like_escape(v) + "%"))
    if op == "contains":
        return exp.Like(this=c, expression=exp.Literal.string("%" + like_escape(v) + "%"))
    if op == "contains_any":
        return exp.or_(*[exp.Like(this=c, expression=exp.Literal.string("%" + like_escape(x) + "%")) for x in v])
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
    from budgetqa.store.default import cache_dir

    return cache_dir() / f"statements-s{SCHEMA_VERSION}.json"


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


def _save() -> None:
    import json
    import os

    try:
        path = _cache_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(_BUILT, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
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
