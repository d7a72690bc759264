from __future__ import annotations

from pathlib import Path

import pytest

from budgetqa.ingest.document import read_document
from budgetqa.lexicon_files import bundled_document
from budgetqa.store.db import build

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def bundled():
    return read_document(bundled_document())


@pytest.fixture(scope="session")
def db_path(tmp_path_factory, bundled):
    path = tmp_path_factory.mktemp("db") / "bundled.duckdb"
    build(path, [bundled], fresh=True)
    return path


@pytest.fixture(scope="session")
def engine(db_path):
    from budgetqa.engine import Engine

    e = Engine(db_path)
    yield e
    e.close()


@pytest.fixture
def con(db_path):
    from budgetqa.store.db import connect_read_only

    c = connect_read_only(db_path)
    yield c
    c.close()
