"""Questions over the nine Shanghai budgets loaded together from their PDFs, written blind and derived by hand
from the PDFs (tests/fixtures/shanghai/questions*.yaml), judged by the strict judge turn by turn."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from budgetqa.regression import judge_case, read_cases

DIR = Path(__file__).resolve().parent / "fixtures" / "shanghai"
# the first blind set, then twenty-one more written blind (g: 87 cases, then h to z and aa after fixes), all from the PDFs by hand
CASES = [c for name in ("questions.yaml", "questions_g.yaml", "questions_h.yaml", "questions_i.yaml", "questions_j.yaml",
                         "questions_k.yaml", "questions_l.yaml", "questions_m.yaml",
                         "questions_n.yaml", "questions_o.yaml", "questions_p.yaml",
                         "questions_q.yaml", "questions_r.yaml", "questions_s.yaml",
                         "questions_t.yaml", "questions_u.yaml", "questions_v.yaml",
                         "questions_w.yaml", "questions_x.yaml", "questions_y.yaml",
                         "questions_z.yaml", "questions_aa.yaml", "questions_bb.yaml")
         for c in read_cases(DIR / name)]
KNOWN = {ln.split()[0] for ln in (DIR / "known_failures.txt").read_text(encoding="utf-8").splitlines()
         if ln.strip() and not ln.startswith("#")}
BUDGETS = sorted(p for p in DIR.glob("*.pdf") if "final-accounts" not in p.name)


@pytest.fixture(scope="module")
def nine(engine_for):
    from budgetqa.ingest.document import read_document

    return engine_for(*[read_document(p) for p in BUDGETS])


def test_the_set_is_the_blind_one():
    assert len(BUDGETS) == 9 and len(CASES) >= 200 and len({c['id'] for c in CASES}) == len(CASES)
    assert KNOWN <= {c["id"] for c in CASES}


@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"], marks=[pytest.mark.xfail(strict=True)] if c["id"] in KNOWN else [])
                                  for c in CASES])
def test_shanghai_question(nine, case):
    result = judge_case(nine, case)
    assert result.passed, result.why


def test_a_change_asked_with_tongbi_compares_the_loaded_years(nine):
    """同比 with both years of 万里街道 loaded: 2024's 项目支出 56,505,103 元 (p20) less 2023's 65,572,343 元 (p18)
    = -906.724 万元; never 2024's figure alone."""
    a = nine.ask("万里街道2024年项目支出同比增长多少")
    assert (a.status, a.value, a.unit) == ("ok", D("-906.724"), "万元"), a.answer
    # 公益性岗位补贴 4,212,300 元 against 6,351,000 元: -33.675% (as a percent, when one is asked)
    b = nine.ask("万里街道2024年公益性岗位补贴同比增长率是多少")
    assert (b.status, b.unit) == ("ok", "%") and b.value.quantize(D("0.01")) == D("-33.68"), b.answer


def test_a_change_with_one_year_loaded_is_never_this_years_figure(engine):
    a = engine.ask("项目支出同比增长多少")  # the bundled budget alone: no 2023 budget loaded
    assert (a.status, a.value) == ("not_found", None) and "2023年" in a.answer and "budgetqa load" in a.answer


def test_a_share_of_the_procurement_total_uses_the_stated_total(nine):
    """A 9-table budget has no 政府采购 table: 采购总额 is the total its text states. 万里街道 2024 p32: 工程 815.87万元
    of 1662.44万元 = 49.08%; after 工程和服务分别是多少, 它 is asked back (工程 or 服务), never the two added up."""
    a = nine.ask("万里街道2024年政府采购工程预算占采购总额的比例")
    assert a.status == "ok" and a.value.quantize(D("0.01")) == D("49.08"), a.answer
    from budgetqa.engine import Context

    ctx = Context()
    nine.ask("万里街道24年政府采购预算多少", ctx)
    nine.ask("工程和服务分别是多少", ctx)
    back = nine.ask("它占采购总额的比例是多少，保留两位小数", ctx)
    assert back.status == "clarify" and len(back.candidates) == 2, back.answer
    assert nine.ask("服务", ctx).value.quantize(D("0.01")) == D("45.27")  # 752.59 / 1662.44
