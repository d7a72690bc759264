"""The resident answerer (budgetqa/server.py) and its client (budgetqa/resident.py): what a user sees through it is
byte for byte what `budgetqa ask` prints in a process of its own, from the database as it is now."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetqa import resident
from budgetqa.cli import cli

ROOT = Path(__file__).resolve().parent.parent
LAUNCH = "import sys; sys.argv = ['budgetqa'] + sys.argv[1:]; from budgetqa.launch import main; main()"


@pytest.fixture
def place(tmp_path, monkeypatch):
    """A private runtime directory, cache and library: this test's answerers reach no one else's."""
    run = Path(tempfile.mkdtemp(prefix="bq-", dir="/tmp" if os.path.isdir("/tmp") else None))  # (a socket's path is short)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    monkeypatch.setenv("BUDGETQA_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("BUDGETQA_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("BUDGETQA_SERVER", "1")
    yield tmp_path
    resident.stop()
    shutil.rmtree(run, ignore_errors=True)


def same_code() -> dict:
    """The environment, with this test's copy of budgetqa first on the path whatever the directory (an answerer
    serves one copy of the code: a process that imported an installed copy would look for another one)."""
    import budgetqa

    root = str(Path(budgetqa.__file__).resolve().parent.parent)
    return {**os.environ, "PYTHONPATH": os.pathsep.join([root, *filter(None, [os.environ.get("PYTHONPATH")])])}


def start_server(timeout: float = 60) -> subprocess.Popen:
    path = resident.address()
    p = subprocess.Popen([sys.executable, "-m", "budgetqa.server", path], env=same_code(),
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if resident.status() is not None:
            return p
        assert p.poll() is None, p.stderr.read()
        time.sleep(0.05)
    raise AssertionError("no answerer came up")


def run(*argv: str, server: bool, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**same_code(), "BUDGETQA_SERVER": "1" if server else "0"}
    return subprocess.run([sys.executable, "-c", LAUNCH, *argv], capture_output=True, text=True, timeout=120, env=env,
                          cwd=cwd)


def answered() -> int:
    return resident.status()["answered"]


COMMAND_LINES = [
    ["ask", "水费多少"],
    ["ask", "--json", "姚遥负责的项目一共多少钱"],
    ["ask", "--sql", "-q", "水费", "多少"],
    ["ask", "--explain", "水费多少"],
    ["ask", "火星基地预算多少"],  # not in the document: refused, exit 1
    ["ask", "--", "-5万元以下的项目"],
]


def test_answers_through_the_answerer_are_the_answers_of_a_process_of_its_own(place, db_path):
    start_server()
    for argv in COMMAND_LINES:
        argv = [argv[0], "--db", str(db_path), *argv[1:]]
        here, there = run(*argv, server=False), run(*argv, server=True)
        took = re.compile(r"用时：[\d.]+ ms|\"elapsed_ms\": [\d.]+")  # (how long it took is all that differs)
        assert (took.sub("", there.stdout), there.stderr, there.returncode) == (took.sub("", here.stdout), here.stderr,
                                                                               here.returncode), argv
        assert here.stdout.strip()
    assert answered() == len(COMMAND_LINES)  # every one of them went through it
    assert run("ask", "火星基地预算多少", "--db", str(db_path), server=True).returncode == 1


def test_errors_come_back_as_the_command_says_them(place, db_path, tmp_path):
    start_server()
    missing = run("ask", "--db", str(tmp_path / "nowhere.duckdb"), "总支出多少", server=True)
    assert missing.returncode == 2 and "数据库不存在" in missing.stderr and "Traceback" not in missing.stderr
    not_a_db = tmp_path / "notes.duckdb"
    not_a_db.write_text("这不是数据库", encoding="utf-8")
    bad = run("ask", "--db", str(not_a_db), "总支出多少", server=True)
    assert bad.returncode == 2 and bad.stderr.startswith("错误：") and "Traceback" not in bad.stderr
    assert answered() == 2
    ok = run("ask", "--db", str(db_path), "-q", "水费多少", server=True)  # and it still answers
    assert ok.returncode == 0 and "3.12345" in ok.stdout


def test_a_relative_db_is_the_callers(place, db_path, tmp_path):
    start_server()
    here = tmp_path / "work"
    here.mkdir()
    shutil.copy(db_path, here / "mine.duckdb")
    r = run("ask", "--db", "mine.duckdb", "-q", "水费多少", server=True, cwd=here)
    assert r.returncode == 0 and "3.12345" in r.stdout and answered() == 1


def test_a_database_replaced_by_a_load_is_read_again(place, db_path, tmp_path):
    """A load writes a new file and renames it into place: the next question reads the new one (the open
    read-only connection never blocked the load)."""
    start_server()
    db = tmp_path / "mine.duckdb"
    shutil.copy(db_path, db)
    before = run("ask", "--db", str(db), "-q", "海淀区民政局的项目支出是多少", server=True)
    r = CliRunner().invoke(cli, ["load", "--db", str(db), str(ROOT / "tests/fixtures/docs/haidian-minzheng-2023.txt")])
    assert r.exit_code == 0, r.output
    after = run("ask", "--db", str(db), "-q", "海淀区民政局的项目支出是多少", server=True)
    alone = run("ask", "--db", str(db), "-q", "海淀区民政局的项目支出是多少", server=False)
    assert after.stdout == alone.stdout and "海淀" in after.stdout and after.returncode == 0
    assert before.stdout != after.stdout and answered() == 2


def test_the_default_database_follows_the_library(place):
    """`budgetqa load` without --db changes the default database: the answerer's next question is on it."""
    assert run("ask", "-q", "总支出多少", server=False).returncode == 0  # builds the default database
    start_server()
    r = CliRunner().invoke(cli, ["load", str(ROOT / "tests/fixtures/docs/xicheng-minzheng-2023.txt")])
    assert r.exit_code == 0, r.output
    there = run("ask", "-q", "西城区民政局的基本支出是多少", server=True)
    here = run("ask", "-q", "西城区民政局的基本支出是多少", server=False)
    assert (there.stdout, there.returncode) == (here.stdout, here.returncode) and "西城" in there.stdout
    assert answered() == 1


