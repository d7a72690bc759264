"""The coverage check: an answer uses every content span of its question, or it is not `ok`.

A template answers from the spans it understands; a span it ignored (a second condition, a payment, a year)
means the figure is for another question. The check runs once, in the engine, after a template answered: each
content span of *this* question (not what a follow-up inherited) must leave evidence in what was run and said
— its project names, subject code, person, category, payment, year or amount in the SQL (values written in)
or in the sentence. What is left unused is named back to the user and no figure is given.

>>> from budgetqa.nlu.linker import Span
>>> unused_spans([Span(0, 2, "姚遥", "person", ["姚遥"]), Span(5, 11, "应急指挥中心", "project_part", [])],
...              "SELECT ... WHERE owner = '姚遥'", "姚遥负责的项目合计321.48832万元", 2024, [])
['应急指挥中心']
"""

from __future__ import annotations

import re
from decimal import Decimal

from budgetqa.ingest.text import norm_key
from budgetqa.nlu.linker import Span, Understanding
from budgetqa.nlu.vocab import Project, Subject

# the tables or columns a measure leaves in the SQL (a measure answered from another table was not asked)
MEASURE_EVIDENCE = {
    "total_expenditure": ("expenditure", "支出总计", "本年支出合计"),
    "total_income": ("income", "收入总计", "本年收入合计", "summary_items"),
    "general_budget_income": ("income", "一般公共预算", "summary_items"),
    "fiscal_total": ("fiscal_expenditure",),
    "basic": ("basic",),
    "project": ("project", "projects"),
    "personnel": ("personnel",),
    "public": ("public",),
    "procurement": ("procurement",),
    "services": ("purchased_services",),
    "sangong": ("sangong",),
}
CONTENT_KINDS = ("project", "project_part", "project_fuzzy", "subject", "person", "service_cat", "proc_cat",
                 "summary_item", "org_unit", "payment", "measure")


def evidence_of(span: Span) -> list[str]:
    """What using this span leaves behind: names, codes, words."""
    out: list[str] = []
    if span.kind == "measure":
        for t in span.targets:
            head = str(t).split(":", 1)
            out += list(MEASURE_EVIDENCE.get(head[0], (head[0],)))
            if len(head) > 1:
                out.append(head[1])
        return out
    if span.kind == "project_part":
        out.append(span.text)
    for t in span.targets:
        if isinstance(t, Project):
            out.append(t.name)
        elif isinstance(t, Subject):
            out += [t.code, t.name]
        elif isinstance(t, tuple):
            out += [str(x) for x in t if x]
        else:
            out.append(str(t))
    return out


def present(token: str, hay: str, hay_key: str) -> bool:
    if not token:
        return False
    if re.fullmatch(r"[a-z_]+", token):  # a table or column: a whole word of the SQL
        return re.search(rf"\b{token}\b", hay) is not None
    return token in hay or norm_key(token).lower() in hay_key


def amount_used(a: Decimal, hay: str) -> bool:
    """20万元 leaves 20 (or 200000 in 元) in the SQL or the sentence."""
    forms = {format(a.normalize(), "f"), format((a * 10000).normalize(), "f"), format((a / 10000).normalize(), "f")}
    return any(re.search(rf"(?<![\d.]){re.escape(f)}(?![\d])", hay) for f in forms)


def unused_spans(spans: list[Span], sql: str, sentence: str, budget_year: int, years: list[int],
                 amounts: list[Decimal] | None = None) -> list[str]:
    """The words of content spans (and years, amounts) that left no evidence in the SQL or the sentence."""
    hay = f"{sql}\n{sentence}"
    hay_key = norm_key(hay).lower()
    missing: list[str] = []
    for s in spans:
        if s.kind not in CONTENT_KINDS or not s.text:
            continue
        if not any(present(tok, hay, hay_key) for tok in evidence_of(s)):
            missing.append(s.text)
    for y in years:
        if y != budget_year and str(y) not in hay:
            missing.append(f"{y}年")
    for a in amounts or []:
        if not amount_used(a, hay):
            missing.append(format(a.normalize(), "f"))
    return list(dict.fromkeys(missing))


def own_spans(u: Understanding) -> list[Span]:
    """The spans this question itself contributed (a follow-up's inherited spans are checked in their own turn)."""
    inherited = {id(s) for s in u.inherited}
    return [s for s in u.spans if id(s) not in inherited]
