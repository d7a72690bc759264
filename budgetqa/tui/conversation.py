"""The conversation pane: questions and answers in turn; ↑↓ (or a click) selects the answer whose evidence is shown."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content

from budgetqa.answer import Answer
from budgetqa.tui.exchange import ExchangeView
from budgetqa.tui.messages import AnswerSelected
from budgetqa.tui.prose import Prose

WELCOME = ("问一个关于这份预算的问题，回车提问。例如：总支出多少；应急指挥中心相关项目共多少钱；"
           "接着问“那水费呢”“负责人是谁”会沿用上一个问题。左侧（F2）有可以直接点选的示例。")


class ConversationPane(VerticalScroll, can_focus=True):
    BINDINGS = [
        Binding("up", "select(-1)", "上一条", show=True, key_display="↑"),
        Binding("down", "select(1)", "下一条", show=True, key_display="↓"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.selected: ExchangeView | None = None

    def compose(self):
        yield Prose(Content(WELCOME), classes="welcome")

    @property
    def exchanges(self) -> list[ExchangeView]:
        return list(self.query(ExchangeView))

    @property
    def selected_answer(self) -> Answer | None:
        return self.selected.answer if self.selected is not None else None

    def add_question(self, question: str) -> ExchangeView:
        view = ExchangeView(question)
        for w in self.query(".welcome"):
            w.display = False
        self.mount(view)
        self.select(view)
        return view

    def select(self, view: ExchangeView | None, announce: bool = True, top: bool = False) -> None:
        """Select an exchange and bring it into view (`top`: its question at the top, as much of it as fits)."""
        if self.selected is not None:
            self.selected.remove_class("-selected")
        self.selected = view
        if view is not None:
            view.add_class("-selected")
            self.call_after_refresh(self.scroll_to_widget, view, animate=False, top=top)
        if announce:
            self.post_message(AnswerSelected(self.selected_answer))

    def action_select(self, step: int) -> None:
        views = [v for v in self.exchanges if v.answer is not None]
        if not views:
            return
        i = views.index(self.selected) if self.selected in views else len(views)
        i = min(max(0, i + step), len(views) - 1)
        self.select(views[i])

    def on_exchange_view_clicked(self, event: ExchangeView.Clicked) -> None:
        event.stop()
        if event.exchange is not self.selected:
            self.select(event.exchange)

    async def clear(self) -> None:
        self.selected = None
        await self.query(ExchangeView).remove()
        for w in self.query(".welcome"):
            w.display = True
        self.post_message(AnswerSelected(None))
