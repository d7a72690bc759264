"""Shanghai's 9-table budget template (上海市部门预算/单位预算), read from the PDF as published.

The template is recognised by its tables' titles (财务收支预算总表 … “三公”经费和机关运行经费预算表); each
table is mapped to the rows of the shared schema, in its 万元 (the tables print 元 with at most two decimals,
so 元/10000 is exact at the schema's six decimals; the 三公 table prints 万元 already):

| Shanghai table | schema rows |
|---|---|
| 财务收支预算总表 | summary_items (table_no as titled), income sources, 收入总计/支出总计 |
| 收入预算总表 | income (the 合计 row, one row per source column) |
| 支出预算总表 | expenditure (项 rows: 功能分类 × 合计/基本/项目) |
| 财政拨款收支预算总表 | summary_items |
| 一般公共预算支出功能分类预算表 | fiscal_expenditure (项 rows: 合计/基本/项目; 人员/公用 are not printed per subject) |
| 政府性基金 / 国有资本经营预算支出功能分类预算表 | fund_expenditure |
| 一般公共预算基本支出部门预算经济分类预算表 | basic_expenditure (款 rows: 合计/人员经费/公用经费) |
| “三公”经费和机关运行经费预算表 | sangong; 机关运行经费 as a summary_items line |

Codes printed in 类/款/项 columns are joined (201 05 07 -> 2010507; a 款 printed as '2' is '02'). The 类 and
款 rows are subtotals: they are kept for reconciliation and name the subjects, but only the leaves are stored
as rows, so that sums over a table never count a figure twice.

>>> title_kind("2024年部门支出预算总表"), title_kind("2025年预算单位财务收支预算总表")
('支出预算总表', '财务收支预算总表')
>>> title_kind("部门“三公”经费和机关运行经费预算表"), title_kind("1. 2025年部门收入预算总表 ……………")
('“三公”经费和机关运行经费预算表', None)
>>> join_code(["301", "2", ""])
'30102'
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal

from budgetqa.ingest import tables as T
from budgetqa.ingest.narrative import Figure, narrative_figures, records
from budgetqa.ingest.pdf import PdfRow, PdfTable
from budgetqa.ingest.text import AmountError, clean_name, parse_amount

TEMPLATE = "上海9表"

# the nine tables, in the order the template prints them; the key is how a title ends
KINDS = ("财务收支预算总表", "收入预算总表", "支出预算总表", "财政拨款收支预算总表", "一般公共预算支出功能分类预算表",
         "政府性基金预算支出功能分类预算表", "国有资本经营预算支出功能分类预算表", "一般公共预算基本支出部门预算经济分类预算表",
         "“三公”经费和机关运行经费预算表")
TITLE = re.compile(r"^(?:(?:20\d\d)年(?:度)?)?(?:部门|预算单位|单位)?(" + "|".join(re.escape(k) for k in KINDS) + r")$")
FUND_KINDS = {"政府性基金预算支出功能分类预算表": "政府性基金", "国有资本经营预算支出功能分类预算表": "国有资本经营"}
TEN_THOUSAND = Decimal(10000)
EMPTY = ("", "-", "—", "--", "无", "/")


class TemplateError(ValueError):
    """A document that follows no template this reader knows, or a table it cannot read."""


def title_kind(line: str) -> str | None:
    s = re.sub(r"\s+", "", line).replace('"', "“", 1).replace('"', "”", 1)
    s = s.replace("\u201c三公\u201d", "“三公”").replace("'三公'", "“三公”")
    m = TITLE.match(s)
    return m.group(1) if m else None


def page_titles(text: str) -> list[str]:
    """The table titles printed on a page as lines of their own (a table of contents lists them with dots)."""
    return [k for line in text.splitlines() if "…" not in line and (k := title_kind(line))]


def join_code(parts: list[str]) -> str:
    """类/款/项 cells as one code: 类 three digits, 款 and 项 two (a 款 printed as '2' is '02')."""
    parts = [re.sub(r"\s+", "", p) for p in parts]
    if len(parts) == 1 or (parts[0] and not any(parts[1:]) and len(parts[0]) in (5, 7)):
        return parts[0]  # a code printed whole in one cell
    code = parts[0]
    for p in parts[1:]:
        if not p:
            break
        code += p.zfill(2)
    return code


def is_code(s: str) -> bool:
    """A 类 code (or a part of one cut short), or a whole 款/项 code printed in one cell."""
    return bool(re.fullmatch(r"\d{1,3}|\d{5}|\d{7}", s.replace(" ", "")))


def is_total(label: str) -> bool:
    s = re.sub(r"\s+", "", label)
    return s in ("合计", "总计", "收入总计", "支出总计", "本年收入合计", "本年支出合计") or s.endswith(("合计", "总计"))


# -- the document's sections: which pages hold which table ------------------------------------------------

@dataclass
class Section:
    kind: str
    title: str
    first_page: int
    pages: list[int] = field(default_factory=list)
    rows: list[PdfRow] = field(default_factory=list)


def table_pages(texts: list[str]) -> tuple[dict[int, list[tuple[str, str]]], list[int]]:
    """Pages with table titles -> [(kind, title line)] in the template's order, and every page that holds (part
    of) a table: the titled pages and the pages after one that continue it (rows of codes or a 合计 line)."""
    titled: dict[int, list[tuple[str, str]]] = {}
    for n, text in enumerate(texts, start=1):
        if "目录" in re.sub(r"\s+", "", text[:40]):
            continue
        found = {}
        for line in text.splitlines():
            k = title_kind(line) if "…" not in line else None
            if k and k not in found:
                found[k] = re.sub(r"\s+", "", line)
        if found:
            titled[n] = sorted(found.items(), key=lambda kv: KINDS.index(kv[0]))
    pages: list[int] = []
    current: str | None = None
    for n, text in enumerate(texts, start=1):
        if n in titled:
            current = titled[n][-1][0]
            pages.append(n)
        elif current and current != KINDS[-1] and continues(text):
            pages.append(n)
        else:
            current = None
    return titled, pages


CONTINUED = re.compile(r"^\s*(?:\d{3}(?:\s+\d{1,2}){0,2}\s+\S|合\s*计|类\s+款)", re.M)


def continues(text: str) -> bool:
    """A page that carries on the table of the page before: rows of 类/款/项 codes or the 合计 line."""
    return bool(CONTINUED.search(text))


def sections(titled: dict[int, list[tuple[str, str]]], tables: dict[int, list[PdfTable]]) -> list[Section]:
    """The tables of each page to their sections: a page's tables before its titled ones continue the table of
    the page before; each title takes the next table (two small tables may share a page)."""
    out: list[Section] = []
    for n in sorted(tables):
        body = [t for t in tables[n] if len(t.rows) >= 1 and max(len(r.cells) for r in t.rows) >= 2]
        titles = titled.get(n, [])
        extra = max(0, len(body) - len(titles)) if titles else len(body)
        # tables beyond one per title: the end of the page before's table when they start with its rows
        carried = [t for t in body[:extra] if out and (not titles or starts_with_rows(t))]
        for t in carried:
            out[-1].pages.append(n)
            out[-1].rows.extend(t.rows)
        rest = body[len(carried):]
        for i, (kind, title) in enumerate(titles):
            sec = Section(kind, title, n)
            out.append(sec)
            mine = rest[i:i + 1] if i < len(titles) - 1 else rest[i:]  # the last title takes what is left
            for t in mine:
                if n not in sec.pages:
                    sec.pages.append(n)
                sec.rows.extend(t.rows)
    return out


def starts_with_rows(t: PdfTable) -> bool:
    first = t.rows[0].cells[0] if t.rows and t.rows[0].cells else ""
    return is_code(first) or is_total(first)


# -- amounts ------------------------------------------------------------------------------------------------

def money(sec: Section, row: PdfRow, i: int, scale: Decimal = TEN_THOUSAND) -> Decimal | None:
    """Cell i of a row as 万元 (from 元 unless the table prints 万元); empty cells are None."""
    s = row.cell(i).replace(" ", "")
    if s in EMPTY:
        return None
    try:
        v = parse_amount(s)
    except AmountError:
        raise T.TableError(sec.kind, row.row, f"第{row.page}页第{i + 1}列“{s}”不是金额") from None
    return None if v is None else v / scale


def has_amount(row: PdfRow, start: int = 0) -> bool:
    for c in row.cells[start:]:
        s = c.replace(" ", "")
        if s and s not in EMPTY:
            try:
                if parse_amount(s) is not None:
                    return True
            except AmountError:
                continue
    return False


# -- the reader ------------------------------------------------------------------------------------------------

@dataclass
class Coded:
    """A row of a table by 功能分类/经济分类 code, subtotals included: what reconciliation checks."""

    kind: str
    code: str
    name: str
    values: dict[str, Decimal | None]
    page: int
    row: int
    seq: int


@dataclass
class Reading:
    parsed: T.Parsed
    dept_name: str
    dept_code: str
    doc_kind: str
    year: int
    coded: dict[str, list[Coded]] = field(default_factory=dict)  # kind -> rows (类/款/项 and 合计)
    summary: dict[str, list[dict]] = field(default_factory=dict)  # kind -> two-sided rows
    figures: list[Figure] = field(default_factory=list)  # figures the narrative states


def dept_code_for(name: str, kind: str) -> str:
    """Shanghai documents print no department code: a stable one from the name (and 单位预算 apart)."""
    h = hashlib.sha1(name.encode("utf-8")).hexdigest()[:6].upper()
    return f"SH{h}" + ("U" if kind == "单位预算" else "")


class Reader:
    def __init__(self, dept_code: str, dept_name: str):
        self.out = T.Parsed()
        self.dept_code = dept_code
        self.dept_name = dept_name
        self.seq = 0
        self.coded: dict[str, list[Coded]] = {}
        self.summary: dict[str, list[dict]] = {}

    def source(self, sec: Section, row: PdfRow) -> dict:
        self.seq += 1
        return {"line": self.seq, "page": row.page, "src_table": sec.kind, "src_row": row.row}

    def total(self, sec: Section, row: PdfRow, label: str, col: str, value: Decimal | None) -> None:
        self.out.total(sec.kind, label, col, value, row.row, page=row.page, src_table=sec.kind, src_row=row.row)

    def read(self, sec: Section) -> None:
        k = sec.kind
        if k in ("财务收支预算总表", "财政拨款收支预算总表"):
            self.two_sided(sec)
        elif k == "“三公”经费和机关运行经费预算表":
            self.sangong(sec)
        else:
            self.coded_table(sec)

    # -- tables by code: 收入/支出预算总表, the three 功能分类 tables, the 经济分类 table ------------------------

    def coded_table(self, sec: Section) -> None:
        layout: tuple[list[int], int, list[tuple[int, str]]] | None = None
        rows: list[Coded] = []
        header: list[PdfRow] = []
        for row in sec.rows:
            cells = row.cells
            if any(c in ("类", "款") for c in cells):  # the last header row: codes are in these columns
                layout = column_layout([*header, row])
                header = []
                continue
            first = cells[0] if cells else ""
            if layout is None and header and is_code(first) and len(first) >= 3 and has_amount(row):
                # no 类/款/项 header row: the code is printed whole in the first column
                layout = column_layout(header, code_cols=[0])
                header = []
            if layout is None or not (is_code(first) or is_total(first) or (rows and not first and has_amount(row))):
                filled = [i for i, c in enumerate(cells) if c]
                if layout is not None and rows and filled == [layout[1]] and not is_total(cells[layout[1]]):
                    rows[-1].name += clean_name(cells[layout[1]])  # a name wrapped onto a row of its own
                    continue
                if not has_amount(row):
                    header.append(row)
                continue
            code_cols, name_col, value_cols = layout
            width = value_cols[-1][0] + 1 if value_cols else len(cells)
            if len(cells) != width and len(cells) > len(value_cols):
                # a page that printed the table alone (a lone 合计 line) has its own columns: align from the right
                row = PdfRow(row.page, row.row, [""] * (width - len(cells)) + cells if len(cells) < width
                             else cells[len(cells) - width:])
                if is_total(first):
                    row.cells[0] = first
                cells = row.cells
            if is_total(first) or is_total(row.cell(name_col)):
                values = {col: money(sec, row, i) for i, col in value_cols}
                rows.append(Coded(sec.kind, "合计", "合计", values, row.page, row.row, 0))
                continue
            parts = [row.cell(i).replace(" ", "") for i in code_cols]
            prev = rows[-1].code if rows and rows[-1].code != "合计" else None
            if len(code_cols) > 1 and len(parts[0]) < 3 and prev:
                # a 类 cell left empty (merged over its rows) or printed cut short ('7' for 210): the 类 of the
                # row before, which the 款 continues
                if parts[0] and not (len(prev) >= 5 and parts[1].zfill(2) == prev[3:5]):
                    raise T.TableError(sec.kind, row.row, f"第{row.page}页类编码“{parts[0]}”无法识别")
                if parts[0]:
                    self.out.issues.append(T.Issue("note", sec.kind, row.row, f"第{row.page}页 {sec.kind} 第{row.row}行："
                                                   f"类编码印作“{parts[0]}”，按上一行读作{prev[:3]}", row.page))
                parts[0] = prev[:3]
            code = join_code(parts)
            if not code.isdigit():
                continue
            values = {col: money(sec, row, i) for i, col in value_cols}
            rows.append(Coded(sec.kind, code, clean_name(row.cell(name_col)), values, row.page, row.row, 0))
        for r in rows:
            r.seq = self.source(sec, PdfRow(r.page, r.row, []))["line"]
        self.coded[sec.kind] = rows
        self.map_coded(sec, rows)

    def map_coded(self, sec: Section, rows: list[Coded]) -> None:
        k = sec.kind
        body = [r for r in rows if r.code != "合计"]
        codes = {r.code for r in body}
        leaves = [r for r in body if not any(c != r.code and c.startswith(r.code) for c in codes)]
        for r in rows:
            if r.code == "合计":
                for col, v in r.values.items():
                    self.out.total(k, "合计", col, v, r.row, page=r.page, src_table=k, src_row=r.row)

        def src(r: Coded) -> dict:
            return {"line": r.seq, "page": r.page, "src_table": k, "src_row": r.row}

        if k == "收入预算总表":
            total = next((r for r in rows if r.code == "合计"), None)
            if total is not None:
                for col, v in total.values.items():
                    if v is not None and (v or col == "合计"):
                        self.out.add("income", {"unit_code": self.dept_code, "unit_name": self.dept_name,
                                                "source": col, "amount": v, **src(total)})
        elif k == "支出预算总表":
            for r in leaves:
                self.out.add("expenditure", {"func_code": r.code, "func_name": r.name, "total": r.values.get("合计"),
                                             "basic": r.values.get("基本支出"), "project": r.values.get("项目支出"),
                                             **src(r)})
        elif k == "一般公共预算支出功能分类预算表":
            for r in leaves:
                self.out.add("fiscal_expenditure", {
                    "unit_code": self.dept_code, "unit_name": self.dept_name, "func_code": r.code, "func_name": r.name,
                    "total": r.values.get("合计"), "basic": r.values.get("基本支出"), "personnel": None,
                    "public": None, "project": r.values.get("项目支出"), "project_excl_infra": None, **src(r)})
        elif k in FUND_KINDS:
            for r in leaves:
                self.out.add("fund_expenditure", {"table_no": k, "func_code": r.code, "func_name": r.name,
                                                  "total": r.values.get("合计"), "basic": r.values.get("基本支出"),
                                                  "project": r.values.get("项目支出"), **src(r)})
        elif k == "一般公共预算基本支出部门预算经济分类预算表":
            for r in leaves:
                self.out.add("basic_expenditure", {"dept_econ_code": r.code, "dept_econ_name": r.name,
                                                   "total": r.values.get("合计"), "personnel": r.values.get("人员经费"),
                                                   "public": r.values.get("公用经费"), **src(r)})

    # -- 财务收支预算总表 and 财政拨款收支预算总表: income items left, expenditure items right ------------------

    def two_sided(self, sec: Section) -> None:
        layout: list[tuple[int, str]] | None = None
        header: list[PdfRow] = []
        items: list[dict] = []
        seq = {"收入": 0, "支出": 0}
        for row in sec.rows:
            cells = row.cells
            if layout is None:
                header.append(row)
                if any(c == "项目" for c in cells) and any("预算数" in c or c == "合计" for c in cells):
                    continue
                if any(has_amount(r) for r in header[-1:]):
                    layout = right_columns(header[:-1])
                else:
                    continue
            if layout is None:
                continue
            for side, label_i, cols in (("收入", 0, [(1, "预算数")]), ("支出", 2, layout)):
                label = clean_name(row.cell(label_i))
                if not label:
                    continue
                values = {col: money(sec, row, i) for i, col in cols}
                amount = values.get("合计", values.get("预算数"))
                if amount is None and len(values) == 1:
                    amount = next(iter(values.values()))
                seq[side] += 1
                item = T.strip_numbering(label).strip("．. ")
                item = re.sub(r"^\d+[．.、]\s*", "", item)
                rec = {"table_no": sec.kind, "side": side, "seq": seq[side], "label": label, "item": item,
                       "amount": amount, "is_total": is_total(label), "values": values, **self.source(sec, row)}
                items.append(rec)
                if rec["is_total"]:
                    for col, v in values.items():
                        self.total(sec, row, item, side if col in ("预算数", "合计") else f"{side}{col}", v)
        self.summary[sec.kind] = items
        for rec in items:
            self.out.add("summary_items", {k: v for k, v in rec.items() if k != "values"})
        if sec.kind == "财务收支预算总表":  # income sources the 收入预算总表 has no column for
            for rec in items:
                if rec["side"] == "收入" and rec["amount"] and rec["item"] in ("一般公共预算资金", "政府性基金",
                                                                                "国有资本经营预算"):
                    self.out.add("income", {"unit_code": self.dept_code, "unit_name": self.dept_name,
                                            "source": rec["item"], "amount": rec["amount"],
                                            **{k: rec[k] for k in ("line", "page", "src_table", "src_row")}})

    # -- “三公”经费和机关运行经费预算表 (万元) -----------------------------------------------------------------

    SANGONG = (("合计", "三公经费"), ("因公出国", "因公出国（境）费用"), ("公务接待", "公务接待费"),
               ("小计", "公务用车购置及运行维护费"), ("公务用车购置及运行", "公务用车购置及运行维护费"),
               ("购置费", "公务用车购置费"), ("运行费", "公务用车运行维护费"))

    def sangong(self, sec: Section, year: int | None = None) -> None:
        """One data row of 万元 under a header of items; a header that spans two years (上年/本年 columns) or
        rows led by their year give each figure its own year; without a printed year it is the document's."""
        header = [r for r in sec.rows if not has_amount(r)]
        # the most specific label of each column: the lowest header row that names it
        cols: dict[int, str] = {}
        col_year: dict[int, int] = {}
        for r in header:
            current: int | None = None  # the year of the heading that spans this cell
            for i, c in enumerate(r.cells):
                if c:
                    cols[i] = c
                    m = re.search(r"(20\d\d)年", c)
                    current = int(m.group(1)) if m else (None if "机关运行" in c else current)
                if current is not None:
                    col_year[i] = current
        for row in sec.rows:
            if not has_amount(row):
                continue
            lead = re.fullmatch(r"(20\d\d)年?", row.cell(0).replace(" ", ""))
            for i, label in cols.items():
                if lead and i == 0:
                    continue
                y = int(lead.group(1)) if lead else col_year.get(i, year)
                if "机关运行" in label:
                    item = "机关运行经费" if y in (year, None) else f"{y}年机关运行经费"
                else:
                    item = next((name for key, name in self.SANGONG if key in label), None)
                if item is None:
                    continue
                value = money(sec, row, i, Decimal(1))
                src = self.source(sec, row)
                if "机关运行经费" in item:
                    self.out.add("summary_items", {"table_no": sec.kind, "side": "支出", "seq": 1, "label": label,
                                                   "item": item, "amount": value, "is_total": False, **src})
                else:
                    self.out.add("sangong", {"year": y or year, "item": item,
                                             "amount": value if value is not None else Decimal(0), **src})


