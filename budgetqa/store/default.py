"""The embedded default database: built from the bundled document on first use, in the user's cache
directory, and rebuilt when the bundled document, the schema version, the subject catalogue or the reader's
code changes (all are in its name: an upgraded reader never answers from a database an older one built)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from budgetqa.lexicon_files import bundled_document, lexicon_path
from budgetqa.store.schema import SCHEMA_VERSION


def cache_dir() -> Path:
    override = os.environ.get("BUDGETQA_CACHE")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("budgetqa", appauthor=False))


def default_db_path() -> Path:
    h = hashlib.sha256(bundled_document().read_bytes())
    for name in ("subjects_function.tsv", "subjects_economic.tsv"):  # the loader names subjects from these
        p = lexicon_path(name)
        h.update(p.read_bytes() if p.exists() else b"")
    code = Path(__file__).resolve().parent.parent
    for p in sorted((code / "ingest").glob("*.py")) + [code / "store" / "db.py", code / "store" / "connection.py"]:
        h.update(p.read_bytes())
    digest = h.hexdigest()[:12]
    return cache_dir() / f"bundled-s{SCHEMA_VERSION}-{digest}.duckdb"


def ensure_default_db(verify: bool = True, rebuild: bool = False) -> Path:
    """The default database, built now if it is missing (or was left unreadable). `verify=False` skips
    opening it here (the caller opens it anyway and asks again with `rebuild=True` if that fails)."""
    path = default_db_path()
    if rebuild:
        path.unlink(missing_ok=True)
    if path.exists() and not verify:
        return path
    if path.exists():
        try:
            from budgetqa.store.connection import connect_read_only

            connect_read_only(path).close()
            return path
        except Exception:  # a damaged cache file is rebuilt from the bundled document
            path.unlink(missing_ok=True)
    from budgetqa.ingest.document import read_document
    from budgetqa.store.db import build

    build(path, [read_document(bundled_document())], fresh=True)
    for old in path.parent.glob("bundled-*.duckdb"):
        if old != path:
            old.unlink(missing_ok=True)
    from budgetqa.warmup import warm

    warm(path)
    return path
