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
>>> unused_spans([Span(0, 3, "尾款", "payment", ["尾款"])], "SELECT SUM(total) FROM expenditure WHERE dept_econ_code = '30101'",
...              "基本工资（含尾款）为1044万元", 2024, [])
['尾款']
"""

from __future__ import annotations

import re
from decimal import Decimal

from budgetqa.core.patterns import lazy
from budgetqa.ingest.text import norm_key
from budgetqa.nlu.linker import Span
from budgetqa.nlu.vocab import Project, Subject

# the tables or columns a measure leaves in the SQL (a measure answered from another table was not asked)
MEASURE_EVIDENCE = {
    "total_expenditure": ("expenditure", "支出总计", "本年支出合计", "SUM(", "合计"),
    "total_income": ("income", "收入总计", "本年收入合计", "summary_items"),
    "general_budget_income": ("income", "一般公共预算", "summary_items"),
    "fiscal_total": ("fiscal_expenditure", "basic_expenditure", "sangong"),  # 08表 and 三公 are 财政拨款 tables
    "basic": ("basic", "personnel", "public", "basic_expenditure"),  # 人员/公用经费 are 基本支出 by definition
    "project": ("project", "projects"),
    "personnel": ("personnel",),
    "public": ("public",),
    "procurement": ("procurement",),
    "services": ("purchased_services",),
    "sangong": ("sangong",),
}
VARIANT = lazy(r"[（(][^（）()]*[）)]$")  # 800兆电台维护费（首款） -> 800兆电台维护费
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


def generic_total(s: Span, spans: list[Span]) -> bool:
    """预算总额 / 总金额 beside another content word only says "the total of it" (政府采购预算总额)."""
    return s.kind == "measure" and set(s.targets) <= {"total_expenditure", "total_income"} and any(
        (o.start, o.end) != (s.start, s.end) and o.kind in CONTENT_KINDS and not (o.kind == "measure" and set(o.targets) <= {"total_expenditure"})
        for o in spans)


def projects_in(sql: str, names: list[str]) -> set[str]:
    """The project names a statement names as values ('name' in a list or a condition)."""
    return {n for n in names if f"'{n}'" in sql}


def unused_spans(spans: list[Span], sql: str, sentence: str, budget_year: int, years: list[int],
                 amounts: list[Decimal] | None = None, single_unit: bool = False,
                 project_names: list[str] | None = None) -> list[str]:
    """The words of content spans (and years, amounts) that left no evidence in the SQL (in the sentence when
    nothing was run; a sentence that lists projects names words the query never filtered on, so the projects'
    names are taken out of it first). Readings of one piece of the question (科学技术支出 as a subject and as a
    service field) are one word: one used reading uses it."""
    names = project_names or []
    hay = sql or sentence
    hay_key = norm_key(hay).lower()
    said = sentence
    for n in sorted(names, key=len, reverse=True):
        said = said.replace(n, "")
    said_key = norm_key(said).lower()
    named = projects_in(sql, names)
    measures = {t for s in spans if s.kind == "measure" for t in s.targets}
    project_targets = {t.name for s in spans if s.kind.startswith("project") for t in s.targets if isinstance(t, Project)}
    if len({s.targets[0] for s in spans if s.kind == "payment" and s.targets}) > 1:  # 首款和尾款: both payments of it
        stems = {VARIANT.sub("", n) for n in project_targets}
        project_targets |= {n for n in named if VARIANT.sub("", n) in stems}
    readings: dict[tuple[int, int, str], list[bool]] = {}
    for s in spans:
        if s.kind not in CONTENT_KINDS or not s.text or generic_total(s, spans):
            continue
        if s.kind == "org_unit" and single_unit:
            continue  # the department's only unit: every row is its
        evidence = evidence_of(s)
        if s.kind == "measure" and {"basic", "project"} <= measures:
            evidence.append("total")  # 基本支出和项目支出都算上: the whole of both
        if s.kind.startswith("project") and named:
            # the projects the statement names must all be ones the question names (姚遥's projects are not
            # all 应急指挥中心 projects)
            used = named <= project_targets and bool(named & {t.name for t in s.targets if isinstance(t, Project)})
        else:
            used = any(present(tok, hay, hay_key) for tok in evidence)
        if not used and s.kind == "project_part":
            used = present(s.text, said, said_key)  # an indicator's words (更新企业数量), not a project's name
        readings.setdefault((s.start, s.end, s.text), []).append(used)
    missing = [text for (_, _, text), used in readings.items() if not any(used)]
    for y in years:
        if y != budget_year and str(y) not in hay:
            missing.append(f"{y}年")
    for a in amounts or []:
        if not amount_used(a, hay):
            missing.append(format(a.normalize(), "f"))
    return list(dict.fromkeys(missing))
