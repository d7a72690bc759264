"""The DuckDB database: atomic loads (built aside, swapped in) and read-only connections for questions."""

from __future__ import annotations

import contextlib
import csv
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from budgetqa.store.connection import READ_ONLY_CONFIG, DatabaseError, connect_read_only, first_line
from budgetqa.store.schema import CATALOGUE, SCHEMA_VERSION, ddl

__all__ = ["DatabaseError", "READ_ONLY_CONFIG", "build", "connect_read_only", "first_line"]

FLUSH_EVERY = 200  # documents held in memory before their rows are written



class Batch:
    """Rows of many documents, per table, written with one COPY per table (CSV through a temp file):
    an order of magnitude faster than INSERTs with parameters. Values stay exact: decimals go as text."""

    NULL = "\\N"

    def __init__(self, directory: Path):
        self.directory = directory
        self.rows: dict[str, list[list[Any]]] = {t: [] for t in CATALOGUE}
        self.doc_ids: list[str] = []

    def add(self, doc) -> None:
        if doc.doc_id in self.doc_ids:  # the same document twice in one load: the later one wins
            self.drop(doc.doc_id)
        self.doc_ids.append(doc.doc_id)
        p = doc.parsed
        self.put("documents", [{"dept_code": doc.dept_code, "dept_name": doc.dept_name, "year": doc.year,
                                "source_file": doc.source_file, "checksum": doc.checksum,
                                "loaded_at": datetime.now().isoformat(sep=" "), "schema_version": SCHEMA_VERSION,
                                "template": doc.template, "doc_kind": doc.doc_kind, "source_unit": doc.source_unit,
                                "pages": doc.pages}],
                 doc.doc_id)
        self.put("source_tables", p.found, doc.doc_id)
        self.put("published_totals", p.totals, doc.doc_id)
        self.put("load_issues", [{"severity": i.severity, "table_no": i.table, "line": i.line, "message": i.message,
                                  "page": i.page} for i in p.issues], doc.doc_id)
        for table, rows in p.tables.items():
            if table in CATALOGUE:
                self.put(table, rows, doc.doc_id)

    def put(self, table: str, rows: Iterable[dict[str, Any]], doc_id: str) -> None:
        cols = list(CATALOGUE[table].columns)
        self.rows[table].extend([doc_id if c == "doc_id" else r.get(c) for c in cols] for r in rows)

    def drop(self, doc_id: str) -> None:
        self.doc_ids.remove(doc_id)
        for table, rows in self.rows.items():
            self.rows[table] = [r for r in rows if r[0] != doc_id]

    def write(self, con: duckdb.DuckDBPyConnection) -> None:
        existing = {r[0] for r in con.execute("SELECT doc_id FROM documents").fetchall()} & set(self.doc_ids)
        for doc_id in existing:  # loading a document again replaces it
            for t in CATALOGUE:
                con.execute(f"DELETE FROM {t} WHERE doc_id = ?", [doc_id])
        for table, rows in self.rows.items():
            if not rows:
                continue
            path = self.directory / f"{table}.csv"
            with path.open("w", encoding="utf-8", newline="") as f:
                w = csv.writer(f)
                for row in rows:
                    w.writerow([self.NULL if v is None else v for v in row])
            cols = ", ".join(CATALOGUE[table].columns)
            con.execute(f"COPY {table} ({cols}) FROM '{path.as_posix()}' (FORMAT csv, HEADER false, NULLSTR '{self.NULL}', "
                        "QUOTE '\"', ESCAPE '\"')")
            path.unlink()
        for t in self.rows:
            self.rows[t] = []
        self.doc_ids = []


def build(db_path: str | Path, docs: Iterable, fresh: bool = False,
          progress: Callable[[Any], None] | None = None, base: str | Path | None = None,
          drop: Iterable[str] = ()) -> list:
    """Load documents into db_path atomically: copy it aside, write, swap in. A failure anywhere leaves
    the previous database as it was. `docs` may be a generator of documents (read lazily).

    `base` starts from another database instead of db_path's own (the default database of the library
    before a load); `drop` takes these documents out first."""
    db_path = Path(db_path)
    source = Path(base) if base is not None else db_path
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=db_path.name + ".", suffix=".loading", dir=db_path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    written = []
    try:
        if source.exists() and not fresh:
            check_existing(source)
            shutil.copyfile(source, tmp)
            con = duckdb.connect(str(tmp))
        else:
            con = duckdb.connect(str(tmp))
            for stmt in ddl():
                con.execute(stmt)
            con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
        try:
            with tempfile.TemporaryDirectory(prefix="budgetqa-load-") as scratch:
                batch = Batch(Path(scratch))
                con.execute("BEGIN")
                for doc_id in drop:
                    for t in CATALOGUE:
                        con.execute(f"DELETE FROM {t} WHERE doc_id = ?", [doc_id])
                for doc in docs:
                    batch.add(doc)
                    written.append(doc)
                    if len(batch.doc_ids) >= FLUSH_EVERY:
                        batch.write(con)
                    if progress:
                        progress(doc)
                batch.write(con)
                con.execute("COMMIT")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, db_path)
    finally:
        for leftover in (tmp, Path(str(tmp) + ".wal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    return written


def check_existing(db_path: Path) -> None:
    con = connect_read_only(db_path)
    con.close()
