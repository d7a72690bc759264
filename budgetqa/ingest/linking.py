"""Linking the tables that describe the same projects: the project list ↔ 04 amounts ↔ project table
(负责人, phones, codes) ↔ 12 政府购买服务 ↔ 绩效 blocks. Names differ between tables (spaces, brackets,
救援/救灾), so links go by code where there is one, else by fuzzy name with the amount as a check; every
link records its score, and what cannot be linked is reported.
"""

from __future__ import annotations

from decimal import Decimal

from rapidfuzz import fuzz

from budgetqa.ingest.tables import Block, Issue, Parsed, Record
from budgetqa.ingest.text import norm_key

NAME_SURE = 92.0  # a name this close is the same project
NAME_WITH_AMOUNT = 75.0  # closer than this, and with the same amount, is the same project


def join_project_lines(names: list[Record], amounts: list[Record], out: Parsed) -> list[Record]:
    if len(names) != len(amounts):
        out.issues.append(Issue("error", "04", amounts[0]["amount_line"] if amounts else None,
                                f"项目名称{len(names)}行，预算04表金额{len(amounts)}行，无法逐行对应"))
    lines = []
    ids: dict[str, int] = {}
    for i, (n, a) in enumerate(zip(names, amounts, strict=False), start=1):
        key = norm_key(n["name"])
        pid = ids.setdefault(key, len(ids) + 1)
        lines.append({"line_no": i, "project_id": pid, **n, **a})
    return lines


def best_project(name: str, amount: Decimal | None, totals: dict[str, Decimal], keys: dict[str, str]
                 ) -> tuple[str | None, float]:
    """The distinct project a differently spelled name refers to, with its score (0 when none)."""
    key = norm_key(name)
    if key in keys:
        return keys[key], 100.0
    best, score = None, 0.0
    for k, pname in keys.items():
        s = fuzz.ratio(key, k)
        if s > score:
            best, score = pname, s
    if best is None:
        return None, 0.0
    if score >= NAME_SURE or (score >= NAME_WITH_AMOUNT and amount is not None and totals[best] == amount):
        return best, score
    return None, score


def link_all(lines: list[Record], owners: list[Record], blocks: list[Block], out: Parsed) -> None:
    totals: dict[str, Decimal] = {}
    keys: dict[str, str] = {}
    first_name: dict[int, str] = {}
    for ln in lines:
        first_name.setdefault(ln["project_id"], ln["name"])
        name = first_name[ln["project_id"]]
        ln["name"] = name  # one spelling per project
        keys.setdefault(norm_key(name), name)
        totals[name] = totals.get(name, Decimal(0)) + (ln["amount"] or 0)

    code_of: dict[str, str] = {}
    for svc in out.tables.get("purchased_services", []):
        pname, score = best_project(svc["project_name"], None, totals, keys)
        svc["project"] = pname
        if pname and svc["project_code"] and score >= NAME_SURE:
            code_of.setdefault(svc["project_code"], pname)
        if not pname:
            basic = {r["total"] for r in out.tables.get("basic_expenditure", [])}
            if svc["amount"] in basic:  # bought from 基本支出 (e.g. 物业管理), not from a project
                out.issues.append(Issue("note", "12", svc["line"],
                                        f"政府购买服务“{svc['project_name']}”不是项目支出，金额与预算08表一行基本支出相同"))
            else:
                out.issues.append(Issue("error", "12", svc["line"], f"政府购买服务“{svc['project_name']}”找不到对应项目"))

    by_name: dict[str, Record] = {}
    for o in owners:
        pname, score = (code_of[o["project_code"]], 100.0) if o["project_code"] in code_of else \
            best_project(o["name"], o["amount"], totals, keys)
        o["project_name"], o["link_score"] = pname, score
        if pname is None:
            out.issues.append(Issue("error", "owners", o["line"], f"项目表“{o['name']}”找不到对应项目（最高得分{score:.0f}）"))
            continue
        if totals[pname] != o["amount"]:
            out.issues.append(Issue("error", "owners", o["line"],
                                    f"项目表“{o['name']}”金额{o['amount']}与项目支出表{totals[pname]}不符"))
        if score < 100:
            out.issues.append(Issue("note", "owners", o["line"], f"“{o['name']}”按名称近似关联到“{pname}”（得分{score:.0f}）"))
        by_name[pname] = o
    for ln in lines:
        o = by_name.get(ln["name"])
        ln["project_code"] = o["project_code"] if o else None
        ln["owner"] = o["owner"] if o else None
        ln["phone"] = o["phone"] if o else None
        ln["owner_link_score"] = o["link_score"] if o else None
    missing = sorted({ln["name"] for ln in lines if ln["name"] not in by_name})
    for name in missing:
        out.issues.append(Issue("note", "owners", None, f"项目“{name}”不在项目表中（无负责人和电话）"))
    link_blocks(blocks, [(pid, first_name[pid]) for pid in sorted(first_name)], totals, out)


