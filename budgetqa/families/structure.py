"""Counts of a budget's own structure: how many 类/款/项 subjects carry money."""

from __future__ import annotations

from decimal import Decimal

from budgetqa.core.patterns import lazy
from budgetqa.families.base import SCHEME_COLUMN, Template
from budgetqa.families.common import CODE_COLUMN, SCHEME, money_unit, narrowest, ok
from budgetqa.nlu.linker import ENTITY_KINDS
from budgetqa.render import money
from budgetqa.sqlbuild import Cond, Query

LEVEL = lazy(r"[“\"「]?(类|款|项)[”\"」]?(?:级|一级)")  # 类级 / “款”级 / 项级 (项目 is no level)
CODE_LENGTH = {"func": {"类": 3, "款": 5, "项": 7}, "dept_econ": {"类": 3, "款": 5}, "gov_econ": {"类": 3, "款": 5}}


class SubjectCount(Template):
    """How many subjects of a classification, at a level, carry an amount (有金额 / 有预算 / 涉及).

    有预算数的功能分类类级科目有几个 · 支出涉及多少个功能分类项级科目 · 经济分类款级科目有多少个 ·
    灾害防治及应急管理支出下有几个项级科目
    """

    weight = 88
    family = "structure"

    def match(self, u, env):
        dims = [d for d in u.dims if d in CODE_LENGTH]
        if "count" not in u.cues or not (dims or "subject" in u.cues) or u.cues & {"project", "owner", "who"}:
            return None  # 2240109科目下有几个项目: projects are counted (SubjectProjects)
        subjects = {s.text for s in u.of("subject")}
        if any(s.kind in ENTITY_KINDS and s.kind != "subject" and s.text not in subjects for s in u.spans):
            return None  # 陈辽的项目涉及几个功能分类科目: a set of projects, not the budget's subjects
        level_m = LEVEL.search(u.question) or LEVEL.search(u.qn)  # 款级呢 after 项级科目有几个: the follow-up's level
        dim = next((d for d in dims if d != "func"), dims[0] if dims else "func")  # 经济分类款级科目 (its 科目 is no 功能分类)
        level = level_m.group(1) if level_m else ("项" if dim == "func" else "款")
        if level not in CODE_LENGTH[dim]:
            return None  # 经济分类没有项级
        n = CODE_LENGTH[dim][level]
        m = next((x for x in narrowest(u.measures) if x in ("basic", "project", "fiscal_total")), None)
        column = CODE_COLUMN[dim]
        if m == "fiscal_total" and dim == "func":
            table, measure = "fiscal_expenditure", "total"
        else:
            table, measure = "expenditure", {"basic": "basic", "project": "project"}.get(m or "", "total")
        conds = [Cond(SCHEME_COLUMN[s.targets[0].scheme], "prefix", s.targets[0].code) for s in u.of("subject")]
        rows = self.grouped(env, table, measure, column, n, conds)
        if not rows and dim != "func" and measure in ("total", "basic"):
            table, measure = "basic_expenditure", "total"  # 上海9表: 经济分类 only in the 基本支出 table
            rows = self.grouped(env, table, measure, column, n, conds)
        names = {s.code: s.name for s in env.vocab.subjects if s.scheme == SCHEME[dim]}
        unit = money_unit(u)
        within = "、".join(s.targets[0].name for s in u.of("subject"))
        label = f"{within + '下' if within else ''}{SCHEME[dim]}有金额的{level}级科目"
        listed = "；".join(f"{code} {names.get(code, '')} {money(v, unit)}" for code, v in rows)
        text = f"{label}共{len(rows)}个" + (f"：{listed}。" if rows else "。")
        return ok(u, env, text, len(rows), "个", ["编码", "名称", "金额（万元）"],
                  [[code, names.get(code, ""), v] for code, v in rows])

    @staticmethod
    def grouped(env, table, measure, column, n, conds) -> list[tuple[str, Decimal]]:
        q = Query(table, measure, "sum", conds + [Cond(measure, "notnull"), Cond(column, "notnull")],
                  group=[f"{column}:{n}"], order=[("value", True)])
        return [(r[0], r[1]) for r in env.run(q) if r[0] and len(str(r[0])) >= n and r[1]]
