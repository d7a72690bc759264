"""The command line's faces: Chinese help with examples, usage errors in one line, ask --format, the user's own
read-only SQL, Parquet export and the vocabulary listing."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal as D

import duckdb
import pytest
from click.testing import CliRunner

from budgetqa.cli import cli
from budgetqa.usersql import RefusedSQL, check_user_sql


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input, prog_name="budgetqa")


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_chinese_help_with_examples(command):
    r = run(command, "--help")
    assert r.exit_code == 0
    assert r.stdout.startswith(f"用法：budgetqa {command}")
    assert "示例：" in r.stdout and f"budgetqa {command}" in r.stdout.split("示例：")[1]
    assert "\n选项：\n" in r.stdout and "显示本帮助并退出。" in r.stdout
    assert "Show this message" not in r.stdout


def test_group_help_lists_commands_in_chinese():
    r = run("--help")
    assert r.exit_code == 0 and "示例：" in r.stdout and "\n命令：\n" in r.stdout
    assert "  sql     对已加载的表执行自己写的一条只读 SELECT 查询" in r.stdout


@pytest.mark.parametrize(("argv", "message"), [
    (["ask"], "错误：缺少参数 QUESTION...（budgetqa ask --help 查看用法）"),
    (["ask", "--bogus", "x"], "错误：没有这个选项：--bogus（budgetqa ask --help 查看用法）"),
    (["nope"], "错误：没有这个命令：nope（budgetqa --help 查看用法）"),
    (["--bogus"], "错误：没有这个选项：--bogus（budgetqa --help 查看用法）"),
    (["ask", ""], "错误：问题是空的。用法：budgetqa ask \"总支出多少\""),
    (["ask", "  "], "错误：问题是空的。用法：budgetqa ask \"总支出多少\""),
])
def test_usage_errors_are_one_chinese_line_and_exit_2(argv, message):
    r = run(*argv)
    assert r.exit_code == 2
    assert r.stderr.strip() == message and r.stdout == ""


def test_ask_formats(db_path):
    r = run("ask", "--db", db_path, "--format", "csv", "预算最多的3个项目")
    assert r.exit_code == 0
    rows = list(csv.reader(io.StringIO(r.stdout)))
    assert rows[0] == ["项目名称", "金额（万元）"] and len(rows) == 4
    assert all(D(x[1]) > 0 for x in rows[1:])
    r = run("ask", "--db", db_path, "--format", "csv", "总支出多少")
    assert "9751.38787" in r.stdout
    r = run("ask", "--db", db_path, "--format", "markdown", "姚遥负责的项目一共多少钱")
    lines = r.stdout.splitlines()
    assert "321.48832万元" in lines[0]
    assert any(x.startswith("| ") and "---" in x for x in lines) and "```sql" in lines
    r = run("ask", "--db", db_path, "--format", "json", "姚遥负责的项目一共多少钱")
    assert json.loads(r.stdout)["value"] == 321.48832
    r = run("ask", "--db", db_path, "--json", "姚遥负责的项目一共多少钱")  # the old flag keeps working
    assert json.loads(r.stdout)["value"] == 321.48832


def test_user_sql_prints_a_table(db_path):
    r = run("sql", "--db", db_path, "SELECT COUNT(*) AS n, SUM(amount) AS total FROM projects")
    assert r.exit_code == 0, r.output
    header, ruler, row, count = r.stdout.splitlines()
    assert header.split() == ["n", "total"] and row.split() == ["68", "4497.56482"] and count == "（1行）"
    r = run("sql", "--db", db_path, "--format", "json", "SELECT item, amount FROM sangong WHERE year = 2023 AND item = '公务接待费'")
    assert json.loads(r.stdout) == [{"item": "公务接待费", "amount": 0.9025}]
    r = run("sql", "--db", db_path, "--limit", "2", "SELECT name FROM projects ORDER BY line_no")
    assert r.stdout.splitlines()[-1] == "（2行，只显示前2行，用 --limit 调整）"


@pytest.mark.parametrize(("statement", "why"), [
    ("DELETE FROM projects", "只能执行一条 SELECT 查询（这是 Delete）"),
    ("SELECT 1; DROP TABLE projects", "只能执行一条 SELECT 查询（这里有2条）"),
    ("SELECT * FROM read_csv('/etc/passwd')", "不能读取文件"),
    ("SELECT * FROM '/etc/passwd'", "没有表 /etc/passwd"),
    ("SELECT * FROM information_schema.tables", "只能查询已加载的表"),
    ("SELECT getenv('HOME')", "不支持函数 getenv()"),
    ("SELECT * FROM duckdb_settings()", "不支持函数 duckdb_settings()"),
    ("COPY projects TO '/tmp/budgetqa-leak.csv'", "这是 Copy"),
    ("ATTACH '/tmp/evil.duckdb'", "这是 Attach"),
    ("SELECT * INTO evil FROM projects", "不能执行 Into"),
    ("SET enable_external_access = true", "这是 Set"),
    ("SELECT * FROM meta", "没有表 meta"),
    ("", "SQL 是空的"),
    ("SELEC name FROM", "SQL"),
])
def test_user_sql_refuses_anything_but_one_select_over_known_tables(db_path, statement, why):
    with pytest.raises(RefusedSQL, match=why.replace("(", r"\(").replace(")", r"\)")):
        check_user_sql(statement)
    r = run("sql", "--db", db_path, statement)
    assert r.exit_code == 2 and r.stderr.startswith("错误：") and "Traceback" not in r.output


def test_user_sql_errors_from_duckdb_are_one_line(db_path):
    r = run("sql", "--db", db_path, "SELECT nope FROM projects")
    assert r.exit_code == 2 and r.stderr.startswith("错误：查询出错：Binder Error")
    assert len(r.stderr.strip().splitlines()) == 1


def test_export_parquet_writes_every_table(db_path, tmp_path):
    out = tmp_path / "pq"
    r = run("export", "--db", db_path, "--parquet", out)
    assert r.exit_code == 0, r.output
    from budgetqa.store.schema import CATALOGUE

    assert sorted(p.stem for p in out.glob("*.parquet")) == sorted(CATALOGUE)
    con = duckdb.connect()
    n, total = con.execute(f"SELECT COUNT(*), SUM(amount) FROM read_parquet('{out / 'projects.parquet'}')").fetchone()
    assert (n, total) == (68, D("4497.564820"))
    assert f"已导出{len(CATALOGUE)}张表" in r.stdout
    blocked = tmp_path / "a-file"
    blocked.write_text("x", encoding="utf-8")
    r = run("export", "--db", db_path, "--parquet", blocked / "sub")
    assert r.exit_code == 2 and "无法创建目录" in r.stderr


def test_vocab_lists_what_can_be_asked_about(db_path):
    r = run("vocab", "--db", db_path)
    assert r.exit_code == 0
    assert r.stdout.splitlines()[0] == "北京市朝阳区应急管理局（2024年，105-2024）"
    assert "  负责人：" in r.stdout and "（budgetqa vocab people）" in r.stdout
    r = run("vocab", "--db", db_path, "people")
    assert "姚遥" in r.stdout
    r = run("vocab", "--db", db_path, "--json", "projects")
    projects = json.loads(r.stdout)["projects"]
    assert {"项目": "风险评估经费", "金额": "167万元", "负责人": projects[[p["项目"] for p in projects].index("风险评估经费")]["负责人"]} in projects
    r = run("vocab", "--db", db_path, "places")
    assert r.exit_code == 2 and "的值不对" in r.stderr
