"""One parser per table kind: sections of cleaned rows -> typed records (dicts keyed by column name).

Every record keeps `line`, its line in the source file. Numbers that do not parse raise
`TableError` naming the line and table, so the load can refuse the file with a clear message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from budgetqa.ingest.sections import PHONE, PROJECT_CODE, PROJECT_KIND, Row, Section
from budgetqa.ingest.text import AmountError, clean_name, is_amount, parse_amount, split_code

NUMBERING = re.compile(r"^(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十]+[)）]\s*|\d+[、.])")
TOTAL_WORDS = ("合计", "总计", "小计")
PAYMENT = re.compile(r"(首款|尾款|全款|配套资金)")

Record = dict[str, Any]


class TableError(ValueError):
    def __init__(self, table: str, line: int, message: str):
        super().__init__(f"预算{table}表 第{line}行: {message}" if table[:1].isdigit() else f"{table} 第{line}行: {message}")
        self.table = table
        self.line = line


@dataclass
class Issue:
    severity: str  # 'error' (does not reconcile / cannot link) or 'note' (a repair the reader made)
    table: str
    line: int | None  # the source line (text) or the row of the table on its page (PDF)
    message: str
    page: int | None = None  # the page of a PDF


@dataclass
class Parsed:
    """Everything read from one document, before it is written to the database."""

    tables: dict[str, list[Record]] = field(default_factory=dict)
    totals: list[Record] = field(default_factory=list)  # the document's own 合计/总计 figures
    found: list[Record] = field(default_factory=list)  # which source tables were found, where
    issues: list[Issue] = field(default_factory=list)

    def add(self, table: str, rec: Record) -> None:
        self.tables.setdefault(table, []).append(rec)

    def total(self, table_no: str, label: str, col: str, amount: Decimal | None, line: int, **source: Any) -> None:
        if amount is not None:
            self.totals.append({"table_no": table_no, "label": label, "col": col, "amount": amount, "line": line,
                                **source})


def amount(section: str, row: Row, i: int) -> Decimal | None:
    try:
        return parse_amount(row.cell(i))
    except AmountError as e:
        raise TableError(section, row.line, f"第{i + 1}列“{e}”不是金额") from None


def is_total_label(label: str) -> bool:
    s = label.replace(" ", "")
    return any(w in s for w in TOTAL_WORDS)


def strip_numbering(label: str) -> str:
    return NUMBERING.sub("", clean_name(label)).strip()


# -- 01 收支总表 and 06 财政拨款收支总表: two sides, item / amount pairs ---------------------------------

def parse_summary(sec: Section, out: Parsed) -> None:
    seq = {"收入": 0, "支出": 0}
    for row in sec.rows:
        for side, (ci, ca) in (("收入", (0, 1)), ("支出", (2, 3))):
            label = clean_name(row.cell(ci))
            if not label or label.replace(" ", "") in ("收入", "支出", "项目", "预算数") or label.startswith("金额单位"):
                continue
            if row.cell(ca) and not is_amount(row.cell(ca)):
                continue  # header cells such as 预算数
            value = amount(sec.kind, row, ca)
            if is_total_label(label):
                out.total(sec.kind, label.replace(" ", ""), side, value, row.line)
            seq[side] += 1
            out.add("summary_items", {"table_no": sec.kind, "side": side, "seq": seq[side], "label": label,
                                      "item": strip_numbering(label), "amount": value,
                                      "is_total": is_total_label(label), "line": row.line})


# -- 02 收入: one row per unit, columns named by the header ----------------------------------------------

def parse_income(sec: Section, out: Parsed) -> None:
    cols: list[str] = []
    for row in sec.rows:
        if "合计" in row.cells and not any(is_amount(c) for c in row.cells):
            cols = ["合计"]
            continue
        if cols == ["合计"] and not any(is_amount(c) for c in row.cells):
            cols += [clean_name(c) for c in row.cells if c and clean_name(c) != "本年收入"]
            continue
        code, name = clean_name(row.cell(0)), clean_name(row.cell(1))
        if not any(is_amount(c) for c in row.cells[2:]):
            continue
        if not cols:
            cols = ["合计", "小计"]
        total_row = is_total_label(name) or is_total_label(code)
        for i, col in enumerate(cols):
            value = amount(sec.kind, row, 2 + i)
            if value is None:
                continue
            if total_row:
                out.total(sec.kind, "合计", col, value, row.line)
            else:
                out.add("income", {"unit_code": code, "unit_name": name, "source": col, "amount": value,
                                   "line": row.line})


# -- 03 支出预算总表, 09, 10: 功能分类 × 政府经济分类 × 部门经济分类 with 合计/基本/项目 ------------------------

def parse_expenditure(sec: Section, out: Parsed, table: str = "expenditure") -> None:
    for row in sec.rows:
        if not any(is_amount(c) for c in row.cells[3:]):
            continue
        if is_total_label(row.text):
            for i, col in ((3, "合计"), (4, "基本支出"), (5, "项目支出")):
                out.total(sec.kind, "合计", col, amount(sec.kind, row, i), row.line)
            continue
        fc, fn = split_code(row.cell(0))
        gc, gn = split_code(row.cell(1))
        dc, dn = split_code(row.cell(2))
        if not fc:
            raise TableError(sec.kind, row.line, f"没有功能分类科目编码：“{row.cell(0)}”")
        rec = {"func_code": fc, "func_name": fn, "gov_econ_code": gc, "gov_econ_name": gn, "dept_econ_code": dc,
               "dept_econ_name": dn, "total": amount(sec.kind, row, 3), "basic": amount(sec.kind, row, 4),
               "project": amount(sec.kind, row, 5), "line": row.line}
        if table != "expenditure":
            rec["table_no"] = sec.kind
        out.add(table, rec)


# -- the left half of the 项目支出表: unit, type, name, 功能分类 ----------------------------------------------

def parse_project_list(sec: Section, out: Parsed) -> list[Record]:
    items: list[Record] = []
    for row in sec.rows:
        if is_total_label(row.text) and not clean_name(row.cell(2)):
            continue
        cells = row.cells
        if len(cells) < 4 or "项目名称" in cells:
            if items and len(cells) == 1 and not row.after_break:
                items[-1]["name"] += clean_name(cells[0])  # a name broken across lines
            continue
        uc, un = split_code(cells[0])
        tc, tn = split_code(cells[1])
        fc, fn = split_code(cells[3])
        items.append({"unit_code": uc, "unit_name": un, "unit_type": tn, "name": clean_name(cells[2]),
                      "func_code": fc, "func_name": fn, "name_line": row.line})
    return items


# -- 04 项目支出表: the amounts of those lines, in the same order ------------------------------------------

AMOUNT_COLS_04 = ("amount", "general_budget", "gov_fund", "state_capital", "carryover_general", "carryover_fund")


def parse_project_amounts(sec: Section, out: Parsed) -> list[Record]:
    lines: list[Record] = []
    for row in sec.rows:
        nums = [i for i, c in enumerate(row.cells) if is_amount(c)]
        if not nums:
            continue
        first = nums[0]
        if is_total_label(row.text) or first == 2 and not row.cell(0) and not row.cell(1):
            out.total(sec.kind, "合计", "合计", amount(sec.kind, row, first), row.line)
            continue
        gc, gn = split_code(row.cell(0))
        dc, dn = split_code(row.cell(1))
        rec: Record = {"gov_econ_code": gc, "gov_econ_name": gn, "dept_econ_code": dc, "dept_econ_name": dn,
                       "amount_line": row.line}
        for j, col in enumerate(AMOUNT_COLS_04):
            rec[col] = amount(sec.kind, row, 2 + j)
        lines.append(rec)
    return lines


def payment_kind(name: str) -> str | None:
    m = PAYMENT.search(name)
    if not m:
        return None
    return "配套" if m.group(1) == "配套资金" else m.group(1)


# -- 05 政府采购 ----------------------------------------------------------------------------------------

def parse_procurement(sec: Section, out: Parsed) -> None:
    for row in sec.rows:
        if len(row.cells) < 2 or not is_amount(row.cells[-1]):
            continue
        label = clean_name(row.cell(0))
        value = amount(sec.kind, row, len(row.cells) - 1)
        if is_total_label(label):
            out.total(sec.kind, "合计", "金额", value, row.line)
            continue
        code, name = split_code(label)
        out.add("procurement", {"category_code": code, "category": name, "amount": value, "line": row.line})


# -- 07 一般公共预算财政拨款支出: left half (合计/基本小计/人员经费) and a right half printed apart -----------

def parse_fiscal(sec: Section, out: Parsed) -> None:
    left: list[Record] = []
    right: list[tuple[Row, list[Decimal | None]]] = []
    in_right = False
    for row in sec.rows:
        if "公用经费" in row.cells:
            in_right = True
            continue
        nums = [c for c in row.cells if is_amount(c)]
        if not nums:
            continue
        if in_right:
            right.append((row, [amount(sec.kind, row, i) for i in range(3)]))
            continue
        if is_total_label(row.text):
            for i, col in ((3, "合计"), (4, "基本支出"), (5, "人员经费")):
                out.total(sec.kind, "合计", col, amount(sec.kind, row, i), row.line)
            continue
        uc, un = split_code(row.cell(0))
        total, basic, personnel = (amount(sec.kind, row, i) for i in (3, 4, 5))
        zero = Decimal(0)
        public = (basic or zero) - (personnel or zero)
        project = (total or zero) - (basic or zero)
        left.append({"unit_code": uc, "unit_name": un, "func_code": clean_name(row.cell(1)),
                     "func_name": clean_name(row.cell(2)), "total": total, "basic": basic or zero,
                     "personnel": personnel or zero, "public": public, "project": project,
                     "project_excl_infra": None, "line": row.line})
    # The right half omits rows with nothing in it: align its rows to the left rows that have something.
    if right:
        body, last = right[:-1], right[-1]
        if is_total_label(last[0].text) or len(body) == sum(1 for r in left if r["public"] or r["project"]):
            for i, col in enumerate(("公用经费", "项目支出", "扣除基建项目后预算数")):
                out.total(sec.kind, "合计", col, last[1][i], last[0].line)
        else:
            body = right
        targets = [r for r in left if r["public"] or r["project"]]
        if len(targets) != len(body):
            out.issues.append(Issue("error", sec.kind, body[0][0].line if body else sec.line,
                                    f"右半表有{len(body)}行，按左半表应有{len(targets)}行，公用经费/项目支出按左半表推算"))
        else:
            for rec, (row, vals) in zip(targets, body, strict=False):
                public, project, excl = ((v or Decimal(0)) for v in vals)
                if public != rec["public"] or project != rec["project"]:
                    out.issues.append(Issue("error", sec.kind, row.line,
                                            f"{rec['func_name']}：右半表公用经费{public}/项目支出{project}与左半表推算不符"))
                rec["project_excl_infra"] = excl
    for rec in left:
        out.add("fiscal_expenditure", rec)


# -- 08 基本支出 -----------------------------------------------------------------------------------------

def parse_basic(sec: Section, out: Parsed) -> None:
    for row in sec.rows:
        if not any(is_amount(c) for c in row.cells[2:]):
            continue
        if is_total_label(row.text):
            for i, col in ((2, "合计"), (3, "人员经费"), (4, "公用经费")):
                out.total(sec.kind, "合计", col, amount(sec.kind, row, i), row.line)
            continue
        gc, gn = split_code(row.cell(0))
        dc, dn = split_code(row.cell(1))
        out.add("basic_expenditure", {"gov_econ_code": gc, "gov_econ_name": gn, "dept_econ_code": dc,
                                      "dept_econ_name": dn, "total": amount(sec.kind, row, 2),
                                      "personnel": amount(sec.kind, row, 3), "public": amount(sec.kind, row, 4),
                                      "line": row.line})


# -- 11 三公经费: one row per year, kept long (year, item, amount) ------------------------------------------

SANGONG_ITEMS = ("三公经费", "因公出国（境）费用", "公务接待费", "公务用车购置及运行维护费", "公务用车购置费",
                 "公务用车运行维护费")


def parse_sangong(sec: Section, out: Parsed) -> None:
    for row in sec.rows:
        year = row.cell(0).replace(" ", "")
        if not re.fullmatch(r"(19|20)\d\d", year):
            continue
        for i, item in enumerate(SANGONG_ITEMS):
            value = amount(sec.kind, row, 1 + i)
            out.add("sangong", {"year": int(year), "item": item, "amount": value if value is not None else Decimal(0),
                                "line": row.line})


# -- 12 政府购买服务 -------------------------------------------------------------------------------------

def normalise_project_code(code: str) -> tuple[str, bool]:
    """Project codes are 8 digits, a letter and 12 digits; extractions add a zero now and then.

    >>> normalise_project_code("11010523T0000002096922")
    ('11010523T000002096922', True)
    """
    m = re.fullmatch(r"(\d{8}[A-Z])(\d+)", code)
    if m and len(m.group(2)) > 12 and m.group(2).startswith("0" * (len(m.group(2)) - 12)):
        return m.group(1) + m.group(2)[len(m.group(2)) - 12:], True
    return code, False


def parse_services(sec: Section, out: Parsed) -> None:
    for row in sec.rows:
        if not row.cells or not is_amount(row.cells[-1]):
            continue
        value = amount(sec.kind, row, len(row.cells) - 1)
        if is_total_label(row.cell(0)):
            out.total(sec.kind, "合计", "预算金额", value, row.line)
            continue
        code, name = split_code(row.cell(0))
        code_fixed = None
        if code:
            code_fixed, changed = normalise_project_code(code)
            if changed:
                out.issues.append(Issue("note", sec.kind, row.line, f"项目编码{code}多一位0，按{code_fixed}读"))
        l1c, l1 = split_code(row.cell(1))
        l2c, l2 = split_code(row.cell(2))
        fc, fn = split_code(row.cell(4))
        out.add("purchased_services", {"project_code": code_fixed, "project_name": name, "level1_code": l1c,
                                       "level1": l1, "level2_code": l2c, "level2": l2,
                                       "level3": clean_name(row.cell(3)), "field_code": fc, "field": fn,
                                       "amount": value, "line": row.line})


# -- the project table with 负责人 and phones --------------------------------------------------------------

def parse_owners(sec: Section, out: Parsed) -> list[Record]:
    recs: list[Record] = []
    for row in sec.rows:
        cells = [c for c in row.cells]
        # a leading unit cell ("105001-…机关") is printed on some pages
        if cells and not PROJECT_CODE.match(cells[0].replace(" ", "")) and len(cells) > 1 and \
                PROJECT_CODE.match(cells[1].replace(" ", "")):
            cells = cells[1:]
        elif cells and cells[0] == "" and len(cells) > 1:
            cells = cells[1:]
        first = cells[0] if cells else ""
        rest = [c for c in cells[1:] if c]
        if not rest:
            compact = first.replace(" ", "")
            if PROJECT_CODE.fullmatch(compact):
                continue  # a code fragment whose row is printed again on the next page
            if recs and first:
                recs[-1]["name"] += clean_name(first)  # the end of a name broken across pages
            continue
        m = re.match(r"^(\d{6,8}[A-Z][\d ]+?)\s*[-－]\s*(.+)$", first)
        if not m:
            if len(rest) >= 2:  # a project's row, unreadable: never dropped silently
                out.issues.append(Issue("error", "owners", row.line, f"无法读取这一行的项目编码和名称：“{row.text[:60]}”"))
            continue
        code = m.group(1).replace(" ", "")
        code, _ = normalise_project_code(code)
        kind = next((c for c in rest if PROJECT_KIND.match(c.replace(" ", ""))), "")
        phone_i = next((i for i, c in enumerate(rest) if PHONE.match(c)), None)
        person = rest[phone_i - 1] if phone_i else ""
        nums = [parse_amount(c) for c in rest[(phone_i or 0) + 1:] if is_amount(c)]
        recs.append({"project_code": code, "name": clean_name(m.group(2)), "category": clean_name(kind),
                     "owner": clean_name(person), "phone": rest[phone_i] if phone_i is not None else None,
                     "amount": nums[0] if nums else None, "line": row.line})
    fix_phones(recs, out)
    return recs


def fix_phones(recs: list[Record], out: Parsed) -> None:
    """A mobile number printed with one digit too many is read as the same person's usual number."""
    usual: dict[str, set[str]] = {}
    for r in recs:
        if r["phone"] and len(r["phone"]) in (8, 11):
            usual.setdefault(r["owner"], set()).add(r["phone"])
    for r in recs:
        p = r["phone"]
        if not p or len(p) in (8, 11):
            continue
        for known in usual.get(r["owner"], ()):
            if len(p) == len(known) + 1 and any(p[:i] + p[i + 1:] == known for i in range(len(p))):
                out.issues.append(Issue("note", "owners", r["line"], f"{r['owner']}的电话{p}多一位，按{known}读"))
                r["phone_printed"], r["phone"] = p, known
                break
        else:
            out.issues.append(Issue("error", "owners", r["line"], f"电话{p}位数不对"))


