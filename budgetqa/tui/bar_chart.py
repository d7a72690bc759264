"""A horizontal bar chart of a breakdown or a ranking: one line per item, label · bar · amount."""

from __future__ import annotations

from decimal import Decimal

from rich.cells import cell_len
from textual.content import Content
from textual.widget import Widget

from budgetqa.tui.formatting import format_amount, shorten

EIGHTHS = " ▏▎▍▌▋▊▉"


def fit(text: str, width: int) -> str:
    """The text in `width` terminal cells (CJK characters take two): cut in the middle, padded with spaces.

    >>> fit("应急管理局", 8), fit("应急管理局", 6), fit("ab", 4)
    ('应急…局 ', '应急… ', 'ab  ')
    """
    out = shorten(text, width)
    return out + " " * (width - cell_len(out))


def bar(value: Decimal, largest: Decimal, width: int) -> str:
    """A bar of `width` cells at most, in eighths of a cell.

    >>> bar(Decimal(1), Decimal(2), 4), bar(Decimal(2), Decimal(2), 4)
    ('██', '████')
    """
    if largest <= 0 or value <= 0 or width <= 0:
        return ""
    eighths = int(value / largest * width * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + (EIGHTHS[part] if part else "") or "▏"


class BarChart(Widget):
    DEFAULT_CSS = """
    BarChart { height: auto; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.series: list[tuple[str, Decimal]] = []
        self.unit: str | None = None

    def show(self, series: list[tuple[str, Decimal]], unit: str | None = None) -> None:
        self.series = series
        self.unit = unit
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.series) + 1 if self.series else 1

    def render(self) -> Content:
        if not self.series:
            return Content.styled("（这个回答不是分项或排名，没有图表）", "$text-muted")
        width = max(20, self.content_size.width)
        amounts = [format_amount(v) for _, v in self.series]
        value_w = max(cell_len(a) for a in amounts)
        label_w = min(max(cell_len(label) for label, _ in self.series), max(8, width - value_w - 3 - max(10, width // 4)))  # bars keep a quarter
        bar_w = max(1, width - label_w - value_w - 3)
        largest = max(v for _, v in self.series)
        lines = [Content.styled(f"{'':{label_w}} 金额（{self.unit}）" if self.unit else "", "$text-muted")]
        for (label, v), amount in zip(self.series, amounts, strict=True):
            b = bar(v, largest, bar_w)
            lines.append(Content.assemble(
                (fit(label, label_w), ""), " ", (b, "$accent"), " " * (bar_w - cell_len(b) + 1),
                (" " * (value_w - cell_len(amount)) + amount, "bold")))
        return Content("\n").join(lines)
