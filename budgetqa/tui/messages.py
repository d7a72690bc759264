"""Messages the widgets send up to the app (which owns the engine and the conversation)."""

from __future__ import annotations

from textual.message import Message

from budgetqa.answer import Answer


class QuestionSubmitted(Message):
    """Ask this question (from the input, the examples panel, …)."""

    def __init__(self, question: str, source: str = "input") -> None:
        super().__init__()
        self.question = question
        self.source = source


class CandidateChosen(Message):
    """One of the choices of a clarifying or not-found answer was picked."""

    def __init__(self, answer: Answer, candidate: str) -> None:
        super().__init__()
        self.answer = answer
        self.candidate = candidate


class AnswerSelected(Message):
    """An answer of the conversation was selected: show its evidence."""

    def __init__(self, answer: Answer | None) -> None:
        super().__init__()
        self.answer = answer
