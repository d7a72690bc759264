"""Figures a Shanghai budget states in its narrative (预算编制说明, 其他相关情况说明), each kept with the sentence
and page it came from, and checked against the tables: a narrative figure that disagrees with its table is
reported (page and sentence), never corrected.

>>> [(f.item, f.value, f.unit) for f in figures_in("2024年本部门政府采购预算1662.44万元，其中：政府采购货物预算93.98万元。", 3, "其他相关情况说明")]
[('政府采购预算', Decimal('1662.44'), '万元'), ('政府采购货物预算', Decimal('93.98'), '万元')]
>>> s = "4. “社会保障和就业支出（类）社会福利（款）社会福利事业单位（项）”738.66万元，主要用于人员经费。"
>>> [(f.item, f.value) for f in figures_in(s, 6, "预算编制说明")]
[('社会保障和就业支出-社会福利-社会福利事业单位', Decimal('738.66'))]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from budgetqa.ingest.tables import Issue

NUM = r"(\d[\d,]*(?:\.\d+)?)"


@dataclass
class Figure:
    section: str
    item: str
    value: Decimal
    unit: str
    sentence: str
    page: int
    seq: int = 0
    subject: tuple[str, ...] = ()  # 类, 款, 项 names of a 功能分类 subject
    codes: tuple[str, ...] = ()  # their codes, where the sentence prints them


def _num(s: str) -> Decimal:
    return Decimal(s.replace(",", ""))


# (item, pattern, unit): the first group is the figure
PATTERNS: list[tuple[str, re.Pattern, str]] = [(item, re.compile(p), unit) for item, p, unit in [
    ("收入预算", r"收入预算" + NUM + "万元", "万元"),
    ("财政拨款收入", r"其中[:：]?财政拨款收入" + NUM + "万元", "万元"),
    ("事业收入", r"事业收入" + NUM + "万元", "万元"),
    ("支出预算", r"(?<!拨款)(?<!拨款支出)(?<![金本])支出预算" + NUM + "万元", "万元"),
    ("财政拨款支出预算", r"其中[:：]?财政拨款支出预算" + NUM + "万元", "万元"),
    ("一般公共预算拨款支出预算", r"一般公共预算拨\s*款支出预算" + NUM + "万元", "万元"),
    ("三公经费", r"“三公”经费预算数?为?" + NUM + "万元", "万元"),
    ("因公出国（境）费用", r"因公出国（境）费" + NUM + "万元", "万元"),
    ("公务接待费", r"公务接待费" + NUM + "万元", "万元"),
    ("公务用车购置及运行维护费", r"公务用车购置及运行费" + NUM + "万元", "万元"),
    ("公务用车购置费", r"公务用车购置费" + NUM + "万元", "万元"),
    ("公务用车运行维护费", r"公务用车运行(?:维护)?费" + NUM + "万元", "万元"),
    ("机关运行经费", r"机关运行经费预算为?" + NUM + "万元", "万元"),
    ("政府采购预算", r"政府采购预算" + NUM + "万元", "万元"),
    ("政府采购货物预算", r"政府采购货物预算" + NUM + "万元", "万元"),
    ("政府采购工程预算", r"政府采购工程预算" + NUM + "万元", "万元"),
    ("政府采购服务预算", r"政府采购服务预算" + NUM + "万元", "万元"),
    ("面向中小企业预留政府采购预算", r"预留政府采购项目预算金额" + NUM + "万元", "万元"),
    ("预留给小型和微型企业的政府采购预算", r"预留给小型和微型企业的政府采购项目预算为?" + NUM + "万元", "万元"),
    ("编报绩效目标的项目数", r"编报绩效目标的项目" + NUM + "个", "个"),
    ("绩效目标涉及项目预算资金", r"涉及项目预算资金" + NUM + "万元", "万元"),
    # 国有资产占有使用情况: what is held (共有车辆7辆, or 车辆7辆（…）in the older wording) and what is to be bought
    ("车辆数", r"(?<!购置)(?<!购买)车辆" + NUM + "辆", "辆"),
    ("单价100万元以上设备数", r"(?<!购置)单价100万元?（含）以上设备（不含车辆）" + NUM + "台", "台（套）"),
    ("安排购置车辆数", r"安排购置车辆" + NUM + "辆", "辆"),
    ("安排购置单价100万元以上设备数", r"安排购置单价100万元?（含）以上设备（不含车辆）" + NUM + "台", "台（套）"),
    # the older 国有资产占有情况 wording: 流动资产448.82万元。固定资产3149.52万元，其中：房屋14609.83平方米；…
    ("流动资产", r"(?<!其他)流动资产" + NUM + "万元", "万元"),
    ("固定资产", r"(?<!其他)固定资产" + NUM + "万元", "万元"),
    ("其他固定资产", r"其他固定资产" + NUM + "万元", "万元"),
    ("房屋面积", r"房屋(?:面积)?" + NUM + "平方米", "平方米"),
    ("在建工程", r"在建工程\d+项" + NUM + "万元", "万元"),
    ("无形资产", r"无形资产\d+项" + NUM + "万元", "万元"),
    ("长期投资", r"长期投资\d+项" + NUM + "万元", "万元"),
    ("在建工程项数", r"在建工程" + NUM + "项", "项"),
    ("无形资产项数", r"无形资产" + NUM + "项", "项"),
    ("长期投资项数", r"长期投资" + NUM + "项", "项"),
    ("单价50万元以上通用设备数", r"单价50万元以上通用设备" + NUM + "台", "台（套）"),
    ("专用设备数", r"(?<!以上)专用设备" + NUM + "台", "台（套）"),
    ("单价100万元以上专用设备数", r"单价100万元以上专用设备" + NUM + "台", "台（套）"),
]]

# the cars held, or to be bought, by the template's kinds (执法执勤用车3辆): one figure a kind and sentence
CAR_KIND = re.compile(r"(部级领导干部用车|主要领导干部用车|机要通信用车|应急保障用车|执法执勤用车|特种专业技术用车|离退休干部用车|"
                      r"一般公务用车|其他用车)\s*" + NUM + r"\s*辆")

# a 功能分类 subject and its amount, in the three ways the 编制说明 prints it
SUBJECT_PATTERNS = [
    # “一般公共服务支出（类）财政事务（款）行政运行（项）”1,623.18万元
    re.compile(r"“?([^“”。；]+?)（类）(.+?)（款）(.+?)（项）”?\s*(?:科目)?\s*" + NUM + "万元"),
    # “一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”科目1,202.95万元
    re.compile(r"“([^“”。；]+?)-([^“”。；]+?)-([^“”。；]+?)”\s*科目\s*" + NUM + "万元"),
    # 公共安全支出（204类）司法（06款）行政运行（01项）1672.67万元
    re.compile(r"(?:^|[、.．\s])([^、。；\s]+?)（(\d{3})类）(.+?)（(\d{2})款）(.+?)（(\d{2})项）\s*" + NUM + "万元"),
]


def figures_in(sentence: str, page: int, section: str) -> list[Figure]:
    out: list[Figure] = []
    text = sentence.strip()
    if section == "预算编制说明":
        for pat in SUBJECT_PATTERNS:
            for m in pat.finditer(text):
                g = m.groups()
                if len(g) == 7:
                    names, codes, value = (g[0], g[2], g[4]), (g[1], g[3], g[5]), g[6]
                else:
                    names, codes, value = g[:3], (), g[3]
                names = tuple(re.sub(r"^[\d.．、\s]+", "", n).strip("“” ") for n in names)
                out.append(Figure(section, "-".join(names), _num(value), "万元", text, page, subject=names,
                                  codes=codes))
            if out:
                return out
    seen: set[str] = set()
    for item, pat, unit in PATTERNS:
        m = pat.search(text)
        if m and item not in seen:
            seen.add(item)
            out.append(Figure(section, item, _num(m.group(1)), unit, text, page))
    if "车辆" in text:
        buying = "安排购置" in text
        for kind, value in CAR_KIND.findall(text):
            item = ("安排购置" if buying else "") + kind + "数"
            if item not in seen:
                seen.add(item)
                out.append(Figure(section, item, _num(value), "辆", text, page))
    return out


def sentences(texts: list[str], first: int, last: int) -> list[tuple[int, str]]:
    """Sentences of pages first..last (1-based), each with the page it starts on; lines are joined without
    a break (the text is Chinese)."""
    out: list[tuple[int, str]] = []
    carry, carry_page = "", first
    for n in range(first, last + 1):
        text = "".join(line.strip() for line in texts[n - 1].splitlines())
        parts = re.split(r"(?<=[。；])", text)
        for i, part in enumerate(parts):
            if i == 0 and carry:
                part, page = carry + part, carry_page
                carry = ""
            else:
                page = n
            if part.endswith(("。", "；")):
                out.append((page, part))
            elif part:
                carry, carry_page = part, page
    if carry:
        out.append((carry_page, carry))
    return out


def narrative_figures(texts: list[str], table_pages: list[int]) -> list[Figure]:
    """The 编制说明 (before the tables) and the 其他相关情况说明 (after them)."""
    if not table_pages:
        return []
    first_table, last_table = min(table_pages), max(table_pages)
    figures: list[Figure] = []
    start = next((n for n in range(1, first_table) if re.search(r"预算编制说明", re.sub(r"\s+", "", texts[n - 1][:80]))),
                 None)
    if start:
        for page, s in sentences(texts, start, first_table - 1):
            figures += figures_in(s, page, "预算编制说明")
    other = next((n for n in range(last_table + 1, len(texts) + 1)
                  if "其他相关情况说明" in re.sub(r"\s+", "", texts[n - 1][:80])), None)
    if other:
        end = next((n - 1 for n in range(other + 1, len(texts) + 1)
                    if re.search(r"项目经费情况说明|绩效目标(?:填报|申报)表", re.sub(r"\s+", "", texts[n - 1][:60]))),
                   len(texts))
        for page, s in sentences(texts, other, end):
            figures += figures_in(s, page, "其他相关情况说明")
    figures += organisation_figures(texts, first_table)
    figures += project_figures(texts, last_table + 1)
    for i, f in enumerate(figures, start=1):
        f.seq = i
    return figures


# 机构设置: how the department is made up (设12个内设机构 / 下属5家预算单位 / 行政单位1家，事业单位4家)
ORGANISATION = [(item, re.compile(p), unit) for item, p, unit in [
    ("内设机构数", r"设\s*(\d+)\s*个内设机构", "个"),
    ("下属预算单位数", r"下属\s*(\d+)\s*家(?:预算单位|事业单位|单位)", "家"),
    ("行政单位数", r"行政单位\s*(\d+)\s*家", "家"),
    ("参公单位数", r"参公单位\s*(\d+)\s*家", "家"),
    ("事业单位数", r"(?<!下属)事业单位\s*(\d+)\s*家", "家"),
]]


def organisation_figures(texts: list[str], first_table: int) -> list[Figure]:
    """The counts the 机构设置 section states (设22个内设机构 / 下属5家预算单位 / 行政单位1家), each the first one
    said in the pages before the tables (an extraction may put the section's text on another page than its heading)."""
    out: list[Figure] = []
    for item, pat, unit in ORGANISATION:
        for n in range(1, min(first_table, len(texts) + 1)):
            text = "".join(line.strip() for line in texts[n - 1].splitlines())
            hit = pat.search(text)
            if hit:  # the sentence, and what the section lists after it (具体包括：1. 本部 2. …) up to 名词解释
                start = max(text.rfind("。", 0, hit.start()), text.rfind("；", 0, hit.start())) + 1
                sentence = text[start:].split("名词解释")[0][:400]
                out.append(Figure("机构设置", item, Decimal(hit.group(1)), unit, sentence, n))
                break
    return out


PROJECT_HEAD = re.compile(r"^(.*?)项目经费情况说明")


def project_figures(texts: list[str], first: int) -> list[Figure]:
    """The 项目经费情况说明: a project per heading, named by the heading (人民调解项目经费情况说明) or by what its
    项目概况 says is built, with its 年度预算安排 (a figure, the sum of its quarters' 用款计划 or of its parts).
    A project whose 年度预算安排 states no figure is kept with no value."""
    starts = [n for n in range(first, len(texts) + 1)
              if PROJECT_HEAD.match(re.sub(r"\s+", "", texts[n - 1][:120]))]
    out: list[Figure] = []
    for k, n in enumerate(starts):
        end = starts[k + 1] - 1 if k + 1 < len(starts) else len(texts)
        pages = [p for p in range(n, end + 1) if not re.search(r"绩效目标(?:填报|申报)表", texts[p - 1][:80])]
        text = "".join(line.strip() for p in pages for line in texts[p - 1].splitlines())
        head = PROJECT_HEAD.match(text)
        name = head.group(1) if head else ""
        if not name:
            m = re.search(r"(?:建设|实施|承担)的(.+?)[，,。]", text)
            name = m.group(1) if m else "未写明名称的项目"
        plan = re.search(r"年度预算安排(.*?)(?:[七八九]、|$)", text)
        sentence = ("年度预算安排" + plan.group(1)) if plan else ""
        amounts = [_num(x) for x in re.findall(NUM + "万元", plan.group(1))] if plan else []
        value = sum(amounts, Decimal(0)) if amounts else None
        out.append(Figure("项目经费情况说明", name, value, "万元", sentence or text[:120], n))  # type: ignore[arg-type]
    return out


def _tolerance(v: Decimal) -> Decimal:
    """Less than one unit of the narrative's last digit: some documents round 元 to 万元, some cut them
    (204.9197 written 204.91); neither is a disagreement.

    >>> _tolerance(Decimal("87.70")), _tolerance(Decimal("686"))
    (Decimal('0.01'), Decimal('1'))
    """
    exp = v.as_tuple().exponent
    d = -exp if isinstance(exp, int) and exp < 0 else 0
    return Decimal(10) ** (-d)


def check(figures: list[Figure], r, issues: list[Issue]) -> None:
    """Each narrative figure against the table that prints the same quantity (within the narrative's rounding)."""
    out = r.parsed
    T = out.tables

    def summary(item: str, table: str = "财务收支预算总表") -> Decimal | None:
        return next((x["amount"] for x in T.get("summary_items", []) if x["table_no"] == table and x["item"] == item),
                    None)

    income = {x["source"]: x["amount"] for x in T.get("income", [])}
    sangong = {x["item"]: x["amount"] for x in T.get("sangong", []) if x["year"] == r.year}
    table_of: dict[str, tuple[str, Decimal | None]] = {
        "收入预算": ("财务收支预算总表收入总计", summary("收入总计")),
        "支出预算": ("财务收支预算总表支出总计", summary("支出总计")),
        "财政拨款收入": ("收入预算总表财政拨款收入", income.get("财政拨款收入")),
        "事业收入": ("收入预算总表事业收入", income.get("事业收入", Decimal(0)) if income else None),
        "财政拨款支出预算": ("财政拨款收支预算总表支出总计", summary("支出总计", "财政拨款收支预算总表")),
        "机关运行经费": ("“三公”经费和机关运行经费预算表", next(
            (x["amount"] for x in T.get("summary_items", []) if x["item"] == "机关运行经费"), None)),
    }
    for item in ("三公经费", "因公出国（境）费用", "公务接待费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费"):
        table_of[item] = ("“三公”经费和机关运行经费预算表", sangong.get(item))
    fiscal = [c for c in r.coded.get("一般公共预算支出功能分类预算表", []) if c.code != "合计"]
    names = {c.code: c.name for c in fiscal}
    leaves = [c for c in fiscal if len(c.code) == 7]
    for f in figures:
        if f.subject:
            match = subject_row(f, leaves, names)
            if match is None:
                issues.append(Issue("note", f.section, f.seq, f"第{f.page}页 {f.section}：说明中的科目“{f.item}”"
                                                               f"在一般公共预算支出功能分类预算表中找不到", f.page))
                continue
            f.codes = (match.code,)
            expected, where = match.values.get("合计"), f"一般公共预算支出功能分类预算表{match.code} {match.name}"
        elif f.item in table_of:
            where, expected = table_of[f.item]
        else:
            continue
        if expected is None:
            continue
        if abs(f.value - expected) >= _tolerance(f.value):
            issues.append(Issue("error", f.section, f.seq,
                                f"第{f.page}页 {f.section}：“{f.item}”写作{f.value}万元，{where}为{expected.normalize()}万元，"
                                f"差{(f.value - expected).normalize()}万元（原句：{f.sentence[:60]}）", f.page))


def _key(name: str) -> str:
    """A subject name as compared: no spaces, 其它 as 其他, brackets full-width."""
    return re.sub(r"\s+", "", name).replace("其它", "其他").replace("(", "（").replace(")", "）")


def subject_row(f: Figure, leaves, names: dict[str, str]):
    """The table's 项 row a narrative subject names: by its printed codes, else by its 项 and 款 names (a 类 may
    be printed under an older name, 医疗卫生与计划生育支出 for 卫生健康支出), else by a unique 项 name."""
    if len(f.codes) == 3:
        code = "".join(f.codes)
        return next((c for c in leaves if c.code == code), None)
    cls, kuan, xiang = (_key(n) for n in f.subject)
    by_name = [c for c in leaves if _key(c.name) == xiang]
    both = [c for c in by_name if _key(names.get(c.code[:5], "")) == kuan]
    exact = [c for c in both if _key(names.get(c.code[:3], "")) == cls]
    for group in (exact, both, by_name):
        if len(group) == 1:
            return group[0]
    return None


def records(figures: list[Figure], counter) -> list[dict]:
    return [{"section": f.section, "item": f.item, "func_code": f.codes[0] if len(f.codes) == 1 else
             ("".join(f.codes) if f.codes else None), "value": f.value, "unit": f.unit, "sentence": f.sentence,
             "line": counter(), "page": f.page, "src_table": f.section, "src_row": f.seq} for f in figures]
