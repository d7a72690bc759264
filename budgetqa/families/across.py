"""Questions across several loaded documents (各部门三公经费排名)."""

from __future__ import annotations

import re

from budgetqa.families.base import (
    Template,
)
from budgetqa.families.common import (
    money_unit,
    ok,
    quantity,
    shown,
)
from budgetqa.nlu.linker import ACROSS
from budgetqa.render import money


class AcrossDocuments(Template):
    """One figure compared across every loaded department (each in its own budget year).

    各部门三公经费排名 · 哪个部门的项目支出最多 · 各部门总支出分别是多少
    """

    weight = 89
    family = "across_documents"

    def match(self, u, env):

        if not ACROSS.search(u.qn):
            return None
        q, clar = quantity(u, env)
        if clar:
            return clar
        if q is None or q.query is None:
            return None
        query = q.query
        query.all_docs = True
        year_col = query.table == "sangong"
        if year_col:  # each department's own budget year
            query.where = [c for c in query.where if c.column != "year"]
        query.group = ["doc_id", "year"] if year_col else ["doc_id"]
        query.order = [("value", "min" not in u.cues)]
        rows = env.run(query)
        if year_col:
            rows = [(r[0], r[2]) for r in rows if env.documents.get(r[0], ("", None))[1] == r[1]]
        rows = [(r[0], r[1]) for r in rows if r[0] in env.documents]
        unit = money_unit(u)
        label = re.sub(r"^\d{4}年", "", q.label)
        table = [[env.documents[d][0], env.documents[d][1], v] for d, v in rows]
        if u.top_n:
            table = table[:u.top_n]
        text = f"各部门{label}（{len(table)}个部门，由多到少）：" + "；".join(
            f"{r[0]}（{r[1]}年）{money(r[2], unit)}" for r in table[:10]) + ("……" if len(table) > 10 else "") + "。"
        top = table[0][2] if table else None
        return ok(u, env, text, shown(top, unit) if ("max" in u.cues or "min" in u.cues) else None, unit,
                  ["部门", "年度", "金额（万元）"], table)