def column_layout(header: list[PdfRow], code_cols: list[int] | None = None) -> tuple[list[int], int, list[tuple[int, str]]]:
    """From a coded table's header rows: the 类/款/项 columns, the name column and the amount columns by label.

    >>> rows = [["项目", "", "", "", "支出预算", "", ""], ["功能分类科目编码", "", "", "功能分类科目名称", "合计", "基本支出", "项目支出"],
    ...         ["类", "款", "项", "", "", "", ""]]
    >>> column_layout([PdfRow(1, i, r) for i, r in enumerate(rows, 1)])
    ([0, 1, 2], 3, [(4, '合计'), (5, '基本支出'), (6, '项目支出')])
    """
    last = header[-1]
    if code_cols is None:
        code_cols = [i for i, c in enumerate(last.cells) if c in ("类", "款", "项")]
        labelled = header[:-1]
    else:
        labelled = header
    width = max(len(r.cells) for r in header)
    labels: dict[int, str] = {}
    for r in labelled:
        for i, c in enumerate(r.cells):
            if c:
                labels[i] = re.sub(r"\s+", "", c)
    name_col = next((i for i in range(width) if i not in code_cols and "名称" in labels.get(i, "")),
                    max(code_cols) + 1)
    value_cols = [(i, labels.get(i, f"列{i + 1}")) for i in range(name_col + 1, width)]
    return code_cols, name_col, value_cols


