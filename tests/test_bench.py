"""The benchmark runs end to end at small N (figures are printed, never asserted)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_bench_smoke(capsys):
    res = load("bench").main(["--runs", "0", "--scale", "1,3", "--json", "--pdf", ""])
    assert res["warm_questions"] > 0
    assert set(res) >= {"overlong_refusal_ms_max_301", "overlong_refusal_ms_max_100000"}  # reported, not judged
    assert [s["documents"] for s in res["scale"]] == [1, 3]
    assert res["scale"][1]["project_names"] > res["scale"][0]["project_names"]
    assert '"scale"' in capsys.readouterr().out


def test_synthetic_documents_reconcile_and_differ(tmp_path):
    from budgetqa.ingest.document import read_document
    from budgetqa.lexicon_files import bundled_document

    files = load("synth").write(4, tmp_path, bundled_document())
    docs = [read_document(f) for f in files]
    assert len({d.doc_id for d in docs}) == 4
    assert all(not d.errors for d in docs), [e.message for d in docs for e in d.errors]
    assert len({d.dept_name for d in docs}) > 1


def test_pdf_load_per_page(tmp_path):
    import shutil

    shutil.copy(ROOT / "tests" / "fixtures" / "shanghai" / "putuo-welfare-home-2024-unit.pdf", tmp_path)
    res = load("bench").pdf_load(tmp_path)
    assert res["pdf_documents_pages"] == 16 and res["pdf_ms_per_page"] > 0
