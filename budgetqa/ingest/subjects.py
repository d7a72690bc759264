"""Subject dimensions: 功能分类 类/款/项 and 经济分类 类/款, from the document and the reference catalogue.

The document prints 项 codes with names (2240101-行政运行) but not the names of their 类 and 款
(224 灾害防治及应急管理支出, 22401 应急管理事务); those come from `lexicon/subjects_*.tsv`.
"""

from __future__ import annotations

import csv
from functools import lru_cache

from budgetqa.ingest.tables import Parsed, Record
from budgetqa.lexicon_files import lexicon_path

LEVELS = {3: "类", 5: "款", 7: "项"}
SCHEMES = {"func": "功能分类", "gov": "政府经济分类", "dept": "部门经济分类"}


@lru_cache(maxsize=1)
def reference() -> dict[str, dict[str, str]]:
    """scheme -> code -> name, from the shipped catalogue files (empty where a file is missing)."""
    ref: dict[str, dict[str, str]] = {"功能分类": {}, "政府经济分类": {}, "部门经济分类": {}}
    p = lexicon_path("subjects_function.tsv")
    if p.exists():
        with p.open(encoding="utf-8") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                ref["功能分类"][row["code"].strip()] = row["name"].strip()
    p = lexicon_path("subjects_economic.tsv")
    if p.exists():
        with p.open(encoding="utf-8") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                scheme = "政府经济分类" if row.get("scheme", "").strip() == "政府" else "部门经济分类"
                ref[scheme][row["code"].strip()] = row["name"].strip()
    return ref


def parent(scheme: str, code: str) -> str | None:
    if scheme == "功能分类":
        return {5: code[:3], 7: code[:5]}.get(len(code))
    return code[:3] if len(code) == 5 else None


def level(scheme: str, code: str) -> str:
    if scheme == "功能分类":
        return LEVELS.get(len(code), "项")
    return "类" if len(code) == 3 else "款"


def subject_rows(out: Parsed) -> list[Record]:
    found: dict[tuple[str, str], str] = {}
    for table in ("expenditure", "fund_expenditure", "projects", "fiscal_expenditure", "basic_expenditure"):
        for r in out.tables.get(table, []):
            if r.get("func_code"):
                found.setdefault(("功能分类", r["func_code"]), r["func_name"])
            if r.get("gov_econ_code"):
                found.setdefault(("政府经济分类", r["gov_econ_code"]), r["gov_econ_name"])
            if r.get("dept_econ_code"):
                found.setdefault(("部门经济分类", r["dept_econ_code"]), r["dept_econ_name"])
    for r in out.tables.get("purchased_services", []):  # 服务领域 prints 类 codes with names
        if r.get("field_code"):
            found.setdefault(("功能分类", r["field_code"]), r["field"])
    ref = reference()
    rows: dict[tuple[str, str], Record] = {}
    for (scheme, code), _name in found.items():
        chain = [code]
        while (p := parent(scheme, chain[-1])) is not None:
            chain.append(p)
        for c in chain:
            if (scheme, c) in rows:
                continue
            cname = found.get((scheme, c)) or ref[scheme].get(c)
            if cname is None:
                continue
            rows[(scheme, c)] = {"scheme": scheme, "code": c, "name": cname, "level": level(scheme, c),
                                 "parent_code": parent(scheme, c)}
    return sorted(rows.values(), key=lambda r: (r["scheme"], r["code"]))