# -- the 项目支出绩效表: blocks of a goal and its indicators -------------------------------------------------

@dataclass
class Block:
    goal: str
    line: int
    rows: list[Record] = field(default_factory=list)

    @property
    def kinds(self) -> set[tuple[str, str]]:
        return {(r["level1"], r["level2"]) for r in self.rows}


LEVEL1 = ("产出指标", "效益指标", "满意度指标", "成本指标")  # the 一级指标 every 绩效 table uses


def indicator_cells(raw: list[str]) -> list[str] | None:
    """A 绩效 row as [goal, level1, level2, level3, nature, value, unit], or None when it is no indicator
    row. Rows printed without their empty goal cell (or without a trailing empty unit) are padded.

    >>> indicator_cells(["产出指标", "时效指标", "1年", "=", "1", "年"])
    ['', '产出指标', '时效指标', '1年', '=', '1', '年']
    >>> indicator_cells(["", "效益指标", "社会效益指标", "办公环境", "定性", "改善"])
    ['', '效益指标', '社会效益指标', '办公环境', '定性', '改善', '']
    """
    cells = [c.strip() for c in raw]
    if cells and cells[0] in LEVEL1 and len(cells) >= 2 and cells[1].endswith("指标"):
        cells = ["", *cells]
    if len(cells) < 4 or cells[1] not in LEVEL1 and not (cells[1].endswith("指标") and cells[2].endswith("指标")):
        return None
    cells += [""] * (7 - len(cells))
    return [clean_name(c) if i < 4 else c for i, c in enumerate(cells)]


