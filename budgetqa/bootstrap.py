"""The default database: derived from the bundled budget plus the user's library of loaded documents
(`budgetqa.store.library`, in the data directory), built in the user's cache directory.

Its name carries the schema version, a fingerprint of the reader (the bundled document, the subject
catalogue and the reader's code) and the library's manifest: an upgraded reader, a changed library or a
cleared cache directory all lead to a database rebuilt from the bundled document and the library's own
copies of the loaded files. Nothing in the cache is ever the only copy of anything. When the cache
directory cannot be written, the database is built in a temporary directory for this process only.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from budgetqa.core.paths import cache_dir
from budgetqa.lexicon_files import bundled_document, lexicon_path
from budgetqa.store.library import Manifest, read_manifest, sha256_file
from budgetqa.store.schema import SCHEMA_VERSION

PREFIX = "default-"
Warn = Callable[[str], None]


def reader_fingerprint() -> str:
    """Everything that decides what a document becomes in the database, other than the document."""
    h = hashlib.sha256(bundled_document().read_bytes())
    for name in ("subjects_function.tsv", "subjects_economic.tsv"):  # the loader names subjects from these
        p = lexicon_path(name)
        h.update(p.read_bytes() if p.exists() else b"")
    code = Path(__file__).resolve().parent
    for p in sorted((code / "ingest").glob("*.py")) + [code / "store" / "db.py", code / "store" / "connection.py"]:
        h.update(p.read_bytes())
    return h.hexdigest()


def default_db_name(manifest: Manifest | None = None) -> str:
    manifest = manifest if manifest is not None else read_manifest()
    digest = hashlib.sha256((reader_fingerprint() + manifest.fingerprint()).encode()).hexdigest()[:12]
    return f"{PREFIX}s{SCHEMA_VERSION}-{digest}.duckdb"


def default_db_path(manifest: Manifest | None = None) -> Path:
    return cache_dir() / default_db_name(manifest)


_TEMP: Path | None = None


def temp_dir() -> Path:
    """A directory for this process only, removed when it ends (the cache directory cannot be written)."""
    global _TEMP
    if _TEMP is None:
        _TEMP = Path(tempfile.mkdtemp(prefix="budgetqa-"))
        atexit.register(shutil.rmtree, _TEMP, True)
    return _TEMP


def readable(path: Path) -> bool:
    from budgetqa.store.connection import connect_read_only

    try:
        connect_read_only(path).close()
        return True
    except Exception:  # noqa: BLE001 - any failure means: build it again
        return False


def bundled_doc_id() -> str:
    from budgetqa.ingest.document import read_document

    return read_document(bundled_document()).doc_id


def library_documents(manifest: Manifest, skip: Iterable[str] = (), warn: Warn | None = None) -> Iterator:
    """The library's documents read from its own copies, in manifest order. A copy that is missing,
    changed or no longer readable is left out with a warning (and stays in the library)."""
    from budgetqa.ingest.document import DocumentError, read_document
    from budgetqa.store.library import data_dir

    root = data_dir()
    skip = set(skip)
    for e in manifest.documents:
        if e.doc_id in skip:
            continue
        path = e.path(root)
        try:
            if sha256_file(path) != e.sha256:
                raise DocumentError(f"{path}: 校验和不符（文件被改动过）")
            yield read_document(path, year=e.year_option)
        except (DocumentError, OSError) as err:
            if warn:
                warn(f"注意：资料库中的 {e.dept_name} {e.year}（{e.doc_id}）未能载入：{err}")


def all_documents(manifest: Manifest, new: Iterable = (), replaced: Callable[[], set[str]] | None = None,
                  warn: Warn | None = None) -> Iterator:
    """The bundled document, then `new` documents (being loaded now), then the library's documents that
    none of the new ones replaced. Later ones win, so a loaded document replaces the bundled one of the
    same department and year."""
    if manifest.bundled:
        from budgetqa.ingest.document import read_document

        yield read_document(bundled_document())
    yield from new
    yield from library_documents(manifest, skip=replaced() if replaced else (), warn=warn)


def place(name: str) -> Path:
    """Where a database of this name is built: the cache directory, or this process's temporary one."""
    try:
        d = cache_dir()
        d.mkdir(parents=True, exist_ok=True)
        probe = d / f".probe-{os.getpid()}"
        probe.touch()
        probe.unlink()
        return d / name
    except OSError:
        return temp_dir() / name


def settle(path: Path, warm_up: bool = True) -> None:
    """A new default database is in place: older ones (other libraries, older readers) go; the common
    question shapes are built now (only in the real cache: a temporary database is asked once)."""
    if path.parent != cache_dir():
        return
    for old in path.parent.glob(f"{PREFIX}s*.duckdb"):
        if old != path:
            with contextlib.suppress(OSError):
                old.unlink()
    if warm_up:
        from budgetqa.warmup import warm

        warm(path)


LEGACY = "bundled-*.duckdb"  # before the library: loads went into this cache file, lost at the next upgrade


