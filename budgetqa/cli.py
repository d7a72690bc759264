"""The command line: a click group (ask, chat, load, test, schema, report, tui).

Library errors become clean messages with exit status 2; no command prints a traceback.
`ask` and `chat` never import textual.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

EXIT_USAGE = 2


def db_option(f):
    @click.option("--db", "db", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  help="DuckDB database (default: the bundled budget, built in the cache directory on first use).")
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        return f(*args, **kwargs)

    return wrapper


def json_option(f):
    return click.option("--json", "as_json", is_flag=True, help="One JSON object per answer, on one line.")(f)


def fail(message: str) -> None:
    click.echo(f"错误：{message}", err=True)
    sys.exit(EXIT_USAGE)


def resolve_db(db: Path | None) -> Path:
    from budgetqa.ingest.document import DocumentError
    from budgetqa.store.connection import DatabaseError
    from budgetqa.store.default import ensure_default_db

    if db is not None:
        return db
    try:
        return ensure_default_db()
    except (DocumentError, DatabaseError, OSError) as e:
        fail(f"无法准备默认数据库：{e}")
    raise AssertionError  # unreachable


def open_engine(db: Path | None):
    from budgetqa.engine import Engine
    from budgetqa.store.connection import DatabaseError

    if db is None:
        from budgetqa.store.default import ensure_default_db

        try:
            return Engine(ensure_default_db(verify=False))
        except (DatabaseError, LookupError):
            pass  # a damaged cache file: rebuilt from the bundled document below
        try:
            return Engine(ensure_default_db(rebuild=True))
        except Exception as e:  # noqa: BLE001 - any failure here is reported, never a traceback
            fail(f"无法准备默认数据库：{e}")
    path = resolve_db(db)
    try:
        return Engine(path)
    except (DatabaseError, LookupError) as e:
        fail(str(e))


def show(answer, as_json: bool, sql: bool = False, explain: bool = False) -> None:
    if as_json:
        click.echo(json.dumps(answer.to_json(), ensure_ascii=False))
        return
    click.echo(answer.answer)
    if answer.candidates and answer.status != "ok":
        for i, c in enumerate(answer.candidates, 1):
            click.echo(f"  {i}. {c}")
    if explain:
        for link in answer.links:
            click.echo(f"  链接：{link.term} → {link.kind} {link.target}（{link.score:.0f}）")
        if answer.family:
            click.echo(f"  模板：{answer.family}  用时：{answer.elapsed_ms} ms")
    if (sql or explain) and answer.sql:
        click.echo("  SQL：" + answer.sql.replace("\n", "\n       "))


@click.group(invoke_without_command=True)
@click.version_option(package_name="budgetqa")
@click.pass_context
def cli(ctx):
    """budgetqa: ask questions in Chinese about a published department budget (部门预算公开).

    Example:

        budgetqa ask "应急指挥中心相关项目共多少钱"
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(tui)


@cli.command()
@db_option
@json_option
@click.option("--sql", "show_sql", is_flag=True, help="Print the SQL that produced the answer.")
@click.option("--explain", is_flag=True, help="Print the linked terms, the template and the SQL.")
@click.argument("question", nargs=-1, required=True)
def ask(db, as_json, show_sql, explain, question):
    """Answer one question.

    Example:

        budgetqa ask "应急指挥中心相关项目共多少钱"

        budgetqa ask --json --sql "风险评估经费多少元"
    """
    engine = open_engine(db)
    answer = engine.ask(" ".join(question))
    engine.close()
    show(answer, as_json, show_sql, explain)
    sys.exit(answer.exit_code)


@cli.command()
@db_option
@json_option
def chat(db, as_json):
    """A conversation: follow-up questions reuse the previous one ("那水费呢", "其中尾款多少").

    With input piped, one question per line and one answer per line.

    Example:

        printf '电费多少\\n水费呢\\n' | budgetqa chat --json
    """
    from budgetqa.engine import Context

    engine = open_engine(db)
    ctx = Context()
    interactive = sys.stdin.isatty()
    status = 0
    while True:
        try:
            line = input("问> ") if interactive else sys.stdin.readline()
        except (EOFError, KeyboardInterrupt):
            break
        if not interactive and line == "":
            break
        line = line.strip()
        if not line:
            continue
        if line in ("/new", "/reset", "新对话"):
            ctx.reset()
            continue
        if line in ("/quit", "/exit", "退出"):
            break
        answer = engine.ask(line, ctx)
        status = answer.exit_code
        show(answer, as_json)
    engine.close()
    sys.exit(status)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--db", "db", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Database to load into (default: the default database in the cache directory).")
