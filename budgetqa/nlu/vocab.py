"""What the loaded data lets a question name: projects, subjects, people, categories, departments.

Read once per database (a handful of small SELECTs) and kept by the engine; the linker matches
question text against it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from budgetqa.ingest.text import norm_key


@dataclass(frozen=True)
class Project:
    name: str
    key: str
    amount: Decimal
    lines: int
    func_code: str
    owner: str | None
    payment: str | None


@dataclass(frozen=True)
class Subject:
    scheme: str  # 功能分类 / 政府经济分类 / 部门经济分类
    code: str
    name: str
    level: str

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


@dataclass
class Vocab:
    doc_id: str
    dept_code: str
    dept_name: str
    year: int
    projects: list[Project] = field(default_factory=list)
    subjects: list[Subject] = field(default_factory=list)
    people: dict[str, str | None] = field(default_factory=dict)  # owner -> phone
    service_cats: dict[str, str] = field(default_factory=dict)  # name -> column (level1/level2/level3/field)
    proc_cats: dict[str, str] = field(default_factory=dict)  # 货物 -> A-货物's name
    sangong_years: list[int] = field(default_factory=list)
    documents: list[tuple[str, str, int]] = field(default_factory=list)  # (doc_id, dept_name, year)
    indicators: list[str] = field(default_factory=list)
    goal_names: dict[str, str] = field(default_factory=dict)  # a 绩效表 goal said as a name (编外人员工资) -> its project
    summary_items: list[tuple[str, str, str]] = field(default_factory=list)  # (table_no, side, item) of 01/06
    narrative_items: dict[str, str] = field(default_factory=dict)  # a figure the text states (政府采购预算) -> its unit
    units: dict[str, str] = field(default_factory=dict)  # the department's units (预算02表): code -> name
    project_text: str = ""  # all project keys joined, for fast substring tests

    @property
    def project_names(self) -> list[str]:
        return [p.name for p in self.projects]

    def subjects_named(self, name: str) -> list[Subject]:
        return [s for s in self.subjects if s.name == name]


def load_vocab(con, doc_id: str | None = None) -> Vocab:
    docs = con.execute("SELECT doc_id, dept_name, year, dept_code FROM documents ORDER BY year DESC, doc_id").fetchall()
    if not docs:
        raise LookupError("数据库里没有已加载的预算文件")
    chosen = next((d for d in docs if d[0] == doc_id), docs[0]) if doc_id else docs[0]
    v = Vocab(chosen[0], chosen[3], chosen[1], chosen[2], documents=[(d[0], d[1], d[2]) for d in docs])
    rows = con.execute(
        "SELECT name, SUM(amount), COUNT(*), MIN(func_code), MIN(owner), MIN(payment), MIN(line_no) FROM projects "
        "WHERE doc_id = ? GROUP BY name ORDER BY MIN(line_no)", [v.doc_id]).fetchall()
    v.projects = [Project(r[0], norm_key(r[0]), r[1], r[2], r[3], r[4], r[5]) for r in rows]
    v.project_text = "\n".join(p.key for p in v.projects)
    v.subjects = [Subject(*r) for r in con.execute(
        "SELECT scheme, code, name, level FROM subjects WHERE doc_id = ? ORDER BY scheme, code", [v.doc_id]).fetchall()]
    for owner, phone in con.execute(
            "SELECT owner, MIN(phone) FROM project_owners WHERE doc_id = ? AND owner <> '' GROUP BY owner",
            [v.doc_id]).fetchall():
        v.people[owner] = phone
    cats: dict[str, str] = {}
    for l1, l2, l3, fld in con.execute(
            "SELECT DISTINCT level1, level2, level3, field FROM purchased_services WHERE doc_id = ?", [v.doc_id]).fetchall():
        for name, col in ((l1, "level1"), (l2, "level2"), (l3, "level3"), (fld, "field")):
            if name:
                cats.setdefault(name, col)
    v.service_cats = cats
    v.proc_cats = {r[0]: r[0] for r in con.execute(
        "SELECT DISTINCT category FROM procurement WHERE doc_id = ?", [v.doc_id]).fetchall() if r[0]}
    for standard in ("货物", "工程", "服务") if v.proc_cats else ():  # a category the table has no line for is 0
        v.proc_cats.setdefault(standard, standard)
    v.sangong_years = [r[0] for r in con.execute(
        "SELECT DISTINCT year FROM sangong WHERE doc_id = ? ORDER BY year", [v.doc_id]).fetchall()]
    v.indicators = [r[0] for r in con.execute(
        "SELECT DISTINCT level3 FROM perf_indicators WHERE doc_id = ?", [v.doc_id]).fetchall() if r[0]]
    # a 绩效表 block whose goal is a short name (编外人员工资) is asked by it; only where the block's 成本指标 agrees
    # with its project's amount (within 1%), so that a block placed by position alone names no project
    amounts = {p.name: p.amount for p in v.projects}
    try:
        for goal, project, cost in con.execute(
                "SELECT goal, project, cost_wan FROM perf_blocks WHERE doc_id = ? AND length(goal) BETWEEN 4 AND 12",
                [v.doc_id]).fetchall():
            amount = amounts.get(project)
            if (re.fullmatch(r"[\u4e00-\u9fff]+", goal or "") and goal not in amounts and amount and cost
                    and abs(amount - cost) <= amount / 100):
                v.goal_names[goal] = project
    except Exception:  # noqa: BLE001 - a database built before the table
        pass
    # lines of the 收支总表 no other table holds: income sources (事业收入, 上年结转) and carried-over balances
    # and the 类 the 收支总表 prints with no amount (国防支出 ...): asked, they are 未安排, not unknown words
    v.summary_items = [tuple(r) for r in con.execute(
        "SELECT DISTINCT table_no, side, item FROM summary_items WHERE doc_id = ? AND NOT is_total "
        "AND (side = '收入' OR item LIKE '%结转%' OR item = '机关运行经费' OR side = '支出' AND item LIKE '%支出' "
        "AND (amount IS NULL OR amount = 0) AND item NOT IN (SELECT name FROM subjects WHERE doc_id = ?)) "
        "ORDER BY table_no, side, item", [v.doc_id, v.doc_id]).fetchall()]
    try:  # figures stated in a budget's text (其他相关情况说明, 项目经费情况说明), with their units
        v.narrative_items = {r[0]: r[1] for r in con.execute(
            "SELECT item, MIN(unit) FROM narrative WHERE doc_id = ? AND value IS NOT NULL AND item <> '未写明名称的项目' "
            "AND section <> '预算编制说明' GROUP BY item", [v.doc_id]).fetchall()}  # (the 编制说明 repeats the tables, rounded)
    except Exception:  # noqa: BLE001 - a database built before the table
        v.narrative_items = {}
    v.units = {r[0]: r[1] for r in con.execute(
        "SELECT DISTINCT unit_code, unit_name FROM income WHERE doc_id = ? AND source = '合计' AND unit_code <> ? "
        "AND unit_name <> ''", [v.doc_id, v.dept_code]).fetchall()}
    return v


def owners_index(v: Vocab) -> dict[str, list[Project]]:
    out: dict[str, list[Project]] = defaultdict(list)
    for p in v.projects:
        if p.owner:
            out[p.owner].append(p)
    return out


PAYMENT_PAREN = re.compile(r"（[^（）]*(首款|尾款|全款|配套资金)[^（）]*）$")


def base_name(name: str) -> str:
    """A project's name without its payment part: 显示大屏运维服务项目（20%尾款） -> 显示大屏运维服务项目.

    >>> base_name("区应急指挥中心显示大屏运维服务项目（20%尾款）")
    '区应急指挥中心显示大屏运维服务项目'
    """
    return PAYMENT_PAREN.sub("", name)


def inserted_part(child: str, whole: str) -> str | None:
    """The word that makes one stated item a part of another by its name (政府采购工程预算 is 政府采购预算 with 工程
    inside), or None.

    >>> inserted_part("政府采购工程预算", "政府采购预算"), inserted_part("车辆数", "政府采购预算")
    ('工程', None)
    """
    extra = len(child) - len(whole)
    if extra < 2:
        return None
    i = next((i for i in range(1, len(whole)) if child[:i] + child[i + extra:] == whole), None)
    return None if i is None else child[i:i + extra]


def payment_siblings(projects: list, payments: list[str], vocab: Vocab) -> list:
    """The lines of the same projects with the payment asked: 800兆电台维护费（首款） and 尾款 -> its 尾款 line."""
    stems = {base_name(p.name) for p in projects}
    return [p for p in vocab.projects if base_name(p.name) in stems and any(w in p.name for w in payments)]
