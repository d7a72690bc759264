"""Linking a question's words to the catalogue and the data, with scores.

Matching runs on the question's key form (spaces, brackets and punctuation removed, as for names).
Longest exact matches first (forward maximum matching over a dictionary built from the lexicon and
the data); what is left is searched inside project names (a keyword such as 应急指挥 names every
project that contains it); then, for typos, fuzzy matching with rapidfuzz above a threshold; what is
still left is segmented with jieba and reported as words not understood.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from budgetqa.answer import Link
from budgetqa.core.patterns import lazy
from budgetqa.ingest.text import norm_key
from budgetqa.nlu.amounts import Amount, find_amounts, find_percent, find_top_n, find_years
from budgetqa.nlu.lexicon import Lexicon
from budgetqa.nlu.vocab import Project, Subject, Vocab, base_name, inserted_part

FUZZY_PROJECT = 82.0  # below this a fuzzy project match is no link
FUZZY_SUBJECT = 86.0
NUMERAL_WORD = lazy(r"前?[\d.%年月日个项名位零〇一二两三四五六七八九十百千万亿多余来]+")  # ranks and amounts, read elsewhere
ORG = lazy(r"([\u4e00-\u9fa5]{2,14}?(?:管理局|局|委员会|厅|政府))(?!采购|购买|经济|性|债|投资|预算|拨款|补助)")  # 政府采购: no 政府
FOLLOW_MARKERS = ("那", "那么", "其中", "占", "比", "这些", "这几个", "它", "它们", "他", "她", "这个", "该项目", "上述", "以上", "那个",
                  "这部分", "这块", "这一块", "这项", "这里面", "这里头", "这其中", "当中", "里头", "里边", "它下面", "这下面",
                  "换成", "用元", "改成", "再", "具体")


@dataclass
class Span:
    start: int
    end: int
    text: str
    kind: str  # project, project_part, project_fuzzy, subject, person, service_cat, proc_cat, measure, cue, unit,
    #            payment, stop, code
    targets: list = field(default_factory=list)
    score: float = 100.0


@dataclass
class Understanding:
    question: str
    qn: str  # NFKC-normalised question
    qk: str  # key form used for matching
    spans: list[Span] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    top_n: int | None = None
    percent: Decimal | None = None
    unknown: list[str] = field(default_factory=list)  # content words nothing explains
    unknown_codes: list[str] = field(default_factory=list)  # subject codes this budget does not have
    excluded: list = field(default_factory=list)  # projects left out (除了公共事务协管经费，哪个项目最多)
    other_dept: str | None = None
    follow_up: bool = False
    narrowing: bool = False  # names a part of the split just answered (会议费 after 按经济分类拆开), as 其中 does
    keeps_project: bool = False  # a piece of another name inside an indicator's words: the conversation's project stays
    previous: Understanding | None = None  # the question a follow-up continues
    inherited: list[Span] = field(default_factory=list)  # spans a follow-up kept from the previous question

    def of(self, kind: str) -> list[Span]:
        return [s for s in self.spans if s.kind == kind]

    def has(self, kind: str) -> bool:
        return any(s.kind == kind for s in self.spans)

    @property
    def cues(self) -> set[str]:
        return {t for s in self.spans if s.kind == "cue" for t in s.targets}

    @property
    def measures(self) -> list[str]:
        return [t for s in self.spans if s.kind == "measure" for t in s.targets]

    @property
    def unit(self) -> str | None:
        units = [t for s in self.spans if s.kind == "unit" for t in s.targets]
        return units[-1] if units else None

    @property
    def dims(self) -> list[str]:
        return [t for s in self.spans if s.kind == "dim" for t in s.targets]

    @property
    def payments(self) -> list[str]:
        return [t for s in self.spans if s.kind == "payment" for t in s.targets]

    @property
    def people(self) -> list[str]:
        return [t for s in self.spans if s.kind == "person" for t in s.targets]

    def links(self) -> list[Link]:
        out = []
        for s in self.spans:
            if s.kind in ("stop", "unit", "dept"):
                continue
            for t in s.targets[:8]:
                out.append(Link(s.text, s.kind, target_label(t), s.score))
        return out

    @property
    def has_entity(self) -> bool:
        """Names something to answer about (a breakdown's dimension counts: 按功能分类看支出 is no follow-up)."""
        breakdown = bool(self.dims) and "breakdown" in self.cues
        return breakdown or any(s.kind in ENTITY_KINDS for s in self.spans) or bool(self.measures)


COMPARED_WITH = lazy(r"(?:比|较|与|和|同|跟)(?:\d{4}年|上年|去年|上一年|前一年)(?:相比|比较|比)?")

GLUE_FREE = set("管留找走合分搞归叫填批缴增减数类款项级额度费钱款笔块部分共计总一二三四五六七八九十两几百千万")  # after a name, still no new word
NAME_LETTER = re.compile(r"([\u4e00-\u9fff])(?:这个字|这一个字|这字|字)")  # 危字: a character of a name
COUNTER_CHARS = "个项条次人家套张页块场件天台名份辆"  # 有个 / 几个: no character of a name
ENTITY_KINDS = ("project", "project_part", "project_fuzzy", "subject", "person", "service_cat", "proc_cat", "code",
                "summary_item", "org_unit", "narrative_item")


def target_label(t) -> str:
    if isinstance(t, Project):
        return t.name
    if isinstance(t, Subject):
        return f"{t.scheme} {t.code} {t.name}"
    if isinstance(t, tuple):
        return "/".join(str(x) for x in t)
    return str(t)


CN_DIGITS = {ch: str(i) for i, ch in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "Ｏ": "0"}
STREET_OFFICE = lazy(r"街道办(?!公|事处|理)")
SHORT_YEAR = lazy(r"(?<![0-9.第近前满每约超过期限])(1[5-9]|2[0-9]|3[0-5])年(?![内来前后间以])")
CN_YEAR = lazy(r"([〇零○Ｏ一二三四五六七八九]{4})(?=年)")


def normalise(q: str) -> str:
    """NFKC, no control characters, and a year in Chinese digits written in Arabic ones.

    >>> normalise("二〇二三年三公经费"), normalise("二零二四年"), normalise("万里街道24年的"), normalise("近10年")
    ('2023年三公经费', '2024年', '万里街道2024年的', '近10年')
    >>> normalise("服务期3年"), normalise("万里街道办公费"), normalise("万里街道办的")
    ('服务期3年', '万里街道办公费', '万里街道的')
    """
    q = CN_YEAR.sub(lambda m: "".join(CN_DIGITS[ch] for ch in m.group(1)), q)
    q = unicodedata.normalize("NFKC", q)
    q = SHORT_YEAR.sub(r"20\1年", q)  # 24年 / 24年度: a year written short
    q = STREET_OFFICE.sub("街道", q)  # 万里街道办 is 万里街道 (never the 办 of 办公费)
    q = "".join(ch for ch in q if unicodedata.category(ch)[0] != "C")
    return q.strip()


class Linker:
    """Builds the dictionary once per vocabulary; `understand` is then a few dictionary look-ups."""

    def __init__(self, vocab: Vocab, lexicon: Lexicon):
        self.vocab = vocab
        self.lexicon = lexicon
        self.synonym_index = synonym_index(lexicon)
        entries: dict[str, list[tuple[str, object]]] = {}

        def add(surface: str, kind: str, target: object) -> None:
            k = norm_key(surface).lower()
            if len(k) >= 1:
                lst = entries.setdefault(k, [])
                if (kind, target) not in lst:
                    lst.append((kind, target))

        for w in lexicon.stopwords:
            add(w, "stop", w)
        for trig, unit in lexicon.units.items():
            add(trig, "unit", unit)
        for trig, cue in lexicon.cues.items():
            add(trig, "cue", cue)
        for trig, concept in lexicon.measures.items():
            add(trig, "measure", concept)
        for trig, dim in lexicon.dimensions.items():
            add(trig, "dim", dim)
        for w, p in lexicon.payments:  # (首尾款 names both payments of a project)
            add(w, "payment", p)
        named = [w for w, _ in lexicon.payments]
        self.payment_words = {w: p for w, p in lexicon.payments if named.count(w) == 1}  # one payment each: 首款, 配套资金
        for s in vocab.subjects:
            add(s.name, "subject", s)
            if "（" in s.name:  # 维修（护）费 is asked as 维修费
                add(re.sub(r"（[^）]*）", "", s.name), "subject", s)
            stripped = re.sub(r"支出$", "", s.name)
            if len(stripped) >= 3 and stripped != s.name:
                add(stripped, "subject", s)
        for alias, canonical in lexicon.subject_aliases.items():
            for s in vocab.subjects_named(canonical):
                add(alias, "subject", s)
        for alias in dept_aliases(vocab.dept_name):
            add(alias, "dept", vocab.dept_name)
        for p in vocab.projects:
            add(p.name, "project", p)
        by_name = {p.name: p for p in vocab.projects}
        for goal, project in vocab.goal_names.items():  # 编外人员工资: the goal of 公共事务协管经费's 绩效表 block
            add(goal, "project", by_name[project])
        for person in vocab.people:
            add(person, "person", person)
        for name, col in vocab.service_cats.items():
            add(name, "service_cat", (col, name))
        for code, name in vocab.units.items():  # 北京市海淀区社会福利中心, 海淀区社会福利中心, 社会福利中心
            for alias in {name, re.sub(r"^.*?[省市]", "", name), re.sub(r"^.*[区县市]", "", name)}:
                if len(alias) >= 4:
                    add(alias, "org_unit", (code, name))
        for table_no, side, item in vocab.summary_items:
            add(item, "summary_item", (table_no, side, item))
        own_names = sorted(dept_aliases(vocab.dept_name)[:-3], key=len, reverse=True) if vocab.dept_name else []
        for item in vocab.narrative_items:  # 政府采购服务预算, 车辆数, 人民调解 (a project the text names)
            bare = next((item[len(a):] for a in own_names if item.startswith(a) and len(item) - len(a) >= 6), item)
            for alias in {item, re.sub(r"(预算|数)$", "", item), bare}:  # (万里街道社区…工程 asked as 社区…工程)
                if len(alias) >= 4 or alias == item or re.fullmatch(r".{2}数", item):  # 车辆数 -> 车辆; 收入预算 is no 收入
                    add(alias, "narrative_item", item)
            part = re.fullmatch(r"政府采购(货物|工程|服务)预算", item)
            if part and not vocab.proc_cats:  # 工程占多大比例 after 政府采购: the text's 工程 part (no 采购 table here)
                for alias in (part.group(1), part.group(1) + "类", part.group(1) + "采购", part.group(1) + "类采购"):
                    add(alias, "narrative_item", item)
        for name in vocab.proc_cats:
            add(name, "proc_cat", name)
            short = re.sub(r"类$", "", name)
            add(short + "类", "proc_cat", name)
        self.entries = entries
        self.max_len = max((len(k) for k in entries), default=1)
        # character pairs of project names: a one-character cue that ends one (the 共 of 公共安全) is part of a name
        self.name_pairs = {p.key[j:j + 2] for p in vocab.projects for j in range(len(p.key) - 1)}
        self.by_length: dict[int, list[str]] = {}
        for k, kinds in entries.items():
            if any(kind in ("subject", "measure") for kind, _ in kinds):
                self.by_length.setdefault(len(k), []).append(k)
        self.project_keys = [p.key for p in vocab.projects]
        self.subject_keys = {s.name: norm_key(s.name) for s in vocab.subjects}  # (built once: questions only look up)
        self.subject_text = "\0".join(self.subject_keys.values())  # `piece in` it: is the piece inside a subject's name
        self.category_keys = [((col, name), "service_cat", norm_key(name)) for name, col in vocab.service_cats.items()]
        self.category_keys += [(name, "proc_cat", norm_key(name)) for name in vocab.proc_cats]

    # -- the stages ---------------------------------------------------------------------------------------

    def synonyms_applied(self, qn: str) -> str:
        """The question with the lexicon's synonyms put in, longest alias first, each tried once, in the lexicon's
        order; only the aliases whose first character the question holds are tried (thousands of phrase-family
        aliases, a handful possible in one question).

        >>> from budgetqa.nlu.lexicon import Lexicon
        >>> lx = Lexicon(); lx.synonyms = [("公务车运维费", "公务用车运行维护费"), ("同名的算一个", "∅")]
        >>> Linker.synonyms_applied(type("L", (), {"lexicon": lx, "synonym_index": synonym_index(lx)})(), "公务车运维费多少，同名的算一个")
        '公务用车运行维护费多少，'
        """
        syn, index = self.lexicon.synonyms, self.synonym_index
        done = -1
        while True:
            tried = sorted({i for ch in set(qn) for i in index.get(ch, ()) if i > done})
            for i in tried:
                alias, canonical = syn[i]
                if alias in qn and canonical == "∅":  # a remark that changes nothing asked (同名的算一个): left out
                    qn, done = qn.replace(alias, ""), i
                    break
                if alias in qn and canonical not in qn:
                    qn, done = qn.replace(alias, canonical), i
                    break
            else:
                return qn

    def understand(self, question: str) -> Understanding:
        qn = self.synonyms_applied(normalise(question))
        if "字" in qn:
            qn = CHAR_COUNT.sub(r"\1", qn)  # 含有“事故”两个字: the word quoted, not a top 2
        u = Understanding(question, qn, norm_key(qn).lower())
        u.amounts = find_amounts(qn)
        u.top_n = find_top_n(qn)
        u.percent = find_percent(qn)
        u.other_dept = self.other_department(qn)
        u.follow_up = qn.startswith(FOLLOW_MARKERS) or bool(re.search(r"呢[?？。!！]*$", qn)) or \
            len(qn) <= 12 and bool(re.search(r"[\u4e00-\u9fff]的[?？。!！]*$", qn))  # 刘宁的: the same question of 刘宁
        self.exact_spans(u)
        if any(s.kind == "dim" and s.text[:1] in "分按" for s in u.spans) and "breakdown" not in u.cues:
            u.spans.append(Span(0, 0, "", "cue", ["breakdown"]))  # 分款看看: a dimension said with its verb splits
        for m in COMPARED_WITH.finditer(u.qk):  # 比2023年 / 较上年 / 与去年相比: a change over the years is asked
            if not self.covered(u, m.start(), soft=("stop",)):
                u.spans.append(Span(m.start(), m.end(), m.group(0), "cue", ["yoy"]))
        self.name_beginnings(u)
        self.name_letters(u)
        self.stated_items(u)
        self.category_words(u)
        self.project_parts(u)
        self.whole_segments(u)
        self.left_out(u)
        self.subject_parts(u)
        self.fuzzy(u)
        self.split_subject_over_sangong(u)
        self.nested_subjects(u)
        u.years = [y for y in find_years(self.text_outside_projects(u), self.vocab.year)]
        self.leftover(u)
        if u.has("dept") and not u.has_entity and not u.cues - {"sum"} and not u.unknown and re.search(r"钱|预算|经费|资金|支出|花", qn):
            u.spans.append(Span(0, 0, "", "measure", ["total_expenditure"], 90.0))  # 应急管理局今年花多少钱
        return u

    def nested_subjects(self, u: Understanding) -> None:
        """商品和服务支出里的公务接待费 / 社会保障和就业支出下面的事业单位离退休: a subject said inside its parent names
        that child; the parent narrows nothing more, and the child's 三公 reading is dropped (the parent is a subject).
        A share or a difference keeps both (公务接待费占商品和服务支出多少: the parent is the whole)."""
        if u.cues & {"share", "diff", "ratio"}:
            return
        subjects = [s for s in u.spans if s.kind == "subject"]
        for outer in subjects:
            for inner in subjects:
                if inner is outer or inner.start < outer.end or outer.kind != "subject":
                    continue
                children = [b for b in inner.targets if any(
                    b.scheme == a.scheme and b.code != a.code and b.code.startswith(a.code) for a in outer.targets)]
                if not children:
                    continue
                inner.targets = children
                outer.kind, outer.targets = "stop", [outer.text]
                u.spans = [s for s in u.spans if not (s.kind == "measure" and (s.start, s.end) == (inner.start, inner.end)
                                                      and all(str(t).startswith("sangong:") for t in s.targets))]

    def split_subject_over_sangong(self, u: Understanding) -> None:
        """公务接待费的基本支出 / 基本支出里的公务接待费: the 三公 table has no 基本/项目 split, so the word is the
        economic subject of that name, crossed with the part asked (the 三公 reading is dropped)."""
        if not {"basic", "project", "personnel", "public"} & set(u.measures):
            return
        subject_texts = {(s.start, s.end) for s in u.spans if s.kind == "subject"}
        u.spans = [s for s in u.spans if not (s.kind == "measure" and (s.start, s.end) in subject_texts and
                                              all(str(t).startswith("sangong:") for t in s.targets))]

    def exact_spans(self, u: Understanding) -> None:
        qk, i = u.qk, 0
        # numbers (amounts, years, ranks) are read from the question text; here they are only skipped
        while i < len(qk):
            hit = None
            for ln in range(min(self.max_len, len(qk) - i), 0, -1):
                cand = qk[i:i + ln]
                if cand in self.entries:
                    hit = cand
                    break
            if hit is None:
                i += 1
                continue
            kinds = self.entries[hit]
            if len(hit) == 1 and i > 0 and qk[i - 1:i + 1] in self.name_pairs and not self.covered(u, i - 1) and \
                    all(k in ("cue", "stop") for k, _ in kinds):
                i += 1  # 城市公共安全…: 共 here is a name's character, not 一共
                continue
            # one span per kind found at this place (a name can be a subject and a 三公 item at once)
            by_kind: dict[str, list] = {}
            for kind, target in kinds:
                by_kind.setdefault(kind, []).append(target)
            for kind, targets in by_kind.items():
                if kind == "unit" and i > 0 and re.match(r"[\d零〇一二两三四五六七八九十百千万个多余]", qk[i - 1]):
                    kind = "stop"  # 一个亿 / 3万元 is an amount (read elsewhere), not the unit an answer is asked in
                u.spans.append(Span(i, i + len(hit), hit, kind, targets))
            i += len(hit)
        for sp in [sp for sp in u.spans if sp.kind == "project"]:  # 800兆电台维护费首款和尾款: the name's 首款 counts too
            for w, pay in self.payment_words.items():
                if sp.text.endswith(w):
                    u.spans.append(Span(sp.end - len(w), sp.end, w, "payment", [pay]))
                    break
        for i, sp in enumerate(u.spans):  # 哪些类级科目: a level of the classification, not 采购类别
            if sp.kind == "dim" and sp.targets == ["category"] and sp.text.endswith("类") and u.qk[sp.end:sp.end + 1] == "级":
                u.spans[i] = Span(sp.start, sp.end, sp.text, "cue", ["list"])
                u.spans.append(Span(sp.end - 1, sp.end, "类", "dim", ["func"]))
        for sp in [sp for sp in u.spans if sp.kind == "dim"]:  # 分科目看看 / 分经济科目: 分 before a classification splits
            if sp.start > 0 and u.qk[sp.start - 1] == "分" and not self.covered(u, sp.start - 1):
                u.spans.append(Span(sp.start - 1, sp.start, "分", "cue", ["breakdown"]))
        for m in re.finditer(r"(?<!\d)(\d{8}|\d{11})(?!\d)", u.qk):  # a phone number names its owner
            owners = [p for p, ph in self.vocab.people.items() if ph == m.group(1)]
            if owners:
                u.spans.append(Span(m.start(), m.end(), m.group(1), "person", owners))
        codes = re.finditer(r"(?<!\d)(\d{3}|\d{5}|\d{7})(?!\d)", u.qk)
        for m in codes:
            subs = [s for s in self.vocab.subjects if s.code == m.group(1)]
            if subs and not self.covered(u, m.start()):
                u.spans.append(Span(m.start(), m.end(), m.group(1), "subject", subs))
            elif not subs and not self.covered(u, m.start()) and m.group(1)[0] in "235" and len(m.group(1)) >= 5 \
                    and not re.match(r"[万元亿千百%个人年月日项次.]", u.qk[m.end():m.end() + 1]):
                u.unknown_codes.append(m.group(1))  # shaped like a 功能/经济分类 code, but not in this budget

    def covered(self, u: Understanding, pos: int, soft: tuple[str, ...] = ()) -> bool:
        return any(s.start <= pos < s.end and s.kind not in soft for s in u.spans)

    def runs(self, u: Understanding, soft: tuple[str, ...] = (), digits: bool = False) -> list[tuple[int, int]]:
        """Stretches of the key form that no span covers (spans of a `soft` kind count as free)."""
        n = len(u.qk)
        taken = bytearray(n + 1)  # covered(u, i, soft) for every i at once
        for s in u.spans:
            a, b = max(s.start, 0), min(s.end, n)
            if a < b and s.kind not in soft:
                taken[a:b] = b"\1" * (b - a)
        out, start = [], None
        for i, ch in enumerate(u.qk + "\0"):
            dated = ch in "年月日" and i > 0 and u.qk[i - 1].isdigit() and not digits  # the 年 of 2024年 is no word
            free = ch != "\0" and not taken[i] and not dated and (
                "\u4e00" <= ch <= "\u9fff" or ch.isalpha() or (digits and (ch.isdigit() or ch == "%")))
            if free and start is None:
                start = i
            elif not free and start is not None:
                out.append((start, i))
                start = None
        return out

    def name_beginnings(self, u: Understanding) -> None:
        """名称以2024年开头的项目: the projects whose names begin so (a year there is part of a name, not a year asked)."""
        if not any(w in u.qk for w in ("开头", "打头", "起头", "开始", "起始", "打首")):
            return
        for m in NAME_BEGINS.finditer(u.qk):
            g = next(i for i in (1, 2, 3) if m.group(i) is not None)
            begin = m.group(g)
            hits = [p for p in self.vocab.projects if p.key.startswith(begin)]
            if not hits:
                continue  # 从2023年开始执行: no name begins so
            self.claim(u, Span(m.start(g), m.end(g), begin, "project_part", hits))
            if m.start() < m.start(g):  # 以 / 开头是: said of the names, a set of projects
                u.spans.append(Span(m.start(), m.start(g), u.qk[m.start():m.start(g)], "cue", ["keyword"]))
            if m.end(g) < m.end():
                u.spans.append(Span(m.end(g), m.end(), u.qk[m.end(g):m.end()], "cue", ["keyword"]))

    def left_out(self, u: Understanding) -> None:
        """除了X / 不算X / X以外: the projects named there are left out of the set asked about, not asked about."""
        for m in EXCEPT.finditer(u.qk):
            named = [s for s in u.spans if s.kind in ("project", "project_part") and m.end() <= s.start <= m.end() + 1]
            if not named:
                continue
            sp = named[0]
            u.excluded += list(sp.targets)
            u.spans = [s for s in u.spans if s is not sp]
            u.spans.append(Span(sp.start, sp.end, sp.text, "excluded", list(sp.targets), sp.score))
            u.spans.append(Span(m.start(), m.end(), m.group(0), "cue", ["except"]))
            tail = re.match(r"(?:之外|以外|外)", u.qk[sp.end:])
            if tail:
                u.spans.append(Span(sp.end, sp.end + tail.end(), tail.group(0), "stop", ["之外"]))

    def whole_segments(self, u: Understanding) -> None:
        """朝阳区风险管理工作 for 安全应急救援保障经费-朝阳区风险管理工作: a piece that is a whole part of one project's
        name (between its dashes) names that project, as its full name would."""
        for i, sp in enumerate(u.spans):
            if sp.kind != "project_part" or len(sp.text) < 4:
                continue
            stems = {base_name(p.name) for p in sp.targets}
            if len(stems) == 1 and sp.text in [norm_key(x).lower() for x in re.split(r"[-—－]", stems.pop())[1:]]:
                u.spans[i] = Span(sp.start, sp.end, sp.text, "project", sp.targets, sp.score)

    def stated_items(self, u: Understanding) -> None:
        """A figure the text states, named with a word or two more (面向中小企业预留的政府采购项目预算 for
        面向中小企业预留政府采购预算): the item's characters in order within a short window of the question."""
        for item in sorted(self.vocab.narrative_items, key=len, reverse=True):
            key = norm_key(item)
            if len(key) < 6 or key in u.qk:
                continue
            if key.endswith("预算") and len(key) >= 10 and key[:-2] not in self.vocab.narrative_items:
                key = key[:-2]  # 预留给小型和微型企业的政府采购(预算) asked as …的政府采购金额
            start = u.qk.find(key[:2])
            while start != -1:
                it, end = iter(range(start, min(len(u.qk), start + len(key) + 4))), None
                for ch in key:
                    end = next((i for i in it if u.qk[i] == ch), None)
                    if end is None:
                        break
                if end is not None:
                    inside = [s for s in u.spans if start <= s.start and s.end <= end + 1]
                    if any(s.kind == "narrative_item" and len(s.targets[0]) >= len(item) and s.start <= end and start < s.end
                           for s in u.spans):
                        break  # a longer item is named there already (政府采购服务预算 holds 政府采购…预算)
                    u.spans = [s for s in u.spans if s not in inside]
                    u.spans.append(Span(start, end + 1, u.qk[start:end + 1], "narrative_item", [item], 90.0))
                    self.stated_part(u, item)
                    return
                start = u.qk.find(key[:2], start + 1)
        self.stated_run(u)
        for sp in [s for s in u.spans if s.kind == "narrative_item"]:
            self.stated_part(u, sp.targets[0])
        self.stated_parts_listed(u)

    def stated_run(self, u: Understanding) -> None:
        """政府采购面向中小企业预留了多少: six or more characters in a row of one stated item's name, and of no
        other, name that item in whatever order the rest is said."""
        keys = {item: norm_key(item) for item in self.vocab.narrative_items}
        best = None
        for a, b in self.runs(u, soft=("stop", "measure", "cue")):
            text = u.qk[a:b]
            for i in range(len(text)):
                for j in range(len(text), i + 5, -1):
                    piece = text[i:j]
                    owners = [item for item, k in keys.items() if piece in k]
                    named = {t for sp in u.of("narrative_item") for t in sp.targets}
                    if len(owners) == 1 and owners[0] not in named and (best is None or j - i > best[1] - best[0]):
                        best = (a + i, a + j, owners[0])
                        break
        if best is not None:
            start, end, item = best
            u.spans = [s for s in u.spans if not (start <= s.start and s.end <= end)]
            u.spans.append(Span(start, end, u.qk[start:end], "narrative_item", [item], 90.0))

    def stated_parts_listed(self, u: Understanding) -> None:
        """按货物、工程、服务分开说: two or more words that each make a part of one stated whole (政府采购货物预算,
        政府采购工程预算 …), named without the whole: those parts."""
        if u.of("narrative_item"):
            return
        items = list(self.vocab.narrative_items)
        found: dict[str, list[tuple[int, str, str]]] = {}
        for child in items:
            for whole in items:
                part = inserted_part(child, whole)
                if part is None:
                    continue
                word = norm_key(part)
                at = u.qk.find(word)
                if at != -1 and not self.covered(u, at, soft=("stop", "proc_cat", "cue")):
                    found.setdefault(whole, []).append((at, word, child))
        whole, parts = max(found.items(), key=lambda kv: len(kv[1]), default=(None, []))
        if len(parts) < 2:
            return
        for at, word, child in parts:
            self.stated_word(u, at, word, child)

    def stated_part(self, u: Understanding, item: str) -> None:
        """政府采购预算中工程占多少: a stated item and, elsewhere in the question, the word that makes one of its
        parts (政府采购工程预算 = 政府采购预算 with 工程): that part is meant (the whole stays named)."""
        for child in self.vocab.narrative_items:
            part = inserted_part(child, item)
            if part is None:
                continue
            word = norm_key(part)
            at = u.qk.find(word)
            if at == -1 or self.covered(u, at, soft=("stop", "proc_cat", "cue")):
                continue
            self.stated_word(u, at, word, child)
            return

    @staticmethod
    def stated_word(u: Understanding, at: int, word: str, item: str) -> None:
        """`word` at `at` names the stated `item` (the spans inside it give way)."""
        u.spans = [s for s in u.spans if not (at <= s.start and s.end <= at + len(word))]
        u.spans.append(Span(at, at + len(word), word, "narrative_item", [item], 90.0))

    def category_words(self, u: Understanding) -> None:
        """A topic word that begins a category's name and no project's (信息化 -> 政府购买服务 信息化服务)."""
        for a, b in self.runs(u):
            for i in range(a, b):
                for j in range(b, i + 2, -1):
                    w = u.qk[i:j]
                    hits = [(t, k) for t, k, key in self.category_keys if key.startswith(w)]
                    bounded = j == b or u.qk[j] in SOFT_WORDS or self.covered(u, j)
                    if hits and len(hits) == 1 and bounded and w not in self.vocab.project_text and \
                            w not in self.subject_text:  # (物业管 is 物业管理费's, a typo)
                        u.spans.append(Span(i, j, w, hits[0][1], [hits[0][0]], 90.0))
                        break
                else:
                    continue
                break

    def name_letters(self, u: Understanding) -> None:
        """名称里有个“危”字的项目 / 名字里带危的: one character said as a piece of names (pieces are otherwise at least
        two characters, so that one character of a question never picks projects)."""
        ends = [s.end for s in u.spans if s.kind == "cue" and "keyword" in s.targets and re.search(r"名|题|带|含", s.text)]
        if not ends:
            return
        found = [(m.start(1), m.end(1), m.end()) for m in NAME_LETTER.finditer(u.qk)]
        for e in ends:
            m = re.match(r"(?:一个|个)?([\u4e00-\u9fff])(?=的|项目|$)", u.qk[e:])
            if m:
                found.append((e + m.start(1), e + m.end(1), e + m.end(1)))
        for a, b, end in found:
            ch = u.qk[a:b]
            hits = [p for p in self.vocab.projects if ch in p.key]
            if not hits or self.covered(u, a, soft=("stop",)) or ch in COUNTER_CHARS or ch in SOFT_WORDS or \
                    ch in self.lexicon.stopwords:
                continue
            self.claim(u, Span(a, b, ch, "project_part", hits))
            if end > b:  # the 字 of 危字
                u.spans.append(Span(b, end, u.qk[b:end], "cue", ["keyword"]))

    def project_parts(self, u: Understanding) -> None:
        """The longest pieces of the question that occur inside project names (keywords)."""
        text = self.vocab.project_text
        pending = self.runs(u, soft=NAME_SOFT, digits=True)
        while pending:
            a, b = pending.pop()
            best = None
            def weight(i: int, j: int) -> float:  # a piece that starts with a particle (和危 of 和危险) counts less
                return j - i - (0.5 if u.qk[i] in SOFT_WORDS else 0)

            for i in range(a, b):
                j = i + 1
                while j <= b and u.qk[i:j] in text:
                    j += 1
                if j - 1 - i >= 2 and (best is None or weight(i, j - 1) > weight(*best)):
                    best = (i, j - 1)
            if best is None:
                continue
            frag = u.qk[best[0]:best[1]]
            content = self.trim_stops(u, a, b)
            exact_inside = any(s.kind in NAME_SOFT[1:] and a <= s.start and s.end <= b and s.score >= 100 and
                               2 * (s.end - s.start) >= len(content) for s in u.spans)
            if len(content) >= 4 and len(frag) < len(content) and not exact_inside:  # a near guess never replaces an exact name
                fz = max((f for f in (self.fuzzy_project(content), self.fuzzy_project(u.qk[a:b])) if f),
                         key=lambda f: f[1], default=None)
                if fz:
                    self.claim(u, Span(a, b, content, "project_fuzzy", fz[0], fz[1]))
                    continue
            touched = [s for s in u.spans if s.kind in NAME_SOFT[1:] and s.start < best[1] and best[0] < s.end]
            if any(s.start < best[0] or s.end > best[1] or len(frag) < s.end - s.start + 2 for s in touched):
                # a subject (or category) name is no piece of a project name unless the piece holds it and
                # is clearly longer
                cuts = sorted((s.start, s.end) for s in touched)
                edges = [a] + [x for c in cuts for x in c] + [b]
                pending += [(edges[k], edges[k + 1]) for k in range(0, len(edges), 2) if edges[k] < edges[k + 1]]
                continue
            if frag in self.lexicon.stopwords or all(ch in SOFT_WORDS for ch in frag) or any(
                    k == "cue" for k, _ in self.entries.get(frag, ())) or (  # 项目 alone names no project
                    len(re.sub(r"[\d%年月]", "", frag)) < 2 and
                                                   not (len(frag) >= 4 and re.search(r"[\u4e00-\u9fff]", frag)
                                                        and not re.fullmatch(r"\d+年?", frag))):
                pending += [(a, best[0]), (best[1], b)]  # (20 of 20万元的培训: the rest may still hold a name's piece)
                continue
            projects = [p for p in self.vocab.projects if frag in p.key]
            self.claim(u, Span(best[0], best[1], frag, "project_part", projects))
            pending += [(a, best[0]), (best[1], b)]

    def subject_parts(self, u: Understanding) -> None:
        """The longest piece of a run (stop words included: 单位离退休) that is the tail or a piece of few subject
        names (养老保险缴费 -> 机关事业单位基本养老保险缴费; 单位离退休 -> 行政单位离退休, 事业单位离退休)."""
        keys = self.subject_keys
        for a, b in self.runs(u, soft=("stop",)):
            best = None
            for i in range(a, b - 1):
                for j in range(b, i + 1, -1):
                    if best is not None and j - i <= best[1] - best[0]:
                        break
                    if u.qk[i:j] in self.subject_text:
                        best = (i, j)
                        break
            if best is None:
                continue
            i, j = best
            chunk = u.qk[i:j]
            bounded = (i == a or self.covered(u, i - 1)) and (j == b or self.covered(u, j))
            if not bounded and len(chunk) < 4:
                continue  # a short piece inside a longer word is more likely a typo's remains (公务接 of 公务接代费)
            named = {n for n, k in keys.items() if chunk in k}
            stopped = sum(1 for k in range(i, j) if self.covered(u, k))  # characters of stop words in it
            if len(chunk) == 2 and len(named) < 2 or stopped and len(chunk) - stopped < 3:
                continue  # two characters name one subject only when they are its whole name
            if 1 <= len(named) <= 8:  # several names: pick_subject asks back unless they give one figure
                subs = [s for s in self.vocab.subjects if s.name in named]
                longest = max(len(keys[n]) for n in named)
                if len(chunk) < 4 and 2 * len(chunk) < longest:
                    continue  # 一般公 is too little of 一般公共服务支出 to name it
                if any(s.kind not in ("stop",) and s.start < j and i < s.end for s in u.spans):
                    continue
                self.claim(u, Span(i, j, chunk, "subject", subs, round(100 * len(chunk) / longest, 1)))

    def claim(self, u: Understanding, span: Span) -> None:
        """Add a span; stop words (and subject names) inside it were part of a name after all."""
        u.spans = [s for s in u.spans if not (s.kind in NAME_SOFT and s.start < span.end and span.start < s.end)]
        u.spans.append(span)

    def trim_stops(self, u: Understanding, a: int, b: int) -> str:
        stops = [s for s in u.spans if s.kind == "stop" and a <= s.start < b]
        while stops:
            first = min(stops, key=lambda s: s.start)
            last = max(stops, key=lambda s: s.end)
            if first.start == a:
                a = first.end
                stops.remove(first)
            elif last.end == b:
                b = last.start
                stops.remove(last)
            else:
                break
        return u.qk[a:b]

    def fuzzy_project(self, chunk: str) -> tuple[list[Project], float] | None:
        core = "".join(ch for ch in re.sub(r"\d{2,4}年|[\d%.]", "", chunk) if ch not in SOFT_WORDS)
        if len(core) < 3:
            return None  # 那2023年 / 2024年有没: a year and function words name no project, however near
        from rapidfuzz import fuzz, process  # (a fifth of `budgetqa ask`'s imports: only for what no exact match found)

        res = process.extract(chunk, self.project_keys, scorer=fuzz.partial_ratio, limit=3)
        if not res or res[0][1] < FUZZY_PROJECT or len(self.project_keys[res[0][2]]) < 4:
            return self.one_typo(chunk)
        if len(chunk) > 2 * len(self.project_keys[res[0][2]]) + 4:
            return None
        close = [r for r in res if r[1] >= res[0][1] - 3]
        return [self.vocab.projects[r[2]] for r in close], float(res[0][1])

    def one_typo(self, chunk: str) -> tuple[list[Project], float] | None:
        """专家顾文费 -> 专家顾问费: five or more characters of one project's name with one of them (not the
        first) mistyped. Scored 80, below a real match, and shown as a near match."""
        if len(chunk) < 5:
            return None
        hits = []
        n, first = len(chunk), chunk[0]
        for k, key in enumerate(self.project_keys):
            i = key.find(first)  # (one_typo_apart keeps the first character: only the windows that begin with it)
            while 0 <= i <= len(key) - n:
                if one_typo_apart(key[i:i + n], chunk):
                    hits.append(k)
                    break
                i = key.find(first, i + 1)
        if len({self.vocab.projects[k].name for k in hits}) != 1:
            return None
        return [self.vocab.projects[hits[0]]], 80.0

    def fuzzy(self, u: Understanding) -> None:
        for a, b in self.runs(u):
            chunk = u.qk[a:b]
            if len(chunk) < 4 or not self.project_keys:
                continue
            fz = self.fuzzy_project(chunk)
            if fz:
                u.spans.append(Span(a, b, chunk, "project_fuzzy", fz[0], fz[1]))
                continue
            from rapidfuzz import fuzz, process

            subj = process.extractOne(chunk, [s.name for s in self.vocab.subjects], scorer=fuzz.ratio)
            if subj and subj[1] >= FUZZY_SUBJECT:
                u.spans.append(Span(a, b, chunk, "subject", [self.vocab.subjects[subj[2]]], float(subj[1])))
                continue
            typo = self.one_typo_name(chunk)
            if typo:
                for kind, targets in typo.items():
                    u.spans.append(Span(a, b, chunk, kind, targets, 80.0))

    def one_typo_name(self, chunk: str) -> dict[str, list] | None:
        """公务接代费 -> 公务接待费: a subject or measure name of four or more characters with one character mistyped
        (not the first; for four characters, not the first two), when exactly one name is that near."""
        if len(chunk) < 4:
            return None
        near = [k for k in self.by_length.get(len(chunk), ()) if one_typo_apart(k, chunk) and (len(chunk) > 4 or k[:2] == chunk[:2])]
        if len(near) != 1:
            return None
        found: dict[str, list] = {}
        for kind, target in self.entries[near[0]]:
            if kind in ("subject", "measure"):
                found.setdefault(kind, []).append(target)
        return found or None

    def text_outside_projects(self, u: Understanding) -> str:
        """The question without the names in it, so that 2023年 inside a project's name (or 上年 in 上年结转) is no year."""
        spans = sorted((s for s in u.spans if s.kind in ("project", "project_part", "summary_item") or
                        s.kind == "project_fuzzy" and re.match(r"\d{4}年", s.text) and
                        all(getattr(t, "name", "").startswith(s.text[:5]) for t in s.targets)), key=lambda s: s.start)
        if not spans:
            return u.qn
        keep = [ch for i, ch in enumerate(u.qk) if not any(s.start <= i < s.end for s in spans)]
        return "".join(keep)

    def leftover(self, u: Understanding) -> None:
        words = []
        runs = self.runs(u)  # (the spans do not change below until the glued characters are read from the same runs)
        for a, b in runs:
            run = u.qk[a:b]
            if run in self.lexicon.stopwords or all(ch in SOFT_WORDS for ch in run) or NUMERAL_WORD.fullmatch(run):
                continue  # nothing to cut: jieba (a tenth of a second to start) is not needed
            from budgetqa.nlu.segment import segment

            for w in segment(run):
                if w not in self.lexicon.stopwords and not NUMERAL_WORD.fullmatch(w):
                    words.append(w)
        linked = [norm_key(getattr(t, "name", "")) for sp in u.spans if sp.kind in ("subject", "project", "project_fuzzy")
                  for t in sp.targets]
        # 缴费 of 养老保险缴费: a piece of the official name of something already linked carries no new content
        u.unknown = [w for w in words if w not in SOFT_WORDS and not any(w in k for k in linked if k)]
        # 奖金池 / 会议费标准: one character glued to the end of a name makes another word (池 of 奖金池), never the name
        for a, b in runs:
            ch = u.qk[a:b]
            before = next((sp for sp in u.spans if sp.end == a and sp.kind in ("subject", "measure") and sp.text), None)
            if len(ch) == 1 and before is not None and ch not in SOFT_WORDS and ch not in self.lexicon.stopwords and \
                    ch not in GLUE_FREE and (b == len(u.qk) or u.qk[b] in SOFT_WORDS or not "\u4e00" <= u.qk[b] <= "\u9fff"):
                u.unknown = [w for w in u.unknown if w != ch] + [before.text + ch]
        for m in SURNAME_SAID.finditer(u.qk):  # 姓张的那个负责人 / 老刘 / 张工: the people of that surname, to choose from
            near = [p for p in self.vocab.people if p.startswith(next(g for g in m.groups() if g))]
            if near:
                u.unknown = [w for w in u.unknown if w not in m.group(0) and m.group(0) not in w]
                u.spans.append(Span(m.start(), m.end(), m.group(0), "person_guess", near, 60.0))
        for w in u.unknown:  # a person's name with one character wrong: a guess to offer, never an answer
            if 2 <= len(w) <= 3:
                near = [p for p in self.vocab.people if len(p) == len(w) and sum(a != b for a, b in zip(p, w, strict=True)) == 1]
                if near:
                    u.spans.append(Span(u.qk.find(w), u.qk.find(w) + len(w), w, "person_guess", near, 66.0))

    def other_department(self, qn: str) -> str | None:
        dept = self.vocab.dept_name
        if not any(ch in qn for ch in "局委厅府"):
            return None
        for m in ORG.finditer(qn):
            org = m.group(1)
            for pre in ("的", "和", "与"):
                org = org.split(pre)[-1]
            if len(org) < 3 or org in ("本局", "我局", "该局", "全局"):
                continue
            if org in dept or is_subsequence(org, dept) or any(
                    org.endswith(a) and not re.search(r"[省市区县]", org[:-len(a)]) for a in dept_aliases(dept)[:-3]):
                continue  # 正在审查今年应急管理局: a clause ending in this department's own name (海淀区应急管理局 is another)
            if any(org in p.key for p in self.vocab.projects):
                continue
            return org
        return None


def synonym_index(lexicon: Lexicon) -> dict[str, list[int]]:
    """The synonyms' positions by their alias's first character."""
    index: dict[str, list[int]] = {}
    for i, (alias, _) in enumerate(lexicon.synonyms):
        if alias:
            index.setdefault(alias[0], []).append(i)
    return index


def dept_aliases(name: str) -> list[str]:
    """How people name a department, derived from its official name by rules (never per department): the name
    without its province/city prefix, with or without its district (普陀区 / 普陀 / 区), 人民政府 -> 政府,
    办公室 -> 办, 委员会 -> 委, 管理局 -> 局, 街道办事处 -> 街道, 社会福利院 -> 福利院.

    >>> dept_aliases("北京市朝阳区应急管理局")[:9]
    ['北京市朝阳区应急管理局', '朝阳区应急管理局', '应急管理局', '朝阳应急管理局', '区应急管理局', '朝阳区应急局', '应急局', '朝阳应急局', '区应急局']
    >>> [a for a in dept_aliases("上海市普陀区人民政府万里街道办事处") if "万里" in a and len(a) <= 6]
    ['万里街道', '普陀万里街道', '区万里街道']
    >>> dept_aliases("上海市财政局")[:3]
    ['上海市财政局', '财政局', '市财政局']
    >>> [a for a in dept_aliases("上海市普陀区人民政府办公室") if a in ("政府办", "区政府办", "区政府办公室", "区府办", "普陀区府办")]
    ['区政府办公室', '政府办', '区政府办', '普陀区府办', '区府办']
    >>> [a for a in dept_aliases("上海市普陀区商务委员会") if len(a) <= 5], "福利院" in dept_aliases("上海市普陀区社会福利院")
    (['商务委员会', '商务委', '普陀商务委', '区商务委', '本局', '我局', '该局'], True)
    """
    out = [name]
    m = DEPT_PARTS.match(name)
    if m:
        city, district, core = m.groups()
        cores = [core]
        if core.startswith("人民政府") and len(core) >= 8:  # 人民政府万里街道办事处: the street office itself
            inner = core[4:]
            cores = [inner] + ([inner[:-3]] if inner.endswith("办事处") else [])  # (万里街道办: see normalise)
        for c in cores:  # grows while it is read: every combination of the shorter forms
            for long, short in SHORTER:
                if long in c and c.replace(long, short) not in cores:
                    cores.append(c.replace(long, short))
        for i, c in enumerate(cores):
            if district:
                out.append(district + c)
            if i == 0:
                out.append(core)
            out.append(c)
            if city and not district:
                out.append("市" + c)  # 市财政局: a city's own bureau
            if district and len(district) > 2:
                out.append(district[:-1] + c)  # 海淀民政局
            if district and (len(c) >= 3 or c == "府办"):
                out.append(district[-1] + c)  # 区财政局 / 区府办: the district's own bureau
    out += ["本局", "我局", "该局"]
    return [a for i, a in enumerate(out) if a and a not in out[:i] and a != "府办"]  # (府办 alone is inside 政府办公厅)


DEPT_PARTS = lazy(r"^(.{2,4}?[省市])?(.{1,4}?[区县市])?(.+)$")  # 上海市 · 普陀区 · 财政局: city, district, the department


# shorter forms people use for parts of an official name (each applied to the name's core, one after another)
SHORTER = (("人民政府", "政府"), ("办公室", "办"), ("管理委员会", "管委会"), ("委员会", "委"), ("管理局", "局"),
           ("社会福利院", "福利院"), ("政府办", "府办"))


def one_typo_apart(name: str, typed: str) -> bool:
    """Same length, one character different, and not the first (a first character is seldom mistyped).

    >>> one_typo_apart("公务接待费", "公务接代费"), one_typo_apart("公务接待费", "母务接待费")
    (True, False)
    """
    return len(name) == len(typed) and name[:1] == typed[:1] and sum(x != y for x, y in zip(name, typed, strict=True)) == 1


def is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


CHAR_COUNT = lazy(r"([\u4e00-\u9fff”\"'’」』])(?:这|那)?(?:一|二|两|三|四|五|[1-5])个?(?:汉)?字(?:样|眼)?")  # 维护二字 / “事故”两个字
# 名称以2024年开头 / 项目名从2023年开始 / 名字打头是2024年的
# a person named by the surname alone: 姓刘的 / 老刘 / 小张 / 张工 / 王科长 (to choose among that surname's people)
SURNAME_SAID = lazy(r"姓(.)|(?<![\u4e00-\u9fff])(?:老|小)([\u4e00-\u9fff])(?=的|负责|电话|手机|联系|那|管|是|$)"
                    r"|(?<![\u4e00-\u9fff])([\u4e00-\u9fff])(?:工|科长|处长|主任|老师|经理|科)(?=的|负责|电话|手机|联系|那|管|是|$)")
NAME_BEGINS = lazy(r"(?:以|从|由)(.{1,14}?)(?:开头|打头|起头|开始|起始|打首)|(?:开头|打头|起头)的?(?:都是|是|为)(.{1,14}?)(?=的|项目|$)"
                   r"|(?<!.)(?!.*(?:以|从|由).*(?:开头|打头|起头|开始))"
                   r"(?!(?:项目)?(?:名字|名称|项目名|标题|全称)的?(?:开头|打头|起头))(.{2,14}?)(?:开头|打头|起头)")  # (“区应急指挥中心”开头的)
EXCEPT = lazy(r"除了|除去|除开|不算|不包括|刨除|排除|刨去")  # a project left out of a set
SPLIT_VERB = lazy(r"拆|分一下|分成|细分|分解|分开|分项|分[一下]?(?:科目|经济|功能|项|款|类)|具体")  # split what was answered
AGG_CUES = ("sum", "count", "avg", "max", "min", "list", "rank")  # cues that ask an aggregate of a set
ACROSS = lazy(r"各部门(?!经济分类)|各单位|哪个部门|哪些部门|哪个单位|所有部门|全部部门|部门排名|部门之间|各局")  # across documents

# spans a longer piece of a project name may take over: 安全生产标准化创建服务 holds 服务 (a 采购 category)
NAME_SOFT = ("stop", "subject", "proc_cat", "service_cat")

# single characters that jieba leaves behind and that carry no content in a question
SOFT_WORDS = set("比前表的了吗呢是有在和与及或要花用共总多少几个项笔这那哪些其中里中下"
                 "上给被把对按从到由所都各每就还又也再请问啊吧么嘛呀哦？?，,。.！!")
