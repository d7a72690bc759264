"""Every regression question in sample_queries/ through the engine, judged like the acceptance scorer.

Cases listed in sample_queries/known_failures.txt are expected to fail (strict: a fix must remove them).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetqa.regression import judge_case, read_cases

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "sample_queries").glob("*.yaml"))
KNOWN = set()
_known = ROOT / "sample_queries" / "known_failures.txt"
if _known.exists():
    KNOWN = {ln.split()[0] for ln in _known.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")}

CASES = [(f.stem, c) for f in FILES for c in read_cases(f)]


@pytest.mark.parametrize("case", [pytest.param(c, id=str(c["id"]),
                                               marks=[pytest.mark.xfail(strict=True)] if str(c["id"]) in KNOWN else [])
                                  for _, c in CASES])
def test_sample_question(engine, case):
    result = judge_case(engine, case)
    assert result.passed, result.why


def test_there_are_sample_questions():
    assert len(CASES) >= 30
    assert len({c["id"] for _, c in CASES}) == len(CASES)
