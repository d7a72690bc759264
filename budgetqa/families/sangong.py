"""三公经费 and its parts compared with the year before."""

from __future__ import annotations

import re
from decimal import Decimal

from budgetqa.answer import Answer
from budgetqa.families.base import (
    Template,
    sangong_quantity,
)
from budgetqa.families.common import (
    SANGONG_PREFIX,
    money_unit,
    ok,
    shown,
)
from budgetqa.render import money, percent


class SangongYoY(Template):
    """三公经费 and its parts compared with the year before.

    三公经费比上年增减多少 · 公务接待费比去年少了多少
    """

    weight = 86
    family = "sangong"

    def match(self, u, env):
        items = [m for m in u.measures if m.startswith(SANGONG_PREFIX)]
        if not items or "yoy" not in u.cues:
            return None
        item = items[-1].split(":", 1)[1] if ":" in items[-1] else "三公经费"
        y = env.vocab.year if not u.years or u.years[-1] == env.vocab.year - 1 else u.years[-1]
        cur, prev = sangong_quantity(item, y), sangong_quantity(item, y - 1)
        vc, vp = env.scalar(cur.query), env.scalar(prev.query)
        if vc is None or vp is None:
            return Answer(u.question, "not_found", f"没有{y - 1}年和{y}年两年的{item}数据。", links=u.links())
        d = vc - vp
        unit = money_unit(u)
        trend = "增加" if d > 0 else ("减少" if d < 0 else "持平")
        m = re.search(r"(\d{4})年?.*?比(\d{4})年", u.qn)
        if m and int(m.group(1)) == y - 1 and int(m.group(2)) == y and not u.cues & {"share"}:
            # 2023年的三公经费比2024年多多少: the earlier year against the later one
            word = "多" if -d > 0 else ("少" if d > 0 else "相同")
            text = f"{prev.label}{money(vp, unit)}，{cur.label}{money(vc, unit)}，{y - 1}年比{y}年{word}{money(abs(d), unit)}。"
            return ok(u, env, text, shown(-d, unit), unit, ["年度", "金额（万元）"], [[y - 1, vp], [y, vc]])
        if "share" in u.cues and vp:  # 比上年下降了百分之几: the change as a share of the year before
            r = abs(d) / vp
            text = f"{cur.label}{money(vc, unit)}，{prev.label}{money(vp, unit)}，" + (
                f"比上年{trend}{percent(r)}。" if d else "与上年持平。")
            return ok(u, env, text, (r * 100).quantize(Decimal("0.0001")), "%", ["年度", "金额（万元）"],
                      [[y - 1, vp], [y, vc]])
        text = f"{cur.label}{money(vc, unit)}，{prev.label}{money(vp, unit)}，" + (
            f"比上年{trend}{money(abs(d), unit)}。" if d else "与上年持平。")
        return ok(u, env, text, shown(d, unit), unit, ["年度", "金额（万元）"], [[y - 1, vp], [y, vc]])
