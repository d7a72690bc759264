"""What the question families share: naming projects and subjects, the quantity a question names, answers."""

from __future__ import annotations

import re
from decimal import Decimal

from budgetqa.answer import Answer
from budgetqa.core.patterns import lazy
from budgetqa.families.base import (
    MEASURE_LABELS,
    Env,
    Quantity,
    measure_quantity,
    project_set_query,
    sangong_quantity,
    single_or_siblings,
    subject_quantity,
    unique,
)
from budgetqa.nlu.lexicon import load_lexicon
from budgetqa.nlu.linker import Understanding
from budgetqa.nlu.vocab import Project, Subject
from budgetqa.render import money
from budgetqa.sqlbuild import Cond, Query
from budgetqa.store.schema import CATALOGUE

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
    with_money = [s for s in subs if values[s]]
    if len(distinct) > 1 and len(with_money) == 1:
        return with_money[0], None  # 住房公积金: 2210201 1000万元, its 经济分类 line 0: the one that carries money
    if len(distinct) == 1:
        # the same figure whichever scheme: prefer the 部门经济分类/项 (finest) reading
        order = {"部门经济分类": 0, "功能分类": 1, "政府经济分类": 2}
        return sorted(subs, key=lambda s: (order[s.scheme], -len(s.code)))[0], None
    parent = {s: under_what(s, env) if sum(t.name == s.name and t.scheme == s.scheme for t in subs) > 1 else "" for s in subs}
    cands = [f"{s.scheme}{s.code} {s.name}{parent[s]}（{money(values[s])}）" for s in subs]
    term = u.of("subject")[0].text if u.of("subject") else subs[0].name
    return None, Answer(u.question, "clarify", f"“{term}”可以指几个科目，数额不同，您问的是哪一个？" +
                        "；".join(cands), candidates=[f"{s.scheme}{s.code}{s.name}{parent[s]}" for s in subs],
                        links=u.links())


def under_what(s: Subject, env: Env) -> str:
    """（宣传事务）for 2013302 一般行政管理事务: the name of the level above, which tells apart subjects of one name."""
    up = next((t for t in env.vocab.subjects if t.scheme == s.scheme and t.code == s.code[:-2]), None)
    return f"（{up.name}）" if up is not None and len(s.code) > 3 else ""



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



JOINED = lazy(r"和|与|及|加|跟|同|、|以及|还有|或")



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



def nested_subjects(u: Understanding) -> Subject | tuple[str, str] | None:
    """Two subjects of one classification named without 和/与 (A里B): the part when one lies inside the other
    (工资福利支出里基本工资 -> 基本工资), or the two names when they are side by side (邮电费里工会经费: no such part)."""
    spans = sorted(u.of("subject"), key=lambda s: s.start)
    names = unique([sp.targets[0].name for sp in spans])
    if len(names) != 2:
        return None
    a = next(sp for sp in spans if sp.targets[0].name == names[0])
    b = next(sp for sp in spans if sp.targets[0].name == names[1])
    together = not {id(a), id(b)} & {id(s) for s in u.inherited}
    if together and (a.end > b.start or JOINED.search(u.qk[a.end:b.start])):
        return None
    for x in a.targets:
        for y in b.targets:
            if x.scheme == y.scheme and x.code != y.code and (y.code.startswith(x.code) or x.code.startswith(y.code)):
                return y if len(y.code) > len(x.code) else x
    return names[0], names[1]


