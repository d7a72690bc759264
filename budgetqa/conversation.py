"""Conversations: what a follow-up question keeps from the ones before it.

A follow-up merges with the previous question's understanding (那水费呢), points back at the one project or
person the previous answer named (它的负责人), swaps a piece of the previous name (事业单位的呢), or adds
the last two figures (两项合计). Preamble clauses that only say who asks are left out first.
"""

from __future__ import annotations

import re
from decimal import Decimal

from budgetqa.answer import Answer, format_decimal
from budgetqa.core.patterns import lazy
from budgetqa.nlu.linker import AGG_CUES, ENTITY_KINDS, Linker, Span, Understanding
from budgetqa.nlu.vocab import base_name, payment_siblings

TOGETHER = lazy(r"(?:两项|两个|二者|两者|这两|它俩|它们|上面|以上|前面|刚才)[^，。,]*?"
                      r"(?:合计|一共|加起来|总共|之和|共计|合起来|加一块|相加)")


def money_answers(history: list[Answer]) -> list[Answer]:
    """The figures of money a conversation answered, in order."""
    return [a for a in history if a.status == "ok" and isinstance(a.value, Decimal) and a.unit in ("万元", "元")]


def together(question: str, history: list[Answer]) -> Answer | None:
    """The sum of the last two figures the conversation answered, when both are money in one unit."""
    answered = money_answers(history)
    if len(answered) < 2 or answered[-1].unit != answered[-2].unit:
        return None
    first, second = answered[-2], answered[-1]
    label = [what_it_was(a) for a in (first, second)]
    total = first.value + second.value
    def said(v: Decimal) -> str:  # the values are already in the unit they were answered in
        return f"{format_decimal(v)}{first.unit}"

    text = f"{label[0]}与{label[1]}合计{said(total)}：{label[0]} {said(first.value)}；{label[1]} {said(second.value)}。"
    sql = ";\n".join(a.sql for a in (first, second) if a.sql) or None
    return Answer(question, "ok", text, total, first.unit, ["项目", f"金额（{first.unit}）"],
                  [[label[0], first.value], [label[1], second.value]], sql, first.links + second.links)


def sums_last_two(u: Understanding, last: Understanding | None) -> bool:
    """一共多少 right after a follow-up that replaced a slot (首款多少 / 尾款呢 / 一共多少): the two figures together."""
    if last is None or last.previous is None or u.has_entity or u.cues != {"sum"}:
        return False
    kept = {id(s) for s in last.inherited}
    return any(id(s) not in kept and s.kind in (*ENTITY_KINDS, "payment", "measure") for s in last.previous.spans)


FORMER_LATTER = lazy(r"^(?:那|那么)?(前者|前一个|前一项|后者|后一个|后一项)(比|较|占|是|减去|减)(前者|前一个|前一项|后者|后一个|后一项)")


def compare_last_two(question: str, history: list[Answer]) -> Answer | None:
    """前者比后者多多少 / 后者占前者的比例: the last two figures answered, compared in the order named."""
    m = FORMER_LATTER.search(question)
    answered = money_answers(history)
    if m is None or len(answered) < 2 or answered[-1].unit != answered[-2].unit or m.group(1)[0] == m.group(3)[0]:
        return None
    a, b = (answered[-2], answered[-1]) if m.group(1).startswith("前") else (answered[-1], answered[-2])
    la, lb, unit = what_it_was(a), what_it_was(b), a.unit
    rows = [[la, a.value], [lb, b.value]]
    sql = ";\n".join(x.sql for x in (a, b) if x.sql) or None
    if m.group(2) in ("占", "是"):
        if not b.value:
            return None
        r = a.value / b.value
        text = f"{la}{format_decimal(a.value)}{unit}，占{lb}{format_decimal(b.value)}{unit}的{format_decimal((r * 100).quantize(Decimal('0.01')))}%。"
        return Answer(question, "ok", text, (r * 100).quantize(Decimal("0.0001")), "%", ["项目", f"金额（{unit}）"], rows, sql,
                      a.links + b.links)
    d = a.value - b.value
    text = f"{la}{format_decimal(a.value)}{unit}，比{lb}{format_decimal(b.value)}{unit}{'多' if d >= 0 else '少'}{format_decimal(abs(d))}{unit}。"
    return Answer(question, "ok", text, d, unit, ["项目", f"金额（{unit}）"], rows, sql, a.links + b.links)


