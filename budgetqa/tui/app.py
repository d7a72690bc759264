"""The terminal UI: a conversation with the budget that shows its evidence.

Layout (app.tcss): examples panel | conversation + question input | evidence (result table, chart, links, SQL),
then the status line and the footer. Below 100 columns the evidence goes under the conversation; from 100 columns
conversation and evidence are side by side, from 120 the evidence takes three fifths. The examples panel is shown
from 120 columns until the first question, and from 160 always (F2 shows or hides it anywhere).

The app owns the engine and the conversation context; widgets send it messages (`messages.py`) and it answers
questions in a thread worker, so the interface never waits for the database.
"""

from __future__ import annotations

import dataclasses
import threading
import weakref
from datetime import datetime
from pathlib import Path

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Input
from textual.worker import get_current_worker

from budgetqa.answer import Answer
from budgetqa.tui.choices import ChoiceList
from budgetqa.tui.conversation import ConversationPane
from budgetqa.tui.error_screen import ErrorScreen
from budgetqa.tui.evidence import EvidencePane
from budgetqa.tui.examples import FOLLOW_UP, ExamplesPanel, example_questions
from budgetqa.tui.exchange import ExchangeView
from budgetqa.tui.export import NothingToExport, export_answer, export_path
from budgetqa.tui.export_screen import ExportScreen
from budgetqa.tui.formatting import choice_question, completion_terms
from budgetqa.tui.history import QuestionHistory, default_history_path
from budgetqa.tui.messages import AnswerSelected, CandidateChosen, QuestionSubmitted
from budgetqa.tui.question_input import QuestionInput
from budgetqa.tui.status_line import StatusLine

EXAMPLES_PER_GROUP = 3
CHECKED_EXAMPLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # engine -> the examples it answers
MAIN_SCREEN_ACTIONS = {"new_conversation", "export_csv", "copy_sql", "toggle_examples", "next_tab", "focus_input"}


class BudgetQAApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "budgetqa"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide"), (120, "-very-wide"), (160, "-huge")]
    BINDINGS = [
        Binding("ctrl+n", "new_conversation", "新对话"),
        Binding("ctrl+s", "export_csv", "导出"),
        Binding("ctrl+y", "copy_sql", "复制SQL"),
        Binding("f2", "toggle_examples", "示例", key_display="F2"),
        Binding("f3", "next_tab", "换页", key_display="F3"),
        Binding("escape", "focus_input", "输入框", key_display="Esc"),
        Binding("ctrl+q", "quit", "退出", priority=True),
    ]

    def __init__(self, db_path: str | Path | None = None, *, engine=None, show_timing: bool = True,
                 export_dir: str | Path | None = None, history_path: str | Path | None = None) -> None:
        super().__init__()
        self.db_path = Path(db_path) if db_path is not None else None
        self.engine = engine
        self.own_engine = engine is None
        self.context = None
        self.show_timing = show_timing
        self.export_dir = Path(export_dir) if export_dir is not None else None
        self.engine_lock = threading.Lock()  # one question at a time on the DuckDB connection
        self.last_export: Path | None = None
        # questions asked, kept between runs (default: question-history.txt in the user's data directory)
        self.history = QuestionHistory(history_path if history_path is not None else default_history_path())

    # ------------------------------------------------------------ layout

    def compose(self):
        with Horizontal(id="body"):
            yield ExamplesPanel(id="examples")
            with Vertical(id="chat"):
                yield ConversationPane(id="conversation")
                yield QuestionInput(id="question")
            yield EvidencePane(id="evidence")
        yield StatusLine(show_timing=self.show_timing, id="status")
        yield Footer(compact=True)

    @property
    def conversation(self) -> ConversationPane:
        return self.query_one(ConversationPane)

    @property
    def question_input(self) -> QuestionInput:
        return self.query_one(QuestionInput)

    @property
    def evidence(self) -> EvidencePane:
        return self.query_one(EvidencePane)

    @property
    def status_line(self) -> StatusLine:
        return self.query_one(StatusLine)

    def on_mount(self) -> None:
        self.conversation.border_title = "对话"
        self.question_input.use_history(self.history)
        self.question_input.focus()
        if self.engine is None:
            self.status_line.set_message("正在打开数据库…")
            self.open_engine()
        else:
            self.engine_ready(self.engine)

    # ------------------------------------------------------------ engine

    @work(thread=True, exclusive=True, group="engine")
    def open_engine(self) -> None:
        from budgetqa.engine import Engine

        try:
            engine = Engine(self.db_path)
        except Exception as e:  # the message reaches the user in the modal; the app then closes
            from budgetqa.store.db import DatabaseError

            message = str(e) if isinstance(e, (DatabaseError, LookupError)) else f"{type(e).__name__}: {e}"
            self.call_from_thread(self.fatal, "无法打开数据库", message)
            return
        self.call_from_thread(self.engine_ready, engine)

    def engine_ready(self, engine) -> None:
        from budgetqa.engine import Context

        self.engine = engine
        self.context = Context()
        self.status_line.set_documents(engine.vocab.documents)
        self.status_line.set_message("")
        self.question_input.set_terms(completion_terms(engine.vocab))
        self.load_examples()

    def fatal(self, title: str, message: str) -> None:
        self.push_screen(ErrorScreen(title, message), lambda _: self.exit())

    @work(thread=True, exclusive=True, group="examples")
    def load_examples(self) -> None:
        """Keep the examples the engine answers (each asked on its own, outside the conversation); once per engine."""
        panel = self.query_one(ExamplesPanel)
        if self.engine in CHECKED_EXAMPLES:
            self.call_from_thread(panel.show, CHECKED_EXAMPLES[self.engine])
            return
        kept = []
        for group, questions in example_questions(self.engine.vocab):
            if group == FOLLOW_UP:
                kept.append((group, questions))
                continue
            ok = []
            for q in questions:
                if len(ok) >= (1 if group == "绩效" else EXAMPLES_PER_GROUP):
                    break
                with self.engine_lock:
                    try:
                        answered = self.engine.ask(q).status == "ok"
                    except Exception:  # an example that fails is simply not offered
                        answered = False
                if answered:
                    ok.append(q)
            if ok:
                kept.append((group, ok))
        CHECKED_EXAMPLES[self.engine] = kept
        self.call_from_thread(panel.show, kept)

    # ------------------------------------------------------------ asking

    def on_question_submitted(self, message: QuestionSubmitted) -> None:
        message.stop()
        question = message.question.strip()
        number = self.choice_number(question)
        if number is not None:
            answer = self.pending_choices().answer
            question = choice_question(answer, answer.candidates[number - 1])
        self.question_input.remember(question)  # what was asked, not the digit that picked it
        if message.source == "example" and self.screen.has_class("-narrow") and self.query_one(ExamplesPanel).display:
            self.action_toggle_examples()  # make room for the answer
        self.ask(question)

    def on_candidate_chosen(self, message: CandidateChosen) -> None:
        message.stop()
        question = choice_question(message.answer, message.candidate)
        self.question_input.remember(question)
        self.ask(question)

    def pending_choices(self) -> ChoiceList | None:
        """The choices of the latest answer when it asked back or found nothing (what a number in the input picks)."""
        views = [v for v in self.conversation.exchanges if v.answer is not None]
        if not views or views[-1].answer.status == "ok":
            return None
        return views[-1].choices

    def choice_number(self, text: str) -> int | None:
        """The choice a lone number in the input picks (1 … the number of choices), or None."""
        choices = self.pending_choices()
        text = text.strip()
        if choices is None or not text.isdigit() or not 1 <= int(text) <= len(choices.answer.candidates):
            return None
        return int(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        """A number typed alone in the input lights up the choice that Enter will ask."""
        if event.input is not self.question_input:
            return
        choices = self.pending_choices()
        if choices is None:
            return
        number = self.choice_number(event.value)
        choices.set_class(number is not None, "-armed")
        if number is not None:
            choices.highlighted = number - 1
        elif not choices.has_focus:
            choices.highlighted = None

    def ask(self, question: str) -> None:
        if self.engine is None or self.context is None:
            self.notify("数据库还在打开，请稍等。", severity="warning")
            return
        view = self.conversation.add_question(question)
        self.screen.add_class("-conversing")  # from 120 to 160 columns the examples make room for the evidence
        self.status_line.set_message("正在查询…")
        self.question_input.focus()
        self.run_question(question, view)

    @work(thread=True, exclusive=True, group="question")
    def run_question(self, question: str, view: ExchangeView) -> None:
        worker = get_current_worker()
        with self.engine_lock:
            if worker.is_cancelled:
                self.call_from_thread(view.set_cancelled)
                return
            try:
                answer = self.engine.ask(question, self.context)
            except Exception as e:  # the engine answers its own errors; anything else still reaches the user
                answer = Answer(question, "error", f"内部错误，问题未能回答：{type(e).__name__}: {e}")
        self.call_from_thread(self.show_answer, view, answer)

    def show_answer(self, view: ExchangeView, answer: Answer) -> None:
        if not view.is_attached:  # the conversation was cleared while the question ran
            return
        view.set_answer(answer)
        self.status_line.set_message("")
        if view is self.conversation.selected or self.conversation.selected is None:
            self.conversation.select(view, top=True)
        if answer.status == "error":
            self.status_line.show_answer(answer)  # now, not via the selection message: the modal covers the screen next
            self.push_screen(ErrorScreen("问题没有答出来", answer.answer))
        # the keyboard stays where the user is typing: a choice is picked by its number (then Enter) or a click

    def on_answer_selected(self, message: AnswerSelected) -> None:
        message.stop()
        self.evidence.show(message.answer)
        self.status_line.show_answer(message.answer)

    # ------------------------------------------------------------ actions

    async def action_new_conversation(self) -> None:
        if self.context is not None:
            with self.engine_lock:  # not while a question is using the context
                self.context.reset()
        await self.conversation.clear()
        self.screen.remove_class("-conversing")
        self.question_input.value = ""
        self.question_input.focus()
        self.notify("已开始新的对话：接下来的问题不再沿用之前的问题。", title="新对话")

    def current_answer(self) -> Answer | None:
        return self.conversation.selected_answer

    def action_export_csv(self) -> None:
        """Ask where (a .md path by default, .csv for the table alone), then write."""
        answer = self.current_answer()
        if answer is None:
            self.notify("还没有回答可以导出。", severity="warning")
            return
        table = self.evidence.result_table
        if table.names and table.sorted_by is not None and answer is self.evidence.answer:
            answer = dataclasses.replace(answer, rows=table.sorted_rows())  # as shown: in the chosen order
        default = export_path(self.export_dir or Path.cwd(), datetime.now())
        self.push_screen(ExportScreen(str(default)), lambda chosen: self.export_to(answer, chosen))

    def export_to(self, answer: Answer, chosen: str | None) -> None:
        if not chosen:
            self.status_line.set_message("已取消导出")
            return
        path = Path(chosen).expanduser()
        try:
            export_answer(answer, path)
        except NothingToExport as e:
            self.notify(str(e), severity="warning")
            return
        except OSError as e:
            self.push_screen(ErrorScreen("导出失败", f"无法写入 {path}：{e.strerror or e}"))
            return
        self.last_export = path
        self.status_line.set_message(f"已导出 {path.name}")
        self.notify(f"已导出到 {path}", title="导出")

    def action_copy_sql(self) -> None:
        answer = self.current_answer()
        if answer is None or not answer.sql:
            self.notify("这个回答没有SQL。", severity="warning")
            return
        if self.send_to_clipboard(answer.sql):
            self.status_line.set_message("SQL已发送到终端剪贴板（OSC 52）")
            self.notify("SQL已通过终端（OSC 52）发送到剪贴板；个别终端不支持，可在SQL页查看。", title="复制SQL")
        else:
            self.status_line.set_message("SQL没有复制：没有可用的终端剪贴板")
            self.notify("这里没有终端可以接收剪贴板内容，SQL没有复制；可在SQL页（F3）查看。", title="复制SQL", severity="warning")

    def terminal_clipboard_available(self) -> bool:
        """Whether text sent with OSC 52 reaches a terminal (not when running headless, as in tests, or before start)."""
        return self._driver is not None and not self.is_headless

    def send_to_clipboard(self, text: str) -> bool:
        """Copy with Textual's App.copy_to_clipboard, which writes the OSC 52 sequence to the terminal (and keeps the
        text for pasting inside the app); True only when the sequence was sent to a terminal."""
        sent = self.terminal_clipboard_available()
        self.copy_to_clipboard(text)
        return sent

    def action_toggle_examples(self) -> None:
        panel = self.query_one(ExamplesPanel)
        showing = panel.display
        panel.screen.set_class(not showing, "-examples-on")
        panel.screen.set_class(showing, "-examples-off")
        if not showing:
            panel.focus()
        elif panel.has_focus:
            self.question_input.focus()

    def action_next_tab(self) -> None:
        self.evidence.next_tab()

    def action_focus_input(self) -> None:
        self.question_input.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if isinstance(self.screen, ErrorScreen) and action in MAIN_SCREEN_ACTIONS:
            return False  # the modal first
        if action == "focus_input" and self.focused is self.question_input:
            return False  # already there: keep the footer short
        return True

    def get_system_commands(self, screen):
        yield from super().get_system_commands(screen)
        yield SystemCommand("新对话", "清空对话，重新开始（Ctrl+N）", self.action_new_conversation)
        yield SystemCommand("导出", "把当前回答（句子、结果表、来源、SQL）导出到文件（Ctrl+S）", self.action_export_csv)
        yield SystemCommand("复制SQL", "复制当前回答的SQL（Ctrl+Y）", self.action_copy_sql)
        yield SystemCommand("示例", "显示或隐藏示例问题（F2）", self.action_toggle_examples)

    def on_unmount(self) -> None:
        if self.own_engine and self.engine is not None and self.engine_lock.acquire(timeout=5):
            self.engine.close()


def run_app(db_path: str | Path) -> None:
    BudgetQAApp(db_path).run()