def project_of_same_name(u: Understanding, env: Env, s: Subject, measure: str | None) -> Answer | None:
    """印刷费多少钱, with a subject 印刷费 and a project 应急保障经费-印刷费 of different amounts: ask which. A question
    that says 科目 or a classification, or names the subject by its code, means the subject; so does 一共 / 合计 (the
    subject's total holds the project's line)."""
    if measure or u.dims or u.cues & {"subject", "sum"} or any(sp.text.isdigit() for sp in u.of("subject")) or u.previous is not None:
        return None
    named = [p for p in env.vocab.projects if s.name in re.split(r"[-—－（）()]", p.name) and p.name != s.name]
    names = unique([p.name for p in named])
    if not names or len(names) > 3:
        return None
    q = subject_quantity(s, None)
    subject_value = env.scalar(q.query)
    amounts = {n: env.scalar(Query("projects", "amount", "sum", [Cond("name", "eq", n)])) for n in names}
    if all(v == subject_value for v in amounts.values()):
        return None
    cands = [f"{s.scheme}{s.code}{s.name}"] + names
    return Answer(u.question, "clarify", f"“{s.name}”既是科目，也是项目名称的一部分，数额不同，您问的是哪一个？"
                  f"{s.scheme}{s.code} {s.name}（科目合计{money(subject_value)}）；" +
                  "；".join(f"项目“{n}”（{money(v)}）" for n, v in amounts.items()), candidates=cands, links=u.links())


def cell_choice(u: Understanding, env: Env, f: Subject, e: Subject, measure: str | None) -> Answer | None:
    """应急管理（2240109）科目里委托业务费: an 经济分类 name that both classifications use (部门30227 / 政府50205),
    with different figures in that cell and no classification said: ask which, as for the name alone."""
    if any(sp.text.isdigit() and e in sp.targets for sp in u.of("subject")) or {d for d in u.dims} & {"dept_econ", "gov_econ"}:
        return None
    same = unique([t for sp in u.of("subject") for t in sp.targets
                   if t.name == e.name and t.scheme not in ("功能分类", e.scheme)])
    if not same:
        return None
    choices = [e] + same
    values = {x: env.scalar(cell_quantity(f, x, measure).query) for x in choices}
    if len(set(values.values())) == 1:
        return None
    cands = [f"{x.scheme}{x.code} {x.name}（{money(values[x])}）" for x in choices]
    return Answer(u.question, "clarify", f"“{f.name}”中的“{e.name}”可以按两种经济分类算，数额不同，您问的是哪一个？" +
                  "；".join(cands), candidates=[f"{x.scheme}{x.code}{x.name}" for x in choices], links=u.links())


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



def sangong_holds(whole: str, part: str) -> bool:
    """三公经费 holds every item; 公务用车购置及运行维护费 holds its 购置费 and 运行维护费.

    >>> sangong_holds("三公经费", "公务接待费"), sangong_holds("公务用车购置及运行维护费", "公务用车购置费")
    (True, True)
    >>> sangong_holds("公务接待费", "因公出国（境）费用")
    False
    """
    return whole == "三公经费" or whole == "公务用车购置及运行维护费" and part.startswith("公务用车")