def last_two_turns(history: list[Answer]) -> tuple[Answer, Answer] | None:
    """The last two turns, when both answered a money figure in one unit: what 增加了多少 / 哪个多 / 两家差多少 /
    部门比本级多出多少 compare."""
    if len(history) < 2:
        return None
    a, b = history[-2], history[-1]
    answered = money_answers(history)
    if a not in answered or b not in answered or a.unit != b.unit:
        return None
    return a, b


def of_two(question: str, text: str, value, pair: tuple[Answer, Answer], rows: list, understood: str,
           first_column: str = "项目") -> Answer:
    """An answer made of two earlier figures: their rows, both statements, both answers' links."""
    x, y = pair
    return Answer(question, "ok", text, value, x.unit, [first_column, f"金额（{x.unit}）"], rows,
                  ";\n".join(z.sql for z in pair if z.sql) or None, x.links + y.links, understood=understood)


# 其中 / 里头 / 这里面 / 它下面: a follow-up about a part of what was just answered
INSIDE_SAID = lazy(r"^(?:那|那么)?(?:其中|里面|里头|里边|这里面|这里头|这其中|当中|这些里面|这些当中|它里面|它下面|下面|这下面|这个里面|这中间)")
BARE_CHANGE = lazy(r"^(?:那|那么)?(?:两年|前后|这两年|一年里|这一年|两家|两者|二者|这两个数字?|这两个|两个数字?|两数|这俩|俩|两个|它们)?"
                   r"(?:口径|预算|的数)?"
                   r"(?:之间)?(?:相比|比较|对比)?(?:是)?"
                   r"(增加|减少|增长|下降|变化|变动|多|少|相差|差|涨|降|压缩|压减|缩减|削减)(?:出|了|出了)?(?:多少|几)(?:万元|万|元|亿元|亿|钱)?(?:呢)?"
                   r"(?:[?？。,，]*(?:换成|换算成|折合|折合成|用|按)(万元|元)(?:表示|计|算|来算)?)?[?？。]*$")


def change_of_last_two(question: str, history: list[Answer]) -> Answer | None:
    """基本支出2023年的 / 2024年呢 / 增加了多少: the same figure of two years, the later less the earlier (a
    negative change for 减少). Only when the last two turns answered one quantity in two different years."""
    m = BARE_CHANGE.search(question.strip())
    pair = last_two_turns(history) if m is not None else None
    if pair is None:
        return None
    a, b = pair
    years = [re.search(r"((?:19|20)\d\d)年", x.understood or x.answer) for x in (a, b)]
    if not all(years) or years[0].group(1) == years[1].group(1):
        return between_two(question, a, b, m.group(1)) or (
            two_figures(question, a, b, m.group(1)) if TWO_FIGURES_SAID.match(question.strip()) else None)
    if quantity_of(a) != quantity_of(b):
        return None  # two different quantities: no change of one
    (old, ya), (new, yb) = sorted([(a, years[0].group(1)), (b, years[1].group(1))], key=lambda t: t[1])
    d = new.value - old.value
    what = what_it_was(new)
    text = f"{what}：{yb}年{format_decimal(new.value)}{new.unit}，比{ya}年{format_decimal(old.value)}{new.unit}" + \
        (f"{'增加' if d > 0 else '减少'}{format_decimal(abs(d))}{new.unit}。" if d else "没有变化。")
    if m.group(2) and m.group(2) != new.unit and new.unit in ("万元", "元"):  # 少了多少？换成元: the change in that unit
        factor = Decimal(10000) if m.group(2) == "元" else Decimal(1) / Decimal(10000)
        d = (d * factor).normalize()
        text = text.rstrip("。") + f"，合{format_decimal(abs(d))}{m.group(2)}。"
        answer = of_two(question, text, d, (old, new), [[f"{ya}年", old.value], [f"{yb}年", new.value]],
                        f"{what} · {yb}年比{ya}年 · 差额", "年度")
        answer.unit = m.group(2)
        return answer
    return of_two(question, text, d, (old, new), [[f"{ya}年", old.value], [f"{yb}年", new.value]], f"{what} · {yb}年比{ya}年 · 差额",
                  "年度")


BARE_WHICH = lazy(r"^(?:那|那么)?(?:两者|二者|这两个|两个|它们)?(?:中|里|之中)?(?:哪个|哪一个|谁|哪家|哪边|哪一年|哪年)(?:的)?(?:更)?"
                        r"(多|少|大|小|高|低)(?:一些|些|点)?(?:呢)?(?:[,，、]?(?:差|相差|差了|多了|多出)(?:多少|几)(?:万元|元)?)?[?？。]*$")


