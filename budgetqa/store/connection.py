"""Read-only connections for questions: the one part of the store `budgetqa ask` needs.

Questions only run `execute(sql, params).fetchall()`, which DuckDB's compiled core (`_duckdb`) provides.
`import duckdb` wraps that core in a Python layer (relational API, version lookup through
importlib.metadata) that costs 0.1-0.2 s at every start and that questions never use, so the core is
imported directly; where a DuckDB build has no such module, the package is imported instead. The
connection and error classes are the same objects either way (`duckdb.Error is _duckdb.Error`).
"""

from __future__ import annotations

from pathlib import Path

try:
    import _duckdb as duckdb_core
except ImportError:  # pragma: no cover - DuckDB builds without a top-level core module
    import duckdb as duckdb_core

from budgetqa.store.schema import SCHEMA_VERSION

Error = duckdb_core.Error


class DatabaseError(RuntimeError):
    """A database that cannot be opened or is not a budgetqa database."""


READ_ONLY_CONFIG = {
    "enable_external_access": "false",  # no read_csv('/etc/passwd'), no COPY TO, no ATTACH of files
    "autoinstall_known_extensions": "false",
    "autoload_known_extensions": "false",
    "lock_configuration": "true",
    "threads": "1",  # questions run tiny queries: one thread answers them fastest
}


def connect_read_only(path: str | Path):
    path = Path(path)
    if not path.exists():
        raise DatabaseError(f"数据库不存在：{path}（先用 budgetqa load 加载预算文件）")
    try:
        con = duckdb_core.connect(str(path), read_only=True, config=READ_ONLY_CONFIG)
    except Error as e:
        raise DatabaseError(f"无法打开数据库 {path}：{first_line(e)}") from None
    try:
        version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except Error:
        con.close()
        raise DatabaseError(f"{path} 不是 budgetqa 数据库") from None
    if not version or int(version[0]) != SCHEMA_VERSION:
        con.close()
        raise DatabaseError(f"{path} 的模式版本为 {version[0] if version else '?'}，需要 {SCHEMA_VERSION}：请重新加载")
    return con


def first_line(e: BaseException) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]
