"""Hostile questions, damaged documents, SQL smuggling, concurrent use: nothing crashes, nothing is lost."""

from __future__ import annotations

import random
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlglot import exp

from budgetqa.answer import STATUSES, format_decimal, json_number
from budgetqa.engine import MAX_QUESTION, Context
from budgetqa.ingest.document import DocumentError, read_document
from budgetqa.ingest.text import AmountError, parse_amount
from budgetqa.lexicon_files import bundled_document
from budgetqa.sqlbuild import Cond, Query, UnsafeQuery, checked_sql
from budgetqa.store.db import build, connect_read_only

TEXT = bundled_document().read_text(encoding="utf-8")
SLOTS = ["{}多少钱", "{}负责哪些项目", "{}相关项目一共多少钱", "低于{}万元的项目", "{}的联系电话", "{}科目预算多少",
         "2023年{}是多少", "{}占总支出的比重"]
NASTY = ["'; DROP TABLE projects; --", "\" OR 1=1 --", "read_csv('/etc/passwd')", "COPY projects TO '/tmp/x.csv'",
         "ATTACH '/tmp/evil.db'", "INSTALL httpfs", "; SELECT 1;", "$(rm -rf /)", "`id`", "%s%s%n", "{0.__class__}",
         "\x00\x1b[2J", "' UNION SELECT * FROM documents --", "Robert'); DROP TABLE sangong;--", "../../etc/shadow"]


def well_formed(a) -> None:
    assert a.status in STATUSES and a.status != "error", a.answer
    assert isinstance(a.answer, str) and a.answer
    out = a.to_json()
    assert out["status"] == a.status


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=80))
def test_any_text_gets_a_well_formed_answer(engine, text):
    well_formed(engine.ask(text))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(SLOTS), st.one_of(st.sampled_from(NASTY), st.text(alphabet=st.characters(codec="utf-8"), max_size=30)))
def test_hostile_fragments_in_every_slot(engine, slot, fragment):
    a = engine.ask(slot.format(fragment))
    well_formed(a)
    if a.sql:
        for statement in a.sql.split(";\n"):
            assert statement.startswith("SELECT")


@pytest.mark.parametrize("fragment", NASTY)
def test_smuggled_sql_ends_as_data_or_refusal(engine, fragment):
    for slot in SLOTS:
        well_formed(engine.ask(slot.format(fragment)))
    assert engine.ask("项目支出多少").value == D("4497.56482")  # the data is all still there


