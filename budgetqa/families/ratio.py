"""Shares, differences and multiples between two answerable quantities."""

from __future__ import annotations

import copy
import re
from decimal import Decimal

from budgetqa.answer import Answer, format_decimal
from budgetqa.core.patterns import lazy
from budgetqa.families.base import (
    Env,
    Quantity,
    Template,
    measure_quantity,
    sangong_quantity,
)
from budgetqa.families.common import (
    MONEY_MEASURES,
    SANGONG_PREFIX,
    money_unit,
    ok,
    quantity,
    shown,
)
from budgetqa.nlu.linker import Span, Understanding, dept_aliases
from budgetqa.nlu.vocab import inserted_part, payment_siblings
from budgetqa.render import money, percent
from budgetqa.sqlbuild import Cond, Query

AMOUNT_OR_SHARE = lazy(r"占了多少[?？。]*$")  # the whole named before it (X里服务类占了多少), nothing said of a share
SHARE_SAID = lazy(r"比例|比重|百分|几成|%|％|份额|占比|多大|钱|金额")


class Ratio(Template):
    """Shares and differences between any two answerable quantities.

    灾害防治及应急管理支出占总支出的比重 · 人员经费占基本支出的比例 · 人员经费比公用经费多多少
    """

    weight = 90
    family = "ratio"

    def match(self, u, env):
        times = "times" in u.cues
        share = "share" in u.cues or times
        diff = "diff" in u.cues and not times
        if not (share or diff):
            return None
        if share and not times and AMOUNT_OR_SHARE.search(u.question) and not SHARE_SAID.search(u.question):
            # 采购预算里服务类占了多少: its amount, or its share of the whole? Writers read it both ways: asked back
            ask = AMOUNT_OR_SHARE.search(u.question)
            head = u.question[:ask.start()]
            return Answer(u.question, "clarify", "您问的是金额，还是占比？", candidates=[head + "是多少", head + "占的比例是多少"],
                          links=u.links())

        if "yoy" in u.cues and any(m.startswith(SANGONG_PREFIX) for m in u.measures):
            return None  # 三公经费比上年下降了百分之几: a change over the years (SangongYoY)
        left, right = (detached(x) for x in split_question(u, env, share))  # (the previous turn's is shared: never changed)
        earlier = [t for sp in u.inherited if sp.kind.startswith("project") for t in sp.targets]
        for side in (left, right):  # 首款比尾款多多少 after that project's 首款 and 尾款: its two lines
            if side is not None and side.payments and earlier and not any(sp.kind.startswith("project") for sp in side.spans):
                lines = payment_siblings(earlier, side.payments, env.vocab)
                if lines:
                    side.spans.append(Span(0, 0, lines[0].name, "project", lines))
        if left is not None and right is not None and left.years and not right.years:
            right.years = list(left.years)  # 占当年三公经费的比例 after 2023年呢: the whole of the part's year
        if left is not None and right is not None:
            share_scope(left, right, diff, env.vocab)  # a whole named alone (福利费占公用经费) keeps no part's scope
            share_scope(right, left, diff or not right.measures, env.vocab)  # 培训费中项目支出占多少: the part is the whole's
        a, clar = quantity(left, env) if left is not None else (None, None)
        if clar:
            return clar
        b = None
        if right is not None:
            b, clar = quantity(right, env)
            if clar:
                return clar
        cannot = Answer(u.question, "unsupported", "没能确定要比较的两个数。可以这样问：人员经费占基本支出的比例；"
                        "基本支出比项目支出多多少。", links=u.links())
        if a is None:
            return cannot
        if b is None:
            if diff:
                return cannot
            b = whole_of(a, env)
        if a.query is not None and a.query == b.query and not a.parts and not b.parts:  # one figure both sides
            return Answer(u.question, "unsupported", f"比较的两边都成了同一个数（{a.label}），这样比没有意义。"
                          "请把两边分别说清楚，例如：人员经费占基本支出的比例。", links=u.links())
        kinds = {env.resolve(x).kind for x in (a, b) if not x.parts}
        if len(kinds) > 1:  # 车辆的钱占三公的比例 read as 车辆数: a count beside money is no share and no difference
            return Answer(u.question, "unsupported", f"{a.label}和{b.label}一个是数量、一个是金额，不能相比。"
                          "请说清楚要比的两笔钱。", links=u.links())
        va, vb = env.value(a), env.value(b)
        if va is None or vb is None:
            missing = a.label if va is None else b.label
            return Answer(u.question, "not_found", f"这份预算没有列出{missing}的数，无法计算。", sql=env.sql or None,
                          links=u.links())
        if times:  # 电费是水费的几倍
            if not vb:
                return None
            r = (Decimal(va) / Decimal(vb)).quantize(Decimal("0.000001"))
            text = f"{a.label}{money(va)}，是{b.label}{money(vb)}的{format_decimal(r)}倍。"
            return ok(u, env, text, r, "倍", ["项目", "金额（万元）"], [[a.label, va], [b.label, vb]])
        if share:
            if not vb:
                return None
            r = Decimal(va) / Decimal(vb)
            if r > 1:  # a share is of a part in its whole: more than the whole means the reading is wrong
                return Answer(u.question, "unsupported", f"{a.label}（{money(va)}）比{b.label}（{money(vb)}）还多，"
                              "不是它的一部分，无法回答占比。可以问例如：人员经费占基本支出的比例。", sql=env.sql, links=u.links())
            text = f"{a.label}{money(va)}，占{b.label}{money(vb)}的{percent(r)}。"
            value = (r * 100).quantize(Decimal("0.0001"))
            return ok(u, env, text, value, "%", ["项目", "金额（万元）"], [[a.label, va], [b.label, vb]])
        d = Decimal(va) - Decimal(vb)
        unit = money_unit(u)
        word = "多" if d >= 0 else "少"
        text = f"{a.label}{money(va, unit)}，比{b.label}{money(vb, unit)}{word}{money(abs(d), unit)}。"
        return ok(u, env, text, shown(d, unit), unit, ["项目", "金额（万元）"], [[a.label, va], [b.label, vb]])



