"""`Engine.ask(question) -> Answer`: the one entry point every face uses.

Stages: normalise and guard -> link (nlu) -> merge with the conversation's previous question when
this one is a follow-up -> templates (highest weight first) -> Answer. Nothing here prints.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from budgetqa.answer import Answer
from budgetqa.nlu.lexicon import load_lexicon
from budgetqa.nlu.linker import ENTITY_KINDS, Linker, Span, Understanding
from budgetqa.templates.base import AGG_CUES, Env

MAX_QUESTION = 300  # characters; longer input is refused at once, not processed
ACROSS = re.compile(r"各部门|各单位|哪个部门|哪些部门|哪个单位|所有部门|全部部门|部门排名|部门之间|各局")


def cached_linker(db_path: Path, con, doc_id: str) -> Linker:
    """A document's linker, from a pickle in the cache directory when the database and lexicon are
    unchanged since it was made (saves reading the vocabulary at every start of `budgetqa ask`)."""
    import hashlib
    import os
    import pickle

    from budgetqa.lexicon_files import lexicon_dir
    from budgetqa.nlu.vocab import load_vocab
    from budgetqa.store.default import cache_dir
    from budgetqa.store.schema import SCHEMA_VERSION

    try:
        st = db_path.stat()
        lex = sorted((f.name, f.stat().st_mtime_ns) for f in lexicon_dir().iterdir() if f.is_file())
        code = sorted((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in (Path(__file__).parent / "nlu").glob("*.py"))
        key = hashlib.sha1(repr((str(db_path.resolve()), st.st_mtime_ns, st.st_size, doc_id, SCHEMA_VERSION, lex,
                                 code)).encode())  # a changed linker or vocabulary class never reads old pickles
        path = cache_dir() / "linkers" / f"{key.hexdigest()}.pkl"
        if path.exists():
            with path.open("rb") as f:
                linker = pickle.load(f)
            if isinstance(linker, Linker) and linker.vocab.doc_id == doc_id:
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

    def reset(self) -> None:
        self.last = None
        self.doc_id = None
        self.history.clear()


class Engine:
    def __init__(self, db_path: str | Path, doc_id: str | None = None):
        from budgetqa.store.connection import DatabaseError, Error, connect_read_only, first_line

        self.db_path = Path(db_path)
        self.con = connect_read_only(self.db_path)
        try:
            rows = self.con.execute("SELECT doc_id, dept_name, year FROM documents ORDER BY year DESC, doc_id").fetchall()
            if not rows:
                raise LookupError("数据库里没有已加载的预算文件")
            self.documents = {r[0]: (r[1], r[2]) for r in rows}
            self.dept_index = department_index(self.documents)
            self._linkers: dict[str, Linker] = {}
            self.default_doc = doc_id if doc_id in self.documents else rows[0][0]
            self.linker = self.linker_for(self.default_doc)
        except Error as e:  # a file damaged past its header: opened, but unreadable
            self.con.close()
            raise DatabaseError(f"无法读取数据库 {self.db_path}：{first_line(e)}") from None
        self.vocab = self.linker.vocab
        from budgetqa.templates.families import TEMPLATES

        self.templates = TEMPLATES

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
        from budgetqa.nlu.linker import normalise

        if len(self.documents) == 1:
            return self.default_doc, []
        qn = normalise(q)
        named: set[str] | None = None
        for alias in sorted(self.dept_index, key=len, reverse=True):
            if alias in qn:
                named = set(self.dept_index[alias])
                qn = qn.replace(alias, "")
                break
        if named is None and context is not None and context.doc_id:
            named = {d for d in self.documents if self.documents[d][0] == self.documents[context.doc_id][0]}
        years = find_years(qn, self.documents[self.default_doc][1])
        pool = named if named is not None else set(self.documents)
        if years:
            dated = {d for d in pool if self.documents[d][1] in years}
            if dated:
                pool = dated
        depts = {self.documents[d][0] for d in pool}
        if len(depts) > 1:
            return None, sorted(depts)[:20]
        return max(pool, key=lambda d: self.documents[d][1]), []

    def close(self) -> None:
        self.con.close()

    def ask(self, question: str, context: Context | None = None) -> Answer:
        t0 = time.perf_counter()
        try:
            answer = self._ask(question if isinstance(question, str) else str(question), context)
        except Exception as e:  # a bug must reach the user as a message, never as a traceback
            answer = Answer(str(question)[:200], "error", f"内部错误，问题未能回答：{type(e).__name__}: {e}")
        answer.elapsed_ms = round((time.perf_counter() - t0) * 1000, 3)
        if context is not None:
            context.history.append(answer)
        return answer

    def _ask(self, question: str, context: Context | None) -> Answer:
        q = question.strip()
        if not q or not any(ch.isalnum() for ch in q):
            return Answer(question, "unsupported", "问题是空的。请输入一个关于预算的问题，例如：总支出多少？")
        if len(q) > MAX_QUESTION:
            return Answer(question[:200] + "…", "unsupported",
                          f"问题太长（{len(q)}个字符，最多{MAX_QUESTION}个）。请把问题缩短后再问。")
        doc_id, departments = self.choose_document(q, context)
        across = ACROSS.search(q) is not None
        if doc_id is None and not across:
            return Answer(question, "clarify", f"已加载{len(self.documents)}份预算，涉及多个部门。您问的是哪个部门？",
                          candidates=departments)
        linker = self.linker_for(doc_id or self.default_doc)
        u = linker.understand(without_preamble(q, linker))
        u.question = question
        if context is not None and TOGETHER.search(q) and not u.has_entity:
            both = together(question, context.history)  # 取暖费多少 / 物业管理费呢 / 两项合计多少
            if both is not None:
                return both
        if context is not None and context.history and not u.has_entity:
            ref = referent(context.history[-1], linker, q)  # 它的负责人是谁 / 这个人负责的项目一共多少钱
            if ref is not None:
                u.spans.append(ref)
        if context is not None and context.last is not None and (u.follow_up or not u.has_entity):
            u = swap_in(linker, context.last, u) or u
            u = merge(context.last, u)
        env = Env(linker.vocab, self.con, linker=linker, documents=self.documents)
        for t in self.templates:
            env.statements.clear()
            a = t.match(u, env)
            if a is not None:
                a.family = t.family
                if len(self.documents) > 1 and doc_id is not None and a.status == "ok":
                    dept, year = self.documents[doc_id]  # several budgets loaded: say whose figure it is
                    a.answer = f"{dept}（{year}年）：{a.answer}"
                if context is not None and a.status == "ok":
                    context.last = u
                    context.doc_id = doc_id
                return a
        from budgetqa.templates.families import examples

        return Answer(question, "unsupported", "没能理解这个问题。可以这样问：" + "；".join(examples(linker.vocab)) + "。",
                      links=u.links(), candidates=examples(linker.vocab))


TOGETHER = re.compile(r"(?:两项|两个|二者|两者|这两|它俩|它们|上面|以上|前面|刚才)[^，。,]*?"
                      r"(?:合计|一共|加起来|总共|之和|共计|合起来|加一块|相加)")


def together(question: str, history: list[Answer]) -> Answer | None:
    """The sum of the last two figures the conversation answered, when both are money in one unit."""
    from decimal import Decimal

    answered = [a for a in history if a.status == "ok" and isinstance(a.value, Decimal) and a.unit in ("万元", "元")]
    if len(answered) < 2 or answered[-1].unit != answered[-2].unit:
        return None
    first, second = answered[-2], answered[-1]
    label = [(a.links[0].term if a.links else a.question) for a in (first, second)]
    total = first.value + second.value
    from budgetqa.answer import format_decimal

    def said(v: Decimal) -> str:  # the values are already in the unit they were answered in
        return f"{format_decimal(v)}{first.unit}"

    text = f"{label[0]}与{label[1]}合计{said(total)}：{label[0]} {said(first.value)}；{label[1]} {said(second.value)}。"
    sql = ";\n".join(a.sql for a in (first, second) if a.sql) or None
    return Answer(question, "ok", text, total, first.unit, ["项目", f"金额（{first.unit}）"],
                  [[label[0], first.value], [label[1], second.value]], sql, first.links + second.links)


PERSON_PRONOUN = re.compile(r"这个人|此人|这位|该负责人|这名负责人|他|她")
THING_PRONOUN = re.compile(r"它|该项目|这个项目|此项目|这一项目|这项")


def referent(previous: Answer, linker: Linker, q: str) -> Span | None:
    """The one project or person the previous answer named, when the question points back at it with a pronoun."""
    if previous.status != "ok" or not previous.rows:
        return None
    column, kind = ("负责人", "person") if PERSON_PRONOUN.search(q) else ("项目名称", "project")
    if kind == "project" and not THING_PRONOUN.search(q) or column not in previous.columns:
        return None
    i = previous.columns.index(column)
    values = {str(r[i]) for r in previous.rows if i < len(r) and r[i]}
    if len(values) != 1:
        return None
    name = values.pop()
    if kind == "person":
        return Span(0, 0, name, "person", [name]) if name in linker.vocab.people else None
    project = next((p for p in linker.vocab.projects if p.name == name), None)
    return Span(0, 0, name, "project", [project]) if project else None


PREAMBLE = re.compile(r"^(?:你好|您好|大家好|老师好|我是|我在|我正在|我们是|我们在|本人是|打扰|麻烦您?|谢谢)")


def without_preamble(q: str, linker: Linker | None = None) -> str:
    """我是区人大代表，……，X多少: clauses that only say who asks or why are left out (the question follows).
    A clause that names a person, project or subject of the budget stays (我是丛林，我负责哪些项目).

    >>> without_preamble("你好，我在写一份调研报告，想问一下培训费多少")
    '想问一下培训费多少'
    >>> without_preamble("我是谁")
    '我是谁'
    """
    clauses = re.split(r"(?<=[，,。；;！!])", q)
    while len(clauses) > 1 and PREAMBLE.match(clauses[0].strip()) and not names_something(clauses[0], linker):
        clauses = clauses[1:]
    return "".join(clauses)


def names_something(clause: str, linker: Linker | None) -> bool:
    if linker is None:
        return False
    return any(s.kind in ("person", "project", "subject") and s.score >= 100 for s in linker.understand(clause).spans)


def swap_in(linker: Linker, prev: Understanding, new: Understanding) -> Understanding | None:
    """行政单位医疗多少 → 事业单位的呢: a word the follow-up leaves unexplained, put in place of a piece of the
    previous question's name, gives another name of the same kind (事业单位医疗). Only a single such name counts."""
    if not new.unknown:
        return None
    hits: set[str] = set()
    for w in (w for w in new.unknown if len(w) >= 2):
        for s in prev.spans:
            if s.kind not in ("subject", "project"):
                continue
            t = s.text
            for i in range(len(t) - len(w) + 1):
                cand = t[:i] + w + t[i + len(w):]
                if cand != t and any(kind == s.kind for kind, _ in linker.entries.get(cand, [])):
                    hits.add(cand)
    if len(hits) != 1:
        return None
    swapped = linker.understand(hits.pop() + "呢")
    swapped.question = new.question
    return swapped


