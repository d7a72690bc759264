"""The PDF reader on the real Shanghai budgets (tests/fixtures/shanghai, as published).

Every expected figure below was read off the PDF pages by hand (the printed table, in 元 unless the table says
万元) and typed in; none is taken from the reader's output. Amounts are compared in the schema's 万元 as
exact decimals: 31,214,205.80 元 is 3121.420580 万元.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetqa.cli import cli
from budgetqa.ingest.document import DocumentError, read_document
from budgetqa.store.db import build, connect_read_only

DIR = Path(__file__).resolve().parent / "fixtures" / "shanghai"
FINAL = DIR / "putuo-party-social-work-2024-final-accounts.pdf"


def wan(yuan: str) -> D:
    """A figure printed in 元 ('31,214,205.80') in 万元."""
    return D(yuan.replace(",", "")) / 10000


# file -> (name printed as 编制部门/编制单位, year, kind, 收入总计 = 支出总计 as printed on the 财务收支预算总表, in 元)
BUDGETS = {
    "putuo-finance-2025-dept.pdf": ("上海市普陀区财政局", 2025, "部门预算", "31,214,205.80"),
    "putuo-gov-office-2025-dept.pdf": ("上海市普陀区人民政府办公室", 2025, "部门预算", "91,016,775.35"),
    "putuo-gov-office-2025-unit.pdf": ("上海市普陀区人民政府办公室", 2025, "单位预算", "91,016,775.35"),
    "putuo-justice-2026-dept.pdf": ("上海市普陀区司法局", 2026, "部门预算", "96,282,213.44"),
    "putuo-justice-2026-unit.pdf": ("上海市普陀区司法局", 2026, "单位预算", "86,959,408.34"),
    "putuo-wanli-street-2023-dept.pdf": ("上海市普陀区人民政府万里街道办事处", 2023, "部门预算", "164,978,640"),
    "putuo-wanli-street-2024-dept.pdf": ("上海市普陀区人民政府万里街道办事处", 2024, "部门预算", "156,211,123"),
    "putuo-welfare-home-2024-unit.pdf": ("上海市普陀区社会福利院", 2024, "单位预算", "12,121,164"),
    "shanghai-finance-bureau-2025-unit.pdf": ("上海市财政局", 2025, "单位预算", "171,915,169"),
}

# “三公”经费和机关运行经费预算表 (万元): 合计, 因公出国(境)费, 公务接待费, 公务用车购置及运行费 小计, 购置费, 运行费, 机关运行经费
SANGONG = {
    "putuo-finance-2025-dept.pdf": ("0.95", "0", "0.95", "0", "0", "0", "229.43"),
    "putuo-gov-office-2025-dept.pdf": ("867.50", "839.00", "28.50", "0", "0", "0", "213.28"),
    "putuo-justice-2026-dept.pdf": ("10.81", "0", "0.83", "9.98", "0", "9.98", "217.83"),
    "putuo-justice-2026-unit.pdf": ("10.71", "0", "0.73", "9.98", "0", "9.98", "184.59"),
    "putuo-wanli-street-2023-dept.pdf": ("22.91", "0", "1.35", "21.56", "0", "21.56", "786.09"),
    "putuo-wanli-street-2024-dept.pdf": ("47.91", "0", "1.35", "46.56", "25", "21.56", "443.18"),
    "putuo-welfare-home-2024-unit.pdf": ("6.4", "0", "0", "6.4", "0", "6.4", "0"),
    "shanghai-finance-bureau-2025-unit.pdf": ("346.30", "288.70", "25.40", "32.20", "0", "32.20", "2517.78"),
}
SANGONG_ITEMS = ("三公经费", "因公出国（境）费用", "公务接待费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费")

# 支出预算总表 rows (元): file, 功能分类 code, name, 合计, 基本支出, 项目支出 (— printed empty: 0)
SUBJECTS = [
    ("putuo-finance-2025-dept.pdf", "2010601", "行政运行", "16,231,840.80", "16,093,326.00", "138,514.80"),
    ("putuo-gov-office-2025-dept.pdf", "2010301", "行政运行", "12,029,501.84", "11,919,501.84", "110,000.00"),
    ("putuo-justice-2026-dept.pdf", "2040601", "行政运行", "16726725.44", "16726725.44", "0.00"),
    ("putuo-wanli-street-2023-dept.pdf", "2120101", "行政运行", "18,373,632", "18,373,632", "0"),
    ("putuo-wanli-street-2024-dept.pdf", "2120101", "行政运行", "16,603,248", "16,353,248", "250,000"),
    ("putuo-wanli-street-2024-dept.pdf", "2120104", "城管执法", "6,043,390", "6,043,390", "0"),
    ("putuo-welfare-home-2024-unit.pdf", "2081005", "社会福利事业单位", "9,584,796", "6,964,796", "2,620,000"),
    # printed with its 类 cut to '7' on page 9: read under the 210 of the row before
    ("putuo-welfare-home-2024-unit.pdf", "2101102", "事业单位医疗", "503,724", "503,724", "0"),
    ("shanghai-finance-bureau-2025-unit.pdf", "2010601", "行政运行", "84,861,719", "84,861,719", "0"),
    ("shanghai-finance-bureau-2025-unit.pdf", "2080801", "死亡抚恤", "1,200,000", "0", "1,200,000"),
]

# 支出预算总表 合计 row (元): 合计, 基本支出, 项目支出
EXPENDITURE_TOTALS = {
    "putuo-finance-2025-dept.pdf": ("31,214,205.80", "25,121,091.00", "6,093,114.80"),
    "putuo-gov-office-2025-dept.pdf": ("91,016,775.35", "24,606,775.35", "66,410,000.00"),
    "putuo-justice-2026-dept.pdf": ("96282213.44", "25741666.44", "70540547.00"),
    "putuo-wanli-street-2023-dept.pdf": ("164,978,640", "99,406,297", "65,572,343"),
    "putuo-wanli-street-2024-dept.pdf": ("156,211,123", "99,706,020", "56,505,103"),
    "putuo-welfare-home-2024-unit.pdf": ("12,121,164", "9,501,164", "2,620,000"),
    "shanghai-finance-bureau-2025-unit.pdf": ("171,915,169", "127,642,039", "44,273,130"),
}

# 一般公共预算基本支出部门预算经济分类预算表 (元): file, 部门经济分类 code, name, 合计
ECONOMIC = [
    ("putuo-finance-2025-dept.pdf", "30217", "公务接待费", "9,500.00"),
    ("putuo-gov-office-2025-dept.pdf", "30201", "办公费", "259,400.00"),
    ("putuo-justice-2026-dept.pdf", "30217", "公务接待费", "8265.00"),
    ("putuo-wanli-street-2024-dept.pdf", "30205", "水费", "277,500"),
    ("putuo-wanli-street-2024-dept.pdf", "30102", "津贴补贴", "16,623,810"),  # its 款 printed as '2'
    ("shanghai-finance-bureau-2025-unit.pdf", "30212", "因公出国（境）费用", "2,887,000"),
]


@pytest.fixture(scope="session")
def shanghai_docs():
    """Every budget read once per session (about half a second each)."""
    return {name: read_document(DIR / name) for name in BUDGETS}


@pytest.fixture(scope="session")
def shanghai_db(tmp_path_factory, shanghai_docs):
    path = tmp_path_factory.mktemp("shanghai") / "shanghai.duckdb"
    build(path, list(shanghai_docs.values()), fresh=True)
    return path


@pytest.fixture
def sh(shanghai_db):
    c = connect_read_only(shanghai_db)
    yield c
    c.close()


def doc_id(docs, name):
    return docs[name].doc_id


def test_fixtures_are_the_published_files():
    assert len(list(DIR.glob("*.pdf"))) == 10


@pytest.mark.parametrize("name", sorted(BUDGETS))
def test_every_budget_loads_with_its_department_year_and_nine_tables(shanghai_docs, name):
    d = shanghai_docs[name]
    dept, year, kind, _ = BUDGETS[name]
    assert (d.dept_name, d.year, d.doc_kind, d.template, d.source_unit) == (dept, year, kind, "上海9表", "元")
    assert len(d.parsed.found) == 9
    assert d.pages and d.pages >= 16


@pytest.mark.parametrize("name", sorted(BUDGETS))
def test_income_and_expenditure_totals_as_printed(sh, shanghai_docs, name):
    expected = wan(BUDGETS[name][3])
    did = doc_id(shanghai_docs, name)
    rows = dict(sh.execute("SELECT item, amount FROM summary_items WHERE doc_id = ? AND table_no = '财务收支预算总表' "
                           "AND is_total", [did]).fetchall())
    assert rows == {"收入总计": expected, "支出总计": expected}
    assert sh.execute("SELECT amount FROM income WHERE doc_id = ? AND source = '合计'", [did]).fetchone()[0] == expected


@pytest.mark.parametrize("name", sorted(EXPENDITURE_TOTALS))
def test_expenditure_rows_add_up_to_the_printed_totals(sh, shanghai_docs, name):
    """The 项 rows stored (类 and 款 subtotals are not rows) add up to the 合计 line of the 支出预算总表."""
    total, basic, project = (wan(x) for x in EXPENDITURE_TOTALS[name])
    got = sh.execute("SELECT SUM(total), SUM(basic), SUM(project) FROM expenditure WHERE doc_id = ?",
                     [doc_id(shanghai_docs, name)]).fetchone()
    assert got == (total, basic, project)


def test_the_misprinted_rows_are_stored_as_printed(sh, shanghai_docs):
    """司法局 2026 单位预算, page 11: 行政运行 prints 项目支出 64,840,547.00 beside 合计 14,348,853.34; the 合计
    line prints 基本支出 22,118,861 for rows that add to 22,118,861.34. Nothing is corrected."""
    did = doc_id(shanghai_docs, "putuo-justice-2026-unit.pdf")
    row = sh.execute("SELECT total, basic, project, page, src_row FROM expenditure WHERE doc_id = ? AND func_code = '2040601'",
                     [did]).fetchone()
    assert row == (wan("14,348,853.34"), wan("14,348,853.34"), wan("64,840,547.00"), 11, 6)


@pytest.mark.parametrize("name,code,fname,total,basic,project", SUBJECTS)
def test_subjects_with_basic_and_project(sh, shanghai_docs, name, code, fname, total, basic, project):
    got = sh.execute("SELECT func_name, total, COALESCE(basic, 0), COALESCE(project, 0) FROM expenditure "
                     "WHERE doc_id = ? AND func_code = ?", [doc_id(shanghai_docs, name), code]).fetchone()
    assert got == (fname, wan(total), wan(basic), wan(project))


@pytest.mark.parametrize("name,code,ename,total", ECONOMIC)
def test_basic_expenditure_by_economic_subject(sh, shanghai_docs, name, code, ename, total):
    got = sh.execute("SELECT dept_econ_name, total FROM basic_expenditure WHERE doc_id = ? AND dept_econ_code = ?",
                     [doc_id(shanghai_docs, name), code]).fetchone()
    assert got == (ename, wan(total))


@pytest.mark.parametrize("name", sorted(SANGONG))
def test_sangong_and_operating_costs_in_wan(sh, shanghai_docs, name):
    did = doc_id(shanghai_docs, name)
    year = BUDGETS[name][1]
    got = dict(sh.execute("SELECT item, amount FROM sangong WHERE doc_id = ? AND year = ?", [did, year]).fetchall())
    *items, operating = SANGONG[name]
    assert got == {k: D(v) for k, v in zip(SANGONG_ITEMS, items, strict=True)}
    assert sh.execute("SELECT amount FROM summary_items WHERE doc_id = ? AND item = '机关运行经费'",
                      [did]).fetchone()[0] == D(operating)


def test_subjects_named_by_the_document_at_every_level(sh, shanghai_docs):
    did = doc_id(shanghai_docs, "putuo-wanli-street-2024-dept.pdf")
    got = sh.execute("SELECT code, name, level FROM subjects WHERE doc_id = ? AND code IN ('212', '21201', '2120104') "
                     "ORDER BY code", [did]).fetchall()
    assert got == [("212", "城乡社区支出", "类"), ("21201", "城乡社区管理事务", "款"), ("2120104", "城管执法", "项")]


def test_empty_tables_give_no_rows(sh, shanghai_docs):
    """政府性基金/国有资本经营 tables are printed empty (“本表为空表”) in all nine."""
    assert sh.execute("SELECT COUNT(*) FROM fund_expenditure").fetchone()[0] == 0
    found = sh.execute("SELECT COUNT(*) FROM source_tables WHERE table_no LIKE '%政府性基金%'").fetchone()[0]
    assert found == 9


def test_table_continued_across_pages(sh, shanghai_docs):
    """万里街道 2024: the 一般公共预算支出功能分类预算表 runs from page 22 to 26, its header repeated on each page."""
    did = doc_id(shanghai_docs, "putuo-wanli-street-2024-dept.pdf")
    first, last = sh.execute("SELECT first_page, last_page FROM source_tables WHERE doc_id = ? "
                             "AND table_no = '一般公共预算支出功能分类预算表'", [did]).fetchone()
    assert (first, last) == (22, 26)
    pages = [r[0] for r in sh.execute("SELECT DISTINCT page FROM fiscal_expenditure WHERE doc_id = ? ORDER BY page",
                                      [did]).fetchall()]
    assert pages == [22, 23, 24, 25, 26]
    assert sh.execute("SELECT SUM(total) FROM fiscal_expenditure WHERE doc_id = ?", [did]).fetchone()[0] == wan("156,211,123")


def test_every_row_keeps_its_page_table_and_row(sh):
    for table in ("summary_items", "income", "expenditure", "fiscal_expenditure", "basic_expenditure", "sangong"):
        missing = sh.execute(f"SELECT COUNT(*) FROM {table} WHERE (page IS NULL OR src_table IS NULL OR src_row IS NULL) "
                             "AND doc_id LIKE 'SH%'").fetchone()[0]
        assert missing == 0, table
    # 万里街道 2024, page 30, row 1 of the 经济分类 table: 302 05 水费 277,500
    row = sh.execute("SELECT page, src_table, src_row FROM basic_expenditure WHERE dept_econ_name = '水费' AND doc_id IN "
                     "(SELECT doc_id FROM documents WHERE year = 2024 AND dept_name LIKE '%万里%')").fetchone()
    assert row == (30, "一般公共预算基本支出部门预算经济分类预算表", 1)


def test_beijing_text_keeps_its_line_numbers(con):
    assert con.execute("SELECT COUNT(*) FROM expenditure WHERE line IS NULL OR page IS NOT NULL").fetchone()[0] == 0
    assert con.execute("SELECT template, source_unit FROM documents").fetchone() == ("北京12表", "万元")


# -- reconciliation: the documents' own mistakes are reported with page and row, never corrected ------------------

def messages(doc):
    return [(i.page, i.table, i.line, i.message) for i in doc.errors]


def test_reconciliation_finds_the_justice_unit_rows(shanghai_docs):
    errs = messages(shanghai_docs["putuo-justice-2026-unit.pdf"])
    # page 11 row 6: 行政运行 基本 14,348,853.34 + 项目 64,840,547.00 ≠ 合计 14,348,853.34
    assert any(p == 11 and t == "支出预算总表" and r == 6 and "差64,840,547.00元" in m for p, t, r, m in errs)
    # page 12 row 10: the 合计 line's 基本支出 22,118,861 against its rows' 22,118,861.34
    assert any(p == 12 and r == 10 and "22,118,861.34" in m and "22,118,861.00" in m for p, t, r, m in errs)
    # the same two mistakes in the 一般公共预算支出功能分类预算表 (page 14 row 6)
    assert any(p == 14 and t == "一般公共预算支出功能分类预算表" and r == 6 for p, t, r, m in errs)


def test_reconciliation_finds_the_finance_bureau_subtotal(shanghai_docs):
    """上海市财政局 2025, page 17: 302 商品和服务支出 prints 24,840,779 over 款 rows that add to 24,840,778
    (by hand: 1,000,000 + 50,000 on page 17, 23,790,778 on page 18)."""
    errs = messages(shanghai_docs["shanghai-finance-bureau-2025-unit.pdf"])
    assert any(p == 17 and r == 15 and "24,840,778.00元" in m and "24,840,779.00元" in m and "差-1.00元" in m
               for p, t, r, m in errs)


NARRATIVE = ("预算编制说明", "其他相关情况说明")


@pytest.mark.parametrize("name", ["putuo-finance-2025-dept.pdf", "putuo-gov-office-2025-dept.pdf",
                                  "putuo-wanli-street-2023-dept.pdf", "putuo-wanli-street-2024-dept.pdf",
                                  "putuo-welfare-home-2024-unit.pdf"])
def test_consistent_tables_reconcile(shanghai_docs, name):
    assert [m for m in messages(shanghai_docs[name]) if m[1] not in NARRATIVE] == []


@pytest.mark.parametrize("name", ["putuo-gov-office-2025-dept.pdf", "putuo-gov-office-2025-unit.pdf",
                                  "putuo-justice-2026-dept.pdf", "putuo-wanli-street-2023-dept.pdf",
                                  "putuo-wanli-street-2024-dept.pdf", "shanghai-finance-bureau-2025-unit.pdf"])
def test_narratives_that_agree_with_their_tables(shanghai_docs, name):
    assert [m for m in messages(shanghai_docs[name]) if m[1] in NARRATIVE] == []


def test_narrative_figure_that_disagrees_with_its_table(shanghai_docs):
    """社会福利院 2024, page 6: “…社会福利事业单位（项）”738.66万元, where the 一般公共预算支出功能分类预算表 prints
    208 10 05 社会福利事业单位 6,964,796 元 (696.4796 万元)."""
    errs = [m for m in messages(shanghai_docs["putuo-welfare-home-2024-unit.pdf"]) if m[1] in NARRATIVE]
    assert len(errs) == 1
    page, table, _, message = errs[0]
    assert (page, table) == (6, "预算编制说明")
    assert "738.66万元" in message and "696.4796万元" in message and "2081005" in message


def test_narrative_typo_found_on_both_copies_of_the_page(shanghai_docs):
    """区财政局 2025 prints its 编制说明 twice (pages 7 and 8), both with 职业年金 887.36万元 for a table row of
    873,617.00 元 (87.3617 万元). A narrative figure cut rather than rounded (204.9197 as 204.91) is no mistake."""
    errs = [m for m in messages(shanghai_docs["putuo-finance-2025-dept.pdf"]) if m[1] in NARRATIVE]
    assert [(p, "887.36万元" in m and "87.3617万元" in m) for p, _, _, m in errs] == [(7, True), (8, True)]


@pytest.mark.parametrize("item,value,unit,page", [
    ("政府采购预算", "1662.44", "万元", 32),
    ("政府采购工程预算", "815.87", "万元", 32),
    ("面向中小企业预留政府采购预算", "664.98", "万元", 32),
    ("预留给小型和微型企业的政府采购预算", "465.49", "万元", 32),  # printed across a line break: 465.49万 / 元
    ("机关运行经费", "443.18", "万元", 32),
    ("车辆数", "7", "辆", 32),
    ("安排购置车辆数", "1", "辆", 32),
    ("编报绩效目标的项目数", "50", "个", 32),
    ("收入预算", "15621.11", "万元", 6),
])
def test_narrative_figures_kept_with_their_sentence(sh, shanghai_docs, item, value, unit, page):
    did = doc_id(shanghai_docs, "putuo-wanli-street-2024-dept.pdf")
    got = sh.execute("SELECT value, unit, page, sentence FROM narrative WHERE doc_id = ? AND item = ?", [did, item]).fetchall()
    assert got and got[0][:3] == (D(value), unit, page)
    assert value in got[0][3].replace(",", "")


def test_a_changed_figure_is_reported_with_page_and_row(shanghai_docs):
    from budgetqa.ingest import shanghai
    from budgetqa.ingest.pdf import page_tables, page_texts
    from budgetqa.ingest.reconcile import reconcile_shanghai

    data = (DIR / "putuo-wanli-street-2024-dept.pdf").read_bytes()

    def tables(pages):
        got = page_tables(data, pages)
        for t in got[29]:
            for row in t.rows:
                if row.cells[:3] == ["302", "01", "办公费"]:
                    row.cells[3] = "4,755,519"  # one 元 more than printed
        return got

    r = shanghai.read(page_texts(data), tables, "x.pdf")
    reconcile_shanghai(r)
    errs = [(i.page, i.line, i.message) for i in r.parsed.issues if i.severity == "error"]
    assert any(p == 29 and "30201 办公费" in m and "差-1.00元" in m for p, _, m in errs)
    assert any(p == 29 and "302 商品和服务支出的合计与下级科目" in m and "差1.00元" in m for p, _, m in errs)


def test_report_names_page_and_row(shanghai_db):
    out = CliRunner().invoke(cli, ["report", "--db", str(shanghai_db)])
    assert out.exit_code == 0
    assert "第17页 一般公共预算基本支出部门预算经济分类预算表 第15行" in out.output
    assert "第11页 支出预算总表 第6行" in out.output


# -- refusals ---------------------------------------------------------------------------------------------------

def test_final_accounts_refused_on_load(tmp_path):
    out = CliRunner().invoke(cli, ["load", "--db", str(tmp_path / "x.duckdb"), str(FINAL)])
    assert out.exit_code == 2
    lines = [ln for ln in (out.stderr if hasattr(out, "stderr") else out.output).splitlines() if ln.strip()]
    assert len(lines) == 1 and FINAL.name in lines[0] and "决算" in lines[0] and "不是预算" in lines[0]
    assert not (tmp_path / "x.duckdb").exists()


def test_a_pdf_that_is_not_a_budget_is_refused(tmp_path):
    """The 决算's text pages without its title page: still no budget table, refused by name."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(DIR / "putuo-welfare-home-2024-unit.pdf"))
    new = pdfium.PdfDocument.new()
    new.import_pages(src, [2, 3, 4])  # 主要职能, 机构设置, 名词解释: text, no tables
    p = tmp_path / "notes.pdf"
    new.save(str(p))
    with pytest.raises(DocumentError) as e:
        read_document(p)
    assert "notes.pdf" in str(e.value) and "不像是部门预算" in str(e.value)