def detached(u: Understanding | None) -> Understanding | None:
    """A copy whose span list can grow without touching the original (an earlier turn's understanding)."""
    if u is None:
        return None
    c = copy.copy(u)
    c.spans = list(u.spans)
    return c


def whole_of(a: Quantity, env: Env) -> Quantity:
    """The whole a share is of when the question names none: 服务类采购占比 -> 政府采购, 公务接待费占比 -> 三公经费,
    人员经费占比 -> 基本支出, anything else -> 总支出."""
    table = a.query.table if a.query is not None else ""
    if table == "narrative":  # 政府采购工程预算占比: of 政府采购预算, the stated whole it is a part of
        item = next((c.value for c in a.query.where if c.column == "item"), "")
        whole = stated_whole(item, env.vocab.narrative_items)
        if whole is not None:
            return Quantity(f"“{whole}”", Query("narrative", "value", "sum", [Cond("item", "eq", whole)]))
    if table == "procurement":
        return measure_quantity("procurement", env.vocab)
    if table == "purchased_services":
        return measure_quantity("services", env.vocab)
    if table == "sangong":
        year = next((c.value for c in a.query.where if c.column == "year"), env.vocab.year)
        return sangong_quantity("三公经费", year)
    return measure_quantity("basic" if a.label in ("人员经费", "公用经费") else "total_expenditure", env.vocab)



def stated_whole(item: str, items) -> str | None:
    """The stated item that `item` is a part of by its name: 政府采购工程预算 -> 政府采购预算.

    >>> stated_whole("政府采购工程预算", ["政府采购预算", "政府采购服务预算"]), stated_whole("政府采购预算", ["车辆数"])
    ('政府采购预算', None)
    """
    return next((whole for whole in sorted(items, key=len, reverse=True) if inserted_part(item, whole) is not None), None)


