"""One figure: a total, a measure, a subject, a 三公 item, a category."""

from __future__ import annotations

import re
from decimal import Decimal

from budgetqa.answer import Answer
from budgetqa.families.base import (
    Template,
)
from budgetqa.families.common import (
    columns_of,
    money_unit,
    ok,
    quantity,
    shown,
    stated_quantity,
    summary_quantity,
)
from budgetqa.render import money
from budgetqa.sqlbuild import Query
from budgetqa.store.schema import CATALOGUE


class Scalar(Template):
    """A single figure: totals, subjects at any level, 三公经费 by year, 政府采购, 政府购买服务.

    总支出多少 · 应急管理科目预算多少 · 行政运行的基本支出 · 2023年公务接待费是多少 · 政府购买服务里后勤服务多少钱
    """

    weight = 50
    family = "scalar"

    def match(self, u, env):
        if u.cues & {"share", "times"}:
            return None  # 占多少比例 / 几倍: a ratio is asked (Ratio), never one of its amounts
        if "howmany" in u.cues and not u.of("narrative_item"):
            return None  # 有几辆公务用车: a count of things, never an amount of money
        if u.cues & {"owner", "who", "phone", "indicators", "goal"}:
            return None  # 人民调解项目的负责人是谁: an attribute is asked, never the amount
        if "yoy" in u.cues and len(set(u.years)) < 2 and not any(m.startswith("sangong") for m in u.measures):
            return None  # 同比增长多少 / 2024年基本支出增长了多少: a change is asked, never this year's figure alone
        q, clar = quantity(u, env)
        if clar:
            return clar
        if q is None:
            return None
        q = env.resolve(q)
        if q.kind not in ("money",) and q.query is not None:  # 车辆数: a count the text states
            v = env.value(q)
            if v is None:  # (another budget's text states it, this one's does not: never a 0)
                return Answer(u.question, "not_found", f"这份预算没有写{q.label}。", sql=env.sql or None, links=u.links())
            n = v.normalize()
            listed = ""
            if q.query.table == "narrative":  # 设5个内设机构，包括：院长室、办公室…: the names the section lists, too
                said = " ".join(str(r[0]) for r in env.run(Query("narrative", agg="rows", where=q.query.where,
                                                                 select=["sentence"])) if r[0])
                names = re.search(r"包括(?:（[^）]*）)?[：:]\s*(.+?)(?:。名词解释|名词解释|$)", said)
                listed = f"；文中列出：{names.group(1).rstrip('。')}" if names else ""
                parts = [x.strip(" 。") for x in re.split(r"[、；]|\d+[.．、]\s*", names.group(1)) if x.strip(" 。")] if names else []
                if parts and "list" in u.cues:  # 设了哪些科室: the names are the rows
                    return ok(u, env, f"{q.label}为{n:f}{q.kind}{listed}。", n, q.kind, ["名称"], [[x] for x in parts])
            return ok(u, env, f"{q.label}为{n:f}{q.kind}{listed}。", n, q.kind, ["项目", f"数量（{q.kind}）"], [[q.label, n]])
        if "list" in u.cues and q.evidence is not None and not u.cues & {"sum"}:
            rows = env.run(q.evidence)
            if not rows:  # nothing of it in this budget: said so, never 共0项
                return Answer(u.question, "not_found", f"这份预算里没有{q.label}。", sql=env.sql or None, links=u.links())
            text = f"{q.label}共{len(rows)}项：" + "；".join(f"{r[0]} {money(r[-1], money_unit(u))}" for r in rows) + "。"
            return ok(u, env, text, None, money_unit(u), columns_of(q.evidence), [list(r) for r in rows])
        if "count" in u.cues and q.evidence is not None:
            rows = env.run(q.evidence)
            text = f"{q.label}共{len(rows)}项。"
            return ok(u, env, text, len(rows), "个", columns_of(q.evidence), [list(r) for r in rows])
        if u.cues & {"max", "min"} and not q.parts and not u.of("subject") and not u.of("project"):
            return None  # 基本支出中最大的一项: a part is asked, never the total
        if u.cues & {"max", "min"} and q.parts:  # 会议费和培训费哪个多: the larger, never their sum
            unit = money_unit(u)
            values = [(p.label, env.value(p)) for p in q.parts]
            if any(v is None for _, v in values):
                return None
            pick = (max if "max" in u.cues else min)(values, key=lambda x: x[1])
            said = "，".join(f"{label}{money(v, unit)}" for label, v in values)
            word = "多" if "max" in u.cues else "少"
            return ok(u, env, f"{said}；{pick[0]}较{word}。", shown(pick[1], unit), unit, ["项目", "金额（万元）"],
                      [[label, v] for label, v in values])
        if q.each and q.parts:  # 基本支出和人员经费分别多少: each figure, and no total (one is part of the other)
            unit = money_unit(u)
            values = [(p.label, env.value(p)) for p in q.parts]
            why = "（收入与支出是同一本预算的两边，不相加）" if {p.label for p in q.parts} == {"收入总计", "支出总计"} else \
                "（一个含在另一个里，不相加）"
            return ok(u, env, "；".join(f"{label}{money(v, unit)}" for label, v in values) + why + "。", None,
                      unit, ["项目", "金额（万元）"], [[label, v] for label, v in values])
        v = env.value(q)
        unit = money_unit(u)
        columns = ["项目", "金额（万元）"]
        if q.parts:
            rows = [[p.label, env.value(p)] for p in q.parts]
        else:
            rows = env.run(q.evidence) if q.evidence is not None else [[q.label, v]]
            rows = [r for r in rows if r[-1] is not None]
            if q.evidence is not None:
                columns = columns_of(q.evidence)
        if v is None and q.query is not None and env.scalar(Query(q.query.table, q.query.measure, "sum")) is None:
            stated = stated_line(u, env)  # 政府采购多少 where only the text states it (上海9表: 其他相关情况说明)
            if stated is not None:
                return stated
            table = CATALOGUE[q.query.table]  # the whole column is empty: this document does not print it
            return Answer(u.question, "not_found", f"这份预算的{table.zh}没有列出{table.columns[q.query.measure].zh}，"
                          f"无法回答{q.label}。", sql=env.sql or None, links=u.links())
        if v is None and q.query is not None and any(c.op == "in" and c.column in ("name", "project_name") for c in q.query.where):
            table = CATALOGUE[q.query.table]  # the project has no line in that table: not there, rather than 0
            return Answer(u.question, "not_found", f"{table.zh}（{table.source}）里没有{q.label.removesuffix('在政府购买服务中')}。",
                          sql=env.sql or None, links=u.links())
        if v is None and q.query is not None and q.query.table == "procurement" and q.query.where:
            listed = [r[0] for r in env.run(Query("procurement", "amount", "sum", group=["category"]))]
            return Answer(u.question, "not_found", f"政府采购预算表只列出{'、'.join(listed)}，没有{q.label.removeprefix('政府采购中')}"
                          "这一类的数。", sql=env.sql or None, links=u.links())
        if v is None and q.query is not None and any(c.op == "contains" for c in q.query.where) and not env.run(
                Query(q.query.table, agg="rows", where=q.query.where, select=[q.query.measure])):
            # no line of this table matches at all (财政拨款收入 where the table says 一般公共预算资金): not there, never 0
            item = summary_quantity(u)
            if item is not None:
                sv = env.value(item)
                if sv is not None:
                    return ok(u, env, f"{item.label}为{money(sv, unit)}。", shown(sv, unit), unit, columns, [[item.label, sv]])
            table = CATALOGUE[q.query.table]
            return Answer(u.question, "not_found", f"这份预算的{table.zh}里没有{q.label}这一行，无法回答。",
                          sql=env.sql or None, links=u.links())
        if v is None:
            return ok(u, env, f"{q.label}未安排预算（0万元）。", Decimal(0), unit, [], [])
        printed = env.printed_total(q)
        note = ""
        if printed is not None and printed != v and rounded_to_yuan(printed, v):
            note = f"（原表合计行印作{money(printed, unit)}，是各行之和取整到元）"  # 22,118,861 printed, rows 22,118,861.34
            printed = None
        if printed is not None and printed != v:  # the document disagrees with itself: both figures, no choice made
            cands = [f"原表合计行：{money(printed, unit)}", f"表中各行相加：{money(v, unit)}"]
            return Answer(u.question, "clarify", f"{q.label}在这份预算里有两个不一致的数：原表合计行为{money(printed, unit)}，"
                          f"表中各行相加为{money(v, unit)}（见 budgetqa report）。请核对原文后再用。", None, None,
                          columns, [[q.label + "（原表合计）", printed], [q.label + "（各行相加）", v]], env.sql or None,
                          u.links(), candidates=cands)
        text = f"{q.label}{'合计' if q.parts else '为'}{money(v, unit)}{note}。"
        if 1 < len(rows) <= 8:
            text = text[:-1] + "，包括：" + "；".join(
                f"{' '.join(str(c) for c in r[:-1] if c)} {money(r[-1], unit)}" for r in rows) + "。"
        return ok(u, env, text, shown(v, unit), unit, columns, [list(r) for r in rows])

