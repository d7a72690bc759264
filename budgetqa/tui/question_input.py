"""The question input: history with up/down (kept between runs when given a QuestionHistory), completion of names
and budget terms as you type (Tab or → accepts)."""

from __future__ import annotations

from textual.binding import Binding
from textual.suggester import Suggester
from textual.widgets import Input

from budgetqa.tui.formatting import complete
from budgetqa.tui.history import QuestionHistory
from budgetqa.tui.messages import QuestionSubmitted


class TermSuggester(Suggester):
    """Completes the last words of the question to a project, person or budget term."""

    def __init__(self, terms: list[str] | None = None) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.terms = terms or []

    async def get_suggestion(self, value: str) -> str | None:
        return complete(value, self.terms)


class QuestionInput(Input):
    BINDINGS = [
        Binding("up", "history(-1)", "历史", show=True, key_display="↑"),
        Binding("down", "history(1)", "下一问", show=False, key_display="↓"),
        Binding("tab", "accept_completion", "补全", show=True, key_display="Tab"),
    ]

    def __init__(self, **kwargs) -> None:
        self.suggester_terms = TermSuggester()
        super().__init__(placeholder="问一个预算问题，回车提问", suggester=self.suggester_terms, **kwargs)
        self.history: list[str] = []
        self._index: int | None = None  # position while browsing the history
        self._draft = ""
        self.store: QuestionHistory | None = None

    def use_history(self, store: QuestionHistory | None) -> None:
        """Keep the history in this file: what it holds comes first, each new question is added to it."""
        self.store = store
        if store is not None:
            self.history = store.load() + self.history

    def set_terms(self, terms: list[str]) -> None:
        self.suggester_terms.terms = terms

    @property
    def suggestion(self) -> str:
        return self._suggestion

    def remember(self, question: str) -> None:
        if question and (not self.history or self.history[-1] != question):
            self.history.append(question)
            if self.store is not None:
                self.store.add(question)
        self._index = None
        self._draft = ""

    def action_history(self, step: int) -> None:
        if not self.history:
            return
        if self._index is None:
            if step > 0:
                return
            self._draft = self.value
            self._index = len(self.history)
        self._index = max(0, self._index + step)
        if self._index >= len(self.history):
            self._index = None
            self.value = self._draft
        else:
            self.value = self.history[self._index]
        self.cursor_position = len(self.value)

    def action_accept_completion(self) -> None:
        if self._suggestion and len(self._suggestion) > len(self.value):
            self.value = self._suggestion
            self.cursor_position = len(self.value)
        else:
            self.screen.focus_next()

    async def action_submit(self) -> None:
        question = self.value.strip()
        if not question:
            return
        self._index = None  # the app remembers what is asked (a choice's question rather than its number)
        self.value = ""
        self.post_message(QuestionSubmitted(question, "input"))
