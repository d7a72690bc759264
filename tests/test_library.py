"""The library of loaded documents: what the user loaded survives reader upgrades, cleared caches and any
order of commands; `list` shows it and `remove` takes a document out."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from conftest import DOCS

from budgetqa import bootstrap
from budgetqa.cli import cli
from budgetqa.store import library

XICHENG = DOCS / "xicheng-minzheng-2023.txt"
HAIDIAN = DOCS / "haidian-minzheng-2023.txt"


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    cache, data = tmp_path / "cache", tmp_path / "data"
    monkeypatch.setenv("BUDGETQA_CACHE", str(cache))
    monkeypatch.setenv("BUDGETQA_DATA", str(data))
    return cache, data


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def value(question: str):
    r = run("ask", "--json", question)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout.strip().splitlines()[-1])["value"]


def test_load_before_first_ask_keeps_the_bundled_budget(dirs):
    cache, data = dirs
    r = run("load", XICHENG)
    assert r.exit_code == 0, r.output
    assert "已加载 北京市西城区民政局 2023（211-2023）" in r.stdout
    assert value("西城区民政局的项目支出多少") == 817.3
    assert value("朝阳区应急管理局总支出多少") == 9751.38787
    manifest = json.loads((data / "library.json").read_text(encoding="utf-8"))
    (entry,) = manifest["documents"]
    assert entry["doc_id"] == "211-2023" and entry["sha256"] == library.sha256_file(XICHENG)
    assert (data / entry["file"]).read_bytes() == XICHENG.read_bytes()


def test_reader_upgrade_and_cleared_cache_keep_every_loaded_document(dirs, monkeypatch):
    cache, data = dirs
    assert run("load", XICHENG, HAIDIAN).exit_code == 0
    (before,) = cache.glob("default-*.duckdb")
    real = bootstrap.reader_fingerprint()
    monkeypatch.setattr(bootstrap, "reader_fingerprint", lambda: real + "-upgraded")  # a new reader
    assert value("西城区民政局的项目支出多少") == 817.3
    assert value("海淀区民政局的项目支出多少") is not None
    (after,) = cache.glob("default-*.duckdb")
    assert after != before and not before.exists()  # rebuilt under a new name; the old one went
    shutil.rmtree(cache)  # the user clears the cache
    assert value("西城区民政局的项目支出多少") == 817.3
    assert value("朝阳区应急管理局总支出多少") == 9751.38787
    assert len(list((data / "documents").iterdir())) == 2  # the data directory was never touched


def test_loading_the_same_department_and_year_again_replaces_it(dirs, tmp_path):
    cache, data = dirs
    assert run("load", XICHENG).exit_code == 0
    changed = tmp_path / "xicheng-copy.txt"
    changed.write_bytes(XICHENG.read_bytes() + b"\n")  # another file of the same budget
    assert run("load", changed).exit_code == 0
    manifest = library.read_manifest()
    assert [e.doc_id for e in manifest.documents] == ["211-2023"]
    assert manifest.documents[0].sha256 == library.sha256_file(changed)
    assert len(list((data / "documents").iterdir())) == 1
    r = run("list", "--json")
    assert sorted(d["doc_id"] for d in json.loads(r.stdout)) == ["105-2024", "211-2023"]


def test_list_and_remove(dirs):
    assert run("load", XICHENG, HAIDIAN).exit_code == 0
    r = run("list")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0].startswith("共3份预算")
    assert any("北京市朝阳区应急管理局 2024年  [内置]  68个项目行" in x and "对账无误" in x for x in lines)
    assert any("北京市西城区民政局 2023年  [资料库]  13个项目行" in x for x in lines)

    r = run("remove", "民政局")
    assert r.exit_code == 2 and "对应多份预算" in r.output and "Traceback" not in r.output
    r = run("remove", "财政局")
    assert r.exit_code == 2 and "没有找到“财政局”" in r.output
    r = run("remove", "西城区民政局", "--year", "2022")
    assert r.exit_code == 2 and "没有找到" in r.output

    r = run("remove", "西城民政局")
    assert r.exit_code == 0 and "已移除 北京市西城区民政局 2023（211-2023）" in r.stdout
    assert [e.doc_id for e in library.read_manifest().documents] == ["210-2023"]
    assert sorted(d["doc_id"] for d in json.loads(run("list", "--json").stdout)) == ["105-2024", "210-2023"]

    r = run("remove", "105-2024")  # the bundled budget, by its document id
    assert r.exit_code == 0 and "内置预算要恢复时" in r.stdout
    docs = json.loads(run("list", "--json").stdout)
    assert [d["doc_id"] for d in docs] == ["210-2023"]
    r = run("remove", "210-2023")
    assert r.exit_code == 2 and "唯一一份" in r.output


def test_explicit_db_is_the_users_file_not_the_library(dirs, tmp_path):
    cache, data = dirs
    db = tmp_path / "mine.duckdb"
    r = run("load", "--db", db, XICHENG)
    assert r.exit_code == 0 and db.exists()
    assert not (data / "library.json").exists()
    r = run("ask", "--db", db, "--json", "项目支出多少")
    assert json.loads(r.stdout)["value"] == 817.3
    r = run("list", "--db", db)
    assert r.exit_code == 0 and "[已加载]" in r.stdout


def test_a_damaged_library_copy_is_reported_and_the_rest_still_answers(dirs):
    cache, data = dirs
    assert run("load", XICHENG, HAIDIAN).exit_code == 0
    entry = library.read_manifest().find("211-2023")
    entry.path().write_bytes(b"changed")
    shutil.rmtree(cache)
    r = run("ask", "--json", "海淀区民政局的项目支出多少")
    assert r.exit_code == 0 and "校验和不符" in r.stderr
    assert library.read_manifest().find("211-2023") is not None  # reported, never dropped from the library


def test_interrupted_load_changes_nothing(dirs, monkeypatch):
    cache, data = dirs
    assert run("load", XICHENG).exit_code == 0
    manifest = (data / "library.json").read_bytes()
    (db,) = cache.glob("default-*.duckdb")
    db_bytes = db.read_bytes()
    import budgetqa.ingest.document as document

    real = document.read_many

    def interrupted(paths, year=None, workers=None):
        for i, d in enumerate(real(paths, year=year, workers=workers)):
            if i == 1:
                raise KeyboardInterrupt
            yield d

    monkeypatch.setattr(document, "read_many", interrupted)
    r = run("load", HAIDIAN, DOCS / "haidian-minzheng-2023.txt", XICHENG)
    assert r.exit_code == 2 and "已中断" in r.output and "都未改动" in r.output and "Traceback" not in r.output
    assert (data / "library.json").read_bytes() == manifest
    assert list(cache.glob("default-*.duckdb")) == [db] and db.read_bytes() == db_bytes
    assert not list(cache.glob("*.loading")) and not list(cache.glob("default-loading-*"))


def test_damaged_manifest_is_an_error_not_a_reset(dirs):
    cache, data = dirs
    assert run("load", XICHENG).exit_code == 0
    (data / "library.json").write_text("{not json", encoding="utf-8")
    r = run("load", HAIDIAN)
    assert r.exit_code == 2 and "已损坏" in r.output and "Traceback" not in r.output
    assert (data / "library.json").read_text(encoding="utf-8") == "{not json"


def legacy_cache(cache, source):
    """The cache of a version before the library: the user's load went into bundled-s3-<hash>.duckdb."""
    from budgetqa.ingest.document import read_document
    from budgetqa.lexicon_files import bundled_document
    from budgetqa.store.db import build

    cache.mkdir(parents=True, exist_ok=True)
    old = cache / "bundled-s3-0123456789ab.duckdb"
    build(old, [read_document(bundled_document()), read_document(source)], fresh=True)
    return old


