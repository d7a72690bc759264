"""Which expected tables and sections a document lacks: missing, empty, or cut short.

A truncated file can still reconcile (every table it has adds up) while whole sections are gone: the
project table with 负责人 and phones, the 绩效 tables. Each such gap becomes a row of `missing_sections`,
so the load says so and a question that needs the section can say the document does not list it.

>>> rows = missing_sections(["01", "owners"], {"summary_items": [{"table_no": "01"}], "projects": [{"name": "a"}]})
>>> [(m["section"], m["state"]) for m in rows][:2], [(m["section"], m["state"]) for m in rows][-2:]
([('02', '缺失'), ('03', '缺失')], [('owners', '为空'), ('perf', '缺失')])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Expected:
    section: str  # the section kind the reader finds ('01'..'12', 'project_list', 'owners', 'perf')
    title: str
    tables: tuple[str, ...]  # database tables (or table.column) filled from it
    about: str  # what questions it answers, for the sentence "这份预算没有列出…"
    may_be_empty: bool = False  # a department without, say, procurement prints the table with no rows


EXPECTED = (
    Expected("01", "预算01表（收支总表）", ("summary_items",), "收支总表"),
    Expected("02", "预算02表（收入预算表）", ("income",), "收入预算"),
    Expected("03", "预算03表（支出预算总表）", ("expenditure",), "支出预算"),
    Expected("project_list", "项目支出表（项目）", ("projects",), "项目清单"),
    Expected("04", "预算04表（项目支出表）", ("projects",), "项目金额"),
    Expected("05", "预算05表（政府采购预算明细表）", ("procurement",), "政府采购预算", may_be_empty=True),
    Expected("06", "预算06表（财政拨款收支预算总表）", ("summary_items",), "财政拨款收支"),
    Expected("07", "预算07表（一般公共预算财政拨款支出表）", ("fiscal_expenditure",), "一般公共预算财政拨款支出"),
    Expected("08", "预算08表（一般公共预算财政拨款基本支出表）", ("basic_expenditure",), "基本支出明细"),
    Expected("09", "预算09表（政府性基金预算财政拨款支出表）", ("fund_expenditure",), "政府性基金预算支出", may_be_empty=True),
    Expected("10", "预算10表（国有资本经营预算财政拨款支出表）", ("fund_expenditure",), "国有资本经营预算支出", may_be_empty=True),
    Expected("11", "预算11表（“三公”经费支出表）", ("sangong",), "三公经费"),
    Expected("12", "预算12表（政府购买服务预算财政拨款明细表）", ("purchased_services",), "政府购买服务", may_be_empty=True),
    Expected("owners", "项目表（负责人）", ("project_owners", "projects.owner", "projects.phone"), "项目负责人和联系电话"),
    Expected("perf", "项目支出绩效表", ("perf_blocks", "perf_indicators"), "项目的绩效目标和绩效指标"),
)
BY_SECTION = {e.section: e for e in EXPECTED}
PARTIAL_SHARE = 0.5  # fewer owners or 绩效 blocks than this share of the projects: the section was cut short


def rows_of(section: str, tables: dict[str, list[dict[str, Any]]]) -> int:
    if section in ("01", "06"):
        return sum(1 for r in tables.get("summary_items", []) if r.get("table_no") == section)
    if section in ("09", "10"):
        return sum(1 for r in tables.get("fund_expenditure", []) if r.get("table_no") == section)
    if section == "project_list":
        return sum(1 for r in tables.get("projects", []) if r.get("name"))
    if section == "perf":
        return len(tables.get("perf_blocks", []))
    return len(tables.get(BY_SECTION[section].tables[0], []))


def missing_sections(found: list[str], tables: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Rows for `missing_sections`: each expected section that is not in the document (缺失), has no rows
    (为空), or covers too few of the projects to be whole (不完整)."""
    out = []
    projects = len({r.get("name") for r in tables.get("projects", []) if r.get("name")})
    for e in EXPECTED:
        n = rows_of(e.section, tables)
        if e.section not in found:
            state, detail = "缺失", f"文件里没有这张表（可能被截断），无法回答{e.about}方面的问题"
        elif n == 0 and not e.may_be_empty:
            state, detail = "为空", f"表在文件里，但没有读到数据行，无法回答{e.about}方面的问题"
        elif e.section in ("owners", "perf") and projects and n < projects * PARTIAL_SHARE:
            what = "有负责人" if e.section == "owners" else "有绩效目标"
            state, detail = "不完整", f"只有{n}个项目{what}（共{projects}个项目），表可能被截断"
        else:
            continue
        out.append({"section": e.section, "title": e.title, "state": state, "detail": detail,
                    "tables": ",".join(e.tables), "about": e.about})
    return out
