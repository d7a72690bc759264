"""One template per question family. Each docstring lists questions it answers.

Templates are tried from the highest weight down; the first that matches answers. A template that
recognises its family but cannot answer safely returns a clarify / not_found Answer rather than None.
"""

from __future__ import annotations

import re
from decimal import Decimal

from budgetqa.answer import Answer, format_decimal
from budgetqa.nlu.lexicon import load_lexicon
from budgetqa.nlu.linker import Understanding
from budgetqa.nlu.vocab import Project, Subject
from budgetqa.render import listing, money, percent
from budgetqa.sqlbuild import Cond, Query
from budgetqa.store.schema import CATALOGUE
from budgetqa.templates.base import (
    MEASURE_LABELS,
    SCHEME_COLUMN,
    Env,
    Quantity,
    Template,
    base_name,
    measure_quantity,
    project_set_query,
    sangong_quantity,
    single_or_siblings,
    subject_quantity,
    unique,
)

SANGONG_PREFIX = "sangong"
MONEY_MEASURES = ("basic", "project", "personnel", "public")


def ok(u: Understanding, env: Env, text: str, value=None, unit=None, columns=None, rows=None) -> Answer:
    return Answer(u.question, "ok", text, value, unit, columns or [], rows or [], env.sql or None, u.links())


def shown(v: Decimal | None, unit: str | None) -> Decimal | None:
    if v is None:
        return None
    return v * 10000 if unit == "元" else (v / 10000 if unit == "亿元" else v)


def money_unit(u: Understanding) -> str:
    return u.unit if u.unit in ("元", "亿元") else "万元"


# -- what a question (or half of one) names ------------------------------------------------------------

def projects_named(u: Understanding, vocab=None) -> tuple[list[Project], str, bool]:
    """The projects a question names, the words that named them, and whether they were named as a set.

    A name with its variants named after it means them all: 60学时业务培训线上线下 (线上 and 线下),
    800兆电台维护费首款和尾款 / 首尾款 (both payments)."""
    exact = [p for s in u.of("project") for p in s.targets]
    if exact:
        stems = {variant_stem(p.name) for p in exact}
        more = [t for s in u.of("project_part") for t in s.targets if variant_stem(t.name) in stems]
        if vocab is not None and len(set(u.payments)) > 1:
            more += [t for t in vocab.projects if variant_stem(t.name) in stems]
        return unique(exact + more), "、".join(s.text for s in u.of("project")), False
    fuzzy = u.of("project_fuzzy")
    if fuzzy:
        return unique(fuzzy[0].targets), fuzzy[0].text, False
    parts = u.of("project_part")
    if parts:
        sets = [set(p.name for p in s.targets) for s in parts]
        common = set.intersection(*sets) if sets else set()
        chosen = [p for p in parts[0].targets if p.name in common]
        longest = max(parts, key=lambda s: s.end - s.start)
        if not chosen and longest.end - longest.start >= 4:  # pieces that disagree: the long one names it
            return list(longest.targets), longest.text, True
        return chosen, "、".join(s.text for s in parts), True
    return [], "", False


def variant_stem(name: str) -> str:
    """A project's name without its closing parenthesis: 60学时业务培训（线上） -> 60学时业务培训."""
    return re.sub(r"[（(][^（）()]*[）)]$", "", name)


def payment_conds(u: Understanding) -> list[Cond]:
    """首款 -> payment = 首款; 首款和尾款 / 首尾款 -> payment in (首款, 尾款)."""
    pays = unique(u.payments)
    if len(pays) > 1:
        return [Cond("payment", "in", pays)]
    return [Cond("payment", "eq", pay) for pay in pays]


def wants_set(u: Understanding) -> bool:
    return bool(u.cues & {"keyword", "sum", "count", "list", "avg", "max", "min", "rank", "owner_of"})


def subject_choice(u: Understanding) -> list[Subject]:
    subs = [s for sp in u.of("subject") for s in sp.targets]
    return unique(subs)


def pick_subject(u: Understanding, env: Env, measure: str | None) -> tuple[Subject | None, Answer | None]:
    """One subject, or a clarifying question when a name means different figures in two schemes."""
    subs = subject_choice(u)
    if not subs:
        return None, None
    by_code = unique([s for sp in u.of("subject") if sp.text.isdigit() for s in sp.targets])
    if by_code:  # a code names exactly one subject: 部门经济分类30227委托业务费
        subs = by_code
    schemes = {SCHEME[d] for d in u.dims if d in SCHEME}
    if schemes and [s for s in subs if s.scheme in schemes]:
        subs = [s for s in subs if s.scheme in schemes]  # 部门经济分类的委托业务费
    if len(subs) == 1:
        return subs[0], None
    values = {}
    for s in subs:
        q = subject_quantity(s, measure)
        values[s] = env.scalar(q.query)
    distinct = {v for v in values.values()}
    if len(distinct) == 1:
        # the same figure whichever scheme: prefer the 部门经济分类/项 (finest) reading
        order = {"部门经济分类": 0, "功能分类": 1, "政府经济分类": 2}
        return sorted(subs, key=lambda s: (order[s.scheme], -len(s.code)))[0], None
    cands = [f"{s.scheme}{s.code} {s.name}（{money(values[s])}）" for s in subs]
    term = u.of("subject")[0].text if u.of("subject") else subs[0].name
    return None, Answer(u.question, "clarify", f"“{term}”可以指几个科目，数额不同，您问的是哪一个？" +
                        "；".join(cands), candidates=[f"{s.scheme}{s.code}{s.name}" for s in subs],
                        links=u.links())


def columns_of(q: Query) -> list[str]:
    """The Chinese names of a query's columns, from the catalogue (amounts marked with their unit)."""
    cols = CATALOGUE[q.table].columns
    return [cols[c].zh + ("（万元）" if cols[c].type.startswith("DECIMAL") else "") for c in q.select]


def examples(vocab) -> list[str]:
    """Questions this budget can answer, drawn from its own data (names, people, subjects)."""
    out = ["总支出多少"]
    projects = sorted(vocab.projects, key=lambda p: -p.amount)
    if projects:
        out.append(f"{projects[min(3, len(projects) - 1)].name}多少钱")
    items = [s for s in vocab.subjects if s.scheme == "功能分类" and s.level == "项"]
    if items:
        out.append(f"{items[-1].name}科目预算多少")
    if vocab.people:
        out.append(f"{sorted(vocab.people)[0]}负责哪些项目")
    if vocab.sangong_years:
        out.append(f"{vocab.sangong_years[0]}年公务接待费是多少")
    return out


