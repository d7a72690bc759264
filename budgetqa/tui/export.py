"""Export of an answer's result table to CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the
Chinese correctly). Amounts are written exactly as stored, without separators."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from budgetqa.answer import Answer
from budgetqa.tui.formatting import column_names, plain_cell


class NothingToExport(ValueError):
    pass


def export_path(directory: Path, now: datetime) -> Path:
    """budgetqa-result-<timestamp>.csv in directory, never overwriting an earlier export."""
    stem = f"budgetqa-result-{now:%Y%m%d-%H%M%S}"
    path = directory / f"{stem}.csv"
    n = 1
    while path.exists():
        path = directory / f"{stem}-{n}.csv"
        n += 1
    return path


def export_csv(answer: Answer, directory: Path | None = None, now: datetime | None = None) -> Path:
    if not answer.rows:
        raise NothingToExport("这个回答没有结果表可以导出")
    path = export_path(Path.cwd() if directory is None else Path(directory), now or datetime.now())
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(column_names(answer))
        for row in answer.rows:
            w.writerow([plain_cell(c) for c in row])
    return path
