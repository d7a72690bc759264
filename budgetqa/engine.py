"""`Engine.ask(question) -> Answer`: the one entry point every face uses.

Stages: normalise and guard -> link (nlu) -> merge with the conversation's previous question when
this one is a follow-up -> templates (highest weight first) -> Answer. Nothing here prints.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from budgetqa.answer import Answer, format_decimal
from budgetqa.choosing import all_of, common, pick, question_for, the_other
from budgetqa.conversation import (
    BARE_CHANGE,
    BARE_WHICH,
    FORMER_LATTER,
    INSIDE_SAID,
    PAIR_DIFF,
    SCOPE_MEASURES,
    THING_PRONOUN,
    TOGETHER,
    change_of_last_two,
    compare_last_two,
    extreme_of_last,
    in_unit,
    is_scope,
    items_to_choose,
    merge,
    named_difference,
    part_of_own_name,
    people_to_choose,
    referent,
    slot_reply,
    sums_last_two,
    swap_in,
    together,
    two_figures,
    what_it_was,
    which_of_last_two,
    without_preamble,
)
from budgetqa.core.patterns import lazy
from budgetqa.coverage import unused_spans
from budgetqa.families.base import Env
from budgetqa.nlu.lexicon import adopt_lexicon, load_lexicon
from budgetqa.nlu.linker import ACROSS, DEPT_PARTS, ENTITY_KINDS, SPLIT_VERB, Linker, Understanding, norm_key, normalise
from budgetqa.understood import restate, suggestions

REPLY_FILLER = lazy(r"^(?:我问的是|问的是|就是|是|要|看)|(?:的那个|那个|那份|的那份|的吧|吧|呢|的|啊|。|！|!|？|\?)+$")
NEGATION = lazy(r"(?<!是)不是(?![吗呢])|除了|除去|不含|不包括|不属于")  # (是不是 asks yes or no)
YEAR_COMPARED = lazy(r"(?:比|较|与|跟|同)(?:((?:19|20)\d\d)年|去年|上年|上一年|前一年)(?:相比|比|同期)?|同比")
# a change said with no year to compare with (2024年基本支出增长了多少): the year before is meant (a zero-width match)
IMPLICIT_CHANGE = lazy(r"(?<=[\u4e00-\u9fff])(?=(?:增长|增加|减少|下降|降低|上升|压缩|压减|缩减|削减)了?(?:多少|几))()")
# years asked together: 2023和2024年 / 2023、2024两年 / 2023到2025年 / 这两年 (their figures added or listed)
YEAR_LIST = lazy(r"(?:19|20)\d\d\s*年?(?:度)?\s*(?:(?:[和与及、,，至到\-~—]|以及)\s*(?:19|20)\d\d\s*年?(?:度)?)+"
                       r"(?:(?:这|那)?(?:两|三|四|[2-6])个?年(?:度)?)?(?:的)?")
YEARS_COUNTED = lazy(r"(?:这|那|近|最近)?([两二三四])年(?:度)?(?:的|来)?(?!前|后|以前|以后)")
YEARS_SUMMED = lazy(r"一共|合计|加起来|加在一起|总共|共计|累计|总和|合起来|加总")
TWO_YEARS_DIFF = lazy(r"(?:相差|差了|差|变化了?|变动了?|增加了?|减少了?|增长了?|下降了?|多了|少了)(?:多少|几)(?:万元|元)?")
YEARS_EACH = lazy(r"分别|各是|各自|各年|每年|逐年|各")
YEAR_CHANGE = lazy(r"比|较|增加|减少|增长|下降|变化|变动|相差|差|哪年|哪一年|哪个|多还是少|涨|降|少了|多了")
# a department named that no loaded budget is (普陀商务委 / 区教育局 / 卫健委): said so, not asked which loaded one
UNLOADED_DEPT = lazy(r"((?:[\u4e00-\u9fff]{1,3}[市区县])?[\u4e00-\u9fff]{1,5}?(?:委员会|委(?!托)|管理局|局|办公室|街道|镇|福利院))"
                     r"(?:的|今年|本年|明年|去年|[0-9]|一共|总|收入|支出|预算|三公|基本|项目|政府|机关|有|和|与|跟|比|哪)")
REGION_REPLY = lazy(r"市里|市级|市本级|市局|市的|区里|区级|区局|区的")  # after 区里那个: 市局的呢 takes the city's choice
# 24年比它多了多少 / 2025年较上面那个增加多少: the year named against the figure just answered
YEAR_AGAINST_LAST = lazy(r"^(?:那|那么)?((?:19|20)\d\d)年(?:的)?(?:比|较|跟|和|与|相对)"
                         r"(?:它|这个|上面的?|上面那个|前面的?|前者|刚才的?|那个|这|上一个|那年|那一年)(?:的)?"
                         r"(?:相比|比)?(增加|减少|增长|下降|多|少|高|低|涨|降|相差|差)(?:出|了|出了)?(?:多少|几)")
# 到24年压缩了多少 / 到了2024年又增加了多少 after a year's figure: the same change, from the year answered to the one named
YEAR_TO = lazy(r"^(?:那|那么)?(?:到|至|到了)((?:19|20)\d\d)年(?:的时候|时)?(?:又|再)?"
               r"(增加|减少|增长|下降|多|少|涨|降|压缩|压减|缩减|削减)(?:出|了|出了)?(?:多少|几)(?:万元|万|元)?[?？。]*$")
# X占这一类的比重 / 占它的多少 / 在其中占几成: the whole is the figure just answered
EXTREME_PART = lazy(r"(?:其中|里面|这里面)?(最大|最多|最高|最少|最小|最低)的?(?:那|这)?一?(?:项|个|块|款|类)?")
SHARE_OF_LAST = lazy(r"占(?:这一?类|这一?款|这一?项|这个类|这个款|这个科目|该科目|这一科目|这个项目|上面的?|上一问的?|上一个|它的?|这个数|这些|总数"
                     r"|这部分|这一块|这块|这里面|其中|里面)"
                     r"的?(?:比重|比例|占比|百分之几|多少|几成|多大)"
                     r"|在?(?:这里面|里面|其中|当中|这当中|这其中)占了?的?(?:比重|比例|占比|百分之几|多少|几成|多大)")  # 人员经费在里面占几成
IMPLICIT_SHARE = lazy(r"占了?(?:多大|多少|几成)?的?(?:比例|比重|占比|百分比)|占比|占了?多少|占了?几成|占了?百分之几")  # after a breakdown
DIFF_SAID = lazy(r"差|相差|多多少|少多少|多出|区别")
# 部门的 / 那本级呢 after an answer: the same question of the department's other budget of that year
TWIN_REPLY = lazy(r"^(?:那|那么)?(?:看|换成|换到|要)?(部门预算|整个部门|全部门|部门|本级|单位预算|单位)(?:的|口径)?(?:呢|的呢|数|的数)?[?？。]*$")
GAP_ASKED = r"(?:要|还)?(?:多|少|相差|差|高|低)(?:出|了|出了)?(?:多少|几)(?:万元|元|万)?[?？。]*$"  # …多出多少万: the end
# 比上海市财政局的三公多出多少 / 跟部门预算那本比差了多少 after an answer: this budget's figure against another's
AGAINST_OTHER = lazy(r"^(?:那|那么)?(?:跟|和|与|同|比|较)(.+?)(?:那本|那个|那边|那家)?(?:相比|比较|比起来|比)?(?:的)?" + GAP_ASKED)
# 那公用经费呢 after a share: the new part (SHARE_WHOLE reads the whole the last share was of)
SWAP_REPLY = lazy(r"^(?:那|那么)?(?:换成|换)?([^，,。？?]{2,16}?)(?:的)?呢[?？。]*$")
SHARE_WHOLE = lazy(r"占(?:了)?([^，,。？?]+?)(?:的)?(?:百分之多少|百分之几|比例|比重|占比|多少|几成|%)")
# 整个部门的比它多出多少 / 上海市财政局的比这个少多少: the other budget named first, then this one
OTHER_AGAINST = lazy(r"^(?:那|那么)?(.+?)(?:的)?(?:比它|比这个|比这|比上面的?|比前面的?|比刚才的?)" + GAP_ASKED)
TWIN_PAIR = lazy(r"(部门预算|整个部门|部门)(?:的)?(?:口径|数)?(?:和|与|跟|比|较)(?:其)?(本级|单位预算)(?:的)?(?:口径|数)?|"
                 r"(本级|单位预算)(?:的)?(?:口径|数)?(?:和|与|跟|比|较)(部门预算|整个部门|部门)(?:的)?(?:口径|数)?")
BOTH_SAID = lazy(r"两|俩|都|全部|所有|二者")  # a reply that takes every choice, not the one chosen last
TWIN_SAID = lazy(r"本级|单位预算|部门预算|部门的|全部门|整个部门|部门合计|下属|含下属|全系统")  # which of the two
SET_CUES = {"project", "count", "list", "keyword", "rank", "max", "min", "avg", "howmany"}  # a question about a set
WHOSE_ATTRIBUTE = {"phone": "联系电话", "owner": "负责人", "who": "负责人", "indicators": "绩效指标", "goal": "绩效目标"}
MAX_QUESTION = 300  # characters; longer input is refused at once, not processed


def cached_linker(db_path: Path, con, doc_id: str) -> Linker:
    """A document's linker, from a pickle in the cache directory when the database and lexicon are
    unchanged since it was made (saves reading the vocabulary at every start of `budgetqa ask`)."""
    import hashlib
    import os
    import pickle

    from budgetqa.core.paths import cache_dir
    from budgetqa.lexicon_files import lexicon_dir
    from budgetqa.nlu.vocab import load_vocab
    from budgetqa.store.schema import SCHEMA_VERSION

    try:
        st = db_path.stat()
        lex = sorted((f.name, f.stat().st_mtime_ns) for f in lexicon_dir().iterdir() if f.is_file())
        code = sorted((f.name, st.st_mtime_ns, st.st_size) for f in (Path(__file__).parent / "nlu").glob("*.py")
                      for st in [f.stat()])
        key = hashlib.sha1(repr((str(db_path.resolve()), st.st_mtime_ns, st.st_size, doc_id, SCHEMA_VERSION, lex,
                                 code)).encode())  # a changed linker or vocabulary class never reads old pickles
        path = cache_dir() / "linkers" / f"{key.hexdigest()}.pkl"
        if path.exists():
            with path.open("rb") as f:
                linker = pickle.load(f)
            if isinstance(linker, Linker) and linker.vocab.doc_id == doc_id:
                adopt_lexicon(linker.lexicon)
                return linker
    except Exception:  # noqa: BLE001 - a cache that cannot be read is rebuilt
        path = None
    linker = Linker(load_vocab(con, doc_id), load_lexicon())
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as f:
                pickle.dump(linker, f)
            tmp.replace(path)
        except OSError:
            pass
    return linker


def department_index(documents: dict[str, tuple[str, int]]) -> dict[str, list[str]]:
    """Every way a loaded department can be named -> its documents."""
    from budgetqa.nlu.linker import dept_aliases

    index: dict[str, list[str]] = {}
    for doc_id, (name, _) in documents.items():
        for alias in dept_aliases(name):
            if alias not in ("本局", "我局", "该局"):
                index.setdefault(alias, []).append(doc_id)
    return index


@dataclass
class Context:
    """A conversation: the previous question's understanding, reused by follow-ups."""

    last: Understanding | None = None
    doc_id: str | None = None
    history: list[Answer] = field(default_factory=list)
    pending: Answer | None = None  # the clarifying question the next turn may answer (1 / 第二个 / 防汛的那个)
    picked: tuple[Answer, int] | None = None  # the clarification the last turn answered, and the choice it took
    unanswered: Understanding | None = None  # the last question, when it was not answered: a reply may fill its gap
    unanswered_q: str | None = None  # (its words, for a question asked back before any linking: which department)
    asking: Understanding | None = None  # what this turn was understood as (set while it is answered)

    def reset(self) -> None:
        self.last = None
        self.doc_id = None
        self.pending = None
        self.picked = None
        self.unanswered = None
        self.unanswered_q = None
        self.history.clear()


