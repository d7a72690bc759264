"""The panel of what can be asked: example questions per family, drawn from the loaded data (real project
names, people, subjects). Click one, or select it with Enter, to ask it."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from textual.widgets import Tree

from budgetqa.tui.messages import QuestionSubmitted

FOLLOW_UP = "追问（接着上一问）"


def keywords(vocab: Any, n: int = 4, top: int = 2) -> list[str]:
    """The words most project names share (not part of the department's own name)."""
    counts: Counter[str] = Counter()
    for p in vocab.projects:
        counts.update({p.name[i:i + n] for i in range(len(p.name) - n + 1)})
    words = [w for w, c in counts.items() if c >= 3 and re.fullmatch(r"[\u4e00-\u9fff]+", w) and w not in vocab.dept_name]
    return sorted(words, key=lambda w: (-counts[w], w))[:top]


def unique_subjects(vocab: Any, scheme: str, prefix: str = "") -> list[str]:
    names = Counter(s.name for s in vocab.subjects)
    return [s.name for s in vocab.subjects if s.scheme == scheme and s.code.startswith(prefix) and s.level in ("款", "项")
            and names[s.name] == 1]


def example_questions(vocab: Any) -> list[tuple[str, list[str]]]:
    """Candidate examples per family, from the data. The app keeps those the engine answers."""
    econ = unique_subjects(vocab, "部门经济分类", "302")
    func = [s for s in unique_subjects(vocab, "功能分类") if not s.startswith("其他")]
    owners = Counter(p.owner for p in vocab.projects if p.owner)
    people = [p for p, _ in owners.most_common(2)]
    biggest = sorted(vocab.projects, key=lambda p: -p.amount)
    short = [p.name for p in biggest if len(p.name) <= 10][:1]
    with_owner = [p.name for p in vocab.projects if p.owner and len(p.name) <= 14][:4]
    years = list(vocab.sangong_years)
    groups = [
        ("总额", ["总支出多少", "政府采购多少", "三公经费是多少", "政府购买服务多少"]),
        ("科目", [f"{s}多少" for s in econ[:4]] + [f"{s}科目预算多少" for s in func[:2]]),
        ("项目", [f"{k}相关项目共多少钱" for k in keywords(vocab)] + ["金额最大的5个项目"] + [f"{n}多少钱" for n in short]),
        ("人员", [f"{p}负责哪些项目" for p in people] + [f"{p}的电话" for p in people[:1]]),
        ("分类与排名", ["按功能分类看支出", "按经济分类看支出", "哪个科目支出最多"]),
        ("三公经费", [f"{y}年公务接待费是多少" for y in years[:1]] + ["公务用车运行维护费是多少"]),
        ("绩效", [f"{n}的绩效指标" for n in with_owner]),
        (FOLLOW_UP, ([f"那{econ[1]}呢"] if len(econ) > 1 else []) + ["负责人是谁", "这些一共多少钱", "比去年呢"]),
    ]
    return [(g, qs) for g, qs in groups if qs]


class ExamplesPanel(Tree[str]):
    def __init__(self, **kwargs) -> None:
        super().__init__("可以这样问", **kwargs)
        self.show_root = False
        self.border_title = "可以这样问"
        self.guide_depth = 2

    def on_mount(self) -> None:
        self.root.add_leaf("（正在载入示例…）")

    def show(self, groups: list[tuple[str, list[str]]]) -> None:
        self.clear()
        first = None
        for group, questions in groups:
            node = self.root.add(group, expand=True)
            for q in questions:
                leaf = node.add_leaf(q, data=q)
                first = first or leaf
        self.root.expand()
        if first is not None:
            self.call_after_refresh(self.move_cursor, first)  # Enter asks the first example

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        event.stop()
        if event.node.data:
            self.post_message(QuestionSubmitted(event.node.data, "example"))