def test_a_damaged_pdf_is_refused(tmp_path):
    p = tmp_path / "broken.pdf"
    p.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    with pytest.raises(DocumentError) as e:
        read_document(p)
    assert "broken.pdf" in str(e.value)


# -- questions the existing engine answers on a Shanghai document -----------------------------------------------

@pytest.fixture(scope="module")
def wanli_engine(tmp_path_factory, shanghai_docs):
    from budgetqa.engine import Engine

    db = tmp_path_factory.mktemp("wanli") / "wanli.duckdb"
    build(db, [shanghai_docs["putuo-wanli-street-2024-dept.pdf"]], fresh=True)
    e = Engine(db)
    yield e
    e.close()


@pytest.mark.parametrize("question,value", [
    ("支出总计是多少", wan("156,211,123")),
    ("项目支出是多少", wan("56,505,103")),
    ("基本支出多少", wan("99,706,020")),
    ("城管执法多少钱", wan("6,043,390")),
    ("行政运行的基本支出是多少", wan("16,353,248")),
    ("社会保障和就业支出的项目支出", wan("6,235,900")),
    ("三公经费是多少", D("47.91")),
    ("公务用车购置费是多少", D("25")),
])
def test_engine_answers_on_a_shanghai_budget(wanli_engine, question, value):
    a = wanli_engine.ask(question)
    assert a.status == "ok" and a.value == value and a.unit == "万元", a.answer


