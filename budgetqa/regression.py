"""Regression questions: YAML cases run through the engine and judged strictly, turn by turn.

A case is `{id, q, <expectation>}` or `{id, turns: [...]}`. A turn is a question string (only the last
one carries the case's expectation; earlier ones must not crash) or a mapping `{q, <expectation>}`, each
judged on its own. Expectations:

- `number` (+ `unit`, default 万元): the answer's headline `value`, converted by its `unit`, must be the
  figure at the figure's own precision (0.05 is no 0.045125). Numbers inside the sentence count only when
  the case says `anywhere: true`. A difference (比…多/少, 增加, 减少, 下降) must go the right way: `signed: true`
  or a negative figure means the figure is A minus B in the order asked; otherwise it is a magnitude whose
  direction is the one the question asks (少了多少 → a decrease). An expected 0 needs a value of 0 or a
  sentence that says 未安排 / 为0.
- `names` (+ `exact: true`, `exclude`): list items that must appear in the answer or its rows; with
  `exact`, the answer's rows hold these items and no others.
- `text`: strings the sentence must contain.
- `refuse: true`: no figure may be given: status clarify / not_found / unsupported (never error).
- `clarify: [...]`: the answer asks back (status clarify) and offers each of these candidates.

>>> judge({"status": "ok", "answer": "合计55万元：…60学时业务培训（线上）…", "value": 55, "unit": "万元"}, {"number": 60})[0]
False
>>> judge({"status": "ok", "answer": "74元", "value": 74, "unit": "元"}, {"number": 74})[0]
False
>>> judge({"status": "ok", "answer": "比上年减少0.05万元", "value": -0.05, "unit": "万元"}, {"number": 0.045125})[0]
False
>>> judge({"status": "error", "answer": "内部错误"}, {"refuse": True})[0]
False
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from budgetqa.answer import Answer

NUM = re.compile(r"-?\d[\d,]*\.?\d*")
REFUSALS = ("clarify", "not_found", "unsupported")
COUNT_UNITS = ("个", "条", "张", "次", "人", "项", "名", "家", "所", "期", "批", "台", "套", "天", "场", "户", "处", "类")
SCALE = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}
ASKS_DECREASE = re.compile(r"(?<!多)少(?!数)|下降|降低|降了|缩减|压减")
ASKS_INCREASE = re.compile(r"多多少|多出|多了|增加|增长|上升|提高|涨")
SAYS_DECREASE = re.compile(r"(?:少|减少|下降|降低|压减|缩减)了?(?:约)?-?\d")
SAYS_ZERO = re.compile(r"未安排|没有安排|为0(?![.\d])|为零|0(?:\.0+)?万?元(?![\d])")


@dataclass
class Result:
    case_id: str
    question: str
    passed: bool
    why: str
    answered_wrongly: bool = False  # status ok, but not right: the worst kind of failure


def norm(s) -> str:
    s = str(s)
    for a, b in (("（", "("), ("）", ")"), ("，", ","), ("：", ":"), (" ", ""), ("\u3000", "")):
        s = s.replace(a, b)
    return s


def dec(x) -> Decimal | None:
    if x is None or isinstance(x, bool):
        return None
    try:
        return Decimal(str(x))
    except (InvalidOperation, ValueError):
        return None


def places(d: Decimal) -> int:
    """Decimal places a figure was written with (82.44 -> 2, 9025 -> 0)."""
    return max(0, -d.normalize().as_tuple().exponent)


def same_figure(got: Decimal, expected: Decimal, unit: str) -> bool:
    """`got` is `expected` at the expected figure's precision; a percent may be rounded to two places."""
    half = Decimal(1).scaleb(-places(expected)) / 2
    if abs(got - expected) < half:
        return True
    if unit == "%" and places(got) >= 2:  # 82.44 for 82.4415: a percent stated to two places is the same share
        return got == expected.quantize(Decimal(1).scaleb(-places(got)))
    return False


def headline(out: dict, unit: str) -> Decimal | None:
    """The answer's own value in the expected unit; None when the answer carries none (or in another unit)."""
    v = dec(out.get("value"))
    if v is None:
        return None
    ou = out.get("unit")
    if unit in SCALE:
        if ou not in SCALE and ou is not None:
            return None  # 74个 is no amount of money
        return v * SCALE[ou or "万元"] / SCALE[unit]
    if unit == "%":
        return v if ou == "%" else None
    if unit in COUNT_UNITS:  # an indicator's own unit may read 个（台、套、件、辆）
        return v if ou is None or ou not in SCALE and ou not in ("%", "倍") else None
    return v if ou == unit else None


def expected_change(case: dict, question: str) -> Decimal | None:
    """The expected figure as a signed change, or None when the question asks no direction (相差多少)."""
    e = dec(case["number"])
    if case.get("signed") or e < 0:
        return e
    if ASKS_INCREASE.search(question):
        return e
    if ASKS_DECREASE.search(question):
        return -e
    return None


def answer_direction(v: Decimal, sentence: str) -> Decimal:
    """A positive value stated as a decrease (比上年减少0.125125万元) is a negative change."""
    if v > 0 and SAYS_DECREASE.search(norm(sentence)):
        return -v
    return v


