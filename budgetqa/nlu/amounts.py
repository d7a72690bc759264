"""Chinese numbers, amounts, ranks and years in questions.

>>> chinese_number("五十")
50
>>> chinese_number("一百二十三")
123
>>> [ (a.value, a.unit) for a in find_amounts("50万到100万的项目")]
[(Decimal('50'), '万元'), (Decimal('100'), '万元')]
>>> find_amounts("1.5亿")[0].value
Decimal('15000.0')
>>> find_amounts("五十万元以上")[0].value
Decimal('50')
>>> find_top_n("预算最多的前三个项目")
3
>>> find_top_n("最多的五个项目")
5
>>> find_years("2023年公务接待费", 2024)
[2023]
>>> find_years("去年的三公经费", 2024)
[2023]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from budgetqa.core.patterns import lazy

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
CN = "零〇一二两三四五六七八九十百千"
NUM = rf"(?:\d+(?:\.\d+)?|[{CN}]+(?:点[{CN}]+)?)"
AMOUNT_RE = lazy(rf"({NUM})\s*(亿元|亿|万元|万|千元|元|块钱)")
TOP_RE = lazy(rf"(?:前|top\s*|TOP\s*)({NUM})|({NUM})\s*(?:个|项|名|大)(?:项目|最|的)?")
YEAR_RE = lazy(r"((?:19|20)\d\d)\s*年?")
PERCENT_RE = lazy(rf"(?:百分之({NUM})|({NUM})\s*[%％])")


@dataclass
class Amount:
    value: Decimal  # in 万元
    unit: str  # the unit the user wrote
    start: int
    end: int


def chinese_number(s: str) -> int | Decimal | None:
    """A number written in digits or Chinese numerals; None when it is not one."""
    s = s.strip()
    if not s:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        try:
            d = Decimal(s)
        except InvalidOperation:
            return None
        return int(d) if d == d.to_integral_value() and "." not in s else d
    if "点" in s:
        whole, frac = s.split("点", 1)
        w = chinese_number(whole) if whole else 0
        if w is None or not all(c in DIGITS for c in frac):
            return None
        return Decimal(f"{w}.{''.join(str(DIGITS[c]) for c in frac)}")
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in UNITS:
            unit = UNITS[ch]
            if unit == 10000:
                section = (section + (digit or 0)) * unit
                total += section
                section, digit = 0, None
            else:
                section += (digit if digit is not None else 1) * unit
                digit = None
        else:
            return None
    return total + section + (digit or 0)


def find_amounts(q: str) -> list[Amount]:
    out = []
    for m in AMOUNT_RE.finditer(q):
        n = chinese_number(m.group(1))
        if n is None:
            continue
        v = Decimal(n)
        unit = m.group(2)
        if unit.startswith("亿"):
            v, u = v * 10000, "亿元"
        elif unit.startswith("万"):
            u = "万元"
        elif unit == "千元":
            v, u = v / 10, "元"
        else:
            v, u = v / 10000, "元"
        out.append(Amount(v, u, m.start(), m.end()))
    return out


def find_top_n(q: str) -> int | None:
    for m in TOP_RE.finditer(q):
        raw = m.group(1) or m.group(2)
        n = chinese_number(raw)
        if n is not None and 0 < int(n) <= 1000 and not re.match(r"(19|20)\d\d", raw):
            return int(n)
    return None


def find_years(q: str, doc_year: int) -> list[int]:
    years = [int(m.group(1)) for m in YEAR_RE.finditer(q) if m.group(0).endswith("年") or len(q) < 8]
    if re.search(r"去年|上年|上一年|前一年|上年度", q):
        years.append(doc_year - 1)
    if re.search(r"今年|本年|本年度", q) and not years:  # (当年 is "that year": the year already in question)
        years.append(doc_year)
    if "前年" in q:
        years.append(doc_year - 2)
    if "明年" in q:
        years.append(doc_year + 1)
    return years


def find_percent(q: str) -> Decimal | None:
    m = PERCENT_RE.search(q)
    if not m:
        return None
    n = chinese_number(m.group(1) or m.group(2))
    return Decimal(n) if n is not None else None
