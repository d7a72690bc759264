"""Fixtures for the terminal UI tests: one engine on the test database (tests/conftest.py) shared by every app."""

from __future__ import annotations

import pytest
import textual  # noqa: F401  the test extra installs it: without it these tests must fail, not skip


@pytest.fixture
def make_app(engine):
    from budgetqa.tui.app import BudgetQAApp

    def make(**kwargs):
        kwargs.setdefault("engine", engine)
        kwargs.setdefault("show_timing", False)  # deterministic screens: no timings
        app = BudgetQAApp(**kwargs)
        app.animation_level = "none"  # no tab-underline or scroll animations to wait for
        return app

    return make


@pytest.fixture(autouse=True)
def data_dir(tmp_path_factory, monkeypatch):
    """Every app of these tests keeps its question history in a directory of its own, never the user's."""
    path = tmp_path_factory.mktemp("budgetqa-data")
    monkeypatch.setenv("BUDGETQA_DATA", str(path))
    return path
