"""A project's 绩效 indicators, matched by their content."""

from __future__ import annotations

import re
from decimal import Decimal

from budgetqa.answer import Answer
from budgetqa.core.patterns import lazy
from budgetqa.families.base import (
    Template,
)
from budgetqa.families.common import (
    LEVEL2_HINTS,
    clarify,
    ok,
    projects_named,
)
from budgetqa.nlu.linker import ENTITY_KINDS, Understanding, norm_key, normalise
from budgetqa.nlu.vocab import Project
from budgetqa.sqlbuild import Cond, Query


class Indicator(Template):
    """Performance goals and indicators (绩效) of a project, and one indicator named by its content.

    防汛应急演练要开展几次演练 · 档案数字化服务的绩效指标有哪些 · 防汛工作培训多少学时 · 隐患排查治理工作要覆盖多少个街乡
    """

    weight = 82
    family = "indicator"

    def match(self, u, env):
        projects, words, as_set = projects_named(u, env.vocab)
        if not projects:
            return None
        strong = bool(u.cues & {"indicators", "goal"})
        counting = bool(u.cues & {"howmany", "count"})
        if u.measures and not strong:
            return None  # 政府购买服务表里这个项目列了多少: the project's money in that table, not one of its indicators
        by_name = {p.name: p for p in projects}  # lines of one project share its name
        if as_set and len(by_name) > 1 and not strong:
            return None  # 培训相关项目有几个: a set of projects, not an indicator
        if as_set and not strong and any(s.kind == "cue" and "keyword" in s.targets and re.search(r"名|字|题|哪", s.text)
                                         for s in u.spans) or as_set and not strong and re.search(r"哪几个|哪些", u.qn):
            return None  # 名字里有个“兼”字的，有哪几个: the projects so named, even when one is
        if as_set and u.previous is not None and BARE_COUNT.fullmatch(u.question.strip()):
            return None  # 值守相关项目有哪些 / 有几个: how many projects, whatever their indicators count
        if len(by_name) > 1:
            exact = [p for p in by_name.values() if p.key == re.sub(r"\W", "", words)]
            if len(exact) != 1:
                return clarify(u, list(by_name.values())) if strong else None
            by_name = {exact[0].name: exact[0]}
        p = next(iter(by_name.values()))
        rest = indicator_words(u, p)
        env.used.add("unknown")  # an indicator is found by the question's own words (覆盖街乡, 参训人员)
        if not strong and (not rest or MONEY_WORDS.search(without_name(u, p)) or COUNTED_PROJECTS.search(u.qn)):
            return None  # the project's amount (or a count of projects) is asked
        blocks = env.run(Query("perf_blocks", agg="rows", where=[Cond("project", "eq", p.name)],
                               select=["block_no", "goal", "confidence", "link_method"]))
        if not blocks:
            if strong or counting:
                return Answer(u.question, "not_found", f"绩效表里没有找到“{p.name}”的绩效目标。", sql=env.sql,
                              links=u.links())
            return None
        block_nos = [b[0] for b in blocks]
        rows = env.run(Query("perf_indicators", agg="rows", where=[Cond("block_no", "in", block_nos)],
                             select=["level1", "level2", "level3", "nature", "value", "unit"],
                             order=[("block_no", False), ("seq", False)]))
        caveat = "" if min(b[2] for b in blocks) >= 0.5 else "（注意：绩效表没有项目名称，这一块是按位置关联的，把握不大）"
        columns = ["一级指标", "二级指标", "三级指标", "性质", "指标值", "单位"]
        best = best_indicator(rest, without_name(u, p), rows)
        if best is None and u.previous is not None and SWAP.match(u.question.strip()) and (
                u.previous.cues & {"indicators", "goal"} or COUNTED_UNIT.search(normalise(u.previous.question))):
            said = norm_key(normalise(u.previous.question)).lower()  # 兼职巡查员培训呢 after 计划培训多少人: that again
            best = best_indicator(asked_words(said), said, rows)
        if best is None and (strong or counting):  # 数字化页数 after 档案数字化服务: a name piece starts the indicator
            joined = [s.text + w for s in u.spans if s.kind == "project_part" and p in s.targets
                      for w in rest if u.qk[s.end:s.end + len(w)] == w]
            best = best_indicator(joined, " ".join(joined), rows) if joined else None
        if "goal" in u.cues and "indicators" not in u.cues and not counting and not ((best or rest) and ASKS_FIGURE.search(u.qn)):
            # (a figure asked of the goal, 绩效目标里X定的多少, is an indicator's, never the goal's text)
            return ok(u, env, f"{p.name}的绩效目标：{blocks[0][1]}{caveat}", None, None, ["绩效目标"], [[blocks[0][1]]])
        elsewhere = best is not None and indicator_elsewhere(env, rest, best, block_nos)
        if elsewhere:  # 风险地图数量 asked of a project whose only 数量 indicator is 更新企业数量: another one's indicator
            return Answer(u.question, "not_found", f"{p.name}的绩效指标里没有“{''.join(rest)}”：绩效表里的“{elsewhere}”"
                          f"是另一个项目的指标。{p.name}的绩效指标有：" + "；".join(f"{r[2]} {r[3]} {r[4]}{r[5] or ''}" for r in rows) + "。",
                          columns=columns, rows=[list(r) for r in rows], sql=env.sql, links=u.links())
        if best is not None:
            num = best[4]
            text = f"{p.name}的绩效指标“{best[2]}”：{best[3]} {num}{best[5] or ''}{caveat}。"
            try:
                value = Decimal(num)
            except Exception:
                value = None
            return ok(u, env, text, value, best[5] or None, columns, [list(best)])
        listed = "；".join(f"{r[2]} {r[3]} {r[4]}{r[5] or ''}" for r in rows)
        asked = "".join(rest)
        if strong and not (counting and rest) and not (rest and ASKS_FIGURE.search(u.qn)):
            return ok(u, env, f"{p.name}的绩效指标{len(rows)}项{caveat}：{listed}", None, None, columns,
                      [list(r) for r in rows])
        if counting or strong:  # a figure is asked that no indicator of this project states: never its amount
            return Answer(u.question, "not_found", f"{p.name}的绩效指标里没有找到“{asked}”。它的绩效指标有：{listed}。",
                          columns=columns, rows=[list(r) for r in rows], sql=env.sql, links=u.links())
        return None



