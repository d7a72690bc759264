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
    from budgetqa.store.library import LibraryError

    if db is not None:
        return db
    try:
        return ensure_default_db(warn=warn)
    except (DocumentError, DatabaseError, LibraryError, OSError) as e:
        fail(f"无法准备默认数据库：{e}")
    raise AssertionError  # unreachable


def open_engine(db: Path | None):
    from budgetqa.engine import Engine
    from budgetqa.store.connection import DatabaseError

    if db is None:
        from budgetqa.store.default import ensure_default_db

        try:
            return Engine(ensure_default_db(verify=False, warn=warn))
        except (DatabaseError, LookupError):
            pass  # a damaged cache file: rebuilt from the bundled document and the library below
        except Exception as e:  # noqa: BLE001 - any failure here is reported, never a traceback
            fail(f"无法准备默认数据库：{e}")
        try:
            return Engine(ensure_default_db(rebuild=True, warn=warn))
        except Exception as e:  # noqa: BLE001 - any failure here is reported, never a traceback
            fail(f"无法准备默认数据库：{e}")
    path = resolve_db(db)
    try:
        return Engine(path)
    except (DatabaseError, LookupError) as e:
        fail(str(e))
    except OSError as e:
        fail(f"无法打开数据库 {path}：{e.strerror or e}")


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