def test_budgets_loaded_before_the_library_are_adopted(dirs, tmp_path):
    cache, data = dirs
    source = tmp_path / "xicheng.txt"
    source.write_bytes(XICHENG.read_bytes())
    old = legacy_cache(cache, source)
    r = run("ask", "--json", "西城区民政局的项目支出多少")
    assert r.exit_code == 0 and json.loads(r.stdout)["value"] == 817.3
    assert "以前加载的1份预算已存进资料库" in r.stderr
    assert [e.doc_id for e in library.read_manifest().documents] == ["211-2023"]
    assert not old.exists()


def test_a_legacy_budget_whose_file_is_gone_is_named_and_its_cache_kept(dirs, tmp_path):
    cache, data = dirs
    source = tmp_path / "xicheng.txt"
    source.write_bytes(XICHENG.read_bytes())
    old = legacy_cache(cache, source)
    source.unlink()
    r = run("ask", "--json", "总支出多少")
    assert r.exit_code == 0 and json.loads(r.stdout)["value"] == 9751.38787
    assert "北京市西城区民政局 2023（211-2023" in r.stderr and "保留未删" in r.stderr
    assert "未能存进资料库（原文件已不在或改动过），请重新加载" in r.stderr
    assert old.exists() and library.read_manifest().documents == []


def test_fresh_load_keeps_only_these_documents_and_the_bundled_one(dirs):
    assert run("load", XICHENG, HAIDIAN).exit_code == 0
    r = run("load", "--fresh", HAIDIAN, HAIDIAN)
    assert r.exit_code == 0, r.output
    assert [e.doc_id for e in library.read_manifest().documents] == ["210-2023"]
    assert sorted(d["doc_id"] for d in json.loads(run("list", "--json").stdout)) == ["105-2024", "210-2023"]
