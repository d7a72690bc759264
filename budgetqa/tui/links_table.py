"""The terms of the question the engine linked to the data, with their scores (100 = exact); sortable like the result table."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from budgetqa.answer import Answer
from budgetqa.tui.result_table import ResultTable

KINDS = {
    "project": "项目",
    "project_part": "项目（名称含）",
    "project_fuzzy": "项目（近似）",
    "keyword": "关键词",
    "subject": "科目",
    "person": "人员",
    "measure": "指标",
    "category": "类别",
    "cue": "提示词",
    "dim": "分类维度",
    "unit": "单位",
    "year": "年度",
    "payment": "款项",
}

COLUMNS = ["词语", "类型", "链接到", "得分"]


def score_style(score: float) -> str:
    return "bold green" if score >= 100 else "yellow" if score >= 80 else "red"


class LinksTable(ResultTable):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.cursor_type = "row"

    def show(self, answer: Answer | None) -> None:
        links = answer.links if answer is not None else []
        self.show_rows(COLUMNS if links else [], [[k.term, KINDS.get(k.kind, k.kind), k.target, float(k.score)] for k in links])

    def _cell(self, i: int, v: Any) -> Text:
        if i == 3 and isinstance(v, float):
            return Text(f"{v:.0f}", style=score_style(v), justify="right", no_wrap=True)
        return super()._cell(i, v)