def which_of_last_two(question: str, history: list[Answer]) -> Answer | None:
    """司法局三公经费多少 / 政府办呢 / 哪个多: the larger (or smaller) of the last two figures answered."""
    m = BARE_WHICH.search(question.strip())
    pair = last_two_turns(history) if m is not None else None
    if pair is None:
        return None
    a, b = pair
    more = m.group(1) in "多大高"
    pick = max((a, b), key=lambda x: x.value) if more else min((a, b), key=lambda x: x.value)
    other = b if pick is a else a
    la, lb = who_it_was(pick), who_it_was(other)
    if a.value == b.value:
        text = f"两者相同：{la}{format_decimal(a.value)}{a.unit}，{lb}{format_decimal(b.value)}{b.unit}。"
    else:
        text = f"{la}{'多' if more else '少'}：{la}{format_decimal(pick.value)}{pick.unit}，{lb}{format_decimal(other.value)}" \
               f"{other.unit}，相差{format_decimal(abs(a.value - b.value))}{a.unit}。"
    by = abs(a.value - b.value)
    headline = by if re.search(r"差|多出|多了|少了", question) else pick.value  # 哪个多，差多少: the difference is asked too
    return of_two(question, text, headline, pair, [[la, pick.value], [lb, other.value]], "上两问的数字比大小（承接上一问）")


def who_it_was(a: Answer) -> str:
    """What distinguishes an answer: its department and year when it names one (上海市普陀区司法局（2026年）),
    else what it was about."""
    m = re.match(r"^([^：]{4,40}（(?:19|20)\d\d年）)：", a.answer)
    return m.group(1) if m else what_it_was(a)


PAIR_DIFF = lazy(r"^(?:那|那么)?(.{1,8}?)比(.{1,8}?)(多|少)(?:出|了)?(?:多少|几)")


def named_difference(question: str, history: list[Answer]) -> Answer | None:
    """司法局的收入 / 司法局本级呢 / 部门比本级多出多少: the last two figures, told apart by the words each side
    shares with one answer's label (本级), the other side being the other answer."""
    m = PAIR_DIFF.search(question.strip())
    pair = last_two_turns(history) if m is not None else None
    if pair is None:
        return None
    a, b = pair
    labels = [who_it_was(a), who_it_was(b)]
    hits = [[w in lab for lab in labels] for w in (m.group(1), m.group(2))]
    if hits[0].count(True) == 1:
        first = hits[0].index(True)
    elif hits[1].count(True) == 1:
        first = 1 - hits[1].index(True)
    else:
        return None
    x, y = (a, b) if first == 0 else (b, a)
    d = x.value - y.value
    lx, ly = who_it_was(x), who_it_was(y)
    text = f"{lx}{format_decimal(x.value)}{x.unit}，比{ly}{format_decimal(y.value)}{y.unit}" + \
        (f"{'多' if d > 0 else '少'}{format_decimal(abs(d))}{x.unit}。" if d else "相同。")
    return of_two(question, text, d, (x, y), [[lx, x.value], [ly, y.value]], "上两问的数字相比（承接上一问）")


def between_two(question: str, a: Answer, b: Answer, word: str) -> Answer | None:
    """政府办的公务接待费 / 换成区财政局呢 / 两家差多少: one quantity of two departments (or two lines), the first less
    the second; 相差 / 差 is a magnitude."""
    la, lb = who_it_was(a), who_it_was(b)
    if la == lb or quantity_of_without_who(a) != quantity_of_without_who(b):
        return None
    d = a.value - b.value
    value = abs(d) if word in ("相差", "差") else d
    text = f"{la}{format_decimal(a.value)}{a.unit}，{lb}{format_decimal(b.value)}{b.unit}，" + \
        (f"相差{format_decimal(abs(d))}{a.unit}。" if d else "两者相同。")
    return of_two(question, text, value, (a, b), [[la, a.value], [lb, b.value]], "上两问的数字相比（承接上一问）")


# 里面最大的是哪个 / 其中最少的一项 after a breakdown: one of its parts, not the breakdown again
EXTREME_OF_LAST = lazy(r"^(?:那|那么)?(?:其中|里面|里头|这里面|这些里面|这其中|当中|它们中|这中间)?(?:的)?(?:金额|钱)?"
                       r"(最大|最多|最高|最少|最小|最低)(?:的)?(?:是|一项|一个|一块|那项|那个|那块)?(?:哪个|哪一个|哪项|哪一项|哪块|哪一块|什么|啥)?"
                       r"(?:科目|项|类)?(?:呢|啊)?[?？。]*$")


