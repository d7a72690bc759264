"""How answers read in the conversation pane: lines broken the way Chinese is set, "……另有N项" counted in rows
with the total kept, units only where they belong."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from test_tui_app import ask, in_loop, settle, text_of  # pytest puts this folder on sys.path (no __init__.py)
from textual.geometry import Region

from budgetqa.tui.formatting import NO_LINE_END, NO_LINE_START, wrap_lines
from budgetqa.tui.prose import Prose

HAN = st.sampled_from("预算支出项目经费合计政府采购委托业务费部门经济分类应急管理局")
WORD = st.builds(lambda pre, han, num, post: pre + han + num + post,
                 st.sampled_from(["", "", "“", "（"]), st.text(HAN, min_size=1, max_size=4),
                 st.sampled_from(["", "", "30227", "18.01766万元", "2024年"]),
                 st.sampled_from(["", "", "，", "。", "；", "：", "”", "）", "、"]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])  # data_dir
@given(st.lists(WORD, min_size=1, max_size=40).map("".join), st.integers(10, 70))
def test_wrapped_lines_fit_and_never_start_with_closing_punctuation(text, width):
    lines = wrap_lines(text, width)
    assert "".join(lines) == text
    assert all(cell_len(line) <= width for line in lines)
    assert not [line for line in lines[1:] if line[0] in NO_LINE_START]
    assert not [line for line in lines[:-1] if line[-1] in NO_LINE_END]


def drawn_lines(app) -> list[str]:
    """The text of every line the conversation's wrapped widgets draw, as drawn."""
    out = []
    for w in app.conversation.query(Prose):
        if w.display and w.size.width:
            strips = w.render_lines(Region(0, 0, w.size.width, w.size.height))
            out.extend(s.text.strip() for s in strips if s.text.strip())
    return out


QUESTIONS = ["电费多少", "应急指挥中心相关项目共多少钱", "按功能分类看支出", "姚遥负责哪些项目", "专家顾问费的绩效指标",
             "风险评古经费多少元", "帮我写一首诗"]


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 40)])
@in_loop
async def test_no_drawn_line_starts_with_a_comma_or_full_stop(make_app, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        lines = drawn_lines(app)
        assert any("问一个关于这份预算的问题" in line for line in lines)  # the welcome is drawn and checked too
        for q in QUESTIONS:
            await ask(pilot, q)
        await pilot.pause()
        lines = drawn_lines(app)
        assert len(lines) > 40
        assert [line for line in lines if line[0] in "，。、；：）”"] == []
        assert any("18.01766" in line for line in lines)


@in_loop
async def test_more_items_are_counted_in_rows_and_the_total_is_kept(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = await ask(pilot, "按经济分类看支出")  # the sentence lists 15 of 31 subjects, then "……", then the total
        assert len(view.answer.rows) == 31 and "……" in view.answer.answer
        text = text_of(view)
        assert "……另有23项，见结果表" in text  # 31 rows, 8 listed
        assert "合计9751.38787万元" in text
        view = await ask(pilot, "按功能分类看支出")  # all 13 listed in the sentence, then the total
        text = text_of(view)
        assert len(view.answer.rows) == 13
        assert "……另有5项，见结果表" in text and "另有6项" not in text
        assert "合计9751.38787万元" in text
        await pilot.press("ctrl+n")  # a question of its own, not a follow-up of the breakdown
        view = await ask(pilot, "项目合计多少钱")
        assert f"……另有{len(view.answer.rows) - 8}项" in text_of(view) and len(view.answer.rows) == 64


@in_loop
async def test_units_read_naturally(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = await ask(pilot, "专家顾问费的绩效指标")
        assert any(r[4] == "良好" and r[5] == "个" for r in view.answer.rows)  # the data: a text value with a count unit
        text = text_of(view)
        assert "提供专家咨询服务 定性 良好" in text and "良好个" not in text
        assert "专家顾问 ≥ 1人" in text and "专家满意度 ≥ 90%" in text  # numbers keep their units
        view = await ask(pilot, "应急单兵视频系统运维费（首款）的绩效指标")
        text = text_of(view)
        assert "满足工作需要 定性 好" in text and "好%" not in text
        assert "单兵使用人员满意率 ≥ 95%" in text
        view = await ask(pilot, "隐患排查治理工作要覆盖多少个街乡")
        assert view.answer.value == 43
        assert view.query_one(".figure").render().plain == "43个"
