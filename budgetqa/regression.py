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


class CaseFileError(ValueError):
    """A question file that cannot be read or is not a list of cases; the message names the file."""


def read_cases(f: Path) -> list[dict]:
    """The cases of one YAML file: a list of mappings, each with `q` or `turns` and one expectation."""
    f = Path(f)
    try:
        cases = yaml.safe_load(f.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CaseFileError(f"{f}: 文件不存在") from None
    except IsADirectoryError:
        raise CaseFileError(f"{f}: 是目录，不是问题文件") from None
    except UnicodeDecodeError:
        raise CaseFileError(f"{f}: 不是 UTF-8 文本") from None
    except OSError as e:
        raise CaseFileError(f"{f}: 无法读取（{e.strerror or e}）") from None
    except yaml.YAMLError as e:
        where = getattr(e, "problem_mark", None)
        raise CaseFileError(f"{f}: 不是有效的 YAML" + (f"（第{where.line + 1}行）" if where else "")) from None
    if cases is None:
        return []
    if not isinstance(cases, list):
        raise CaseFileError(f"{f}: 应该是问题的列表（- q: 问题 / number: 数值），而不是{type(cases).__name__}")
    for i, case in enumerate(cases, 1):
        if not isinstance(case, dict) or not (isinstance(case.get("q"), str) or (
                isinstance(case.get("turns"), list) and case["turns"] and all(isinstance(t, str) for t in case["turns"]))):
            raise CaseFileError(f"{f}: 第{i}个问题格式不对（需要 q: 问题 或 turns: [问题, …]）")
    return cases


def run_files(engine, files: list[Path]) -> OrderedDict[str, list[Result]]:
    out: OrderedDict[str, list[Result]] = OrderedDict()
    for f in files:
        cases = read_cases(f)
        for case in cases:
            answer = run_case(engine, case)
            try:
                good, why = judge(answer.to_json(), case)
            except (ValueError, TypeError, KeyError) as e:
                good, why = False, f"用例的期望值不对：{e}"
            q = case.get("q") or " / ".join(case.get("turns", []))
            out.setdefault(Path(f).stem, []).append(Result(str(case.get("id")), q, good, why))
    return out