def right_columns(header: list[PdfRow]) -> list[tuple[int, str]]:
    """The expenditure side's amount columns of a two-sided table (预算数, or 合计/基本支出…/一般公共预算…)."""
    width = max(len(r.cells) for r in header)
    labels: dict[int, str] = {}
    for r in header:
        for i, c in enumerate(r.cells):
            if c and i >= 3:
                labels[i] = re.sub(r"\s+", "", c)
    if width <= 4:
        return [(3, "预算数")]
    cols = [(i, labels.get(i, f"列{i + 1}")) for i in range(3, width)]
    return [(i, "合计" if lab == "预算数" else lab) for i, lab in cols]


# -- the document ------------------------------------------------------------------------------------------------

DEPT = re.compile(r"(?:编制部门|编制单位|预算主管部门|预算单位)\s*[:：]\s*(\S+?)(?:\s|单位[:：]|$)")
FINAL = re.compile(r"决\s*算")


def identify(texts: list[str], titled: dict[int, list[tuple[str, str]]], name: str) -> tuple[str, str, int]:
    """Department (or unit) name, 部门预算/单位预算, and the budget year, from the document itself."""
    head = "\n".join(texts[:1])
    dept = None
    for text in [head] + [texts[n - 1] for n in sorted(titled)]:
        m = DEPT.search(text)
        if m:
            dept = m.group(1)
            break
    if not dept:
        raise TemplateError(f"{name}: 找不到编制部门（预算单位）名称")
    kind = "单位预算" if re.search(r"单位预算|预算单位[:：]|编制单位[:：]", "\n".join(texts[:1] + [texts[min(titled) - 1]])) \
        else "部门预算"
    years = re.findall(r"(20\d\d)\s*年", head)
    for n in sorted(titled):
        years += [y for _, t in titled[n] for y in re.findall(r"(20\d\d)年", t)]
    if not years:
        raise TemplateError(f"{name}: 无法确定预算年度，请用 --year 指定")
    return dept, kind, int(years[0])


