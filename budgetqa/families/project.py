"""One project's amount, by full name, part of its name or a slight typo."""

from __future__ import annotations

import re
from decimal import Decimal

from budgetqa.answer import Answer
from budgetqa.families.base import (
    SCHEME_COLUMN,
    Template,
    single_or_siblings,
    unique,
)
from budgetqa.families.common import (
    SCHEME,
    clarify,
    money_unit,
    ok,
    payment_conds,
    projects_named,
    shown,
    subject_choice,
)
from budgetqa.render import money
from budgetqa.sqlbuild import Cond, Query


class ProjectAmount(Template):
    """One project's amount, by full name, part of its name or a slight typo.

    风险评估经费多少元 · 档案数字化服务多少钱 · 宣传教育项目多少钱 · 800兆电台维护费多少
    """

    weight = 60
    family = "project"

    def match(self, u, env):
        projects, words, as_set = projects_named(u, env.vocab)
        if not projects or {"services", "procurement"} & set(u.measures):
            return None  # a project's rows of 预算12表/05表 are a Scalar's
        if u.of("subject") and not u.of("project") and "project" not in u.cues:
            return None
        if len(projects) > 1 and not single_or_siblings(projects):
            exact = [p for p in projects if p.key == words]
            if len(exact) != 1:
                return clarify(u, projects)
            projects = exact
        whole = any(words in re.split(r"[-—（）()]", p.name) for p in projects)  # 应急救援经费: a whole part of its name
        if as_set and single_or_siblings(projects) and len(words) >= 4 and not whole:
            near = [p for p in env.vocab.projects if p not in projects and spread_in(words, p.key)]
            if near and not single_or_siblings(projects + near):  # 移动执法终端: also 移动执法检查终端通讯项目
                return clarify(u, unique(projects + near))
        names = [p.name for p in projects]
        conds = payment_conds(u)
        subs = sorted(subject_choice(u), key=lambda s: s.scheme != "部门经济分类")
        by_code = [t for sp in u.of("subject") if sp.text.isdigit() for t in sp.targets]
        schemes = {SCHEME[d] for d in u.dims if d in SCHEME}
        subs = by_code or [x for x in subs if x.scheme in schemes] or subs
        part = ""
        if subs and u.of("project"):  # 办公场所运行保障经费的委托业务费部分: only its lines under that subject
            econ = [x for x in subs if x.scheme != "功能分类" and x.name == subs[0].name]
            if len({x.scheme for x in econ}) > 1:  # 专家顾问费里委托业务费: 部门30227 or 政府50205, when they differ
                values = {x: env.scalar(Query("projects", "amount", "sum", [Cond("name", "in", names),
                                                                            Cond(SCHEME_COLUMN[x.scheme], "prefix", x.code)]))
                          for x in econ}
                if len(set(values.values())) > 1:
                    return Answer(u.question, "clarify", f"{'、'.join(unique(names))}里的“{econ[0].name}”可以按两种经济分类算，"
                                  "数额不同，您问的是哪一个？" + "；".join(f"{x.scheme}{x.code} {x.name}（{money(values[x])}）"
                                                                   for x in econ),
                                  candidates=[f"{x.scheme}{x.code}{x.name}" for x in econ], links=u.links())
            col = SCHEME_COLUMN[subs[0].scheme]
            conds.append(Cond(col, "prefix", subs[0].code))
            part = f"中{subs[0].scheme}{subs[0].code} {subs[0].name}"
        if u.cues & {"max", "min"} and len({p.name for p in projects}) == 1:
            return self.rank(u, env, projects[0])
        rows = env.run(Query("projects", agg="rows", where=[Cond("name", "in", names), *conds],
                             select=["name", "func_code", "func_name", "dept_econ_name", "amount", "amount_line"],
                             order=[("line_no", False)]))
        if not rows:
            return Answer(u.question, "not_found", f"没有找到“{words}”的{''.join(u.payments)}。", sql=env.sql,
                          links=u.links())
        total = sum((r[4] for r in rows), Decimal(0))
        unit = money_unit(u)
        fuzzy_note = ""
        fz = u.of("project_fuzzy")
        if fz and fz[0].score < 100:
            fuzzy_note = f"（按“{fz[0].text}”近似匹配，得分{fz[0].score:.0f}）"
        if len(rows) == 1:
            r = rows[0]
            text = f"{r[0]}{part}预算{money(total, unit)}{fuzzy_note}，功能分类{r[1]} {r[2]}。"
        else:
            text = f"{'、'.join(unique(names))}{part}共{money(total, unit)}{fuzzy_note}，含{len(rows)}行：" + "；".join(
                f"{r[0]}（{r[3]}）{money(r[4], unit)}" for r in rows) + "。"
        return ok(u, env, text, shown(total, unit), unit, ["项目名称", "功能分类编码", "功能分类", "经济分类", "金额（万元）", "原文行（预算04表）"],
                  [list(r) for r in rows])


    def rank(self, u, env, p):
        """风险评估经费是不是最贵的项目: where it stands among all projects."""
        desc = "min" not in u.cues
        rows = env.run(Query("projects", "amount", "sum", [], group=["name"], order=[("value", desc)]))
        place = next((i for i, r in enumerate(rows, start=1) if r[0] == p.name), None)
        if place is None:
            return None
        env.used |= {"project", "project_part", "project_fuzzy"}  # the project is found among the ranked rows
        unit = money_unit(u)
        word = "最多" if desc else "最少"
        first = rows[0]
        text = (f"是。{p.name}预算{money(rows[place - 1][1], unit)}，是{len(rows)}个项目中{word}的。" if place == 1 else
                f"不是。预算{word}的是{first[0]}（{money(first[1], unit)}）；{p.name}预算{money(rows[place - 1][1], unit)}，"
                f"按{word}排第{place}（共{len(rows)}个项目）。")
        return ok(u, env, text, shown(rows[place - 1][1], unit), unit, ["项目名称", "金额（万元）"],
                  [list(first), list(rows[place - 1])] if place != 1 else [list(first)])


def spread_in(words: str, name: str, gap: int = 3) -> bool:
    """The words' characters in order within the name, at most `gap` others between them (移动执法终端 in
    移动执法检查终端通讯项目).

    >>> spread_in("移动执法终端", "2024年朝阳区安全生产移动执法检查终端通讯项目（首款）"), spread_in("移动执法终端", "执法大队运行保障经费")
    (True, False)
    """
    start = name.find(words[0])
    while start != -1:
        i, skipped = start + 1, 0
        for ch in words[1:]:
            j = name.find(ch, i)
            if j == -1 or skipped + (j - i) > gap:
                break
            skipped += j - i
            i = j + 1
        else:
            return True
        start = name.find(words[0], start + 1)
    return False