def several_subjects(u: Understanding, env: Env, names: list[str], measure: str | None
                     ) -> tuple[Quantity | None, Answer | None]:
    """培训费和会议费一共多少: each subject on its own (asking back if one is ambiguous), then their sum."""
    parts: list[Quantity] = []
    for name in names:
        spans = [sp for sp in u.of("subject") if sp.targets[0].name == name]
        sub = Understanding(u.question, u.qn, u.qk, spans)
        s, clar = pick_subject(sub, env, measure)
        if clar:
            return None, clar
        parts.append(subject_quantity(s, measure))
    return Quantity("与".join(q.label for q in parts), None, parts=parts), None


JOINED = re.compile(r"和|与|及|加|跟|同|、|以及|还有|或")


def crossed_subjects(u: Understanding) -> tuple[Subject, Subject] | None:
    """其他应急管理支出里的会议费 / 行政运行科目下的委托业务费: a 功能分类 subject and an 经济分类 subject named
    without 和/与 between them mean their cell of 预算03表 (both conditions), not the two added up."""
    spans = sorted(u.of("subject"), key=lambda s: s.start)
    func = [s for s in spans if any(t.scheme == "功能分类" for t in s.targets)]
    econ = [s for s in spans if any(t.scheme != "功能分类" for t in s.targets) and s not in func]
    if len({t.code for s in func for t in s.targets}) != 1 or len({t.name for s in econ for t in s.targets}) != 1:
        return None  # (应急管理（2240109）: a name and its code are one subject)
    a, b = sorted((func[-1], econ[0]), key=lambda s: s.start)
    asked_together = not {id(a), id(b)} & {id(s) for s in u.inherited}  # 其中行政运行 after 会议费: crossed
    if asked_together and (a.end > b.start or JOINED.search(u.qk[a.end:b.start])):
        return None
    f = next(t for t in func[0].targets if t.scheme == "功能分类")
    e = sorted((t for t in econ[0].targets if t.scheme != "功能分类"), key=lambda t: t.scheme != "部门经济分类")[0]
    return f, e


def cell_quantity(f: Subject, e: Subject, measure: str | None) -> Quantity:
    fq, eq = subject_quantity(f, measure), subject_quantity(e, measure)
    conds = fq.query.where + eq.query.where
    column = fq.query.measure
    label = f"“{f.name}”（功能分类{f.code}）中的“{e.name}”（{e.scheme}{e.code}）" + (f"的{MEASURE_LABELS[measure]}" if measure else "")
    ev = Query("expenditure", agg="rows", where=conds,
               select=["func_code", "func_name", "dept_econ_code", "dept_econ_name", column])
    return Quantity(label, Query("expenditure", column, "sum", conds), ev)


def narrowest(measures: list[str]) -> list[str]:
    """Measures without those another named measure is a part of: 基本支出里人员经费 asks for 人员经费.
    Named with fiscal_total (一般公共预算财政拨款的基本支出), a part is read from the 07 table: 'fiscal:basic'.

    >>> narrowest(["basic", "personnel"]), narrowest(["fiscal_total", "basic"]), narrowest(["project"])
    (['personnel'], ['fiscal:basic'], ['project'])
    """
    parents = load_lexicon().measure_parents
    kept = [m for m in measures if not any((o, m) in parents for o in measures if o != m)]
    if "fiscal_total" in measures and len(kept) == 1 and (kept[0], "fiscal_total") in parents:
        return [f"fiscal:{kept[0]}"]
    return kept


def year_of(u: Understanding, env: Env) -> int:
    return u.years[-1] if u.years else env.vocab.year


def quantity(u: Understanding, env: Env) -> tuple[Quantity | None, Answer | None]:
    """The single figure a (part of a) question names, if it names one."""
    measures = u.measures
    sangong = [m for m in measures if m.startswith(SANGONG_PREFIX)]
    other = narrowest([m for m in measures if not m.startswith(SANGONG_PREFIX)])
    if {"basic", "project"} <= set(other) and "breakdown" in u.cues:  # 培训费的项目支出和基本支出分别是多少
        subject, clarify = pick_subject(u, env, None)
        if clarify:
            return None, clarify
        if subject is not None:
            return Quantity(f"“{subject.name}”", None, parts=[subject_quantity(subject, m) for m in ("basic", "project")]), None
        if not u.of("subject"):
            return Quantity("基本支出与项目支出", None, parts=[measure_quantity(m, env.vocab) for m in ("basic", "project")]), None
    if {"basic", "project"} <= set(other):  # 基本支出和项目支出都算上: the whole of both
        other = [m for m in other if m not in ("basic", "project")] or ["total_expenditure"]
    money_measure = next((m for m in other if m in MONEY_MEASURES), None)
    projects, words, as_set = projects_named(u, env.vocab)
    if "services" in other:
        conds = [Cond(col, "eq", name) for sp in u.of("service_cat") for col, name in sp.targets[:1]]
        conds += [Cond("field", "eq", s.name) for sp in u.of("subject") for s in sp.targets[:1]
                  if env.vocab.service_cats.get(s.name) == "field"]
        conds = unique(conds)
        label = "政府购买服务" + ("中" + "、".join(c.value for c in conds) if conds else "")
        if projects and not as_set:  # 办公场所运行保障经费在政府购买服务里安排了多少: that project's rows of 预算12表
            names = unique([p.name for p in projects])
            conds.append(Cond("project_name", "in", names))
            label = f"{'、'.join(names)}在政府购买服务中"
        ev = Query("purchased_services", agg="rows", where=conds, select=["project_name", "level2", "level3", "amount"])
        return Quantity(label, Query("purchased_services", "amount", "sum", conds), ev), None
    named_subjects = unique([sp.targets[0].name for sp in u.of("subject")])
    cell = crossed_subjects(u) if len(named_subjects) > 1 and not u.of("project") and not sangong else None
    if cell is not None and money_measure in (None, "basic", "project"):
        return cell_quantity(*cell, money_measure), None
    if len(named_subjects) > 1 and not u.of("project") and not sangong:
        return several_subjects(u, env, named_subjects, money_measure)
    if u.of("subject") and not u.of("project") and not (sangong and not u.cues & {"subject"}):
        s, clarify = pick_subject(u, env, money_measure)
        if clarify:
            return None, clarify
        if s is not None:
            return subject_quantity(s, money_measure), None
    if sangong:
        item = sangong[-1].split(":", 1)[1] if ":" in sangong[-1] else "三公经费"
        return sangong_quantity(item, year_of(u, env)), None
    if "services" in other or (u.of("service_cat") and not projects):
        conds = [Cond(col, "eq", name) for sp in u.of("service_cat") for col, name in sp.targets[:1]]
        label = "政府购买服务" + ("中" + "、".join(c.value for c in conds) if conds else "")
        ev = Query("purchased_services", agg="rows", where=conds,
                   select=["project_name", "level2", "level3", "amount"])
        return Quantity(label, Query("purchased_services", "amount", "sum", conds), ev), None
    if "procurement" in other:
        conds = [Cond("category", "eq", t) for sp in u.of("proc_cat") for t in sp.targets[:1]]
        label = "政府采购" + ("中" + conds[0].value if conds else "预算")
        return Quantity(label, Query("procurement", "amount", "sum", conds)), None
    if projects:
        names = [p.name for p in projects]
        conds = payment_conds(u)
        label = f"“{words}”相关项目" if as_set else "、".join(names)
        q = project_set_query(names, conds)
        total = Query("projects", "amount", "sum", [Cond("name", "in", names), *conds])
        return Quantity(label, total, q), None
    people = u.people
    if people and not projects and not u.of("subject") and set(other) <= {"total_expenditure", "project"}:
        person = people[-1]  # 张斌负责的项目一共多少钱 (also as one side of 占项目支出的比例)
        return Quantity(f"{person}负责的项目", Query("projects", "amount", "sum", [Cond("owner", "eq", person)])), None
    units = [t for sp in u.of("org_unit") for t in sp.targets[:1]]
    if units and not u.of("subject") and set(other) <= {"total_expenditure", "total_income"}:
        code, name = units[-1]  # 社会福利中心的预算总额: the unit's line of 预算02表
        where = [Cond("unit_code", "eq", code), Cond("source", "eq", "合计")]
        return Quantity(f"{name}预算总额", Query("income", "amount", "sum", where)), None
    summed = [q for q in (measure_quantity(m, env.vocab) for m in other) if q]
    if len(summed) > 1 and u.cues & {"sum"}:  # 人员经费加公用经费: each, then their sum
        return Quantity("与".join(q.label for q in summed), None, parts=summed), None
    if summed:
        return summed[0], None
    items = [t for sp in u.of("summary_item") for t in sp.targets[:1]]
    if items:  # a line of the 收支总表 (预算01表/06表): 事业收入, 上年结转
        table_no, side, item = items[-1]
        where = [Cond("table_no", "eq", table_no), Cond("side", "eq", side), Cond("item", "eq", item)]
        return Quantity(f"预算{table_no}表“{item}”", Query("summary_items", "amount", "sum", where)), None
    return None, None


