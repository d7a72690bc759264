"""One figure: a total, a measure, a subject, a 三公 item, a category."""

from __future__ import annotations

from decimal import Decimal

from budgetqa.families.base import (
    Template,
)
from budgetqa.families.common import (
    columns_of,
    money_unit,
    ok,
    quantity,
    shown,
)
from budgetqa.render import money


class Scalar(Template):
    """A single figure: totals, subjects at any level, 三公经费 by year, 政府采购, 政府购买服务.

    总支出多少 · 应急管理科目预算多少 · 行政运行的基本支出 · 2023年公务接待费是多少 · 政府购买服务里后勤服务多少钱
    """

    weight = 50
    family = "scalar"

    def match(self, u, env):
        if "howmany" in u.cues:
            return None  # 有几辆公务用车: a count of things, never an amount of money
        q, clar = quantity(u, env)
        if clar:
            return clar
        if q is None:
            return None
        if "list" in u.cues and q.evidence is not None and not u.cues & {"sum"}:
            rows = env.run(q.evidence)
            text = f"{q.label}共{len(rows)}项：" + "；".join(f"{r[0]} {money(r[-1], money_unit(u))}" for r in rows) + "。"
            return ok(u, env, text, None, money_unit(u), columns_of(q.evidence), [list(r) for r in rows])
        if "count" in u.cues and q.evidence is not None:
            rows = env.run(q.evidence)
            text = f"{q.label}共{len(rows)}项。"
            return ok(u, env, text, len(rows), "个", columns_of(q.evidence), [list(r) for r in rows])
        if u.cues & {"max", "min"} and not q.parts and not u.of("subject") and not u.of("project"):
            return None  # 基本支出中最大的一项: a part is asked, never the total
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
        if v is None:
            return ok(u, env, f"{q.label}未安排预算（0万元）。", Decimal(0), unit, [], [])
        text = f"{q.label}{'合计' if q.parts else '为'}{money(v, unit)}。"
        if 1 < len(rows) <= 8:
            text = text[:-1] + "，包括：" + "；".join(
                f"{' '.join(str(c) for c in r[:-1] if c)} {money(r[-1], unit)}" for r in rows) + "。"
        return ok(u, env, text, shown(v, unit), unit, columns, [list(r) for r in rows])