def extreme_of_last(question: str, history: list[Answer]) -> Answer | None:
    """分科目看看 / 里面最大的是哪个: the largest (or smallest) part of the breakdown just answered, with its amount."""
    m = EXTREME_OF_LAST.match(question.strip())
    last = history[-1] if history else None
    if m is None or last is None or last.status != "ok" or last.family != "breakdown" or not last.rows:
        return None
    col = next((i for i in range(len(last.columns) - 1, -1, -1) if "金额" in last.columns[i]), None)
    rows = [r for r in last.rows if col is not None and isinstance(r[col], Decimal) and not str(r[0]).startswith("其中")]
    if rows and last.columns and last.columns[0] == "编码":  # 类 rows then 其中 款 rows: the parts at the level split first
        rows = [r for r in rows if len(str(r[0])) == len(str(rows[0][0]))]
    if not rows:
        return None
    more = m.group(1) in ("最大", "最多", "最高")
    best = (max if more else min)(r[col] for r in rows)
    top = [r for r in rows if r[col] == best]
    names = "、".join(" ".join(str(c) for c in r[:col] if c) for r in top)
    text = f"上一问的各部分中{m.group(1)}的是{names}，{format_decimal(best)}{last.unit}" + \
        ("（并列）" if len(top) > 1 else "") + "。"
    return Answer(question, "ok", text, best, last.unit, last.columns, [list(r) for r in top], last.sql, last.links,
                  understood=f"上一问的拆分 · {m.group(1)}的一项（承接上一问）")


TWO_FIGURES_SAID = lazy(r"^(?:那|那么)?(?:这两个数字?|两个数字?|两数|两者|二者|这俩|俩|两个金额|这两个金额)")


def two_figures(question: str, a: Answer, b: Answer, word: str) -> Answer:
    """X多少 / Y又是多少 / 两个数差了多少: the two figures just answered, whatever they are (the user said so), the
    first less the second; 相差 / 差 is a magnitude."""
    d = a.value - b.value
    value = abs(d) if word in ("相差", "差") else d
    wa, wb = (" · ".join(p for p in (x.understood or x.question).split(" · ") if p not in ("金额", "合计")) for x in (a, b))
    text = f"前一个数（{wa}）{format_decimal(a.value)}{a.unit}，后一个数（{wb}）{format_decimal(b.value)}{b.unit}，" + \
        (f"相差{format_decimal(abs(d))}{a.unit}。" if d else "两者相同。")
    return of_two(question, text, value, (a, b), [[wa, a.value], [wb, b.value]], "上两问的数字相减（承接上一问）")


def quantity_of_without_who(a: Answer) -> set[str]:
    """quantity_of without the department's label (上海市普陀区财政局（2025年） · …)."""
    return {p for p in quantity_of(a) if not re.search(r"[局院室处办委会]$|本级$", p)}


def quantity_of(a: Answer) -> set[str]:
    """What an answer's restatement says was asked, without its years (a follow-up's inherited part counts as said):
    两年 of one quantity restate the same."""
    text = re.sub(r"(?:19|20)\d\d年", "", a.understood or a.question)
    return {p.strip() for p in re.split(r" · |（承接上一问：|）|（|、", text) if p.strip()}


def what_it_was(a: Answer) -> str:
    """A short name for an answered figure: its one row's name, else the first linked term, else the question."""
    if len(a.rows) == 1 and a.rows[0] and isinstance(a.rows[0][0], str) and not (a.columns and "编码" in a.columns[0] and a.links):
        return a.rows[0][0]  # (a row led by its code is evidence of the figure: the term linked names it)
    return a.links[0].term if a.links else a.question


def in_unit(question: str, unit: str | None, history: list[Answer]) -> Answer | None:
    """换算成元 / 用万元表示 on its own: the previous figure in that unit."""
    last = history[-1] if history else None
    if unit not in ("元", "万元") or last is None or last.status != "ok" or not isinstance(last.value, Decimal) \
            or last.unit not in ("元", "万元") or last.unit == unit:
        return None
    v = last.value * 10000 if unit == "元" else last.value / 10000
    text = f"上一个答案的{format_decimal(last.value)}{last.unit}合{format_decimal(v)}{unit}（{what_it_was(last)}）。"
    return Answer(question, "ok", text, v, unit, last.columns, last.rows, last.sql, last.links)


