from __future__ import annotations

from pathlib import Path

import pytest

from budgetqa.ingest.document import read_document
from budgetqa.lexicon_files import bundled_document
from budgetqa.store.db import build

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "tests" / "fixtures" / "docs"


@pytest.fixture(scope="session", autouse=True)
def private_data_dir(tmp_path_factory):
    """No test reads or writes the user's own library of loaded documents."""
    import os

    os.environ["BUDGETQA_DATA"] = str(tmp_path_factory.mktemp("library"))
    os.environ["BUDGETQA_SERVER"] = "0"  # no test leaves a resident answerer behind (tests/test_resident.py starts its own)


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


@pytest.fixture(scope="session")
def engine_for(tmp_path_factory):
    """An engine over a fresh database of the given documents: engine_for(doc) or engine_for(bundled, doc)."""
    from budgetqa.engine import Engine

    made = []

    def make(*docs):
        db = tmp_path_factory.mktemp("docs") / "docs.duckdb"
        build(db, list(docs), fresh=True)
        made.append(Engine(db))
        return made[-1]

    yield make
    for e in made:
        e.close()


def assert_identity_and_reconciled(doc, expected: dict) -> None:
    """A fixture document read as its generator wrote it: who and when, and every table reconciled."""
    assert (doc.doc_id, doc.dept_code, doc.dept_name, doc.year) == (
        expected["doc_id"], expected["dept_code"], expected["dept_name"], expected["year"])
    assert [i.message for i in doc.errors] == []