def merge(prev: Understanding, new: Understanding) -> Understanding:
    """A follow-up keeps the previous question's frame and changes what the new words change."""
    new_kinds = {s.kind for s in new.spans}
    entity_new = bool(new_kinds & set(ENTITY_KINDS)) or bool(new.measures)
    keep: list[Span] = []
    for s in prev.spans:
        if s.kind in ENTITY_KINDS and entity_new:
            # a new entity replaces the old one of its family (水费呢 after 电费多少)
            if s.kind.startswith("project") and new_kinds & {"project", "project_part", "project_fuzzy", "person"}:
                continue
            if s.kind == "person" and new_kinds & {"project", "project_part", "project_fuzzy"}:
                continue
            if not s.kind.startswith("project") and s.kind in new_kinds:
                continue
            if s.kind == "subject" and new_kinds & {"project", "project_part", "project_fuzzy", "person"}:
                continue
        if s.kind == "measure" and new.measures:
            continue
        if s.kind == "cue":
            agg_new = any(t in AGG_CUES for c in new.of("cue") for t in c.targets)
            if agg_new and any(t in AGG_CUES for t in s.targets):
                continue
            attribute_new = bool(new.cues & {"owner", "phone", "who", "code", "indicators", "goal"})
            if attribute_new and any(t in (*AGG_CUES, "owner_of", "project") for t in s.targets):
                continue  # 他的电话是多少 after 冯春鹏负责哪些项目: an attribute now, not the list
            if any(t in ("owner", "phone", "who", "code", "indicators", "howmany", "share", "diff") for t in s.targets):
                continue
        if s.kind == "unit" and new.unit:
            continue
        keep.append(s)
    merged = Understanding(new.question, prev.qn + "；" + new.qn, prev.qk, keep + new.spans)
    merged.amounts = new.amounts or prev.amounts
    merged.years = new.years or prev.years
    merged.top_n = new.top_n or prev.top_n
    merged.percent = new.percent
    merged.unknown = new.unknown
    merged.other_dept = new.other_dept
    merged.previous = prev
    return merged