def ok_number(out: dict, case: dict, question: str = "") -> tuple[bool, str]:
    unit = case.get("unit", "万元")
    e = dec(case["number"])
    v = headline(out, unit)
    sentence = out.get("answer") or ""
    if e == 0 and (v is None or v == 0) and (v == 0 or SAYS_ZERO.search(norm(sentence))):
        return True, ""
    if case.get("anywhere"):
        cands = [dec(m.replace(",", "")) for m in NUM.findall(norm(sentence))] + ([v] if v is not None else [])
        cands = [c for c in cands if c is not None]
        scaled = [c * s for c in cands for s in (1, SCALE["万元"] if unit == "元" else 1)]
        return any(same_figure(c, abs(e), unit) for c in scaled + [abs(c) for c in scaled]), "no figure in the sentence"
    if v is None:
        return False, f"no headline value in {unit}"
    change = expected_change(case, question) if unit != "%" or case.get("signed") or e < 0 else None
    if change is not None and (v < 0 or change < 0 or SAYS_DECREASE.search(norm(sentence))):
        got = answer_direction(v, sentence)
        if not same_figure(got, change, unit):
            return False, "wrong direction" if same_figure(abs(got), abs(change), unit) else f"value {got} ≠ {change}"
        return True, ""
    return same_figure(abs(v), abs(e), unit) if change is None and v < 0 else same_figure(v, e, unit), f"value {v} ≠ {e}"


def row_names(out: dict) -> list[str]:
    """The first text cell of each result row (a total line excluded)."""
    names = []
    for row in out.get("rows") or []:
        for c in row:
            if isinstance(c, str) and not re.fullmatch(r"[\d.,%\-]*", c):
                if not re.fullmatch(r"合计|总计|小计", c):
                    names.append(c)
                break
    return names


def judge(out: dict, case: dict, question: str | None = None) -> tuple[bool, str]:
    question = question if question is not None else str(case.get("q") or "")
    status = out.get("status")
    said = f"status={status} answer={(out.get('answer') or '')[:160]!r} value={out.get('value')!r} unit={out.get('unit')!r}"
    if case.get("refuse"):
        return status in REFUSALS, said
    if "clarify" in case:
        offered = norm(json.dumps(out.get("candidates") or [], ensure_ascii=False) + (out.get("answer") or ""))
        miss = [c for c in case["clarify"] if norm(c) not in offered]
        return status == "clarify" and not miss, f"missing candidates={miss} {said}"
    if status != "ok":
        return False, said
    if "number" in case:
        good, why = ok_number(out, case, question)
        return good, f"{why}; {said}"
    if "names" in case:
        hay = norm((out.get("answer") or "") + json.dumps(out.get("rows") or [], ensure_ascii=False))
        miss = [n for n in case["names"] if norm(n) not in hay]
        extra = [n for n in case.get("exclude", []) if norm(n) in hay]
        stray = []
        if case.get("exact"):
            wanted = [norm(n) for n in case["names"]]
            listed = [norm(r) for r in row_names(out)]
            if not listed:
                listed = [w for w in wanted if w in hay]
            stray = [r for r in listed if not any(w in r or r in w for w in wanted)]
            if len(set(listed)) < len(set(wanted)):
                miss = miss or [w for w in wanted if not any(w in r or r in w for r in listed)]
        return not miss and not extra and not stray, f"missing={miss} unexpected={extra + stray}"
    if "text" in case:
        miss = [t for t in case["text"] if norm(t) not in norm(out.get("answer") or "")]
        return not miss, f"missing={miss} {said}"
    return False, "bad case: no expectation"


def turns_of(case: dict) -> list[tuple[str, dict | None]]:
    """(question, expectation or None) for each turn; a plain string turn list is judged at its last turn."""
    if "turns" not in case:
        return [(str(case["q"]), case)]
    out: list[tuple[str, dict | None]] = []
    turns = case["turns"]
    for i, t in enumerate(turns):
        if isinstance(t, dict):
            out.append((str(t["q"]), t))
        else:
            out.append((str(t), case if i == len(turns) - 1 else None))
    return out


def run_case(engine, case: dict) -> list[tuple[str, dict | None, Answer]]:
    from budgetqa.engine import Context

    ctx = Context() if "turns" in case else None
    return [(q, expect, engine.ask(q, ctx)) for q, expect in turns_of(case)]


def judge_case(engine, case: dict) -> Result:
    """Every turn with an expectation is judged; a turn without one must not crash."""
    question = case.get("q") or " / ".join(q for q, _ in turns_of(case))
    for n, (q, expect, answer) in enumerate(run_case(engine, case), 1):
        out = answer.to_json()
        if expect is None:
            if out["status"] == "error":
                return Result(str(case.get("id")), question, False, f"turn {n} crashed: {out['answer']}")
            continue
        good, why = judge(out, expect, q)
        if not good:
            where = f"turn {n} ({q}): " if "turns" in case else ""
            return Result(str(case.get("id")), question, False, where + why, out["status"] == "ok")
    return Result(str(case.get("id")), question, True, "")


class CaseFileError(ValueError):
    """A question file that cannot be read or is not a list of cases; the message names the file."""


def read_cases(f: Path) -> list[dict]:
    """The cases of one YAML file: a list of mappings, each with `q` or `turns` and its expectations."""
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
        turns = case.get("turns") if isinstance(case, dict) else None
        good_turns = isinstance(turns, list) and turns and all(
            isinstance(t, str) or isinstance(t, dict) and isinstance(t.get("q"), str) for t in turns)
        if not isinstance(case, dict) or not (isinstance(case.get("q"), str) or good_turns):
            raise CaseFileError(f"{f}: 第{i}个问题格式不对（需要 q: 问题 或 turns: [问题, …]）")
    return cases


def run_files(engine, files: list[Path]) -> OrderedDict[str, list[Result]]:
    out: OrderedDict[str, list[Result]] = OrderedDict()
    for f in files:
        for case in read_cases(f):
            try:
                result = judge_case(engine, case)
            except (ValueError, TypeError, KeyError, InvalidOperation) as e:  # a case whose expectation is malformed
                result = Result(str(case.get("id")), str(case.get("q") or case.get("turns")), False, f"用例的期望值不对：{e}")
            out.setdefault(Path(f).stem, []).append(result)
    return out
