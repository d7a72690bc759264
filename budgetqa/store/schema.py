"""The DuckDB schema and its catalogue: the only place that knows table and column names.

Every table carries `doc_id` ('<部门代码>-<年度>'), so one database holds many documents. Amounts are
DECIMAL(18,6) in 万元 as published. The catalogue gives each table and column its Chinese name; the
question engine links terms to it and `budgetqa schema` prints it.

>>> CATALOGUE["projects"].columns["amount"].zh
'金额'
>>> "doc_id" in sqlglot_schema()["projects"]
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

SCHEMA_VERSION = 5
MONEY = "DECIMAL(18,6)"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    zh: str


@dataclass
class Table:
    name: str
    zh: str
    source: str  # which table of the published document it comes from
    columns: dict[str, Column] = field(default_factory=dict)


def table(name: str, zh: str, source: str, *cols: tuple[str, str, str], per_doc: bool = True) -> Table:
    t = Table(name, zh, source)
    if per_doc:
        t.columns["doc_id"] = Column("doc_id", "VARCHAR", "文档")
    for cname, ctype, czh in cols:
        t.columns[cname] = Column(cname, ctype, czh)
    return t


# Where a row came from. A text document: its line. A PDF: its page, the table (as titled there) and the row
# of that table on the page; `line` is then the row's place in the document's reading order.
LINE = (("line", "INTEGER", "原文行号"), ("page", "INTEGER", "原文页码"), ("src_table", "VARCHAR", "原表"),
        ("src_row", "INTEGER", "原表行号"))
FUNC = (("func_code", "VARCHAR", "功能分类科目编码"), ("func_name", "VARCHAR", "功能分类科目名称"))
ECON = (("gov_econ_code", "VARCHAR", "政府经济分类科目编码"), ("gov_econ_name", "VARCHAR", "政府经济分类科目名称"),
        ("dept_econ_code", "VARCHAR", "部门经济分类科目编码"), ("dept_econ_name", "VARCHAR", "部门经济分类科目名称"))

TABLES = [
    table("documents", "文档", "加载记录",
          ("dept_code", "VARCHAR", "部门代码"), ("dept_name", "VARCHAR", "部门名称"), ("year", "INTEGER", "年度"),
          ("source_file", "VARCHAR", "源文件"), ("checksum", "VARCHAR", "校验和"),
          ("loaded_at", "TIMESTAMP", "加载时间"), ("schema_version", "INTEGER", "模式版本"),
          ("template", "VARCHAR", "格式（北京12表/上海9表）"), ("doc_kind", "VARCHAR", "文档类别（部门预算/单位预算）"),
          ("source_unit", "VARCHAR", "原表金额单位"), ("pages", "INTEGER", "页数")),
    table("source_tables", "原表", "全文",
          ("table_no", "VARCHAR", "表号"), ("title", "VARCHAR", "表名"), ("first_line", "INTEGER", "起始行"),
          ("row_count", "INTEGER", "行数"), ("first_page", "INTEGER", "起始页"), ("last_page", "INTEGER", "结束页")),
    table("summary_items", "收支总表项目", "预算01表/预算06表",
          ("table_no", "VARCHAR", "表号"), ("side", "VARCHAR", "收支"), ("seq", "INTEGER", "序号"),
          ("label", "VARCHAR", "项目（原文）"), ("item", "VARCHAR", "项目"), ("amount", MONEY, "预算数"),
          ("is_total", "BOOLEAN", "是否合计行"), *LINE),
    table("income", "收入", "预算02表",
          ("unit_code", "VARCHAR", "单位代码"), ("unit_name", "VARCHAR", "单位名称"), ("source", "VARCHAR", "收入来源"),
          ("amount", MONEY, "金额"), *LINE),
    table("expenditure", "支出预算总表", "预算03表", *FUNC, *ECON,
          ("total", MONEY, "合计"), ("basic", MONEY, "基本支出"), ("project", MONEY, "项目支出"), *LINE),
    table("projects", "项目支出", "项目支出表（项目）+预算04表",
          ("line_no", "INTEGER", "项目行序号"), ("project_id", "INTEGER", "项目编号（同名合并）"),
          ("unit_code", "VARCHAR", "单位代码"), ("unit_name", "VARCHAR", "项目单位"), ("unit_type", "VARCHAR", "单位类型"),
          ("name", "VARCHAR", "项目名称"), *FUNC, *ECON,
          ("amount", MONEY, "金额"), ("general_budget", MONEY, "一般公共预算"), ("gov_fund", MONEY, "政府性基金预算"),
          ("state_capital", MONEY, "国有资本经营预算"), ("carryover_general", MONEY, "结转结余一般公共预算"),
          ("carryover_fund", MONEY, "结转结余政府性基金预算"), ("payment", "VARCHAR", "款项（首款/尾款/全款/配套）"),
          ("project_code", "VARCHAR", "项目编码"), ("owner", "VARCHAR", "负责人"), ("phone", "VARCHAR", "联系电话"),
          ("owner_link_score", "DOUBLE", "负责人关联得分"),
          ("name_line", "INTEGER", "项目名称原文行号"), ("amount_line", "INTEGER", "金额原文行号")),
    table("project_owners", "项目负责人", "项目表（负责人）",
          ("project_code", "VARCHAR", "项目编码"), ("name", "VARCHAR", "项目名称（原文）"), ("category", "VARCHAR", "项目类别"),
          ("owner", "VARCHAR", "负责人"), ("phone", "VARCHAR", "联系电话"), ("amount", MONEY, "金额"),
          ("project_name", "VARCHAR", "关联项目"), ("link_score", "DOUBLE", "关联得分"), *LINE),
    table("procurement", "政府采购", "预算05表",
          ("category_code", "VARCHAR", "采购类别代码"), ("category", "VARCHAR", "采购类别"), ("amount", MONEY, "金额"), *LINE),
    table("fiscal_expenditure", "一般公共预算财政拨款支出", "预算07表",
          ("unit_code", "VARCHAR", "单位代码"), ("unit_name", "VARCHAR", "单位名称"), *FUNC,
          ("total", MONEY, "合计"), ("basic", MONEY, "基本支出"), ("personnel", MONEY, "人员经费"),
          ("public", MONEY, "公用经费"), ("project", MONEY, "项目支出"),
          ("project_excl_infra", MONEY, "扣除基建项目后预算数"), *LINE),
    table("basic_expenditure", "一般公共预算财政拨款基本支出", "预算08表", *ECON,
          ("total", MONEY, "合计"), ("personnel", MONEY, "人员经费"), ("public", MONEY, "公用经费"), *LINE),
    table("fund_expenditure", "政府性基金/国有资本经营预算财政拨款支出", "预算09表/预算10表",
          ("table_no", "VARCHAR", "表号"), *FUNC, *ECON,
          ("total", MONEY, "合计"), ("basic", MONEY, "基本支出"), ("project", MONEY, "项目支出"), *LINE),
    table("sangong", "三公经费", "预算11表",
          ("year", "INTEGER", "年度"), ("item", "VARCHAR", "项目"), ("amount", MONEY, "金额"), *LINE),
    table("purchased_services", "政府购买服务", "预算12表",
          ("project_code", "VARCHAR", "项目编码"), ("project_name", "VARCHAR", "项目名称"),
          ("level1_code", "VARCHAR", "一级目录代码"), ("level1", "VARCHAR", "一级目录"),
          ("level2_code", "VARCHAR", "二级目录代码"), ("level2", "VARCHAR", "二级目录"), ("level3", "VARCHAR", "三级目录"),
          ("field_code", "VARCHAR", "服务领域代码"), ("field", "VARCHAR", "服务领域"), ("amount", MONEY, "预算金额"),
          ("project", "VARCHAR", "关联项目"), *LINE),
    table("perf_blocks", "绩效目标", "项目支出绩效表",
          ("block_no", "INTEGER", "块序号"), ("goal", "VARCHAR", "绩效目标"), ("project", "VARCHAR", "关联项目"),
          ("link_method", "VARCHAR", "关联依据"), ("confidence", "DOUBLE", "关联可信度"),
          ("cost_wan", MONEY, "成本指标（万元）"), *LINE),
    table("perf_indicators", "绩效指标", "项目支出绩效表",
          ("block_no", "INTEGER", "块序号"), ("seq", "INTEGER", "序号"), ("level1", "VARCHAR", "一级指标"),
          ("level2", "VARCHAR", "二级指标"), ("level3", "VARCHAR", "三级指标"), ("nature", "VARCHAR", "指标性质"),
          ("value", "VARCHAR", "指标值"), ("value_num", "DECIMAL(24,6)", "指标值（数）"), ("unit", "VARCHAR", "度量单位"),
          *LINE),
    table("narrative", "说明中的数字", "预算编制说明/其他相关情况说明（上海9表）",
          ("section", "VARCHAR", "章节"), ("item", "VARCHAR", "项目"), ("func_code", "VARCHAR", "功能分类科目编码"),
          ("value", MONEY, "数值"), ("unit", "VARCHAR", "单位"), ("sentence", "VARCHAR", "原句"), *LINE),
    table("subjects", "科目", "功能分类/经济分类（文档+参考目录）",
          ("scheme", "VARCHAR", "分类"), ("code", "VARCHAR", "编码"), ("name", "VARCHAR", "名称"),
          ("level", "VARCHAR", "级次"), ("parent_code", "VARCHAR", "上级编码")),
    table("published_totals", "原表合计", "各表合计/总计行",
          ("table_no", "VARCHAR", "表号"), ("label", "VARCHAR", "行"), ("col", "VARCHAR", "列"), ("amount", MONEY, "金额"),
          *LINE),
    table("missing_sections", "缺少的表", "加载时的完整性检查",
          ("section", "VARCHAR", "表号"), ("title", "VARCHAR", "表名"), ("state", "VARCHAR", "状态（缺失/为空/不完整）"),
          ("detail", "VARCHAR", "说明"), ("tables", "VARCHAR", "受影响的表和列"), ("about", "VARCHAR", "无法回答的内容")),
    table("load_issues", "加载报告", "对账与关联",
          ("severity", "VARCHAR", "级别"), ("table_no", "VARCHAR", "表"), ("line", "INTEGER", "原文行号"),
          ("message", "VARCHAR", "说明"), ("page", "INTEGER", "原文页码")),
]

CATALOGUE: dict[str, Table] = {t.name: t for t in TABLES}


def ddl() -> list[str]:
    """CREATE TABLE statements for the whole schema (no user text: names come from this module)."""
    out = []
    for t in TABLES:
        cols = ", ".join(f"{c.name} {c.type}" for c in t.columns.values())
        out.append(f"CREATE TABLE {t.name} ({cols})")
    out.append("CREATE TABLE meta (key VARCHAR, value VARCHAR)")
    return out


def sqlglot_schema() -> dict[str, dict[str, str]]:
    """The schema as sqlglot's `qualify` wants it."""
    return {t.name: {c.name: c.type for c in t.columns.values()} for t in TABLES}


def describe() -> str:
    """The catalogue as text: tables, their source in the document, columns with Chinese names."""
    lines = []
    for t in TABLES:
        lines.append(f"{t.name} — {t.zh}（{t.source}）")
        for c in t.columns.values():
            lines.append(f"    {c.name:<20} {c.type:<14} {c.zh}")
    return "\n".join(lines)
