"""Plain helpers the widgets share: amounts with thousands separators, answer sentences split into items,
column names, chart series, the question a chosen candidate asks, completion. No textual here, so each
can be tested (and doctested) on its own.
"""

from __future__ import annotations

import re
from decimal import Decimal
from itertools import pairwise
from typing import Any, NamedTuple

from rich.cells import cell_len

from budgetqa.answer import Answer, format_decimal

NUMBER = (Decimal, int, float)


def is_number(v: Any) -> bool:
    return isinstance(v, NUMBER) and not isinstance(v, bool)


def format_amount(v: Any) -> str:
    """Full precision, thousands separators, never scientific notation.

    >>> format_amount(Decimal("9751.387870"))
    '9,751.38787'
    >>> format_amount(1670000)
    '1,670,000'
    >>> format_amount(Decimal("-1234.5"))
    '-1,234.5'
    >>> format_amount(None)
    ''
    >>> format_amount("首款")
    '首款'
    """
    if v is None:
        return ""
    if isinstance(v, bool) or not is_number(v):
        return str(v)
    s = format_decimal(v) if isinstance(v, Decimal) else str(v) if isinstance(v, int) else format_decimal(Decimal(repr(v)))
    sign = "-" if s.startswith("-") else ""
    whole, _, frac = s.lstrip("-").partition(".")
    return f"{sign}{int(whole):,}" + (f".{frac}" if frac else "")


def format_cell(v: Any) -> str:
    """A table cell as text: amounts grouped, None empty.

    >>> format_cell(Decimal("12.800000")), format_cell(None), format_cell("行政运行")
    ('12.8', '', '行政运行')
    """
    if v is None:
        return ""
    if isinstance(v, (Decimal, float)):
        return format_amount(v)
    return str(v)


def plain_cell(v: Any) -> str:
    """A cell for CSV: exact, no separators.

    >>> plain_cell(Decimal("2525.614600")), plain_cell(7), plain_cell(None)
    ('2525.6146', '7', '')
    """
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return format_decimal(v)
    return str(v)


MONEY_UNITS = ("元", "万元", "亿元")


def figure(answer: Answer) -> str:
    """The headline figure of an answer ('55.71 万元', '43个', '95%'), or '' when it has none.

    >>> figure(Answer("q", "ok", "…", value=Decimal("55.710000"), unit="万元"))
    '55.71 万元'
    >>> figure(Answer("q", "ok", "…", value=43, unit="个")), figure(Answer("q", "ok", "…", value=Decimal("95"), unit="%"))
    ('43个', '95%')
    >>> figure(Answer("q", "clarify", "…"))
    ''
    """
    if answer.status != "ok" or answer.value is None:
        return ""
    unit = answer.unit or ""
    return f"{format_amount(answer.value)}{' ' if unit in MONEY_UNITS else ''}{unit}".strip()


def is_numeric_text(v: Any) -> bool:
    """
    >>> is_numeric_text("43"), is_numeric_text("-1.5"), is_numeric_text("良好"), is_numeric_text(None)
    (True, True, False, False)
    """
    return is_number(v) or isinstance(v, str) and re.fullmatch(r"[-+]?\d+(\.\d+)?", v.strip()) is not None


def natural_units(answer: Answer) -> str:
    """The answer sentence without a unit glued to a text value: an indicator whose value is 良好 and whose unit
    column says 个 reads "良好", not "良好个" (the rows tell which values are text and which unit they carry).

    >>> a = Answer("q", "ok", "指标2项：提供专家咨询服务 定性 良好个；专家顾问 ≥ 1人",
    ...            columns=["三级指标", "性质", "指标值", "单位"],
    ...            rows=[["提供专家咨询服务", "定性", "良好", "个"], ["专家顾问", "≥", "1", "人"]])
    >>> natural_units(a)
    '指标2项：提供专家咨询服务 定性 良好；专家顾问 ≥ 1人'
    """
    text = answer.answer
    if "指标值" not in answer.columns or "单位" not in answer.columns:
        return text
    vi, ui = answer.columns.index("指标值"), answer.columns.index("单位")
    for row in answer.rows:
        if len(row) <= max(vi, ui):
            continue
        value, unit = row[vi], row[ui]
        if isinstance(value, str) and value and unit and not is_numeric_text(value):
            text = re.sub(re.escape(f"{value}{unit}") + r"(?=[；。，\s]|$)", value, text)
    return text


