"""What was understood, restated: a short canonical line shown under every answer so that a reader can
catch a question answered as another one.

    2024年 · 部门经济分类30215 会议费 · 合计（承接上一问：无）

Pieces, in order: the year, what the question names (subjects with their scheme and code, projects, people,
categories, measures, payments, thresholds), what is asked (合计, 个数, 占比 …), and for a follow-up what it
kept from the question before.

>>> from budgetqa.nlu.linker import Span, Understanding
>>> u = Understanding("姚遥负责的项目一共多少钱", "", "", [Span(0, 2, "姚遥", "person", ["姚遥"]),
...                   Span(7, 9, "一共", "cue", ["sum"])])
>>> restate(u, 2024)
'2024年 · 负责人姚遥 · 合计'
"""

from __future__ import annotations

import re

from budgetqa.nlu.linker import Span, Understanding
from budgetqa.nlu.vocab import Project, Subject

MEASURE_WORDS = {
    "total_expenditure": "支出总计", "total_income": "收入总计", "general_budget_income": "一般公共预算拨款收入",
    "fiscal_total": "一般公共预算财政拨款支出", "basic": "基本支出", "project": "项目支出", "personnel": "人员经费",
    "public": "公用经费", "procurement": "政府采购", "services": "政府购买服务", "sangong": "“三公”经费",
}
ASK_WORDS = [("share", "占比"), ("times", "倍数"), ("diff", "差额"), ("yoy", "与上年比"), ("phone", "联系电话"),
             ("who", "负责人"), ("owner", "负责人"), ("code", "编码"), ("indicators", "绩效指标"), ("goal", "绩效目标"),
             ("source", "资金来源"), ("breakdown", "分项"), ("avg", "平均"), ("max", "最多"), ("min", "最少"),
             ("rank", "排名"), ("asc", "从小到大"), ("count", "个数"), ("howmany", "个数"), ("list", "列表"),
             ("sum", "合计")]


ASKED_ONCE = ("phone", "who", "owner", "code", "indicators", "goal", "source")  # asks a bare follow-up keeps


def span_label(s: Span, sql: str = "") -> str | None:
    ts = s.targets
    if s.kind == "subject" and ts and isinstance(ts[0], Subject):
        last = sql.rsplit(";", 1)[-1]
        ts = [t for t in ts if f"'{t.code}" in last] or ts  # the reading the answer used (会议费 as 30215)
        near = f"（按“{s.text}”近似匹配）" if s.score < 100 and s.text and not s.text.isdigit() and len(ts) == 1 \
            and s.text not in ts[0].name else ""
        return "、".join(f"{t.scheme}{t.code} {t.name}" for t in ts[:2]) + ("等" if len(ts) > 2 else "") + near
    if s.kind == "project" and ts:
        names = [t.name for t in ts if isinstance(t, Project)]
        return names[0] if len(names) == 1 else f"{names[0]}等{len(names)}个项目"
    if s.kind == "project_part":
        return f"名称含“{s.text}”的项目"
    if s.kind == "project_fuzzy" and ts:
        return f"{ts[0].name}（按“{s.text}”近似匹配）"
    if s.kind in ("person", "person_guess") and ts:
        return "负责人" + "、".join(str(t) for t in ts[:3])
    if s.kind == "service_cat" and ts:
        return f"政府购买服务 {ts[0][-1]}"
    if s.kind == "proc_cat" and ts:
        return f"政府采购 {ts[0]}"
    if s.kind == "narrative_item" and ts:
        return f"{ts[0]}（预算说明）"
    if s.kind == "summary_item" and ts:
        return str(ts[0][-1])
    if s.kind == "org_unit" and ts:
        return str(ts[0][-1])
    if s.kind == "measure" and ts:
        head, _, item = str(ts[0]).partition(":")
        return item or MEASURE_WORDS.get(head, head)
    if s.kind == "exclude" and ts:
        return f"除去{ts[0]}"
    if s.kind == "payment" and ts:
        return "、".join(dict.fromkeys(str(t) for t in ts))
    return None


def names(spans: list[Span], sql: str = "") -> list[str]:
    """One label per piece of the question (its first reading), in question order."""
    seen: set[tuple[int, int]] = set()
    out: list[str] = []
    for s in sorted(spans, key=lambda s: s.start):
        label = span_label(s, sql)
        if label is None or (s.start, s.end) in seen and s.end > s.start:
            continue
        seen.add((s.start, s.end))
        if label not in out:
            out.append(label)
    return out


def restate(u: Understanding, budget_year: int, sql: str = "") -> str:
    years = sorted(set(u.years)) or [budget_year]
    parts = ["、".join(f"{y}年" for y in years)]
    inherited = {id(s) for s in u.inherited}
    own = [s for s in u.spans if id(s) not in inherited]
    parts += names(own, sql)
    cues = {t for s in u.spans if s.kind == "cue" for t in s.targets}
    for a in u.amounts:
        if cues & {"gt", "lt", "ge", "le", "between"}:
            which = next((c for c in ("gt", "lt", "ge", "le") if c in cues), "")
            word = {"gt": "超过", "lt": "低于", "ge": "不低于", "le": "不超过"}.get(which, "约")
            parts.append(f"{word}{a.value.normalize():f}万元")
    if u.top_n:
        parts.append(f"前{u.top_n}")
    asked = [w for c, w in ASK_WORDS if c in cues]
    parts.append("、".join(dict.fromkeys(asked)) if asked else "金额")
    if u.unit == "元":
        parts.append("以元表示")
    line = " · ".join(p for p in parts if p)
    if u.previous is not None:
        kept = names(u.inherited, sql)
        kept += [w for c, w in ASK_WORDS if any(c in sp.targets for sp in u.inherited if sp.kind == "cue") and c in ASKED_ONCE]
        if re.match(r"^(?:那|那么)?(?:它|这部分|这些|这块|这个|这|其)?(?:占|比)", u.question or ""):
            kept = names(u.previous.spans, sql) + kept  # 占总支出的比例呢: the previous question's figure is the part
        line += f"（承接上一问：{'、'.join(kept) if kept else '无'}）"
    return line


def suggestions(u: Understanding, limit: int = 5) -> list[str]:
    """Questions about what the user just named (its subject, project, person, keyword), for a refusal to offer
    instead of the same examples every time.

    >>> suggestions(Understanding("姚遥的工资", "", "", [Span(0, 2, "姚遥", "person", ["姚遥"])]))
    ['姚遥负责哪些项目', '姚遥负责的项目一共多少钱', '姚遥的联系电话']
    """
    out: list[str] = []
    for s in u.spans:
        ts = s.targets
        if s.kind == "person" and ts:
            out += [f"{ts[0]}负责哪些项目", f"{ts[0]}负责的项目一共多少钱", f"{ts[0]}的联系电话"]
        elif s.kind == "subject" and ts and isinstance(ts[0], Subject):
            out += [f"{ts[0].name}多少", f"{ts[0].name}的项目支出多少", f"{ts[0].name}科目下有哪些项目"]
        elif s.kind in ("project", "project_fuzzy") and ts and isinstance(ts[0], Project):
            out += [f"{ts[0].name}多少钱", f"{ts[0].name}的负责人是谁"]
        elif s.kind == "project_part" and s.text and ts:
            out += [f"{s.text}相关项目一共多少钱", f"{s.text}相关项目有哪些"]
        elif s.kind == "service_cat" and ts:
            out += [f"政府购买服务里{ts[0][-1]}多少"]
        elif s.kind == "proc_cat" and ts:
            out += [f"政府采购里{ts[0]}多少"]
    return list(dict.fromkeys(out))[:limit]