def rounded_to_yuan(printed: Decimal, added: Decimal) -> bool:
    """A 合计 printed in whole 元 beside rows in 元 and 分 (万元 here): the same figure, rounded, not a disagreement.

    >>> rounded_to_yuan(Decimal("2211.8861"), Decimal("2211.886134")), rounded_to_yuan(Decimal("2211.8861"), Decimal("2211.8871"))
    (True, False)
    >>> rounded_to_yuan(Decimal("9751.38787"), Decimal("9751.387871"))  # a 万元 table's own 6 places: no rounding to 元
    False
    """
    yuan = printed * 10000
    return yuan == yuan.to_integral_value() and abs(added - printed) * 10000 < Decimal("0.5") + Decimal("0.0000001")


def stated_line(u, env) -> Answer | None:
    """The figure the text states under the question's words, when the table the words point to is empty."""
    q = stated_quantity(u, env)
    if q is None or q.kind != "money":
        return None
    v = env.scalar(q.query)
    if v is None:
        return None
    ev = env.run(q.evidence)
    env.used.add("measure")  # (the topic word names what the text states)
    return ok(u, env, f"{q.label}为{money(v, money_unit(u))}（预算说明所列）。", shown(v, money_unit(u)), money_unit(u),
              ["项目", "原句", "页", "金额（万元）"], [list(r) for r in ev])
