"""One turn of the conversation: the question, then the answer (figure and unit prominent, items listed) and,
when the engine asks back or finds nothing, the choices."""

from __future__ import annotations

from textual import events
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from budgetqa.answer import Answer
from budgetqa.tui.choices import ChoiceList
from budgetqa.tui.formatting import figure, split_sentence
from budgetqa.tui.prose import Prose

STATUS_LABELS = {
    "ok": "",
    "clarify": "需要确认",
    "not_found": "没有找到",
    "unsupported": "无法回答",
    "error": "出错",
}


def understood_line(understood: str) -> Content:
    """理解为：2024年 · 部门经济分类30215 会议费 · 合计"""
    return Content.assemble(("理解为：", "$text-muted"), (understood, "$text-muted"))


def choices_hint(n: int) -> str:
    """How to pick, under the choices (the input keeps the keyboard, so typing a new question just works).

    >>> choices_hint(2)
    '输入序号（1–2）回车或点击选择，也可以直接问新的问题'
    """
    numbers = "1" if n == 1 else f"1–{min(n, 9)}"
    return f"输入序号（{numbers}）回车或点击选择，也可以直接问新的问题"


class ExchangeView(Vertical):
    """A question and its answer; click to show its evidence."""

    class Clicked(Message):
        def __init__(self, exchange: ExchangeView) -> None:
            super().__init__()
            self.exchange = exchange

    def __init__(self, question: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.question = question
        self.answer: Answer | None = None
        self.add_class("-pending")

    def compose(self):
        yield Prose(Content.assemble(("问 ", "bold $text-muted"), (self.question, "bold")), classes="question")
        yield Prose(Content("正在查询…"), classes="body")

    def set_answer(self, answer: Answer) -> None:
        self.answer = answer
        self.remove_class("-pending")
        self.add_class(f"-{answer.status}")
        body = self.query_one(".body", Prose)
        parts: list = []
        label = STATUS_LABELS.get(answer.status, answer.status)
        fig = figure(answer)
        if answer.understood:  # the question as the engine understood it, so a misreading shows at once
            parts.append(Prose(understood_line(answer.understood), classes="understood"))
        if fig:
            parts.append(Static(Content(fig), classes="figure"))
        head, items, more, totals = split_sentence(answer)
        text = Content.assemble((f"{label} ", "bold $text-warning" if answer.status != "error" else "bold $text-error") if label else "",
                                head)
        body.update(text)
        if items:
            rows = [Horizontal(Static("•", classes="bullet"), Prose(Content(i), classes="item-text"), classes="item") for i in items]
            if more:
                rows.append(Horizontal(Static(" ", classes="bullet"),
                                       Prose(Content(f"……另有{more}项" + ("，见结果表" if answer.rows else "")), classes="item-text"),
                                       classes="item -more"))
            rows.extend(Horizontal(Static(" ", classes="bullet"), Prose(Content(t), classes="item-text"), classes="item -total")
                        for t in totals)
            parts.append(Vertical(*rows, classes="items"))
        if answer.candidates and answer.status != "ok":
            parts.append(ChoiceList(answer, classes="choices"))
            parts.append(Prose(Content(choices_hint(len(answer.candidates))), classes="choices-hint"))
        before = (1 if answer.understood else 0) + (1 if fig else 0)  # these go above the sentence
        if before:
            self.mount_all(parts[:before], before=body)
            parts = parts[before:]
        if parts:
            self.mount_all(parts)

    def set_cancelled(self) -> None:
        self.remove_class("-pending")
        self.add_class("-cancelled")
        self.query_one(".body", Prose).update(Content("（已被新的问题取代）"))

    @property
    def choices(self) -> ChoiceList | None:
        found = self.query(ChoiceList)
        return found.first() if found else None

    def on_click(self, event: events.Click) -> None:
        self.post_message(self.Clicked(self))