def split_question(u: Understanding, env: Env, share: bool) -> tuple[Understanding | None, Understanding | None]:
    """'A占B的比重' / 'A比B多多少' -> the understandings of A and of B (B may be None)."""
    from budgetqa.nlu.linker import normalise

    qn = normalise(u.question)
    if u.previous is not None and re.match(r"^(?:那|那么)?(?:它|这|这个|其)?(?:占|比)", qn):
        # 占总支出的比例呢 / 比项目支出多多少 after a question: the previous one is the first quantity
        rest = re.sub(r"^(?:那|那么)?(?:它|这|这个|其)?(?:占|比)", "", qn)
        rest = re.sub(r"的?(?:比重|比例|百分之几|百分比|多少比例|占比|几成|%).*$|(?:多|少|相差|差).*$", "", rest)
        return u.previous, (env.linker.understand(rest) if rest else None)
    m = re.match(r"^(?:那|那么)?其中(.+?)(?:所)?占", qn) if share and u.previous is not None else None
    if m:  # 其中货物类占多少比例 after 政府采购预算合计: a part of the previous whole
        return env.linker.understand(m.group(1)), u.previous
    pattern = r"(.+?)(?:占|是)(.+?)的?(?:比重|比例|百分之几|百分比|多少比例|占比|几成|%|几倍|多少倍|倍数)" if share else \
        r"(.+?)(?:比|和|与|跟)(.+?)(?:多|少|相差|差|的差额|差额)"
    linker = env.linker
    m = re.search(r"(.+?)在(.+?)(?:里面|里|中|当中)(?:所)?占", qn) if share else None
    if m:  # 公用经费在基本支出里占百分之几
        return linker.understand(m.group(1)), linker.understand(m.group(2))
    m = re.search(r"(.+?)(?:里面|里|中|当中)(.+?)(?:占|所占)", qn) if share else None
    if m:  # 三公经费里公务接待费占多少: the part over the whole it is named in
        return linker.understand(m.group(2)), linker.understand(m.group(1))
    m = re.search(pattern, qn)
    if m:
        return linker.understand(m.group(1)), linker.understand(m.group(2))
    m = re.search(r"(.+?)(?:占比|的占比|所占比重|比重|比例|占多少)", qn) if share else None
    if m:
        return linker.understand(m.group(1)), None
    return None, None



