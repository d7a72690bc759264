"""Answers and result tables as text for the command line: an aligned table (CJK characters count two
columns), CSV, Markdown and JSON. Standard library only: `budgetqa ask` stays light.

>>> print(table(["项目", "金额"], [["电费", Decimal("12.5")], ["水费", None]]))
项目  金额
----  ----
电费  12.5
水费
>>> print(markdown_table(["a|b"], [[1]]))
| a\\|b |
| --- |
| 1 |
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from decimal import Decimal
from typing import Any

from budgetqa.answer import format_decimal, json_cell

FORMATS = ("text", "json", "csv", "markdown")


def cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return format_decimal(v)
    if isinstance(v, bool):
        return "是" if v else "否"
    return str(v)


def width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in s)


def table(columns: list[str], rows: list[list[Any]]) -> str:
    texts = [[cell(v).replace("\n", " ") for v in row] for row in rows]
    widths = [max([width(c)] + [width(r[i]) for r in texts if i < len(r)]) for i, c in enumerate(columns)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - width(v)) for v, w in zip(values, widths, strict=False)).rstrip()

    return "\n".join([line(columns), line(["-" * w for w in widths]), *(line(r) for r in texts)])


def csv_text(columns: list[str], rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for row in rows:
        w.writerow([cell(v) for v in row])
    return buf.getvalue().rstrip("\n")


def markdown_table(columns: list[str], rows: list[list[Any]]) -> str:
    def esc(v: Any) -> str:
        return cell(v).replace("|", "\\|").replace("\n", " ")

    out = ["| " + " | ".join(esc(c) for c in columns) + " |", "| " + " | ".join("---" for _ in columns) + " |"]
    out += ["| " + " | ".join(esc(v) for v in row) + " |" for row in rows]
    return "\n".join(out)


def json_rows(columns: list[str], rows: list[list[Any]]) -> str:
    return json.dumps([dict(zip(columns, [json_cell(v) for v in row], strict=False)) for row in rows],
                      ensure_ascii=False, default=str)


def answer_table(answer) -> tuple[list[str], list[list[Any]]]:
    """The rows of an answer, or, when it has none, one row: the sentence, the figure and its unit."""
    if answer.columns and answer.rows:
        return answer.columns, answer.rows
    return ["问题", "状态", "回答", "数值", "单位"], [[answer.question, answer.status, answer.answer, answer.value, answer.unit]]


def answer_csv(answer) -> str:
    return csv_text(*answer_table(answer))


def answer_markdown(answer) -> str:
    out = [answer.answer]
    if answer.candidates and answer.status != "ok":
        out += [""] + [f"{i}. {c}" for i, c in enumerate(answer.candidates, 1)]
    if answer.columns and answer.rows:
        out += ["", markdown_table(answer.columns, answer.rows)]
    if answer.sql:
        out += ["", "```sql", answer.sql, "```"]
    return "\n".join(out)
