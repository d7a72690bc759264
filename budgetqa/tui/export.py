"""Export of an answer: the whole of it as Markdown (sentence, what was understood, rows, sources, SQL), or its
result table as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese correctly). Amounts are
written exactly as stored, without separators."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from budgetqa.answer import Answer
from budgetqa.tui.formatting import column_names, plain_cell


class NothingToExport(ValueError):
    pass


def export_path(directory: Path, now: datetime, suffix: str = ".md") -> Path:
    """budgetqa-result-<timestamp>.md in directory, never overwriting an earlier export."""
    stem = f"budgetqa-result-{now:%Y%m%d-%H%M%S}"
    path = directory / f"{stem}{suffix}"
    n = 1
    while path.exists():
        path = directory / f"{stem}-{n}{suffix}"
        n += 1
    return path


def export_answer(answer: Answer, path: Path) -> Path:
    """The answer to `path`: the whole of it as Markdown (.md, or any other suffix), or its table as CSV (.csv)."""
    if path.suffix.lower() == ".csv":
        return export_csv(answer, path=path)
    from budgetqa.formats import markdown_table

    out = [f"# {answer.question}", "", answer.answer]
    if answer.understood:
        out += ["", f"理解为：{answer.understood}"]
    if answer.columns and answer.rows:
        out += ["", markdown_table(answer.columns, answer.rows)]
    if answer.sources:
        out += ["", "来源：" + "；".join(answer.sources)]
    if answer.sql:
        out += ["", "```sql", answer.sql, "```"]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def export_csv(answer: Answer, directory: Path | None = None, now: datetime | None = None, path: Path | None = None) -> Path:
    if not answer.rows:
        raise NothingToExport("这个回答没有结果表可以导出")
    if path is None:
        path = export_path(Path.cwd() if directory is None else Path(directory), now or datetime.now(), ".csv")
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(column_names(answer))
        for row in answer.rows:
            w.writerow([plain_cell(c) for c in row])
    return path
