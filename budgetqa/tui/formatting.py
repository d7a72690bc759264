"""Plain helpers the widgets share: amounts with thousands separators, answer sentences split into items,
column names, chart series, the question a chosen candidate asks, completion. No textual here, so each
can be tested (and doctested) on its own.
"""

from __future__ import annotations

import re
from decimal import Decimal
from itertools import pairwise
from typing import Any

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


def figure(answer: Answer) -> str:
    """The headline figure of an answer ('55.71 万元'), or '' when it has none.

    >>> figure(Answer("q", "ok", "…", value=Decimal("55.710000"), unit="万元"))
    '55.71 万元'
    >>> figure(Answer("q", "clarify", "…"))
    ''
    """
    if answer.status != "ok" or answer.value is None:
        return ""
    return f"{format_amount(answer.value)} {answer.unit or ''}".strip()


def split_sentence(answer: Answer, max_items: int = 8) -> tuple[str, list[str], int]:
    """The answer sentence as a head and the items it lists (at most max_items; the third value is how many
    were left out).

    >>> split_sentence(Answer("q", "ok", "合计3万元，共2个项目：甲 1万元；乙 2万元。"))
    ('合计3万元，共2个项目：', ['甲 1万元', '乙 2万元'], 0)
    >>> split_sentence(Answer("q", "ok", "负责人——甲：张三；乙：李四。"))
    ('负责人：', ['甲：张三', '乙：李四'], 0)
    >>> split_sentence(Answer("q", "clarify", "“x”可能指2个项目，您问的是哪一个？甲；乙", candidates=["甲", "乙"]))
    ('“x”可能指2个项目，您问的是哪一个？', [], 0)
    >>> split_sentence(Answer("q", "ok", "支出总计为9751.38787万元。"))
    ('支出总计为9751.38787万元。', [], 0)
    """
    text = answer.answer.strip()
    if answer.status == "clarify" and answer.candidates and "？" in text:
        return text[: text.index("？") + 1], [], 0
    if "——" in text:
        head, rest = text.split("——", 1)
        head += "："
    elif "：" in text:
        head, rest = text.split("：", 1)
        if "；" in head:
            return text, [], 0
        head += "："
    else:
        return text, [], 0
    items = [i.strip() for i in rest.rstrip("。").split("；") if i.strip()]
    if len(items) < 2:
        return text, [], 0
    return head, items[:max_items], max(0, len(items) - max_items)


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