def test_overlong_questions_are_refused_at_once(engine):
    for n in (MAX_QUESTION + 1, 100_000):
        a = engine.ask("总支出" * (n // 3 + 1))
        assert a.status == "unsupported" and "太长" in a.answer  # how fast: benchmarks/bench.py overlong_refusal_ms


def test_conversation_survives_hostile_turns(engine):
    ctx = Context()
    engine.ask("电费多少", ctx)
    for q in NASTY:
        engine.ask(q, ctx)
    assert engine.ask("水费呢", ctx).value == D("3.12345")


# -- SQL safety -----------------------------------------------------------------------------------------

def test_only_select_over_known_tables_passes_the_check():
    with pytest.raises(UnsafeQuery):
        checked_sql(exp.insert("VALUES (1)", "projects"))
    with pytest.raises(UnsafeQuery):
        checked_sql(exp.select("*").from_("duckdb_settings"))
    with pytest.raises(UnsafeQuery):
        checked_sql(exp.select(exp.column("password")).from_("projects"))
    with pytest.raises(UnsafeQuery):
        Query("projects", measure="amount", where=[Cond("nope", "eq", "x")]).sql()


def test_values_become_parameters_never_sql_text():
    hostile = "x'); COPY projects TO '/tmp/p.csv'; --"
    query = Query("projects", measure="amount", where=[Cond("name", "eq", hostile), Cond("func_code", "contains", "1%_")])
    sql, params = query.statement()
    assert sql == ("SELECT SUM(amount) AS value FROM projects WHERE (doc_id = $p0 AND name = $p1) "
                   "AND func_code LIKE $p2 ESCAPE '\\'")
    assert params == {"p0": "", "p1": hostile, "p2": "%1\\%\\_%"}
    shown = query.sql()  # what the user reads: the values written in, quoted
    assert shown.count("SELECT") == 1 and "'x''); COPY" in shown


def test_like_wildcards_in_a_name_match_only_themselves(db_path):
    con = connect_read_only(db_path)
    sql, params = Query("projects", agg="count", where=[Cond("name", "contains", "_")]).statement()
    assert con.execute(sql, params).fetchone()[0] == 0
    sql, params = Query("projects", agg="count", where=[Cond("name", "contains", "%")]).statement()
    assert con.execute(sql, params).fetchone()[0] == 0


@pytest.mark.parametrize("statement", [
    "SELECT * FROM read_csv('/etc/passwd')",
    "COPY projects TO '/tmp/budgetqa-leak.csv'",
    "ATTACH '/tmp/budgetqa-evil.duckdb' AS evil",
    "INSTALL httpfs",
    "LOAD httpfs",
    "DELETE FROM projects",
    "CREATE TABLE x (a INT)",
    "SET enable_external_access = true",
])
def test_question_connection_cannot_touch_files_or_write(db_path, statement):
    con = connect_read_only(db_path)
    with pytest.raises(duckdb.Error):
        con.execute(statement)
    assert con.execute("SELECT COUNT(*) FROM projects").fetchone()[0] == 68
    assert not Path("/tmp/budgetqa-leak.csv").exists()


# -- damaged documents ---------------------------------------------------------------------------------

def mutate(rng: random.Random) -> tuple[str, bytes]:
    lines = TEXT.split("\n")
    kind = rng.choice(["drop", "duplicate", "shuffle", "truncate", "garble", "cells", "encoding"])
    if kind == "drop":
        for _ in range(rng.randint(1, 20)):
            del lines[rng.randrange(len(lines))]
    elif kind == "duplicate":
        for _ in range(rng.randint(1, 20)):
            j = rng.randrange(len(lines))
            lines.insert(j, lines[j])
    elif kind == "shuffle":
        a = rng.randrange(len(lines) - 30)
        seg = lines[a:a + 30]
        rng.shuffle(seg)
        lines[a:a + 30] = seg
    elif kind == "truncate":
        lines = lines[:rng.randrange(len(lines))]
    elif kind == "garble":
        for _ in range(rng.randint(1, 10)):
            j = rng.randrange(len(lines))
            lines[j] = "".join(c if rng.random() > 0.1 else rng.choice("0123456789x.,-") for c in lines[j])
    elif kind == "cells":
        for _ in range(rng.randint(1, 10)):
            j = rng.randrange(len(lines))
            cells = lines[j].split("\t")
            rng.shuffle(cells)
            lines[j] = "\t".join(cells)
    text = "\n".join(lines)
    if kind == "encoding":
        return kind, text.encode(rng.choice(["gb18030", "utf-16", "utf-16-le"]))
    return kind, text.encode("utf-8")


MUTATIONS = 120


def test_mutated_documents_load_with_a_report_or_are_refused(tmp_path):
    rng = random.Random(20241125)
    db = tmp_path / "m.duckdb"
    build(db, [read_document(bundled_document())], fresh=True)
    outcomes = {"loaded": 0, "reported": 0, "refused": 0}
    for i in range(MUTATIONS):
        kind, data = mutate(rng)
        try:
            doc = read_document(f"mutant-{i}-{kind}.txt", data=data)
        except DocumentError as e:
            assert f"mutant-{i}-{kind}.txt" in str(e)
            outcomes["refused"] += 1
            continue
        outcomes["reported" if doc.errors else "loaded"] += 1
        if i % 10 == 0:  # some of them all the way into a database
            build(tmp_path / f"m{i}.duckdb", [doc], fresh=True)
    assert sum(outcomes.values()) == MUTATIONS
    assert outcomes["refused"] and outcomes["reported"]
    assert connect_read_only(db).execute("SELECT COUNT(*) FROM projects").fetchone()[0] == 68


# -- concurrency and faults -------------------------------------------------------------------------------

ASKER = """
import sys
from budgetqa.engine import Engine
from budgetqa.store.db import DatabaseError
from decimal import Decimal
bad = asked = 0
for i in range(15):
    try:
        e = Engine(sys.argv[1])
    except DatabaseError as err:
        print("RETRY", err); continue
    a = e.ask("项目支出多少")
    e.close()
    asked += 1
    if a.status != "ok" or a.value != Decimal("4497.56482"):
        bad += 1
        print("BAD", a.status, a.answer)
print("DONE", bad, "ASKED", asked)
"""
ANSWERED_AT_LEAST = 5  # of 15 tries per asker: a run where (almost) every open failed has tested nothing

LOADER = """
import sys
from budgetqa.ingest.document import read_document
from budgetqa.lexicon_files import bundled_document
from budgetqa.store.db import build
doc = read_document(bundled_document())
for i in range(6):
    build(sys.argv[1], [doc], fresh=(i % 2 == 0))
print("LOADED")
"""


def test_questions_while_loading_see_a_whole_database(tmp_path):
    db = tmp_path / "c.duckdb"
    build(db, [read_document(bundled_document())], fresh=True)
    loader = subprocess.Popen([sys.executable, "-c", LOADER, str(db)], stdout=subprocess.PIPE, text=True)
    askers = [subprocess.Popen([sys.executable, "-c", ASKER, str(db)], stdout=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [p.communicate(timeout=120)[0] for p in askers]
    assert "LOADED" in loader.communicate(timeout=120)[0]
    for out in outs:
        assert "DONE 0 ASKED" in out, out
        assert "Traceback" not in out
        asked = int(out.rsplit("ASKED", 1)[1])
        assert asked >= ANSWERED_AT_LEAST, out


KILLED_LOADER = """
import sys, time
from budgetqa.ingest.document import read_document
from budgetqa.lexicon_files import bundled_document
from budgetqa.store.db import build
doc = read_document(bundled_document())
def docs():
    yield doc
    print("HALFWAY", flush=True)
    time.sleep(60)
build(sys.argv[1], docs())
"""


def test_a_load_killed_midway_leaves_the_previous_database(tmp_path):
    db = tmp_path / "k.duckdb"
    build(db, [read_document(bundled_document())], fresh=True)
    before = db.read_bytes()
    p = subprocess.Popen([sys.executable, "-c", KILLED_LOADER, str(db)], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "HALFWAY"
    p.kill()
    p.wait(timeout=30)
    assert db.read_bytes() == before
    assert connect_read_only(db).execute("SELECT SUM(amount) FROM projects").fetchone()[0] == D("4497.564820")


def test_corrupted_default_database_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("BUDGETQA_CACHE", str(tmp_path))
    from budgetqa.store.default import ensure_default_db

    path = ensure_default_db()
    path.write_bytes(b"\x00garbage" * 1000)
    rebuilt = ensure_default_db()
    assert connect_read_only(rebuilt).execute("SELECT COUNT(*) FROM projects").fetchone()[0] == 68


# -- exact numbers ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("cell,text", [  # cells as the bundled budget prints them, and the exact value read
    ("9,751.387870", "9751.387870"),  # chaoyang-yingji-2024.txt l.40
    ("<b>4,497.564820</b>", "4497.564820"),  # l.98
    ("0.045125", "0.045125"),
    ("0.000000", "0.000000"),  # l.422 因公出国（境）费用
    ("1,234,567.000001", "1234567.000001"),
    ("-12.5", "-12.5"),
    (" 65.475140 ", "65.475140"),  # l.78, with the extraction's spaces
])
def test_amount_cells_are_read_exactly(cell, text):
    v = parse_amount(cell)
    assert isinstance(v, D) and str(v) == text  # the digits as printed: no float on the way


@pytest.mark.parametrize("cell", ["", "-", "—", "--", "<b></b>"])
def test_empty_amount_cells_are_none(cell):
    assert parse_amount(cell) is None


@pytest.mark.parametrize("cell", ["9,75.1", "1.2.3", "12x", "1,2345", "1e5", "NaN", "六十"])
def test_malformed_amount_cells_are_refused(cell):
    with pytest.raises(AmountError):
        parse_amount(cell)


@pytest.mark.parametrize("value,shown,json", [
    ("9751.387870", "9751.38787", 9751.38787),
    ("60.000000", "60", 60),
    ("0.000000", "0", 0),
    ("-0.00", "0", 0),
    ("1E+6", "1000000", 1000000),
    ("1E-7", "0.0000001", 1e-07),
    ("0.045125", "0.045125", 0.045125),
    ("12345678901.123456", "12345678901.123456", 12345678901.123456),
])
def test_figures_are_shown_and_sent_exactly(value, shown, json):
    assert format_decimal(D(value)) == shown
    out = json_number(D(value))
    assert out == json and type(out) is type(json)  # whole numbers stay ints


@given(st.decimals(min_value=D("-99999999"), max_value=D("99999999"), places=6, allow_nan=False))
def test_a_printed_amount_reads_back_to_itself(v):
    assert parse_amount(f"{v:,.6f}") == v  # as a budget table prints it, thousands separators and all
    shown = format_decimal(v)
    assert "E" not in shown and D(shown) == v


def test_questions_use_the_duckdb_core_with_the_packages_errors(db_path):
    """The question path imports DuckDB's core only; its errors are the very classes `duckdb` exports."""
    from budgetqa.store import connection

    assert connection.Error is duckdb.Error
    con = connection.connect_read_only(db_path)
    with pytest.raises(duckdb.Error):
        con.execute("COPY projects TO '/tmp/budgetqa-leak.csv'")
    assert con.execute("SELECT COUNT(*) FROM projects").fetchone()[0] == 68