def quantity(u: Understanding, env: Env) -> tuple[Quantity | None, Answer | None]:
    """The single figure a (part of a) question names, if it names one."""
    measures = u.measures
    sangong = [m for m in measures if m.startswith(SANGONG_PREFIX)]
    other = narrowest([m for m in measures if not m.startswith(SANGONG_PREFIX)])
    if u.cues & {"breakdown", "sum"} and re.search(r"和|与|及|、|加", u.qn) and not u.of("subject"):
        other = unique([m for m in measures if not m.startswith(SANGONG_PREFIX)])  # 基本支出和人员经费分别多少: each, not one within the other
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
    if money_measure is None and "fiscal_total" in other and u.of("subject"):
        money_measure = "fiscal_total"  # 社会福利事业单位的一般公共预算支出: the subject's line of the 财政拨款 table
    projects, words, as_set = projects_named(u, env.vocab)
    if "services" in other:
        conds = [Cond(col, "eq", name) for sp in u.of("service_cat") for col, name in sp.targets[:1]]
        conds += [Cond("field", "eq", s.name) for sp in u.of("subject") for s in sp.targets[:1]
                  if env.vocab.service_cats.get(s.name) == "field"]
        conds = unique(conds)
        label = "政府购买服务" + ("中" + "、".join(c.value for c in conds) if conds else "")
        if projects and (not as_set or single_or_siblings(projects)):  # 办公场所运行保障经费在政府购买服务里安排了多少
            names = unique([p.name for p in projects])
            conds.append(Cond("project_name", "in", names))
            label = f"{'、'.join(names)}在政府购买服务中"
        elif projects or u.payments:  # 信息化服务里的首款项目 / 培训相关的: the rows of those projects
            pool = projects or env.vocab.projects
            names = unique([p.name for p in pool if not u.payments or any(w in p.name for w in u.payments)])
            conds.append(Cond("project", "in", names))
            label += "中" + (f"“{words}”相关" if projects else "") + "、".join(unique(u.payments)) + "项目"
        ev = Query("purchased_services", agg="rows", where=conds, select=["project_name", "level2", "level3", "amount"])
        return Quantity(label, Query("purchased_services", "amount", "sum", conds), ev), None
    named_subjects = unique([sp.targets[0].name for sp in u.of("subject")])
    cell = crossed_subjects(u) if len(named_subjects) > 1 and not u.of("project") and not sangong else None
    if cell is not None and money_measure in (None, "basic", "project"):
        asked_back = cell_choice(u, env, *cell, money_measure)
        if asked_back is not None:
            return None, asked_back
        return cell_quantity(*cell, money_measure), None
    inner = nested_subjects(u) if cell is None and len(named_subjects) > 1 and not u.of("project") and not sangong else None
    if isinstance(inner, Subject):  # 工资福利支出里基本工资: the part named inside its whole
        return subject_quantity(inner, money_measure), None
    if isinstance(inner, tuple):
        a, b = inner
        return None, Answer(u.question, "unsupported", f"“{a}”和“{b}”是并列的两个科目，“{a}”里不含“{b}”。"
                            f"可以分别问，或问合计：{a}和{b}一共多少。", links=u.links())
    if len(named_subjects) > 1 and not u.of("project") and not sangong:
        return several_subjects(u, env, named_subjects, money_measure)
    if u.of("subject") and not u.of("project") and not (sangong and not u.cues & {"subject"}):
        s, clarify = pick_subject(u, env, money_measure)
        if clarify:
            return None, clarify
        if s is not None:
            also = project_of_same_name(u, env, s, money_measure)
            if also is not None:
                return None, also
            return subject_quantity(s, money_measure), None
    if sangong:
        items = unique([m.split(":", 1)[1] if ":" in m else "三公经费" for m in sangong])
        if len(items) > 1 and not any(sangong_holds(a, b) for a in items for b in items if a != b):
            # 公务接待费和因公出国费用多少: both, and their sum (two items of 三公, neither within the other), never one
            parts = [sangong_quantity(i, year_of(u, env)) for i in items]
            return Quantity("与".join(p.label for p in parts), None, parts=parts, each="breakdown" in u.cues), None
        item = items[-1]  # (三公经费里的公务接待费: the part named inside its whole)
        return sangong_quantity(item, year_of(u, env)), None
    if "services" in other or (u.of("service_cat") and not projects):
        conds = [Cond(col, "eq", name) for sp in u.of("service_cat") for col, name in sp.targets[:1]]
        label = "政府购买服务" + ("中" + "、".join(c.value for c in conds) if conds else "")
        ev = Query("purchased_services", agg="rows", where=conds,
                   select=["project_name", "level2", "level3", "amount"])
        return Quantity(label, Query("purchased_services", "amount", "sum", conds), ev), None
    if u.of("narrative_item") and "procurement" in other and env.scalar(Query("procurement", "amount", "sum")) is None:
        other = [m for m in other if m != "procurement"]  # 上海9表: 政府采购 only as the text states it
    if "procurement" in other:
        cats = unique([t for sp in u.of("proc_cat") for t in sp.targets[:1]])
        if len(cats) > 1:  # 货物和服务一共多少: each category's line, then their sum (never one line that is both)
            return Quantity("政府采购中" + "与".join(cats), None, parts=[
                Quantity(f"政府采购中{c}", Query("procurement", "amount", "sum", [Cond("category", "eq", c)])) for c in cats]), None
        conds = [Cond("category", "eq", c) for c in cats]
        label = "政府采购" + ("中" + conds[0].value if conds else "预算")
        if not conds:  # the whole: 预算05表, else the figure the text states (采购总额 in a Shanghai budget)
            whole = measure_quantity("procurement", env.vocab)
            return Quantity(label, whole.query, whole.evidence, fallback=whole.fallback), None
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
    stated_named = {t for sp in u.of("narrative_item") for t in sp.targets}
    if stated_named and (set(other) <= {"project"} or len(stated_named) > 1 and set(other) <= {"project", "procurement"}) \
            and not u.of("subject"):
        other = []  # 人民调解项目经费: a project the 项目经费情况说明 states, not the whole 项目支出
        env.used.add("measure")  # (its 项目经费 says what the stated figure is)
    summed = [q for q in (measure_quantity(m, env.vocab) for m in other) if q]
    if {"total_income", "total_expenditure"} <= set(other) and u.cues & {"sum", "breakdown"} and len(summed) == 2:
        return Quantity("与".join(q.label for q in summed), None, parts=summed, each=True), None  # 收入总计和支出总计: each
    if len(summed) > 1 and u.cues & {"sum", "max", "min", "breakdown"}:  # 人员经费加公用经费 / 各多少 (each, then their sum), 哪个多
        nested = len(narrowest(other)) < len(other)  # 基本支出和人员经费分别多少: one holds the other, so no sum
        return Quantity("与".join(q.label for q in summed), None, parts=summed, each=nested), None
    if summed:
        return summed[0], None
    return summary_quantity(u) or stated_quantity(u, env), None