class Guarded(click.Group):
    """The last guard of "no traceback, ever": whatever a command did not foresee ends as one line and exit 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            fail("已中断")
        except OSError as e:
            fail(f"{e.filename + '：' if isinstance(e.filename, str) else ''}{e.strerror or e}")
        except Exception as e:  # noqa: BLE001
            from budgetqa.store.connection import first_line

            fail(f"内部错误：{type(e).__name__}: {first_line(e)}")


def exists(p: Path) -> bool:
    try:
        return p.exists()
    except OSError:  # a name too long, a loop of links: nothing there that can be read
        return False


@click.group(cls=Guarded, invoke_without_command=True)
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
    text = " ".join(question).strip()
    if not text:
        fail("问题是空的。用法：budgetqa ask \"总支出多少\"")
    engine = open_engine(db)
    answer = engine.ask(text)
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
              help="Database to load into (default: the library in the data directory and the default database).")
@click.option("--year", type=int, default=None, help="Budget year, when the document does not say it.")
@click.option("--fresh", is_flag=True, help="Start an empty database instead of adding to the existing one.")
@click.option("--strict", is_flag=True, help="Refuse documents that do not reconcile.")
def load(files, db, year, fresh, strict):
    """Load one or many budget documents. Loading a document again replaces it.

    Without --db each file is kept in the library (the data directory; BUDGETQA_DATA moves it) and the
    default database is rebuilt from the bundled budget and the library. The database is built aside
    and swapped in: a failed or interrupted load leaves the previous database intact.

    Example:

        budgetqa load --db budgets.duckdb chaoyang-yingji-2024.txt
    """
    from budgetqa.ingest.document import DocumentError, read_many
    from budgetqa.store.db import DatabaseError, build
    from budgetqa.store.library import LibraryError

    summaries: list[tuple] = []
    unchanged = "数据库未改动" if db else "数据库和资料库都未改动"

    def read_all(bar=None):
        for f, d in zip(files, read_many(files, year=year), strict=False):
            errors = d.errors
            if errors and strict:
                raise DocumentError(f"{f}: 未能对账（{len(errors)}处），--strict 下不加载：{errors[0].message}")
            summaries.append(load_summary(d))
            if bar is not None:
                bar.update(1)
            yield d

    def run(stream):
        if db is not None:
            build(db, stream, fresh=fresh)
            return db
        from budgetqa.store.default import load_into_library

        return load_into_library(stream, year, fresh=fresh, warn=warn)[0]

    try:
        if len(files) > 1:
            with click.progressbar(length=len(files), label="加载", file=sys.stderr) as bar:
                target = run(read_all(bar))
        else:
            target = run(read_all())
    except KeyboardInterrupt:
        fail(f"已中断，{unchanged}")
    except DocumentError as e:
        fail(f"{e}（{unchanged}）")
    except (DatabaseError, LibraryError) as e:
        fail(f"{e}（{unchanged}）")
    except OSError as e:
        fail(f"无法写入数据库 {db or ''}：{e.strerror or e}（{unchanged}）")
    for line in summaries:
        for x in line:
            click.echo(x)
    click.echo(f"数据库：{target}")
    if db is None:
        from budgetqa.store.library import data_dir

        click.echo(f"资料库：{data_dir()}（budgetqa list 查看已加载的预算）")
    warm_quietly(target)


def warm_quietly(path: Path) -> None:
    """Common question shapes built now, while the user waits anyway; Ctrl-C here loses nothing."""
    from budgetqa.warmup import warm

    try:
        warm(path)
    except KeyboardInterrupt:
        pass


def load_summary(d) -> list[str]:
    """What `load` says about one document: who, when, how many project lines, what did not reconcile,
    and every expected table or section that is missing, empty or cut short."""
    errs = d.errors
    out = [f"已加载 {d.dept_name} {d.year}（{d.doc_id}）：{len(d.parsed.tables.get('projects', []))}个项目行，"
           f"{'对账无误' if not errs else f'{len(errs)}处未对上'}"]
    from budgetqa.ingest.coverage import BY_SECTION

    for i in errs:
        where = f"预算{i.table}表" if i.table[:1].isdigit() else BY_SECTION[i.table].title if i.table in BY_SECTION else i.table
        out.append(f"  ! {where} 第{i.line}行：{i.message}" if i.line else f"  ! {where}：{i.message}")
    for m in d.parsed.tables.get("missing_sections", []):
        out.append(f"  ! {m['title']}{m['state']}：{m['detail']}")
    return out


def warn(message: str) -> None:
    click.echo(message, err=True)


@cli.command("list")
@db_option
@json_option
def list_documents(db, as_json):
    """List the loaded budgets: department, year, kind, rows and what the load report says.

    Example:

        budgetqa list
    """
    from budgetqa.store.connection import DatabaseError, connect_read_only
    from budgetqa.store.library import LibraryError, read_manifest

    path = resolve_db(db)
    try:
        manifest = read_manifest() if db is None else None
        con = connect_read_only(path)
        docs = document_rows(con)
        con.close()
    except (DatabaseError, LibraryError) as e:
        fail(str(e))
    from budgetqa.lexicon_files import bundled_document

    in_library = {e.doc_id for e in manifest.documents} if manifest else set()
    for d in docs:
        if db is not None:
            d["kind"] = "已加载"
        elif d["doc_id"] in in_library:
            d["kind"] = "资料库"
        elif d["source_file"] == str(bundled_document()):
            d["kind"] = "内置"
        else:
            d["kind"] = "已加载"
    if as_json:
        click.echo(json.dumps(docs, ensure_ascii=False, default=str))
        return
    click.echo(f"共{len(docs)}份预算（数据库：{path}）")
    for d in docs:
        report = "对账无误" if not d["errors"] else f"{d['errors']}处未对上"
        missing = f"；缺：{'、'.join(d['missing'])}" if d["missing"] else ""
        click.echo(f"  {d['doc_id']:<12} {d['dept_name']} {d['year']}年  [{d['kind']}]  {d['projects']}个项目行，"
                   f"共{d['rows']}行，{report}{missing}")


def document_rows(con) -> list[dict]:
    from budgetqa.store.schema import CATALOGUE

    docs = {r[0]: {"doc_id": r[0], "dept_name": r[1], "year": r[2], "source_file": r[3], "checksum": r[4],
                   "projects": 0, "rows": 0, "errors": 0, "missing": []}
            for r in con.execute("SELECT doc_id, dept_name, year, source_file, checksum FROM documents "
                                 "ORDER BY dept_name, year").fetchall()}
    data_tables = [t for t in CATALOGUE if t not in ("documents", "source_tables", "load_issues", "published_totals",
                                                      "missing_sections")]
    for t in data_tables:
        for doc_id, n in con.execute(f"SELECT doc_id, COUNT(*) FROM {t} GROUP BY doc_id").fetchall():
            if doc_id in docs:
                docs[doc_id]["rows"] += n
                if t == "projects":
                    docs[doc_id]["projects"] = n
    for doc_id, n in con.execute("SELECT doc_id, COUNT(*) FROM load_issues WHERE severity = 'error' GROUP BY doc_id").fetchall():
        if doc_id in docs:
            docs[doc_id]["errors"] = n
    for doc_id, title, state in con.execute("SELECT doc_id, title, state FROM missing_sections ORDER BY rowid").fetchall():
        if doc_id in docs:
            docs[doc_id]["missing"].append(f"{title}（{state}）")
    return list(docs.values())


@cli.command()
@click.argument("what")
@click.option("--year", type=int, default=None, help="Only the budget of this year.")
def remove(what, year):
    """Take a loaded budget out of the library (by department name or document id) and rebuild.

    Example:

        budgetqa remove 西城区民政局 --year 2023
    """
    from budgetqa.nlu.linker import dept_aliases
    from budgetqa.store.connection import DatabaseError, connect_read_only
    from budgetqa.store.default import remove_from_library
    from budgetqa.store.library import LibraryError, read_manifest

    what = what.strip()
    if not what:
        fail("请说明要移除哪份预算（部门名称或文档编号，见 budgetqa list）")
    path = resolve_db(None)
    try:
        manifest = read_manifest()
        con = connect_read_only(path)
        docs = document_rows(con)
        con.close()
    except (DatabaseError, LibraryError) as e:
        fail(str(e))
    found = [d for d in docs if (what == d["doc_id"] or what in dept_aliases(d["dept_name"]) or what in d["dept_name"])
             and (year is None or d["year"] == year)]
    if not found:
        known = "；".join(f"{d['dept_name']} {d['year']}（{d['doc_id']}）" for d in docs)
        fail(f"没有找到“{what}”{f'的{year}年' if year else ''}预算。已加载的有：{known}")
    if len(found) > 1:
        names = "；".join(f"{d['dept_name']} {d['year']}（{d['doc_id']}）" for d in found)
        fail(f"“{what}”对应多份预算：{names}。请加 --year 或用文档编号")
    (doc,) = found
    from budgetqa.lexicon_files import bundled_document

    in_library = manifest.find(doc["doc_id"]) is not None
    bundled = not in_library and doc["source_file"] == str(bundled_document())
    if not in_library and not bundled:
        fail(f"{doc['dept_name']} {doc['year']} 不在资料库里")
    if len(docs) == 1:
        fail("这是唯一一份预算，不能移除（先加载别的预算）")
    try:
        path = remove_from_library([doc["doc_id"]] if in_library else [], bundled=bundled, warn=warn)
    except KeyboardInterrupt:
        fail("已中断，数据库和资料库都未改动")
    except (DatabaseError, LibraryError, OSError) as e:
        fail(f"无法移除：{e}")
    click.echo(f"已移除 {doc['dept_name']} {doc['year']}（{doc['doc_id']}）")
    warm_quietly(path)
    if bundled:
        click.echo(f"（内置预算要恢复时：budgetqa load {bundled_document()}）")


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
    rows = con.execute("SELECT doc_id, severity, table_no, line, message FROM load_issues ORDER BY doc_id, "
                       "severity, table_no, line").fetchall()
    errors = [r for r in rows if r[1] == "error"]
    gaps = con.execute("SELECT doc_id, title, state, detail FROM missing_sections ORDER BY rowid").fetchall()
    click.echo(f"{len(errors)}处未对账/未关联，{len(gaps)}处缺表，{len(rows) - len(errors)}条说明")
    for g in gaps:
        click.echo(f"[{g[0]}] {g[1]}{g[2]}：{g[3]}")
    for r in rows:
        if r[1] == "error" or show_all:
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
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--verbose", "-v", is_flag=True, help="Print every failure.")
def test_questions(db, paths, verbose):
    """Run regression questions (YAML files) and print accuracy per family and every failure.

    Example:

        budgetqa test sample_queries/
    """
    from budgetqa.regression import CaseFileError, read_cases, run_files

    if not paths and not Path("sample_queries").is_dir():
        fail("当前目录下没有 sample_queries/；请指定问题文件或目录，例如：budgetqa test sample_queries/")
    files = []
    for p in paths or [Path("sample_queries")]:
        if not exists(p):
            fail(f"{str(p)[:200]}: 文件不存在")
        files += sorted(p.glob("*.yaml")) if p.is_dir() else [p]
    if not files:
        fail("没有找到问题文件（*.yaml）")
    try:
        for f in files:  # every file checked before any question is asked
            read_cases(f)
    except CaseFileError as e:
        fail(str(e))
    engine = open_engine(db)
    try:
        results = run_files(engine, files)
    except CaseFileError as e:
        fail(str(e))
    total = passed = 0
    for family, rs in results.items():
        ok_n = sum(1 for r in rs if r.passed)
        total += len(rs)
        passed += ok_n
        click.echo(f"{family:<20} {ok_n}/{len(rs)}")
        for r in rs:
            if not r.passed:
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
