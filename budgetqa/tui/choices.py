"""The choices of a clarifying or not-found answer.

The question input keeps the keyboard after such an answer: a number typed alone in it lights up that choice
(class -armed) and Enter asks it; a click asks a choice too. When the list itself has focus (Tab, or a click),
↑↓ and Enter or a digit pick as well."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from budgetqa.answer import Answer
from budgetqa.tui.messages import CandidateChosen


class ChoiceList(OptionList):
    BINDINGS = [Binding("enter", "select", "提问", show=True, key_display="Enter")] + [
        Binding(str(i), f"choose({i})", f"选{i}", show=False) for i in range(1, 10)
    ]

    def __init__(self, answer: Answer, **kwargs) -> None:
        self.answer = answer
        super().__init__(*[Option(f"{i}. {c}", id=str(i)) for i, c in enumerate(answer.candidates, 1)], **kwargs)

    def on_mount(self) -> None:
        self.highlighted = None  # nothing lit up until a number is typed or the list takes the keyboard

    def on_focus(self) -> None:
        if self.highlighted is None:
            self.highlighted = 0

    def action_choose(self, number: int) -> None:
        if 1 <= number <= len(self.answer.candidates):
            self.highlighted = number - 1
            self.post_message(CandidateChosen(self.answer, self.answer.candidates[number - 1]))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(CandidateChosen(self.answer, self.answer.candidates[event.option_index]))