def summary_quantity(u: Understanding) -> Quantity | None:
    """The line of the 收支总表 (预算01表/06表) the question names: 事业收入, 上年结转, 财政拨款收入."""
    items = [t for sp in u.of("summary_item") for t in sp.targets[:1]]
    if not items:
        return None
    table_no, side, item = items[-1]
    where = [Cond("table_no", "eq", table_no), Cond("side", "eq", side), Cond("item", "eq", item)]
    label = f"预算{table_no}表“{item}”" if table_no[:1].isdigit() else f"{table_no}“{item}”"
    return Quantity(label, Query("summary_items", "amount", "sum", where))


def stated_quantity(u: Understanding, env: Env) -> Quantity | None:
    """A figure only the text states, the last the question names: 政府采购预算, 车辆数, a project's 年度预算安排."""
    stated = [t for sp in u.of("narrative_item") for t in sp.targets[:1]]
    if not stated:
        return None
    item = stated[-1]
    unit = env.vocab.narrative_items.get(item) or "万元"
    ev = Query("narrative", agg="rows", where=[Cond("item", "eq", item)], select=["item", "sentence", "page", "value"])
    return Quantity(f"“{item}”", Query("narrative", "value", "sum", [Cond("item", "eq", item)]), ev,
                    kind="money" if unit == "万元" else unit)



def clarify(u: Understanding, projects: list[Project]) -> Answer:
    names = [p.name for p in projects][:8]
    return Answer(u.question, "clarify", f"“{u.question}”可能指{len(projects)}个项目，您问的是哪一个？" + "；".join(names),
                  candidates=names, links=u.links())



LEVEL2_HINTS = (  # words of a question -> the 二级指标 it asks about
    (re.compile(r"数量|人数|个数|人次|(?:多少|几)[个人家条次页张套台件场块名项份所处部辆批座]"), "数量指标"),
    (re.compile(r"时效|期限|时限|多久|多长时间|天|工作日|月内|年内"), "时效指标"),
    (re.compile(r"满意"), "满意度指标"),
    (re.compile(r"质量|合格|达标率|准确率|出勤"), "质量指标"),
    (re.compile(r"成本|费用|经费"), "成本指标"),
    (re.compile(r"效益|效果|影响"), "效益指标"),
)



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
    if "le" in u.cues:  # 不超过 / 以下: the amount itself included
        return [Cond("x", "le", amounts[0])], f"不超过{money(amounts[0])}的"
    if "ge" in u.cues:  # 不低于 / 以上
        return [Cond("x", "ge", amounts[0])], f"不低于{money(amounts[0])}的"
    return [], ""



CODE_COLUMN = {"func": "func_code", "dept_econ": "dept_econ_code", "gov_econ": "gov_econ_code"}



SCHEME = {"func": "功能分类", "dept_econ": "部门经济分类", "gov_econ": "政府经济分类"}