# -- the template on shapes the supplied files do not print (other documents of the same kind may) ---------------

def section(kind, rows, page=5):
    from budgetqa.ingest.pdf import PdfRow
    from budgetqa.ingest.shanghai import Section

    s = Section(kind, kind, page, [page])
    s.rows = [PdfRow(page, i, list(r)) for i, r in enumerate(rows, start=1)]
    return s


HEADER = [["项目", "", "", "", "支出预算", "", ""], ["功能分类科目编码", "", "", "功能分类科目名称", "合计", "基本支出", "项目支出"],
          ["类", "款", "项", "", "", "", ""]]


def test_wrapped_names_merged_class_cells_and_empty_markers():
    from budgetqa.ingest.shanghai import Reader

    r = Reader("SHX", "某部门")
    r.read(section("支出预算总表", HEADER + [
        ["201", "", "", "一般公共服务支出", "1,234.50", "1,000.00", "234.50"],
        ["", "03", "", "政府办公厅（室）及相关机构", "1,234.50", "1,000.00", "234.50"],  # 类 cell merged
        ["", "", "", "事务", "", "", ""],  # the name wrapped onto a row of its own
        ["", "03", "01", "行政运行", "1,234.50", "1,000.00", "234.50"],
        ["合计", "", "", "", "1,234.50", "1,000.00", "234.50"],
    ]))
    rows = r.out.tables["expenditure"]
    assert [(x["func_code"], x["func_name"], x["total"], x["basic"], x["project"]) for x in rows] == [
        ("2010301", "行政运行", D("0.12345"), D("0.1"), D("0.02345"))]
    assert [c.name for c in r.coded["支出预算总表"]][:2] == ["一般公共服务支出", "政府办公厅（室）及相关机构事务"]


