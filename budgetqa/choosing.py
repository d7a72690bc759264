"""Picking one of a clarification's choices in `budgetqa chat`: by number (`1`), by ordinal (`第一个`, `后者`) or by
a word only one choice contains (`政府经济分类`), and the question the choice stands for.

>>> from budgetqa.answer import Answer
>>> a = Answer("委托业务费多少", "clarify", "…您问的是哪一个？", candidates=["政府经济分类50205委托业务费", "部门经济分类30227委托业务费"])
>>> [pick(a, x) for x in ("2", "第一个", "部门经济分类的", "后者", "委托业务费", "电费多少", "按政府经济分类算", "部门经济分类口径",
...                       "按政府支出经济分类的口径")]
[1, 0, 1, 1, None, None, 0, 1, 0]
>>> pick(Answer("800兆电台维护费多少", "clarify", "…", candidates=["800兆电台维护费（首款）", "800兆电台维护费（尾款）"]), "尾款那笔")
1
>>> question_for(a, 0)
'政府经济分类50205委托业务费多少'
>>> question_for(Answer("姚瑶负责哪些项目", "clarify", "…", candidates=["姚遥负责哪些项目"]), 0)
'姚遥负责哪些项目'
>>> question_for(Answer("项目支出多少", "clarify", "…", candidates=["北京市西城区民政局"]), 0)
'北京市西城区民政局项目支出多少'
"""

from __future__ import annotations

import re

from budgetqa.core.patterns import lazy

ORDINALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
FILLER = lazy(r"^(?:我要|我选|我问的是|问的是|先看一下|先看看|先看|先说|先问|先来|就看|要|选|就是|就|是|选择|按照|按|用|看)|"
                    r"(?:的那个|那个|的那笔|那笔|那一笔|这笔|的那项|那项|那一项|的那位|那位|那一位|这位|那条|这条|那一条|那行|这行|口径|算|计算|下面|下边|底下|里面|那块|这块|那一块|那部分|那款|的|吧|呢|啊|"
                    r"。|！|!|\.|，|,|？|\?)+$")


def number_of(text: str) -> int | None:
    """1-based choice number named by `2`, `２`, `2.`, `第2个`, `第二个`, `第二项`, `二`."""
    t = text.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    m = re.fullmatch(r"(?:第|选|选择)?\s*(\d{1,2}|[一二两三四五六七八九十])\s*(?:个|项|条|种|号|\.|、|）|\))?", t)
    if not m:
        return None
    g = m.group(1)
    return int(g) if g.isdigit() else ORDINALS[g]


YES = lazy(r"(?:是|对|嗯|没错|是的|对的|对呀|是啊|就是|就是它|就是这个|正确)[。！!？?]*")


def pick(answer, text: str, loose: bool = False) -> int | None:
    """The 0-based choice `text` picks among `answer.candidates`, or None (then it is a question of its own).
    `loose` (a reply to the question just asked back): a choice's own words anywhere in a short reply pick it."""
    choices = list(getattr(answer, "candidates", None) or [])
    if not choices or getattr(answer, "status", "ok") == "ok":
        return None
    t = text.strip()
    n = number_of(t)
    if n is not None and (1 <= n <= len(choices) or not re.search(r"(?:19|20)\d\d年", t)):
        return n - 1 if 1 <= n <= len(choices) else None  # (2023年那个尾款 is no 2023rd choice)
    if t in ("前者", "前一个", "头一个", "首个") or (t in ("第一个",)):
        return 0
    if len(choices) == 1 and YES.fullmatch(t):  # 您问的是专家顾问费吗 -> 是的
        return 0
    if t in ("最后一个", "最后那个", "末一个") or (t == "后者" and len(choices) == 2):
        return len(choices) - 1
    if t in choices:
        return choices.index(t)
    if re.search(r"市里|市级|市本级|市的|市局|市财政|全市", t):  # 市里那个: the one with no district in its name
        city = [i for i, c in enumerate(choices) if not re.search(r"[区县]", c)]
        if len(city) == 1:
            return city[0]
    if re.search(r"区里|区级|区的", t):
        district = [i for i, c in enumerate(choices) if re.search(r"[区县]", c)]
        if len(district) == 1:
            return district[0]
    word = FILLER.sub("", FILLER.sub("", t))
    own = [i for i, c in enumerate(choices) if loose and any(part in t for part in distinct_parts(c, choices))]
    if len(own) == 1 and len(t) <= 14 and not ASKS.search(t):  # 管培训那个，张根 (张根负责哪些项目 asks its own)
        return own[0]
    if len(word) < 2:
        return None
    having = [i for i, c in enumerate(choices) if word in c]
    if not having:  # 按政府支出经济分类: the classification's name with its filler words (支出, 预算, 科目) left out
        plain = re.sub(r"支出|预算|科目", "", word)
        having = [i for i, c in enumerate(choices) if len(plain) >= 4 and plain in c]
    if not having:  # 2023年那个尾款: the reply's words in the choice's order (2023年…（20%尾款）)
        bare = re.sub(r"那个|这个|那笔|这笔|那项|这项|那一个|的", "", word)
        having = [i for i, c in enumerate(choices) if len(bare) >= 2 and in_order(bare, c)]
    return having[0] if len(having) == 1 else None


