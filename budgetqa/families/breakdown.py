"""A figure split by a dimension: subjects at a level, 目录/领域, categories, years, payments, owners."""

from __future__ import annotations

import re
from decimal import Decimal

from budgetqa.families.base import (
    SCHEME_COLUMN,
    Template,
)
from budgetqa.families.common import (
    CODE_COLUMN,
    MONEY_MEASURES,
    SANGONG_PREFIX,
    SCHEME,
    amount_filter,
    money_unit,
    narrowest,
    ok,
    projects_named,
    shown,
    year_of,
)
from budgetqa.render import money
from budgetqa.sqlbuild import Cond, Query

DIM_COLUMNS = {"level1": "level1", "level2": "level2", "level3": "level3", "field": "field"}



LEVEL_LEN = {"func": {"类": 3, "款": 5, "项": 7}, "dept_econ": {"类": 3, "款": 5}, "gov_econ": {"类": 3, "款": 5}}



class Breakdown(Template):
    """A figure split by a dimension: subjects at a level, 目录/领域, 采购类别, years, 款项, 负责人.

    各功能分类支出分别是多少 · 按经济分类列出基本支出 · 政府购买服务按二级目录分别多少 · 三公经费2023年和2024年分别多少
    """

    weight = 87
    family = "breakdown"

    def match(self, u, env):
        if len(u.of("measure")) >= 2 and u.cues & {"max", "min"} and re.search(r"和|与|跟|及|还是", u.qn):
            return None  # 人员经费和公用经费哪个多: the two compared, not a breakdown of either
        dims = u.dims
        extreme = bool(u.cues & {"max", "min"}) and not u.of("project")
        if not dims and extreme and "project" not in u.cues and set(narrowest(u.measures)) & {"basic", "personnel", "public"}:
            dims = ["dept_econ"]  # 基本支出中最大的一项: by 部门经济分类
        if "breakdown" not in u.cues and not (dims and u.cues & {"list", "rank", "max", "min", "asc"} and "project" not in u.cues) \
                and not (extreme and (any(m.startswith(SANGONG_PREFIX) for m in u.measures) or "services" in u.measures)):
            return None
        if "procurement" in u.measures and u.of("proc_cat") and not u.cues & {"max", "min", "rank", "asc", "list"}:
            return None  # 政府采购按类别分，服务类的金额是多少: the one category's figure, not the whole breakdown
        measures = u.measures
        sangong = [m for m in measures if m.startswith(SANGONG_PREFIX)]
        unit = money_unit(u)
        if sangong:
            item = sangong[-1].split(":", 1)[1] if ":" in sangong[-1] else "三公经费"
            if len(u.years) >= 2 or "year" in dims or item != "三公经费":
                years = sorted(set(u.years)) or env.vocab.sangong_years
                q = Query("sangong", "amount", "sum", [Cond("item", "eq", item), Cond("year", "in", years)], group=["year"],
                          order=[("year", False)])
                rows = env.run(q)
                text = f"{item}：" + "；".join(f"{r[0]}年{money(r[1], unit)}" for r in rows) + "。"
                return ok(u, env, text, None, unit, ["年度", "金额（万元）"], [list(r) for r in rows])
            order = [("value", "min" not in u.cues)] if extreme else [("first_line", False)]
            q = Query("sangong", "amount", "sum", [Cond("year", "eq", year_of(u, env)), Cond("item", "ne", "三公经费")],
                      group=["item"], order=order)
            rows = env.run(q)
            if extreme and rows:  # 三公经费里哪项最多
                r = rows[0]
                return ok(u, env, f"{year_of(u, env)}年“三公”经费中{'最少' if 'min' in u.cues else '最多'}的是{r[0]}，"
                          f"{money(r[1], unit)}。", shown(r[1], unit), unit, ["项目", "金额（万元）"], [list(r) for r in rows])
            text = f"{year_of(u, env)}年“三公”经费构成：" + "；".join(f"{r[0]} {money(r[1], unit)}" for r in rows) + "。"
            return ok(u, env, text, None, unit, ["项目", "金额（万元）"], [list(r) for r in rows])
        svc_dim = next((d for d in dims if d in DIM_COLUMNS), None)
        if "services" in measures or svc_dim:
            col = DIM_COLUMNS[svc_dim] if svc_dim else "project_name" if extreme and "project" in u.cues else "level2"
            conds = [Cond(c, "eq", name) for sp in u.of("service_cat") for c, name in sp.targets[:1]]
            return self.grouped(u, env, Query("purchased_services", "amount", "sum", conds, group=[col], order=[("value", True)]),
                                "政府购买服务", unit)
        if "procurement" in measures or "category" in dims:
            return self.grouped(u, env, Query("procurement", "amount", "sum", group=["category"], order=[("value", True)]),
                                "政府采购", unit)
        if "payment" in dims:
            return self.grouped(u, env, Query("projects", "amount", "sum", [Cond("payment", "notnull")], group=["payment"],
                                              order=[("value", True)]), "项目按款项", unit)
        if "owner" in dims and "project" in u.cues:
            return self.grouped(u, env, Query("projects", "amount", "sum", [Cond("owner", "notnull")], group=["owner"],
                                              order=[("value", True)]), "项目按负责人", unit)
        subj_dim = next((d for d in dims if d in CODE_COLUMN), None)
        projects, words, _ = projects_named(u, env.vocab)
        if projects and (subj_dim or "subject" in u.cues):
            col = CODE_COLUMN.get(subj_dim or "func")
            name_col = col.replace("_code", "_name")
            q = Query("projects", "amount", "sum", [Cond("name", "in", [p.name for p in projects])], group=[col, name_col],
                      order=[("value", True)])
            rows = env.run(q)
            total = sum((r[2] for r in rows), Decimal(0))
            text = f"{'、'.join(p.name for p in projects[:5])}按{SCHEME[subj_dim or 'func']}：" + "；".join(
                f"{r[0]} {r[1]} {money(r[2], unit)}" for r in rows) + "。"
            return ok(u, env, text, shown(total, unit), unit, ["编码", "名称", "金额（万元）"], [list(r) for r in rows])
        if subj_dim is None:
            return None
        level = next((lv for lv in ("类", "款", "项") if re.search(lv + r"(?:级|一级|级次)?", u.qn.split("分类")[-1])), None)
        n = LEVEL_LEN[subj_dim].get(level or ("项" if subj_dim == "func" else "款"), 5)
        m = next((x for x in narrowest(measures) if x in MONEY_MEASURES), None)
        conds = []
        for sp in u.of("subject"):
            s = sp.targets[0]
            col = SCHEME_COLUMN[s.scheme]
            conds.append(Cond(col, "prefix", s.code))
        if m in ("personnel", "public"):
            table = "fiscal_expenditure" if subj_dim == "func" else "basic_expenditure"
            measure = m
        else:
            table, measure = "expenditure", {"basic": "basic", "project": "project"}.get(m or "", "total")
        column = CODE_COLUMN[subj_dim]
        having, which = amount_filter(u)
        smallest = bool(u.cues & {"min", "asc"})
        q = Query(table, measure, "sum", conds + [Cond(measure, "notnull")], group=[f"{column}:{n}"], having=having,
                  order=[("value", not smallest)])
        rows = env.run(q)
        names = {s.code: s.name for s in env.vocab.subjects if s.scheme == SCHEME[subj_dim]}
        rows = [(r[0], names.get(r[0], ""), r[1]) for r in rows if r[1]]
        label = f"{which}{MEASURE_LABELS_ZH.get(measure, '支出')}"
        columns = ["编码", "名称", "金额（万元）"]
        top = u.top_n or (1 if u.cues & {"max", "min"} and not u.cues & {"rank", "asc"} else None)
        if top and rows:  # 最大的三项 / 哪个项级科目最少
            rows = rows[:top]
            text = f"{label}按{SCHEME[subj_dim]}（{n}位编码）{'最少' if smallest else '最多'}的{len(rows)}项：" + "；".join(
                f"{r[0]} {r[1]} {money(r[2], unit)}" for r in rows) + "。"
            return ok(u, env, text, shown(rows[0][2], unit) if len(rows) == 1 else None, unit, columns, [list(r) for r in rows])
        total = sum((r[2] for r in rows), Decimal(0))
        text = f"{label}按{SCHEME[subj_dim]}（{n}位编码）：" + "；".join(f"{r[0]} {r[1]} {money(r[2], unit)}" for r in rows[:15]) + \
            ("……" if len(rows) > 15 else "") + f"；合计{money(total, unit)}。"
        return ok(u, env, text, shown(total, unit), unit, columns, [list(r) for r in rows])

    def grouped(self, u, env, q, label, unit):
        if "min" in u.cues:
            q.order = [("value", False)]
        rows = [r for r in env.run(q) if r[1] is not None]
        if u.cues & {"max", "min"} and rows and not u.top_n:  # 政府购买服务中金额最大的项目
            r = rows[0]
            ties = [x for x in rows if x[1] == r[1]]
            text = f"{label}中{'最少' if 'min' in u.cues else '最多'}的是{'、'.join(str(x[0]) for x in ties)}，{money(r[1], unit)}。"
            return ok(u, env, text, shown(r[1], unit), unit, ["分类", "金额（万元）"], [list(x) for x in ties])
        total = sum((r[1] for r in rows), Decimal(0))
        text = f"{label}：" + "；".join(f"{r[0]} {money(r[1], unit)}" for r in rows[:15]) + ("……" if len(rows) > 15 else "") + \
            f"；合计{money(total, unit)}。"
        return ok(u, env, text, shown(total, unit), unit, ["分类", "金额（万元）"], [list(r) for r in rows])



MEASURE_LABELS_ZH = {"total": "支出", "basic": "基本支出", "project": "项目支出", "personnel": "人员经费", "public": "公用经费"}
