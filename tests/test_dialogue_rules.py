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


# Several people named at once (owner table l.504-508 刘子明 65099332: 7.8912 + 4.932 + 24.9 + 39.84 = 77.5632;
# l.557-558 刘宁 65090185: 4 + 6 = 10): each one's phone, projects or figure, never their money for a phone.
SEVERAL_PEOPLE = [
    ("刘子明和刘宁的电话", None, ["65099332", "65090185"]),
    ("刘子明和刘宁各管哪些项目", None, ["800兆电台维护费（首款）", "应急单兵视频系统运维费（首款）", "扣押危险化学品清运处置"]),
    ("刘子明和刘宁负责的项目一共多少钱", D("87.5632"), ["77.5632", "10万元"]),
    ("刘子明和刘宁一共负责几个项目", 6, ["4个", "2个"]),
]


@pytest.mark.parametrize(("question", "value", "shown"), SEVERAL_PEOPLE)
def test_several_people_are_answered_each(engine, question, value, shown):
    a = engine.ask(question)
    assert a.status == "ok" and a.value == value and all(s in a.answer for s in shown), a.answer


@pytest.mark.parametrize(("first", "pronoun_question", "choices", "reply", "value", "shown"), [
    # 他 after two people: which one (刘宁's phone, owner table l.557)
    ("刘子明和刘宁各管哪些项目", "他电话多少", ["刘子明", "刘宁"], "刘宁的", None, "65090185"),
    # 它 after a split: which part (预算05表 服务 3048.692632 of 3062.192632 = 99.56%)
    ("政府采购里货物和服务各多少", "它占政府采购的比例", ["服务", "货物"], "服务", D("99.5591"), "99.56%"),
])
def test_a_singular_pronoun_after_several_is_asked_back(engine, first, pronoun_question, choices, reply, value, shown):
    ctx = Context()
    engine.ask(first, ctx)
    back = engine.ask(pronoun_question, ctx)
    assert back.status == "clarify" and all(any(c in x for x in back.candidates) for c in choices), back.answer
    a = engine.ask(reply, ctx)
    assert a.status == "ok" and shown in a.answer and (value is None or a.value.quantize(D("0.0001")) == value), a.answer
    they = Context()
    engine.ask(first, they)
    both = engine.ask("他们的电话呢" if "他" in pronoun_question else "它们各占政府采购的比例", they)
    assert both.status != "clarify", both.answer  # a plural pronoun means them all


def test_zhan_le_duoshao_asks_amount_or_share(engine):
    """政府采购里服务类占了多少: its amount (预算05表 3048.692632) or its share (99.56%)? Asked back, then answered."""
    ctx = Context()
    back = engine.ask("政府采购里服务类占了多少", ctx)
    assert back.status == "clarify" and len(back.candidates) == 2, back.answer
    amount = engine.ask("1", ctx)
    assert (amount.status, amount.value) == ("ok", D("3048.692632")), amount.answer
    assert engine.ask("服务类占政府采购的比例").value.quantize(D("0.01")) == D("99.56")  # a share said is a share
