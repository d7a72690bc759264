"""The declarative vocabulary under `lexicon/`: trigger phrases -> concepts, synonyms, units, stop words."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache

from budgetqa.lexicon_files import lexicon_path


def read_pairs(name: str) -> list[tuple[str, str]]:
    p = lexicon_path(name)
    if not p.exists():
        return []
    with p.open(encoding="utf-8") as f:
        rows = [r for r in csv.reader((ln for ln in f if ln.strip() and not ln.startswith("#")), delimiter="\t")]
    return [(t, r[1].strip()) for r in rows[1:] if len(r) >= 2 and r[0].strip() for t in expand(r[0].strip())]


def expand(trigger: str) -> list[str]:
    """A trigger written as a phrase family: each `{a|b|}` stands for one of its choices (an empty one
    allowed), so that one line of a lexicon file says 名字里有 / 名称中含 / 项目名带有 … at once.

    >>> expand("{名字|名称}{里|}含")
    ['名字里含', '名字含', '名称里含', '名称含']
    >>> expand("合计")
    ['合计']
    """
    m = re.search(r"\{([^{}]*)\}", trigger)
    if m is None:
        return [trigger]
    head, tail = trigger[:m.start()], trigger[m.end():]
    return [w for choice in m.group(1).split("|") for w in expand(head + choice + tail) if w]


def read_words(name: str) -> list[str]:
    p = lexicon_path(name)
    if not p.exists():
        return []
    with p.open(encoding="utf-8") as f:
        return [w for ln in f if ln.strip() and not ln.startswith("#") for w in expand(ln.strip())]


@dataclass
class Lexicon:
    measures: dict[str, str] = field(default_factory=dict)  # trigger -> concept
    cues: dict[str, str] = field(default_factory=dict)  # trigger -> cue
    units: dict[str, str] = field(default_factory=dict)
    synonyms: list[tuple[str, str]] = field(default_factory=list)  # longest alias first
    subject_aliases: dict[str, str] = field(default_factory=dict)
    dimensions: dict[str, str] = field(default_factory=dict)  # trigger -> what a breakdown groups by
    measure_parents: set[tuple[str, str]] = field(default_factory=set)  # (part, whole)
    stopwords: set[str] = field(default_factory=set)
    offtopic: set[str] = field(default_factory=set)
    payments: list[tuple[str, str]] = field(default_factory=list)  # trigger -> payment (首尾款 names two)


_adopted: Lexicon | None = None


def adopt_lexicon(lx: Lexicon) -> None:
    """The lexicon a cached linker was built with (its files unchanged since) serves every later
    `load_lexicon()`, so a cold question reads no word list."""
    global _adopted
    _adopted = lx


def load_lexicon() -> Lexicon:
    return _adopted if _adopted is not None else read_lexicon()


@lru_cache(maxsize=1)
def read_lexicon() -> Lexicon:
    lx = Lexicon()
    lx.measures = dict(read_pairs("measures.tsv"))
    lx.cues = dict(read_pairs("cues.tsv"))
    lx.units = dict(read_pairs("units.tsv"))
    lx.synonyms = sorted(read_pairs("synonyms.tsv"), key=lambda p: -len(p[0]))
    lx.subject_aliases = dict(read_pairs("subject_aliases.tsv"))
    lx.dimensions = dict(read_pairs("dimensions.tsv"))
    lx.measure_parents = set(read_pairs("measure_parents.tsv"))
    lx.stopwords = set(read_words("stopwords.txt"))
    lx.offtopic = set(read_words("offtopic.txt"))
    lx.payments = read_pairs("payments.tsv")
    return lx