PERSON_PRONOUN = lazy(r"这个人|这人(?!员)|那人(?!员)|那个人|此人|这位|那位|该负责人|这名负责人|他|她")
THING_PRONOUN = lazy(r"它|该项目|这个项目|此项目|这一项目|这项")


OTHER = lazy(r"其他|其它|别的|另外|其余|还负责|还管")
ONE_PERSON = lazy(r"这个人|这人(?!员)|那人(?!员)|那个人|此人|这位|那位|该负责人|这名负责人|(?<!其)他(?!们)|她(?!们)")
SEVERAL_PEOPLE = lazy(r"他们|她们|它们|两人|两位(?!小数)|二人|俩|各自|各管|各负责|分别|都")


ONE_THING = lazy(r"它(?!们)")


def items_to_choose(previous: Answer, q: str) -> tuple[str, list[str]] | None:
    """它占采购总额的比例 after 工程和服务分别是多少: the pronoun and the parts of the split it may mean (asked back,
    never the parts added up or the first of them)."""
    said = ONE_THING.search(q)
    if previous.status != "ok" or said is None or SEVERAL_PEOPLE.search(q) or "分项" not in (previous.understood or ""):
        return None
    labels = list(dict.fromkeys(str(r[0]) for r in previous.rows if r and r[0]))
    return (said.group(0), labels[:8]) if 2 <= len(labels) else None


def people_to_choose(previous: Answer, linker: Linker, q: str) -> tuple[str, list[str]] | None:
    """他电话多少 after an answer that named two people: the pronoun and the people it may mean (asked back, never
    the two together or the first of them)."""
    said = ONE_PERSON.search(q)
    if previous.status != "ok" or said is None or SEVERAL_PEOPLE.search(q):
        return None
    people: list[str] = []
    if "负责人" in previous.columns:
        i = previous.columns.index("负责人")
        people = list(dict.fromkeys(str(r[i]) for r in previous.rows if i < len(r) and r[i]))
    if len(people) < 2:
        people = [p for p in linker.vocab.people if p and p in previous.answer]
    people = [p for p in people if p in linker.vocab.people]
    return (said.group(0), people) if len(people) > 1 else None


def referent(previous: Answer, linker: Linker, q: str) -> list[Span]:
    """The one project or person the previous answer named, when the question points back at it with a pronoun;
    with 其他/还负责, the project the previous answer was about is left out (他负责的其他项目)."""
    if previous.status != "ok":
        return []
    column, kind = ("负责人", "person") if PERSON_PRONOUN.search(q) else ("项目名称", "project")
    if kind == "project" and not THING_PRONOUN.search(q):
        return []
    values = set()
    if column in previous.columns:
        i = previous.columns.index(column)
        values = {str(r[i]) for r in previous.rows if i < len(r) and r[i]}
    if len(values) != 1 and kind == "person":  # 负责项目金额最多的是余慧云: the one person the sentence names
        values = {p for p in linker.vocab.people if p in previous.answer}
    if len(values) != 1:
        return []
    name = values.pop()
    if kind == "person":
        if name not in linker.vocab.people:
            return []
        spans = [Span(0, 0, name, "person", [name])]
        if OTHER.search(q) and "项目名称" in previous.columns:
            i = previous.columns.index("项目名称")
            done = {str(r[i]) for r in previous.rows if i < len(r) and r[i]}
            spans += [Span(0, 0, n, "exclude", [n]) for n in sorted(done)]
        return spans
    project = next((p for p in linker.vocab.projects if p.name == name), None)
    return [Span(0, 0, name, "project", [project])] if project else []


PREAMBLE = lazy(r"^(?:你好|您好|大家好|老师好|我是|我在|我正在|我们是|我们在|本人是|打扰|麻烦您?|谢谢)")


def without_preamble(q: str, linker: Linker | None = None) -> str:
    """我是区人大代表，……，X多少: clauses that only say who asks or why are left out (the question follows).
    A clause that names a person, project or subject of the budget stays (我是丛林，我负责哪些项目).

    >>> without_preamble("你好，我在写一份调研报告，想问一下培训费多少")
    '想问一下培训费多少'
    >>> without_preamble("我是谁")
    '我是谁'
    """
    clauses = re.split(r"(?<=[，,。；;！!])", q)
    while len(clauses) > 1 and PREAMBLE.match(clauses[0].strip()) and not names_something(clauses[0], linker):
        clauses = clauses[1:]
    return "".join(clauses)


