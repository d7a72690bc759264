"""What every question template shares: the environment it runs in and the quantities it can name."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from budgetqa.answer import Answer
from budgetqa.nlu.linker import Span, Understanding
from budgetqa.nlu.vocab import Project, Subject, Vocab, base_name
from budgetqa.render import money
from budgetqa.sqlbuild import Cond, Query, inline
from budgetqa.store.schema import CATALOGUE


def source_of(table, r: dict) -> str:
    """One row's place: a PDF's page, table and row, or a text's table and line."""
    if r.get("page"):
        return f"第{r['page']}页 {r.get('src_table') or table.source}" + (f" 第{r['src_row']}行" if r.get("src_row") else "")
    line = r.get("line") or r.get("amount_line")
    if not line:
        return ""
    where = re.search(r"预算\d+表", table.source)
    return f"{where.group(0) if where else table.source} 第{line}行"


@dataclass
class Env:
    """What a template may use: the vocabulary, a runner for queries, and the statements it ran."""

    vocab: Vocab
    con: Any
    linker: Any = None
    documents: dict[str, tuple[str, int]] = field(default_factory=dict)  # doc_id -> (department, year)
    statements: list[str] = field(default_factory=list)
    queries: list[Query] = field(default_factory=list)  # what was run, for the rows' sources
    ran: dict[str, list[tuple]] = field(default_factory=dict)  # statement shown -> its rows, for this question
    used: set[str] = field(default_factory=set)  # span kinds a template used other than through its SQL's values

    def run(self, q: Query) -> list[tuple]:
        q.doc_id = self.vocab.doc_id
        sql, params = q.statement()
        shown = inline(sql, params)
        if shown in self.statements:  # asked again (a fallback checked, then read): once is enough
            return self.ran[shown]
        self.statements.append(shown)
        self.queries.append(q)
        self.ran[shown] = self.con.execute(sql, params).fetchall()
        return self.ran[shown]

    def sources_of(self, queries: list[Query], limit: int = 30) -> Callable[[], list[str]]:
        """How to find where the rows behind an answer stand in the document (预算03表 第82行, 第7页 支出预算总表
        第12行), run when first asked: each query's own conditions select its rows."""
        return lambda: self.sources(queries, limit)

    def sources(self, queries: list[Query], limit: int = 30) -> list[str]:
        out: list[str] = []
        for q in queries:
            table = CATALOGUE.get(q.table)
            if table is None or q.all_docs or q.having:  # (rows kept by a HAVING are not told apart here)
                continue
            cols = [c for c in ("page", "src_table", "src_row", "line", "amount_line") if c in table.columns]
            if not cols:
                continue
            prov = Query(q.table, agg="rows", where=q.where, select=cols, limit=limit)
            prov.doc_id = q.doc_id
            sql, params = prov.statement()
            for row in self.con.execute(sql, params).fetchall():
                out.append(source_of(table, dict(zip(cols, row, strict=True))))
        return list(dict.fromkeys(x for x in out if x))[:limit]

    def value(self, q: Quantity) -> Decimal | None:
        if q.parts:
            return sum((self.value(p) or Decimal(0) for p in q.parts), Decimal(0))
        return self.scalar(self.resolve(q).query)

    def printed_total(self, q: Quantity) -> Decimal | None:
        """The document's own 合计 for a whole table's column (支出预算总表的项目支出合计), when it prints one."""
        query = q.query
        if query is None or query.where or query.agg != "sum" or q.parts or query.table not in PRINTED:
            return None
        col = COLUMN_ZH.get(query.measure or "")
        if col is None:
            return None
        return self.scalar(Query("published_totals", "amount", "sum", [
            Cond("table_no", "in", list(PRINTED[query.table])), Cond("label", "eq", "合计"), Cond("col", "eq", col)]))

    def resolve(self, q: Quantity) -> Quantity:
        """The quantity itself, or where its document prints it instead (a Shanghai budget has 经济分类 and
        人员/公用经费 only in its 基本支出 table): the first reading that has a figure."""
        while q.fallback is not None and not q.parts and q.query is not None and self.scalar(q.query) is None:
            q = q.fallback
        return q

    def scalar(self, q: Query) -> Decimal | None:
        rows = self.run(q)
        return rows[0][0] if rows else None

    @property
    def sql(self) -> str:
        return ";\n".join(self.statements)


# the tables whose 合计 row a whole-table sum is checked against (Beijing's numbers, Shanghai's titles)
PRINTED = {"expenditure": ("03", "支出预算总表"), "fiscal_expenditure": ("07", "一般公共预算支出功能分类预算表"),
           "basic_expenditure": ("08", "一般公共预算基本支出部门预算经济分类预算表")}
COLUMN_ZH = {"total": "合计", "basic": "基本支出", "project": "项目支出", "personnel": "人员经费", "public": "公用经费"}


@dataclass
class Quantity:
    """A figure a question names: how to compute it, and what to call it."""

    label: str
    query: Query | None
    evidence: Query | None = None  # the rows that add up to it
    kind: str = "money"
    parts: list[Quantity] = field(default_factory=list)  # a sum of named quantities (培训费和会议费)
    fallback: Quantity | None = None  # where a document that lacks `query`'s table prints the same figure
    each: bool = False  # parts that overlap (基本支出 and its 人员经费): each stated, never added up


class Template:
    """A question family. Subclasses set `weight` and implement `match`."""

    weight = 0
    family = "base"

    def match(self, u: Understanding, env: Env) -> Answer | None:  # pragma: no cover - interface
        raise NotImplementedError