def share_scope(named: Understanding, bare: Understanding, diff: bool = True, vocab=None) -> None:
    """What one side of a comparison names that the other leaves to it: 行政运行的基本支出比项目支出 (the
    项目支出 of 行政运行), 政府采购中服务比货物 (货物 of 政府采购), 服务类占政府采购 (服务类 of 政府采购),
    X首款比尾款 (X's 尾款 line)."""
    named_projects = [t for sp in named.spans if sp.kind in ("project", "project_fuzzy", "project_part") for t in sp.targets]
    if vocab is not None and bare.payments and named_projects and not any(sp.kind.startswith("project") for sp in bare.spans):
        lines = payment_siblings(named_projects, bare.payments, vocab)
        if lines:
            bare.spans.append(Span(0, 0, lines[0].name, "project", lines))

    kinds = ("project", "project_part", "project_fuzzy", "subject", "proc_cat", "service_cat")
    bare_measures = set(bare.measures)
    if diff and bare_measures and bare_measures <= set(MONEY_MEASURES) and not any(sp.kind in kinds for sp in bare.spans) \
            and set(named.measures) <= set(MONEY_MEASURES) and named.of("subject") and not named.of("project"):
        bare.spans += [Span(0, 0, sp.text, sp.kind, sp.targets, sp.score) for sp in named.of("subject")]
    for measure, kind in (("procurement", "proc_cat"), ("services", "service_cat")):
        if measure in named.measures and bare.of(kind) and not bare.measures:
            bare.spans.append(Span(0, 0, "", "measure", [measure]))
    if vocab is not None and not bare.of("narrative_item"):  # 政府采购里货物占多少: 货物 of the stated 政府采购预算
        wholes = {t for sp in named.of("narrative_item") for t in sp.targets}
        for child in vocab.narrative_items:
            whole = stated_whole(child, wholes) if wholes else None
            if whole is None:
                continue
            word = inserted_part(child, whole)
            if word in bare.qk:
                at = bare.qk.find(word)
                bare.spans = [sp for sp in bare.spans if not (sp.start < at + len(word) and at < sp.end)]
                bare.spans.append(Span(at, at + len(word), word, "narrative_item", [child], 90.0))
                break



def split_question(u: Understanding, env: Env, share: bool) -> tuple[Understanding | None, Understanding | None]:
    """'A占B的比重' / 'A比B多多少' -> the understandings of A and of B (B may be None)."""
    from budgetqa.nlu.linker import normalise

    qn = normalise(u.question)
    for alias in sorted(dept_aliases(env.vocab.dept_name), key=len, reverse=True):
        qn = qn.replace(alias, "")  # the 里 of 万里街道 splits nothing
    if u.previous is not None and re.match(r"^(?:那|那么)?(?:它|这部分|这些|这块|这个|这|其)?(?:占|比)", qn):
        # 占总支出的比例呢 / 比项目支出多多少 after a question: the previous one is the first quantity
        rest = re.sub(r"^(?:那|那么)?(?:它|这部分|这些|这块|这个|这|其)?(?:占|比)", "", qn)
        rest = re.sub(r"的?(?:比重|比例|百分之几|百分之多少|百分比|多少比例|占比|几成|%).*$|(?:多|少|相差|差).*$", "", rest)
        return u.previous, (env.linker.understand(rest) if rest else None)
    m = re.match(r"^(?:那|那么)?(?:其中|这里头|这里面|里面|里头|这其中|当中)(.+?)(?:所)?占", qn) if share and u.previous is not None else None
    if m:  # 其中货物类占多少比例 after 政府采购预算合计: a part of the previous whole
        whole = u.previous
        if "yoy" in whole.cues:  # after 比上年压减了多少: this year's whole, not the change nor last year's
            whole = detached(whole)
            whole.spans = [sp for sp in whole.spans if not (sp.kind == "cue" and "yoy" in sp.targets)]
            whole.years = [y for y in whole.years if y == env.vocab.year]
        return env.linker.understand(m.group(1)), whole
    pattern = r"(.+?)(?:占|是)(.+?)的?(?:比重|比例|百分之几|百分之多少|百分比|多少比例|占比|几成|%|几倍|多少倍|倍数)" if share else \
        r"(.+?)(?:比|和|与|跟)(.+?)(?:多|少|相差|差|的差额|差额)"
    linker = env.linker
    m = re.search(r"(.+?)在(.+?)(?:里面|里|中|当中)的?(?:所)?占", qn) if share else None
    if m:  # 公用经费在基本支出里占百分之几
        return linker.understand(m.group(1)), linker.understand(m.group(2))
    m = re.search(r"(.+?)(?:里面|里|中|当中)(.+?)(?:占|所占)", qn) if share else None
    if m:  # 三公经费里公务接待费占多少: the part over the whole it is named in
        return linker.understand(m.group(2)), linker.understand(m.group(1))
    m = re.search(pattern, qn) or (re.search(r"(.+?)占(.+?)的?(?:多少|几成)", qn) if share else None)  # 公用经费占基本支出多少
    if m:
        return linker.understand(m.group(1)), linker.understand(m.group(2))
    m = re.search(r"(.+?)(?:占比|的占比|所占比重|比重|比例|占多少)", qn) if share else None
    if m:
        return linker.understand(m.group(1)), None
    return None, None