def names_something(clause: str, linker: Linker | None) -> bool:
    if linker is None:
        return False
    return any(s.kind in ("person", "project", "subject") and s.score >= 100 for s in linker.understand(clause).spans)


def swap_in(linker: Linker, prev: Understanding, new: Understanding) -> Understanding | None:
    """行政单位医疗多少 → 事业单位的呢: a word the follow-up leaves unexplained, put in place of a piece of the
    previous question's name, gives another name of the same kind (事业单位医疗). Only a single such name counts."""
    if not new.unknown:
        return None
    hits: set[str] = set()
    for w in (w for w in new.unknown if len(w) >= 2):
        for s in prev.spans:
            if s.kind not in ("subject", "project"):
                continue
            t = s.text
            for i in range(len(t) - len(w) + 1):
                cand = t[:i] + w + t[i + len(w):]
                if cand != t and any(kind == s.kind for kind, _ in linker.entries.get(cand, [])):
                    hits.add(cand)
    if len(hits) != 1:
        return None
    swapped = linker.understand(hits.pop() + "呢")
    swapped.question = new.question
    return swapped


ASKS = lazy(r"多少|几|哪|谁|什么|吗|是否|怎么|如何|钱")  # a reply that asks something is a question of its own


def slot_reply(u: Understanding) -> bool:
    """刘宁的 / 档案数字化服务的 / 尾款那笔: a short reply that names something and asks nothing of its own, so it
    fills the gap of a question that could not be answered without it (负责人的电话是多少)."""
    if len(u.qk) > 24 or u.unknown or u.measures or u.cues - {"keyword"} or ASKS.search(u.qn):
        return False
    return any(s.kind in (*ENTITY_KINDS, "payment", "person_guess") for s in u.spans)


SCOPE_MEASURES = ("basic", "project", "personnel", "public")  # narrow whatever they stand beside
ATTRIBUTE_CUES = ("owner", "phone", "who", "code", "indicators")  # carried to a bare follow-up (X呢)
COMPARED_YEAR = lazy(r"上年|去年|同比|比上|较上|增长|下降|增减")  # a follow-up that still asks a change over the year
MONEY_ASKED = lazy(r"预算|多少钱|金额|经费|资金|拨款|花了|花多少|安排了?多少")  # a follow-up that asks money
NOT_MONEY_CUES = ({"indicators", "goal"}, {"count", "howmany"})  # what a question of money no longer asks
ONE_TURN_CUES = ("howmany", "share", "diff")  # asked of one turn only


CATEGORY_OF = {"procurement": "proc_cat", "services": "service_cat"}  # a measure's table and its categories


def scheme_family(subject) -> str:
    """功能分类 or 经济分类 (政府 and 部门 classify the same spending by its economic nature)."""
    return "功能" if getattr(subject, "scheme", "") == "功能分类" else "经济"


def is_scope(measure: str) -> bool:
    return measure in SCOPE_MEASURES or measure.startswith("fiscal:")


def with_payment(span: Span, payments: list[str], linker: Linker | None) -> Span:
    """800兆电台维护费首款 asked, then 尾款呢: the same project's 尾款 line (a new span; the old one is kept as it was)."""
    if linker is None or span.kind != "project":
        return span
    siblings = payment_siblings(span.targets, payments, linker.vocab)
    if not siblings or {p.name for p in siblings} == {t.name for t in span.targets}:
        return span
    return Span(span.start, span.end, span.text, span.kind, siblings, span.score)


DIM_SCHEME = {"func": "功能分类", "dept_econ": "部门经济分类", "gov_econ": "政府经济分类"}


def with_scheme(span: Span, dims: list[str], linker: Linker | None) -> Span:
    """A subject asked again in another classification (换成政府经济分类呢): the subject of the same name there."""
    schemes = {DIM_SCHEME[d] for d in dims if d in DIM_SCHEME}
    if linker is None or len(schemes) != 1:
        return span
    scheme = schemes.pop()
    if all(t.scheme == scheme for t in span.targets):
        return span
    names = {re.sub(r"[（(][^）)]*[）)]", "", t.name) for t in span.targets}
    same = [x for x in linker.vocab.subjects if x.scheme == scheme and re.sub(r"[（(][^）)]*[）)]", "", x.name) in names]
    if not same:
        return span
    return Span(span.start, span.end, span.text, span.kind, same, span.score)


