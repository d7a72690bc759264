"""Sets of projects: by keyword, payment, amount threshold; sums, counts, lists, rankings."""

from __future__ import annotations

import re
from decimal import Decimal

from budgetqa.answer import Answer
from budgetqa.families.base import (
    Template,
    base_name,
    project_set_query,
    single_or_siblings,
    unique,
)
from budgetqa.families.common import (
    amount_filter,
    clarify,
    money_unit,
    ok,
    payment_conds,
    projects_named,
    shown,
    wants_set,
)
from budgetqa.render import listing, money
from budgetqa.sqlbuild import Cond, Query


class ProjectSet(Template):
    """Projects by keyword, 首款/尾款/全款, amount threshold or range: sums, counts, lists, averages, top N.

    应急指挥相关项目一共多少钱 · 首款项目有几个 · 低于3万元的项目有哪些 · 预算最多的五个项目 · 项目平均多少钱
    """

    weight = 70
    family = "project_set"

    def match(self, u, env):
        projects, words, as_set = projects_named(u, env.vocab)
        conds: list[Cond] = []
        label = ""
        if u.of("service_cat") or u.of("proc_cat") or u.of("narrative_item"):
            return None  # 信息化服务有哪些项目: the services, not all projects
        if projects:
            if len(projects) == 1 and not wants_set(u) and not u.amounts:
                return None  # one named project: ProjectAmount
            if u.of("project_fuzzy") and not u.of("project") and not single_or_siblings(projects) and not wants_set(u):
                return clarify(u, projects)  # a near match to several different projects: which one?
            distinct = unique([p.name for p in projects])
            if as_set and 1 < len(distinct) <= 6 and len(words) >= 4 and not wants_set(u) and not u.amounts \
                    and not single_or_siblings(projects) \
                    and not u.payments and not u.of("person") and not u.of("org_unit"):
                return clarify(u, projects)  # 城市电视发布预警信息项目预算多少: which of the projects so named?
            if as_set and len(distinct) > 1 and single_or_siblings(projects) and not wants_set(u) and not u.amounts \
                    and not u.payments and not u.of("person") and not u.of("org_unit"):
                return payment_choice(u, env, projects)  # 800兆电台维护费多少: its 首款 line, its 尾款 line, or both?
            if not as_set and len(projects) == 1 and not (u.cues & {"keyword"}):
                return None
            conds.append(Cond("name", "in", [p.name for p in projects]))
            label = f"“{words}”相关项目" if as_set else "、".join(p.name for p in projects)
        pays = u.payments
        ranked = "project" in u.measures and u.cues & {"max", "min", "rank", "list", "asc"} and not u.cues & {"share", "diff"}
        if not projects and not pays and "project" not in u.cues and not ranked and not u.excluded and \
                not (u.amounts and u.cues & {"gt", "lt", "ge", "le"}):
            return None  # (项目支出里最大的一笔是什么 ranks projects)
        for code, name in [t for sp in u.of("org_unit") for t in sp.targets[:1]][-1:]:  # 社会福利中心有哪些项目
            conds.append(Cond("unit_code", "eq", code))
            label = f"{name}的" + (label or "项目")
        if u.of("subject") or u.of("person") or [m for m in u.measures if m not in ("project",)]:
            return None
        return self.answer(u, env, conds, label or "项目")

    def answer(self, u, env, conds, label):
        pays = unique(u.payments)
        if len(pays) > 1 and "breakdown" in u.cues:  # 首款和尾款各多少: each payment on its own
            q = Query("projects", "amount", "sum", conds + payment_conds(u), group=["payment"], order=[("value", True)])
            rows = env.run(q)
            unit = money_unit(u)
            text = f"{label if label != '项目' else ''}按款项：" + "；".join(f"{r[0]}项目 {money(r[1], unit)}" for r in rows) + "。"
            return ok(u, env, text, None, unit, ["款项", "金额（万元）"], [list(r) for r in rows])
        conds = conds + payment_conds(u)
        if u.excluded:  # 除了公共事务协管经费: the set without it
            left_out = unique([p.name for p in u.excluded])
            conds.append(Cond("name", "notin", left_out))
            label = f"除{'、'.join(left_out)}以外的" + label
            env.used |= {"excluded", "negation"}  # (除了 is the negation it answers)
        if pays:
            label = (label + "中" if label != "项目" else "") + "、".join(pays) + ("项目" if label == "项目" else "")
        having, which = amount_filter(u)
        label = which + label
        q = project_set_query(None, conds, having)
        cues = u.cues
        desc = not cues & {"min", "asc"}
        if cues & {"max", "min", "rank", "asc"} or u.top_n:
            q.order = [("value", desc)]
        rows = env.run(q)
        if not rows and cues & {"count", "howmany"} and not cues & {"sum", "list"}:  # 刘子明负责的培训项目有几个: none
            return ok(u, env, f"{label}共0个（没有这样的项目）。", 0, "个")
        if not rows and conds and u.of("project_part") and "list" not in cues:  # 丛林负责的培训类项目: none, so 0
            return ok(u, env, f"{label}：没有这样的项目，合计为0万元。", Decimal(0), money_unit(u))
        if not rows:
            return Answer(u.question, "not_found", f"没有找到{label}。", sql=env.sql, links=u.links())
        unit = money_unit(u)
        total = sum((r[1] for r in rows), Decimal(0))
        n = len(rows)
        items = [[r[0], r[1]] for r in rows]
        cols = ["项目名称", "金额（万元）"]
        if u.top_n or (cues & {"max", "min"} and cues & {"list", "rank"}):
            k = u.top_n or 1
            top = rows[:k] if u.top_n else [r for r in rows if r[1] == rows[0][1]]  # 最贵的是哪个: all that tie
            word = "最多" if desc else "最少"
            if "sum" in cues and len(top) > 1:  # 最贵的三个项目加起来多少
                subtotal = sum((r[1] for r in top), Decimal(0))
                text = f"{label}中预算{word}的{len(top)}个合计{money(subtotal, unit)}：" + "；".join(
                    f"{r[0]} {money(r[1], unit)}" for r in top) + "。"
                return ok(u, env, text, shown(subtotal, unit), unit, cols, [list(r) for r in top])
            text = f"{label}中预算{word}的{len(top)}个：" + "；".join(f"{r[0]} {money(r[1], unit)}" for r in top) + "。"
            return ok(u, env, text, shown(top[0][1], unit) if k == 1 else None, unit, cols, [list(r) for r in top])
        if cues & {"max", "min"}:
            r = rows[0]
            word = "最多" if desc else "最少"
            ties = [x for x in rows if x[1] == r[1]]
            text = f"{label}中预算{word}的是{'、'.join(x[0] for x in ties)}，{money(r[1], unit)}。"
            return ok(u, env, text, shown(r[1], unit), unit, cols, [list(x) for x in ties])
        if "avg" in cues:
            avg = total / n
            text = f"{label}共{n}个，平均每个{money(avg.quantize(Decimal('0.000001')), unit)}（合计{money(total, unit)}）。"
            return ok(u, env, text, shown(avg, unit), unit, cols, items)
        money_words = re.search(r"钱|金额|预算|经费|资金|万元|元|花|(?:合计|一共|总共|共计|加起来|总计)(?:是|有)?多少",
                                u.qn.split("个")[-1] if "个" in u.qn else u.qn)  # (标了全款的几个项目，合计多少: the sum)
        if "count" in cues and (not cues & {"sum"} or not money_words):
            text = f"{label}共{n}个：{listing([r[0] for r in rows])}。"
            return ok(u, env, text, n, "个", cols, items)
        if "list" in cues and not cues & {"sum"}:
            text = f"{label}共{n}个，合计{money(total, unit)}：" + "；".join(f"{r[0]}（{money(r[1], unit)}）" for r in rows[:30]) + (
                "……" if n > 30 else "") + "。"
            return ok(u, env, text, shown(total, unit), unit, cols, items)  # the list adds up to its total
        lines = f"，共{n}个项目" if n > 1 else ""
        text = f"{label}合计{money(total, unit)}{lines}：" + "；".join(
            f"{r[0]} {money(r[1], unit)}" for r in rows[:20]) + ("……" if n > 20 else "") + "。"
        return ok(u, env, text, shown(total, unit), unit, cols, items)


def payment_choice(u, env, projects) -> Answer:
    """One project budgeted as several payment lines, asked without saying which: each line with its amount, and
    both together, to choose from (a reply 尾款 / 第二个 / 两笔加起来 answers the question asked)."""
    rows = env.run(Query("projects", "amount", "sum", [Cond("name", "in", unique([p.name for p in projects]))],
                         group=["name"], order=[("first_line", False)]))
    unit = money_unit(u)
    names = [r[0] for r in rows]
    text = f"“{base_name(names[0])}”分{len(names)}笔列支：" + "；".join(f"{r[0]} {money(r[1], unit)}" for r in rows) + \
        f"。您问的是哪一笔，还是{len(names)}笔合计？"
    return Answer(u.question, "clarify", text, candidates=names, links=u.links(), sql=env.sql)