TOTAL_PIECE = re.compile(r"^(合计|共计|总计|小计)")


class Split(NamedTuple):
    """An answer sentence laid out: the head, the items it lists (at most max_items), how many items are not
    listed, and the total lines that close the list (always shown)."""

    head: str
    items: list[str]
    more: int
    totals: list[str]


def split_sentence(answer: Answer, max_items: int = 8) -> Split:
    """The answer sentence as a head, the items it lists, how many more there are, and its totals.

    When the sentence itself stops listing ("……"), the rows say how many items there are in all.

    >>> split_sentence(Answer("q", "ok", "合计3万元，共2个项目：甲 1万元；乙 2万元。"))
    Split(head='合计3万元，共2个项目：', items=['甲 1万元', '乙 2万元'], more=0, totals=[])
    >>> split_sentence(Answer("q", "ok", "负责人——甲：张三；乙：李四。"))
    Split(head='负责人：', items=['甲：张三', '乙：李四'], more=0, totals=[])
    >>> split_sentence(Answer("q", "clarify", "“x”可能指2个项目，您问的是哪一个？甲；乙", candidates=["甲", "乙"]))
    Split(head='“x”可能指2个项目，您问的是哪一个？', items=[], more=0, totals=[])
    >>> split_sentence(Answer("q", "ok", "支出总计为9751.38787万元。"))
    Split(head='支出总计为9751.38787万元。', items=[], more=0, totals=[])
    >>> rows = [[f"{i}", Decimal(i)] for i in range(1, 31)]
    >>> s = split_sentence(Answer("q", "ok", "分项：1 1万元；2 2万元；3 3万元……；合计465万元。", rows=rows), max_items=2)
    >>> s.items, s.more, s.totals
    (['1 1万元', '2 2万元'], 28, ['合计465万元'])
    """
    text = natural_units(answer).strip()
    if answer.status == "clarify" and answer.candidates and "？" in text:
        return Split(text[: text.index("？") + 1], [], 0, [])
    if "——" in text:
        head, rest = text.split("——", 1)
        head += "："
    elif "：" in text:
        head, rest = text.split("：", 1)
        if "；" in head:
            return Split(text, [], 0, [])
        head += "："
    else:
        return Split(text, [], 0, [])
    pieces = [i.strip() for i in rest.rstrip("。").split("；") if i.strip()]
    totals: list[str] = []
    while pieces and TOTAL_PIECE.match(pieces[-1]):
        totals.insert(0, pieces.pop())
    elided = bool(pieces) and pieces[-1].endswith("…")
    if elided:
        pieces[-1] = pieces[-1].rstrip("…").rstrip()
    if len(pieces) < 2:
        return Split(text, [], 0, [])
    count = len(answer.rows) if elided and len(answer.rows) > len(pieces) else len(pieces)
    shown = pieces[:max_items]
    return Split(head, shown, count - len(shown), totals)


# ---------------------------------------------------------------- shortening


def cut_to(text: str, width: int, from_end: bool = False) -> str:
    """The longest start (or end) of text that fits in `width` terminal cells (CJK characters take two)."""
    out = ""
    for ch in (reversed(text) if from_end else text):
        if cell_len(out + ch) > width:
            break
        out = ch + out if from_end else out + ch
    return out


