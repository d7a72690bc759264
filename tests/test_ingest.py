"""The loader against the document's own numbers."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from budgetqa.ingest.document import DocumentError, read_document
from budgetqa.lexicon_files import bundled_document
from budgetqa.store.db import build, connect_read_only


def one(con, sql, *params):
    return con.execute(sql, list(params)).fetchone()[0]


def test_every_table_found(bundled):
    kinds = set(bundled.sections)
    assert {f"{i:02d}" for i in range(1, 13)} <= kinds
    assert {"project_list", "owners", "perf"} <= kinds
    assert bundled.doc_id == "105-2024" and bundled.dept_name == "北京市朝阳区应急管理局" and bundled.year == 2024


def test_reconciles_fully(bundled):
    assert [i.message for i in bundled.errors] == []


def test_totals(con):
    assert one(con, "SELECT SUM(total) FROM expenditure") == D("9751.387870")
    assert one(con, "SELECT SUM(basic) FROM expenditure") == D("5253.823050")
    assert one(con, "SELECT SUM(project) FROM expenditure") == D("4497.564820")
    assert one(con, "SELECT amount FROM income WHERE unit_code='105' AND source='合计'") == D("9751.387870")
    assert one(con, "SELECT SUM(personnel) FROM fiscal_expenditure") == D("4817.883895")
    assert one(con, "SELECT SUM(public) FROM fiscal_expenditure") == D("435.939155")
    assert one(con, "SELECT SUM(total) FROM basic_expenditure") == D("5253.823050")
    assert one(con, "SELECT SUM(amount) FROM procurement") == D("3062.192632")
    assert one(con, "SELECT SUM(amount) FROM purchased_services") == D("1533.485800")
    assert one(con, "SELECT COUNT(*) FROM fund_expenditure") == 0
    assert one(con, "SELECT COUNT(*) FROM source_tables WHERE table_no IN ('09','10')") == 2


def test_projects_68_lines_64_distinct(con):
    assert con.execute("SELECT COUNT(*), COUNT(DISTINCT name), SUM(amount) FROM projects").fetchone() == (
        68, 64, D("4497.564820"))


@pytest.mark.parametrize("name,amount,func", [
    ("公共事务协管经费", "2525.6146", "2240102"),
    ("安全生产大检查及督查专项-专项行动工作经费", "92", "2240199"),
    ("专家顾问费", "34.11", "2240109"),
    ("办公场所运行保障经费", "90.1", "2240101"),
    ("2024年朝阳区安全生产移动执法检查终端通讯项目（首款）", "241.28832", "2060599"),
    ("兼职巡查员培训（线下）", "0.8", "2240109"),
    ("应急管理进社区试点运维（尾款）", "2.5707", "2060599"),
])
def test_project_amounts_and_subjects(con, name, amount, func):
    total, f = con.execute("SELECT SUM(amount), MIN(func_code) FROM projects WHERE name = ?", [name]).fetchone()
    assert total == D(amount) and f == func


@pytest.mark.parametrize("name,owner,phone", [
    ("档案数字化服务", "胡晓楠", "65090157"),
    ("防汛工作培训", "冯春鹏", "65099956"),
    ("安全应急救援保障经费-应急救援经费", "陈辽", "65099013"),  # spelled 救灾 in the project table
    ("区应急指挥中心显示大屏运维服务项目（80%首款）", "张斌", "18519067000"),  # printed 187519067000
    ("推进安全生产标准化创建服务", "余慧云", "65090047"),  # name broken across pages
    ("朝阳区城市公共安全应急指挥调度系统运维项目（80%首款）", "张斌", "18519067000"),
])
def test_owners_and_phones(con, name, owner, phone):
    assert con.execute("SELECT DISTINCT owner, phone FROM projects WHERE name = ?", [name]).fetchall() == [(owner, phone)]


def test_projects_missing_from_owner_table_have_no_owner(con):
    assert one(con, "SELECT COUNT(DISTINCT name) FROM projects WHERE owner IS NULL") == 5
    assert one(con, "SELECT owner FROM projects WHERE name = '公共事务协管经费'") is None


def test_sangong_both_years(con):
    rows = dict(((y, i), a) for y, i, a in con.execute("SELECT year, item, amount FROM sangong").fetchall())
    assert rows[(2024, "三公经费")] == D("7.837375") and rows[(2023, "三公经费")] == D("7.962500")
    assert rows[(2023, "公务接待费")] == D("0.902500") and rows[(2024, "公务用车运行维护费")] == D("6.980000")


def test_subject_levels(con):
    names = dict(con.execute("SELECT code, name FROM subjects WHERE scheme='功能分类'").fetchall())
    assert names["224"] == "灾害防治及应急管理支出" and names["2240101"] == "行政运行"
    assert one(con, "SELECT SUM(total) FROM expenditure WHERE func_code LIKE '224%'") == D("8039.100874")


def test_indicators_linked_by_cost(con):
    rows = con.execute("SELECT i.level3, i.nature, i.value, i.unit, b.link_method FROM perf_indicators i JOIN perf_blocks b "
                       "USING (doc_id, block_no) WHERE b.project = '档案数字化服务'").fetchall()
    assert ("档案数字化页数", "≥", "500000", "张", "成本指标金额") in rows
    rows = con.execute("SELECT i.level3, i.value FROM perf_indicators i JOIN perf_blocks b USING (doc_id, block_no) "
                       "WHERE b.project = '防汛应急演练'").fetchall()
    assert ("开展防汛演练次数", "1") in rows
    # a block printed in 万元 although it means 元 (78912 万元 for a 7.8912万元 project) still links
    assert one(con, "SELECT link_method FROM perf_blocks WHERE project = '800兆电台维护费（首款）'") == "成本指标金额"


def test_last_goal_printed_alone_is_its_own_block(con):
    """The table's last goal stands alone on its line, its rows follow without a goal cell, and one of its
    rows is printed before it, at the end of the block above: all six rows are its own, linked by cost."""
    blocks = con.execute("SELECT project, link_method, cost_wan FROM perf_blocks ORDER BY block_no DESC LIMIT 2").fetchall()
    assert blocks[0] == ("应急无线单兵和应急平台移动终端通信费（全款）", "成本指标金额", D("5"))
    assert blocks[1][0].startswith("应急指挥通信能力建设")
    rows = con.execute("SELECT i.level2, i.level3, i.nature, i.value, i.unit FROM perf_indicators i JOIN perf_blocks b "
                       "USING (doc_id, block_no) WHERE b.project LIKE '应急无线单兵%' ORDER BY seq").fetchall()
    assert len(rows) == 6
    assert ("时效指标", "1年", "=", "1", "年") in rows and ("经济成本指标", "成本", "≤", "5", "万元") in rows
    assert rows[0][0] == "质量指标" and rows[0][1].startswith("保障区领导视频指挥")
    levels = con.execute("SELECT i.level2 FROM perf_indicators i JOIN perf_blocks b USING (doc_id, block_no) "
                         "WHERE b.project LIKE '应急指挥通信能力建设%'").fetchall()
    assert sorted(r[0] for r in levels).count("质量指标") == 1


def test_reload_replaces_not_duplicates(tmp_path, bundled):
    db = tmp_path / "x.duckdb"
    build(db, [bundled], fresh=True)
    build(db, [bundled])
    con = connect_read_only(db)
    assert con.execute("SELECT COUNT(*) FROM projects").fetchone()[0] == 68
    assert con.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 1


def test_failed_load_leaves_previous_database(tmp_path, bundled):
    db = tmp_path / "x.duckdb"
    build(db, [bundled], fresh=True)

    def docs():
        yield bundled
        raise DocumentError("boom")

    with pytest.raises(DocumentError):
        build(db, docs())
    con = connect_read_only(db)
    assert con.execute("SELECT SUM(amount) FROM projects").fetchone()[0] == D("4497.564820")
    assert not list(tmp_path.glob("*.loading*"))


TEXT = bundled_document().read_text(encoding="utf-8")


@pytest.mark.parametrize("name,data,message", [
    ("empty.txt", b"", "空"),
    ("binary.bin", bytes(range(256)) * 20, "二进制"),
    ("notes.txt", "会议纪要\n今天讨论了工作安排。\n".encode(), "不像是部门预算"),
    ("truncated.txt", TEXT[:2000].encode(), "缺少"),
    ("badnum.txt", TEXT.replace("613.993200\t613.993200", "61x.993200\t613.993200").encode(), "第"),
], ids=["empty", "binary", "not-a-budget", "truncated", "bad-number"])
def test_bad_input_messages(tmp_path, name, data, message):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(DocumentError) as e:
        read_document(p)
    assert message in str(e.value) and name in str(e.value)


def test_bad_number_names_line_and_table(tmp_path):
    p = tmp_path / "badnum.txt"
    p.write_text(TEXT.replace("613.993200\t613.993200", "61x.993200\t613.993200"), encoding="utf-8")
    with pytest.raises(DocumentError) as e:
        read_document(p)
    assert "预算03表" in str(e.value) and "第64行" in str(e.value)


def test_missing_file(tmp_path):
    with pytest.raises(DocumentError, match="不存在"):
        read_document(tmp_path / "nope.txt")


@pytest.mark.parametrize("encoding", ["gbk", "utf-16", "utf-8-sig"])
def test_other_encodings_decode(tmp_path, encoding):
    p = tmp_path / f"doc-{encoding}.txt"
    p.write_bytes(TEXT.replace("$\\geq$", "≥").replace("$\\leq$", "≤").encode(encoding, errors="replace"))
    doc = read_document(p)
    assert doc.doc_id == "105-2024"
    assert sum(r["amount"] for r in doc.parsed.tables["projects"]) == D("4497.564820")
