"""The follow-up rules as a table: (previous question, follow-up) -> what the follow-up is understood as, and
its figure (typed by hand from budgetqa/data/chaoyang-yingji-2024.txt, line numbers given).

A follow-up inherits only the slots it does not fill itself; a slot it fills replaces the previous one of the
same kind; a question complete on its own starts afresh; earlier turns are never changed.
"""

from __future__ import annotations

import copy
from decimal import Decimal as D

import pytest

from budgetqa.engine import Context

RULES = [
    # (previous, follow-up, understood (the follow-up's restatement), figure)
    # a subject replaces a topic measure: 会议费 8.28 (预算03表 l.81 3.28 + l.95 5)
    ("三公经费是多少", "那会议费呢", "2024年 · 部门经济分类30215 会议费 · 金额（承接上一问：无）", D("8.28")),
    # complete on its own: the owner with the most projects (张斌, 9 rows of the owner table)
    ("三公经费是多少", "谁负责的项目最多", "2024年 · 负责人、最多", 9),
    # 其中 crosses a subject of the other classification: 行政运行 × 会议费 (l.81) 3.28
    ("会议费多少", "其中行政运行多少", "2024年 · 功能分类2240101 行政运行 · 金额（承接上一问：部门经济分类30215 会议费）", D("3.28")),
    # a subject replaces a subject of its kind: 水费 3.12345 (l.77)
    ("电费多少", "水费呢", "2024年 · 部门经济分类30205 水费 · 金额（承接上一问：无）", D("3.12345")),
    # a scope measure replaces a scope measure, the subject stays: 行政运行 公用经费 362.711155 (预算07表 l.326)
    ("行政运行的人员经费是多少", "公用经费呢", "2024年 · 公用经费 · 金额（承接上一问：功能分类2240101 行政运行）", D("362.711155")),
    # a payment replaces a payment, and the project follows to its 尾款 line: 4.932 (预算04表)
    ("800兆电台维护费首款多少", "尾款呢", "2024年 · 尾款 · 金额（承接上一问：800兆电台维护费（尾款））", D("4.932")),
    # a bare follow-up keeps the attribute asked: 平康悦's phone
    ("冯春鹏的联系电话是多少", "平康悦呢", "2024年 · 负责人平康悦 · 联系电话（承接上一问：联系电话）", None),
    ("宣传教育项目是谁负责的", "那风险评估经费呢", "2024年 · 风险评估经费 · 负责人（承接上一问：负责人）", None),
    # an incomplete follow-up inherits the person: 姚遥's four projects 321.48832 (owner table l.505-560)
    ("姚遥负责哪些项目", "总金额多少", "2024年 · 合计（承接上一问：负责人姚遥）", D("321.48832")),
    # 其中 + a name piece narrows the person's projects: 李永来's 应急 project(s) 10
    ("李永来负责哪些项目", "其中应急相关的一共多少钱", "2024年 · 名称含“应急”的项目 · 合计（承接上一问：负责人李永来）", D("10")),
    # a category keeps its measure: 政府采购 货物 13.5 (预算05表 l.274)
    ("政府采购总额是多少", "其中货物呢", "2024年 · 政府采购 货物 · 合计（承接上一问：政府采购）", D("13.5")),
    # a year replaces the year: 2023年公务接待费 0.9025 (预算11表 l.421)
    ("2024年公务接待费多少", "2023年呢", "2023年 · 金额（承接上一问：公务接待费）", D("0.9025")),
    # a share of the previous figure: 项目支出 4497.56482 / 9751.38787 = 46.1223%
    ("项目支出多少", "占总支出的比例呢", "2024年 · 支出总计 · 占比（承接上一问：项目支出）", D("46.1223")),
]


@pytest.mark.parametrize("previous, follow_up, understood, figure", RULES, ids=[f"{a}→{b}" for a, b, _, _ in RULES])
def test_a_follow_up_is_understood_by_the_rules(engine, previous, follow_up, understood, figure):
    ctx = Context()
    first = engine.ask(previous, ctx)
    assert first.status == "ok", first.answer
    before = ctx.last
    snapshot = copy.deepcopy([(s.kind, s.text, s.start, s.end, s.targets) for s in before.spans])
    a = engine.ask(follow_up, ctx)
    assert a.status == "ok", a.answer
    assert a.understood == understood
    if figure is not None:
        assert a.value == figure, a.answer
    # the previous turn's understanding is read, never changed
    assert [(s.kind, s.text, s.start, s.end, s.targets) for s in before.spans] == snapshot


def test_a_share_follow_up_leaves_the_previous_turn_as_it_was(engine):
    """占总支出的比例呢 after 项目支出多少 once added a span to the stored first turn in place."""
    ctx = Context()
    engine.ask("项目支出多少", ctx)
    first = ctx.last
    before = [(s.kind, s.text) for s in first.spans]
    engine.ask("占总支出的比例呢", ctx)
    engine.ask("那基本支出呢", ctx)
    assert [(s.kind, s.text) for s in first.spans] == before
    ctx = Context()
    engine.ask("项目支出多少", ctx)
    first = ctx.last
    before = [(s.kind, s.text) for s in first.spans]
    a = engine.ask("比行政运行的基本支出少多少", ctx)  # the comparison shares its scope with a copy of the first turn
    assert a.status == "ok"
    assert [(s.kind, s.text) for s in first.spans] == before