CONFIDENT_FUZZY = 90.0  # a near match of a name below this gives no figure without asking back


def unsure_name(a: Answer, u: Understanding) -> Answer:
    """A figure found through a name matched only nearly (专家顾文费 ~ 专家顾问费, 83 points): asked back with the
    names it came near, never stated as the answer."""
    unsure = [s for s in u.spans if s.kind == "project_fuzzy" and s.score < CONFIDENT_FUZZY and
              not any(s is t for t in u.inherited) and not any(written_out(s.text, t.name) for t in s.targets)]
    if a.status != "ok" or a.value is None or not unsure or u.of("project"):
        return a
    names = list(dict.fromkeys(t.name for s in unsure for t in s.targets))[:6]
    asked = f"您问的是“{names[0]}”吗？" if len(names) == 1 else "您问的是哪一个？" + "；".join(names)
    return Answer(a.question, "clarify", f"没有完全对上的名称：“{unsure[0].text}”与项目名称相近（得分{unsure[0].score:.0f}）。{asked}",
                  candidates=[corrected(a.question, unsure[0].text, n) for n in names], links=u.links(), family=a.family)


def corrected(question: str, near: str, name: str) -> str:
    """The question with the nearly matched words put right (档案数子化服务的金额是多少 -> 档案数字化服务的金额是多少):
    a choice that is a whole question, asked as it is."""
    q = normalise(question)
    if near in q:
        return q.replace(near, name, 1)
    return name + "：" + q


def written_out(text: str, name: str) -> bool:
    """The question writes most of the name as it is (专职安全员培训 of 专职安全员培训经费, then indicator words):
    a near match only because of the words around it, not a misspelt name.

    >>> written_out("专职安全员培训计划培训", "专职安全员培训经费"), written_out("专家顾文费", "专家顾问费")
    (True, False)
    >>> written_out("专职安全员培训某费", "专职安全员培训经费")  # the rest of the name, one character off: a typo
    False
    """
    stem = norm_key(re.sub(r"[（(][^（）()]*[）)]$", "", name)).lower()
    run = common(text, stem)
    if len(run) < 5 or len(run) < 0.7 * len(stem):
        return False
    rest = stem[stem.find(run) + len(run):]
    follow = text[text.find(run) + len(run):][:len(rest)]
    return not (rest and len(follow) == len(rest) and sum(x != y for x, y in zip(rest, follow, strict=True)) <= 1)


def names_indicator_of_project(env: Env, project, question: str) -> bool:
    from budgetqa.families.indicator import names_indicator_of  # (the families load with the first question answered)

    return names_indicator_of(env, project, question)


def part_of_last_split(u: Understanding, context: Context | None) -> bool:
    """The subject named is one of the parts the last answer split its figure into (会议费 after 按经济分类拆开)."""
    last = context.history[-1] if context is not None and context.history else None
    if last is None or last.status != "ok" or last.family != "breakdown" or not last.rows:
        return False
    names = {str(c) for r in last.rows for c in r if isinstance(c, str)}
    return any(t.name in names or any(t.name in n for n in names) for sp in u.of("subject") for t in sp.targets)


def splits_previous(u: Understanding) -> bool:
    """A breakdown that names nothing to break down (按经济分类分一下 / 分一下 / 拆成人员经费和公用经费): it splits
    the previous answer, never the whole budget."""
    if "breakdown" not in u.cues or any(s.kind in ENTITY_KINDS for s in u.spans):
        return False
    if not u.measures:
        return bool(u.dims) or SPLIT_VERB.search(u.qn) is not None
    return SPLIT_VERB.search(u.qn) is not None and all(is_scope(m) for m in u.measures)


ACROSS_YEARS = lazy(r"各年|历年|几年|两年|三年|每年|逐年|同比|上年|去年|增长|增加|减少|变化|变动")  # asks over the years


def like(value: Decimal, unit: str | None) -> Decimal:
    """The twin's figure as the answer's own is shown: a share to two places (97.45%, not 97.4478%), money as it is."""
    return value.quantize(Decimal("0.01")) if unit == "%" else value