ASKS = lazy(r"多少|哪些|哪个|几个|几笔|是谁|什么|吗|怎么|有没有")  # a reply that asks is a question of its own


def distinct_parts(choice: str, choices: list[str]) -> list[str]:
    """The piece of a choice the others do not share: 张根 of 张根的电话多少 beside 张斌的电话多少 (two characters at
    least; a choice that differs by one character only has none).

    >>> distinct_parts("张根的电话多少？", ["张斌的电话多少？", "张根的电话多少？"])
    ['张根']
    """
    others = [c for c in choices if c != choice]
    if not others:
        return []
    a = 0
    while a < len(choice) and all(a < len(o) and o[a] == choice[a] for o in others):
        a += 1
    b = 0
    while b < len(choice) - a and all(b < len(o) and o[-1 - b] == choice[-1 - b] for o in others):
        b += 1
    core = choice[a:len(choice) - b]
    start = a
    while start > 0 and len(core) < 2:  # (斌 / 根: the shared 张 before it makes the name)
        start -= 1
        core = choice[start:len(choice) - b]
    return [core] if len(core) >= 2 and not any(core in o for o in others) else []


def in_order(word: str, choice: str) -> bool:
    it = iter(choice)
    return all(ch in it for ch in word)


def common(a: str, b: str) -> str:
    """The longest run of characters both strings share."""
    best = ""
    for i in range(len(a)):
        for j in range(i + len(best) + 1, len(a) + 1):
            if a[i:j] in b:
                best = a[i:j]
            else:
                break
    return best


def question_for(answer, index: int) -> str:
    """The question a choice stands for. A choice that is itself a question (an example, a corrected name) is
    asked as it is; a choice that names what the question was unsure of (a subject, a project) takes that
    part's place; a department is put in front."""
    choice = answer.candidates[index]
    question = answer.question
    if answer.status != "clarify":
        return choice
    q = question.strip()
    shared = common(q, choice)
    if len(shared) * 2 >= len(q) and choice.rstrip("？?。")[-2:] == q.rstrip("？?。")[-2:]:
        return choice  # 姚瑶负责哪些项目 -> 姚遥负责哪些项目
    if len(shared) >= 2:
        a = q.find(shared)
        b = a + len(shared)
        while a > 0 and in_order(q[a - 1:b].replace("的", ""), choice):  # 60学时的业务培训: the whole name as said
            a -= 1
        while b < len(q) and in_order(q[a:b + 1].replace("的", ""), choice):
            b += 1
        return q[:a] + choice + q[b:]
    return choice + q


ALL_OF_THEM = lazy(r"都|全部|所有|两笔|两个|两项|俩|加起来|加一块|加一起|加在一起|相加|之和|总和|合计|一共|总共|合起来")


def all_of(answer, text: str) -> str | None:
    """两笔加起来 / 都要 after a clarification: the question asked of every choice together.

    >>> from types import SimpleNamespace as A
    >>> a = A(status="clarify", question="西城区民政局社区养老驿站运营补贴多少钱",
    ...       candidates=["社区养老驿站运营补贴（首款）", "社区养老驿站运营补贴(尾款)"])
    >>> all_of(a, "两笔合计")
    '西城区民政局社区养老驿站运营补贴（首款）和社区养老驿站运营补贴(尾款)一共多少钱'
    """
    choices = list(getattr(answer, "candidates", None) or [])
    if getattr(answer, "status", "ok") != "clarify" or len(choices) < 2 or len(text) > 12 or not ALL_OF_THEM.search(text):
        return None
    q = str(getattr(answer, "question", "") or "").strip()
    shared = common(q, choices[0])
    if len(shared) >= 2 and all(shared in c for c in choices):  # the rest of the question stays (its department, its year)
        return q.replace(shared, "和".join(choices) + "一共", 1)
    return "和".join(choices) + "一共多少"


ANOTHER = lazy(r"^(?:那|那么)?(?:另一|另外一|另外那|另外的那|剩下的那|剩下那|其他那|另)(?:个|位|笔|项|条|家|名)?")


def the_other(answer, index: int, text: str) -> int | None:
    """另一位呢 / 另外那个 after one of two choices was taken: the choice not taken.

    >>> from budgetqa.answer import Answer
    >>> a = Answer("姓刘的负责人电话", "clarify", "…", candidates=["刘子明", "刘宁"])
    >>> the_other(a, 0, "另一位姓刘的呢"), the_other(a, 1, "那另外那个呢"), the_other(a, 0, "张根呢")
    (1, 0, None)
    """
    choices = list(getattr(answer, "candidates", None) or [])
    if len(choices) != 2 or not ANOTHER.search(text.strip()):
        return None
    return 1 - index