def shorten(text: str, width: int) -> str:
    """Text cut to `width` cells with "…" in the middle, keeping its end: names that differ only at the end
    (首款/尾款, 20%/80%) stay apart. A closing bracketed part is kept whole when it takes at most half the width.

    >>> shorten("区应急指挥中心显示大屏运维服务项目（20%尾款）", 30)
    '区应急指挥中心显示…（20%尾款）'
    >>> shorten("区应急指挥中心显示大屏运维服务项目（80%首款）", 30)
    '区应急指挥中心显示…（80%首款）'
    >>> shorten("公共事务协管经费", 20)
    '公共事务协管经费'
    >>> shorten("2024年朝阳区应急管理局移动执法终端政务网套餐项目", 24)
    '2024年朝阳区应急…餐项目'
    >>> shorten("abcdef", 1)
    '…'
    """
    if cell_len(text) <= width:
        return text
    if width <= 2:
        return "…"[:width]
    room = width - 1  # for the "…"
    bracket = re.search(r"[（(][^（()）]*[）)]$", text)
    if bracket and cell_len(bracket.group()) <= room // 2 + 1 and bracket.start() > 0:
        tail = bracket.group()
    else:
        tail = cut_to(text, max(1, room // 3), from_end=True)
    head = cut_to(text[: len(text) - len(tail)], room - cell_len(tail))
    return head + "…" + tail


# ---------------------------------------------------------------- line breaking

NO_LINE_START = frozenset("，。、；：？！）】」』”’》〉…%％,.;:?!)]}")  # closing punctuation stays with what it closes
NO_LINE_END = frozenset("（【「『“‘《〈([{")  # opening punctuation stays with what it opens
# a latin word or a number (with the unit after it: 419.040896万元, 2024年) is one piece; any other character is one
TOKEN = re.compile(r"[0-9A-Za-z.,%+\-_/#@'’]+(?:万元|亿元|元|万|亿|个|人|项|套|次|年|月|日)?|\s+|.", re.S)


def wrap_offsets(text: str, width: int) -> list[int]:
    """Where to break one line of text so that each piece fits `width` terminal cells, the way Chinese text is
    set: no line starts with closing punctuation (，。）” …) or ends with opening punctuation (（“ …), and latin
    words and numbers with their unit are not split (unless longer than a line). Breaks fall between characters,
    or after spaces.

    >>> wrap_lines("“电费”（部门经济分类30206）为18.01766万元。", 40)
    ['“电费”（部门经济分类30206）为', '18.01766万元。']
    >>> wrap_lines("问一个关于这份预算的问题，回车提问。例如：总支出多少", 40)
    ['问一个关于这份预算的问题，回车提问。例', '如：总支出多少']
    >>> wrap_lines("问一个关于这份预算的问题，回车提问。例如", 34)
    ['问一个关于这份预算的问题，回车提', '问。例如']
    >>> wrap_lines("• 30110 职工基本医疗保险缴费 419.040896万元", 40)
    ['• 30110 职工基本医疗保险缴费', '419.040896万元']
    >>> wrap_offsets("总支出多少", 40)
    []
    """
    if width < 2 or cell_len(text) <= width:
        return []
    tokens = [(m.start(), m.group()) for m in TOKEN.finditer(text)]
    offsets: list[int] = []
    line: list[int] = []  # indices of the tokens on the current line
    used = 0
    i = 0
    while i < len(tokens):
        start, tok = tokens[i]
        w = cell_len(tok)
        if used + w <= width or not line:
            if w > width:  # longer than a line: fold it
                fit = 0
                for k, ch in enumerate(tok):
                    if used + fit + cell_len(ch) > width:
                        offsets.append(start + k)
                        tokens[i] = (start + k, tok[k:])
                        line, used = [], 0
                        break
                    fit += cell_len(ch)
                continue
            line.append(i)
            used += w
            i += 1
            continue
        if tok.isspace():  # break after the spaces; they vanish at the end of the line
            offsets.append(start + len(tok))
            line, used = [], 0
            i += 1
            continue
        # break before token i, then move the break back while it would start a line with closing punctuation
        # or end one with opening punctuation (never emptying the line)
        j = i
        while len(line) > 1 and line[-1] == j - 1 and (
                tokens[j][1][0] in NO_LINE_START or tokens[j - 1][1][-1] in NO_LINE_END):
            line.pop()
            j -= 1
        if line == [j - 1] and len(tokens[j - 1][1]) > 1 and tokens[j][1][0] in NO_LINE_START:
            # one word fills the line and punctuation follows it: its last character goes down with the punctuation
            prev_start, prev = tokens[j - 1]
            tokens[j - 1:j] = [(prev_start, prev[:-1]), (prev_start + len(prev) - 1, prev[-1])]
        offsets.append(tokens[j][0])
        line, used = [], 0
        i = j
    return offsets


def wrap_lines(text: str, width: int) -> list[str]:
    """The text cut into lines by wrap_offsets (each line of a multi-line text on its own), spaces at the ends dropped.

    >>> wrap_lines("甲乙丙丁，戊己", 8)
    ['甲乙丙', '丁，戊己']
    >>> wrap_lines("理解为：2024年 · 部门经济分类30215 会议费 · 合计", 42)
    ['理解为：2024年 · 部门经济分类30215 会议费', '· 合计']
    """
    out = []
    for line in text.split("\n"):
        cuts = [0, *wrap_offsets(line, width), len(line)]
        out.extend(line[a:b].rstrip() if a == 0 else line[a:b].strip() for a, b in pairwise(cuts))
    return out


# ---------------------------------------------------------------- columns


def column_names(answer: Answer) -> list[str]:
    """Headers for the answer's rows. Answer.columns when it fits the rows; otherwise the names of the last
    SQL statement's columns from the catalogue; otherwise generic ones.

    >>> column_names(Answer("q", "ok", "", columns=["项目名称", "金额（万元）"], rows=[["甲", 1]]))
    ['项目名称', '金额（万元）']
    >>> column_names(Answer("q", "ok", "", rows=[["支出总计", Decimal(1)]], unit="万元"))
    ['项目', '金额（万元）']
    >>> column_names(Answer("q", "ok", "", rows=[["a", "b", "c"]]))
    ['列1', '列2', '列3']
    """
    width = max((len(r) for r in answer.rows), default=len(answer.columns))
    if len(answer.columns) == width:
        return list(answer.columns)
    names = sql_column_names(answer.sql, width)
    if names:
        return names
    if width == 2 and answer.rows and all(is_number(r[1]) for r in answer.rows if len(r) == 2):
        return ["项目", f"金额（{answer.unit}）" if answer.unit else "数值"]
    return list(answer.columns[:width]) + [f"列{i + 1}" for i in range(len(answer.columns), width)]


def sql_column_names(sql: str | None, width: int) -> list[str] | None:
    """Chinese names of the columns the last statement selects, when there are exactly `width` of them."""
    if not sql:
        return None
    try:
        import sqlglot
        from sqlglot import exp

        from budgetqa.store.schema import CATALOGUE

        statement = sqlglot.parse(sql, read="duckdb")[-1]
        if not isinstance(statement, exp.Select) or len(statement.expressions) != width:
            return None
        table = statement.find(exp.Table)
        columns = CATALOGUE[table.name].columns if table is not None and table.name in CATALOGUE else {}
        names = []
        for e in statement.expressions:
            col = columns.get(e.alias_or_name)
            if col is None:
                return None
            names.append(col.zh + ("（万元）" if col.type.startswith("DECIMAL") else ""))
        return names
    except Exception:  # a display nicety: any parsing trouble falls back to generic names
        return None


def is_money_column(name: str, values: list[Any]) -> bool:
    return any(isinstance(v, (Decimal, float)) for v in values) or ("金额" in name or "元" in name) and all(
        v is None or is_number(v) for v in values)


# ---------------------------------------------------------------- chart


def chart_series(answer: Answer) -> list[tuple[str, Decimal]]:
    """(label, amount) pairs when the rows are items with an amount each (two or more), else [].

    >>> a = Answer("q", "ok", "", columns=["编码", "名称", "金额（万元）"],
    ...            rows=[["2240101", "行政运行", Decimal("4264.5")], ["2240102", "一般行政管理事务", Decimal("2525.6")]])
    >>> chart_series(a)
    [('2240101 行政运行', Decimal('4264.5')), ('2240102 一般行政管理事务', Decimal('2525.6'))]
    >>> chart_series(Answer("q", "ok", "", rows=[["支出总计", Decimal(1)]]))
    []
    """
    rows = [r for r in answer.rows if r]
    if len(rows) < 2:
        return []
    names = column_names(answer)
    width = min(len(r) for r in rows)
    numeric = [i for i in range(width) if all(r[i] is None or is_number(r[i]) for r in rows)
               and any(is_number(r[i]) for r in rows)]
    if not numeric:
        return []
    money = [i for i in numeric if is_money_column(names[i] if i < len(names) else "", [r[i] for r in rows])]
    value_at = money[-1] if money else numeric[-1]
    if not money and any(k in (names[value_at] if value_at < len(names) else "") for k in ("行", "序号", "编号")):
        return []
    out = []
    for r in rows:
        texts = [c for c in r[:value_at] if isinstance(c, str) and c]
        if not texts:
            texts = [str(c) for c in r[:value_at] if c is not None]
        label = texts[0] if texts else ""
        if len(texts) > 1 and re.fullmatch(r"[0-9A-Za-z]+", texts[0]):
            label = f"{texts[0]} {texts[1]}"
        v = r[value_at]
        out.append((label, Decimal(0) if v is None else Decimal(str(v)) if not isinstance(v, Decimal) else v))
    return out


def is_ranking(series: list[tuple[str, Decimal]]) -> bool:
    """Three or more amounts in falling order.

    >>> is_ranking([("a", Decimal(3)), ("b", Decimal(2)), ("c", Decimal(1))])
    True
    >>> is_ranking([("a", Decimal(1)), ("b", Decimal(2)), ("c", Decimal(3))])
    False
    """
    values = [v for _, v in series]
    return len(values) >= 3 and all(a >= b for a, b in pairwise(values)) and values[0] != values[-1]


def wants_chart(answer: Answer) -> bool:
    """A breakdown or a ranking: people would rather look than read."""
    series = chart_series(answer)
    return bool(series) and (answer.family == "breakdown" or is_ranking(series))


# ---------------------------------------------------------------- choices


def choice_question(answer: Answer, candidate: str) -> str:
    """The question to ask when the user picks a candidate of a clarifying (or not-found) answer.

    A clarification keeps the rest of the question: the ambiguous term is replaced by the chosen one
    (a subject by its code, which names it in one scheme only). Otherwise the candidate is asked as is.

    >>> from budgetqa.answer import Link
    >>> a = Answer("应急单兵视频系统运维费的绩效指标", "clarify", "…", candidates=["应急单兵视频系统运维费（首款）"],
    ...            links=[Link("应急单兵视频系统运维费", "project_part", "应急单兵视频系统运维费（首款）", 100)])
    >>> choice_question(a, "应急单兵视频系统运维费（首款）")
    '应急单兵视频系统运维费（首款）的绩效指标'
    >>> b = Answer("委托业务费多少", "clarify", "…", candidates=["部门经济分类30227委托业务费"],
    ...            links=[Link("委托业务费", "subject", "部门经济分类 30227 委托业务费", 100)])
    >>> choice_question(b, "部门经济分类30227委托业务费")
    '30227多少'
    >>> choice_question(Answer("无人机项目", "not_found", "…", candidates=["甲"]), "甲")
    '甲'
    """
    if answer.status == "clarify":
        q = answer.question
        want = re.sub(r"\s+", "", candidate)
        for link in sorted(answer.links, key=lambda link: -len(link.term)):
            if not link.term or link.term not in q or re.sub(r"\s+", "", link.target) != want:
                continue
            parts = link.target.split()
            replacement = parts[1] if link.kind == "subject" and len(parts) == 3 and parts[1].isdigit() else candidate
            return q.replace(link.term, replacement, 1)
    return candidate


# ---------------------------------------------------------------- completion


def completion_terms(vocab: Any) -> list[str]:
    """Names a question may contain: people, subjects, categories, projects; shortest first."""
    terms: set[str] = set()
    terms.update(p for p in getattr(vocab, "people", {}) if p)
    terms.update(s.name for s in getattr(vocab, "subjects", []) if s.name)
    terms.update(getattr(vocab, "service_cats", {}) or {})
    terms.update(getattr(vocab, "proc_cats", {}) or {})
    terms.update(p.name for p in getattr(vocab, "projects", []) if p.name)
    terms.update(("总支出", "总收入", "三公经费", "公务接待费", "公务用车运行维护费", "因公出国（境）费用", "政府采购", "政府购买服务"))
    return sorted((t for t in terms if len(t) >= 2), key=lambda t: (len(t), t))


def complete(value: str, terms: list[str], min_len: int = 2) -> str | None:
    """The value with its last words completed to a known term (the longest matching tail wins).

    >>> complete("风险评", ["风险评估经费"])
    '风险评估经费'
    >>> complete("总支出多少", ["总支出"]) is None
    True
    >>> complete("我想知道应急单兵", ["应急单兵视频系统运维费（首款）"])
    '我想知道应急单兵视频系统运维费（首款）'
    """
    if len(value) < min_len or not value[-1].strip() or not (value[-1].isalnum()):
        return None
    for start in range(0, len(value) - min_len + 1):
        tail = value[start:]
        if not tail[0].isalnum():
            continue
        for t in terms:
            if len(t) > len(tail) and t.startswith(tail):
                return value + t[len(tail):]
    return None
