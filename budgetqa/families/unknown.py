"""Words nothing explains: a near guess of a person, or "没有找到" with suggestions."""

from __future__ import annotations

import re

from budgetqa.answer import Answer
from budgetqa.families.base import (
    Template,
)
from budgetqa.render import listing


class PersonGuess(Template):
    """A name that is one character off a person in the project table: ask back, never answer.

    姚瑶负责哪些项目 · 张银的电话
    """

    weight = 96
    family = "clarify_person"

    def match(self, u, env):
        guesses = u.of("person_guess")
        if not guesses or u.people:
            return None
        g = guesses[0]
        options = [u.question.replace(g.text, name) for name in g.targets]
        return Answer(u.question, "clarify", f"没有找到“{g.text}”。您是说{'、'.join(g.targets)}吗？", candidates=options,
                      links=u.links())



COUNTERS = "次人家套张页块场件天台个名条项份辆部处所期批座"  # measure words: 多少台 names nothing



class Unknown(Template):
    """A named thing the budget does not have: answer 没有找到, never the nearest guess.

    量子计算研究项目预算 · 无人机采购项目多少钱
    """

    weight = 95
    family = "not_found"

    def match(self, u, env):
        content = [w for w in u.unknown if len(w) >= 2 or re.fullmatch(r"[\u4e00-\u9fff]", w) and w not in COUNTERS]
        if not content:
            return None
        counted = re.search(rf"(?:几|多少)[{COUNTERS}]", u.qn) is not None  # 要出几份风险地图: an indicator's count
        if u.of("project") or u.of("person") or ((u.cues & {"indicators", "goal", "howmany", "count"} or counted) and
                                                  (u.of("project_part") or u.of("project_fuzzy"))):
            return None  # the rest may name an indicator of a named project
        thing = "".join(content)
        if u.of("project_part") or "project" in u.cues:
            sug = [p.name for s in u.of("project_part") for p in s.targets][:5]
            return Answer(u.question, "not_found",
                          f"没有找到与“{thing}”有关的项目。" + (f"名称相近的有：{listing(sug)}。" if sug else ""),
                          links=u.links(), candidates=sug)
        if len(thing) >= 2 or not u.has_entity and not [m for m in u.measures if m]:  # (买车的钱: 车 alone is content too)
            return Answer(u.question, "not_found", f"没有找到“{thing}”：本预算里没有这个项目、科目或人员。",
                          links=u.links())
        return None
