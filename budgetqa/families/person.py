"""People: a person's projects and phone, how many owners, who owns the most."""

from __future__ import annotations

import re
from decimal import Decimal

from budgetqa.core.patterns import lazy
from budgetqa.families.base import (
    SCHEME_COLUMN,
    Template,
    unique,
)
from budgetqa.families.common import (
    money_unit,
    ok,
    projects_named,
    shown,
)
from budgetqa.families.project_set import ProjectSet
from budgetqa.render import money
from budgetqa.sqlbuild import Cond, Query


class Person(Template):
    """A person: phone, projects, their total, how many.

    张根的联系电话 · 姚遥负责哪些项目 · 姚遥负责的项目一共多少钱 · 冯春鹏负责几个项目
    """

    weight = 84
    family = "person"

    def match(self, u, env):
        people = u.people
        if not people or u.of("project"):
            return None
        named = unique(people)
        if len(named) > 1:
            return self.each(u, env, named)
        return self.one(u, env, people[-1])

    def each(self, u, env, named: list[str]):
        """Several people: each one's phone (刘子明和刘宁的电话), projects (各管哪些项目), count or money side by side
        (姚遥和陈辽谁负责的项目金额多); anything else of several people is not answered as their money."""
        counted = "count" in u.cues or "howmany" in u.cues
        money_asked = bool(u.cues & {"sum", "max", "min", "rank"}) or MONEY_ASKED.search(u.qn) is not None
        if "phone" in u.cues and not counted and not money_asked and "list" not in u.cues:
            rows = env.run(Query("project_owners", agg="rows", where=[Cond("owner", "in", named)], select=["owner", "phone"]))
            phones = {owner: phone for owner, phone in rows if phone}
            if set(phones) != set(named):
                return None
            return ok(u, env, "；".join(f"{p}的联系电话是{phones[p]}" for p in named) + "。", None, None, ["负责人", "联系电话"],
                      [[p, phones[p]] for p in named])
        if u.cues & {"phone", "who"} or u.of("subject") or u.of("project_part") or u.of("exclude"):
            return None  # (each one's 行政运行 projects, or a phone beside a sum: not answered as their totals)
        if not counted and not money_asked and ("list" in u.cues or "project" in u.cues):
            parts = [ProjectSet().answer(u, env, [Cond("owner", "eq", p)], f"{p}负责的项目") for p in named]
            if any(a is None or a.status != "ok" for a in parts):
                return None
            rows = [[p, *r] for p, a in zip(named, parts, strict=True) for r in a.rows]
            return ok(u, env, "".join(a.answer for a in parts), None, money_unit(u), ["负责人", "项目名称", "金额（万元）"], rows)
        if not counted and not money_asked:
            return None
        # 姚遥和陈辽谁负责的项目金额多: each one's projects, side by side
        unit = money_unit(u)
        rows = env.run(Query("projects", "amount", "count" if counted else "sum", [Cond("owner", "in", named)],
                             group=["owner"], order=[("value", True)]))
        said = "；".join(f"{r[0]} {r[1]}个项目" if counted else f"{r[0]} {money(r[1], unit)}" for r in rows)
        lead = f"，{rows[0][0]}最多" if len(rows) > 1 and rows[0][1] != rows[1][1] else ""
        if "sum" in u.cues and "breakdown" not in u.cues and not u.cues & {"max", "min", "rank"} and len(rows) == len(named):
            total = sum((r[1] for r in rows), Decimal(0))  # 刘子明和刘宁负责的项目一共多少钱: the two together
            text = f"{'、'.join(named)}负责的项目合计{f'{total}个' if counted else money(total, unit)}：{said}。"
            return ok(u, env, text, total if counted else shown(total, unit), "个" if counted else unit,
                      ["负责人", "项目数" if counted else "金额（万元）"], [list(r) for r in rows])
        return ok(u, env, f"负责的项目{'数' if counted else '金额'}：{said}{lead}。", None, None if counted else unit,
                  ["负责人", "项目数" if counted else "金额（万元）"], [list(r) for r in rows])

    def one(self, u, env, person: str):
        if "who" in u.cues and any(sp.text.isdigit() for sp in u.of("person")):
            return ok(u, env, f"电话{u.of('person')[0].text}是{person}的。", None, None, ["负责人", "联系电话"],
                      [[person, env.vocab.people.get(person)]])
        if u.cues & {"phone"} and not u.cues & {"list", "sum", "count"}:
            phone = env.vocab.people.get(person)
            env.run(Query("project_owners", agg="rows", where=[Cond("owner", "eq", person)],
                          select=["owner", "phone"], limit=1))
            return ok(u, env, f"{person}的联系电话是{phone}。", None, None, ["负责人", "联系电话"], [[person, phone]])
        conds, label = [Cond("owner", "eq", person)], f"{person}负责的项目"
        others = [Cond("name", "ne", t) for sp in u.of("exclude") for t in sp.targets]
        if others:  # 他负责的其他项目: the one asked about before left out
            conds += others
            label = f"{person}负责的其他项目"
        projects, words, _ = projects_named(u, env.vocab)
        if projects:  # 冯春鹏负责的培训类项目: those of the person's projects the words name
            conds.append(Cond("name", "in", unique([p.name for p in projects])))
            label = f"{person}负责的“{words}”相关项目"
        for s in unique([t for sp in u.of("subject") for t in sp.targets[:1]]):  # 张斌负责的行政运行项目
            conds.append(Cond(SCHEME_COLUMN[s.scheme], "prefix", s.code))
            label = f"{person}负责的{s.name}项目"
        a = ProjectSet().answer(u, env, conds, label)
        phone = env.vocab.people.get(person)
        if "phone" in u.cues and phone and a is not None and a.status == "ok" and phone not in a.answer:
            a.answer = a.answer.rstrip("。") + f"。{person}的联系电话是{phone}。"  # 平康悦负责几个项目，电话多少: both asked
        return a