# -- families ------------------------------------------------------------------------------------------

PERSONAL = re.compile(r"工资|薪水|薪酬|收入|奖金|待遇|报酬|年薪|月薪|住址|身份证|年龄")
OUTTURN = re.compile(r"决算|执行数|执行率|执行了|执行多少|执行情况|执行进度|实际支出|实际花|实际使用|花出去|花掉|用掉")
WHY = re.compile(r"为什么|为何|什么原因|原因是|凭什么|怎么这么|干嘛")


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
        if u.of("project") or u.of("person") or (u.cues & {"indicators", "goal", "howmany", "count"} and
                                                  (u.of("project_part") or u.of("project_fuzzy"))):
            return None  # the rest may name an indicator of a named project
        thing = "".join(content)
        if u.of("project_part") or "project" in u.cues:
            sug = [p.name for s in u.of("project_part") for p in s.targets][:5]
            return Answer(u.question, "not_found",
                          f"没有找到与“{thing}”有关的项目。" + (f"名称相近的有：{listing(sug)}。" if sug else ""),
                          links=u.links(), candidates=sug)
        if len(thing) >= 2:
            return Answer(u.question, "not_found", f"没有找到“{thing}”：本预算里没有这个项目、科目或人员。",
                          links=u.links())
        return None


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
        from budgetqa.conversation import split_question

        if "yoy" in u.cues and any(m.startswith(SANGONG_PREFIX) for m in u.measures):
            return None  # 三公经费比上年下降了百分之几: a change over the years (SangongYoY)
        left, right = split_question(u, env, share)
        if left is not None and right is not None:
            share_scope(left, right, diff)  # a whole named alone (福利费占公用经费) keeps no part's scope
            share_scope(right, left, diff or not right.measures)  # 培训费中项目支出占多少: the part is the whole's
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
        va, vb = env.value(a), env.value(b)
        if va is None or vb is None:
            return None
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


def whole_of(a: Quantity, env: Env) -> Quantity:
    """The whole a share is of when the question names none: 服务类采购占比 -> 政府采购, 公务接待费占比 -> 三公经费,
    人员经费占比 -> 基本支出, anything else -> 总支出."""
    table = a.query.table if a.query is not None else ""
    if table == "procurement":
        return measure_quantity("procurement", env.vocab)
    if table == "purchased_services":
        return measure_quantity("services", env.vocab)
    if table == "sangong":
        year = next((c.value for c in a.query.where if c.column == "year"), env.vocab.year)
        return sangong_quantity("三公经费", year)
    return measure_quantity("basic" if a.label in ("人员经费", "公用经费") else "total_expenditure", env.vocab)


def share_scope(named: Understanding, bare: Understanding, diff: bool = True) -> None:
    """What one side of a comparison names that the other leaves to it: 行政运行的基本支出比项目支出 (the
    项目支出 of 行政运行), 政府采购中服务比货物 (货物 of 政府采购), 服务类占政府采购 (服务类 of 政府采购)."""
    from budgetqa.nlu.linker import Span

    kinds = ("project", "project_part", "project_fuzzy", "subject", "proc_cat", "service_cat")
    bare_measures = set(bare.measures)
    if diff and bare_measures and bare_measures <= set(MONEY_MEASURES) and not any(sp.kind in kinds for sp in bare.spans) \
            and set(named.measures) <= set(MONEY_MEASURES) and named.of("subject") and not named.of("project"):
        bare.spans += [Span(0, 0, sp.text, sp.kind, sp.targets, sp.score) for sp in named.of("subject")]
    for measure, kind in (("procurement", "proc_cat"), ("services", "service_cat")):
        if measure in named.measures and bare.of(kind) and not bare.measures:
            bare.spans.append(Span(0, 0, "", "measure", [measure]))


