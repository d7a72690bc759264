"""The library of loaded documents: what the user loaded, kept in the user's data directory.

The default database in the cache directory is derived from the bundled budget plus this library and
can be rebuilt from them at any time; the library itself is never derived from anything. Each loaded
source file is copied into `documents/` beside a small manifest (`library.json`) that records its
department, year, checksum and the options it was loaded with. Loading the same department and year
again replaces the entry. `BUDGETQA_DATA` moves the directory (as `BUDGETQA_CACHE` moves the cache).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

MANIFEST = "library.json"
FILES = "documents"
MANIFEST_VERSION = 1


class LibraryError(RuntimeError):
    """The library cannot be read or written; the message says where and why."""


def data_dir() -> Path:
    override = os.environ.get("BUDGETQA_DATA")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("budgetqa", appauthor=False))


@dataclass
class Entry:
    """One loaded document as the library keeps it."""

    doc_id: str
    dept_code: str
    dept_name: str
    year: int
    file: str  # relative to the data directory
    sha256: str
    original: str = ""  # where the user loaded it from
    year_option: int | None = None  # --year given at load time
    added_at: str = ""

    def path(self, root: Path | None = None) -> Path:
        return (root or data_dir()) / self.file


@dataclass
class Manifest:
    bundled: bool = True  # the bundled budget is part of the default database unless the user removed it
    documents: list[Entry] = field(default_factory=list)

    def fingerprint(self) -> str:
        """What the default database is derived from (not when things were added): part of its name."""
        key = {"bundled": self.bundled, "docs": sorted((e.doc_id, e.sha256, e.year_option) for e in self.documents)}
        return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()

    def find(self, doc_id: str) -> Entry | None:
        return next((e for e in self.documents if e.doc_id == doc_id), None)

    def without(self, doc_ids) -> Manifest:
        drop = set(doc_ids)
        return Manifest(self.bundled, [e for e in self.documents if e.doc_id not in drop])

    def to_json(self) -> dict:
        return {"version": MANIFEST_VERSION, "bundled": self.bundled, "documents": [asdict(e) for e in self.documents]}


def manifest_path(root: Path | None = None) -> Path:
    return (root or data_dir()) / MANIFEST


def read_manifest(root: Path | None = None) -> Manifest:
    """The library's manifest; an empty library when there is none yet (or the directory cannot be
    reached at all). A manifest that exists but cannot be read is an error, never silently replaced."""
    path = manifest_path(root)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Manifest()
    except NotADirectoryError:
        return Manifest()
    except OSError as e:
        raise LibraryError(f"无法读取资料库清单 {path}：{e.strerror or e}") from None
    try:
        raw = json.loads(text)
        entries = [Entry(**{k: v for k, v in d.items() if k in Entry.__dataclass_fields__}) for d in raw.get("documents", [])]
        return Manifest(bool(raw.get("bundled", True)), entries)
    except (ValueError, TypeError, AttributeError) as e:
        raise LibraryError(f"资料库清单 {path} 已损坏（{e}）；已加载的文件仍在 {path.parent / FILES}") from None


def write_manifest(manifest: Manifest, root: Path | None = None) -> None:
    """Atomically: written aside and renamed over the old one."""
    path = manifest_path(root)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=MANIFEST + ".", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(manifest.to_json(), f, ensure_ascii=False, indent=1)
            f.write("\n")
        os.replace(tmp, path)
    except OSError as e:
        raise LibraryError(f"无法写入资料库 {path.parent}：{e.strerror or e}") from None


@contextlib.contextmanager
def locked(root: Path | None = None) -> Iterator[None]:
    """One writer of the library at a time (two `budgetqa load` at once do not lose each other's work)."""
    root = root or data_dir()
    try:
        root.mkdir(parents=True, exist_ok=True)
        f = (root / ".lock").open("a")
    except OSError as e:
        raise LibraryError(f"无法写入资料库 {root}：{e.strerror or e}") from None
    try:
        try:
            import fcntl

            fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        except (ImportError, OSError):  # pragma: no cover - no advisory locks here: proceed
            pass
        yield
    finally:
        f.close()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def keep(doc, year_option: int | None = None, root: Path | None = None) -> Entry:
    """Copy a read document's source file into the library (checked against the checksum it was read
    with) and return its entry; the manifest is not touched (see `commit`)."""
    root = root or data_dir()
    src = Path(doc.source_file)
    name = f"{doc.doc_id}-{doc.checksum[:12]}{src.suffix or '.txt'}"
    rel = f"{FILES}/{name}"
    dest = root / rel
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        if not (dest.exists() and sha256_file(dest) == doc.checksum):
            tmp = dest.with_name(dest.name + f".{os.getpid()}.tmp")
            shutil.copyfile(src, tmp)
            if sha256_file(tmp) != doc.checksum:
                tmp.unlink(missing_ok=True)
                raise LibraryError(f"{src} 在加载过程中被改动了，请重新加载")
            os.replace(tmp, dest)
    except OSError as e:
        raise LibraryError(f"无法把 {src} 保存到资料库 {root}：{e.strerror or e}") from None
    return Entry(doc.doc_id, doc.dept_code, doc.dept_name, doc.year, rel, doc.checksum, str(src.resolve()), year_option,
                 datetime.now().isoformat(sep=" ", timespec="seconds"))


def with_entries(manifest: Manifest, entries: list[Entry]) -> Manifest:
    """The manifest with these entries added; an entry of the same department and year is replaced."""
    new = {e.doc_id: e for e in entries}
    kept = [e for e in manifest.documents if e.doc_id not in new]
    return Manifest(manifest.bundled, kept + list(new.values()))


def prune(manifest: Manifest, root: Path | None = None) -> None:
    """Delete library files no entry names (after a replacement or removal was committed)."""
    root = root or data_dir()
    named = {e.file for e in manifest.documents}
    folder = root / FILES
    if not folder.is_dir():
        return
    for f in folder.iterdir():
        if f"{FILES}/{f.name}" not in named and not f.name.endswith(".tmp"):
            with contextlib.suppress(OSError):
                f.unlink()
