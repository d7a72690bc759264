"""Building the statements of common question shapes while a budget loads, so first questions are quick."""

from __future__ import annotations

from pathlib import Path

from budgetqa.engine import Context, Engine


def template_examples() -> list[str]:
    """The example questions every template lists in its docstring (one line, joined by ' · ')."""
    from budgetqa.families.registry import TEMPLATES

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


def warm(db_path: str | Path, engine: Engine | None = None) -> int:
    """Ask the templates' example questions once on a freshly built database (or on the open `engine`, which is
    kept open), so that the statements of the common question shapes are built, checked and cached while the
    user waits for the load anyway, not at a first question. Returns how many were asked; never fails a load."""
    from budgetqa.families.registry import examples
    from budgetqa.sqlbuild import save_statements

    try:
        own = engine is None
        engine = Engine(db_path) if own else engine
        questions = template_examples() + examples(engine.vocab) + shape_questions(engine.vocab)
        for q in questions:
            engine.ask(q, Context())
        if own:
            engine.close()
        save_statements()
        return len(questions)
    except Exception:  # noqa: BLE001 - warming is an optimisation: a load never fails because of it
        return 0