class SangongYoY(Template):
    """三公经费 and its parts compared with the year before.

    三公经费比上年增减多少 · 公务接待费比去年少了多少
    """

    weight = 86
    family = "sangong"

    def match(self, u, env):
        items = [m for m in u.measures if m.startswith(SANGONG_PREFIX)]
        if not items or "yoy" not in u.cues:
            return None
        item = items[-1].split(":", 1)[1] if ":" in items[-1] else "三公经费"
        y = env.vocab.year if not u.years or u.years[-1] == env.vocab.year - 1 else u.years[-1]
        cur, prev = sangong_quantity(item, y), sangong_quantity(item, y - 1)
        vc, vp = env.scalar(cur.query), env.scalar(prev.query)
        if vc is None or vp is None:
            return Answer(u.question, "not_found", f"没有{y - 1}年和{y}年两年的{item}数据。", links=u.links())
        d = vc - vp
        unit = money_unit(u)
        trend = "增加" if d > 0 else ("减少" if d < 0 else "持平")
        m = re.search(r"(\d{4})年?.*?比(\d{4})年", u.qn)
        if m and int(m.group(1)) == y - 1 and int(m.group(2)) == y and not u.cues & {"share"}:
            # 2023年的三公经费比2024年多多少: the earlier year against the later one
            word = "多" if -d > 0 else ("少" if d > 0 else "相同")
            text = f"{prev.label}{money(vp, unit)}，{cur.label}{money(vc, unit)}，{y - 1}年比{y}年{word}{money(abs(d), unit)}。"
            return ok(u, env, text, shown(-d, unit), unit, ["年度", "金额（万元）"], [[y - 1, vp], [y, vc]])
        if "share" in u.cues and vp:  # 比上年下降了百分之几: the change as a share of the year before
            r = abs(d) / vp
            text = f"{cur.label}{money(vc, unit)}，{prev.label}{money(vp, unit)}，" + (
                f"比上年{trend}{percent(r)}。" if d else "与上年持平。")
            return ok(u, env, text, (r * 100).quantize(Decimal("0.0001")), "%", ["年度", "金额（万元）"],
                      [[y - 1, vp], [y, vc]])
        text = f"{cur.label}{money(vc, unit)}，{prev.label}{money(vp, unit)}，" + (
            f"比上年{trend}{money(abs(d), unit)}。" if d else "与上年持平。")
        return ok(u, env, text, shown(d, unit), unit, ["年度", "金额（万元）"], [[y - 1, vp], [y, vc]])


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
WHICH = re.compile(r"哪个|哪一|哪类|哪项|什么|是哪|属于|归属|列在|列入")


def clarify(u: Understanding, projects: list[Project]) -> Answer:
    names = [p.name for p in projects][:8]
    return Answer(u.question, "clarify", f"“{u.question}”可能指{len(projects)}个项目，您问的是哪一个？" + "；".join(names),
                  candidates=names, links=u.links())


class Person(Template):
    """A person: phone, projects, their total, how many.

    张根的联系电话 · 姚遥负责哪些项目 · 姚遥负责的项目一共多少钱 · 冯春鹏负责几个项目
    """

    weight = 84
    family = "person"

    def match(self, u, env):
        people = u.people
        if not people or u.of("project"):
            return None
        named = unique(people)
        if len(named) > 1:  # 姚遥和陈辽谁负责的项目金额多: each one's projects, side by side
            unit = money_unit(u)
            counted = "count" in u.cues or "howmany" in u.cues
            rows = env.run(Query("projects", "amount", "count" if counted else "sum", [Cond("owner", "in", named)],
                                 group=["owner"], order=[("value", True)]))
            said = "；".join(f"{r[0]} {r[1]}个项目" if counted else f"{r[0]} {money(r[1], unit)}" for r in rows)
            lead = f"，{rows[0][0]}最多" if len(rows) > 1 and rows[0][1] != rows[1][1] else ""
            return ok(u, env, f"负责的项目{'数' if counted else '金额'}：{said}{lead}。", None, None if counted else unit,
                      ["负责人", "项目数" if counted else "金额（万元）"], [list(r) for r in rows])
        person = people[-1]
        if "who" in u.cues and any(sp.text.isdigit() for sp in u.of("person")):
            return ok(u, env, f"电话{u.of('person')[0].text}是{person}的。", None, None, ["负责人", "联系电话"],
                      [[person, env.vocab.people.get(person)]])
        if u.cues & {"phone"} and not u.cues & {"list", "sum", "count"}:
            phone = env.vocab.people.get(person)
            env.run(Query("project_owners", agg="rows", where=[Cond("owner", "eq", person)],
                          select=["owner", "phone"], limit=1))
            return ok(u, env, f"{person}的联系电话是{phone}。", None, None, ["负责人", "联系电话"], [[person, phone]])
        conds, label = [Cond("owner", "eq", person)], f"{person}负责的项目"
        others = [Cond("name", "ne", t) for sp in u.of("exclude") for t in sp.targets]
        if others:  # 他负责的其他项目: the one asked about before left out
            conds += others
            label = f"{person}负责的其他项目"
        projects, words, _ = projects_named(u, env.vocab)
        if projects:  # 冯春鹏负责的培训类项目: those of the person's projects the words name
            conds.append(Cond("name", "in", unique([p.name for p in projects])))
            label = f"{person}负责的“{words}”相关项目"
        for s in unique([t for sp in u.of("subject") for t in sp.targets[:1]]):  # 张斌负责的行政运行项目
            conds.append(Cond(SCHEME_COLUMN[s.scheme], "prefix", s.code))
            label = f"{person}负责的{s.name}项目"
        return ProjectSet().answer(u, env, conds, label)


class People(Template):
    """How many people the project table names as owners (负责人), and who they are.

    项目负责人一共有几位 · 一共有几个项目负责人
    """

    weight = 83
    family = "person"

    def match(self, u, env):
        if not u.cues & {"owner", "who"} or not u.cues & {"count", "howmany"} or u.people or u.cues & {"max", "min", "rank"}:
            return None
        if any(u.of(k) for k in ("project", "project_part", "project_fuzzy", "subject", "service_cat", "proc_cat")):
            return None
        rows = env.run(Query("project_owners", "project_name", "count", [Cond("owner", "notnull")], group=["owner"],
                             order=[("value", True)]))
        text = f"项目表列出的负责人共{len(rows)}位：" + "、".join(f"{r[0]}（{r[1]}个项目）" for r in rows) + "。"
        return ok(u, env, text, len(rows), "人", ["负责人", "项目数"], [list(r) for r in rows])


