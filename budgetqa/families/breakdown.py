"""A figure split by a dimension: subjects at a level, 目录/领域, categories, years, payments, owners."""

from __future__ import annotations

import re
from decimal import Decimal

from budgetqa.answer import Answer
from budgetqa.families.base import (
    SCHEME_COLUMN,
    Template,
    unique,
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
from budgetqa.nlu.linker import ENTITY_KINDS, SPLIT_VERB
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
        if "procurement" in u.measures and len({t for sp in u.of("proc_cat") for t in sp.targets}) == 1 and \
                not u.cues & {"max", "min", "rank", "asc", "list"}:
            return None  # 政府采购按类别分，服务类的金额是多少: the one category's figure, not the whole breakdown
        measures = u.measures
        sangong = [m for m in measures if m.startswith(SANGONG_PREFIX)]
        unit = money_unit(u)
        if sangong:
            item = sangong[-1].split(":", 1)[1] if ":" in sangong[-1] else "三公经费"
            items = unique([m.split(":", 1)[1] if ":" in m else "三公经费" for m in sangong])
            if len(items) >= 2 and len(u.years) < 2 and "year" not in dims:  # 公务接待费和公车运维费分别多少: each named item
                q = Query("sangong", "amount", "sum", [Cond("year", "eq", year_of(u, env)), Cond("item", "in", items)],
                          group=["item"], order=[("first_line", False)])
                rows = env.run(q)
                text = f"{year_of(u, env)}年：" + "；".join(f"{r[0]} {money(r[1], unit)}" for r in rows) + "。"
                return ok(u, env, text, None, unit, ["项目", "金额（万元）"], [list(r) for r in rows])
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
            total = env.run(Query("sangong", "amount", "sum", [Cond("year", "eq", year_of(u, env)),
                                                               Cond("item", "eq", "三公经费")]))[0][0]
            source = env.run(Query("sangong", agg="rows", where=[Cond("year", "eq", year_of(u, env))], select=["src_table"],
                                   limit=1))
            said = NINE_TABLE_SANGONG if source and "机关运行经费" in str(source[0][0] or "") else {}
            text = f"{year_of(u, env)}年“三公”经费{money(total, unit) if total is not None else ''}，构成：" + "；".join(
                f"{'其中' if is_part(r[0], rows) else ''}{r[0]}{'（原表：' + said[r[0]] + '）' if r[0] in said else ''} "
                f"{money(r[1], unit)}" for r in rows) + "。"
            return ok(u, env, text, shown(total, unit), unit, ["项目", "金额（万元）"], [list(r) for r in rows])
        svc_dim = next((d for d in dims if d in DIM_COLUMNS), None)
        if "services" in measures or svc_dim:
            col = DIM_COLUMNS[svc_dim] if svc_dim else "project_name" if extreme and "project" in u.cues else "level2"
            conds = [Cond(c, "eq", name) for sp in u.of("service_cat") for c, name in sp.targets[:1]]
            named = unique_names(projects_named(u, env.vocab)[0]) if col != "project_name" else []
            if named:  # 按服务类别拆开 after a project's line of 政府购买服务: that project's services, not the table's
                conds.append(Cond("project_name", "in", [p.name for p in named]))
            label = "、".join(p.name for p in named[:3]) + "的政府购买服务" if named else "政府购买服务"
            return self.grouped(u, env, Query("purchased_services", "amount", "sum", conds, group=[col], order=[("value", True)]),
                                label, unit)
        stated = unique([t for sp in u.of("narrative_item") for t in sp.targets])
        if len(stated) >= 2:  # 按货物、工程、服务分开说一下 (上海9表: the parts the text states)
            rows = []
            for item in stated:
                v = env.scalar(Query("narrative", "value", "sum", [Cond("item", "eq", item)]))
                rows.append((item, v))
            rows = [r for r in rows if r[1] is not None]
            if len(rows) >= 2:
                total = sum((r[1] for r in rows), Decimal(0))
                text = "；".join(f"{r[0]} {money(r[1], unit)}" for r in rows) + f"；合计{money(total, unit)}（预算说明所列）。"
                return ok(u, env, text, shown(total, unit), unit, ["项目", "金额（万元）"], [list(r) for r in rows])
        if "procurement" in measures or "category" in dims:
            env.used.add("proc_cat")  # 按货物、工程、服务分: the categories are the groups
            return self.grouped(u, env, Query("procurement", "amount", "sum", group=["category"], order=[("value", True)]),
                                "政府采购", unit)
        if "payment" in dims:
            return self.grouped(u, env, Query("projects", "amount", "sum", [Cond("payment", "notnull")], group=["payment"],
                                              order=[("value", True)]), "项目按款项", unit)
        if "owner" in dims and "project" in u.cues:
            return self.grouped(u, env, Query("projects", "amount", "sum", [Cond("owner", "notnull")], group=["owner"],
                                              order=[("value", True)]), "项目按负责人", unit)
        subj_dim = next((d for d in dims if d in CODE_COLUMN), None)
        generic = not any(s.text not in GENERIC_DIMS for s in u.of("dim"))  # 分科目看看: whichever classification splits it
        projects, words, _ = projects_named(u, env.vocab)
        people = [] if projects or u.of("subject") else unique(u.people)
        splits = u.previous is not None and (SPLIT_VERB.search(u.question) is not None or any(
            s.kind == "dim" and not any(s is t for t in u.inherited) for s in u.spans)) and any(
            s.kind in ENTITY_KINDS or s.kind == "measure" for s in u.inherited)  # 按功能分类分一下 after an answer
        if (projects or people) and (subj_dim or "subject" in u.cues or splits):
            return self.of_projects(u, env, projects, people, subj_dim, generic, unit)
        if subj_dim is None and (splits or "breakdown" in u.cues and asked_level(u)) and u.of("subject") and not measures:
            subj_dim = {"功能分类": "func", "部门经济分类": "dept_econ", "政府经济分类": "gov_econ"}[u.of("subject")[-1].targets[0].scheme]
        if subj_dim is None:
            return None
        level = asked_level(u) or (None if u.previous is not None else
                                   next((lv for lv in ("类", "款", "项") if re.search(lv + r"(?:级|一级|级次)?",
                                                                                   u.qn.split("分类")[-1])), None))
        n = LEVEL_LEN[subj_dim].get(level or ("项" if subj_dim == "func" else "款"), 5)
        m = next((x for x in narrowest(measures) if x in MONEY_MEASURES), None)
        if m in (None, "fiscal_total"):  # 一般公共预算财政拨款基本支出 按经济分类: the 基本支出 scope splits, not the whole
            m = next((x for x in ("basic", "project") if x in measures), m)
        conds = []
        for sp in u.of("subject"):
            s = sp.targets[0]
            col = SCHEME_COLUMN[s.scheme]
            conds.append(Cond(col, "prefix", s.code))
        if m in ("personnel", "public"):
            table = "fiscal_expenditure" if subj_dim == "func" else "basic_expenditure"
            measure = m
        elif "fiscal_total" in measures and subj_dim == "func" and m is None:
            table, measure = "fiscal_expenditure", "total"  # 财政拨款按功能分类拆开: the 一般公共预算财政拨款 table
        else:
            table, measure = "expenditure", {"basic": "basic", "project": "project"}.get(m or "", "total")
        column = CODE_COLUMN[subj_dim]
        having, which = amount_filter(u)
        smallest = bool(u.cues & {"min", "asc"})
        q = Query(table, measure, "sum", conds + [Cond(measure, "notnull"), Cond(column, "notnull")], group=[f"{column}:{n}"],
                  having=having, order=[("value", not smallest)])
        rows = env.run(q)
        if not rows and table == "expenditure" and measure == "basic" and subj_dim != "func":
            # a template whose 支出总表 has no 经济分类 columns (上海9表) lists 基本支出 by 经济分类 in its own table
            table, measure = "basic_expenditure", "total"
            q = Query(table, measure, "sum", conds + [Cond(measure, "notnull"), Cond(column, "notnull")],
                      group=[f"{column}:{n}"], having=having, order=[("value", not smallest)])
            rows = env.run(q)
        names = {s.code: s.name for s in env.vocab.subjects if s.scheme == SCHEME[subj_dim]}
        rows = [(r[0], names.get(r[0], ""), r[1]) for r in rows if r[1]]
        label = "、".join(unique([sp.targets[0].name for sp in u.of("subject")])) + ("的" if u.of("subject") and measure != "total" else "") + \
            f"{which}{MEASURE_LABELS_ZH.get(m or measure, '支出') if measure != 'total' or not u.of('subject') else ''}"
        columns = ["编码", "名称", "金额（万元）"]
        top = u.top_n or (1 if u.cues & {"max", "min"} and not u.cues & {"rank", "asc"} else None)
        if top and rows:  # 最大的三项 / 哪个项级科目最少
            rows = rows[:top]
            text = f"{label}按{SCHEME[subj_dim]}（{n}位编码）{'最少' if smallest else '最多'}的{len(rows)}项：" + "；".join(
                f"{r[0]} {r[1]} {money(r[2], unit)}" for r in rows) + "。"
            return ok(u, env, text, shown(rows[0][2], unit) if len(rows) == 1 else None, unit, columns, [list(r) for r in rows])
        total = sum((r[2] for r in rows), Decimal(0))
        if not rows and not u.of("subject"):  # no line of this table carries that classification: never a 0
            return Answer(u.question, "not_found", f"这份预算没有按{SCHEME[subj_dim]}列出{label or '支出'}，无法拆分。",
                          sql=env.sql or None, links=u.links())
        if not rows:  # 一般公共服务支出 listed with no amount: nothing to split
            return ok(u, env, f"{label or '支出'}未安排预算（0万元）。", Decimal(0), unit, columns, [])
        text = f"{label}按{SCHEME[subj_dim]}（{n}位编码）：" + "；".join(f"{r[0]} {r[1]} {money(r[2], unit)}" for r in rows[:15]) + \
            ("……" if len(rows) > 15 else "") + f"；合计{money(total, unit)}。"
        if splits and level is None and not conds and n > 3 and not having:  # 按经济分类拆开 after a total: 类 first
            q3 = Query(table, measure, "sum", [Cond(measure, "notnull"), Cond(column, "notnull")], group=[f"{column}:3"],
                       order=[("value", True)])
            top_rows = [(r[0], names.get(r[0], ""), r[1]) for r in env.run(q3) if r[1]]
            if len(top_rows) > 1:
                text = f"{label}按{SCHEME[subj_dim]}（类）：" + "；".join(f"{r[0]} {r[1]} {money(r[2], unit)}" for r in top_rows) + \
                    f"；合计{money(total, unit)}。其中（{n}位编码）：" + "；".join(
                        f"{r[0]} {r[1]} {money(r[2], unit)}" for r in rows[:15]) + ("……" if len(rows) > 15 else "") + "。"
                rows = top_rows  # (the parts are the 类 the sentence leads with; the finer lines stay in its text)
        if splits and subj_dim == "dept_econ" and not conds and not having and not top and \
                all(re.sub(r"^[按分]", "", sp.text) in ("经济分类", "经济科目") for sp in u.of("dim")) and u.of("dim"):
            # 按经济分类分一下 where the table carries both: 政府 and 部门 经济分类 split the same figure, so both are shown
            gcol = CODE_COLUMN["gov_econ"]
            q2 = Query(table, measure, "sum", [Cond(measure, "notnull"), Cond(gcol, "notnull")], group=[f"{gcol}:3"],
                       order=[("value", True)])
            gov = {s.code: s.name for s in env.vocab.subjects if s.scheme == SCHEME["gov_econ"]}
            other = [(r[0], gov.get(r[0], ""), r[1]) for r in env.run(q2) if r[1]] if table == "expenditure" else []
            if other and sum((r[2] for r in other), Decimal(0)) == total:
                q5 = Query(table, measure, "sum", [Cond(measure, "notnull"), Cond(gcol, "notnull")], group=[f"{gcol}:5"],
                           order=[("value", True)])
                fine = [(r[0], gov.get(r[0], ""), r[1]) for r in env.run(q5) if r[1]]
                text = text.rstrip("。") + f"。按{SCHEME['gov_econ']}（类）：" + "；".join(
                    f"{r[0]} {r[1]} {money(r[2], unit)}" for r in other) + f"；合计{money(total, unit)}。其中（5位编码）：" + \
                    "；".join(f"{r[0]} {r[1]} {money(r[2], unit)}" for r in fine[:15]) + ("……" if len(fine) > 15 else "") + "。"
        return ok(u, env, text, shown(total, unit), unit, columns, [list(r) for r in rows])

    def of_projects(self, u, env, projects, people, subj_dim, generic, unit):
        """The lines of named projects (or of a person's projects) by a classification: they add up to the projects'
        total. A generic 科目 takes the classification that splits them (one project has one 功能分类 and several
        经济分类 lines)."""
        cond = Cond("name", "in", [p.name for p in projects]) if projects else Cond("owner", "in", people)
        schemes = [subj_dim] if subj_dim and not generic else ["func", "dept_econ"]
        level = asked_level(u)
        for dim in schemes:
            col = CODE_COLUMN[dim]
            n = LEVEL_LEN[dim].get(level, 7 if dim == "func" else 5) if level else None
            group = [f"{col}:{n}"] if n else [col, col.replace("_code", "_name")]
            rows = env.run(Query("projects", "amount", "sum", [cond], group=group, order=[("value", True)]))
            if n:
                names = {s.code: s.name for s in env.vocab.subjects if s.scheme == SCHEME[dim]}
                rows = [(r[0], names.get(r[0], ""), r[1]) for r in rows]
            if len(rows) > 1 or dim == schemes[-1]:
                break
        whose = "、".join(p.name for p in unique_names(projects)[:5]) if projects else "、".join(people) + "负责的项目"
        total = sum((r[2] for r in rows if r[2] is not None), Decimal(0))
        text = f"{whose}按{SCHEME[dim]}：" + "；".join(f"{r[0]} {r[1]} {money(r[2], unit)}" for r in rows) + \
            f"；合计{money(total, unit)}。"
        return ok(u, env, text, shown(total, unit), unit, ["编码", "名称", "金额（万元）"], [list(r) for r in rows])

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



def is_part(item: str, rows) -> bool:
    """公务用车购置费 beside 公务用车购置及运行维护费: a part of another listed item, not added to the total again."""
    return any(o != item and o.startswith(item[:4]) and "及" in o and len(o) > len(item) for o, _ in rows)


GENERIC_DIMS = ("科目", "支出科目")  # 分科目看看: no classification named


def asked_level(u) -> str | None:
    """类 / 款 / 项 when the question names a level (按项级科目拆开, 按款拆开)."""
    return next((lv for lv in ("类", "款", "项") if re.search(lv + r"(?:级|一级|级次|分|拆|看|展|$)", u.question.split("分类")[-1])), None)


def unique_names(projects):
    seen, out = set(), []
    for p in projects:
        if p.name not in seen:
            seen.add(p.name)
            out.append(p)
    return out


MEASURE_LABELS_ZH = {"total": "支出", "fiscal_total": "一般公共预算财政拨款支出", "basic": "基本支出", "project": "项目支出",
                     "personnel": "人员经费", "public": "公用经费"}


# the 9-table template's own words for the 三公 items (its “三公”经费和机关运行经费预算表 and the text under it)
NINE_TABLE_SANGONG = {"因公出国（境）费用": "因公出国（境）费", "公务用车购置及运行维护费": "公务用车购置及运行费",
                      "公务用车运行维护费": "公务用车运行费"}
