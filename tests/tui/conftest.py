"""Fixtures for the terminal UI tests: one engine on the test database (tests/conftest.py) shared by every app."""

from __future__ import annotations

import pytest

pytest.importorskip("textual")


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
