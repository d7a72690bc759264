"""What a loaded document lacks: the expected tables and sections that were missing, empty or cut short
when it was read (table `missing_sections`), so an answer can say "这份预算没有列出…" instead of "没有找到".

Only `execute(...).fetchall()` is used: works on the read-only connection questions use.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class MissingSection:
    section: str  # '01'..'12', 'project_list', 'owners', 'perf'
    title: str  # 项目表（负责人）
    state: str  # 缺失 / 为空 / 不完整
    detail: str
    tables: tuple[str, ...]  # what it would have filled: 'project_owners', 'projects.owner', ...
    about: str  # 项目负责人和联系电话

    def sentence(self, dept: str | None = None) -> str:
        """这份预算没有列出项目负责人和联系电话（文件里没有项目表（负责人））。"""
        who = f"{dept}的预算" if dept else "这份预算"
        if self.state == "缺失":
            return f"{who}没有列出{self.about}（文件里没有{self.title}）。"
        if self.state == "为空":
            return f"{who}没有列出{self.about}（{self.title}是空的）。"
        return f"{who}的{self.title}不完整：{self.detail}。"

    def affects(self, table: str, column: str | None = None) -> bool:
        return table in self.tables or (column is not None and f"{table}.{column}" in self.tables)


def missing_sections(con, doc_id: str) -> list[MissingSection]:
    """The expected sections one document lacks, in the order of the document ([] when it is whole)."""
    rows = con.execute("SELECT section, title, state, detail, tables, about FROM missing_sections WHERE doc_id = ? "
                       "ORDER BY rowid", [doc_id]).fetchall()
    return [MissingSection(r[0], r[1], r[2], r[3], tuple((r[4] or "").split(",")), r[5] or r[1]) for r in rows]


def lacking(con, doc_id: str, needs: Iterable[str]) -> list[MissingSection]:
    """Of what a question needs ('project_owners', 'projects.owner', 'perf_indicators', ...), the sections
    this document lacks. A question about owners on a truncated document:

        for m in lacking(con, doc_id, ["projects.owner"]): say m.sentence()
    """
    needs = list(needs)
    out = []
    for m in missing_sections(con, doc_id):
        for n in needs:
            table, _, column = n.partition(".")
            if m.affects(table, column or None):
                out.append(m)
                break
    return out
