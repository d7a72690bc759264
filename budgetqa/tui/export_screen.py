"""Where to export an answer: a path to confirm or edit (Enter writes, Esc cancels). A .md file holds the whole
answer (sentence, what was understood, rows, sources, SQL); a .csv file the result table."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static


class ExportScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "取消", show=True)]

    def __init__(self, default: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.default = default

    def compose(self):
        with Vertical(id="export-dialog"):
            yield Static(Content("导出到（.md：句子、理解、结果表、来源和SQL；.csv：结果表）："), id="export-title")
            yield Input(self.default, id="export-path")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
