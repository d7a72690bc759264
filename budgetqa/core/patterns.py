"""Regular expressions compiled when first used, not when their module is imported.

A one-shot `budgetqa ask` imports every module of the question path, and compiling their patterns (wide CJK
character classes above all) cost a sixth of its start: most of them are never used by the one question asked.

>>> P = lazy(r"(\\d+)年")
>>> P.search("2024年预算").group(1), P.sub("", "2024年预算"), P.pattern
('2024', '预算', '(\\\\d+)年')
"""

from __future__ import annotations

import re
from typing import Any


class LazyPattern:
    """Stands for `re.compile(source, flags)`; compiles on the first attribute asked of it."""

    __slots__ = ("_compiled", "_flags", "_source")

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source, self._flags, self._compiled = source, flags, None

    def compiled(self) -> re.Pattern:
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return self._compiled

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # (copy and pickle probe for hooks before the slots are set)
            raise AttributeError(name)
        return getattr(self.compiled(), name)

    def __repr__(self) -> str:
        return f"lazy({self._source!r})"


def lazy(source: str, flags: int = 0) -> LazyPattern:
    return LazyPattern(source, flags)