def cost_candidates(block: Block) -> list[Decimal]:
    """The block's 成本指标 amount in 万元, read both as written and as 元 (units are often wrong)."""
    out: list[Decimal] = []
    for r in block.rows:
        if r["level1"] != "成本指标":
            continue
        v = r.get("value_num")
        if v is None or v == 0:
            continue
        unit = r["unit"] or ""
        if unit not in ("元", "万元", ""):
            continue  # 成本不超过预算值 100 %: a share, not an amount
        out.extend([v / 10000, v] if unit == "元" else [v, v / 10000])
    return out


def link_blocks(blocks: list[Block], projects: list[tuple[int, str]], totals: dict[str, Decimal], out: Parsed) -> None:
    """Align blocks to projects in order (a monotone alignment that may skip on either side), scoring a
    pair by the 成本指标 amount and by how much of the project's name the block's text shares."""
    n, m = len(blocks), len(projects)
    texts = [b.goal + "".join(r["level3"] for r in b.rows) for b in blocks]
    costs = [set(cost_candidates(b)) for b in blocks]
    keys = [norm_key(name) for _, name in projects]
    amounts = [totals[name] for _, name in projects]
    band = max(12, abs(n - m) + 8)  # blocks follow project order: look near the diagonal only

    def pair(i: int, j: int) -> tuple[float, str]:
        if amounts[j] in costs[i]:
            return 3.0, "成本指标金额"
        sim = fuzz.partial_ratio(keys[j], texts[i]) / 100
        return (sim, "名称文字") if sim >= 0.6 else (0.3 * sim, "位置")

    # score[i][j]: the best alignment of blocks i.. with projects j..; cells far from the diagonal
    # can only skip (a pair there would misplace a block), which keeps this linear in practice.
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [["p"] * (m + 1) for _ in range(n + 1)]
    pairs: dict[tuple[int, int], tuple[float, str]] = {}
    ratio = m / max(n, 1)
    for i in range(n - 1, -1, -1):
        centre = i * ratio
        row, below = score[i], score[i + 1]
        for j in range(m - 1, -1, -1):
            skip_b, skip_p = below[j], row[j + 1]
            best, mv = (skip_b, "b") if skip_b >= skip_p else (skip_p, "p")
            if abs(centre - j) <= band:
                p = pairs[(i, j)] = pair(i, j)
                if below[j + 1] + p[0] > best:
                    best, mv = below[j + 1] + p[0], "m"
            row[j], move[i][j] = best, mv
    i = j = 0
    while i < n and j < m:
        mv = move[i][j]
        if mv == "m":
            s, how = pairs[(i, j)]
            blocks[i].project = projects[j][1]  # type: ignore[attr-defined]
            blocks[i].method, blocks[i].confidence = how, round(min(s, 3.0) / 3.0, 2)  # type: ignore[attr-defined]
            if how == "成本指标金额":
                blocks[i].cost = totals[projects[j][1]]  # type: ignore[attr-defined]
            i, j = i + 1, j + 1
        elif mv == "b":
            i += 1
        else:
            j += 1
    linked = {getattr(b, "project", None) for b in blocks}
    tail = 0
    while blocks and tail < m and projects[m - 1 - tail][1] not in linked:
        tail += 1
    if tail:  # the 绩效 table follows project order: the last projects without a block were cut off
        names = "、".join(f"“{name}”" for _, name in projects[m - tail:][:3]) + ("等" if tail > 3 else "")
        out.issues.append(Issue("error", "perf", blocks[-1].line,
                                f"最后{tail}个项目（{names}）没有绩效目标，绩效表可能被截断"))
    for b in blocks:
        if not getattr(b, "project", None):
            b.project, b.method, b.confidence = None, "未关联", 0.0  # type: ignore[attr-defined]
            out.issues.append(Issue("error", "perf", b.line, f"绩效目标“{b.goal[:20]}…”未能关联到项目"))
        elif b.confidence < 0.5:  # type: ignore[attr-defined]
            out.issues.append(Issue("note", "perf", b.line,
                                    f"绩效目标“{b.goal[:20]}…”按{b.method}关联到“{b.project}”，把握不大"))  # type: ignore
