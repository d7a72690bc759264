"""Cleaning the noise a PDF-to-text extraction leaves in a published budget.

>>> clean_cell("<b>9,751.387870</b>")
'9,751.387870'
>>> clean_name("区应急指挥中 心显示大屏运维服务 项目(20%尾款)")
'区应急指挥中心显示大屏运维服务项目（20%尾款）'
>>> parse_amount("9,751.387870")
Decimal('9751.387870')
>>> parse_amount("") is None
True
>>> split_code("2240101-行政运行")
('2240101', '行政运行')
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

TAG = re.compile(r"</?(?:b|p|br|strong|span|td|tr)\s*/?>", re.I)
LATEX = {r"$\geq$": "≥", r"$\leq$": "≤", r"$\ge$": "≥", r"$\le$": "≤", r"$=$": "=", r"$<$": "<", r"$>$": ">"}
AMOUNT = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^-?\d+(?:\.\d+)?$")
CODE_NAME = re.compile(r"^([0-9A-Z]{1,30})\s*[-－—]\s*(.+)$")
# A space between two characters that are not both ASCII letters or digits is extraction noise.
INNER_SPACE = re.compile(r"(?<![A-Za-z0-9])[ \u3000\u00a0]+|[ \u3000\u00a0]+(?![A-Za-z0-9])")


class AmountError(ValueError):
    """A cell that should hold an amount does not."""


def clean_cell(cell: str) -> str:
    """Strip tags, LaTeX comparison signs and surrounding space from one table cell."""
    if "<" not in cell and "$" not in cell and "\u00a0" not in cell:
        return cell.strip()
    cell = TAG.sub("", cell)
    for k, v in LATEX.items():
        if k in cell:
            cell = cell.replace(k, v)
    return cell.replace("\u00a0", " ").strip()


def clean_name(name: str) -> str:
    """A name as one canonical string: no inner spaces, full-width brackets, no tags."""
    name = clean_cell(name)
    name = INNER_SPACE.sub("", name)
    return name.replace("(", "（").replace(")", "）").replace("（ ", "（").strip()


def norm_key(name: str) -> str:
    """The form names are compared in: cleaned, brackets and punctuation removed.

    >>> norm_key("应急管理进社区试点运维(尾款)") == norm_key("应急管理进社区试点运维（尾款）")
    True
    """
    s = clean_name(name)
    return re.sub(r"[（）()【】\[\]、，,。.·\-—－+＋:：;；“”\"'‘’\s]", "", s)


def parse_amount(cell: str) -> Decimal | None:
    """An amount cell as an exact Decimal; empty cells are None; anything else raises AmountError."""
    s = clean_cell(cell).replace(" ", "")
    if s in ("", "-", "—", "--"):
        return None
    if not AMOUNT.match(s):
        raise AmountError(s)
    try:
        return Decimal(s.replace(",", ""))
    except InvalidOperation as e:  # pragma: no cover - the regex guards this
        raise AmountError(s) from e


def is_amount(cell: str) -> bool:
    s = clean_cell(cell).replace(" ", "")
    return bool(s) and bool(AMOUNT.match(s))


def split_code(cell: str) -> tuple[str | None, str]:
    """'2240101-行政运行' -> ('2240101', '行政运行'); a cell without a code keeps its name."""
    s = clean_name(cell)
    m = CODE_NAME.match(s)
    if m:
        return m.group(1), m.group(2).strip()
    return None, s


def decimals(v: Decimal | None) -> int:
    """How many decimals a published figure carries (its rounding precision)."""
    if v is None:
        return 0
    exp = v.as_tuple().exponent
    return -exp if isinstance(exp, int) and exp < 0 else 0
