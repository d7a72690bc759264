"""Regression questions: YAML cases (the acceptance format) run through the engine and judged.

A case is {id, q | turns, number [unit] | names [exclude] | text | refuse}. Judging follows the
acceptance scorer: the figure may be stated in 万元 or 元, names must appear in the answer or rows.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import yaml

from budgetqa.answer import Answer

NUM = re.compile(r"-?\d[\d,]*\.?\d*")


@dataclass
class Result:
    case_id: str
    question: str
    passed: bool
    why: str


def norm(s) -> str:
    s = str(s)
    for a, b in (("（", "("), ("）", ")"), ("，", ","), ("：", ":"), (" ", ""), ("\u3000", "")):
        s = s.replace(a, b)
    return s


def numbers(out: dict) -> list[float]:
    found = []
    v = out.get("value")
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        found.append(float(v))
    for m in NUM.findall(norm(out.get("answer") or "")):
        try:
            found.append(float(m.replace(",", "")))
        except ValueError:
            pass
    return found


def ok_number(out: dict, case: dict) -> bool:
    e = float(case["number"])
    unit = case.get("unit", "万元")
    cands = numbers(out)
    if e == 0 and out.get("status") == "ok" and re.search(r"未安排|没有|无|为0|0\.0*万?元|^0$", norm(out.get("answer") or "")):
        return True
    if unit == "%":
        return any(abs(c - e) <= 0.01 or abs(c - e / 100) <= 0.0001 for c in cands)
    if unit in ("个", "条", "张", "次", "人"):
        return any(c == e for c in cands)
    if unit == "元":
        return any(abs(c - e) <= 1 or abs(c - e / 10000) <= 0.006 for c in cands)
    tol = max(0.006, abs(e) * 1e-6)
    return any(abs(c - e) <= tol or abs(c - e * 10000) <= tol * 10000 for c in cands)


def judge(out: dict, case: dict) -> tuple[bool, str]:
    if case.get("refuse"):
        return out.get("status") != "ok", f"status={out.get('status')} answer={out.get('answer')!r}"
    if out.get("status") != "ok":
        return False, f"status={out.get('status')} answer={out.get('answer')!r}"
    hay = norm((out.get("answer") or "") + json.dumps(out.get("rows") or [], ensure_ascii=False))
    if "number" in case:
        return ok_number(out, case), f"answer={out.get('answer')!r} value={out.get('value')!r}"
    if "names" in case:
        miss = [n for n in case["names"] if norm(n) not in hay]
        extra = [n for n in case.get("exclude", []) if norm(n) in hay]
        return not miss and not extra, f"missing={miss} unexpected={extra}"
    if "text" in case:
        miss = [t for t in case["text"] if norm(t) not in norm(out.get("answer") or "")]
        return not miss, f"missing={miss} answer={out.get('answer')!r}"
    return False, "bad case"


def run_case(engine, case: dict) -> Answer:
    from budgetqa.engine import Context

    if "turns" in case:
        ctx = Context()
        answer = None
        for turn in case["turns"]:
            answer = engine.ask(turn, ctx)
        return answer
    return engine.ask(case["q"])


def run_files(engine, files: list[Path]) -> OrderedDict[str, list[Result]]:
    out: OrderedDict[str, list[Result]] = OrderedDict()
    for f in files:
        cases = yaml.safe_load(Path(f).read_text(encoding="utf-8")) or []
        for case in cases:
            answer = run_case(engine, case)
            good, why = judge(answer.to_json(), case)
            q = case.get("q") or " / ".join(case.get("turns", []))
            out.setdefault(Path(f).stem, []).append(Result(str(case.get("id")), q, good, why))
    return out
