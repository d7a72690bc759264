"""Projects under a 功能分类/经济分类 subject."""

from __future__ import annotations

import re

from budgetqa.families.base import (
    SCHEME_COLUMN,
    Template,
    unique,
)
from budgetqa.families.common import (
    amount_filter,
    projects_named,
    subject_choice,
)
from budgetqa.families.project_set import ProjectSet
from budgetqa.sqlbuild import Cond


class SubjectProjects(Template):
    """Projects under a 功能分类/经济分类 subject.

    行政运行科目下有哪些项目 · 应急救援科目有几个项目
    """

    weight = 80
    family = "subject_projects"

    def match(self, u, env):
        if not u.of("subject") or "project" not in u.cues and not u.payments or u.of("project"):
            return None
        if not (u.cues & {"list", "count", "sum", "max", "min", "rank", "avg"} or amount_filter(u)[0] or u.payments
                or re.search(r"[下里中]的?(?:所有|全部)?项目$", u.qn.rstrip("？?。 "))):  # 一般行政管理事务下的项目
            return None
        subs = subject_choice(u)
        s = subs[0]
        col = SCHEME_COLUMN[s.scheme]
        op = "eq" if (s.scheme == "功能分类" and s.level == "项") or len(s.code) == 5 else "prefix"
        conds, label = [Cond(col, op, s.code)], f"“{s.name}”科目下的项目"
        projects, words, _ = projects_named(u, env.vocab)
        if projects:  # 应急管理科目下的培训项目: those of its projects the words name
            conds.append(Cond("name", "in", unique([p.name for p in projects])))
            label = f"“{s.name}”科目下的“{words}”相关项目"
        return ProjectSet().answer(u, env, conds, label)
