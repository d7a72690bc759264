"""Finding the tables of a published budget in its extracted text, whatever the page breaks.

A section is a run of rows that belong to one table. Tables are found by their titles
(预算01表 … 预算12表, 项目支出绩效表) and, for the two the publisher prints untitled, by their
headers or row shapes: the left half of the 项目支出表 (项目单位 / 项目名称 header) and the project
table with 负责人 and phones (rows of a project code, a 项目类别, a person and a phone).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from budgetqa.ingest.text import clean_cell

TITLE = re.compile(r"预算\s*(\d{1,2})\s*表\s*(.*)")
PERF_TITLE = re.compile(r"项目支出绩效(?:目标)?表")
PROJECT_CODE = re.compile(r"^\d{6,8}[A-Z]\d{3,}")
PHONE = re.compile(r"^[\d\-—]{7,14}$")
PROJECT_KIND = re.compile(r"^\d{1,2}-\S*项目$")


@dataclass
class Row:
    line: int  # 1-based line number in the source file
    cells: list[str]
    after_break: bool = False  # a blank line (page break) came before it

    @property
    def text(self) -> str:
        return "".join(self.cells)

    def cell(self, i: int) -> str:
        return self.cells[i] if i < len(self.cells) else ""


@dataclass
class Section:
    kind: str  # '01'..'12', 'project_list', 'owners', 'perf'
    title: str
    line: int
    rows: list[Row] = field(default_factory=list)


def split_rows(text: str) -> list[Row]:
    rows: list[Row] = []
    blank = False
    for i, raw in enumerate(text.splitlines(), start=1):
        cells = [clean_cell(c) for c in raw.split("\t")]
        while cells and cells[-1] == "":
            cells.pop()
        if not cells or all(c == "" for c in cells):
            blank = True
            continue
        if all(set(c) <= set("-—| ") for c in cells):  # markdown table rulers left by the extraction
            continue
        rows.append(Row(i, cells, blank))
        blank = False
    return rows


def is_owner_row(row: Row) -> bool:
    """A row of the untitled project table: project code, 项目类别, 负责人, phone."""
    cells = [c for c in row.cells if c]
    if len(cells) < 4:
        return False
    has_code = any(PROJECT_CODE.match(c.replace(" ", "")) for c in cells[:2])
    has_kind = any(PROJECT_KIND.match(c.replace(" ", "")) for c in cells)
    has_phone = any(PHONE.match(c) for c in cells)
    return has_code and has_kind and has_phone


def find_sections(text: str) -> list[Section]:
    sections: list[Section] = []
    current: Section | None = None
    for row in split_rows(text):
        first = row.cells[0] if row.cells else ""
        joined = " ".join(c for c in row.cells if c)
        m = TITLE.match(first) if len(row.cells) <= 2 else None
        if m:
            current = Section(f"{int(m.group(1)):02d}", clean_cell(joined), row.line)
            sections.append(current)
            continue
        if PERF_TITLE.search(joined) and len(row.cells) <= 2:
            current = Section("perf", joined, row.line)
            sections.append(current)
            continue
        if "项目单位" in row.cells and "项目名称" in row.cells:
            current = Section("project_list", "项目支出表（项目）", row.line)
            sections.append(current)
            continue
        if current is not None and current.kind not in ("owners", "perf") and is_owner_row(row):
            current = Section("owners", "项目表（负责人）", row.line)
            sections.append(current)
        if current is not None:
            current.rows.append(row)
    return sections
