"""The status line: the loaded documents (department, year), what the app is doing, and how long the last answer took."""

from __future__ import annotations

from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from budgetqa.answer import Answer

FAMILIES = {
    "scalar": "数额",
    "project": "项目",
    "project_set": "项目集合",
    "project_attribute": "项目信息",
    "person": "人员",
    "indicator": "绩效指标",
    "subject_projects": "科目下的项目",
    "breakdown": "分项",
    "ratio": "比较",
    "sangong": "三公经费",
    "refusal": "无关问题",
    "not_found": "没有找到",
}

STATUSES = {"ok": "已回答", "clarify": "需要确认", "not_found": "没有找到", "unsupported": "无法回答", "error": "出错"}


def answer_label(answer: Answer) -> str:
    """What answered: the question family in words, or the status.

    >>> answer_label(Answer("q", "ok", "", family="project_set"))
    '项目集合'
    >>> answer_label(Answer("q", "clarify", ""))
    '需要确认'
    """
    if answer.status == "ok" and answer.family:
        return FAMILIES.get(answer.family, answer.family)
    return STATUSES.get(answer.status, answer.status)


def documents_label(documents: list[tuple[str, str, int]]) -> str:
    """'北京市朝阳区应急管理局 2024年' (and how many more documents are loaded).

    >>> documents_label([("105-2024", "北京市朝阳区应急管理局", 2024)])
    '北京市朝阳区应急管理局 2024年'
    >>> documents_label([("a", "甲", 2024), ("b", "乙", 2023)])
    '甲 2024年 等2份文件'
    """
    if not documents:
        return "没有加载文件"
    _, dept, year = documents[0]
    return f"{dept} {year}年" + (f" 等{len(documents)}份文件" if len(documents) > 1 else "")


class StatusLine(Horizontal):
    def __init__(self, show_timing: bool = True, **kwargs) -> None:
        super().__init__(**kwargs)
        self.show_timing = show_timing

    def compose(self):
        yield Static(Content("正在打开数据库…"), id="status-doc")
        yield Static(Content(""), id="status-message")
        yield Static(Content(""), id="status-timing")

    def set_documents(self, documents: list[tuple[str, str, int]]) -> None:
        self.query_one("#status-doc", Static).update(Content.assemble(("文件 ", "$text-muted"), documents_label(documents)))

    def set_message(self, text: str) -> None:
        self.query_one("#status-message", Static).update(Content(text))

    def show_answer(self, answer: Answer | None) -> None:
        timing = self.query_one("#status-timing", Static)
        if answer is None:
            timing.update(Content(""))
            return
        parts = [answer_label(answer)]
        if self.show_timing and answer.elapsed_ms is not None:
            parts.append(f"用时 {answer.elapsed_ms:.1f} ms")
        timing.update(Content(" · ".join(parts)))
