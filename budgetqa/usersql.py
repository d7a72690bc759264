"""A user's own SQL (`budgetqa sql`): one SELECT over the loaded tables, nothing else.

The text is parsed with sqlglot (DuckDB dialect) and refused unless it is a single SELECT (or a UNION of
SELECTs) whose tables are all tables of the catalogue (or its own WITH names), with no table functions, no
functions sqlglot does not know, no schema-qualified names and no statement that writes or configures. It
then runs on the same read-only connection questions use (external access, extension loading and
configuration changes off), so whatever the check missed still cannot read a file or change anything.

>>> check_user_sql("SELECT name, amount FROM projects ORDER BY amount DESC LIMIT 3")
'SELECT name, amount FROM projects ORDER BY amount DESC LIMIT 3'
>>> check_user_sql("DELETE FROM projects")
Traceback (most recent call last):
...
budgetqa.usersql.RefusedSQL: 只能执行一条 SELECT 查询（这是 Delete）
"""

from __future__ import annotations

from sqlglot import exp, parse
from sqlglot.errors import ParseError

from budgetqa.store.schema import CATALOGUE

WRITES = (exp.Insert, exp.Update, exp.Delete, exp.Drop, exp.Create, exp.Command, exp.Copy, exp.Attach, exp.Alter,
          exp.Pragma, exp.Set, exp.Use, exp.Transaction, exp.Merge, exp.Describe, exp.LoadData, exp.Grant,
          exp.Comment, exp.Summarize, exp.Show, exp.Kill, exp.Refresh, exp.Cache, exp.Uncache, exp.Into)


class RefusedSQL(ValueError):
    """SQL that is not a single read-only SELECT over the loaded tables; the message says why."""


def check_user_sql(text: str) -> str:
    """The statement as DuckDB should run it, or RefusedSQL."""
    text = (text or "").strip()
    if not text:
        raise RefusedSQL("SQL 是空的，例如：SELECT name, amount FROM projects LIMIT 5")
    try:
        statements = [s for s in parse(text, read="duckdb") if s is not None]
    except ParseError as e:
        raise RefusedSQL(f"SQL 语法错误：{str(e).splitlines()[0]}") from None
    except Exception as e:  # noqa: BLE001 - sqlglot raises more than ParseError on odd input
        raise RefusedSQL(f"无法解析这条 SQL：{type(e).__name__}") from None
    if len(statements) != 1:
        raise RefusedSQL(f"只能执行一条 SELECT 查询（这里有{len(statements)}条）")
    tree = statements[0]
    if not isinstance(tree, (exp.Select, exp.SetOperation)):
        raise RefusedSQL(f"只能执行一条 SELECT 查询（这是 {type(tree).__name__}）")
    ctes = {c.alias_or_name for c in tree.find_all(exp.CTE)}
    for node in tree.walk():
        if isinstance(node, WRITES):
            raise RefusedSQL(f"只能读，不能执行 {type(node).__name__}")
        if isinstance(node, exp.Anonymous):
            raise RefusedSQL(f"不支持函数 {node.name}()")
        if isinstance(node, exp.Func) and type(node).__name__.lower().startswith("read"):
            raise RefusedSQL(f"不能读取文件（{node.sql(dialect='duckdb')[:60]}）")
    for t in tree.find_all(exp.Table):
        if not isinstance(t.this, exp.Identifier) or t.args.get("db") or t.args.get("catalog"):
            raise RefusedSQL(f"只能查询已加载的表，不能查询 {t.sql(dialect='duckdb')[:60]}")
        if t.name not in CATALOGUE and t.name not in ctes:
            raise RefusedSQL(f"没有表 {t.name}；可以查询的表：{', '.join(CATALOGUE)}（budgetqa schema 列出各列）")
    return tree.sql(dialect="duckdb")