def parse_perf(sec: Section, out: Parsed) -> list[Block]:
    blocks: list[Block] = []
    alone: set[int] = set()  # blocks whose goal was printed on a line of its own
    rows = [r for r in sec.rows if any(c.strip() for c in r.cells)]
    for k, row in enumerate(rows):
        first = row.cells[0].strip()
        if first.startswith("金额单位") or "一级指标" in row.cells:
            continue  # unit line and header
        cells = indicator_cells(row.cells)
        if cells is None and (PROJECT_CODE.match(first.replace(" ", "")) or any(PHONE.match(c) for c in row.cells[1:])):
            out.issues.append(Issue("error", "perf", row.line, f"绩效表里有一行不是绩效指标：“{row.text[:60]}”"))
            continue
        if cells is None:
            # A goal printed alone on its line: the indicator rows after it carry no goal of their own.
            # Anything else between rows is stray text (a page's header or footer).
            nxt = indicator_cells(rows[k + 1].cells) if k + 1 < len(rows) else None
            text = clean_name(row.text)
            if text and not text.endswith("指标") and (not blocks or (nxt is not None and not nxt[0])):
                alone.add(len(blocks))
                blocks.append(Block(text, row.line))
            continue
        goal = cells[0]
        rec = {"level1": cells[1], "level2": cells[2], "level3": cells[3], "nature": cells[4],
               "value": cells[5], "unit": cells[6], "line": row.line}
        if goal and not (blocks and not blocks[-1].rows and blocks[-1].goal == goal):
            new = Block(goal, row.line)
            prev = blocks[-1] if blocks else None
            # A block broken by a page break: its second part repeats or continues the goal and
            # carries the indicators the first part lacks.
            if prev and row.after_break and prev.rows and len(prev.rows) < 6 and \
                    not (prev.kinds & {(rec["level1"], rec["level2"])}) and len(prev.kinds) < 6:
                prev.goal = prev.goal if len(prev.goal) >= len(goal) else goal
                new = prev
            else:
                blocks.append(new)
        elif not blocks:
            blocks.append(Block("", row.line))
        blocks[-1].rows.append(rec)
    for i in sorted(alone):
        move_orphans(blocks[i - 1] if i else None, blocks[i])
    return blocks


def move_orphans(prev: Block | None, block: Block) -> None:
    """Halves printed apart: rows of a goal-alone block can be printed before its goal, at the end of the
    block before. Such a row repeats a kind the block before already has, and is the kind its own block
    lacks; it moves."""
    while prev and len(prev.rows) > 1:
        last = prev.rows[-1]
        kind = (last["level1"], last["level2"])
        if kind in {(r["level1"], r["level2"]) for r in prev.rows[:-1]} and kind not in block.kinds:
            block.rows.insert(0, prev.rows.pop())
        else:
            break