class MostOwner(Template):
    """Who is responsible for the most projects (or the most money).

    谁负责的项目最多 · 哪位负责人管的项目金额最大
    """

    weight = 83
    family = "person"

    def match(self, u, env):
        if not (u.cues & {"who", "owner", "owner_of"}) or not (u.cues & {"max", "min", "rank"}) or u.people:
            return None
        by_money = bool(re.search(r"金额|钱|预算|经费|资金", u.qn))
        if not by_money:
            rows = env.run(Query("project_owners", agg="rows", select=["owner", "project_name"],
                                 where=[Cond("project_name", "notnull")]))
            counts: dict[str, int] = {}
            for owner, _ in unique([tuple(r) for r in rows]):
                counts[owner] = counts.get(owner, 0) + 1
            ranked = sorted(counts.items(), key=lambda kv: -kv[1] if "min" not in u.cues else kv[1])
            top = [o for o, c in ranked if c == ranked[0][1]]
            text = f"负责项目最{'少' if 'min' in u.cues else '多'}的是{'、'.join(top)}，共{ranked[0][1]}个项目。"
            return ok(u, env, text, ranked[0][1], "个", ["负责人", "项目数"], [list(r) for r in ranked])
        rows = env.run(Query("projects", "amount", "sum", [Cond("owner", "notnull")], group=["owner"],
                             order=[("value", "min" not in u.cues)]))
        text = f"负责项目金额最{'少' if 'min' in u.cues else '多'}的是{rows[0][0]}，合计{money(rows[0][1])}。"
        return ok(u, env, text, rows[0][1], "万元", ["负责人", "金额（万元）"], [list(r) for r in rows])


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
        by_name = {p.name: p for p in projects}  # lines of one project share its name
        if as_set and len(by_name) > 1 and not strong:
            return None  # 培训相关项目有几个: a set of projects, not an indicator
        if len(by_name) > 1:
            exact = [p for p in by_name.values() if p.key == re.sub(r"\W", "", words)]
            if len(exact) != 1:
                return clarify(u, list(by_name.values())) if strong else None
            by_name = {exact[0].name: exact[0]}
        p = next(iter(by_name.values()))
        rest = indicator_words(u, p)
        if not strong and (not rest or MONEY_WORDS.search(u.qn) or COUNTED_PROJECTS.search(u.qn)):
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
        if "goal" in u.cues and "indicators" not in u.cues and not counting:
            return ok(u, env, f"{p.name}的绩效目标：{blocks[0][1]}{caveat}", None, None, ["绩效目标"], [[blocks[0][1]]])
        best = best_indicator(rest, u.qn, rows)
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
        if strong and not (counting and rest):
            return ok(u, env, f"{p.name}的绩效指标{len(rows)}项{caveat}：{listed}", None, None, columns,
                      [list(r) for r in rows])
        if counting or strong:  # a figure is asked that no indicator of this project states: never its amount
            return Answer(u.question, "not_found", f"{p.name}的绩效指标里没有找到“{asked}”。它的绩效指标有：{listed}。",
                          columns=columns, rows=[list(r) for r in rows], sql=env.sql, links=u.links())
        return None


MONEY_WORDS = re.compile(r"多少钱|金额|预算|资金|拨款|花了|花费|万元|(?<![条次])元")
COUNTED_PROJECTS = re.compile(r"(?:几|多少)[个笔项]?项目|项目(?:有|共|一共|总共)?(?:几|多少)[个笔项]?|几笔|多少笔|哪些项目")
# words that carry no content of an indicator: the question is cut at them (never inside a word: 实有人数 keeps 有)
INDICATOR_FILLER = re.compile(r"要求|需要|计划|预计|对应|涉及|相关|包括|绩效|指标|目标|有哪些|是多少|一共|总共|多少|"
                              r"达到|预期|是|的|呢|吗|？|\?")
COUNTED_UNIT = re.compile(r"(?:多少|几)(人次|学时|个|人|家|次|条|天|年|月|套|台|张|页|件|场|块|名|项|份|所|处|部|辆|期)")
LEVEL2_HINTS = (  # words of a question -> the 二级指标 it asks about
    (re.compile(r"数量|人数|个数|人次|(?:多少|几)[个人家条次页张套台件场块名项份所处部辆批座]"), "数量指标"),
    (re.compile(r"时效|期限|时限|多久|多长时间|天|工作日|月内|年内"), "时效指标"),
    (re.compile(r"满意"), "满意度指标"),
    (re.compile(r"质量|合格|达标率|准确率|出勤"), "质量指标"),
    (re.compile(r"成本|费用|经费"), "成本指标"),
    (re.compile(r"效益|效果|影响"), "效益指标"),
)


