"""Chinese phrasing of figures: full precision, trailing zeros dropped, the unit the user asked for.

>>> money(Decimal("55.710000"))
'55.71万元'
>>> money(Decimal("167"), "元")
'1670000元'
>>> money(Decimal("15000"), "亿元")
'1.5亿元'
>>> percent(Decimal("0.824410"))
'82.44%'
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from budgetqa.answer import format_decimal

FACTORS = {"万元": Decimal(1), "元": Decimal(10000), "亿元": Decimal("0.0001")}


def in_unit(v: Decimal, unit: str | None) -> Decimal:
    return v * FACTORS.get(unit or "万元", Decimal(1))


def money(v: Decimal | None, unit: str | None = None) -> str:
    unit = unit if unit in FACTORS else "万元"
    if v is None:
        v = Decimal(0)
    return f"{format_decimal(in_unit(Decimal(v), unit))}{unit}"


def percent(ratio: Decimal) -> str:
    return f"{(ratio * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


def listing(names: list[str], limit: int = 12) -> str:
    if len(names) <= limit:
        return "、".join(names)
    return "、".join(names[:limit]) + f"等{len(names)}项"