def is_final_accounts(texts: list[str]) -> bool:
    """A 决算 (final accounts): its cover or its tables say so, and it has not the budget's tables (a budget's
    narrative may well quote last year's 决算)."""
    titled, _ = table_pages(texts)
    if len({k for ts in titled.values() for k, _ in ts}) >= 5:
        return False
    head = re.sub(r"\s+", "", "".join(texts[:2]))
    return bool(FINAL.search(head[:400])) or any("决算表" in re.sub(r"\s+", "", t) for t in texts[:12])


def read(texts: list[str], tables_of, name: str, year: int | None = None) -> Reading:
    """texts: every page's text; tables_of(pages) -> {page: [PdfTable]} for the pages asked."""
    titled, pages = table_pages(texts)
    if not titled:
        raise TemplateError(f"{name}: 找不到预算表（财务收支预算总表、收入预算总表…），不像是部门预算公开文件")
    found = {k for ts in titled.values() for k, _ in ts}
    missing = [k for k in KINDS if k not in found]
    if len(missing) > 3:
        raise TemplateError(f"{name}: 只找到{len(found)}张预算表，缺少" + "、".join(missing) + "（文件可能不完整）")
    dept, kind, doc_year = identify(texts, titled, name)
    doc_year = year or doc_year
    code = dept_code_for(dept, kind)
    reader = Reader(code, dept)
    secs = sections(titled, tables_of(pages))
    for sec in secs:
        if not sec.rows:
            reader.out.issues.append(T.Issue("error", sec.kind, None, f"第{sec.first_page}页 {sec.kind}：没有读出表格"
                                             "（表格没有框线？），此表的数未加载", sec.first_page))
            continue
        if sec.kind == "“三公”经费和机关运行经费预算表":
            reader.sangong(sec, doc_year)
        else:
            reader.read(sec)
        reader.out.found.append({"table_no": sec.kind, "title": sec.title, "first_line": None,
                                 "row_count": len(sec.rows), "first_page": sec.first_page,
                                 "last_page": sec.pages[-1] if sec.pages else sec.first_page})
    for k in missing:
        reader.out.issues.append(T.Issue("error", k, None, f"文件中没有“{k}”"))
    r = Reading(reader.out, dept, code, kind, doc_year, reader.coded, reader.summary)
    r.figures = narrative_figures(texts, pages)
    reader.out.tables["narrative"] = records(r.figures, lambda: reader.source(Section("", "", 0), PdfRow(0, 0, []))["line"])
    return r
