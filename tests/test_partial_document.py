"""A document that is only part of a budget says so: at load, in the database, and to whoever asks."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from budgetqa.cli import cli
from budgetqa.ingest.document import read_document
from budgetqa.lexicon_files import bundled_document
from budgetqa.store.connection import connect_read_only
from budgetqa.store.coverage import lacking, missing_sections
from budgetqa.store.db import build

FULL = bundled_document().read_bytes()


@pytest.fixture(scope="module")
def truncated(tmp_path_factory):
    d = tmp_path_factory.mktemp("partial")
    cut = d / "chaoyang-first-40k.txt"
    cut.write_bytes(FULL[:40 * 1024])  # cut inside a character, as `head -c 40K` does
    return cut


def test_truncated_file_names_what_it_lacks_at_load(truncated, tmp_path):
    db = tmp_path / "t.duckdb"
    r = CliRunner().invoke(cli, ["load", "--db", str(db), str(truncated)])
    assert r.exit_code == 0, r.output
    assert "已加载 北京市朝阳区应急管理局 2024（105-2024）：68个项目行" in r.stdout
    assert "  ! 项目表（负责人）不完整：只有23个项目有负责人（共64个项目），表可能被截断" in r.stdout
    assert "  ! 项目支出绩效表缺失：文件里没有这张表（可能被截断）" in r.stdout
    assert "预算owners表" not in r.stdout  # the cut-off owner row is named by its table's title
    r = CliRunner().invoke(cli, ["list", "--db", str(db), "--json"])
    (doc,) = json.loads(r.stdout)
    assert doc["missing"] == ["项目表（负责人）（不完整）", "项目支出绩效表（缺失）"]
    r = CliRunner().invoke(cli, ["report", "--db", str(db)])
    assert "2处缺表" in r.stdout and "[105-2024] 项目支出绩效表缺失" in r.stdout


def test_missing_sections_are_in_the_database(truncated, tmp_path):
    db = tmp_path / "t.duckdb"
    build(db, [read_document(truncated)], fresh=True)
    con = connect_read_only(db)
    gaps = missing_sections(con, "105-2024")
    assert [(m.section, m.state) for m in gaps] == [("owners", "不完整"), ("perf", "缺失")]
    (owners,) = lacking(con, "105-2024", ["projects.owner"])
    assert owners.title == "项目表（负责人）" and "只有23个项目有负责人" in owners.sentence()
    (perf,) = lacking(con, "105-2024", ["perf_indicators"])
    assert perf.sentence() == "这份预算没有列出项目的绩效目标和绩效指标（文件里没有项目支出绩效表）。"
    assert perf.sentence("北京市朝阳区应急管理局").startswith("北京市朝阳区应急管理局的预算没有列出")
    assert lacking(con, "105-2024", ["sangong", "projects.amount"]) == []
    con.close()


def test_a_whole_document_lacks_nothing(db_path):
    con = connect_read_only(db_path)
    assert missing_sections(con, "105-2024") == []
    con.close()


def test_a_section_with_a_title_and_no_rows_is_empty(tmp_path):
    text = FULL.decode("utf-8")
    start = text.index("年度项目支出绩效表")
    f = tmp_path / "no-perf-rows.txt"
    f.write_text(text[:text.index("\n", start) + 1], encoding="utf-8")
    doc = read_document(f)
    assert [(m["section"], m["state"]) for m in doc.parsed.tables["missing_sections"]] == [("perf", "为空")]
