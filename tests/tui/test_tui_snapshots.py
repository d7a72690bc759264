"""SVG snapshots of the main screens at 80×24 and 120×40 (pytest-textual-snapshot).

The apps run with timings hidden, animations off and the input cursor not blinking, so each screen is the
same on every run. After a deliberate change of the interface: `pytest tests/tui --snapshot-update`, then
look at the SVGs before committing them.
"""

from __future__ import annotations

SMALL = (80, 24)
LARGE = (120, 40)


def steps(*questions: str, keys: tuple[str, ...] = ()):
    """A run_before that waits for the app to be ready, asks the questions in turn, then presses keys."""

    async def run(pilot) -> None:
        app = pilot.app
        app.question_input.cursor_blink = False
        await app.workers.wait_for_complete()
        await pilot.pause()
        for q in questions:
            app.question_input.focus()
            app.question_input.value = q
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
        if keys:
            await pilot.press(*keys)
            await app.workers.wait_for_complete()
            await pilot.pause()

    return run


def test_start_small(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SMALL, run_before=steps())


def test_start_large_with_examples(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=LARGE, run_before=steps())


def test_answer_with_table_small(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SMALL, run_before=steps("应急指挥中心相关项目共多少钱"))


def test_answer_with_table_large(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=LARGE, run_before=steps("电费多少", "水费呢", "应急指挥中心相关项目共多少钱"))


def test_breakdown_chart_large(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=LARGE, run_before=steps("按功能分类看支出"))


def test_clarify_choices_small(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SMALL, run_before=steps("应急单兵视频系统运维费的绩效指标"))


def test_sql_tab_small(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SMALL, run_before=steps("2023年公务接待费是多少", keys=("f3", "f3", "f3")))


def test_error_modal_small(snap_compare, make_app, engine, monkeypatch):
    def broken(question, context=None):
        raise RuntimeError("数据库连接断开")

    async def run(pilot) -> None:
        from budgetqa.tui.error_screen import ErrorScreen

        await steps()(pilot)
        monkeypatch.setattr(engine, "ask", broken)
        await steps("总支出多少")(pilot)
        timing = pilot.app.status_line.query_one("#status-timing")
        for _ in range(100):  # the modal and the status line's 出错 come from the worker's callback: wait for both
            if isinstance(pilot.app.screen, ErrorScreen) and "出错" in str(timing.render()):
                break
            await pilot.pause(0.02)
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=run)


def test_person_projects_small(snap_compare, make_app):
    """Evidence-heavy: four long project names that differ only at the end, with amounts."""
    assert snap_compare(make_app(), terminal_size=SMALL, run_before=steps("姚遥负责哪些项目"))


def test_person_projects_large(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=LARGE, run_before=steps("姚遥负责哪些项目"))


def test_ranking_chart_large(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=LARGE, run_before=steps("预算最多的五个项目"))


def test_ranking_chart_small(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SMALL, run_before=steps("预算最多的五个项目"))


def test_understood_small(snap_compare, make_app, engine, monkeypatch):
    """The question as the engine understood it (Answer.understood, set here by hand): under the question in the
    conversation, and above the linked terms in the links tab."""
    import dataclasses

    real_ask = engine.ask

    def ask(question, context=None):
        answer = real_ask(question, context)
        return dataclasses.replace(answer, understood="2024年 · 部门经济分类30215 会议费 · 合计") if question == "会议费多少" else answer

    monkeypatch.setattr(engine, "ask", ask)
    assert snap_compare(make_app(), terminal_size=SMALL, run_before=steps("会议费多少", keys=("f3", "f3")))