SWAP = lazy(r"^(?:那|那么)?[^，,。？?]{2,30}?(?:的)?呢[?？。]*$")  # 兼职巡查员培训呢: the last question, of another
ASKS_FIGURE = lazy(r"多少|几|是否达到|值")  # 绩效目标里，编外人员实有人数是多少: an indicator's figure
NUMBER = lazy(r"\d+(?:\.\d+)?")
BARE_COUNT = lazy(r"(?:那|那么)?(?:这些|其中)?(?:一共|总共|共)?有?(?:几个|多少个|几项|多少项)(?:项目)?(?:呢)?[?？。]*")
MONEY_WORDS = lazy(r"多少钱|金额|预算|资金|拨款|花了|花费|万元|(?<![条次])元|经费")  # (read without the name: 专职安全员培训经费)



COUNTED_PROJECTS = lazy(r"(?:几|多少)[个笔项]?项目|项目(?:有|共|一共|总共)?(?:几|多少)[个笔项]?|几笔|多少笔|哪些项目")



# words that carry no content of an indicator: the question is cut at them (never inside a word: 实有人数 keeps 有)
INDICATOR_FILLER = lazy(r"要求|需要|计划|预计|对应|涉及|相关|包括|绩效|指标|目标|有哪些|是多少|一共|总共|多少|定的|定了|定为|"
                              r"达到|预期|是|的|呢|吗|？|\?")



COUNTED_UNIT = lazy(r"(?:多少|几)(人次|学时|个|人|家|次|条|天|年|月|套|台|张|页|件|场|块|名|项|份|所|处|部|辆|期)")



# pairs that say only the kind of an indicator (数量 / 满意度 / 时效 …), never which one
GENERIC_PAIRS = {w[i:i + 2] for w in ("数量", "质量", "时效", "成本", "效益", "满意度", "满意率", "产出", "社会", "经济", "完成")
                 for i in range(len(w) - 1)}


def indicator_elsewhere(env, rest: list[str], best: tuple, own_blocks: list) -> str | None:
    """The indicator of another project that the question's own words name, when the row chosen for this project
    shares none of them (only its kind: 数量): then this project has no such indicator, and its 数量 is no answer."""
    content = bigrams(rest) - GENERIC_PAIRS - bigrams(best[5] or "")
    if len(content) < 2 or content & bigrams(best[2]):
        return None
    for block, name in env.run(Query("perf_indicators", agg="rows", select=["block_no", "level3"])):
        shared = len(content & bigrams(name or ""))
        if block not in own_blocks and shared >= 2 and shared >= 0.6 * len(content):  # (控制 of 成本控制在…以内 is no name)
            return name
    return None


def names_indicator_of(env, project: Project, question: str) -> bool:
    """The question's words name one of this project's indicators (更新企业数量 of 风险评估经费)."""
    blocks = [b[0] for b in env.run(Query("perf_blocks", agg="rows", where=[Cond("project", "eq", project.name)],
                                          select=["block_no"]))]
    if not blocks:
        return False
    rows = env.run(Query("perf_indicators", agg="rows", where=[Cond("block_no", "in", blocks)],
                         select=["level1", "level2", "level3", "nature", "value", "unit"]))
    said = norm_key(normalise(question)).lower()
    return best_indicator(asked_words(said), said, rows) is not None


def indicator_words(u: Understanding, p: Project) -> list[str]:
    """The pieces of the question that are neither the project's name nor filler: what is asked of it."""
    return asked_words(without_name(u, p))


def asked_words(text: str) -> list[str]:
    """The pieces of a key form between the words that carry no content of an indicator.

    >>> asked_words("绩效目标里数字化页数定的多少")
    ['里数字化页数']
    """
    return [w for w in re.split(r"\s+", INDICATOR_FILLER.sub(" ", text)) if w]


