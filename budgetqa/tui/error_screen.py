"""Errors in a modal: a clear message and a way back (Esc, Enter or the button)."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static


class ErrorScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,enter", "dismiss", "关闭", show=True)]

    def __init__(self, title: str, message: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.title_text = title
        self.message = message

    def compose(self):
        with Vertical(id="error-dialog"):
            yield Static(Content(self.title_text), id="error-title")
            yield Static(Content(self.message), id="error-message")
            yield Button("关闭", id="error-close", variant="error")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)
