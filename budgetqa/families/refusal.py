"""Questions that are not about this budget (poems, other departments, outturns, personal pay)."""

from __future__ import annotations

from budgetqa.answer import Answer
from budgetqa.core.patterns import lazy
from budgetqa.families.base import (
    Template,
)
from budgetqa.families.common import (
    SANGONG_PREFIX,
    examples,
)

PERSONAL = lazy(r"工资|薪水|薪酬|收入|奖金|待遇|报酬|年薪|月薪|住址|身份证|年龄")



OUTTURN = lazy(r"决算|执行数|执行率|执行了|执行多少|执行情况|执行进度|实际支出|实际花|实际使用|花出去|花掉|用掉")



WHY = lazy(r"为什么|为何|什么原因|原因是|凭什么|怎么这么|干嘛")



class Refusal(Template):
    """Questions that are not about this budget.

    帮我写一首诗 · 北京市财政局的总预算是多少 · 今天天气怎么样
    """

    weight = 100
    family = "refusal"

    def match(self, u, env):
        if u.other_dept:
            names = "、".join(f"{d[1]}（{d[2]}年）" for d in env.vocab.documents)
            return Answer(u.question, "not_found", f"没有找到“{u.other_dept}”的预算：已加载的是{names}。",
                          links=u.links(), candidates=[d[1] for d in env.vocab.documents])
        if u.unknown_codes and not any(s.kind in ("subject", "project", "person") for s in u.spans):
            return Answer(u.question, "not_found", f"本预算里没有科目编码{'、'.join(u.unknown_codes)}。可以问本预算列出的科目，"
                          "例如：" + "；".join(examples(env.vocab)[2:3] or ["行政运行多少"]) + "。", links=u.links())
        if u.people and PERSONAL.search(u.qn):
            return Answer(u.question, "unsupported", f"预算公开文件只列出项目负责人和联系电话，不列个人的工资收入。可以问例如：{u.people[0]}"
                          "负责哪些项目。", links=u.links())
        if OUTTURN.search(u.qn):
            return Answer(u.question, "unsupported", "这份文件是预算（年初安排），没有决算数或执行数。可以问预算数，例如："
                          + "；".join(examples(env.vocab)[:2]) + "。", links=u.links(), candidates=examples(env.vocab))
        if WHY.search(u.qn):
            return Answer(u.question, "unsupported", "预算公开文件只列出数额、科目和绩效目标，不说明安排的原因。可以问它的数额或"
                          "绩效目标，例如：" + "；".join(examples(env.vocab)[1:2]) + "。", links=u.links(),
                          candidates=examples(env.vocab))
        if not u.has_entity and not u.payments and not u.dims and not u.cues & {"phone", "owner", "who", "indicators", "project"}:
            return Answer(u.question, "unsupported", "这个问题我不确定与本预算有关。可以这样问：" + "；".join(examples(env.vocab)) + "。",
                          links=u.links(), candidates=examples(env.vocab))
        sangong = any(m.startswith(SANGONG_PREFIX) for m in u.measures)
        years = [y for y in u.years if y != env.vocab.year and (not sangong or y not in env.vocab.sangong_years)]
        if years:
            have = sorted(set(env.vocab.sangong_years) | {env.vocab.year})
            return Answer(u.question, "not_found",
                          f"没有{years[0]}年的数据：本预算是{env.vocab.year}年的，三公经费另有"
                          f"{'、'.join(str(y) for y in have)}年。", links=u.links())
        return None