def with_year(span: Span, years: list[int], linker: Linker | None) -> Span:
    """2023年城市电视发布预警信息 asked, then 2024年的呢: the project of the same name for that year (names that begin
    with their year), its payment line as the other's when there are several."""
    if linker is None or len(years) != 1 or len({base_name(t.name) for t in span.targets}) != 1:
        return span  # one project (in one or more payment lines)
    m = [re.match(r"^((?:19|20)\d\d)年(.+)$", t.name) for t in span.targets]
    if not all(m) or any(x.group(1) == str(years[0]) for x in m):
        return span
    stems = {base_name(x.group(2)) for x in m}
    dated = [p for p in linker.vocab.projects if p.name.startswith(f"{years[0]}年") and base_name(p.name[5:]) in stems]
    if not dated:
        return span
    return Span(span.start, span.end, span.text, "project", dated, span.score)  # one project, named for sure


SET_ASKED = {"project", "list", "keyword", "rank", "max", "min", "avg"}  # cues of a question about a set of projects


def part_of_own_name(prev: Understanding, new: Understanding) -> bool:
    """绩效目标里运维几块屏 after 显示大屏运维服务项目（80%首款）: a piece of the project's own name (运维) that other
    names share too is that project still (its words are left to say what is asked of it), when the follow-up asks
    an indicator or points back (这个项目), names no project or person of its own and asks no set."""
    own = [s for s in prev.spans if s.kind == "project"]
    parts = new.of("project_part")
    return bool(own and parts) and not new.of("project") and not new.of("project_fuzzy") and not new.of("person") \
        and not new.cues & SET_ASKED and bool(new.cues & {"indicators", "goal"} or THING_PRONOUN.search(new.qn)) and \
        all(any(t in sp.targets for p in own for t in p.targets) for sp in parts)


