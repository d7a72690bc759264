"""Reconciliation: every table against its own 合计/总计 rows, and the tables against each other.

Figures are compared within the rounding of the least precise one (the 01 table prints some
income items to 2 decimals while its totals carry 6), so a rounded figure is not a mismatch.

>>> tolerance([Decimal("9751.39"), Decimal("9751.387870")])
Decimal('0.005')
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from budgetqa.ingest.tables import Issue, Parsed
from budgetqa.ingest.text import decimals

ZERO = Decimal(0)


def tolerance(values: list[Decimal]) -> Decimal:
    d = min((decimals(v) for v in values if v is not None), default=6)
    return Decimal(5) * Decimal(10) ** (-(d + 1))


def total_of(out: Parsed, table_no: str, col: str, label: str | None = None) -> tuple[Decimal | None, int | None]:
    for t in out.totals:
        if t["table_no"] == table_no and t["col"] == col and (label is None or t["label"] == label):
            return t["amount"], t["line"]
    return None, None


def check(out: Parsed, table: str, line: int | None, what: str, parts: list[Decimal | None], expected: Decimal | None
          ) -> None:
    if expected is None:
        return
    vals = [p for p in parts if p is not None]
    got = sum(vals, ZERO)
    if abs(got - expected) > tolerance(vals + [expected]):
        out.issues.append(Issue("error", table, line, f"{what}：计算得{got}，原表为{expected}，差{got - expected}"))


def col_sum(rows, col: str) -> list[Decimal | None]:
    return [r.get(col) for r in rows]


def reconcile(out: Parsed) -> None:
    T = out.tables
    # 01 and 06: items add up to 本年收入/支出合计 and both totals agree
    for no in ("01", "06"):
        items = [r for r in T.get("summary_items", []) if r["table_no"] == no]
        for side in ("收入", "支出"):
            rows = [r for r in items if r["side"] == side]
            tot = next((r for r in rows if r["is_total"] and r["item"].startswith("本年")), None)
            if no == "06":
                tot = next((r for r in rows if r["item"] in ("本年收入", "本年支出")), tot)
            if tot is None:
                continue
            body = [r for r in rows if not r["is_total"] and r["seq"] < tot["seq"] and r is not tot]
            if no == "06":  # 06 nests sources under 本年收入 and subjects after 本年支出
                body = [r for r in rows if r["seq"] > tot["seq"] and not r["is_total"]
                        and (r["label"].startswith(("（", "(")) if side == "收入" else r["label"][:1] in "一二三四五六七八九十")
                        and not r["item"].startswith(("上年", "年终"))]
            check(out, no, tot["line"], f"预算{no}表{side}各项之和", col_sum(body, "amount"), tot["amount"])
        inc, line = total_of(out, no, "收入", "收入总计")
        exp, _ = total_of(out, no, "支出", "支出总计")
        check(out, no, line, f"预算{no}表收入总计与支出总计", [inc], exp)
    check(out, "06", total_of(out, "06", "收入", "收入总计")[1], "预算06表与01表收入总计",
          [total_of(out, "06", "收入", "收入总计")[0]], total_of(out, "01", "收入", "收入总计")[0])

    # 02: units add up to the department row and to the 合计 row; 合计 = 01 本年收入合计
    income = T.get("income", [])
    if income:
        codes = sorted({r["unit_code"] for r in income}, key=len)
        dept = codes[0]
        for r in income:
            if r["unit_code"] == dept:
                kids = [k for k in income if k["source"] == r["source"] and k["unit_code"] != dept
                        and k["unit_code"].startswith(dept)]
                if kids:
                    check(out, "02", r["line"], f"预算02表下属单位{r['source']}之和", col_sum(kids, "amount"), r["amount"])
                published, line = total_of(out, "02", r["source"])
                check(out, "02", line, f"预算02表{r['source']}合计", [r["amount"]], published)
        check(out, "02", total_of(out, "02", "合计")[1], "预算02表合计与01表本年收入合计",
              [total_of(out, "02", "合计")[0]], total_of(out, "01", "收入", "本年收入合计")[0])

    # 03: rows = 基本 + 项目; columns add up to 合计; 03 合计 = 01 本年支出合计
    exp_rows = T.get("expenditure", [])
    for r in exp_rows:
        check(out, "03", r["line"], f"预算03表{r['func_name']}/{r['dept_econ_name']}基本+项目", [r["basic"], r["project"]],
              r["total"])
    for col, zh in (("total", "合计"), ("basic", "基本支出"), ("project", "项目支出")):
        published, line = total_of(out, "03", zh)
        check(out, "03", line, f"预算03表{zh}", col_sum(exp_rows, col), published)
    check(out, "03", total_of(out, "03", "合计")[1], "预算03表合计与01表本年支出合计",
          [total_of(out, "03", "合计")[0]], total_of(out, "01", "支出", "本年支出合计")[0])
    # 01 支出 by 类 = 03 by the first three digits of 功能分类 (where the 类 name is in the catalogue)
    names = {s["name"]: s["code"] for s in T.get("subjects", []) if s["scheme"] == "功能分类" and s["level"] == "类"}
    by_class: dict[str, list[Decimal]] = defaultdict(list)
    for r in exp_rows:
        by_class[r["func_code"][:3]].append(r["total"])
    for r in T.get("summary_items", []):
        if r["table_no"] == "01" and r["side"] == "支出" and r["item"] in names and r["amount"] is not None:
            check(out, "01", r["line"], f"预算01表{r['item']}与03表", by_class.get(names[r["item"]], []), r["amount"])

    # 04: project lines add up to 04 合计 = 03 项目支出, and per 功能分类 to 03's project column
    projects = T.get("projects", [])
    check(out, "04", total_of(out, "04", "合计")[1], "预算04表项目金额之和", col_sum(projects, "amount"),
          total_of(out, "04", "合计")[0])
    check(out, "04", total_of(out, "04", "合计")[1], "预算04表合计与03表项目支出", [total_of(out, "04", "合计")[0]],
          total_of(out, "03", "项目支出")[0])
    per_func: dict[str, list[Decimal]] = defaultdict(list)
    for p in projects:
        per_func[p["func_code"]].append(p["amount"])
    exp_func: dict[str, list[Decimal]] = defaultdict(list)
    for r in exp_rows:
        exp_func[r["func_code"]].append(r["project"])
    for code in sorted(set(per_func) | {c for c, v in exp_func.items() if any(x for x in v)}, key=str):
        check(out, "04", None, f"功能分类{code}的项目金额与03表项目支出", per_func.get(code, []),
              sum((x for x in exp_func.get(code, []) if x is not None), ZERO))

    # 07: rows add up; totals = 03; 基本 = 人员 + 公用
    fiscal = T.get("fiscal_expenditure", [])
    for col, zh in (("total", "合计"), ("basic", "基本支出"), ("personnel", "人员经费"), ("public", "公用经费"),
                    ("project", "项目支出")):
        published, line = total_of(out, "07", zh)
        check(out, "07", line, f"预算07表{zh}", col_sum(fiscal, col), published)
    for zh in ("合计", "基本支出", "项目支出"):
        check(out, "07", total_of(out, "07", zh)[1], f"预算07表{zh}与03表", [total_of(out, "07", zh)[0]],
              total_of(out, "03", zh)[0])

    # 08: rows = 人员 + 公用; columns add up; 08 = 03 基本支出; 人员/公用 = 07
    basic = T.get("basic_expenditure", [])
    for r in basic:
        check(out, "08", r["line"], f"预算08表{r['dept_econ_name']}人员+公用", [r["personnel"], r["public"]], r["total"])
    for col, zh in (("total", "合计"), ("personnel", "人员经费"), ("public", "公用经费")):
        published, line = total_of(out, "08", zh)
        check(out, "08", line, f"预算08表{zh}", col_sum(basic, col), published)
    check(out, "08", total_of(out, "08", "合计")[1], "预算08表合计与03表基本支出", [total_of(out, "08", "合计")[0]],
          total_of(out, "03", "基本支出")[0])
    for zh in ("人员经费", "公用经费"):
        check(out, "08", total_of(out, "08", zh)[1], f"预算08表{zh}与07表", [total_of(out, "08", zh)[0]],
              total_of(out, "07", zh)[0])

    # 05, 12: rows add up to 合计
    check(out, "05", total_of(out, "05", "金额")[1], "预算05表采购金额之和", col_sum(T.get("procurement", []), "amount"),
          total_of(out, "05", "金额")[0])
    check(out, "12", total_of(out, "12", "预算金额")[1], "预算12表购买服务金额之和",
          col_sum(T.get("purchased_services", []), "amount"), total_of(out, "12", "预算金额")[0])

    check_codes(out)
    check_summary_items(out)

    # 11: 总额 = 出国 + 接待 + 车辆小计; 小计 = 购置 + 运维
    years: dict[int, dict[str, Decimal]] = defaultdict(dict)
    lines: dict[int, int] = {}
    for r in T.get("sangong", []):
        years[r["year"]][r["item"]] = r["amount"]
        lines[r["year"]] = r["line"]
    for y, v in years.items():
        check(out, "11", lines[y], f"{y}年三公经费各项之和",
              [v.get("因公出国（境）费用"), v.get("公务接待费"), v.get("公务用车购置及运行维护费")], v.get("三公经费"))
        check(out, "11", lines[y], f"{y}年公务用车购置及运行维护费", [v.get("公务用车购置费"), v.get("公务用车运行维护费")],
              v.get("公务用车购置及运行维护费"))


# The lines of 01 and 06 that are not subjects: sources of income, carry-overs, totals (after their numbering).
SUMMARY_ITEMS = frozenset({
    "一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入", "财政专户管理资金收入", "事业收入",
    "上级补助收入", "附属单位上缴收入", "事业单位经营收入", "其他收入", "单位结转结余", "上年结转", "上年结转结余",
    "用事业基金弥补收支差额", "本年收入", "本年收入合计", "收入总计", "本年支出", "本年支出合计", "支出总计",
    "年终结转结余", "结转下年", "往来性支出", "一般公共预算拨款", "一般公共预算资金", "政府性基金预算拨款",
    "政府性基金预算资金", "国有资本经营预算拨款", "国有资本经营预算资金", "财政拨款收入", "财政拨款支出"})


def check_codes(out: Parsed) -> None:
    """Every subject code's 类 is in the catalogue (lexicon/subjects_*.tsv), and a 类 printed with its name
    (预算12表's 服务领域) carries the catalogue's name: a garbled code that still parses is reported, not kept."""
    from budgetqa.ingest.subjects import reference

    ref = reference()
    where = {"expenditure": "03", "fund_expenditure": "09", "fiscal_expenditure": "07", "basic_expenditure": "08",
             "projects": "04"}
    seen: set[tuple[str, str, str]] = set()
    for table, no in where.items():
        for r in out.tables.get(table, []):
            line = r.get("line") or r.get("amount_line") or r.get("name_line")
            for col, scheme in (("func_code", "功能分类"), ("gov_econ_code", "政府经济分类"),
                                ("dept_econ_code", "部门经济分类")):
                code = r.get(col)
                if not code or not ref[scheme] or (scheme, code, no) in seen:
                    continue
                if code[:3] not in ref[scheme] or not code.isdigit():
                    seen.add((scheme, code, no))
                    out.issues.append(Issue("error", no, line, f"{scheme}科目编码{code}不在科目目录中"))
    for r in out.tables.get("purchased_services", []):
        code, name = r.get("field_code"), r.get("field")
        if not ref["功能分类"]:
            break
        if not code:
            out.issues.append(Issue("error", "12", r["line"], f"服务领域“{name}”没有科目编码"))
            continue
        known = ref["功能分类"].get(code)
        if known is None:
            out.issues.append(Issue("error", "12", r["line"], f"服务领域编码{code}（{name}）不在科目目录中"))
        elif known != name:
            out.issues.append(Issue("error", "12", r["line"], f"服务领域{code}印作“{name}”，科目目录为“{known}”"))


def check_summary_items(out: Parsed) -> None:
    """Each line of 01 and 06 is a known source of income, a carry-over or total, or a 功能分类 类 by name."""
    from budgetqa.ingest.subjects import reference

    classes = {name for code, name in reference()["功能分类"].items() if len(code) == 3}
    if not classes:
        return
    for r in out.tables.get("summary_items", []):
        item = r["item"].replace(" ", "")
        if item in SUMMARY_ITEMS or item in classes or r["is_total"] and r["amount"] is None:
            continue
        out.issues.append(Issue("error", r["table_no"], r["line"],
                                f"“{r['label']}”不是已知的收支项目或功能分类类级科目名称"))


# -- Shanghai's 9 tables (PDF): every row against its own 合计, subtotals against their rows, tables against
#    each other. Figures are exact (元 with two decimals), so any difference is reported, in 元, with the page
#    and row; nothing is corrected.

def _yuan(v: Decimal) -> str:
    y = (v * 10000).normalize()
    return f"{y:,.2f}" if y == y.quantize(Decimal("0.01")) else f"{y:,}"


def _differs(got: Decimal, expected: Decimal) -> bool:
    return got != expected


def reconcile_shanghai(r) -> None:
    out = r.parsed

    def issue(kind: str, page: int | None, row: int | None, what: str, got: Decimal, expected: Decimal,
              unit: str = "元") -> None:
        show = _yuan if unit == "元" else (lambda v: f"{v.normalize():,}")
        where = f"第{page}页 {kind} 第{row}行" if page else kind
        out.issues.append(Issue("error", kind, row, f"{where}：{what}：各项之和{show(got)}{unit}，原表为{show(expected)}{unit}，"
                                                   f"差{show(got - expected)}{unit}", page))

    def compare(kind, page, row, what, parts, expected, unit="元"):
        if expected is None:
            return
        got = sum((p for p in parts if p is not None), ZERO)
        if _differs(got, expected):
            issue(kind, page, row, what, got, expected, unit)

    # tables by code: each row's columns, each subtotal's rows, the 合计 row
    totals: dict[str, dict[str, Decimal | None]] = {}
    classes: dict[str, dict[str, tuple[Decimal | None, str]]] = {}
    for kind, rows in r.coded.items():
        body = [c for c in rows if c.code != "合计"]
        total = next((c for c in rows if c.code == "合计"), None)
        cols = list(rows[0].values) if rows else []
        for c in rows:
            if "合计" in c.values and len(c.values) > 1:
                label = "合计行" if c.code == "合计" else f"{c.code} {c.name}"
                compare(kind, c.page, c.row, f"{label} {'+'.join(k for k in c.values if k != '合计')}与合计",
                        [v for k, v in c.values.items() if k != "合计"], c.values["合计"])
        codes = [c.code for c in body]
        for c in body:
            width = {3: 5, 5: 7}.get(len(c.code))
            kids = [k for k in body if width and len(k.code) == width and k.code.startswith(c.code)]
            if not kids:
                continue
            for col in cols:
                compare(kind, c.page, c.row, f"{c.code} {c.name}的{col}与下级科目", [k.values.get(col) for k in kids],
                        c.values.get(col))
        if total is not None:
            tops = [c for c in body if len(c.code) == min((len(x) for x in codes), default=3)]
            for col in cols:
                compare(kind, total.page, total.row, f"合计行的{col}与各类科目", [c.values.get(col) for c in tops],
                        total.values.get(col))
            totals[kind] = total.values
        classes[kind] = {c.name: (c.values.get("合计"), c.code) for c in body if len(c.code) == 3}

    # the two-sided tables: each row, the sides, the sides against each other
    side_totals: dict[str, dict[str, dict]] = {}
    for kind, items in r.summary.items():
        for side in ("收入", "支出"):
            rows = [x for x in items if x["side"] == side]
            tot = next((x for x in rows if x["item"] in (f"{side}总计",)), None)
            for x in rows:
                vals = x["values"]
                if "合计" in vals and len(vals) > 1:
                    compare(kind, x["page"], x["src_row"], f"{x['item']}各列与合计",
                            [v for k, v in vals.items() if k != "合计"], vals["合计"])
            if tot is None:
                continue
            side_totals.setdefault(kind, {})[side] = tot
            top = [x for x in rows if not x["is_total"] and re.match(r"^[一二三四五六七八九十]+、", x["label"])]
            compare(kind, tot["page"], tot["src_row"], f"{side}总计与各项", [x["amount"] for x in top], tot["amount"])
            # 1. 2. 3. under the line before them (财政拨款收入 = 一般公共预算资金 + 政府性基金 + 国有资本经营预算)
            parent = None
            kids: list[dict] = []
            for x in rows + [None]:
                if x is not None and re.match(r"^\d+[、.．]", x["label"]):
                    kids.append(x)
                    continue
                if parent is not None and kids:
                    compare(kind, parent["page"], parent["src_row"], f"{parent['item']}与其下各项",
                            [k["amount"] for k in kids], parent["amount"])
                parent, kids = x, []
        st = side_totals.get(kind, {})
        if "收入" in st and "支出" in st:
            compare(kind, st["收入"]["page"], st["收入"]["src_row"], "收入总计与支出总计", [st["收入"]["amount"]],
                    st["支出"]["amount"])

    # tables against each other
    def tot(kind: str, col: str = "合计") -> Decimal | None:
        return (totals.get(kind) or {}).get(col)

    def total_line(kind: str) -> tuple[int | None, int | None]:
        c = next((c for c in r.coded.get(kind, []) if c.code == "合计"), None)
        return (c.page, c.row) if c else (None, None)

    fin = side_totals.get("财务收支预算总表", {})
    if "收入" in fin:
        p, row = total_line("收入预算总表")
        compare("收入预算总表", p, row, "合计与财务收支预算总表收入总计", [tot("收入预算总表")], fin["收入"]["amount"])
    if "支出" in fin:
        p, row = total_line("支出预算总表")
        compare("支出预算总表", p, row, "合计与财务收支预算总表支出总计", [tot("支出预算总表")], fin["支出"]["amount"])
    fiscal = side_totals.get("财政拨款收支预算总表", {})
    if "支出" in fiscal:
        vals = fiscal["支出"]["values"]
        for kind, col in (("一般公共预算支出功能分类预算表", "一般公共预算"), ("政府性基金预算支出功能分类预算表", "政府性基金预算"),
                          ("国有资本经营预算支出功能分类预算表", "国有资本经营预算")):
            expected = next((v for k, v in vals.items() if k.startswith(col)), None)
            p, row = total_line(kind)
            if kind in totals or expected:
                compare(kind, p, row, f"合计与财政拨款收支预算总表{col}", [tot(kind)], expected or ZERO)
    if "收入" in fiscal and tot("收入预算总表", "财政拨款收入") is not None:
        p, row = total_line("收入预算总表")
        compare("收入预算总表", p, row, "财政拨款收入与财政拨款收支预算总表收入总计", [tot("收入预算总表", "财政拨款收入")],
                fiscal["收入"]["amount"])
    if tot("一般公共预算基本支出部门预算经济分类预算表") is not None or tot("一般公共预算支出功能分类预算表", "基本支出"):
        p, row = total_line("一般公共预算基本支出部门预算经济分类预算表")
        compare("一般公共预算基本支出部门预算经济分类预算表", p, row, "合计与一般公共预算支出功能分类预算表的基本支出",
                [tot("一般公共预算基本支出部门预算经济分类预算表")], tot("一般公共预算支出功能分类预算表", "基本支出"))
    # each 类 of the summary tables against the 类 row of the table by code
    for summary_kind, coded_kind in (("财务收支预算总表", "支出预算总表"), ("财政拨款收支预算总表", "一般公共预算支出功能分类预算表")):
        names = classes.get(coded_kind, {})
        for x in r.summary.get(summary_kind, []):
            if x["side"] != "支出" or x["is_total"] or x["item"] not in names:
                continue
            value = x["values"].get("一般公共预算") if summary_kind == "财政拨款收支预算总表" else x["amount"]
            compare(summary_kind, x["page"], x["src_row"], f"{x['item']}与{coded_kind}{names[x['item']][1]}类",
                    [names[x["item"]][0]], value)

    # 三公 (万元): 合计 = 出国 + 接待 + 车; 车 = 购置 + 运行
    items = {x["item"]: x for x in out.tables.get("sangong", [])}
    if "三公经费" in items:
        t = items["三公经费"]
        kind = t["src_table"]
        compare(kind, t["page"], t["src_row"], "“三公”经费合计与各项",
                [items[k]["amount"] for k in ("因公出国（境）费用", "公务接待费", "公务用车购置及运行维护费") if k in items],
                t["amount"], "万元")
        if "公务用车购置及运行维护费" in items:
            compare(kind, t["page"], t["src_row"], "公务用车购置及运行费与购置费、运行费",
                    [items[k]["amount"] for k in ("公务用车购置费", "公务用车运行维护费") if k in items],
                    items["公务用车购置及运行维护费"]["amount"], "万元")

    # what the narrative says against the tables
    from budgetqa.ingest.narrative import check as check_narrative

    check_narrative(r.figures, r, out.issues)
