"""Where the shipped lexicon files are: `budgetqa/lexicon` when installed, `lexicon/` in a source tree."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def lexicon_dir() -> Path:
    installed = _HERE / "lexicon"
    if installed.is_dir():
        return installed
    return _HERE.parent / "lexicon"


def lexicon_path(name: str) -> Path:
    return lexicon_dir() / name


def bundled_document() -> Path:
    return _HERE / "data" / "chaoyang-yingji-2024.txt"
