"""Where budgetqa keeps what it can rebuild (the cache) — the user's own data lives in the library (store.library)."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """The cache directory (BUDGETQA_CACHE moves it): databases and statements that can always be rebuilt."""
    override = os.environ.get("BUDGETQA_CACHE")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("budgetqa", appauthor=False))