def unique(items: list) -> list:
    out = []
    for x in items:
        if x not in out:
            out.append(x)
    return out


def single_or_siblings(projects: list[Project]) -> bool:
    return len(projects) == 1 or len({base_name(p.name) for p in projects}) == 1


SCHEME_COLUMN = {"功能分类": "func_code", "政府经济分类": "gov_econ_code", "部门经济分类": "dept_econ_code"}  # a subject's code column


def subject_quantity(s: Subject, measure: str | None) -> Quantity:
    """A 功能分类/经济分类 subject at any level, with 基本/项目 or 人员/公用 when asked."""
    col = SCHEME_COLUMN[s.scheme]
    cond = Cond(col, "prefix" if s.level != "项" and s.scheme == "功能分类" or len(s.code) == 3 else "eq", s.code)
    zh = {"basic": "基本支出", "project": "项目支出", "personnel": "人员经费", "public": "公用经费"}.get(measure or "", "")
    label = f"“{s.name}”（{s.scheme}{s.code}）" + (f"的{zh}" if zh else "")
    if measure == "fiscal_total" and s.scheme == "功能分类":
        return Quantity(f"“{s.name}”（{s.scheme}{s.code}）的一般公共预算财政拨款支出", Query("fiscal_expenditure", "total", "sum", [cond]))
    if measure in ("personnel", "public"):
        table = "fiscal_expenditure" if s.scheme == "功能分类" else "basic_expenditure"
        return Quantity(label, Query(table, measure, "sum", [cond]))
    column = {"basic": "basic", "project": "project"}.get(measure or "", "total")
    ev = Query("expenditure", agg="rows", where=[cond],
               select=["func_code", "func_name", "dept_econ_code", "dept_econ_name", column])
    fallback = None
    if s.scheme != "功能分类" and column != "project":  # a budget whose 支出总表 has no 经济分类: its 基本支出 table
        fallback = Quantity(label, Query("basic_expenditure", "total", "sum", [cond]),
                            Query("basic_expenditure", agg="rows", where=[cond], select=["dept_econ_code", "dept_econ_name", "total"]))
    return Quantity(label, Query("expenditure", column, "sum", [cond]), ev, fallback=fallback)


MEASURE_LABELS = {
    "total_expenditure": "支出总计", "total_income": "收入总计", "general_budget_income": "一般公共预算拨款收入",
    "fiscal_total": "一般公共预算财政拨款支出", "basic": "基本支出", "project": "项目支出", "personnel": "人员经费",
    "public": "公用经费", "procurement": "政府采购预算", "services": "政府购买服务预算",
}


def measure_quantity(m: str, vocab: Vocab) -> Quantity | None:
    label = MEASURE_LABELS.get(m)
    if m == "total_expenditure":
        return Quantity(label, Query("expenditure", "total", "sum"))
    if m == "total_income":
        return Quantity(label, Query("income", "amount", "sum", [Cond("unit_code", "eq", vocab.dept_code),
                                                                 Cond("source", "eq", "合计")]))
    if m == "general_budget_income":
        return Quantity(label, Query("income", "amount", "sum", [Cond("unit_code", "eq", vocab.dept_code),
                                                                 Cond("source", "contains", "一般公共预算")]))
    if m == "fiscal_total":
        return Quantity(label, Query("fiscal_expenditure", "total", "sum"))
    if m.startswith("fiscal:"):  # a part of the 一般公共预算财政拨款 table (预算07表)
        part = m.split(":", 1)[1]
        return Quantity(f"一般公共预算财政拨款{MEASURE_LABELS.get(part, part)}", Query("fiscal_expenditure", part, "sum"))
    if m in ("basic", "project"):
        return Quantity(label, Query("expenditure", m, "sum"))
    if m in ("personnel", "public"):  # 预算07表, else the 基本支出 table (a Shanghai budget prints them only there)
        return Quantity(label, Query("fiscal_expenditure", m, "sum"), fallback=Quantity(label, Query("basic_expenditure", m, "sum")))
    if m == "procurement":  # 预算05表, else the figure the text states (a Shanghai budget's 其他相关情况说明)
        stated = Quantity(label, Query("narrative", "value", "sum", [Cond("item", "eq", "政府采购预算")]),
                          Query("narrative", agg="rows", where=[Cond("item", "eq", "政府采购预算")], select=["item", "sentence", "page", "value"]))
        return Quantity(label, Query("procurement", "amount", "sum"),
                        Query("procurement", agg="rows", select=["category_code", "category", "amount"]), fallback=stated)
    if m == "services":
        return Quantity(label, Query("purchased_services", "amount", "sum"))
    return None


def sangong_quantity(item: str, year: int) -> Quantity:
    label = f"{year}年{'“三公”经费' if item == '三公经费' else item}"
    return Quantity(label, Query("sangong", "amount", "sum", [Cond("item", "eq", item), Cond("year", "eq", year)]))


def project_set_query(names: list[str] | None, conds: list[Cond], having: list[Cond] | None = None) -> Query:
    where = list(conds)
    if names is not None:
        where.append(Cond("name", "in", names))
    return Query("projects", "amount", "sum", where, group=["name"], having=having or [],
                 order=[("first_line", False)])


def say_money(label: str, v: Decimal | None, unit: str | None) -> str:
    return f"{label}为{money(v, unit)}"


def spans_text(spans: list[Span]) -> str:
    return "、".join(s.text for s in spans)
