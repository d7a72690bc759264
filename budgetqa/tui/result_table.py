"""The result table of an answer: sortable (click a header, or `s` on a column), amounts right-aligned with
thousands separators."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widgets import DataTable

from budgetqa.answer import Answer
from budgetqa.tui.formatting import column_names, format_cell, is_money_column, is_number, shorten

MIN_TEXT_WIDTH = 8


def fit_widths(natural: list[int], minimum: list[int], available: int, padding: int = 2) -> list[int]:
    """Column widths that fit `available` cells by narrowing the widest columns, none below its minimum
    (amounts get their full width as minimum, so they are never cut).

    >>> fit_widths([40, 10], [8, 10], 40)
    [26, 10]
    >>> fit_widths([10, 10], [8, 10], 40)
    [10, 10]
    >>> fit_widths([16, 16, 16, 16, 12], [7, 8, 5, 4, 12], 46)
    [7, 8, 5, 4, 12]
    """
    widths = list(natural)
    excess = sum(w + padding for w in widths) - available
    while excess > 0:
        candidates = [i for i, w in enumerate(widths) if w > minimum[i]]
        if not candidates:
            break
        i = max(candidates, key=lambda i: (widths[i] - minimum[i], widths[i]))
        others = sorted((widths[j] for j in candidates if j != i), reverse=True)
        floor = max(minimum[i], others[0] if others else minimum[i], widths[i] - excess)
        step = max(1, widths[i] - floor)
        widths[i] -= step
        excess -= step
    return widths


def fit_cell(text: Text, width: int) -> Text:
    """A cell that does not fit its column, cut in the middle so that names differing only at the end stay apart."""
    if text.cell_len <= width:
        return text
    return Text(shorten(text.plain, width), style=text.style, justify=text.justify, no_wrap=True)


def sort_key(v: Any) -> tuple:
    """Numbers before text, empty cells last; numbers by value, text by its characters."""
    if v is None or v == "":
        return (2, 0)
    if is_number(v):
        return (0, Decimal(str(v)) if not isinstance(v, Decimal) else v)
    return (1, str(v))


class ResultTable(DataTable):
    BINDINGS = [Binding("s", "sort", "排序", show=True)]

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="cell", zebra_stripes=True, **kwargs)
        self.names: list[str] = []
        self.raw_rows: list[list[Any]] = []
        self.sorted_by: int | None = None
        self.descending = False
        self._money: list[bool] = []
        self._fitted_for = -1

    def show(self, answer: Answer | None) -> None:
        if answer is None or not answer.rows:
            self.show_rows([], [])
        else:
            self.show_rows(column_names(answer), answer.rows)

    def show_rows(self, names: list[str], rows: list[list[Any]]) -> None:
        self.names = list(names)
        self.raw_rows = [list(r) for r in rows]
        width = len(self.names)
        self.raw_rows = [r + [None] * (width - len(r)) for r in self.raw_rows]
        self._money = [is_money_column(n, [r[i] for r in self.raw_rows]) for i, n in enumerate(self.names)]
        self.sorted_by = None
        self.descending = False
        self._rebuild()

    def _rebuild(self) -> None:
        self.clear(columns=True)
        self.show_header = bool(self.names)
        numeric = [self._money[i] or all(r[i] is None or is_number(r[i]) for r in self.raw_rows) for i in range(len(self.names))]
        cells = [[self._cell(i, v) for i, v in enumerate(r)] for r in self.sorted_rows()]
        headers = [name + (("▼" if self.descending else "▲") if self.sorted_by == i else "") for i, name in enumerate(self.names)]
        values = [max([c[i].cell_len for c in cells], default=0) for i in range(len(self.names))]
        natural = [max(cell_len(headers[i]), values[i]) for i in range(len(self.names))]
        minimum = [natural[i] if numeric[i] else min(natural[i], max(4, min(MIN_TEXT_WIDTH, values[i]))) for i in range(len(self.names))]
        available = self.scrollable_content_region.width
        widths = fit_widths(natural, minimum, available - 1) if available > 0 else natural
        self._fitted_for = available
        for i, header in enumerate(headers):
            self.add_column(Text(header, justify="right" if numeric[i] else "left", no_wrap=True, overflow="ellipsis"),
                            key=str(i), width=widths[i])
        for c in cells:
            self.add_row(*[fit_cell(t, widths[i]) for i, t in enumerate(c)])

    def _cell(self, i: int, v: Any) -> Text:
        if is_number(v):
            return Text(format_cell(v) if self._money[i] or not isinstance(v, int) else str(v), justify="right", no_wrap=True)
        return Text(format_cell(v), no_wrap=True, overflow="ellipsis")

    def on_resize(self, event: events.Resize) -> None:
        if self.names and self.scrollable_content_region.width != self._fitted_for:
            cursor = self.cursor_coordinate
            self._rebuild()
            self.move_cursor(row=cursor.row, column=cursor.column)

    def sort_by(self, column: int) -> None:
        if not self.names:
            return
        if self.sorted_by == column:
            self.descending = not self.descending
        else:
            self.sorted_by, self.descending = column, self._money[column]  # amounts: largest first
        cursor = self.cursor_coordinate
        self._rebuild()
        self.move_cursor(row=0, column=cursor.column)

    def sorted_rows(self) -> list[list[Any]]:
        if self.sorted_by is None:
            return self.raw_rows
        return sorted(self.raw_rows, key=lambda r: sort_key(r[self.sorted_by]), reverse=self.descending)

    def action_sort(self) -> None:
        if self.names:
            self.sort_by(self.cursor_coordinate.column)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self.sort_by(event.column_index)