MONEY_ASKED = lazy(r"金额|钱|预算|经费|资金|万元|元|合计|总共|一共|共计|加起来|谁.{0,8}(?:多|少|大|小)")


class People(Template):
    """How many people the project table names as owners (负责人), and who they are.

    项目负责人一共有几位 · 一共有几个项目负责人 · 有哪些人
    """

    weight = 83
    family = "person"

    def match(self, u, env):
        listed = "list" in u.cues or re.search(r"哪些人|都有谁|有谁", u.qn) is not None  # 有哪些人
        if not u.cues & {"owner", "who"} or not (u.cues & {"count", "howmany"} or listed) or u.people or u.cues & {"max", "min", "rank"}:
            return None
        if any(u.of(k) for k in ("project", "project_part", "project_fuzzy", "subject", "service_cat", "proc_cat")):
            return None
        rows = env.run(Query("project_owners", "project_name", "count", [Cond("owner", "notnull")], group=["owner"],
                             order=[("value", True)]))
        text = f"项目表列出的负责人共{len(rows)}位：" + "、".join(f"{r[0]}（{r[1]}个项目）" for r in rows) + "。"
        return ok(u, env, text, len(rows), "人", ["负责人", "项目数"], [list(r) for r in rows])



class MostOwner(Template):
    """Who is responsible for the most projects (or the most money).

    谁负责的项目最多 · 哪位负责人管的项目金额最大
    """

    weight = 83
    family = "person"

    def match(self, u, env):
        if not (u.cues & {"who", "owner", "owner_of"}) or not (u.cues & {"max", "min", "rank"}) or u.people:
            return None
        by_money = bool(re.search(r"金额|钱|预算|经费|资金", u.qn))
        if not by_money:
            rows = env.run(Query("project_owners", agg="rows", select=["owner", "project_name"],
                                 where=[Cond("project_name", "notnull")]))
            counts: dict[str, int] = {}
            for owner, _ in unique([tuple(r) for r in rows]):
                counts[owner] = counts.get(owner, 0) + 1
            ranked = sorted(counts.items(), key=lambda kv: -kv[1] if "min" not in u.cues else kv[1])
            top = [o for o, c in ranked if c == ranked[0][1]]
            text = f"负责项目最{'少' if 'min' in u.cues else '多'}的是{'、'.join(top)}，共{ranked[0][1]}个项目。"
            return ok(u, env, text, ranked[0][1], "个", ["负责人", "项目数"], [list(r) for r in ranked])
        rows = env.run(Query("projects", "amount", "sum", [Cond("owner", "notnull")], group=["owner"],
                             order=[("value", "min" not in u.cues)]))
        text = f"负责项目金额最{'少' if 'min' in u.cues else '多'}的是{rows[0][0]}，合计{money(rows[0][1])}。"
        return ok(u, env, text, rows[0][1], "万元", ["负责人", "金额（万元）"], [list(r) for r in rows])