class Engine:
    def __init__(self, db_path: str | Path, doc_id: str | None = None):
        from budgetqa.store.connection import DatabaseError, Error, connect_read_only, first_line

        self.db_path = Path(db_path)
        self.answered_in: str | None = None  # the document the last answer came from
        self.con = connect_read_only(self.db_path)
        try:
            rows = self.con.execute("SELECT doc_id, dept_name, year FROM documents ORDER BY year DESC, doc_id").fetchall()
            if not rows:
                raise LookupError("数据库里没有已加载的预算文件")
            self.documents = {r[0]: (r[1], r[2]) for r in rows}
            self.kinds, self.source_units = self.document_kinds()
            self.dept_index = department_index(self.documents)
            self._linkers: dict[str, Linker] = {}
            self.default_doc = doc_id if doc_id in self.documents else rows[0][0]
            self.linker = self.linker_for(self.default_doc)
        except Error as e:  # a file damaged past its header: opened, but unreadable
            self.con.close()
            raise DatabaseError(f"无法读取数据库 {self.db_path}：{first_line(e)}") from None
        self.vocab = self.linker.vocab
        from budgetqa.families.registry import TEMPLATES

        self.templates = TEMPLATES

    def document_kinds(self) -> tuple[dict[str, str], dict[str, str]]:
        """Each document's kind (部门预算 or 单位预算) and the unit its tables print (元 for Shanghai's); a database
        built before these columns knows neither."""
        from budgetqa.store.connection import Error

        try:
            rows = self.con.execute("SELECT doc_id, doc_kind, source_unit FROM documents").fetchall()
        except Error:
            return {}, {}
        return {r[0]: r[1] for r in rows}, {r[0]: r[2] for r in rows}

    def linker_for(self, doc_id: str) -> Linker:
        """Vocabulary and linker of one document, built on first use (a few ms) and kept."""
        if doc_id not in self._linkers:
            if len(self._linkers) > 64:  # many documents: keep memory bounded
                self._linkers.pop(next(iter(self._linkers)))
            self._linkers[doc_id] = cached_linker(self.db_path, self.con, doc_id)
        return self._linkers[doc_id]

    def choose_document(self, q: str, context: Context | None) -> tuple[str | None, list[str]]:
        """The document a question is about: named by department and/or year, else the conversation's, else
        the only one. Several departments and none named: (None, the candidates)."""
        from budgetqa.nlu.amounts import find_years

        if len(self.documents) == 1:
            return self.default_doc, []
        qn = normalise(q)
        named: set[str] | None = None
        for alias in sorted(self.dept_index, key=len, reverse=True):
            if alias in qn:
                named = set(self.dept_index[alias])
                qn = qn.replace(alias, "")
                break
        from_question = named is not None
        if named is None and context is not None and context.doc_id:
            named = {d for d in self.documents if self.documents[d][0] == self.documents[context.doc_id][0]}
        # 今年 / 去年 count from a named department's budget; with none named they pick no department
        relative = named is None and len({n for n, _ in self.documents.values()}) > 1
        years = find_years(re.sub(r"今年|本年度|本年|去年|上年度|上一年|上年|前一年|明年", "", qn) if relative else qn,
                           self.documents[self.default_doc][1])
        pool = named if named is not None else set(self.documents)
        if years:
            dated = {d for d in pool if self.documents[d][1] in years}
            if dated:
                pool = dated
        depts = {self.documents[d][0] for d in pool}
        if len(depts) > 1:
            return None, sorted(depts)[:20]
        loaded_years = sorted({self.documents[d][1] for d in pool})
        if from_question and not years and len(loaded_years) > 1 and not ACROSS_YEARS.search(qn):
            dept = next(iter(depts))  # 万里街道的基本支出 with 2023 and 2024 loaded: which year, never the latest silently
            return None, [f"{dept}{y}年" for y in loaded_years]
        if not from_question and context is not None and context.doc_id in pool and not TWIN_SAID.search(qn):
            return context.doc_id, []  # 司法局本级的… / 万里街道2023年的… then 分款看看: still its conversation's budget
        latest = max(self.documents[d][1] for d in pool)
        pool = {d for d in pool if self.documents[d][1] == latest}
        if len(pool) > 1:  # a department's budget and its own unit's (本级) of the same year
            unit = re.search(r"本级|单位预算", qn) is not None
            pool = {d for d in pool if (self.kinds.get(d) == "单位预算") == unit} or pool
        return sorted(pool)[0], []

    def label(self, doc_id: str) -> str:
        """上海市普陀区司法局（2026年）, 上海市普陀区司法局本级（2026年） when the department's budget is loaded too."""
        dept, year = self.documents[doc_id]
        twin = self.kinds.get(doc_id) == "单位预算" and bool(self.twins(doc_id))
        return f"{dept}{'本级' if twin else ''}（{year}年）"

    def twins(self, doc_id: str) -> list[str]:
        """The other budget of the same department and year, of the other kind (部门预算 / 本级 单位预算)."""
        unit = self.kinds.get(doc_id) == "单位预算"
        return [d for d in self.documents if d != doc_id and self.documents[d] == self.documents[doc_id]
                and (self.kinds.get(d) == "单位预算") != unit]

    def departments_named(self, q: str) -> list[tuple[str, str]]:
        """The departments a question names, as (alias found, latest document), longest names first."""
        rest, found = normalise(q), []
        for alias in sorted(self.dept_index, key=len, reverse=True):
            if alias in rest:
                doc = max(self.dept_index[alias], key=lambda d: self.documents[d][1])
                if all(self.documents[doc][0] != self.documents[d][0] for _, d in found):
                    found.append((alias, doc))
                rest = rest.replace(alias, "\0")
        return found

    def each_department(self, question: str, q: str, named: list[tuple[str, str]]) -> Answer:
        """西城区民政局和海淀区民政局的老年福利一共多少: the question asked of each, and the figures added;
        上海市财政局的支出总计比普陀区财政局多多少: compared, in the order named."""
        qn = normalise(q)
        order = sorted(named, key=lambda n: qn.find(n[0]))
        compare = len(order) == 2 and (re.search(rf"{re.escape(order[0][0])}.*(?:比|较).*{re.escape(order[1][0])}", qn) and
                                       re.search(r"多|少|增加|减少|相差|差", qn) or re.search(r"相差|差多少|差了多少|差额|差距", qn))
        rest = qn
        for alias, _ in named:
            rest = rest.replace(alias, "")
        if compare:  # the figure each is asked for: without 比 and the difference asked
            rest = re.sub(r"(?:比|较)(?:(?:19|20)\d\d年)?(?:的)?", "", rest)
            rest = re.sub(r"(?:多|少|增加|减少|相差|差)(?:出|了|出了)?(?:多少|几).*$", "", rest)
            rest = re.sub(r"((?:19|20)\d\d年)(.*?)\1", r"\1\2", rest)  # 2025年…2025年: the year once
        which = None if compare else re.search(r"(?:哪个|哪一个|谁|哪家|哪边|哪个部门|哪个单位)(?:的)?(.*?)(?:更|比较|最)?(多|少|高|低|大|小)",
                                                rest)
        if which:  # A和B，谁的财政拨款收入多: each one's figure, then the larger
            rest = rest[:which.start()] + which.group(1) + rest[which.end():]
            rest = re.sub(r"[,，?？]*(?:要)?(?:大|多|高|少|小|低)(?:了|出|出了)?(?:多少|几)(?:万元|元|万)?[?？。]*$", "", rest)
            rest = re.sub(r"[,，、]", "", rest) + "多少"
        rest = re.sub(r"^[和与及、跟同,，的]+", "", rest)
        answers = [(doc, self._ask(f"{self.documents[doc][0]}{rest}", None)) for _, doc in order]
        good = [(d, a) for d, a in answers if a.status == "ok" and isinstance(a.value, Decimal)]
        if len(good) != len(answers) or len({a.unit for _, a in good}) != 1:
            failed = next(a for _, a in answers if a.status != "ok" or not isinstance(a.value, Decimal))
            return Answer(question, failed.status if failed.status != "ok" else "unsupported",
                          "不能把各部门的答案加在一起：" + failed.answer, candidates=failed.candidates)
        unit = good[0][1].unit
        parts = "；".join(a.answer.rstrip("。") for _, a in good) + "。"
        if compare:
            (da, a), (db, b) = good
            d = a.value - b.value
            text = f"{parts} {self.label(da)}比{self.label(db)}{'多' if d >= 0 else '少'}{format_decimal(abs(d))}{unit}。"
            return Answer(question, "ok", text, d, unit, ["部门", f"金额（{unit}）"], [[self.label(x), y.value] for x, y in good],
                          ";\n".join(y.sql for _, y in good if y.sql) or None, a.links + b.links)
        rows = [[self.label(d), a.value] for d, a in good]
        if which:
            more = which.group(2) in "多高大"
            d, a = (max if more else min)(good, key=lambda x: x[1].value)
            ties = [x for x, y in good if y.value == a.value]
            text = f"{parts} {'两者相同' if len(ties) > 1 else self.label(d) + ('较多' if more else '较少')}。"
            by = re.search(r"[,，?？]\s*(?:要)?(?:大|多|高|少|小|低)(?:了|出|出了)?(?:多少|几)", qn)
            if by is not None and len(good) == 2 and len(ties) == 1:  # 谁的大？大多少: the difference is the figure asked
                gap = abs(good[0][1].value - good[1][1].value)
                text = text.rstrip("。") + f"，{'多' if more else '少'}{format_decimal(gap)}{unit}。"
                return Answer(question, "ok", text, gap, unit, ["部门", f"金额（{unit}）"], rows,
                              ";\n".join(y.sql for _, y in good if y.sql) or None, [link for _, y in good for link in y.links])
            return Answer(question, "ok", text, a.value, unit, ["部门", f"金额（{unit}）"], rows,
                          ";\n".join(y.sql for _, y in good if y.sql) or None, [link for _, y in good for link in y.links])
        total = sum((a.value for _, a in good), Decimal(0))
        return Answer(question, "ok", f"{parts} 合计{format_decimal(total)}{unit}。", total, unit,
                      ["部门", f"金额（{unit}）"], rows, ";\n".join(a.sql for _, a in good if a.sql) or None,
                      [link for _, a in good for link in a.links])

    def several_years(self, question: str, q: str, context: Context | None) -> Answer | None:
        """2023和2024年公务接待费一共多少 / 2023到2025年的基本支出 / 这两年各是多少: the question asked of each year
        (its own budget, or the year a table of one budget carries, as 三公 tables do), then added or listed. A year
        that is not loaded is said, never answered by another year's figure."""
        qn = normalise(q)
        m = YEAR_LIST.search(qn)
        counted = None if m else YEARS_COUNTED.search(qn)
        change = YEAR_CHANGE.search(qn)
        if m is None and counted is None or change and (m is not None or not TWO_YEARS_DIFF.search(qn)):
            return None
        if m is not None:
            found = [int(y) for y in re.findall(r"(?:19|20)\d\d", m.group(0))]
            years = list(range(found[0], found[-1] + 1)) if re.search(r"[至到\-~—]", m.group(0)) else sorted(set(found))
            rest = qn[:m.start()] + qn[m.end():]
        else:
            doc = self.document_named(q, context)
            if doc is None:
                return None
            dept = self.documents[doc][0]
            loaded = sorted({y for d, (n, y) in self.documents.items() if n == dept})
            vocab_years = sorted(self.linker_for(doc).vocab.sangong_years)
            n = {"两": 2, "二": 2, "三": 3, "四": 4}.get(counted.group(1), 2)
            pool = loaded if len(loaded) >= n else vocab_years
            if len(pool) < n:
                said = counted.group(0)
                rest = qn[:counted.start()] + qn[counted.end():]
                if not (re.match(r"这|那|近|最近", said) or YEARS_SUMMED.search(rest) or YEARS_EACH.search(rest)) \
                        or any(said.rstrip("的来") in p.name for p in self.linker_for(doc).vocab.projects):
                    return None  # 三年行动计划: a name's words, not years asked
                have = sorted(set(loaded) | set(vocab_years))
                return Answer(question, "not_found", f"问的是{n}年的数，但{dept}只有" +
                              "、".join(f"{y}年" for y in have) + "的数据，无法" +
                              ("相加" if YEARS_SUMMED.search(rest) else "逐年列出") +
                              "；可以问其中一年。用 budgetqa load 加载缺少年度的预算后再问。", family="years",
                              understood=f"{n}年 · {dept}")
            years = pool[-n:]
            rest = qn[:counted.start()] + qn[counted.end():]
        if len(years) < 2 or len(years) > 6:
            return None
        total = YEARS_SUMMED.search(rest) is not None
        if change is not None:  # 万里街道两年的三公经费差多少: the later year's figure less the earlier's
            if len(years) != 2:
                return None
            rest = TWO_YEARS_DIFF.sub("", rest)
        rest = re.sub(r"(?:19|20)\d\d年?", "", YEARS_SUMMED.sub("", YEARS_EACH.sub("", rest)))
        rest = re.sub(r"^[的,，、]+", "", rest)
        if change is not None and not re.search(r"[\u4e00-\u9fff]{2,}", re.sub(r"的|呢|之间|是", "", rest)):
            return None  # 两年差了多少 after two years' figures: the conversation's two answers, not a question of its own
        answers = [(y, self._ask(f"{y}年{rest}", None)) for y in years]
        missing = [y for y, a in answers if a.status == "not_found" and "没有" in a.answer]
        if missing:
            got = [y for y in years if y not in missing]
            return Answer(question, "not_found", f"没有{'、'.join(f'{y}年' for y in missing)}的数据，无法" +
                          ("相加" if total else "逐年列出") + (f"（有数据的是{'、'.join(f'{y}年' for y in got)}）" if got else "") +
                          "。用 budgetqa load 加载缺少年度的预算后再问。")
        bad = next((a for _, a in answers if a.status != "ok" or not isinstance(a.value, Decimal)), None)
        if bad is not None or len({a.unit for _, a in answers}) != 1:
            return None if bad is not None and bad.status == "ok" else bad
        unit = answers[0][1].unit
        if change is not None:
            (y0, a0), (y1, a1) = answers
            d = a1.value - a0.value
            name = re.sub(r"^(?:19|20)\d\d年", "", what_it_was(a1))
            value = abs(d) if re.search(r"差|相差", change.group(0)) else d
            text = f"{name}：{y1}年{format_decimal(a1.value)}{unit}，{y0}年{format_decimal(a0.value)}{unit}，" + \
                (f"{y1}年比{y0}年{'多' if d > 0 else '少'}{format_decimal(abs(d))}{unit}。" if d else "两年相同。")
            return Answer(question, "ok", text, value, unit, ["年度", f"金额（{unit}）"], [[f"{y0}年", a0.value], [f"{y1}年", a1.value]],
                          ";\n".join(a.sql for _, a in answers if a.sql) or None, [ln for _, a in answers for ln in a.links],
                          family="years", understood=f"{y0}年、{y1}年 · {name} · 两年之差")
        rows = [[f"{y}年", a.value] for y, a in answers]
        listed = "；".join(f"{y}年{format_decimal(a.value)}{unit}" for y, a in answers)
        sql = ";\n".join(a.sql for _, a in answers if a.sql) or None
        links = [ln for _, a in answers for ln in a.links]
        first = answers[0][1].understood or ""
        what = " · ".join(re.sub(r"（(?:19|20)\d\d年）", "", p) for p in first.split(" · ")
                          if not re.fullmatch(r"(?:19|20)\d\d年", p.strip()))
        name = re.sub(r"^(?:19|20)\d\d年", "", what_it_was(answers[0][1]))
        if total:
            value = sum((a.value for _, a in answers), Decimal(0))
            return Answer(question, "ok", f"{name}{'、'.join(f'{y}年' for y in years)}合计{format_decimal(value)}{unit}：{listed}。", value,
                          unit, ["年度", f"金额（{unit}）"], rows, sql, links, family="years",
                          understood=f"{'、'.join(f'{y}年' for y in years)} · {what} · 各年相加")
        return Answer(question, "ok", f"{name}：{listed}。", None, unit, ["年度", f"金额（{unit}）"], rows, sql, links, family="years",
                      understood=f"{'、'.join(f'{y}年' for y in years)} · {what} · 逐年列出")

    def with_twin(self, question: str, a: Answer, context: Context | None) -> Answer:
        """司法局2026年公务接待费 with the 部门预算 and the 本级 (单位预算) of that year loaded, neither said: the
        department's name means its 部门预算 (the answer says so), and the 本级 figure is shown beside it when it
        differs, so that neither is taken for the other."""
        doc = self.answered_in
        if a.status in ("unsupported", "not_found") and doc is not None and self.kinds.get(doc) != "单位预算" and \
                self.twins(doc) and not TWIN_SAID.search(question) and self.departments_named(question) and \
                (context is None or context.asking is None or context.asking.previous is None):
            if not any("内设机构数" in sp.targets for twin in self.twins(doc)
                       for sp in self.linker_for(twin).understand(question).of("narrative_item")):
                return a  # (only a unit's budget lists its offices: nothing else is looked for in the 本级)
            other = self._ask(question.rstrip("？?。") + "（本级）", None)  # 司法局有几个内设机构: only its 本级 says
            self.answered_in = doc
            if other.status == "ok" and "“内设机构数”" in other.answer:  # (a unit's budget lists its offices; a 部门预算 its units)
                other.answer = other.answer.rstrip("。") + "（部门预算没有列出内设机构，这是本级预算“机构设置”里的数）。"
                return other
            return a
        if a.status != "ok" or not isinstance(a.value, Decimal) or doc is None or self.kinds.get(doc) == "单位预算" \
                or not self.twins(doc) or TWIN_SAID.search(question) or len(self.departments_named(question)) != 1:
            return a  # (the twin is looked for first: most engines have none, and naming needs a pass over the aliases)
        if context is not None and context.asking is not None and context.asking.previous is not None:
            return a  # a follow-up keeps the budget its conversation is about
        other = self._ask(question.rstrip("？?。") + "（本级）", None)
        self.answered_in = doc
        if other.status != "ok" or not isinstance(other.value, Decimal) or other.unit != a.unit:
            return a
        same = other.value == a.value
        a.answer = a.answer.rstrip("。") + ("（部门预算与本级预算此数相同）。" if same else
                                           f"（这是部门预算的数；本级预算为{format_decimal(like(other.value, a.unit))}{other.unit}）。")
        return a

    def district_swap(self, q: str, doc_id: str) -> str:
        """A follow-up naming only a district or city (普陀区的呢) after a department: the same kind of department
        there, when one is loaded (上海市财政局 -> 上海市普陀区财政局)."""
        if self.departments_named(q):
            return q
        m = re.search(r"([\u4e00-\u9fff]{1,4}?[区县])(?=的|呢|$)|^(?:那|那么)?(市里|市级)", normalise(q))
        if m is None:
            return q
        before = self.documents[doc_id][0]
        core = DEPT_PARTS.match(before).group(3)
        place = m.group(1) or ""
        wanted = place + core if place else "市" + core
        if wanted in self.dept_index:
            return normalise(q).replace(m.group(0), wanted if place else m.group(0).replace(m.group(2), wanted), 1)
        return q

    def switched_department(self, before: str | None, now: str | None) -> bool:
        return bool(before and now and before in self.documents and now in self.documents and
                    self.documents[before][0] != self.documents[now][0])

    def document_named(self, q: str, context: Context | None) -> str | None:
        """The document a question's department (or the conversation, or the only department) points to."""
        named = self.departments_named(q) if len(self.documents) > 1 else []
        if named:
            return named[0][1]
        if context is not None and context.doc_id:
            return context.doc_id
        return self.default_doc if len({d[0] for d in self.documents.values()}) == 1 else None

    def across_years(self, question: str, q: str, context: Context | None) -> Answer | None:
        """万里街道2024年支出总计比2023年增加了多少, with both years' budgets loaded: the question asked of each
        year's document, then compared (a budget that carries both years itself, as 三公 tables do, answers alone).
        With the other year's budget not loaded, say so and how to load it."""
        qn = normalise(q)
        m = YEAR_COMPARED.search(qn)
        if m is None and not re.search(r"比|较|与|跟|同|和", qn):  # 2024年基本支出增长了多少: over the year before
            m = IMPLICIT_CHANGE.search(qn)
        if m is None:
            return None
        doc = self.document_named(q, context)
        if doc is None:
            return None
        dept = self.documents[doc][0]
        years_of = {self.documents[d][1] for d in self.documents if self.documents[d][0] == dept}
        first = [int(y) for y in re.findall(r"((?:19|20)\d\d)年", qn[:m.start()])]
        this = first[-1] if first else max(years_of)
        other = int(m.group(1)) if m.group(1) else this - 1
        if this == other:
            return None
        if other not in years_of:
            u = self.linker_for(doc).understand(q)
            before = context.last.measures if context is not None and context.last is not None and not u.has_entity else []
            if any(x.startswith("sangong") for x in u.measures + before):
                return None  # the 三公 table carries the year before itself (比去年呢 after 三公经费多少)
            loaded = "、".join(f"{y}年" for y in sorted(years_of))
            return Answer(question, "not_found", f"已加载的{dept}预算只有{loaded}的，没有{other}年的预算，无法比较"
                          f"（本预算里只有“三公”经费列出了上年数）。用 budgetqa load 加载该部门{other}年的预算后，就可以这样比较。")
        if this not in years_of:
            return None
        rest = qn[:m.start()] + qn[m.end():]
        share = re.search(r"百分之|%|增长率|变化率|增幅|幅度|几成", rest) is not None
        rest = re.sub(r"(?:增加|减少|增长|下降|降低|上升|压缩|压减|缩减|削减|缩水|缩|多|少|变化|相差|差|降|涨)了?"
                      r"(?:多少|百分之几|百分之多少|几成|幅度|率|几)?.*$", "", rest)
        rest = re.sub(r"(?:19|20)\d\d年", "", rest)
        last = context.history[-1] if context is not None and context.history else None
        if last is not None and last.status == "ok" and last.family == "breakdown":  # 比23年多了多少 after 分项列一下:
            last = next((x for x in reversed(context.history) if x.status == "ok" and x.family != "breakdown"), last)  # the whole's
        if last is not None and last.status == "ok" and not re.search(r"[\u4e00-\u9fff]{2,}", re.sub(r"的|呢|是|要|那", "", rest)):
            said = normalise(last.question).rstrip("？?。")  # 24年的 / 比23年多了多少: that question, of each year
            if not self.departments_named(said) and len(self.documents) > 1:
                said = dept + said  # (a follow-up's words name no department: the conversation's)
            asked = {y: self._ask(re.sub(r"(?:19|20)\d\d年", f"{y}年", said) if re.search(r"(?:19|20)\d\d年", said)
                                  else f"{y}年{said}", None) for y in (this, other)}
        else:
            asked = {y: self._ask(f"{y}年{rest}", None) for y in (this, other)}
        a, b = asked[this], asked[other]
        if not all(x.status == "ok" and isinstance(x.value, Decimal) for x in (a, b)) or a.unit != b.unit:
            bad = next(x for x in (a, b) if x.status != "ok" or not isinstance(x.value, Decimal))
            return Answer(question, bad.status if bad.status != "ok" else "unsupported", "两年的数不能相比：" + bad.answer,
                          candidates=bad.candidates)
        d = a.value - b.value
        word = "增加" if d >= 0 else "减少"
        unit = a.unit
        if share:
            if not b.value:
                return None
            pct = (d / b.value * 100).quantize(Decimal("0.0001"))
            text = f"{a.answer.rstrip('。')}；{b.answer.rstrip('。')}；比{other}年{word}{format_decimal(abs(pct))}%。"
            value, unit = pct, "%"
        else:
            text = f"{a.answer.rstrip('。')}；{b.answer.rstrip('。')}；比{other}年{word}{format_decimal(abs(d))}{unit}。"
            value = d
        out = Answer(question, "ok", text, value, unit, ["年度", f"金额（{a.unit}）"], [[this, a.value], [other, b.value]],
                     ";\n".join(x.sql for x in (a, b) if x.sql) or None, a.links + b.links)
        out.understood = f"{dept} · {this}年与{other}年 · {(a.understood or '').split(' · ', 2)[-1]} · {'增幅' if share else '差额'}"
        return out

    def share_of_last(self, question: str, q: str, context: Context) -> Answer | None:
        """X占这一类的比重 / 占它的百分之几 after an answer, or X占比多少 after a breakdown that has X among its parts:
        X's figure over the figure just answered (the whole the user is looking at), never over the budget's total."""
        qn = normalise(q)
        explicit = SHARE_OF_LAST.search(qn)
        m = explicit or IMPLICIT_SHARE.search(qn)
        last = context.history[-1]
        before = context.history[-2] if len(context.history) >= 2 else None
        if before is not None and isinstance(before.value, Decimal) and last.status == "ok" and (
                not isinstance(last.value, Decimal) or m is not None and "科目" in m.group(0)
                and any(ln.kind == "subject" for ln in before.links)
                and not any(ln.kind == "subject" for ln in last.links if ln.term in last.question)):
            last = before  # 应急救援多少 / 它下面挂了哪些项目 / 维保费占这个科目的百分之几: the subject's own figure
        if m is None or last.status != "ok" or not isinstance(last.value, Decimal) or not last.value \
                or last.unit not in ("万元", "元"):
            return None
        part_words = re.sub(r"(?:这一?项|这一?款|这一?类|那一?款|那一?项|那块|这个科目|这个|这项|其中|里面|这块|类)$", "",
                            qn[:m.start()]).strip("，,的")
        if len(part_words) < 2:
            return None
        named_rows = []
        if last.family == "breakdown" and "名称" in last.columns:  # one of the parts just listed (管理事务 → 城乡社区管理事务)
            i, j = last.columns.index("名称"), len(last.columns) - 1
            parts = [(str(r[i]), r[j]) for r in last.rows if isinstance(r[j], Decimal)]
            named_rows = [(n, v) for n, v in parts if part_words in n]
            extreme = EXTREME_PART.fullmatch(part_words)
            if extreme and parts:  # 最大的那项占这块的比重: the largest (smallest) of the parts just listed
                pick = (max if extreme.group(1) in ("最大", "最多", "最高") else min)(v for _, v in parts)
                named_rows = [(n, v) for n, v in parts if v == pick]
        named = [ln.term for ln in last.links if ln.kind in ("subject", "measure", "project", "person")]
        category = not named_rows and explicit is None and named and \
            all(sp.kind in ("proc_cat", "stop") for sp in self.linker_for(context.doc_id or self.default_doc).understand(part_words).spans)
        if len(named_rows) == 1:
            label, value, unit, sql, links = named_rows[0][0], named_rows[0][1], last.unit, last.sql, last.links
        elif explicit is None and not category:
            return None  # 人员经费占比多少 after anything else: the ordinary reading
        else:  # X占这一类 (any X), or 服务类占比多少 after 政府采购预算: the category of the whole just answered
            part = self._ask(f"{named[0]}中{part_words}多少" if category else f"{part_words}多少", Context(doc_id=context.doc_id))
            if part.status != "ok" or not isinstance(part.value, Decimal) or part.unit not in ("万元", "元"):
                return None
            label, value, unit, sql, links = what_it_was(part), part.value, part.unit, part.sql, part.links
        in_yuan = {"元": Decimal(1), "万元": Decimal(10000)}  # (both figures in one unit before dividing)
        sibling = category and any(ln.kind in ("proc_cat", "service_cat") for ln in last.links)  # 其中服务类呢 → 货物类占比
        if value * in_yuan[unit] >= last.value * in_yuan[last.unit] or sibling:
            # 服务类占比多少 after 服务类的呢 (the part itself) or 其中货物类呢 (a sibling) after 政府采购: the whole is the
            # latest figure answered before that is larger than the part; with none, no share
            earlier = [x for x in reversed(context.history[:-1]) if x.status == "ok" and isinstance(x.value, Decimal)
                       and x.unit in in_yuan and x.value * in_yuan[x.unit] > value * in_yuan[unit]
                       and not any(ln.kind in ("proc_cat", "service_cat") for ln in x.links)]
            if not earlier:
                return None
            last = earlier[0]
            named = [ln.term for ln in last.links if ln.kind in ("subject", "measure", "project", "person")]
        pct = (value * in_yuan[unit] / (last.value * in_yuan[last.unit]) * 100).quantize(Decimal("0.01"))
        whole = named[0] if named else " · ".join(x for x in (last.understood or last.question).split(" · ") if x not in ("金额", "合计"))
        return Answer(question, "ok", f"{label}{format_decimal(value)}{unit}，占前面回答的{whole}"
                      f"{format_decimal(last.value)}{last.unit}的{pct}%。", pct, "%", ["项目", "金额"],
                      [[label, value], [whole, last.value]], ";\n".join(x for x in (sql, last.sql) if x) or None,
                      links + last.links, understood=f"{label} · 占上一问的数 · 比例（承接上一问）")

    def twins_compared(self, question: str, pair: re.Match, context: Context | None) -> Answer | None:
        """部门和本级的公务接待费差多少: the question of the department's budget and of its 本级, the first named less
        the second (差 / 相差: a magnitude)."""
        qn = normalise(question)
        rest = re.sub(r"(?:相差|差了|差|多了|少了|多|少)(?:出)?(?:多少|几).*$", "", qn[:pair.start()] + qn[pair.end():]).strip("的，,")
        named = self.departments_named(rest)
        bare = rest
        for alias, _ in named:
            bare = bare.replace(alias, "")
        if not re.search(r"[\u4e00-\u9fff]{2,}", re.sub(r"的|那|呢|的数", "", bare)):
            return None  # 部门比本级多出多少 after the two answers: the conversation's two figures
        if context is not None and context.doc_id and not named:
            rest = self.documents[context.doc_id][0] + rest  # the department the conversation is about
        asks = [f"{rest}（部门预算）", f"{rest}（本级）"]
        return self.difference_of(question, asks[::-1] if pair.group(1) is None else asks, context,
                                  "没能把部门预算和本级预算的数都答出来")

    def share_swapped(self, question: str, context: Context) -> tuple[str, str] | None:
        """那公用经费呢 after 人员经费占基本支出的比例: the same share asked of the new part (the whole kept), as a
        question of its own; None unless the last answer was a share and the reply names a thing (not a year)."""
        last = context.history[-1] if context.history else None
        m = SWAP_REPLY.match(normalise(question).strip())
        if m is None or last is None or last.status != "ok" or last.family != "ratio" or last.unit != "%":
            return None
        whole = SHARE_WHOLE.search(normalise(last.question))
        part = m.group(1)
        if whole is None or re.search(r"(?:19|20)?\d\d年|本级|部门|元$", part):
            return None
        doc = context.doc_id or self.default_doc
        u = self.linker_for(doc).understand(part)
        if not (u.measures or any(sp.kind in ("subject", "project", "person", "narrative_item", "proc_cat", "service_cat")
                                  for sp in u.spans)) or u.unknown:
            return None
        places = re.search(r"保留\S*?位小数|保留整数", normalise(last.question))
        return part, f"{part}占{whole.group(1)}的比例（比重）是多少" + (f"，{places.group(0)}" if places else "")

    def against_other(self, question: str, said: str, context: Context, other_first: bool = False) -> Answer | None:
        """比上海市财政局的三公多出多少 / 跟部门预算那本比差了多少 after an answer: the quantity named (else the last
        question's) of the conversation's budget, less the same of the other department's budget or of its twin
        (部门预算 / 本级). None when the words name no other budget."""
        doc = context.doc_id
        dept, year = self.documents[doc]
        own_kind = "（本级）" if self.kinds.get(doc) == "单位预算" and self.twins(doc) else "（部门预算）" if self.twins(doc) else ""
        twin = re.match(r"(部门预算|整个部门|部门|本级|单位预算|单位)(?:的)?", said)
        named = [] if twin else self.departments_named(said)
        if twin:
            if not self.twins(doc):
                return None
            other_kind = "（本级）" if twin.group(1) in ("本级", "单位预算", "单位") else "（部门预算）"
            if other_kind == own_kind:
                return None
            rest, other = said[twin.end():], f"{dept}{year}年{{}}{other_kind}"
        elif len(named) == 1 and self.documents[named[0][1]][0] != dept:
            rest, other = said.replace(named[0][0], ""), f"{self.documents[named[0][1]][0]}{{}}"
        else:
            return None
        rest = re.sub(r"^(?:的|那本|那个|那边)+|(?:的|那本|那个|那边)+$", "", rest)
        if not re.search(r"[\u4e00-\u9fff]{2,}", rest):  # 比上海市财政局的多多少: the last question's quantity
            rest = re.sub(r"本级|部门预算|单位预算", "", context.history[-1].question.rstrip("？?。"))
            for alias, _ in self.departments_named(rest):
                rest = rest.replace(alias, "")
        asks = [f"{dept}{year}年{rest}{own_kind}", other.format(rest)]
        return self.difference_of(question, asks[::-1] if other_first else asks, context, "没能把两本预算的数都答出来")

    def difference_of_choices(self, question: str, choices: Answer, context: Context, order=(0, 1)) -> Answer:
        """The two choices of a clarification, each answered, and the first less the second (相差: a magnitude)."""
        context.pending = None
        return self.difference_of(question, [question_for(choices, k) for k in order], context, "两个候选没能都答出同一单位的数")

    def difference_of(self, question: str, asks: list[str], context: Context | None, cannot: str) -> Answer:
        """Two questions asked on their own, and the first figure less the second (a magnitude), as one turn of the
        conversation; no difference when either is not a figure in the same unit."""
        a, b = (self._ask(x, None) for x in asks)
        if not all(x.status == "ok" and isinstance(x.value, Decimal) for x in (a, b)) or a.unit != b.unit:
            answer = Answer(question, "unsupported", f"{cannot}，不给出差额。可以分别问两个数。")
        else:
            answer = two_figures(question, a, b, "差")
        if context is not None:
            context.history.append(answer)
        return answer

    def year_against_last(self, question: str, m: re.Match, context: Context) -> Answer:
        """2023年 (answered) / 24年比它多了多少: the same question of the year named, then the change between the two
        years; never the new year's figure given as if it were the change."""
        t0 = time.perf_counter()
        other = self.ask(f"{m.group(1)}年呢", context)
        change = change_of_last_two(f"{m.group(2)}了多少", context.history) if other.status == "ok" else None
        if change is not None and isinstance(change.value, Decimal):
            asked, before = context.history[-1], context.history[-2]
            d = asked.value - before.value  # the year named less the one answered before, as it was asked
            more = m.group(2) in ("增加", "增长", "多", "高", "涨")
            said = "多" if d > 0 else "少"
            y_old = re.search(r"((?:19|20)\d\d)年", before.understood or before.answer)
            change.value = abs(d) if d and (d > 0) == more else d if more else -d
            change.answer = f"{what_it_was(asked)}：{m.group(1)}年{format_decimal(asked.value)}{asked.unit}，比" + \
                f"{y_old.group(1) + '年' if y_old else '上一问'}{format_decimal(before.value)}{asked.unit}" + \
                (f"{said}{format_decimal(abs(d))}{asked.unit}。" if d else "持平。")
        if change is None:
            change = Answer(question, "unsupported", f"没能把{m.group(1)}年的数和上一问的数对上，不给出差额。"
                            "可以分别问两年的数，再问“增加了多少”。") if other.status == "ok" else other
        change.question = question
        change.elapsed_ms = round((time.perf_counter() - t0) * 1000, 3)
        context.history[-1:] = [change]  # (the year asked on the way is part of this answer, not a turn of its own)
        return change

    def owner_described(self, pending: Answer, text: str, doc_id: str | None) -> int | None:
        """管危化品清运那个 after 刘子明 or 刘宁: the person among the choices whose projects the reply describes
        (the character pairs it shares with their project names), when exactly one is clearly meant."""
        vocab = self.linker_for(doc_id).vocab if doc_id else None
        choices = list(pending.candidates or [])
        if vocab is None or len(choices) < 2 or len(text) > 20:
            return None
        owners = [next((p for p in vocab.people if p and p in c), None) for c in choices]
        if None in owners:
            return None
        words = re.sub(r"管|负责|的|那个|那位|这个|那|呢|项目|是", "", normalise(text))
        pairs = {words[i:i + 2] for i in range(len(words) - 1)}
        if len(pairs) < 2:
            return None
        score = [max((len(pairs & {p.key[i:i + 2] for i in range(len(p.key) - 1)}) for p in vocab.projects
                      if p.owner == o), default=0) for o in owners]
        best = max(score)
        return score.index(best) if best >= 2 and score.count(best) == 1 else None

    def close(self) -> None:
        self.con.close()

    def ask(self, question: str, context: Context | None = None) -> Answer:
        t0 = time.perf_counter()
        question = question if isinstance(question, str) else str(question)
        choices = None
        if context is not None:  # the clarification being answered, or the one the last turn answered
            asked_back = [a for a in context.history[-2:-1] if a.status == "clarify"]
            choices = context.pending or (context.picked[0] if context.picked else None) or (asked_back or [None])[0]
        regions = REGION_REPLY.findall(question)
        if choices is not None and (BOTH_SAID.search(question) or len(regions) == 2) and DIFF_SAID.search(question) \
                and len(choices.candidates or []) == 2 and len(question) <= 14:
            order = (0, 1)
            if len(regions) == 2:  # 市局比区局多出多少: the choices in the order named
                first = pick(choices, regions[0])
                order = (first, 1 - first) if first is not None else order
            return self.difference_of_choices(question, choices, context, order)  # 委托业务费 → 30227 → 两个差多少
        picked = None
        if context is not None and context.pending is not None:  # a reply to the choices asks the question again
            k = pick(context.pending, question, loose=True)
            if k is None:
                k = self.owner_described(context.pending, question, context.doc_id or self.default_doc)  # 管危化品清运那个
            if k is not None:
                picked, question = (context.pending, k), question_for(context.pending, k)
            else:
                question = all_of(context.pending, question) or question
        elif context is not None and context.picked is not None:  # 另一位呢: the choice not taken last time
            k = the_other(*context.picked, question)
            if k is not None:
                picked, question = (context.picked[0], k), question_for(context.picked[0], k)
            elif len(question.strip()) <= 16 and (REGION_REPLY.search(question) or question.strip().rstrip("？?").endswith("呢")) and \
                    (k := pick(context.picked[0], question)) is not None and k != context.picked[1]:
                picked, question = (context.picked[0], k), question_for(context.picked[0], k)  # 区里那个 / 市局的呢
            elif BOTH_SAID.search(question) and context.picked[0].family != "clarify_reading":
                # 首款 / 两笔加一块呢: every choice of that clarification, together (two readings add up to nothing)
                question = all_of(context.picked[0], question) or question
        if context is not None:
            context.asking = None
        nq = normalise(question)  # (the question as the patterns below read it; again after a rewrite)
        pair = TWIN_PAIR.search(nq) if len(self.documents) > 1 and picked is None else None
        compared = self.twins_compared(question, pair, context) if pair is not None and DIFF_SAID.search(question) else None
        if compared is not None:
            return compared  # 部门和本级的公务接待费差多少
        twin = TWIN_REPLY.match(nq.strip()) if context is not None and picked is None else None
        if twin is not None and context.history and context.history[-1].status == "ok" and len(self.documents) > 1:
            asked = context.history[-1].question.rstrip("？?。")  # 部门的 / 那本级呢: the last question, of that budget
            unit = twin.group(1) in ("本级", "单位预算", "单位")
            question = re.sub(r"本级|部门预算|单位预算", "", asked) + ("（本级）" if unit else "（部门预算）")
            nq = normalise(question)
        other = AGAINST_OTHER.match(nq) if context is not None and picked is None else None
        first = OTHER_AGAINST.match(nq) if context is not None and picked is None and other is None else None
        if (other or first) is not None and context.history and context.history[-1].status == "ok" and context.doc_id:
            compared = self.against_other(question, (other or first).group(1), context, other_first=first is not None)
            if compared is not None:
                return compared
        swapped = self.share_swapped(question, context) if context is not None and picked is None else None
        if swapped is not None:  # 基本支出呢 after 项目支出占总支出百分之多少: its amount, or its share of that whole?
            part, share = swapped  # (blind sets written apart read it both ways: asked back, never guessed)
            a = Answer(question, "clarify", f"问的是{part}的金额，还是{part}占同一个数的比例？",
                       candidates=[f"{part}的金额是多少", share], family="clarify_reading")
            a.elapsed_ms = round((time.perf_counter() - t0) * 1000, 3)
            context.history.append(a)
            context.pending, context.picked = a, None
            return a
        against = (YEAR_AGAINST_LAST.search(nq) or YEAR_TO.match(nq.strip())) if context is not None and picked is None else None
        if against is not None and context.history and context.history[-1].status == "ok":
            return self.year_against_last(question, against, context)
        try:
            self.answered_in = None
            answer = self._ask(question, context)
            answer = self.with_twin(question, answer, context)
        except Exception as e:  # a bug must reach the user as a message, never as a traceback
            answer = Answer(str(question)[:200], "error", f"内部错误，问题未能回答：{type(e).__name__}: {e}")
        answer.elapsed_ms = round((time.perf_counter() - t0) * 1000, 3)
        if context is not None:
            asked = context.asking
            if answer.status == "ok":
                context.unanswered, context.unanswered_q = None, None
            elif answer.status != "error":  # a reply may fill what it lacked (负责人的电话 / 刘宁的)
                context.unanswered = asked if asked is not None and (asked.cues or asked.measures) else None
                context.unanswered_q = question
            context.history.append(answer)
            context.pending = answer if answer.status != "ok" and answer.candidates else None
            if picked is not None or context.pending is not None or asked is None or asked.previous is None:
                context.picked = picked  # (a follow-up of the chosen one keeps 另一个呢 pointing at the other choice)
        return answer

    def covered(self, a: Answer, own: Understanding, linker: Linker, used: set[str]) -> Answer:
        """An answer that left a content word of its question unused answered another question: no figure."""
        amounts = [x.value for x in own.amounts]
        unused = unused_spans([s for s in own.spans if s.kind not in used], a.sql or "", a.answer, linker.vocab.year, own.years, amounts,
                              single_unit=len(linker.vocab.units) <= 1, project_names=linker.vocab.project_names)
        if "unknown" not in used:  # words nothing explains (公司 of 哪家公司, 池 of 奖金池): the question asked for more
            unused += [w for w in own.unknown if len(w) >= 2 and w not in unused]
        said = own.qn or own.question or ""  # (as the lexicon read it: 除了街道本部，还含 is left out there)
        negated = NEGATION.search(said)
        if negated and "negation" not in used:  # 其中不是首款的部分: no family filters by what a thing is not
            unused.append(negated.group(0) + said[negated.end():negated.end() + 4].rstrip("的部分呢？?"))
        if not unused:
            return a
        words = "、".join(f"“{w}”" for w in unused)
        ours = suggestions(own)
        more = "可以这样问：" + "；".join(ours) + "。" if ours else ""
        return Answer(a.question, "unsupported", f"问题里的{words}没能用上：现有的答法会漏掉这个条件，答成另一个问题，"
                      f"所以不给出数字。可以换个说法，或把问题拆开来问。{more}", links=a.links, sql=a.sql, family=a.family,
                      candidates=ours)

    def _ask(self, question: str, context: Context | None) -> Answer:
        q = question.strip()
        if not q or not any(ch.isalnum() for ch in q):
            return Answer(question, "unsupported", "问题是空的。请输入一个关于预算的问题，例如：总支出多少？")
        if re.search(r"[A-Za-z]{2}", q) and not re.search(r"[\u4e00-\u9fff]", q):
            return Answer(question, "unsupported", "请用中文提问。例如：总支出多少？风险评估经费多少钱？姚遥负责哪些项目？",
                          candidates=["总支出多少", "风险评估经费多少钱", "姚遥负责哪些项目"])
        if len(q) > MAX_QUESTION:
            return Answer(question[:200] + "…", "unsupported",
                          f"问题太长（{len(q)}个字符，最多{MAX_QUESTION}个）。请把问题缩短后再问。")
        if context is not None and context.unanswered_q and len(self.documents) > 1:
            q = self.document_reply(q, context.unanswered_q) or q  # 行政运行预算多少 / 司法局本级的
        if context is not None and context.doc_id and len(self.documents) > 1:
            q = self.district_swap(q, context.doc_id)  # 普陀区的呢 after 上海市财政局: 普陀区财政局
        across = ACROSS.search(q) is not None
        named = self.departments_named(q) if len(self.documents) > 1 and not across else []
        if len(named) > 1:
            each = self.each_department(question, q, named)
            each.understood = "、".join(self.label(d) for _, d in named) + " · 各自的答案" + (
                "相比" if re.search(r"比|哪个|谁|哪家|哪边", q) else "相加")
            return each
        over_years = self.across_years(question, q, context)
        if over_years is not None:
            return over_years
        each_year = self.several_years(question, q, context)
        if each_year is not None:
            return each_year
        doc_id, departments = self.choose_document(q, context)
        if doc_id is None and not across:
            if departments and all(re.search(r"\d{4}年$", d) for d in departments):
                return Answer(question, "clarify", f"已加载{departments[0][:-5]}{'、'.join(d[-5:] for d in departments)}的预算，"
                              "您问的是哪一年？", candidates=departments)
            other = UNLOADED_DEPT.search(normalise(q))
            core = re.sub(r"^(?:(?:19|20)?\d\d年)?", "", other.group(1)) if other is not None else ""
            if other is not None and not re.search(r"比|和|与|跟|及|年", core) and \
                    not any(core in a or a in core for a in self.dept_index) and \
                    not any(core in n for n, _ in self.documents.values()):
                loaded = sorted({n for n, _ in self.documents.values()})
                return Answer(question, "not_found", f"没有加载“{core}”的预算：已加载的是" + "、".join(loaded) +
                              "。用 budgetqa load 加载它的预算后再问。", candidates=loaded,
                              understood=f"部门“{core}”（未加载）")
            return Answer(question, "clarify", f"已加载{len(self.documents)}份预算，涉及多个部门。您问的是哪个部门？",
                          candidates=departments)
        linker = self.linker_for(doc_id or self.default_doc)
        u = linker.understand(without_preamble(q, linker))
        u.question = question
        if context is not None and context.history and not any(s.kind.startswith("project") or s.kind == "person"
                                                               for s in u.spans) and not referent(context.history[-1], linker, q):
            choose = people_to_choose(context.history[-1], linker, q) or items_to_choose(context.history[-1], q)
            if choose is not None:  # 他电话多少 after 刘子明和刘宁各管哪些项目 (它占多少 after a split): which of them
                pronoun, choices = choose
                return Answer(question, "clarify", f"“{pronoun}”指哪{'一位' if pronoun != '它' else '一项'}？{'、'.join(choices)}",
                              candidates=[question.replace(pronoun, c, 1) for c in choices], links=u.links(),
                              understood=f"“{pronoun}”：上一问的{'、'.join(choices)}之一")
        if context is not None and (TOGETHER.search(q) and not u.has_entity or sums_last_two(u, context.last)):
            both = together(question, context.history)  # 取暖费多少 / 物业管理费呢 / 两项合计多少
            if both is not None:
                both.understood = "上两问的数字相加（承接上一问）"
                return both
        if context is not None and context.history and (SHARE_OF_LAST.search(normalise(q)) or IMPLICIT_SHARE.search(normalise(q))):
            share = self.share_of_last(question, q, context)  # 分科目看看 / 应急管理这项占这一类的比重
            if share is not None:
                return share
        if context is not None and context.history and context.history[-1].family == "breakdown":
            part = extreme_of_last(question, context.history)  # 分科目看看 / 里面最大的是哪个
            if part is not None:
                return part
        if context is not None and BARE_WHICH.search(q):
            larger = which_of_last_two(question, context.history)  # 司法局… / 政府办呢 / 哪个多
            if larger is not None:
                return larger
        if context is not None and BARE_CHANGE.search(q):
            change = change_of_last_two(question, context.history)  # 2023年的 / 2024年呢 / 增加了多少
            if change is not None:
                return change
        if context is not None and not u.has_entity and PAIR_DIFF.search(q):
            compared = named_difference(question, context.history)  # 司法局… / 司法局本级呢 / 部门比本级多出多少
            if compared is not None:
                return compared
        if context is not None and FORMER_LATTER.search(q):
            compared = compare_last_two(question, context.history)  # 风险评估经费多少 / 隐患排查治理工作多少 / 前者比后者多多少
            if compared is not None:
                compared.understood = "上两问的数字相比（承接上一问）"
                return compared
        if context is not None and not u.has_entity and not u.cues and u.unit and not u.unknown and not u.payments and not u.years:
            converted = in_unit(question, u.unit, context.history)  # 换算成元 after any figure, a sum of two included
            if converted is not None:
                converted.understood = f"上一个答案换算成{u.unit}（承接上一问）"
                return converted
        if context is not None and context.history and not any(s.kind.startswith("project") or s.kind == "person"
                                                               for s in u.spans):
            pointed = referent(context.history[-1], linker, q)  # 它的负责人是谁 / 这个人负责的项目一共多少钱
            if not pointed and THING_PRONOUN.search(q) and context.last is not None:  # (the last answer a phone: the
                named = [sp for sp in context.last.spans if sp.kind == "project"]  # conversation's project still)
                pointed = named[:1] if len({t.name for sp in named for t in sp.targets}) == 1 else []
            u.spans += pointed
            # (政府购买服务表里这个项目列了多少: a measure named beside the pronoun, the project still the one answered)
        own = u
        env = Env(linker.vocab, self.con, linker=linker, documents=self.documents)
        prev = context.last if context is not None else None
        if context is not None and context.unanswered is not None and slot_reply(u):
            prev, u.follow_up = context.unanswered, True  # 负责人的电话是多少 / 刘宁的: the gap of the question asked
        if prev is not None and not u.follow_up:
            scoped = self.whose(u, prev, question)
            if scoped is not None:
                return scoped
        splits = prev is not None and prev.has_entity and splits_previous(u)  # 按功能分类拆开 after an answer: its rows
        # 尾款多少 after a project's 首款: the same project's other line, not every 尾款 of the budget
        splits = splits or prev is not None and bool(u.payments) and not u.has_entity and not u.cues & SET_CUES and \
            any(s.kind.startswith("project") for s in prev.spans)
        # 是哪几个项目 / 有几个项目 after 行政运行的项目支出: that answer's projects, not the whole budget's
        splits = splits or prev is not None and prev.has_entity and not u.has_entity and "project" in u.cues and \
            bool(u.cues & {"list", "count"}) and not u.cues & {"max", "min", "rank"} and not u.payments and not u.amounts
        # (超过50万的项目有几个 after 三公经费多少: a set of its own, with its own condition, not that answer's projects)
        # 其中会议费是多少 / 会议费是多少 after a project split by 经济分类: that part of the split, not the budget's 会议费
        # 绩效目标里运维几块屏 after 显示大屏运维服务项目（80%首款）: a piece of that name (运维) asks of that project
        before = [sp for sp in prev.spans if sp.kind == "project"] if prev is not None else []
        splits = splits or prev is not None and part_of_own_name(prev, u) and \
            all(sp.kind not in ENTITY_KINDS or sp.kind == "project_part" for sp in u.spans)  # (and nothing else named)
        if not splits and len({t.name for p in before for t in p.targets}) == 1 and u.cues & {"indicators", "goal"} and \
                u.of("project_part") and not any(sp.kind in ("project", "project_fuzzy", "person") for sp in u.spans) and \
                names_indicator_of_project(env, before[0].targets[0], q):
            splits = u.keeps_project = True  # 绩效里更新企业数量的目标值 after 风险评估经费: its indicator (企业 names no project)
        if prev is not None and INSIDE_SAID.match(u.qn) and "services" in prev.measures and not u.measures and \
                any(sp.kind.startswith("project") for sp in u.spans):
            splits = u.narrowing = True  # 里面办公场所运行保障经费是多少 after 政府购买服务: its line of that table
        if prev is not None and prev.has_entity and bool(u.of("subject")) and not u.measures and \
                not any(s.kind.startswith("project") or s.kind == "person" for s in u.spans) and \
                (INSIDE_SAID.match(u.qn) is not None or part_of_last_split(u, context)):
            splits = u.narrowing = True
        if prev is not None and (u.follow_up or not u.has_entity or splits):
            alone = None if u.follow_up or splits else self.answer(u, u, env, linker)
            if alone is not None and alone.status == "ok":  # 谁负责的项目最多 after 三公经费: complete on its own
                return self.settled(alone, u, context, doc_id)
            own = swap_in(linker, prev, u) or u
            u = merge(prev, own, linker)
            if context is not None and self.switched_department(context.doc_id, doc_id) and not own.years:
                u.years = []  # 政府办呢 after 司法局2026年…: the other department's own budget year, not 2026
        a = self.answer(u, own, env, linker)
        if a is None and not own.has_entity and own.cues & set(WHOSE_ATTRIBUTE):  # 负责人的电话是多少: whose?
            a = self.whose_attribute(question, u, linker)
        if a is None:
            from budgetqa.families.registry import examples

            a = Answer(question, "unsupported", "没能理解这个问题。可以这样问：" + "；".join(examples(linker.vocab)) + "。",
                       links=u.links(), candidates=examples(linker.vocab))
        return self.settled(a, u, context, doc_id)

    def whose_attribute(self, question: str, u: Understanding, linker: Linker) -> Answer:
        """负责人的电话是多少 / 满意度指标是多少, naming no one: asked back; the reply (刘宁的 / 档案数字化服务的) is
        then read as the missing part of this question."""
        vocab = linker.vocab
        if "phone" in u.cues:
            whose, what, example = "哪个项目或哪位负责人", "联系电话", (vocab.people and next(iter(vocab.people)))
        elif u.cues & {"owner", "who"}:
            whose, what, example = "哪个项目", "负责人", next((p.name for p in vocab.projects if p.owner), None)
        else:
            whose, what, example = "哪个项目", "绩效目标" if u.cues == {"goal"} else "绩效指标", vocab.projects and vocab.projects[-1].name
        hint = f"，例如：{example}的" if example else ""
        return Answer(question, "clarify", f"您问的是{whose}的{what}？请说出名称{hint}。", links=u.links())

    def whose(self, u: Understanding, last: Understanding, question: str) -> Answer | None:
        """基本支出里的人员经费是多少 right after questions about 行政运行: the whole budget's, or 行政运行's? A question
        made only of measures that narrow (基本/项目支出, 人员/公用经费) is asked back when the conversation is about
        one subject, project or person; never answered for one of them silently."""
        if any(s.kind in ENTITY_KINDS for s in u.spans) or not u.measures or not all(m in SCOPE_MEASURES for m in u.measures):
            return None
        topic = [s for s in last.spans if s.kind in ("subject", "project", "person", "org_unit")]
        if not topic or re.search(r"全部|整个|全局|整体", question):  # 全部的基本支出: the whole budget, said so
            return None
        name = topic[-1].targets[0].name if hasattr(topic[-1].targets[0], "name") else str(topic[-1].targets[0])
        cands = [f"整个预算的{question}", f"{name}的{question}"]
        return Answer(question, "clarify", f"问的是整个预算的，还是“{name}”的？", candidates=cands, links=u.links(),
                      understood=restate(u, self.vocab.year) + f"（上一问说的是{name}：整个预算还是{name}？）")

    def answer(self, u: Understanding, own: Understanding, env: Env, linker: Linker) -> Answer | None:
        """The first template (highest weight first) that answers, checked for coverage of `own`'s words."""
        for t in self.templates:
            env.statements.clear()
            env.queries.clear()
            env.ran.clear()
            env.used.clear()
            a = t.match(u, env)
            if a is not None:
                a.family = t.family
                a = self.covered(a, own, linker, env.used) if a.status == "ok" else a
                if a.status == "ok" and a.find_sources is None:
                    a.find_sources = env.sources_of(list(env.queries))
                return a
        return None

    def lacking(self, a: Answer, u: Understanding, doc_id: str) -> Answer:
        """A question about what the document does not have (its owner table, its 绩效 tables) is told so,
        not answered "没有找到"."""
        from budgetqa.store.connection import Error
        from budgetqa.store.coverage import lacking

        if re.search(r"FROM projects\b", a.sql or "") and a.status != "ok" or a.family in ("project_set", "project") and not a.rows:
            listed = self.stated_projects(doc_id)
            if listed is not None:  # a budget without a project table (Shanghai's): what its text says instead
                return Answer(a.question, "not_found", "这份预算没有列出项目表。" + (
                    "预算说明里写明的项目有：" + "；".join(listed) + "。" if listed else ""), sql=a.sql, links=a.links, family=a.family)
        needs = [t for t in ("project_owners", "perf_indicators", "perf_blocks") if t in (a.sql or "")]
        if u.cues & {"owner", "who", "phone", "owner_of"} or u.people or "person" in (a.family or ""):
            needs += ["project_owners", "projects.owner", "projects.phone"]
        if u.cues & {"indicators", "goal"} or a.family == "indicator":
            needs += ["perf_indicators", "perf_blocks"]
        if not needs:
            return a
        try:
            lacks = lacking(self.con, doc_id, needs)
            kept = {t: self.con.execute(f"SELECT COUNT(*) FROM {t} WHERE doc_id = ?", [doc_id]).fetchone()[0]
                    for t in ("project_owners", "perf_indicators") if t in needs}  # names from the catalogue, no user text
        except Error:  # a database built before the table of missing sections
            return a
        if not lacks and not any(n == 0 for n in kept.values()):
            return a
        if not lacks:  # a template without these tables (a Shanghai budget lists no owners or indicators)
            what = "项目负责人和联系电话" if kept.get("project_owners") == 0 else "项目的绩效目标和绩效指标"
            return Answer(a.question, "not_found", f"这份预算没有列出{what}。", sql=a.sql, links=a.links, family=a.family)
        dept = self.documents[doc_id][0] if len(self.documents) > 1 else None
        return Answer(a.question, "not_found", "".join(m.sentence(dept) for m in lacks), sql=a.sql, links=a.links,
                      family=a.family)

    def stated_projects(self, doc_id: str) -> list[str] | None:
        """None when the document has a project table; else the projects its 项目经费情况说明 names, with amounts."""
        from budgetqa.store.connection import Error

        try:
            if self.con.execute("SELECT COUNT(*) FROM projects WHERE doc_id = ?", [doc_id]).fetchone()[0]:
                return None
            rows = self.con.execute("SELECT item, value FROM narrative WHERE doc_id = ? AND section = '项目经费情况说明' "
                                    "AND value IS NOT NULL ORDER BY rowid", [doc_id]).fetchall()
        except Error:
            return None
        return [f"{item}（{format_decimal(v)}万元）" for item, v in rows]

    def settled(self, a: Answer, u: Understanding, context: Context | None, doc_id: str | None) -> Answer:
        """Say what was understood and, when several budgets are loaded, whose figure it is; remember what an
        answered turn understood (the earlier turns stay as they were)."""
        year = self.documents[doc_id][1] if doc_id in self.documents else self.vocab.year
        a = unsure_name(a, u)
        if a.status != "ok" or not a.rows:
            a = self.lacking(a, u, doc_id or self.default_doc)
        if a.status in ("unsupported", "not_found") and "可以这样问：" in a.answer:
            ours = suggestions(u)  # questions about what was just named, rather than the same examples every time
            if ours:
                a.answer = a.answer.split("可以这样问：")[0] + "可以这样问：" + "；".join(ours) + "。"
                a.candidates = ours
        self.answered_in = doc_id  # (read by ask: a 部门 budget whose 本级 is loaded too)
        a.understood = restate(u, year, a.sql or "")
        if len(self.documents) > 1 and doc_id is not None:
            a.understood = f"{self.label(doc_id)} · {a.understood}"
        printed_in_yuan = re.search(r"FROM (?:expenditure|basic_expenditure|fiscal_expenditure|income)\b", a.sql or "") and \
            not re.search(r"FROM (?:narrative|sangong|summary_items)\b", a.sql or "")  # (the text and 三公 table say 万元)
        if self.source_units.get(doc_id) == "元" and printed_in_yuan and a.status == "ok" and a.unit == "万元" \
                and isinstance(a.value, Decimal):
            yuan = (a.value * 10000).quantize(Decimal("0.01"))  # the document's own unit as well: 27.75万元 (277,500.00元)
            a.answer = a.answer.rstrip("。") + f"（原表以元为单位：{yuan:,.2f}元）。"
        if len(self.documents) > 1 and doc_id is not None and a.status == "ok":
            a.answer = f"{self.label(doc_id)}：{a.answer}"
        if context is not None:
            context.asking = u
        if context is not None and a.status == "ok":
            context.last = u
            context.doc_id = doc_id
        return a

    def document_reply(self, reply: str, question: str) -> str | None:
        """司法局本级的 / 2023年的 after 行政运行预算是多少 was asked back (which department, which year): the
        question asked, of the document the reply names. None when the reply says more than that."""
        from budgetqa.nlu.amounts import find_years

        core = REPLY_FILLER.sub("", normalise(reply))
        rest = core
        named = self.departments_named(core)
        for alias, _ in named:
            rest = rest.replace(alias, "")
        years = find_years(rest, self.documents[self.default_doc][1])
        rest = re.sub(r"(?:19|20)\d\d年?|本级|部门预算|单位预算|部门|单位|预算|的|和|与", "", rest)
        if rest or not (named or years):
            return None
        return core + "的" + question
