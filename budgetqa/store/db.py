"""The DuckDB database: atomic loads (built aside, swapped in) and read-only connections for questions."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from budgetqa.store.schema import CATALOGUE, SCHEMA_VERSION, ddl

BATCH = 400


class DatabaseError(RuntimeError):
    """A database that cannot be opened or is not a budgetqa database."""


READ_ONLY_CONFIG = {
    "enable_external_access": "false",  # no read_csv('/etc/passwd'), no COPY TO, no ATTACH of files
    "autoinstall_known_extensions": "false",
    "autoload_known_extensions": "false",
    "lock_configuration": "true",
}


def connect_read_only(path: str | Path) -> duckdb.DuckDBPyConnection:
    path = Path(path)
    if not path.exists():
        raise DatabaseError(f"数据库不存在：{path}（先用 budgetqa load 加载预算文件）")
    try:
        con = duckdb.connect(str(path), read_only=True, config=READ_ONLY_CONFIG)
    except duckdb.Error as e:
        raise DatabaseError(f"无法打开数据库 {path}：{first_line(e)}") from None
    try:
        version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except duckdb.Error:
        con.close()
        raise DatabaseError(f"{path} 不是 budgetqa 数据库") from None
    if not version or int(version[0]) != SCHEMA_VERSION:
        con.close()
        raise DatabaseError(f"{path} 的模式版本为 {version[0] if version else '?'}，需要 {SCHEMA_VERSION}：请重新加载")
    return con


def first_line(e: BaseException) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Iterable[dict[str, Any]], doc_id: str) -> int:
    cols = list(CATALOGUE[table].columns)
    data = [[doc_id if c == "doc_id" else r.get(c) for c in cols] for r in rows]
    ph = "(" + ",".join("?" * len(cols)) + ")"
    for i in range(0, len(data), BATCH):
        chunk = data[i:i + BATCH]
        con.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES " + ",".join([ph] * len(chunk)),
                    [v for row in chunk for v in row])
    return len(data)


def write_document(con: duckdb.DuckDBPyConnection, doc) -> None:
    """Replace one document's rows (never duplicate them) inside the caller's transaction."""
    for t in CATALOGUE:
        con.execute(f"DELETE FROM {t} WHERE doc_id = ?", [doc.doc_id])
    p = doc.parsed
    insert_rows(con, "documents", [{"dept_code": doc.dept_code, "dept_name": doc.dept_name, "year": doc.year,
                                    "source_file": doc.source_file, "checksum": doc.checksum,
                                    "loaded_at": datetime.now(), "schema_version": SCHEMA_VERSION}], doc.doc_id)
    insert_rows(con, "source_tables", p.found, doc.doc_id)
    insert_rows(con, "published_totals", p.totals, doc.doc_id)
    insert_rows(con, "load_issues", [{"severity": i.severity, "table_no": i.table, "line": i.line,
                                      "message": i.message} for i in p.issues], doc.doc_id)
    for table, rows in p.tables.items():
        if table in CATALOGUE:
            insert_rows(con, table, rows, doc.doc_id)


def build(db_path: str | Path, docs: Iterable, fresh: bool = False,
          progress: Callable[[Any], None] | None = None) -> list:
    """Load documents into db_path atomically: copy it aside, write, swap in. A failure anywhere leaves
    the previous database as it was. `docs` may be a generator of documents (read lazily)."""
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=db_path.name + ".", suffix=".loading", dir=db_path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    written = []
    try:
        if db_path.exists() and not fresh:
            check_existing(db_path)
            shutil.copyfile(db_path, tmp)
            con = duckdb.connect(str(tmp))
        else:
            con = duckdb.connect(str(tmp))
            for stmt in ddl():
                con.execute(stmt)
            con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
        try:
            con.execute("BEGIN")
            for doc in docs:
                write_document(con, doc)
                written.append(doc)
                if progress:
                    progress(doc)
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
