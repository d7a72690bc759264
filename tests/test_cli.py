"""The command line through click's CliRunner and, for the import check, a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from click.testing import CliRunner

from budgetqa.cli import cli


def test_ask_json_contract(db_path):
    r = CliRunner().invoke(cli, ["ask", "--db", str(db_path), "--json", "姚遥负责的项目一共多少钱"])
    assert r.exit_code == 0
    out = json.loads(r.output.strip().splitlines()[-1])
    assert out["status"] == "ok" and out["value"] == 321.48832
    assert {"question", "answer", "unit", "columns", "rows", "sql", "links"} <= set(out)
    assert len(out["rows"]) == 4


def test_ask_not_understood_exit_1(db_path):
    r = CliRunner().invoke(cli, ["ask", "--db", str(db_path), "--json", "帮我写一首诗"])
    assert r.exit_code == 1
    assert json.loads(r.output)["status"] == "unsupported"


def test_chat_piped(db_path):
    r = CliRunner().invoke(cli, ["chat", "--db", str(db_path), "--json"], input="姚遥负责哪些项目\n总金额多少\n")
    lines = [json.loads(x) for x in r.output.strip().splitlines()]
    assert len(lines) == 2 and lines[-1]["value"] == 321.48832


def test_load_missing_file_exit_2(tmp_path):
    r = CliRunner().invoke(cli, ["load", "--db", str(tmp_path / "x.duckdb"), str(tmp_path / "nope.txt")])
    assert r.exit_code == 2 and "不存在" in r.output and "Traceback" not in r.output


def test_load_then_ask(tmp_path):
    from budgetqa.lexicon_files import bundled_document

    db = tmp_path / "x.duckdb"
    r = CliRunner().invoke(cli, ["load", "--db", str(db), str(bundled_document())])
    assert r.exit_code == 0 and "对账无误" in r.output
    r = CliRunner().invoke(cli, ["ask", "--db", str(db), "--json", "项目支出多少"])
    assert json.loads(r.output)["value"] == 4497.56482


def test_foreign_database_is_named(tmp_path):
    bad = tmp_path / "foreign.duckdb"
    bad.write_bytes(b"not a database at all" * 100)
    r = CliRunner().invoke(cli, ["ask", "--db", str(bad), "总支出多少"])
    assert r.exit_code == 2 and "foreign.duckdb" in r.output


def test_ask_imports_neither_textual_nor_the_duckdb_package(db_path, tmp_path):
    """`budgetqa ask` stays light: no TUI, DuckDB's core only, and sqlglot only for a statement not built before."""
    code = (f"import sys; from budgetqa.cli import main; sys.argv=['budgetqa','ask','--db',{str(db_path)!r},'总支出多少'];\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(*[m in sys.modules for m in ('textual', 'duckdb', 'sqlglot')])")
    env = {**os.environ, "BUDGETQA_CACHE": str(tmp_path)}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert first.stdout.strip().splitlines()[-1] == "False False True"  # the statement is built and kept
    assert again.stdout.strip().splitlines()[-1] == "False False False"


def test_damaged_default_database_is_rebuilt_by_ask(tmp_path, monkeypatch):
    monkeypatch.setenv("BUDGETQA_CACHE", str(tmp_path))
    monkeypatch.setenv("BUDGETQA_DATA", str(tmp_path / "data"))
    r = CliRunner().invoke(cli, ["ask", "--json", "总支出多少"])
    assert r.exit_code == 0
    (db,) = tmp_path.glob("default-*.duckdb")
    db.write_bytes(b"\x00damaged" * 500)
    r = CliRunner().invoke(cli, ["ask", "--json", "总支出多少"])
    assert r.exit_code == 0 and json.loads(r.output)["value"] == 9751.38787


def test_ask_on_the_default_database_stays_light(tmp_path):
    """Without --db too: the library's manifest is read, but the duckdb package only loads to build."""
    env = {**os.environ, "BUDGETQA_CACHE": str(tmp_path / "cache"), "BUDGETQA_DATA": str(tmp_path / "data")}
    code = ("import sys; from budgetqa.cli import main; sys.argv=['budgetqa','ask','总支出多少'];\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(*[m in sys.modules for m in ('textual', 'duckdb', 'budgetqa.ingest.document')])")
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)  # builds it
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert again.stdout.strip().splitlines()[-1] == "False False False"


def test_the_command_answers_one_question_without_click(db_path, tmp_path):
    """`budgetqa ask "…"` (the console entry point) answers without importing click; `--help` still goes to click."""
    env = {**os.environ, "BUDGETQA_CACHE": str(tmp_path)}
    code = "import sys; sys.argv = ['budgetqa'] + sys.argv[1:]; from budgetqa.launch import main; main()"
    r = subprocess.run([sys.executable, "-X", "importtime", "-c", code, "ask", "--db", str(db_path), "--json", "水费多少"],
                       capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode == 0 and json.loads(r.stdout)["value"] == 3.12345
    imported = {ln.rsplit("|", 1)[-1].strip() for ln in r.stderr.splitlines() if ln.startswith("import time:")}
    assert "budgetqa.engine" in imported and "click" not in imported and "textual" not in imported
    h = subprocess.run([sys.executable, "-c", code, "ask", "--help"], capture_output=True, text=True, timeout=60, env=env)
    assert h.returncode == 0 and "示例" in h.stdout
    u = subprocess.run([sys.executable, "-c", code, "ask", "--db"], capture_output=True, text=True, timeout=60, env=env)
    assert u.returncode == 2 and "--db" in u.stderr and "Traceback" not in u.stderr
