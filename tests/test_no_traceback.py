"""Every command with hostile arguments and environments: a message and exit 0, 1 or 2, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import DOCS, ROOT

from budgetqa.cli import cli

HUGE = "总支出" * 40_000


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    blocker = d / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    binary = d / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 64)
    garbage_db = d / "garbage.duckdb"
    garbage_db.write_bytes(b"\x00not a database" * 200)
    empty = d / "empty.txt"
    empty.write_bytes(b"")
    bad_yaml = d / "bad.yaml"
    bad_yaml.write_text("- q: [unclosed\n", encoding="utf-8")
    return {"dir": d, "missing": d / "missing.txt", "under_file": blocker / "x", "binary": binary,
            "garbage_db": garbage_db, "empty": empty, "bad_yaml": bad_yaml, "blocker": blocker}


def argvs(h) -> list[list[str]]:
    d, missing, under, binary, gdb = (str(h[k]) for k in ("dir", "missing", "under_file", "binary", "garbage_db"))
    dbs = [missing, d, gdb, under, binary, ""]
    out = []
    for db in dbs:
        out += [["ask", "--db", db, "总支出多少"], ["chat", "--db", db], ["report", "--db", db], ["list", "--db", db],
                ["sql", "--db", db, "SELECT COUNT(*) FROM projects"], ["vocab", "--db", db, "people"],
                ["export", "--db", db, "--parquet", str(h["dir"] / "pq")], ["ask", "--db", db, "--format", "csv", "总支出多少"],
                ["test", "--db", db, str(ROOT / "sample_queries" / "heldout.yaml")],
                ["load", "--db", db, str(DOCS / "xicheng-minzheng-2023.txt")]]
    for f in (missing, d, binary, str(h["empty"]), str(h["bad_yaml"]), "", HUGE[:5000]):
        out += [["load", f], ["load", "--db", str(h["dir"] / "new.duckdb"), f], ["test", f]]
    out += [["ask", ""], ["ask", "   "], ["ask", HUGE], ["ask", "\x00\x1b[2J"], ["ask", "--json", "'; DROP TABLE projects; --"],
            ["remove", ""], ["remove", HUGE], ["remove", "财政局"], ["remove", "--year", "1900", "朝阳区应急管理局"],
            ["load", "--year", "-5", str(DOCS / "xicheng-minzheng-2023.txt")], ["list"], ["report"], ["schema"],
            ["test"], ["ask", "--db"], ["nonsense-command"], ["load"],
            ["sql", ""], ["sql", HUGE], ["sql", "SELECT * FROM read_csv('/etc/passwd')"], ["sql", "\x00"],
            ["sql", "--limit", "-1", "SELECT 1"], ["sql", "SELECT 1/0"], ["sql", "SELECT repeat('x', 10) FROM projects"],
            ["export", "--parquet", under], ["export", "--parquet", binary], ["export", "--parquet", ""],
            ["vocab", "--dept", ""], ["vocab", "--dept", HUGE], ["vocab", "nonsense"],
            ["ask", "--format", "csv", HUGE], ["ask", "--format", "markdown", "委托业务费多少"]]
    return out


ENVS = ["normal", "cache_unwritable", "data_unwritable", "both_unwritable"]


@pytest.mark.parametrize("env", ENVS)
def test_every_command_with_hostile_arguments(hostile, tmp_path, monkeypatch, env):
    monkeypatch.chdir(tmp_path)  # no sample_queries here
    cache = hostile["under_file"] if env in ("cache_unwritable", "both_unwritable") else tmp_path / "cache"
    data = hostile["blocker"] / "data" if env in ("data_unwritable", "both_unwritable") else tmp_path / "data"
    monkeypatch.setenv("BUDGETQA_CACHE", str(cache))
    monkeypatch.setenv("BUDGETQA_DATA", str(data))
    runner = CliRunner()
    for argv in argvs(hostile):
        r = runner.invoke(cli, argv, input="总支出多少\n\x00\xff\n" + HUGE[:1000] + "\n")
        shown = f"{env} {[a[:60] for a in argv]}: exit {r.exit_code} {r.output[-300:]!r} {r.exception!r}"
        assert r.exception is None or isinstance(r.exception, SystemExit), shown
        assert r.exit_code in (0, 1, 2), shown
        assert "Traceback" not in r.output, shown
        assert "内部错误" not in r.output, shown  # the last guard caught something no command foresaw


def test_ask_with_an_unwritable_cache_simply_answers(hostile, tmp_path):
    env = {**os.environ, "BUDGETQA_CACHE": str(hostile["under_file"]), "BUDGETQA_DATA": str(tmp_path / "data")}
    r = subprocess.run([sys.executable, "-m", "budgetqa.cli", "ask", "--json", "总支出多少"], capture_output=True,
                       text=True, timeout=120, env=env)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert json.loads(r.stdout)["value"] == 9751.38787


@pytest.mark.parametrize("argv", [["test"], ["test", str(ROOT / "README.md")], ["ask", ""], ["load", "/"]])
def test_one_line_chinese_message_and_exit_2(tmp_path, argv):
    env = {**os.environ, "BUDGETQA_CACHE": str(tmp_path / "cache"), "BUDGETQA_DATA": str(tmp_path / "data")}
    r = subprocess.run([sys.executable, "-m", "budgetqa.cli", *argv], capture_output=True, text=True, timeout=120,
                       env=env, cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""
    (line,) = r.stderr.strip().splitlines()
    assert line.startswith("错误：")


def test_a_real_ctrl_c_during_a_parallel_load(tmp_path):
    """SIGINT to the whole process group (what Ctrl-C does) while worker processes read many files."""
    import signal
    import time

    files = []
    for i in range(1500):
        f = tmp_path / f"x{i}.txt"
        f.write_bytes((DOCS / "xicheng-minzheng-2023.txt").read_bytes())
        files.append(str(f))
    env = {**os.environ, "BUDGETQA_CACHE": str(tmp_path / "cache"), "BUDGETQA_DATA": str(tmp_path / "data")}
    p = subprocess.Popen([sys.executable, "-m", "budgetqa.cli", "load", *files], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
    first = os.read(p.stderr.fileno(), 100).decode()  # the progress bar's label: reading has started
    time.sleep(0.05)  # (at once: on a busy machine most of the work can come before the label is shown)
    os.killpg(p.pid, signal.SIGINT)
    out, err = p.communicate(timeout=60)
    err = first + err
    assert p.returncode == 2 and "Traceback" not in err, err
    assert "已中断，数据库和资料库都未改动" in err and "已加载" not in out
    assert not (tmp_path / "data" / "library.json").exists()