def without_name(u: Understanding, p: Project) -> str:
    """The question's key form with the project's name blanked out (经费 of a name asks no 成本指标).

    A follow-up's spans point into two texts: the inherited ones into the earlier question (the merged key form),
    the new ones into the follow-up. Both texts are kept, each with its project names blanked out, so that neither
    the earlier project's name (应急保障经费 → 成本) nor the new one's is read as the indicator asked."""
    if u.previous is None:
        return blank_names(u.qk, u.spans, p)
    new = [s for s in u.spans if not any(s is t for t in u.inherited)]
    return blank_names(u.previous.qk, u.previous.spans, None) + " " + blank_names(norm_key(normalise(u.question)).lower(), new, p)


def blank_names(qk: str, spans: list, p: Project | None) -> str:
    """`qk` with the spans naming projects blanked out (only those naming `p`, when given)."""
    if p is None:  # the earlier question: every name it gave (印刷费 the subject asks no 印刷质量)
        named = [s for s in spans if s.kind in ENTITY_KINDS and s.kind != "project_fuzzy"]
    else:
        named = [s for s in spans if s.kind in ("project", "project_fuzzy") and p in s.targets]
    if not named and p is not None:
        parts = [s for s in spans if s.kind == "project_part" and p in s.targets]
        named = [max(parts, key=lambda s: s.end - s.start)] if parts else []
    keep = [True] * len(qk)
    for s in named:
        if s.end > len(qk):
            continue
        cut = [(s.start, s.end)]
        if s.kind == "project_fuzzy" and p is not None:  # a near match may take the whole question: drop only the name's words
            cut = shared_runs(qk[s.start:s.end], p.key, s.start)
        for a, b in cut:
            keep[a:b] = [False] * (b - a)
    return "".join(ch if k else " " for ch, k in zip(qk, keep, strict=True))


def shared_runs(text: str, name: str, offset: int) -> list[tuple[int, int]]:
    """Stretches of `text` (at least two characters) that occur in `name`, longest first."""
    out, i = [], 0
    while i < len(text):
        j = i + 1
        while j <= len(text) and text[i:j] in name:
            j += 1
        if j - 1 - i >= 2:
            out.append((offset + i, offset + j - 1))
            i = j - 1
        else:
            i += 1
    return out



def bigrams(pieces: list[str] | str) -> set[str]:
    pieces = [pieces] if isinstance(pieces, str) else pieces
    return {w[i:i + 2] for w in pieces for i in range(len(w) - 1) if not w[i:i + 2].isdigit()}



def best_indicator(rest: list[str], question: str, rows: list[tuple]) -> tuple | None:
    """The indicator row whose 三级指标 the question's words (`question`: without the project's name) name: shared
    character pairs, how much of the
    indicator they cover, and the kind (数量/时效/...) and unit the question asks in. A question that counts
    in a unit (多少人, 几个) never gets a row measured in % or money. None when no row clearly matches (a tie
    between different values is no answer).

    >>> rows = [("产出指标", "数量指标", "覆盖街乡数量", "=", "43", "个"),
    ...         ("产出指标", "时效指标", "规定时间内完成", "=", "1", "年"),
    ...         ("满意度指标", "服务对象满意度指标", "街乡满意度", "≥", "90", "%")]
    >>> best_indicator(["覆盖", "个街乡"], "隐患排查治理工作要覆盖多少个街乡", rows)[4]
    '43'
    >>> best_indicator(["工作地点"], "隐患排查治理工作的工作地点", rows) is None
    True
    """
    if not rest:
        return None
    asked = bigrams(rest)
    kinds = {kind for pattern, kind in LEVEL2_HINTS if pattern.search(question)}
    counted = COUNTED_UNIT.search(question)
    scored = []

    def of_kind(r: tuple) -> bool:  # its 一级 or 二级指标 is the kind asked (满意度 -> 满意度指标 / 服务对象满意度指标)
        return any(k.removesuffix("指标") in r[0] + r[1] for k in kinds)

    for r in rows:
        unit = r[5] or ""
        if counted and (unit in ("%", "元", "万元") or not unit and r[3] == "定性"):
            continue  # 多少人 is not answered by a percentage or an amount
        own = bigrams(r[2])
        shared = len(asked & own)
        kind = of_kind(r)
        in_unit = bool(unit) and (unit in "".join(rest) or bool(counted) and counted.group(1) in unit)
        alike = {x[4:] for x in rows if of_kind(x) and NUMBER.fullmatch(x[4] or "")}
        only_kind = kind and NUMBER.fullmatch(r[4] or "") and len(alike) == 1  # 要完成多少页 / 满意度指标是多少: the one such
        if shared >= 2 or (shared == 1 and (kind or in_unit or len(own) <= 2)) or (counted and in_unit and kind) \
                or only_kind:
            scored.append((shared + shared / max(1, len(own)) + 0.5 * kind + (1.5 if counted and in_unit else
                                                                                0.5 * in_unit), r))
    if not scored:
        return None
    scored.sort(key=lambda x: -x[0])
    if len(scored) > 1 and scored[1][0] == scored[0][0] and scored[1][1][4:] != scored[0][1][4:]:
        return None
    return scored[0][1]