def test_codes_printed_whole_in_one_column():
    from budgetqa.ingest.shanghai import Reader

    r = Reader("SHX", "某部门")
    r.read(section("一般公共预算支出功能分类预算表", [
        ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
        ["201", "一般公共服务支出", "500", "无", "500"],
        ["20103", "政府办公厅（室）及相关机构事务", "500", "无", "500"],
        ["2010350", "事业运行", "500", "无", "500"],
        ["合计", "", "500", "", "500"],
    ]))
    rows = r.out.tables["fiscal_expenditure"]
    assert [(x["func_code"], x["total"], x["basic"], x["project"]) for x in rows] == [
        ("2010350", D("0.05"), None, D("0.05"))]


def test_sangong_with_two_years_of_columns():
    from budgetqa.ingest.shanghai import Reader

    r = Reader("SHX", "某部门")
    r.sangong(section("“三公”经费和机关运行经费预算表", [
        ["2024年预算数", "", "", "", "", "", "2025年预算数", "", "", "", "", "", "2025年机关运行经费预算数"],
        ["合计", "因公出国(境)费", "公务接待费", "公务用车购置及运行费", "", "", "合计", "因公出国(境)费", "公务接待费",
         "公务用车购置及运行费", "", "", ""],
        ["", "", "", "小计", "购置费", "运行费", "", "", "", "小计", "购置费", "运行费", ""],
        ["10.00", "2.00", "3.00", "5.00", "1.00", "4.00", "8.50", "1.50", "3.00", "4.00", "0", "4.00", "120.30"],
    ]), 2025)
    got = {(x["year"], x["item"]): x["amount"] for x in r.out.tables["sangong"]}
    assert got[(2024, "三公经费")] == D("10.00") and got[(2025, "三公经费")] == D("8.50")
    assert got[(2024, "公务用车购置费")] == D("1.00") and got[(2025, "公务用车运行维护费")] == D("4.00")
    assert len(got) == 12
    assert [(x["item"], x["amount"]) for x in r.out.tables["summary_items"]] == [("机关运行经费", D("120.30"))]