def merge(prev: Understanding, new: Understanding, linker: Linker | None = None) -> Understanding:
    """A follow-up keeps the previous question's frame and changes what the new words change.

    The rules, by kind of slot (prev → follow-up → kept):
    - an entity of the follow-up replaces the previous one of its family (水费呢 after 电费多少; a person
      replaces a project and the reverse; a subject or project replaces a subject);
    - a topic measure (三公经费, 政府采购, 总支出 …) gives way to any named entity or measure (那会议费呢 after
      三公经费是多少); a scope measure (基本/项目支出, 人员/公用经费) gives way only to another measure;
    - a payment replaces the previous payment (尾款呢 after 首款多少);
    - the previous question's attribute (负责人, 电话 …) carries over to a bare follow-up (平康悦呢 after
      冯春鹏的联系电话), not to one that asks its own;
    - the earlier understanding is never changed: the merged one is new, and lists what it inherited.
    """
    new_kinds = {s.kind for s in new.spans}
    year_in_name = False
    entity_new = bool(new_kinds & set(ENTITY_KINDS)) or bool(new.measures)
    new_cues = {t for c in new.of("cue") for t in c.targets}
    keep: list[Span] = []
    narrows = INSIDE_SAID.match(new.qn) is not None or new.narrowing
    new_schemes = {scheme_family(t) for sp in new.of("subject") for t in sp.targets}
    same_project = new.keeps_project or part_of_own_name(prev, new)
    new_spans = [s for s in new.spans if not (same_project and s.kind == "project_part")]
    if same_project:
        new_kinds = {s.kind for s in new_spans}
        entity_new = bool(new_kinds & set(ENTITY_KINDS)) or bool(new.measures)
    for s in prev.spans:
        if s.kind == "service_cat" and narrows and any(t[0] != s.targets[0][0] for sp in new.of("service_cat") for t in sp.targets):
            keep.append(s)  # 这里面服务领域是科学技术支出的 after 信息化服务: both (a 目录 and a 领域)
            continue
        if s.kind == "subject" and narrows and new_schemes and not new_schemes & {scheme_family(t) for t in s.targets}:
            keep.append(s)  # 其中行政运行多少 after 会议费: the 会议费 of 行政运行 (one classification crossed with the other)
            continue
        if s.kind in ENTITY_KINDS and entity_new:
            if s.kind.startswith("project") and new_kinds & {"project", "project_part", "project_fuzzy", "person"}:
                continue
            if s.kind == "person" and new_kinds & {"project", "project_part", "project_fuzzy"} and not (
                    narrows and "project_part" in new_kinds and "project" not in new_kinds):
                continue  # (其中应急相关的 after 李永来负责哪些项目: his projects narrowed, not all 应急 projects)
            if not s.kind.startswith("project") and s.kind in new_kinds:
                continue
            if s.kind == "subject" and new_kinds & {"project", "project_part", "project_fuzzy", "person"}:
                continue
        if s.kind == "measure":
            if new.measures:
                continue
            own_parts = {CATEGORY_OF.get(str(t)) for t in s.targets} & new_kinds  # 其中货物呢 after 政府采购
            if narrows and set(map(str, s.targets)) & {"services"} and new_kinds & {"project", "project_fuzzy"}:
                keep.append(s)  # 里面办公场所运行保障经费是多少 after 政府购买服务: that project's line of it
                continue
            if entity_new and not own_parts and not all(is_scope(str(t)) for t in s.targets):
                continue  # 那会议费呢 after 三公经费是多少: the new subject is the topic now
        if s.kind == "payment" and new.payments:
            continue
        if s.kind == "cue":
            agg_new = any(t in AGG_CUES for t in new_cues)
            if agg_new and any(t in AGG_CUES for t in s.targets):
                continue
            attribute_new = bool(new_cues & {"owner", "phone", "who", "code", "indicators", "goal"})
            if attribute_new and any(t in (*AGG_CUES, "owner_of", "project", "breakdown") for t in s.targets):
                continue  # 他的电话是多少 after 冯春鹏负责哪些项目: an attribute now, not the list
            if any(t in ONE_TURN_CUES for t in s.targets) or new_cues and any(t in ATTRIBUTE_CUES for t in s.targets):
                continue
            if any(set(s.targets) & kinds and not new_cues & kinds for kinds in NOT_MONEY_CUES) and MONEY_ASKED.search(new.qn):
                continue  # 这项目预算多少 after its 绩效目标 / 要发多少条短信: the project's money now, not that again
            if "yoy" in s.targets and "share" in new_cues and not COMPARED_YEAR.search(new.qn):
                continue  # 这里头公车运维占几成 after 比上年压减了多少: a share of this year's whole, not a change again
            if "breakdown" in s.targets and new_cues & {"howmany", "count", "list", "project"}:
                continue  # 下面挂了几个项目 after 按经济分类分一下: the projects under it, not the split again
            if set(s.targets) & {"list", "project"} and new.measures and not new_cues & {"list", "project", "count"}:
                continue  # 那这个科目的基本支出呢 after 具体有哪些项目: the subject's 基本支出, not a list again
            if "breakdown" in s.targets and new_cues & {"yoy", "diff"}:
                continue  # 比上年少了多少 after 拆开说说: the whole's change over the year, not last year's split
        if s.kind == "unit" and new.unit:
            continue
        if s.kind == "dim" and (new.dims or new_cues & {"owner", "phone", "who", "code", "indicators", "goal", "howmany", "count",
                                                       "project"}):
            continue  # 按功能分类拆开 after 部门经济分类30227: the new classification splits it (负责人的电话: no split)
        if narrows and entity_new and (s.kind == "dim" or s.kind == "cue" and "breakdown" in s.targets):
            continue  # 其中商品和服务支出多少 after 按经济分类拆开: one part's figure, not the split again
        if s.kind == "subject" and new.dims and not new.of("subject"):
            other = with_scheme(s, new.dims, linker)
            if other is not s:  # 政府经济分类口径呢 after 部门经济分类30227委托业务费: 50205 委托业务费
                keep.append(other)
                continue
        if new.years and s.kind in ("project", "project_part"):
            dated = with_year(s, new.years, linker)
            if dated is not s:  # 2024年的呢 after 2023年城市电视发布预警信息: the name's year, not the budget's
                keep.append(dated)
                year_in_name = True
                continue
        if s.kind == "project_fuzzy" and s.score >= 90 and len({t.name for t in s.targets}) == 1:
            s = Span(s.start, s.end, s.text, "project", s.targets, s.score)  # a near name already answered is that project
        keep.append(with_payment(s, new.payments, linker) if new.payments else s)
    if year_in_name:  # the other year's project has its own payment line (2023年…（20%尾款） -> 2024年…（80%首款）)
        keep = [s for s in keep if s.kind != "payment"]
    merged = Understanding(new.question, prev.qn + "；" + new.qn, prev.qk, keep + new_spans)
    merged.amounts = new.amounts or prev.amounts
    merged.years = prev.years if year_in_name else new.years or prev.years
    merged.top_n = new.top_n or prev.top_n
    merged.percent = new.percent
    merged.unknown = new.unknown
    merged.other_dept = new.other_dept
    merged.previous = prev
    merged.inherited = keep
    return merged