def adopt_legacy(warn: Warn | None = None) -> None:
    """Budgets loaded by a version before the library lived only in the cache's `bundled-*.duckdb`. Once,
    before the library has a manifest: each such document whose source file is still where it was loaded
    from (with the same checksum) is kept in the library; the others are named, and the old file is kept."""
    from budgetqa.store import library

    if library.manifest_path().exists():
        return
    try:
        olds = sorted(cache_dir().glob(LEGACY))
    except OSError:
        return
    if not olds:
        return
    from budgetqa.store.connection import duckdb_core

    found: dict[str, tuple[str, str, str, int]] = {}
    for old in olds:
        try:
            con = duckdb_core.connect(str(old), read_only=True)
            try:
                rows = con.execute("SELECT doc_id, source_file, checksum, dept_name, year FROM documents").fetchall()
            finally:
                con.close()
        except Exception:  # noqa: BLE001 - an unreadable old cache file holds nothing to adopt
            continue
        for doc_id, source, checksum, dept, year in rows:
            if source != str(bundled_document()):
                found[doc_id] = (source, checksum, dept, year)
    entries, lost = [], []
    from budgetqa.ingest.document import DocumentError, read_document

    for doc_id, (source, checksum, dept, year) in found.items():
        try:
            if sha256_file(Path(source)) != checksum:
                raise DocumentError("changed")
            try:
                entries.append(library.keep(read_document(source)))
            except DocumentError:  # its year was given with --year then
                entries.append(library.keep(read_document(source, year=year), year_option=year))
        except (OSError, DocumentError, library.LibraryError):
            lost.append(f"{dept} {year}（{doc_id}，原文件 {source}）")
    try:
        library.write_manifest(library.Manifest(True, entries))
    except library.LibraryError:
        return
    if warn and entries:
        warn(f"注意：以前加载的{len(entries)}份预算已存进资料库 {library.data_dir()}")
    if lost:
        if warn:
            warn(f"注意：旧缓存 {olds[0].parent} 里的 " + "；".join(lost) + " 未能存进资料库（原文件已不在或改动过），请重新加载；旧文件 "
                 + "、".join(o.name for o in olds) + " 保留未删")
        return
    for old in olds:
        with contextlib.suppress(OSError):
            old.unlink()


def ensure_default_db(verify: bool = True, rebuild: bool = False, warn: Warn | None = None, warm_up: bool = True) -> Path:
    """The default database, built now if it is missing (or was left unreadable). `verify=False` skips
    opening it here (the caller opens it anyway and asks again with `rebuild=True` if that fails); `warm_up=False`
    leaves building the common statements to the resident answerer that is started next (`server.warm_up`)."""
    adopt_legacy(warn)
    manifest = read_manifest()
    name = default_db_name(manifest)
    for path in dict.fromkeys([cache_dir() / name, place(name)]):  # the cache, else this process's temporary one
        if rebuild:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
        if path.exists() and (not verify or readable(path)):
            return path
        if path.exists():  # a damaged cache file is rebuilt from the bundled document and the library
            with contextlib.suppress(OSError):
                path.unlink()
    from budgetqa.store.db import build  # the duckdb package: only when a database is built

    path = place(name)
    try:
        build(path, all_documents(manifest, warn=warn), fresh=True)
    except OSError:
        if path.parent == temp_dir():
            raise
        path = temp_dir() / name
        build(path, all_documents(manifest, warn=warn), fresh=True)
    settle(path, warm_up=warm_up)
    return path


def load_into_library(docs: Iterable, year_option: int | None = None, fresh: bool = False,
                      warn: Warn | None = None) -> tuple[Path, list]:
    """`budgetqa load` without --db: each document's source file is kept in the library and the default
    database is rebuilt (from the previous one when it is there, else from everything). The manifest is
    written last: a load that fails or is interrupted leaves the library and the database as they were.
    Returns the new default database and the library entries of the loaded documents."""
    from budgetqa.store import library
    from budgetqa.store.db import build

    with library.locked():
        adopt_legacy(warn)
        before = read_manifest()
        entries: list[library.Entry] = []

        def kept():
            for doc in docs:
                entries.append(library.keep(doc, year_option))
                yield doc

        base = place(default_db_name(before))
        staging = place(f"{PREFIX}loading-{os.getpid()}.duckdb")
        try:
            if not fresh and base.exists() and readable(base):
                build(staging, kept(), base=base)
            else:
                start = Manifest(before.bundled, []) if fresh else before
                build(staging, all_documents(start, kept(), replaced=lambda: {e.doc_id for e in entries}, warn=warn),
                      fresh=True)
            after = library.with_entries(Manifest(before.bundled, []) if fresh else before, entries)
            path = staging.with_name(default_db_name(after))
            os.replace(staging, path)
        finally:
            with contextlib.suppress(OSError):
                staging.unlink(missing_ok=True)
        library.write_manifest(after)
        library.prune(after)
    settle(path, warm_up=False)  # the caller warms it (an interrupt there loses nothing)
    return path, entries


def remove_from_library(doc_ids: Iterable[str], bundled: bool = False, warn: Warn | None = None) -> Path:
    """Take documents out of the library (and the bundled budget out of the default database when
    `bundled`), then rebuild the default database without them."""
    from budgetqa.store import library
    from budgetqa.store.db import build

    doc_ids = list(doc_ids)
    with library.locked():
        adopt_legacy(warn)
        before = read_manifest()
        after = before.without(doc_ids)
        if bundled:
            after.bundled = False
        base = place(default_db_name(before))
        path = place(default_db_name(after))
        if base.exists() and readable(base) and before.bundled == after.bundled and not (
                before.bundled and bundled_doc_id() in doc_ids):
            build(path, [], base=base, drop=doc_ids)
        else:  # the bundled budget goes or comes back: built from everything
            build(path, all_documents(after, warn=warn), fresh=True)
        library.write_manifest(after)
        library.prune(after)
    settle(path, warm_up=False)
    return path