def template_examples() -> list[str]:
    """The example questions every template lists in its docstring (one line, joined by ' · ')."""
    from budgetqa.templates.families import TEMPLATES

    out = []
    for t in TEMPLATES:
        for line in (type(t).__doc__ or "").splitlines():
            if " · " in line:
                out += [q.strip() for q in line.split(" · ") if q.strip()]
    return out


def shape_questions(vocab) -> list[str]:
    """One question of each common shape, named with this budget's own subjects, projects and people: asked
    when a budget is loaded so that their statements are built then (values are parameters, so any other
    name of the same kind reuses them)."""
    items = [s.name for s in vocab.subjects if s.scheme == "功能分类" and s.level == "项"][:1]
    econ = [s.name for s in vocab.subjects if s.scheme == "部门经济分类" and s.level == "款"][:1]
    projects = [p.name for p in vocab.projects][:1]
    people = sorted(vocab.people)[:1]
    out = ["收入总计多少", "基本支出多少", "人员经费多少", "公用经费多少", "一般公共预算拨款收入多少", "政府采购预算多少",
           "政府采购中服务类多少", "政府购买服务多少", "一般公共预算财政拨款基本支出多少", "一般公共预算财政拨款项目支出多少",
           "项目支出占总支出的比例", "基本支出比项目支出多多少", "人员经费加公用经费多少", "超过100万元的项目有哪些",
           "预算在10万到100万元之间的项目", "预算最少的项目", "预算最多的3个项目", "首款项目有几个", "尾款项目里哪个金额最大",
           "按功能分类看支出", "哪个项级功能科目的预算最少", "超过1000万元的项级功能科目有哪些", "政府采购按类别分别多少",
           "政府购买服务按二级目录分别多少", "公用经费按部门经济分类最大的3项", "三公经费多少", "三公经费比上年增减多少",
           "三公经费比上年下降了百分之几", "事业收入多少"]
    for name in items:
        out += [f"{name}多少", f"{name}的项目支出", f"{name}的基本支出", f"{name}的人员经费", f"{name}科目下有哪些项目",
                f"{name}科目里超过10万元的项目", f"{name}科目下金额最大的项目"]
    for name in econ:
        out += [f"{name}多少", f"{name}的基本支出多少", f"{name}的项目支出多少", f"部门经济分类{name}多少"]
    for name in projects:
        out += [f"{name}多少钱", f"{name}的负责人", f"{name}属于哪个功能分类", f"{name}的绩效指标", f"{name}的绩效目标"]
    for name in people:
        out += [f"{name}负责哪些项目", f"{name}负责的项目一共多少钱", f"{name}的电话", f"{name}负责的项目里金额最大的2个"]
    return out


def warm(db_path: str | Path) -> int:
    """Ask the templates' example questions once on a freshly built database, so that the statements
    of the common question shapes are built, checked and cached while the user waits for the load
    anyway, not at a first question. Returns how many were asked; never fails a load."""
    from budgetqa.sqlbuild import save_statements
    from budgetqa.templates.families import examples

    try:
        engine = Engine(db_path)
        questions = template_examples() + examples(engine.vocab) + shape_questions(engine.vocab)
        for q in questions:
            engine.ask(q, Context())
        engine.close()
        save_statements()
        return len(questions)
    except Exception:  # noqa: BLE001 - warming is an optimisation: a load never fails because of it
        return 0