@pytest.mark.parametrize("name,project,value,page", [
    ("putuo-justice-2026-dept.pdf", "人民调解", "795", 23),  # 六、年度预算安排 795万元
    ("putuo-wanli-street-2023-dept.pdf", "万里街道社区公共服务中心新建工程", "410.00", 30),  # 25.88+180.74+186.60+16.78
    ("putuo-wanli-street-2024-dept.pdf", "万里街道社区公共服务中心新建工程", "632.20", 33),  # 4 × 158.05
    ("putuo-finance-2025-dept.pdf", "未写明名称的项目", "595.46", 23),  # 166.66 + 418.80 + 10
    ("putuo-gov-office-2025-dept.pdf", "区政府督查及建议提案工作业务经费", None, 22),  # its 年度预算安排 states no figure
])
def test_projects_of_the_narrative(sh, shanghai_docs, name, project, value, page):
    got = sh.execute("SELECT item, value, page FROM narrative WHERE doc_id = ? AND section = '项目经费情况说明'",
                     [doc_id(shanghai_docs, name)]).fetchall()
    assert got == [(project, D(value) if value else None, page)]


def test_two_small_tables_on_one_page_and_a_table_ending_above_a_title():
    from budgetqa.ingest.pdf import PdfRow, PdfTable
    from budgetqa.ingest.shanghai import sections

    def table(page, *rows):
        return PdfTable(page, [PdfRow(page, i, list(r)) for i, r in enumerate(rows, 1)])

    titled = {4: [("一般公共预算支出功能分类预算表", "x")],
              5: [("政府性基金预算支出功能分类预算表", "a"), ("国有资本经营预算支出功能分类预算表", "b")]}
    tables = {4: [table(4, ["类", "款", "项"], ["201", "", ""])],
              5: [table(5, ["合计", "", "1"]), table(5, ["项目", ""], ["合计", ""]), table(5, ["项目", ""], ["合计", ""])]}
    secs = sections(titled, tables)
    assert [(s.kind[:4], s.pages, len(s.rows)) for s in secs] == [("一般公共", [4, 5], 3), ("政府性基", [5], 2),
                                                                  ("国有资本", [5], 2)]


def test_load_into_a_fresh_default_database_keeps_the_bundled_budget(tmp_path, monkeypatch):
    monkeypatch.setenv("BUDGETQA_CACHE", str(tmp_path / "cache"))
    out = CliRunner().invoke(cli, ["load", str(DIR / "putuo-welfare-home-2024-unit.pdf")])
    assert out.exit_code == 0, out.output
    from budgetqa.bootstrap import default_db_path

    c = connect_read_only(default_db_path())
    try:
        names = [r[0] for r in c.execute("SELECT dept_name FROM documents ORDER BY dept_name").fetchall()]
    finally:
        c.close()
    assert names == ["上海市普陀区社会福利院", "北京市朝阳区应急管理局"]
