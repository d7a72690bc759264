"""The answer every face shows: one dataclass, serialised as the CLI's JSON contract.

>>> a = Answer(question="总支出多少", status="ok", answer="总支出为9751.38787万元。", value=Decimal("9751.38787"))
>>> a.to_json()["value"]
9751.38787
>>> a.exit_code
0
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

STATUSES = ("ok", "clarify", "not_found", "unsupported", "error")


@dataclass
class Link:
    """A question term linked to something in the catalogue or the data."""

    term: str
    kind: str  # project, keyword, subject, person, measure, category, ...
    target: str
    score: float

    def to_json(self) -> dict[str, Any]:
        return {"term": self.term, "kind": self.kind, "target": self.target, "score": round(self.score, 1)}


@dataclass
class Answer:
    question: str
    status: str
    answer: str
    value: Decimal | int | None = None
    unit: str | None = None
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    sql: str | None = None
    links: list[Link] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)
    family: str | None = None  # the template that answered; shown by --explain
    elapsed_ms: float | None = None
    understood: str | None = None  # the question as answered, restated: 2024年 · 部门经济分类30215 会议费 · 合计
    # where the rows stand in the document (预算03表 第82行), looked up when first read: most asks never show it
    find_sources: Callable[[], list[str]] | None = field(default=None, repr=False, compare=False)
    _sources: list[str] | None = field(default=None, repr=False, compare=False)

    @property
    def sources(self) -> list[str]:
        if self._sources is None:
            try:
                self._sources = self.find_sources() if self.find_sources is not None else []
            except Exception:  # noqa: BLE001 - the database was closed or changed since: no sources, never a crash
                self._sources = []
        return self._sources

    @property
    def exit_code(self) -> int:
        if self.status == "ok":
            return 0
        if self.status == "error":
            return 2
        return 1

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "question": self.question,
            "status": self.status,
            "answer": self.answer,
            "value": json_number(self.value),
            "unit": self.unit,
            "columns": self.columns,
            "rows": [[json_cell(c) for c in row] for row in self.rows],
            "sql": self.sql,
            "links": [link.to_json() for link in self.links],
            "understood": self.understood,
            "sources": self.sources,
        }
        if self.status == "clarify" or self.candidates:
            out["candidates"] = self.candidates
        if self.family:
            out["family"] = self.family
        return out


def json_number(v: Decimal | int | float | None) -> int | float | None:
    """JSON has no decimals: whole numbers stay ints, others become the nearest float of the exact text."""
    if v is None:
        return None
    if isinstance(v, Decimal):
        if v == v.to_integral_value():
            return int(v)
        return float(format_decimal(v))
    return v


def json_cell(c: Any) -> Any:
    if isinstance(c, Decimal):
        return json_number(c)
    return c


def format_decimal(v: Decimal) -> str:
    """Full precision, trailing zeros dropped, never scientific notation.

    >>> format_decimal(Decimal("9751.387870"))
    '9751.38787'
    >>> format_decimal(Decimal("60.000000"))
    '60'
    >>> format_decimal(Decimal("1E+6"))
    '1000000'
    """
    s = format(v, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s