def indicator_words(u: Understanding, p: Project) -> list[str]:
    """The pieces of the question that are neither the project's name nor filler: what is asked of it."""
    named = [s for s in u.spans if s.kind in ("project", "project_fuzzy") and p in s.targets]
    if not named:
        parts = [s for s in u.of("project_part") if p in s.targets]
        named = [max(parts, key=lambda s: s.end - s.start)] if parts else []
    keep = [True] * len(u.qk)
    for s in named:
        cut = [(s.start, s.end)]
        if s.kind == "project_fuzzy":  # a near match may take the whole question: drop only the name's words in it
            cut = shared_runs(u.qk[s.start:s.end], p.key, s.start)
        for a, b in cut:
            if b <= len(keep):  # spans merged from an earlier question point into its text, not this one
                keep[a:b] = [False] * (b - a)
    masked = "".join(ch if k else " " for ch, k in zip(u.qk, keep, strict=True))
    return [w for w in re.split(r"\s+", INDICATOR_FILLER.sub(" ", masked)) if w]


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
    """The indicator row whose 三级指标 the question's words name: shared character pairs, how much of the
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
    for r in rows:
        unit = r[5] or ""
        if counted and (unit in ("%", "元", "万元") or not unit and r[3] == "定性"):
            continue  # 多少人 is not answered by a percentage or an amount
        own = bigrams(r[2])
        shared = len(asked & own)
        kind = any(r[1].startswith(k[:2]) for k in kinds)
        in_unit = bool(unit) and (unit in "".join(rest) or bool(counted) and counted.group(1) in unit)
        only_kind = kind and counted and sum(1 for x in rows if x[1] == r[1]) == 1  # 要完成多少页: the one 数量指标
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


class SubjectProjects(Template):
    """Projects under a 功能分类/经济分类 subject.

    行政运行科目下有哪些项目 · 应急救援科目有几个项目
    """

    weight = 80
    family = "subject_projects"

    def match(self, u, env):
        if not u.of("subject") or "project" not in u.cues or u.of("project"):
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


class ProjectSet(Template):
    """Projects by keyword, 首款/尾款/全款, amount threshold or range: sums, counts, lists, averages, top N.

    应急指挥相关项目一共多少钱 · 首款项目有几个 · 低于3万元的项目有哪些 · 预算最多的五个项目 · 项目平均多少钱
    """

    weight = 70
    family = "project_set"

    def match(self, u, env):
        projects, words, as_set = projects_named(u, env.vocab)
        conds: list[Cond] = []
        label = ""
        if u.of("service_cat") or u.of("proc_cat"):
            return None  # 信息化服务有哪些项目: the services, not all projects
        if projects:
            if len(projects) == 1 and not wants_set(u) and not u.amounts:
                return None  # one named project: ProjectAmount
            distinct = unique([p.name for p in projects])
            if as_set and 1 < len(distinct) <= 6 and len(words) >= 4 and not wants_set(u) and not u.amounts \
                    and not single_or_siblings(projects) \
                    and not u.payments and not u.of("person") and not u.of("org_unit"):
                return clarify(u, projects)  # 城市电视发布预警信息项目预算多少: which of the projects so named?
            if not as_set and len(projects) == 1 and not (u.cues & {"keyword"}):
                return None
            conds.append(Cond("name", "in", [p.name for p in projects]))
            label = f"“{words}”相关项目" if as_set else "、".join(p.name for p in projects)
        pays = u.payments
        ranked = "project" in u.measures and u.cues & {"max", "min", "rank", "list", "asc"} and not u.cues & {"share", "diff"}
        if not projects and not pays and "project" not in u.cues and not ranked and not (u.amounts and u.cues & {"gt", "lt"}):
            return None  # (项目支出里最大的一笔是什么 ranks projects)
        for code, name in [t for sp in u.of("org_unit") for t in sp.targets[:1]][-1:]:  # 社会福利中心有哪些项目
            conds.append(Cond("unit_code", "eq", code))
            label = f"{name}的" + (label or "项目")
        if u.of("subject") or u.of("person") or [m for m in u.measures if m not in ("project",)]:
            return None
        return self.answer(u, env, conds, label or "项目")

    def answer(self, u, env, conds, label):
        pays = unique(u.payments)
        if len(pays) > 1 and "breakdown" in u.cues:  # 首款和尾款各多少: each payment on its own
            q = Query("projects", "amount", "sum", conds + payment_conds(u), group=["payment"], order=[("value", True)])
            rows = env.run(q)
            unit = money_unit(u)
            text = f"{label if label != '项目' else ''}按款项：" + "；".join(f"{r[0]}项目 {money(r[1], unit)}" for r in rows) + "。"
            return ok(u, env, text, None, unit, ["款项", "金额（万元）"], [list(r) for r in rows])
        conds = conds + payment_conds(u)
        if pays:
            label = (label + "中" if label != "项目" else "") + "、".join(pays) + ("项目" if label == "项目" else "")
        having, which = amount_filter(u)
        label = which + label
        q = project_set_query(None, conds, having)
        cues = u.cues
        desc = not cues & {"min", "asc"}
        if cues & {"max", "min", "rank", "asc"} or u.top_n:
            q.order = [("value", desc)]
        rows = env.run(q)
        if not rows and cues & {"count", "howmany"} and not cues & {"sum", "list"}:  # 刘子明负责的培训项目有几个: none
            return ok(u, env, f"{label}共0个（没有这样的项目）。", 0, "个")
        if not rows:
            return Answer(u.question, "not_found", f"没有找到{label}。", sql=env.sql, links=u.links())
        unit = money_unit(u)
        total = sum((r[1] for r in rows), Decimal(0))
        n = len(rows)
        items = [[r[0], r[1]] for r in rows]
        cols = ["项目名称", "金额（万元）"]
        if u.top_n or (cues & {"max", "min"} and cues & {"list", "rank"}):
            k = u.top_n or 1
            top = rows[:k] if u.top_n else [r for r in rows if r[1] == rows[0][1]]  # 最贵的是哪个: all that tie
            word = "最多" if desc else "最少"
            if "sum" in cues and len(top) > 1:  # 最贵的三个项目加起来多少
                subtotal = sum((r[1] for r in top), Decimal(0))
                text = f"{label}中预算{word}的{len(top)}个合计{money(subtotal, unit)}：" + "；".join(
                    f"{r[0]} {money(r[1], unit)}" for r in top) + "。"
                return ok(u, env, text, shown(subtotal, unit), unit, cols, [list(r) for r in top])
            text = f"{label}中预算{word}的{len(top)}个：" + "；".join(f"{r[0]} {money(r[1], unit)}" for r in top) + "。"
            return ok(u, env, text, shown(top[0][1], unit) if k == 1 else None, unit, cols, [list(r) for r in top])
        if cues & {"max", "min"}:
            r = rows[0]
            word = "最多" if desc else "最少"
            ties = [x for x in rows if x[1] == r[1]]
            text = f"{label}中预算{word}的是{'、'.join(x[0] for x in ties)}，{money(r[1], unit)}。"
            return ok(u, env, text, shown(r[1], unit), unit, cols, [list(x) for x in ties])
        if "avg" in cues:
            avg = total / n
            text = f"{label}共{n}个，平均每个{money(avg.quantize(Decimal('0.000001')), unit)}（合计{money(total, unit)}）。"
            return ok(u, env, text, shown(avg, unit), unit, cols, items)
        money_words = re.search(r"钱|金额|预算|经费|资金|万元|元|花", u.qn.split("个")[-1] if "个" in u.qn else u.qn)
        if "count" in cues and (not cues & {"sum"} or not money_words):
            text = f"{label}共{n}个：{listing([r[0] for r in rows])}。"
            return ok(u, env, text, n, "个", cols, items)
        if "list" in cues and not cues & {"sum"}:
            text = f"{label}共{n}个：" + "；".join(f"{r[0]}（{money(r[1], unit)}）" for r in rows[:30]) + (
                "……" if n > 30 else "") + "。"
            return ok(u, env, text, None, unit, cols, items)
        lines = f"，共{n}个项目" if n > 1 else ""
        text = f"{label}合计{money(total, unit)}{lines}：" + "；".join(
            f"{r[0]} {money(r[1], unit)}" for r in rows[:20]) + ("……" if n > 20 else "") + "。"
        return ok(u, env, text, shown(total, unit), unit, cols, items)


def amount_filter(u: Understanding) -> tuple[list[Cond], str]:
    """超过100万 / 低于3万元 / 介于36万和39万之间 -> conditions on a summed amount, and words for the label."""
    amounts = [a.value for a in u.amounts]
    if not amounts:
        return [], ""
    if "between" in u.cues and len(amounts) >= 2:
        return [Cond("x", "between", (min(amounts), max(amounts)))], f"金额在{money(min(amounts))}到{money(max(amounts))}之间的"
    if "lt" in u.cues:
        return [Cond("x", "lt", amounts[0])], f"低于{money(amounts[0])}的"
    if "gt" in u.cues:
        return [Cond("x", "gt", amounts[0])], f"超过{money(amounts[0])}的"
    return [], ""


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
        names = [p.name for p in projects]
        conds = payment_conds(u)
        subs = sorted(subject_choice(u), key=lambda s: s.scheme != "部门经济分类")
        if subs and u.of("project"):  # 办公场所运行保障经费的委托业务费部分: only its lines under that subject
            col = SCHEME_COLUMN[subs[0].scheme]
            conds.append(Cond(col, "prefix", subs[0].code))
        if u.cues & {"max", "min"} and len({p.name for p in projects}) == 1:
            return self.rank(u, env, projects[0])
        rows = env.run(Query("projects", agg="rows", where=[Cond("name", "in", names), *conds],
                             select=["name", "func_code", "func_name", "dept_econ_name", "amount", "line_no"],
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
            text = f"{r[0]}预算{money(total, unit)}{fuzzy_note}，功能分类{r[1]} {r[2]}。"
        else:
            text = f"{'、'.join(unique(names))}共{money(total, unit)}{fuzzy_note}，含{len(rows)}行：" + "；".join(
                f"{r[0]}（{r[3]}）{money(r[4], unit)}" for r in rows) + "。"
        return ok(u, env, text, shown(total, unit), unit, ["项目名称", "功能分类编码", "功能分类", "经济分类", "金额（万元）", "行"],
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


class Scalar(Template):
    """A single figure: totals, subjects at any level, 三公经费 by year, 政府采购, 政府购买服务.

    总支出多少 · 应急管理科目预算多少 · 行政运行的基本支出 · 2023年公务接待费是多少 · 政府购买服务里后勤服务多少钱
    """

    weight = 50
    family = "scalar"

    def match(self, u, env):
        if "howmany" in u.cues:
            return None  # 有几辆公务用车: a count of things, never an amount of money
        q, clar = quantity(u, env)
        if clar:
            return clar
        if q is None:
            return None
        if "list" in u.cues and q.evidence is not None and not u.cues & {"sum"}:
            rows = env.run(q.evidence)
            text = f"{q.label}共{len(rows)}项：" + "；".join(f"{r[0]} {money(r[-1], money_unit(u))}" for r in rows) + "。"
            return ok(u, env, text, None, money_unit(u), columns_of(q.evidence), [list(r) for r in rows])
        if "count" in u.cues and q.evidence is not None:
            rows = env.run(q.evidence)
            text = f"{q.label}共{len(rows)}项。"
            return ok(u, env, text, len(rows), "个", columns_of(q.evidence), [list(r) for r in rows])
        if u.cues & {"max", "min"} and not q.parts and not u.of("subject") and not u.of("project"):
            return None  # 基本支出中最大的一项: a part is asked, never the total
        v = env.value(q)
        unit = money_unit(u)
        columns = ["项目", "金额（万元）"]
        if q.parts:
            rows = [[p.label, env.value(p)] for p in q.parts]
        else:
            rows = env.run(q.evidence) if q.evidence is not None else [[q.label, v]]
            rows = [r for r in rows if r[-1] is not None]
            if q.evidence is not None:
                columns = columns_of(q.evidence)
        if v is None:
            return ok(u, env, f"{q.label}未安排预算（0万元）。", Decimal(0), unit, [], [])
        text = f"{q.label}{'合计' if q.parts else '为'}{money(v, unit)}。"
        if 1 < len(rows) <= 8:
            text = text[:-1] + "，包括：" + "；".join(
                f"{' '.join(str(c) for c in r[:-1] if c)} {money(r[-1], unit)}" for r in rows) + "。"
        return ok(u, env, text, shown(v, unit), unit, columns, [list(r) for r in rows])


TEMPLATES: list[Template] = sorted(
    [Refusal(), PersonGuess(), Unknown(), Ratio(), SangongYoY(), ProjectAttribute(), Person(), People(), MostOwner(), Indicator(),
     SubjectProjects(), ProjectSet(), ProjectAmount(), Scalar()], key=lambda t: -t.weight)

__all__ = ["TEMPLATES", "quantity", "format_decimal", "base_name"]


DIM_COLUMNS = {"level1": "level1", "level2": "level2", "level3": "level3", "field": "field"}
LEVEL_LEN = {"func": {"类": 3, "款": 5, "项": 7}, "dept_econ": {"类": 3, "款": 5}, "gov_econ": {"类": 3, "款": 5}}
CODE_COLUMN = {"func": "func_code", "dept_econ": "dept_econ_code", "gov_econ": "gov_econ_code"}
SCHEME = {"func": "功能分类", "dept_econ": "部门经济分类", "gov_econ": "政府经济分类"}


class Breakdown(Template):
    """A figure split by a dimension: subjects at a level, 目录/领域, 采购类别, years, 款项, 负责人.

    各功能分类支出分别是多少 · 按经济分类列出基本支出 · 政府购买服务按二级目录分别多少 · 三公经费2023年和2024年分别多少
    """

    weight = 87
    family = "breakdown"

    def match(self, u, env):
        dims = u.dims
        extreme = bool(u.cues & {"max", "min"}) and not u.of("project")
        if not dims and extreme and "project" not in u.cues and set(narrowest(u.measures)) & {"basic", "personnel", "public"}:
            dims = ["dept_econ"]  # 基本支出中最大的一项: by 部门经济分类
        if "breakdown" not in u.cues and not (dims and u.cues & {"list", "rank", "max", "min", "asc"} and "project" not in u.cues) \
                and not (extreme and (any(m.startswith(SANGONG_PREFIX) for m in u.measures) or "services" in u.measures)):
            return None
        measures = u.measures
        sangong = [m for m in measures if m.startswith(SANGONG_PREFIX)]
        unit = money_unit(u)
        if sangong:
            item = sangong[-1].split(":", 1)[1] if ":" in sangong[-1] else "三公经费"
            if len(u.years) >= 2 or "year" in dims or item != "三公经费":
                years = sorted(set(u.years)) or env.vocab.sangong_years
                q = Query("sangong", "amount", "sum", [Cond("item", "eq", item), Cond("year", "in", years)], group=["year"],
                          order=[("year", False)])
                rows = env.run(q)
                text = f"{item}：" + "；".join(f"{r[0]}年{money(r[1], unit)}" for r in rows) + "。"
                return ok(u, env, text, None, unit, ["年度", "金额（万元）"], [list(r) for r in rows])
            order = [("value", "min" not in u.cues)] if extreme else [("first_line", False)]
            q = Query("sangong", "amount", "sum", [Cond("year", "eq", year_of(u, env)), Cond("item", "ne", "三公经费")],
                      group=["item"], order=order)
            rows = env.run(q)
            if extreme and rows:  # 三公经费里哪项最多
                r = rows[0]
                return ok(u, env, f"{year_of(u, env)}年“三公”经费中{'最少' if 'min' in u.cues else '最多'}的是{r[0]}，"
                          f"{money(r[1], unit)}。", shown(r[1], unit), unit, ["项目", "金额（万元）"], [list(r) for r in rows])
            text = f"{year_of(u, env)}年“三公”经费构成：" + "；".join(f"{r[0]} {money(r[1], unit)}" for r in rows) + "。"
            return ok(u, env, text, None, unit, ["项目", "金额（万元）"], [list(r) for r in rows])
        svc_dim = next((d for d in dims if d in DIM_COLUMNS), None)
        if "services" in measures or svc_dim:
            col = DIM_COLUMNS[svc_dim] if svc_dim else "project_name" if extreme and "project" in u.cues else "level2"
            conds = [Cond(c, "eq", name) for sp in u.of("service_cat") for c, name in sp.targets[:1]]
            return self.grouped(u, env, Query("purchased_services", "amount", "sum", conds, group=[col], order=[("value", True)]),
                                "政府购买服务", unit)
        if "procurement" in measures or "category" in dims:
            return self.grouped(u, env, Query("procurement", "amount", "sum", group=["category"], order=[("value", True)]),
                                "政府采购", unit)
        if "payment" in dims:
            return self.grouped(u, env, Query("projects", "amount", "sum", [Cond("payment", "notnull")], group=["payment"],
                                              order=[("value", True)]), "项目按款项", unit)
        if "owner" in dims and "project" in u.cues:
            return self.grouped(u, env, Query("projects", "amount", "sum", [Cond("owner", "notnull")], group=["owner"],
                                              order=[("value", True)]), "项目按负责人", unit)
        subj_dim = next((d for d in dims if d in CODE_COLUMN), None)
        projects, words, _ = projects_named(u, env.vocab)
        if projects and (subj_dim or "subject" in u.cues):
            col = CODE_COLUMN.get(subj_dim or "func")
            name_col = col.replace("_code", "_name")
            q = Query("projects", "amount", "sum", [Cond("name", "in", [p.name for p in projects])], group=[col, name_col],
                      order=[("value", True)])
            rows = env.run(q)
            total = sum((r[2] for r in rows), Decimal(0))
            text = f"{'、'.join(p.name for p in projects[:5])}按{SCHEME[subj_dim or 'func']}：" + "；".join(
                f"{r[0]} {r[1]} {money(r[2], unit)}" for r in rows) + "。"
            return ok(u, env, text, shown(total, unit), unit, ["编码", "名称", "金额（万元）"], [list(r) for r in rows])
        if subj_dim is None:
            return None
        level = next((lv for lv in ("类", "款", "项") if re.search(lv + r"(?:级|一级|级次)?", u.qn.split("分类")[-1])), None)
        n = LEVEL_LEN[subj_dim].get(level or ("项" if subj_dim == "func" else "款"), 5)
        m = next((x for x in narrowest(measures) if x in MONEY_MEASURES), None)
        conds = []
        for sp in u.of("subject"):
            s = sp.targets[0]
            col = SCHEME_COLUMN[s.scheme]
            conds.append(Cond(col, "prefix", s.code))
        if m in ("personnel", "public"):
            table = "fiscal_expenditure" if subj_dim == "func" else "basic_expenditure"
            measure = m
        else:
            table, measure = "expenditure", {"basic": "basic", "project": "project"}.get(m or "", "total")
        column = CODE_COLUMN[subj_dim]
        having, which = amount_filter(u)
        smallest = bool(u.cues & {"min", "asc"})
        q = Query(table, measure, "sum", conds + [Cond(measure, "notnull")], group=[f"{column}:{n}"], having=having,
                  order=[("value", not smallest)])
        rows = env.run(q)
        names = {s.code: s.name for s in env.vocab.subjects if s.scheme == SCHEME[subj_dim]}
        rows = [(r[0], names.get(r[0], ""), r[1]) for r in rows if r[1]]
        label = f"{which}{MEASURE_LABELS_ZH.get(measure, '支出')}"
        columns = ["编码", "名称", "金额（万元）"]
        top = u.top_n or (1 if u.cues & {"max", "min"} and not u.cues & {"rank", "asc"} else None)
        if top and rows:  # 最大的三项 / 哪个项级科目最少
            rows = rows[:top]
            text = f"{label}按{SCHEME[subj_dim]}（{n}位编码）{'最少' if smallest else '最多'}的{len(rows)}项：" + "；".join(
                f"{r[0]} {r[1]} {money(r[2], unit)}" for r in rows) + "。"
            return ok(u, env, text, shown(rows[0][2], unit) if len(rows) == 1 else None, unit, columns, [list(r) for r in rows])
        total = sum((r[2] for r in rows), Decimal(0))
        text = f"{label}按{SCHEME[subj_dim]}（{n}位编码）：" + "；".join(f"{r[0]} {r[1]} {money(r[2], unit)}" for r in rows[:15]) + \
            ("……" if len(rows) > 15 else "") + f"；合计{money(total, unit)}。"
        return ok(u, env, text, shown(total, unit), unit, columns, [list(r) for r in rows])

    def grouped(self, u, env, q, label, unit):
        if "min" in u.cues:
            q.order = [("value", False)]
        rows = [r for r in env.run(q) if r[1] is not None]
        if u.cues & {"max", "min"} and rows and not u.top_n:  # 政府购买服务中金额最大的项目
            r = rows[0]
            ties = [x for x in rows if x[1] == r[1]]
            text = f"{label}中{'最少' if 'min' in u.cues else '最多'}的是{'、'.join(str(x[0]) for x in ties)}，{money(r[1], unit)}。"
            return ok(u, env, text, shown(r[1], unit), unit, ["分类", "金额（万元）"], [list(x) for x in ties])
        total = sum((r[1] for r in rows), Decimal(0))
        text = f"{label}：" + "；".join(f"{r[0]} {money(r[1], unit)}" for r in rows[:15]) + ("……" if len(rows) > 15 else "") + \
            f"；合计{money(total, unit)}。"
        return ok(u, env, text, shown(total, unit), unit, ["分类", "金额（万元）"], [list(r) for r in rows])


MEASURE_LABELS_ZH = {"total": "支出", "basic": "基本支出", "project": "项目支出", "personnel": "人员经费", "public": "公用经费"}

TEMPLATES.append(Breakdown())
TEMPLATES.sort(key=lambda t: -t.weight)


class AcrossDocuments(Template):
    """One figure compared across every loaded department (each in its own budget year).

    各部门三公经费排名 · 哪个部门的项目支出最多 · 各部门总支出分别是多少
    """

    weight = 89
    family = "across_documents"

    def match(self, u, env):
        from budgetqa.engine import ACROSS

        if not ACROSS.search(u.qn):
            return None
        q, clar = quantity(u, env)
        if clar:
            return clar
        if q is None or q.query is None:
            return None
        query = q.query
        query.all_docs = True
        year_col = query.table == "sangong"
        if year_col:  # each department's own budget year
            query.where = [c for c in query.where if c.column != "year"]
        query.group = ["doc_id", "year"] if year_col else ["doc_id"]
        query.order = [("value", "min" not in u.cues)]
        rows = env.run(query)
        if year_col:
            rows = [(r[0], r[2]) for r in rows if env.documents.get(r[0], ("", None))[1] == r[1]]
        rows = [(r[0], r[1]) for r in rows if r[0] in env.documents]
        unit = money_unit(u)
        label = re.sub(r"^\d{4}年", "", q.label)
        table = [[env.documents[d][0], env.documents[d][1], v] for d, v in rows]
        if u.top_n:
            table = table[:u.top_n]
        text = f"各部门{label}（{len(table)}个部门，由多到少）：" + "；".join(
            f"{r[0]}（{r[1]}年）{money(r[2], unit)}" for r in table[:10]) + ("……" if len(table) > 10 else "") + "。"
        top = table[0][2] if table else None
        return ok(u, env, text, shown(top, unit) if ("max" in u.cues or "min" in u.cues) else None, unit,
                  ["部门", "年度", "金额（万元）"], table)


TEMPLATES.append(AcrossDocuments())
TEMPLATES.sort(key=lambda t: -t.weight)
