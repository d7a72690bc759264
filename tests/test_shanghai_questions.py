"""Questions over the nine Shanghai budgets loaded together from their PDFs, written blind and derived by hand
from the PDFs (tests/fixtures/shanghai/questions.yaml), judged by the strict judge turn by turn."""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetqa.regression import judge_case, read_cases

DIR = Path(__file__).resolve().parent / "fixtures" / "shanghai"
CASES = read_cases(DIR / "questions.yaml")
KNOWN = {ln.split()[0] for ln in (DIR / "known_failures.txt").read_text(encoding="utf-8").splitlines()
         if ln.strip() and not ln.startswith("#")}
BUDGETS = sorted(p for p in DIR.glob("*.pdf") if "final-accounts" not in p.name)


@pytest.fixture(scope="module")
def nine(engine_for):
    from budgetqa.ingest.document import read_document

    return engine_for(*[read_document(p) for p in BUDGETS])


def test_the_set_is_the_blind_one():
    assert len(BUDGETS) == 9 and len(CASES) >= 80
    assert KNOWN <= {c["id"] for c in CASES}


@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"], marks=[pytest.mark.xfail(strict=True)] if c["id"] in KNOWN else [])
                                  for c in CASES])
def test_shanghai_question(nine, case):
    result = judge_case(nine, case)
    assert result.passed, result.why
