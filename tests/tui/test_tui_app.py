"""The terminal UI driven with App.run_test() and Pilot: asking, follow-ups, choices, history, completion,
export, copy, sorting, examples, errors."""

from __future__ import annotations

import asyncio
import csv
import functools
import subprocess
import sys
from decimal import Decimal

from textual.widgets import Input

from budgetqa.tui.choices import ChoiceList
from budgetqa.tui.error_screen import ErrorScreen
from budgetqa.tui.examples import ExamplesPanel
from budgetqa.tui.exchange import ExchangeView


def in_loop(test):
    """Run an async test body in its own event loop (no pytest asyncio plugin needed)."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return run


async def settle(pilot) -> None:
    """Wait for the question (and examples) workers and the messages they post."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def ask(pilot, question: str) -> ExchangeView:
    app = pilot.app
    app.question_input.focus()
    app.question_input.value = question
    await pilot.press("enter")
    await settle(pilot)
    return app.conversation.exchanges[-1]


def text_of(view: ExchangeView) -> str:
    return "\n".join(str(s.render()) for s in view.query("Static"))


@in_loop
async def test_ask_shows_the_figure_and_its_evidence(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = await ask(pilot, "应急指挥中心相关项目共多少钱")
        assert view.answer.status == "ok"
        assert view.answer.value == Decimal("55.71")
        assert "55.71 万元" in text_of(view)
        assert "区应急指挥中心图像监控系统技术支持服务（80%首款） 38.88万元" in text_of(view).replace("\u00a0", " ")
        table = app.evidence.result_table
        assert table.row_count == 4
        assert [c.label.plain for c in table.columns.values()] == ["项目名称", "金额（万元）"]
        cell = table.get_cell_at((3, 1))
        assert cell.plain == "38.88" and cell.justify == "right"
        assert app.evidence.tabs.active == "tab-result"
        assert "project_part" in {link.kind for link in app.evidence.answer.links}
        assert app.query_one("#links-table").row_count == len(view.answer.links)


@in_loop
async def test_amounts_have_thousands_separators_and_breakdowns_get_a_chart(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = await ask(pilot, "按功能分类看支出")
        assert view.answer.family == "breakdown"
        assert "9,751.38787 万元" in text_of(view)
        assert app.evidence.tabs.active == "tab-chart"
        chart = app.query_one("#chart")
        assert len(chart.series) == len(view.answer.rows)
        assert chart.series[0][0] == "2240101 行政运行"
        assert "4,264.511274" in str(chart.render())
        table = app.evidence.result_table
        assert table.get_cell_at((0, 2)).plain == "4,264.511274"


@in_loop
async def test_follow_up_reuses_the_previous_question(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        first = await ask(pilot, "电费多少")
        assert first.answer.value == Decimal("18.01766")
        second = await ask(pilot, "水费呢")
        assert second.answer.status == "ok"
        assert second.answer.value == Decimal("3.12345")
        assert "3.12345 万元" in text_of(second)
        assert app.conversation.selected is second
        # ↑ in the conversation selects the earlier answer and shows its evidence
        app.conversation.focus()
        await pilot.press("up")
        await pilot.pause()
        assert app.conversation.selected is first
        assert app.evidence.answer is first.answer


@in_loop
async def test_after_a_clarification_typing_goes_on_in_the_input(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        box = app.question_input
        box.focus()
        await pilot.press(*"委托业务费多少", "enter")
        await settle(pilot)
        view = app.conversation.exchanges[-1]
        assert view.answer.status == "clarify" and len(view.answer.candidates) == 2
        assert view.choices is not None
        assert app.focused is box  # the keyboard stays in the input
        assert view.choices.highlighted is None  # nothing is lit up for a bare Enter to ask
        await pilot.press("enter")  # Enter in the empty input asks nothing (it used to ask choice 1)
        await settle(pilot)
        assert len(app.conversation.exchanges) == 1
        await pilot.press(*"总支出多少", "enter")
        await settle(pilot)
        assert [v.question for v in app.conversation.exchanges] == ["委托业务费多少", "总支出多少"]
        new = app.conversation.exchanges[-1]
        assert new.answer.status == "ok" and new.answer.value == Decimal("9751.38787")
        assert "9,751.38787 万元" in text_of(new)
        assert box.history[-2:] == ["委托业务费多少", "总支出多少"]


@in_loop
async def test_a_question_starting_with_a_digit_is_not_taken_for_a_choice(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.question_input.focus()
        await pilot.press(*"委托业务费多少", "enter")
        await settle(pilot)
        await pilot.press(*"2023年公务接待费是多少", "enter")
        await settle(pilot)
        new = app.conversation.exchanges[-1]
        assert new.question == "2023年公务接待费是多少"
        assert new.answer.status == "ok" and new.answer.value == Decimal("0.9025")


@in_loop
async def test_pick_a_clarification_with_its_number_key(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.question_input.focus()
        await pilot.press(*"委托业务费多少", "enter")
        await settle(pilot)
        view = app.conversation.exchanges[-1]
        await pilot.press("2")
        assert view.choices.highlighted == 1 and view.choices.has_class("-armed")  # Enter will ask this one
        await pilot.press("backspace")
        assert view.choices.highlighted is None and not view.choices.has_class("-armed")
        await pilot.press("2", "enter")
        await settle(pilot)
        chosen = app.conversation.exchanges[-1]
        assert chosen.question == "30227多少"  # 部门经济分类30227委托业务费, the second choice
        assert chosen.answer.status == "ok" and chosen.answer.value == Decimal("1861.44022")
        assert app.question_input.history[-1] == "30227多少"  # history keeps the question, not the digit
        assert app.focused is app.question_input


@in_loop
async def test_the_choice_list_still_takes_the_keyboard_when_focused(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = await ask(pilot, "应急单兵视频系统运维费的绩效指标")
        assert view.answer.status == "clarify"
        choices = view.query_one(ChoiceList)
        assert app.focused is app.question_input
        choices.focus()
        await pilot.pause()
        assert choices.highlighted == 0
        assert "应急单兵视频系统运维费（首款）" in view.answer.candidates
        await pilot.press("down", "enter")
        await settle(pilot)
        chosen = app.conversation.exchanges[-1]
        assert chosen.question == f"{view.answer.candidates[1]}的绩效指标"
        assert chosen.answer.status == "ok"
        assert chosen.answer.family == "indicator"
        assert any("满意率" in str(r) for r in chosen.answer.rows)
        assert app.focused is app.question_input  # back to the input once asked


@in_loop
async def test_pick_a_clarification_with_the_mouse(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = await ask(pilot, "应急单兵视频系统运维费的绩效指标")
        await pilot.click(view.query_one(ChoiceList), offset=(4, 0))
        await settle(pilot)
        chosen = app.conversation.exchanges[-1]
        assert chosen.question == f"{view.answer.candidates[0]}的绩效指标"
        assert chosen.answer.status == "ok"


@in_loop
async def test_a_digit_in_the_input_picks_a_choice(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = await ask(pilot, "应急单兵视频系统运维费的绩效指标")
        chosen = await ask(pilot, "2")
        assert chosen.question == f"{view.answer.candidates[1]}的绩效指标"
        assert chosen.answer.status == "ok"


@in_loop
async def test_not_found_suggestions_are_choices(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = await ask(pilot, "应急指挥中心无人机项目多少钱")
        assert view.answer.status == "not_found"
        assert view.choices is not None and view.choices.option_count == len(view.answer.candidates) > 0
        assert app.focused is app.question_input
        await pilot.press("1", "enter")
        await settle(pilot)
        chosen = app.conversation.exchanges[-1]
        assert chosen.question == view.answer.candidates[0]
        assert chosen.answer.status == "ok"


@in_loop
async def test_history_recall_with_up_and_down(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await ask(pilot, "总支出多少")
        await ask(pilot, "电费多少")
        box = app.question_input
        box.focus()
        await pilot.press(*"abc")
        await pilot.press("up")
        assert box.value == "电费多少"
        await pilot.press("up")
        assert box.value == "总支出多少"
        await pilot.press("up")
        assert box.value == "总支出多少"  # the oldest stays
        await pilot.press("down")
        assert box.value == "电费多少"
        await pilot.press("down")
        assert box.value == "abc"  # back to what was being typed


@in_loop
async def test_completion_of_names_as_you_type(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        box = app.question_input
        box.focus()
        await pilot.press(*"风险评")
        for _ in range(20):
            await pilot.pause(0.02)
            if box.suggestion:
                break
        assert box.suggestion == "风险评估经费"
        await pilot.press("tab")
        assert box.value == "风险评估经费"
        assert app.focused is box
        # a person's name completes inside a question too
        box.value = ""
        await pilot.press(*"问胡晓")
        for _ in range(20):
            await pilot.pause(0.02)
            if box.suggestion:
                break
        await pilot.press("tab")
        assert box.value == "问胡晓楠"
        await pilot.press("tab")  # nothing more to complete: Tab moves on
        assert app.focused is not box


@in_loop
async def test_export_asks_where_and_writes_the_answer(make_app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = await ask(pilot, "应急指挥中心相关项目共多少钱")
        await pilot.press("ctrl+s")  # a path is asked: a .md in the current directory by default
        await pilot.pause()
        box = app.screen.query_one("#export-path", Input)
        assert box.value.startswith(str(tmp_path / "budgetqa-result-")) and box.value.endswith(".md")
        await pilot.press("enter")
        await pilot.pause()
        path = app.last_export
        assert path is not None and path.parent == tmp_path and path.suffix == ".md"
        text = path.read_text(encoding="utf-8")
        assert view.answer.answer in text  # the sentence, what was understood, the rows, their sources, the SQL
        assert "理解为：2024年 · 名称含“应急指挥中心”的项目 · 合计" in text
        assert "| 区应急指挥中心显示大屏运维服务项目（20%尾款） | 1.6 |" in text
        assert "来源：预算04表 第" in text and "```sql" in text and "FROM projects" in text
        assert path.name in str(app.query_one("#status-message").render())
        # the table alone, as CSV, to a path typed over the default
        await pilot.press("ctrl+s")
        await pilot.pause()
        box = app.screen.query_one("#export-path", Input)
        box.value = str(tmp_path / "表.csv")
        await pilot.press("enter")
        await pilot.pause()
        with (tmp_path / "表.csv").open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        assert rows[0] == ["项目名称", "金额（万元）"]
        assert rows[1] == ["区应急指挥中心显示大屏运维服务项目（20%尾款）", "1.6"]
        assert sum(Decimal(r[1]) for r in rows[1:]) == Decimal("55.71")
        # Esc cancels: nothing more is written
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted([path.name, "表.csv"])


@in_loop
async def test_export_without_a_table_says_so(make_app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await ask(pilot, "帮我写一首诗")
        await pilot.press("ctrl+s")
        await pilot.pause()
        box = app.screen.query_one("#export-path", Input)
        box.value = str(tmp_path / "x.csv")
        await pilot.press("enter")
        await pilot.pause()
        assert app.last_export is None
        assert not list(tmp_path.iterdir())


@in_loop
async def test_sort_the_result_table_with_a_key(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await ask(pilot, "应急指挥中心相关项目共多少钱")
        table = app.evidence.result_table
        table.focus()
        await pilot.press("right", "s")
        assert [table.get_cell_at((i, 1)).plain for i in range(4)] == ["38.88", "12.8", "2.43", "1.6"]
        await pilot.press("s")
        assert [table.get_cell_at((i, 1)).plain for i in range(4)] == ["1.6", "2.43", "12.8", "38.88"]


@in_loop
async def test_copy_sql_goes_to_the_terminal_clipboard(make_app, monkeypatch):
    import base64

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = await ask(pilot, "总支出多少")
        written: list[str] = []
        monkeypatch.setattr(app._driver, "write", written.append)  # what reaches the terminal
        monkeypatch.setattr(app, "terminal_clipboard_available", lambda: True)  # as in a real terminal
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert app.clipboard == view.answer.sql and "SELECT" in app.clipboard
        osc52 = [w for w in written if w.startswith("\x1b]52;c;")]
        assert osc52 == [f"\x1b]52;c;{base64.b64encode(view.answer.sql.encode()).decode()}\a"]
        assert "SQL已发送到终端剪贴板（OSC 52）" in str(app.query_one("#status-message").render())


@in_loop
async def test_copy_sql_without_a_terminal_says_it_was_not_copied(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:  # headless: there is no terminal to send OSC 52 to
        await settle(pilot)
        await ask(pilot, "总支出多少")
        await pilot.press("ctrl+y")
        await pilot.pause()
        status = str(app.query_one("#status-message").render())
        assert "没有复制" in status and "已发送" not in status
        assert [n for n in app._notifications if "没有复制" in n.message and n.severity == "warning"]
        assert not [n for n in app._notifications if "已" in n.message and "剪贴板" in n.message]


@in_loop
async def test_new_conversation_forgets_the_previous_question(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await ask(pilot, "电费多少")
        assert app.context.last is not None
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.conversation.exchanges == []
        assert app.context.last is None and app.context.history == []
        assert app.evidence.answer is None


@in_loop
async def test_examples_panel_asks_what_is_clicked(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        panel = app.query_one(ExamplesPanel)
        assert panel.display
        leaves = [n for n in panel.root.children[0].children]
        assert leaves[0].data == "总支出多少"
        groups = [str(n.label) for n in panel.root.children]
        assert "项目" in groups and "人员" in groups
        people = next(n for n in panel.root.children if str(n.label) == "人员")
        assert any(name in str(leaf.label) for leaf in people.children for name in app.engine.vocab.people)
        await pilot.click(panel, offset=(6, 1 + leaves[0].line))
        await settle(pilot)
        view = app.conversation.exchanges[-1]
        assert view.question == "总支出多少" and view.answer.status == "ok"


@in_loop
async def test_examples_panel_toggles_in_a_small_terminal(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        panel = app.query_one(ExamplesPanel)
        assert not panel.display
        await pilot.press("f2")
        assert panel.display and app.focused is panel
        await pilot.press("enter")  # the first example
        await settle(pilot)
        assert app.conversation.exchanges[-1].answer.status == "ok"
        assert not panel.display  # it made room for the answer


@in_loop
async def test_an_engine_error_shows_the_modal(make_app, engine, monkeypatch):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)

        def broken(question, context=None):
            raise RuntimeError("数据库连接断开")

        monkeypatch.setattr(engine, "ask", broken)
        view = await ask(pilot, "总支出多少")
        assert view.answer.status == "error"
        assert isinstance(app.screen, ErrorScreen)
        assert "数据库连接断开" in str(app.screen.query_one("#error-message").render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ErrorScreen)
        assert app.focused is app.question_input


@in_loop
async def test_a_database_that_cannot_be_opened_shows_the_modal(tmp_path):
    from budgetqa.tui.app import BudgetQAApp

    app = BudgetQAApp(tmp_path / "missing.duckdb", show_timing=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert "数据库不存在" in str(app.screen.query_one("#error-message").render())
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_code == 0


@in_loop
async def test_status_line_shows_the_document_and_timing(make_app):
    app = make_app(show_timing=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "北京市朝阳区应急管理局 2024年" in str(app.query_one("#status-doc").render())
        await ask(pilot, "总支出多少")
        timing = str(app.query_one("#status-timing").render())
        assert "用时" in timing and "ms" in timing


def test_budgetqa_ask_does_not_import_textual(db_path):
    code = ("import sys\n"
            "from budgetqa.cli import cli\n"
            f"try:\n    cli(['ask', '--db', {str(db_path)!r}, '总支出多少'])\nexcept SystemExit:\n    pass\n"
            "assert not [m for m in sys.modules if m.split('.')[0] == 'textual'], 'textual imported'\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "9751.38787" in out.stdout


def shown_cells(table, column: int) -> list[str]:
    """The cells of a column as they appear on screen (a cell's value may be cut when it is drawn)."""
    import re

    lines = [table.render_line(y).text for y in range(1, 1 + table.row_count)]  # line 0 is the header
    return [re.split(r"\s{2,}", line.strip())[column] for line in lines]


def fits(table) -> bool:
    """Every column of the table is inside the pane: nothing hidden to the right."""
    return sum(c.get_render_width(table) for c in table.columns.values()) <= table.scrollable_content_region.width


@in_loop
async def test_at_120_columns_the_evidence_uses_the_room(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        panel = app.query_one(ExamplesPanel)
        assert panel.display  # before the first question the examples are offered
        view = await ask(pilot, "应急指挥中心相关项目共多少钱")
        await pilot.pause()
        assert not panel.display  # then they make room for the evidence
        assert app.evidence.size.width >= 70
        table = app.evidence.result_table
        assert fits(table)
        # the whole names, not four times the same cut text; every amount in full
        assert shown_cells(table, 0) == [r[0] for r in view.answer.rows]
        assert shown_cells(table, 1) == ["1.6", "12.8", "2.43", "38.88"]
        await pilot.press("f2")  # the examples come back on request
        await pilot.pause()
        assert panel.display and app.evidence.size.width >= 50


@in_loop
async def test_names_cut_to_fit_stay_apart_and_amounts_stay_whole(make_app):
    for size in ((80, 24), (100, 30), (120, 40)):
        app = make_app()
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            view = await ask(pilot, "姚遥负责哪些项目")
            await pilot.pause()
            table = app.evidence.result_table
            names = shown_cells(table, 0)
            assert fits(table), size
            assert len(set(names)) == len(view.answer.rows) == 4, (size, names)
            assert shown_cells(table, 1) == ["36.5", "36.5", "7.2", "241.28832"], size
            assert [n[-4:] for n in names[:2]] == ["（首款）", "（尾款）"], (size, names)
            for shown, full in zip(names, [r[0] for r in view.answer.rows], strict=True):
                head, cut, tail = shown.partition("…")
                assert shown == full or (cut and full.startswith(head) and full.endswith(tail)), (size, shown)
            if size[0] >= 120:
                assert names[2:] == [r[0] for r in view.answer.rows[2:]]  # the shorter two whole


@in_loop
async def test_ranking_chart_labels_stay_apart(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = await ask(pilot, "预算最多的五个项目")
        assert app.evidence.tabs.active == "tab-chart"
        lines = str(app.query_one("#chart").render()).splitlines()[1:]
        assert len(lines) == len(view.answer.rows) == 5
        assert "（首款）" in lines[1] and lines[1].rstrip().endswith("241.28832")
        assert lines[0].rstrip().endswith("2,525.6146")


@in_loop
async def test_history_is_kept_between_runs(make_app, data_dir):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await ask(pilot, "总支出多少")
        await ask(pilot, "委托业务费多少")
        await ask(pilot, "1")  # a choice by its number: the question it asks is what is kept
    path = data_dir / "question-history.txt"
    assert path.read_text(encoding="utf-8").splitlines() == ["总支出多少", "委托业务费多少", "50205多少"]

    again = make_app()  # the next run
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        box = again.question_input
        assert box.history == ["总支出多少", "委托业务费多少", "50205多少"]
        box.focus()
        await pilot.press("up")
        assert box.value == "50205多少"
        await pilot.press("up", "up")
        assert box.value == "总支出多少"
        await pilot.press("down", "down", "down")
        assert box.value == ""
        await ask(pilot, "电费多少")
    assert path.read_text(encoding="utf-8").splitlines()[-1] == "电费多少"


@in_loop
async def test_a_history_file_that_cannot_be_written_does_not_stop_the_app(make_app, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    monkeypatch.setenv("BUDGETQA_DATA", str(blocker / "data"))  # a file stands where the directory should be
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = await ask(pilot, "总支出多少")
        assert view.answer.status == "ok"
        assert app.question_input.history == ["总支出多少"]  # still kept for this run
        assert app.history.failed is not None


@in_loop
async def test_the_question_as_understood_is_shown_with_the_answer_and_its_links(make_app, engine, monkeypatch):
    from budgetqa.answer import Answer, Link

    understood = "2024年 · 部门经济分类30215 会议费 · 合计"
    by_hand = Answer("会议费多少", "ok", "会议费为3.2万元。", value=Decimal("3.2"), unit="万元",
                     columns=["科目", "金额（万元）"], rows=[["30215 会议费", Decimal("3.2")]],
                     links=[Link("会议费", "subject", "部门经济分类 30215 会议费", 100)], family="scalar",
                     understood=understood)
    real_ask = engine.ask
    monkeypatch.setattr(engine, "ask", lambda q, context=None: by_hand if q == "会议费多少" else real_ask(q, context))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = await ask(pilot, "会议费多少")
        lines = [str(s.render()) for s in view.query("Static")]
        assert lines[:3] == ["问 会议费多少", f"理解为：{understood}", "3.2 万元"]  # under the question, above the figure
        box = app.query_one("#links-understood")
        assert box.display and str(box.render()) == f"理解为：{understood}"
        app.evidence.tabs.active = "tab-links"
        await pilot.pause()
        assert box.region.height >= 1 and box.region.bottom <= app.query_one("#links-table").region.y
        assert app.query_one("#links-table").row_count == 1
        # the engine's own answer carries its own line, and the links tab shows that one
        other = await ask(pilot, "总支出多少")
        assert other.answer.understood == "2024年 · 支出总计 · 金额"
        assert [str(s.render()) for s in other.query("Static")][1] == "理解为：2024年 · 支出总计 · 金额"
        assert str(box.render()) == "理解为：2024年 · 支出总计 · 金额"
        # selecting the first answer again brings its line back to the links tab
        app.conversation.focus()
        await pilot.press("up")
        await pilot.pause()
        assert app.evidence.answer is by_hand and box.display