def test_the_first_ask_answers_itself_and_starts_one_for_the_next(place, db_path):
    first = run("ask", "--db", str(db_path), "-q", "水费多少", server=True)
    assert first.returncode == 0 and "3.12345" in first.stdout
    deadline = time.monotonic() + 60
    while resident.status() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert resident.status() is not None and answered() == 0
    second = run("ask", "--db", str(db_path), "-q", "水费多少", server=True)
    assert second.stdout == first.stdout and answered() == 1


def test_off_means_off(place, db_path):
    start_server()
    r = run("ask", "--db", str(db_path), "-q", "水费多少", server=False)
    assert r.returncode == 0 and answered() == 0


def test_stop_status_and_a_second_answerer(place):
    p = start_server()
    path = resident.address()
    again = subprocess.run([sys.executable, "-m", "budgetqa.server", path], env=same_code(), timeout=60)
    assert again.returncode == 0 and resident.status()["pid"] == p.pid  # the second saw the first and ended
    s = CliRunner().invoke(cli, ["server", "status", "--json"])
    assert s.exit_code == 0 and json.loads(s.output)["pid"] == p.pid
    t = CliRunner().invoke(cli, ["server", "stop"])
    assert t.exit_code == 0 and str(p.pid) in t.output
    p.wait(timeout=30)
    assert not os.path.exists(path)
    s = CliRunner().invoke(cli, ["server", "status"])
    assert s.exit_code == 1 and "没有常驻答题进程" in s.output


def test_idle_answerer_ends_itself(place, monkeypatch):
    monkeypatch.setenv("BUDGETQA_SERVER_IDLE", "1")
    p = start_server()
    assert p.wait(timeout=30) == 0 and not os.path.exists(resident.address())


def test_garbage_is_no_request_and_breaks_nothing(place, db_path):
    start_server()
    for junk in (b"not json\n", b'{"protocol": 99, "op": "ask"}\n', b'{"protocol": 1, "op": "rm"}\n',
                 b'{"protocol": 1, "op": "ask", "argv": ["load", "x.pdf"], "cwd": "/"}\n',
                 b'{"protocol": 1, "op": "ask", "argv": "ask x", "cwd": "/"}\n', b"\xff\xfe\n", b""):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(resident.address())
        s.sendall(junk)
        s.shutdown(socket.SHUT_WR)
        reply = s.recv(65536)
        s.close()
        assert b'"code"' not in reply  # nothing but a plain ask is ever answered
    r = run("ask", "--db", str(db_path), "-q", "水费多少", server=True)
    assert r.returncode == 0 and "3.12345" in r.stdout


def test_a_directory_others_can_enter_is_never_used(place, tmp_path):
    run_dir = Path(os.environ["XDG_RUNTIME_DIR"]) / f"budgetqa-{os.getuid()}"
    run_dir.mkdir(mode=0o700, exist_ok=True)
    assert resident.address() is not None
    run_dir.chmod(0o755)
    assert resident.address() is None and resident.ask(["ask", "总支出多少"]) is None


def test_a_socket_nobody_serves_is_answered_here(place, db_path):
    path = resident.address()
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)  # bound, never listening: what a killed answerer leaves
    s.close()
    t = time.monotonic()
    assert resident.ask(["ask", "--db", str(db_path), "水费多少"]) is None and time.monotonic() - t < 1


def test_the_key_changes_with_the_code_and_the_data_place(place, monkeypatch, tmp_path):
    k = resident.key()
    monkeypatch.setenv("BUDGETQA_SERVER_IDLE", "5")
    assert resident.key() == k  # the answerer's own settings change no answer
    monkeypatch.setenv("BUDGETQA_DATA", str(tmp_path / "other"))
    assert resident.key() != k
    monkeypatch.setattr(resident, "code_stamp", lambda: "an edited engine")
    monkeypatch.delenv("BUDGETQA_DATA")
    assert resident.key() != k


def test_the_client_imports_nothing_heavy(place, db_path):
    """Through the answerer, `budgetqa ask` imports neither DuckDB nor the engine nor click: that is its start."""
    start_server()
    env = {**same_code(), "BUDGETQA_SERVER": "1"}
    r = subprocess.run([sys.executable, "-X", "importtime", "-c", LAUNCH, "ask", "--db", str(db_path), "--json", "水费多少"],
                       capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode == 0 and json.loads(r.stdout)["value"] == 3.12345 and answered() == 1
    imported = {ln.rsplit("|", 1)[-1].strip() for ln in r.stderr.splitlines() if ln.startswith("import time:")}
    assert "budgetqa.resident" in imported
    assert not imported & {"_duckdb", "duckdb", "budgetqa.engine", "budgetqa.oneshot", "click", "textual", "jieba", "dataclasses"}