@click.option("--year", type=int, default=None, help="Budget year, when the document does not say it.")
@click.option("--fresh", is_flag=True, help="Start an empty database instead of adding to the existing one.")
@click.option("--strict", is_flag=True, help="Refuse documents that do not reconcile.")
def load(files, db, year, fresh, strict):
    """Load one or many budget documents. Loading a document again replaces it.

    The database is built aside and swapped in: a failed or interrupted load leaves the previous
    database intact.

    Example:

        budgetqa load --db budgets.duckdb chaoyang-yingji-2024.txt

        budgetqa load --db budgets.duckdb putuo-wanli-street-2024-dept.pdf
    """
    from budgetqa.ingest.document import DocumentError, read_many
    from budgetqa.store.db import DatabaseError, build
    from budgetqa.store.default import default_db_path

    target = db or default_db_path()
    if db is None and not target.exists():
        resolve_db(None)  # the default database starts with the bundled budget; what is loaded is added to it
    docs = []
    problems = 0

    def read_all():
        for f, d in zip(files, read_many(files, year=year), strict=False):
            errors = d.errors
            if errors and strict:
                raise DocumentError(f"{f}: 未能对账（{len(errors)}处），--strict 下不加载：{errors[0].message}")
            docs.append(d)
            yield d

    try:
        if len(files) > 1:
            with click.progressbar(length=len(files), label="加载", file=sys.stderr) as bar:
                build(target, read_all(), fresh=fresh, progress=lambda d: bar.update(1))
        else:
            build(target, read_all(), fresh=fresh)
    except DocumentError as e:
        fail(f"{e}（数据库未改动）")
    except DatabaseError as e:
        fail(str(e))
    except OSError as e:
        fail(f"无法写入数据库 {target}：{e.strerror or e}（数据库未改动）")
    for d in docs:
        errs = d.errors
        problems += len(errs)
        status = '对账无误' if not errs else f'{len(errs)}处未对上'
        if d.pages:  # a PDF: its template, kind and pages
            click.echo(f"已加载 {d.dept_name} {d.year}年{d.doc_kind}（{d.doc_id}，{d.template}，{d.pages}页，"
                       f"{len(d.parsed.found)}张表）：{status}")
        else:
            click.echo(f"已加载 {d.dept_name} {d.year}（{d.doc_id}）：{len(d.parsed.tables.get('projects', []))}个项目行，"
                       f"{status}")
        for i in errs:
            if i.page or not i.table[:1].isdigit():
                click.echo(f"  ! {i.message}")
            else:
                click.echo(f"  ! 预算{i.table}表 第{i.line}行：{i.message}" if i.line else f"  ! {i.table}：{i.message}")
    click.echo(f"数据库：{target}")
    from budgetqa.warmup import warm

    warm(target)  # common question shapes built now, while the user waits for the load anyway


@cli.command()
@db_option
@click.option("--all", "show_all", is_flag=True, help="Also show notes (repairs and links the reader made).")
def report(db, show_all):
    """The load report: what did not reconcile or link, with source lines.

    Example:

        budgetqa report --all
    """
    from budgetqa.store.connection import DatabaseError, connect_read_only

    path = resolve_db(db)
    try:
        con = connect_read_only(path)
    except DatabaseError as e:
        fail(str(e))
    rows = con.execute("SELECT doc_id, severity, table_no, line, message, page FROM load_issues ORDER BY doc_id, "
                       "severity, page NULLS FIRST, table_no, line").fetchall()
    errors = [r for r in rows if r[1] == "error"]
    click.echo(f"{len(errors)}处未对账/未关联，{len(rows) - len(errors)}条说明")
    for r in rows:
        if r[1] == "error" or show_all:
            if r[5]:  # a PDF: the message names the page, the table and the row
                click.echo(f"[{r[0]}] {r[1]} {r[4]}")
            else:
                click.echo(f"[{r[0]}] {r[1]} {r[2]} 行{r[3] or '-'}：{r[4]}")


@cli.command()
def schema():
    """Print the catalogue: tables, columns and their Chinese names.

    Example:

        budgetqa schema
    """
    from budgetqa.store.schema import describe

    click.echo(describe())


@cli.command("test")
@db_option
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--verbose", "-v", is_flag=True, help="Print every failure.")
def test_questions(db, paths, verbose):
    """Run regression questions (YAML files) and print accuracy per family and every failure.

    Example:

        budgetqa test sample_queries/
    """
    from budgetqa.regression import run_files

    engine = open_engine(db)
    files = []
    for p in paths or [Path("sample_queries")]:
        files += sorted(p.glob("*.yaml")) if p.is_dir() else [p]
    if not files:
        fail("没有找到问题文件（*.yaml）")
    results = run_files(engine, files)
    total = passed = 0
    for family, rs in results.items():
        ok_n = sum(1 for r in rs if r.passed)
        total += len(rs)
        passed += ok_n
        click.echo(f"{family:<20} {ok_n}/{len(rs)}")
        for r in rs:
            if not r.passed and (verbose or True):
                click.echo(f"  FAIL {r.case_id} {r.question}: {r.why}")
    click.echo(f"{passed} passed, {total - passed} failed")
    sys.exit(0 if passed == total else 1)


@cli.command()
@db_option
def tui(db):
    """Open the interactive terminal UI.

    Example:

        budgetqa tui
    """
    import importlib.util

    if importlib.util.find_spec("textual") is None:
        fail("终端界面需要 textual：pip install 'budgetqa[tui]'")
    if importlib.util.find_spec("budgetqa.tui.app") is None:
        fail("终端界面还没有做好；请先用 budgetqa ask 或 budgetqa chat")
    from budgetqa.tui.app import run_app

    run_app(resolve_db(db))


def main() -> None:
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
