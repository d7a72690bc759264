"""Three budgets loaded at once (朝阳区应急管理局 2024, 西城区民政局 2023, 海淀区民政局 2023): questions that name a
department, compare departments, add two departments' figures, or leave the department out and are asked back.
The questions and their expectations were written by hand from the three documents, without the engine."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from budgetqa.ingest.document import read_document
from budgetqa.regression import judge_case

DOCS = Path(__file__).resolve().parent / "fixtures" / "docs"
QUESTIONS = yaml.safe_load((DOCS / "multi-questions.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def three(engine_for, bundled):
    return engine_for(bundled, read_document(DOCS / "xicheng-minzheng-2023.txt"),
                      read_document(DOCS / "haidian-minzheng-2023.txt"))


@pytest.mark.parametrize("case", QUESTIONS, ids=[c["id"] for c in QUESTIONS])
def test_questions_across_three_budgets(three, case):
    result = judge_case(three, case)
    assert result.passed, result.why


def test_two_departments_figures_are_added_with_each_shown(three):
    a = three.ask("西城区民政局和海淀区民政局的项目支出一共多少")
    # 项目支出 of 预算03表's 合计 line: 海淀 2,359.680820 (haidian-minzheng-2023.txt l.100),
    # 西城 817.300000 (xicheng-minzheng-2023.txt l.48); together 3,176.980820
    assert a.status == "ok" and a.value == Decimal("3176.98082")
    assert {r[0]: r[1] for r in a.rows} == {"北京市海淀区民政局（2023年）": Decimal("2359.68082"),
                                             "北京市西城区民政局（2023年）": Decimal("817.3")}
    assert "西城区民政局" in a.answer and "海淀区民政局" in a.answer
