"""A project's attributes: owner, phone, code, subject, funding source."""

from __future__ import annotations

from decimal import Decimal

from budgetqa.answer import Answer
from budgetqa.core.patterns import lazy
from budgetqa.families.base import (
    Template,
    single_or_siblings,
    unique,
)
from budgetqa.families.common import (
    CODE_COLUMN,
    SCHEME,
    clarify,
    ok,
    projects_named,
)
from budgetqa.render import listing, money
from budgetqa.sqlbuild import Cond, Query
from budgetqa.store.schema import CATALOGUE


class ProjectAttribute(Template):
    """负责人、联系电话、项目编码 of a project.

    档案数字化服务的负责人是谁 · 风险评估经费的联系电话 · 防汛工作培训归谁管
    """

    weight = 85
    family = "project_attribute"

    def match(self, u, env):
        want = u.cues & {"owner", "phone", "who", "code"}
        if "source" in u.cues and not want:
            return self.source(u, env)
        scheme = next((d for d in u.dims if d in CODE_COLUMN), None)
        if scheme and WHICH.search(u.qn) and not want:
            return self.classification(u, env, scheme)
        if not want or "owner_of" in u.cues and not u.of("project") and u.of("person"):
            return None
        if u.of("person") and not (u.of("project") or u.of("project_fuzzy")):
            return None
        projects, words, as_set = projects_named(u, env.vocab)
        if not projects:
            return None
        if len(projects) > 1 and not as_set and not single_or_siblings(projects):
            return clarify(u, projects)
        names = [p.name for p in projects]
        rows = env.run(Query("projects", agg="rows", where=[Cond("name", "in", names)],
                             select=["name", "owner", "phone", "project_code"], order=[("line_no", False)]))
        rows = unique([list(r) for r in rows])
        if "phone" in want:
            if not any(r[2] for r in rows):  # no phone printed for it: said so, with no figure
                return Answer(u.question, "not_found", f"{'、'.join(unique(names))}不在项目表中，文件没有列出负责人和联系电话。",
                              sql=env.sql, links=u.links())
            parts = [f"{r[0]}：{r[1] or '（项目表未列负责人）'} {r[2] or '（无电话）'}" for r in rows]
            text = "联系电话——" + "；".join(parts) + "。"
        elif "code" in want:
            text = "项目编码——" + "；".join(f"{r[0]}：{r[3] or '（无）'}" for r in rows) + "。"
        else:
            owners = unique([r[1] for r in rows if r[1]])
            if not owners:
                text = f"{'、'.join(names)}不在项目表中，文件没有列出负责人。"
                return Answer(u.question, "not_found", text, sql=env.sql, links=u.links())
            if len(rows) == 1 or len(owners) == 1:
                text = f"{listing(unique([r[0] for r in rows]))}的负责人是{owners[0]}" + (
                    f"，联系电话{rows[0][2]}" if rows[0][2] else "") + "。"
            else:
                text = "负责人——" + "；".join(f"{r[0]}：{r[1] or '未列'}" for r in rows) + "。"
        return ok(u, env, text, None, None, ["项目名称", "负责人", "联系电话", "项目编码"], rows)


    def source(self, u, env):
        """风险评估经费的资金来源: the 预算04表 columns its amount is funded from."""
        projects, words, as_set = projects_named(u, env.vocab)
        if not projects or as_set and len({p.name for p in projects}) > 1:
            return None
        names = unique([p.name for p in projects])
        columns = [c for c in SOURCES if c in CATALOGUE["projects"].columns]
        rows = env.run(Query("projects", agg="rows", where=[Cond("name", "in", names)], select=["name", *columns],
                             order=[("line_no", False)]))
        totals = {c: sum((r[i + 1] or Decimal(0) for r in rows), Decimal(0)) for i, c in enumerate(columns)}
        funded = [(CATALOGUE["projects"].columns[c].zh, v) for c, v in totals.items() if v]
        if not funded:
            return Answer(u.question, "not_found", f"预算04表没有列出{listing(names)}的资金来源。", sql=env.sql, links=u.links())
        text = f"{listing(names)}的资金来源：" + "；".join(f"{zh} {money(v)}" for zh, v in funded) + "。"
        return ok(u, env, text, None, None, ["项目名称", *[CATALOGUE["projects"].columns[c].zh for c in columns]],
                  [list(r) for r in rows])

    def classification(self, u, env, scheme):
        """办公场所运行保障经费是哪个功能分类下的: the subject(s) its lines are budgeted under."""
        projects, words, as_set = projects_named(u, env.vocab)
        if not projects or as_set and len({p.name for p in projects}) > 1:
            return None
        names = unique([p.name for p in projects])
        code, label = CODE_COLUMN[scheme], SCHEME[scheme]
        name = code.replace("_code", "_name")
        rows = env.run(Query("projects", agg="rows", where=[Cond("name", "in", names)],
                             select=["name", code, name, "amount"], order=[("line_no", False)]))
        if not rows:
            return None
        subjects = unique([f"{r[1]} {r[2]}" for r in rows])
        text = f"{listing(names)}属于{label}{'、'.join(subjects)}" + (
            "（" + "；".join(f"{r[0]} {money(r[3])}" for r in rows) + "）" if len(rows) > 1 else "") + "。"
        return ok(u, env, text, None, None, ["项目名称", f"{label}编码", label, "金额（万元）"], [list(r) for r in rows])



SOURCES = ("general_budget", "gov_fund", "state_capital", "carryover_general", "carryover_fund")



WHICH = lazy(r"哪个|哪一|哪类|哪项|什么|是哪|属于|归属|列在|列入")
