"""The SQL that produced the answer, laid out and syntax-highlighted."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.highlight import highlight
from textual.widgets import Static


def pretty_sql(sql: str) -> str:
    """One statement after another, each laid out by sqlglot (the text as given when it cannot be parsed).

    >>> print(pretty_sql("SELECT a FROM t WHERE b = 1"))
    SELECT
      a
    FROM t
    WHERE
      b = 1;
    """
    try:
        import sqlglot

        return ";\n\n".join(sqlglot.transpile(sql, read="duckdb", write="duckdb", pretty=True)) + ";"
    except Exception:  # display only: show the SQL as the engine gave it
        return sql


class SqlView(VerticalScroll):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.sql: str | None = None

    def compose(self):
        yield Static(Content("（没有SQL）"), classes="sql-text")

    def show(self, sql: str | None) -> None:
        self.sql = sql
        text = self.query_one(".sql-text", Static)
        text.update(highlight(pretty_sql(sql), language="sql") if sql else Content("（这个回答没有执行SQL）"))
        self.scroll_home(animate=False)
