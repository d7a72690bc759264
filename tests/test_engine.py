"""The question engine on the bundled budget: figures, evidence, follow-ups, refusals, safety."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from budgetqa.engine import Context


@pytest.mark.parametrize("question,value", [
    ("应急指挥中心相关项目共多少钱", D("55.71")),
    ("总支出多少", D("9751.38787")),
    ("应急管理科目预算多少", D("251.1")),
    ("22401科目的支出", D("8039.100874")),  # 款 level: 2240101+2240102+2240108+2240109+2240199
    ("2023年公务接待费是多少", D("0.9025")),
    ("风险评估经费多少元", D("1670000")),
    ("应急救援科目里的项目支出是多少", D("29.1774")),
])
def test_figures(engine, question, value):
    a = engine.ask(question)
    assert a.status == "ok", a.answer
    assert a.value == value
    assert a.sql and a.sql.startswith("SELECT")


def test_a_typo_is_asked_back_then_answered_when_confirmed(engine):
    """风险评古经费: a near match (not written out as the name is) gives no figure until the name is confirmed."""
    from budgetqa.engine import Context

    ctx = Context()
    a = engine.ask("风险评古经费多少", ctx)
    assert (a.status, a.value) == ("clarify", None) and "风险评估经费" in a.answer, a.answer
    b = engine.ask("是的", ctx)
    assert (b.status, b.value) == ("ok", D("167")), b.answer


def test_keyword_answer_names_the_project_lines(engine):
    a = engine.ask("应急指挥中心相关项目共多少钱")
    names = [r[0] for r in a.rows]
    assert len(names) == 4 and all("应急指挥中心" in n for n in names)
    assert "55.71万元" in a.answer
    assert any(link.kind == "project_part" and link.term == "应急指挥中心" for link in a.links)


def test_share(engine):
    a = engine.ask("灾害防治及应急管理支出占总支出的比重")
    assert a.status == "ok" and "82.44%" in a.answer


def test_follow_ups(engine):
    ctx = Context()
    engine.ask("应急指挥相关项目一共多少钱", ctx)
    assert engine.ask("其中尾款多少", ctx).value == D("6.212")
    ctx = Context()
    engine.ask("电费多少", ctx)
    assert engine.ask("水费呢", ctx).value == D("3.12345")
    ctx = Context()
    engine.ask("防汛工作培训多少钱", ctx)
    assert "冯春鹏" in engine.ask("负责人是谁", ctx).answer


@pytest.mark.parametrize("question", [
    "帮我写一首诗", "北京市财政局的总预算是多少", "量子计算研究项目预算", "", "   ", "！！！",
    "x" * 100_000, "'; DROP TABLE projects; --", "\x00\x01\x02", "SELECT * FROM read_csv('/etc/passwd')",
])
def test_refusals_and_hostile_input(engine, question):
    a = engine.ask(question)
    assert a.status in ("unsupported", "not_found", "clarify")
    assert a.answer


HOSTILE = "风险评估经费' OR 1=1 --"


class Recording:
    """A connection that keeps every (statement, parameters) pair the engine sends to DuckDB."""

    def __init__(self, con):
        self.con, self.sent = con, []

    def execute(self, sql, params=None):
        self.sent.append((sql, params))
        return self.con.execute(sql) if params is None else self.con.execute(sql, params)

    def __getattr__(self, name):
        return getattr(self.con, name)


def test_injection_through_a_name_slot_stays_data(engine, monkeypatch):
    from budgetqa.sqlbuild import inline

    recording = Recording(engine.con)
    monkeypatch.setattr(engine, "con", recording)
    a = engine.ask(HOSTILE + " 多少钱")
    # the project is found (风险评估经费, chaoyang-yingji-2024.txt l.197) but the question's "OR" is a word nothing
    # explains: no figure is given, and the word is named back
    assert (a.status, a.value) == ("unsupported", None) and "“or”" in a.answer, a.answer
    for sql, _ in recording.sent:  # no statement's shape holds text of the user's: neither the name nor the fragment
        for fragment in ("风险评估经费", "1=1", "--", " OR "):
            assert fragment not in sql, sql
    sent = [(sql, params) for sql, params in recording.sent if isinstance(params, dict)]  # the answer's, built from nodes
    assert sent, "the answer's statements were not sent with parameters"
    assert any("风险评估经费" in str(params) for _, params in sent)  # the name arrives only as a parameter
    # what the user is shown is exactly the sent statements with their values written in
    assert a.sql == ";\n".join(inline(sql, params) for sql, params in sent)
    # answered without the fragment, the same name gives the figure and its source line, looked up when read
    b = engine.ask("风险评估经费多少钱")
    assert (b.status, b.value, b.sources) == ("ok", D("167"), ["预算04表 第197行"])


def test_a_hostile_value_is_one_quoted_literal(con):
    """The fragment itself, put in a name slot, stays one parameter; shown, it is one properly quoted literal."""
    import sqlglot
    from sqlglot import exp

    from budgetqa.sqlbuild import Cond, Query

    q = Query("projects", "amount", "sum", [Cond("name", "eq", HOSTILE)], doc_id="105-2024")
    sql, params = q.statement()
    assert sql == "SELECT SUM(amount) AS value FROM projects WHERE doc_id = $p0 AND name = $p1"
    assert params == {"p0": "105-2024", "p1": HOSTILE}
    assert con.execute(sql, params).fetchone()[0] is None  # no project has that name: not every row's sum
    shown = q.sql()
    assert shown.endswith("name = '风险评估经费'' OR 1=1 --'")
    literals = [s.this for s in sqlglot.parse_one(shown, read="duckdb").find_all(exp.Literal) if s.is_string]
    assert literals == ["105-2024", HOSTILE]


def test_loaded_data_survives_bad_questions(engine):
    for q in ["x" * 5000, "DROP TABLE projects", "\x1b[31m红色"]:
        engine.ask(q)
    assert engine.ask("项目支出多少").value == D("4497.56482")


def test_breakdown_by_function_class(engine):
    a = engine.ask("按功能分类的类级汇总支出")
    assert a.status == "ok" and a.value == D("9751.38787")
    assert [r[0] for r in a.rows][:2] == ["224", "206"]
    assert a.rows[0][2] == D("8039.100874")


def test_breakdown_of_services_by_second_level(engine):
    a = engine.ask("政府购买服务按二级目录分别多少")
    rows = {r[0]: r[1] for r in a.rows}
    assert rows["后勤服务"] == D("132.54498") and a.value == D("1533.4858")


def test_ambiguous_subject_asks_back(engine):
    a = engine.ask("委托业务费多少")
    assert a.status == "clarify" and len(a.candidates) == 2
    assert any("50205" in c for c in a.candidates) and any("30227" in c for c in a.candidates)


def test_count_beats_weak_sum(engine):
    a = engine.ask("一共有多少个项目")
    assert a.status == "ok" and a.value == 64 and a.unit == "个"


def test_share_follow_up_uses_previous_quantity(engine):
    ctx = Context()
    engine.ask("基本支出多少", ctx)
    a = engine.ask("占总支出的比例呢", ctx)
    assert "53.88%" in a.answer


def test_own_department_is_not_a_project(engine):
    assert engine.ask("应急局的人员经费").value == D("4817.883895")
    assert engine.ask("朝阳区应急管理局总支出").value == D("9751.38787")


@pytest.fixture(scope="module")
def many(tmp_path_factory, bundled):
    import importlib.util

    from budgetqa.engine import Engine
    from budgetqa.ingest.document import read_document
    from budgetqa.lexicon_files import bundled_document
    from budgetqa.store.db import build

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("synth", root / "benchmarks" / "synth.py")
    synth = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synth)
    d = tmp_path_factory.mktemp("many")
    docs = [bundled] + [read_document(f) for f in synth.write(5, d, bundled_document())]
    build(d / "many.duckdb", docs, fresh=True)
    e = Engine(d / "many.duckdb")
    yield e, docs
    e.close()


def test_department_named_picks_its_document(many):
    engine, docs = many
    assert engine.ask("朝阳区应急管理局的项目支出多少").value == D("4497.56482")
    # docs[1] is benchmarks/synth.py's variant 0 (seed 0): 北京市东城区应急管理局 2016, every amount times 2, so its
    # 项目支出 is 2 × 4,497.564820 (chaoyang-yingji-2024.txt l.98, l.255) = 8,995.129640
    assert (docs[1].dept_name, docs[1].year) == ("北京市东城区应急管理局", 2016)
    a = engine.ask("北京市东城区应急管理局2016年的项目支出")
    assert a.status == "ok" and a.value == D("8995.12964")


def test_no_department_named_asks_which(many):
    engine, _ = many
    a = engine.ask("项目支出多少")
    assert a.status == "clarify" and "北京市朝阳区应急管理局" in a.candidates


def test_across_departments(many):
    engine, docs = many
    a = engine.ask("各部门三公经费排名")
    assert a.status == "ok" and len(a.rows) == len(docs)
    values = [r[2] for r in a.rows]
    assert values == sorted(values, reverse=True)
    assert ["北京市朝阳区应急管理局", 2024, D("7.837375")] in [list(r) for r in a.rows]


def test_misspelt_person_is_asked_back(engine):
    a = engine.ask("姚瑶负责哪些项目")
    assert a.status == "clarify" and a.candidates == ["姚遥负责哪些项目"]


def test_suggestions_come_from_the_data(engine):
    a = engine.ask("帮我写一首诗")
    assert a.status == "unsupported"
    assert any(c.endswith("负责哪些项目") and c[:-6] in engine.vocab.people for c in a.candidates)


@pytest.mark.parametrize("question", ["去年总支出多少", "2023年项目支出", "2025年的预算"])
def test_years_the_budget_does_not_have(engine, question):
    assert engine.ask(question).status in ("not_found", "unsupported")


def test_two_subjects_added(engine):
    a = engine.ask("培训费和会议费一共多少")
    assert a.status == "ok" and a.value == D("51.76") and "合计" in a.answer


def test_longer_project_piece_beats_a_subject_inside_it(engine):
    assert engine.ask("应急救援经费多少").value == D("60")
    assert engine.ask("应急救援科目里的项目支出是多少").value == D("29.1774")


def test_unresolvable_share_is_not_answered_with_something_else(engine):
    a = engine.ask("项目支出里最大的项目占项目支出的比例")
    assert (a.status, a.value) == ("unsupported", None)
    assert a.answer.startswith("没能确定要比较的两个数")


def test_a_code_or_scheme_settles_an_ambiguous_subject(engine):
    a = engine.ask("委托业务费多少")
    # each candidate is understood, with its own figure from 预算03表 (chaoyang-yingji-2024.txt): 政府经济分类50205 is
    # l.56 675.17022 + l.82 63 + l.88 26.1774 + l.92 12.91 (30226 劳务费) + l.93 197.19 + l.96 899.9026 = 1874.35022;
    # 部门经济分类30227 is the same lines without l.92: 1861.44022
    assert {c: engine.ask(c).value for c in a.candidates} == {
        "政府经济分类50205委托业务费": D("1874.35022"), "部门经济分类30227委托业务费": D("1861.44022")}
    assert engine.ask("部门经济分类的委托业务费").value == D("1861.44022")


def test_scalar_answers_name_their_columns(engine):
    a = engine.ask("电费多少")
    assert a.columns and len(a.columns) == len(a.rows[0])


def test_breakdown_after_a_question_is_a_new_question(engine):
    ctx = Context()
    engine.ask("电费多少", ctx)
    assert engine.ask("按功能分类看支出", ctx).family == "breakdown"


def test_a_code_the_budget_lacks_is_said_so(engine):
    a = engine.ask("2240106是什么支出，多少钱")
    assert a.status == "not_found" and "2240106" in a.answer and a.value is None


def test_why_is_not_answered_with_a_figure(engine):
    a = engine.ask("为什么宣传教育项目预算这么多")
    assert a.status == "unsupported" and a.value is None and "原因" in a.answer


def test_a_count_asked_of_one_project_is_never_its_amount(engine):
    a = engine.ask("执法记录仪网络服务费续费项目涉及多少个记录仪")  # its amount is 12.6万元
    assert (a.status, a.value) == ("ok", 105) and "万元" not in a.unit
    a = engine.ask("兼职巡查员培训（线下）要培训多少人")  # a percentage indicator shares more words
    assert (a.status, a.value, a.unit) == ("ok", 1300, "人")
    a = engine.ask("隐患排查治理工作要覆盖多少个街乡")
    assert (a.status, a.value, a.unit) == ("ok", 43, "个")


def test_values_reach_duckdb_as_parameters(engine):
    a = engine.ask("风险评估经费多少钱")
    assert "'风险评估经费'" in a.sql  # shown with the value written in
    from budgetqa.families.base import Env

    env = Env(engine.vocab, engine.con)
    from budgetqa.sqlbuild import Cond, Query

    q = Query("projects", "amount", "sum", [Cond("name", "eq", "风险评估经费")])
    sql, params = q.statement()
    assert "风险评估经费" not in sql and params["p1"] == "风险评估经费"
    assert env.scalar(q) == 167


def test_measures_added_and_top_n_summed(engine):
    a = engine.ask("人员经费加公用经费等于多少")
    assert a.status == "ok" and a.value == D("5253.82305")
    a = engine.ask("最贵的三个项目加起来多少")
    assert a.status == "ok" and a.value == D("2525.6146") + D("241.28832") + D("185.0026") and len(a.rows) == 3


def test_outturn_is_not_in_a_budget(engine):
    a = engine.ask("2024年决算数是多少")
    assert a.status == "unsupported" and a.value is None and "决算" in a.answer


def test_the_last_two_figures_added(engine):
    ctx = Context()
    engine.ask("取暖费多少元", ctx)
    engine.ask("物业管理费呢", ctx)
    a = engine.ask("两项合计多少", ctx)
    assert (a.status, a.value, a.unit) == ("ok", D("567135.3"), "元") and len(a.rows) == 2


def test_an_amount_in_the_question_is_not_the_unit_asked(engine):
    a = engine.ask("朝阳应急局2024年一共预算多少钱？是不是快一个亿了")
    assert (a.status, a.value, a.unit) == ("ok", D("9751.38787"), "万元")


def test_ascending_order_is_kept(engine):
    a = engine.ask("项目按金额从小到大排列")
    values = [r[1] for r in a.rows]
    assert a.status == "ok" and values == sorted(values) and len(values) == 64
    a = engine.ask("各功能分类支出从小到大排序")
    values = [r[-1] for r in a.rows]
    assert a.status == "ok" and values == sorted(values)


def test_the_largest_project_is_not_the_project_total(engine):
    a = engine.ask("项目支出里最大的一笔是什么")
    assert a.status == "ok" and a.value == D("2525.6146") and "公共事务协管经费" in a.answer


def test_each_payment_on_its_own(engine):
    a = engine.ask("首款和尾款各多少")
    assert a.status == "ok" and {r[0]: r[1] for r in a.rows} == {"首款": D("513.65552"), "尾款": D("108.6147")}


def test_a_part_is_asked_never_the_total(engine):
    a = engine.ask("基本支出中最大的一项是什么")
    assert a.status == "ok" and a.value == D("1548.804") and "津贴补贴" in a.answer
    a = engine.ask("2023年的三公经费比2024年多多少")
    assert a.status == "ok" and a.value == D("0.125125")


def test_a_projects_funding_source(engine):
    a = engine.ask("风险评估经费的资金来源")
    assert a.status == "ok" and "一般公共预算 167万元" in a.answer and a.value is None


def test_a_share_is_of_its_own_whole(engine):
    a = engine.ask("服务类采购占比")
    assert a.status == "ok" and a.value == D("99.5591") and "政府采购" in a.answer
    a = engine.ask("公务接待费占比多少")
    assert a.status == "ok" and "三公" in a.answer


def test_basic_and_project_each(engine):
    a = engine.ask("培训费的项目支出和基本支出分别是多少")
    assert a.status == "ok" and [r[1] for r in a.rows] == [D("9.48"), D("34")]


def test_projects_under_a_subject_without_a_list_word(engine):
    a = engine.ask("一般行政管理事务下的项目")
    assert a.status == "ok" and "公共事务协管经费" in a.answer and [r[0] for r in a.rows] == ["公共事务协管经费"]


def test_which_categories(engine):
    a = engine.ask("政府采购有哪几类")
    assert a.status == "ok" and len(a.rows) >= 2 and "货物" in a.answer


def test_a_part_named_inside_its_whole(engine):
    a = engine.ask("培训费中项目支出占多少")  # 34 of 43.48
    assert a.status == "ok" and a.value == D("78.1969")
    a = engine.ask("福利费占公用经费的比重")  # 66.708 of 435.939155, not 福利费 of itself
    assert a.status == "ok" and a.value == D("15.3021")


def test_two_people_side_by_side(engine):
    a = engine.ask("姚遥和陈辽谁负责的项目金额多")
    assert a.status == "ok" and a.rows[0] == ["姚遥", D("321.48832")] and "姚遥最多" in a.answer


def test_each_economic_class_is_no_across_departments_question(engine):
    a = engine.ask("各部门经济分类的基本支出")
    assert a.status == "ok" and "30102" in a.answer and "部门，由多到少" not in a.answer


def test_a_projects_place_and_its_subject_part(engine):
    a = engine.ask("风险评估经费是不是最贵的项目")  # 4th after 公共事务协管经费, 移动执法检查终端通讯项目, 标准化创建服务
    assert a.status == "ok" and a.answer.startswith("不是") and "第4" in a.answer
    a = engine.ask("办公场所运行保障经费的委托业务费部分")  # 43 of its 43 + 47.1
    assert a.status == "ok" and a.value == D("43")


def test_which_is_larger_is_never_their_sum(engine):
    a = engine.ask("会议费和培训费哪个多")  # 30215 会议费 8.28 (预算03表 l.81 3.28 + l.95 5), 30216 培训费 43.48
    assert (a.status, a.value) == ("ok", D("43.48")) and a.answer.endswith("“培训费”（部门经济分类30216）较多。")
    a = engine.ask("人员经费和公用经费哪个多")  # 预算08表 l.392: 人员经费 4817.883895, 公用经费 435.939155
    assert (a.status, a.value) == ("ok", D("4817.883895")) and "合计" not in a.answer
