"""Segmentation with jieba, on a small dictionary generated from `lexicon/` (and the data's names).

jieba's own 350,000-word dictionary takes most of a second to load; budget questions need only the
budget vocabulary, so one `jieba.Tokenizer` is built on a dictionary written from the lexicon and
cached; words it does not know are cut by jieba's HMM.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from budgetqa.nlu.lexicon import load_lexicon, read_words

_extra: set[str] = set()


def add_words(words) -> None:
    """Names from the loaded data (projects' parts, people, subjects) join the dictionary."""
    global _extra
    new = {w for w in words if w and len(w) >= 2} - _extra
    if new:
        _extra |= new
        tokenizer.cache_clear()


def _import_jieba():
    """jieba without pkg_resources: jieba._compat imports it only to open jieba's own model files, which
    costs a tenth of a second; without it jieba opens them by path."""
    import sys

    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    absent = "pkg_resources" not in sys.modules
    if absent:
        sys.modules["pkg_resources"] = None  # makes `import pkg_resources` raise ImportError
    try:
        import jieba
    finally:
        if absent:
            del sys.modules["pkg_resources"]
    return jieba


@lru_cache(maxsize=1)
def tokenizer():
    import hashlib
    import logging
    import tempfile

    jieba = _import_jieba()
    jieba.setLogLevel(logging.WARNING)
    lx = load_lexicon()
    words = set(lx.stopwords) | set(lx.cues) | set(lx.measures) | set(lx.units) | set(lx.subject_aliases)
    words |= set(read_words("words.txt")) | _extra
    text = "".join(f"{w} {1000 + 100 * len(w)}\n" for w in sorted(words) if " " not in w)
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"budgetqa-jieba-{digest}.txt"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    tok = jieba.Tokenizer(dictionary=str(path))
    tok.tmp_dir = tempfile.gettempdir()
    return tok


def segment(text: str) -> list[str]:
    if not text:
        return []
    return [w for w in tokenizer().cut(text, HMM=True) if w.strip()]
