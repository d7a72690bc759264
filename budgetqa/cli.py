"""The command line: a click group (ask, chat, load, list, remove, sql, export, vocab, report, schema, test, tui).

Library errors become clean messages with exit status 2; no command prints a traceback. Help is in
Chinese, each command's with examples (in the style of sqlite-utils). `ask` and `chat` never import textual.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from pathlib import Path

import click

from budgetqa.oneshot import AskArgs, fail, open_engine, resolve_db, run_ask, say_failure, show, warn


def db_option(f):
    @click.option("--db", "db", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  help="DuckDB数据库文件（默认：内置预算加上资料库里已加载的预算，首次使用时在缓存目录里建好）。")
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        return f(*args, **kwargs)

    return wrapper


def json_option(f):
    return click.option("--json", "as_json", is_flag=True, help="每个回答输出一行 JSON。")(f)


USAGE_ZH = [
    (r"Missing argument '(.+?)'\.?", r"缺少参数 \1"),
    (r"Missing option '(.+?)'\.?", r"缺少选项 \1"),
    (r"No such option:? '?([^'\s]+?)'?\.?(?: Did you mean.*)?$", r"没有这个选项：\1"),
    (r"No such command '(.+?)'\.?", r"没有这个命令：\1"),
    (r"Option '(.+?)' requires an argument\.?", r"选项 \1 需要一个值"),
    (r"Got unexpected extra arguments? \((.+)\)", r"多余的参数：\1"),
    (r"Invalid value for '(.+?)': (.+)", r"\1 的值不对：\2"),
]


def usage_zh(message: str) -> str:
    for pattern, zh in USAGE_ZH:
        m = re.match(pattern, message.strip())
        if m:
            return m.expand(zh)
    return message


class ZhFormatter(click.HelpFormatter):
    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")


class ZhContext(click.Context):
    formatter_class = ZhFormatter


class ZhHelp:
    """Help with Chinese headings (用法 / 选项 / 命令)."""

    context_class = ZhContext

    def format_usage(self, ctx, formatter):
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="用法：")

    def format_options(self, ctx, formatter):
        opts = [rv for p in self.get_params(ctx) if not isinstance(p, click.Argument) and (rv := p.get_help_record(ctx))]
        if opts:
            with formatter.section("选项"):
                formatter.write_dl(opts)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)

    def get_help_option(self, ctx):
        opt = super().get_help_option(ctx)
        if opt is not None:
            opt.help = "显示本帮助并退出。"
        return opt


class ZhCommand(ZhHelp, click.Command):
    pass


class Guarded(ZhHelp, click.Group):
    """The last guard of "no traceback, ever": whatever a command did not foresee ends as one line and exit 2.
    Usage errors (a missing argument, an unknown option) become one Chinese line too."""

    command_class = ZhCommand

    def format_commands(self, ctx, formatter):
        rows = [(name, cmd.get_short_help_str(60)) for name in self.list_commands(ctx)
                if (cmd := self.get_command(ctx, name)) is not None and not cmd.hidden]
        if rows:
            with formatter.section("命令"):
                formatter.write_dl(rows)

    def parse_args(self, ctx, args):
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as e:
            fail(f"{usage_zh(e.format_message())}（budgetqa --help 查看用法）")

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.UsageError as e:
            where = f"budgetqa {e.ctx.info_name}" if e.ctx is not None and e.ctx.parent is not None else "budgetqa"
            fail(f"{usage_zh(e.format_message())}（{where} --help 查看用法）")
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except (KeyboardInterrupt, Exception) as e:  # noqa: BLE001
            sys.exit(say_failure(e))


def exists(p: Path) -> bool:
    try:
        return p.exists()
    except OSError:  # a name too long, a loop of links: nothing there that can be read
        return False


@click.group(cls=Guarded, invoke_without_command=True)
@click.version_option(package_name="budgetqa", help="显示版本并退出。")
@click.pass_context
def cli(ctx):
    """budgetqa：用中文问部门预算公开文件里的数（离线，毫秒级，给出算式和来源）。

    不带命令时打开终端界面。

    示例：

    \b
        budgetqa ask "应急指挥中心相关项目共多少钱"
        budgetqa load 西城区民政局2023年部门预算.txt
        budgetqa list
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(tui)


@cli.command()
@db_option
@json_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv", "markdown"]), default="text",
              help="输出格式：text（默认，一句话）、json（同 --json）、csv（结果表）、markdown（句子、表格和 SQL）。")
@click.option("--sql", "show_sql", is_flag=True, help="同时输出得出答案的 SQL。")
@click.option("--explain", is_flag=True, help="同时输出识别出的词、所用模板和 SQL。")
@click.option("--quiet", "-q", is_flag=True, help="只输出答案，不输出“理解为”一行。")
@click.argument("question", nargs=-1, required=True)
def ask(db, as_json, fmt, show_sql, explain, quiet, question):
    """回答一个问题，并在答案下方给出“理解为”（系统如何理解这个问题）。退出码：0 已回答，1 未回答（需要澄清、没找到、不支持），2 用法或数据错误。

    示例：

    \b
        budgetqa ask "应急指挥中心相关项目共多少钱"
        budgetqa ask --json --sql "风险评估经费多少元"
        budgetqa ask --format csv "预算最多的3个项目" > top3.csv
        budgetqa ask --format markdown "按功能分类看支出"
    """
    sys.exit(run_ask(AskArgs(" ".join(question).strip(), db, as_json, fmt, show_sql, explain, quiet)))


@cli.command()
@db_option
@json_option
def chat(db, as_json):
    """对话：追问沿用上一个问题（“那水费呢”“其中尾款多少”“负责人是谁”）。

    输入来自管道时，每行一个问题，每个回答一行。输入 /new 开始新对话，/quit 或 Ctrl-D 退出。

    示例：

    \b
        budgetqa chat
        printf '电费多少\\n水费呢\\n' | budgetqa chat --json
    """
    from budgetqa.engine import Context

    engine = open_engine(db)
    ctx = Context()
    interactive = is_interactive()
    if interactive:
        line_editing()
        click.echo("输入问题后回车（方向键可编辑、翻看历史）。有选项时回数字（1）、序数（第一个）或选项里的词；"
                   "/new 开始新对话；/quit、退出 或 Ctrl-D 结束。")
    status = 0
    while True:
        try:
            line = input("问> ") if interactive else sys.stdin.readline()
        except (EOFError, KeyboardInterrupt):
            if interactive:
                click.echo()
            break
        if not interactive and line == "":
            break
        line = line.strip()
        if not line:
            continue
        if line in ("/new", "/reset", "新对话"):
            ctx.reset()
            continue
        if line in ("/quit", "/exit", "退出", "quit", "exit"):
            break
        answer = engine.ask(line, ctx)  # a reply to a clarification (1 / 第一个 / a word) is picked by the engine
        status = answer.exit_code
        show(answer, as_json, inline=not interactive)  # piped: one answer, one line
    engine.close()
    sys.exit(status)


def is_interactive() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def line_editing() -> None:
    """readline for `chat`: arrow keys edit the line and walk the history, kept between runs in the data
    directory (nothing is lost, nothing fails, when it cannot be kept)."""
    try:
        import readline
    except ImportError:  # pragma: no cover - Windows without pyreadline: plain input()
        return
    import atexit

    from budgetqa.store.library import data_dir

    path = data_dir() / "chat_history"
    readline.set_history_length(1000)
    try:
        readline.read_history_file(path)
    except OSError:
        pass

    def save() -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            readline.write_history_file(path)
        except OSError:
            pass

    atexit.register(save)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--db", "db", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="加载到这个数据库文件（默认：存进资料库，并重建默认数据库）。")
@click.option("--year", type=int, default=None, help="预算年度（文件里没写年份时用）。")
@click.option("--fresh", is_flag=True, help="从空库开始，而不是加到已有的预算里（不带 --db 时：资料库只留这次加载的文件）。")
@click.option("--strict", is_flag=True, help="对不上账的文件不加载。")
def load(files, db, year, fresh, strict):
    """加载一个或多个部门预算文件（UTF-8、UTF-16 或 GBK 文本）。同一部门同一年度再次加载会替换旧的。

    不带 --db 时，每个文件都复制进资料库（数据目录；用 BUDGETQA_DATA 可改位置），默认数据库由内置预算和资料库重建。

    数据库在旁边建好再换上：加载失败或被中断时，原来的数据库不变。

    示例：

    \b
        budgetqa load 西城区民政局2023年部门预算.txt
        budgetqa load 预算/*.txt
        budgetqa load --db budgets.duckdb --year 2024 chaoyang-yingji.txt
        budgetqa load putuo-wanli-street-2024-dept.pdf
    """
    from budgetqa.ingest.document import DocumentError, read_many
    from budgetqa.store.db import DatabaseError, build
    from budgetqa.store.library import LibraryError

    summaries: list[tuple] = []
    unchanged = "数据库未改动" if db else "数据库和资料库都未改动"
    # Ctrl-C is noted and acted on between documents: DuckDB, if the signal lands while it writes, would take it
    # as its own query's interrupt (or swallow it) and the load would go on or fail as an internal error
    import signal

    asked = []
    previous = signal.signal(signal.SIGINT, lambda *_: asked.append(True))

    def read_all(bar=None):
        for f, d in zip(files, read_many(files, year=year), strict=False):
            if asked:
                raise KeyboardInterrupt
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
        from budgetqa.bootstrap import load_into_library

        return load_into_library(stream, year, fresh=fresh, warn=warn)[0]

    try:
        if len(files) > 1:
            with click.progressbar(length=len(files), label="加载", file=sys.stderr) as bar:
                target = run(read_all(bar))
        else:
            target = run(read_all())  # (a Ctrl-C after the last document was read comes too late: the load is done)
    except KeyboardInterrupt:
        fail(f"已中断，{unchanged}")
    except DocumentError as e:
        fail(f"{e}（{unchanged}）")
    except (DatabaseError, LibraryError) as e:
        fail(f"{e}（{unchanged}）")
    except OSError as e:
        fail(f"无法写入数据库 {db or ''}：{e.strerror or e}（{unchanged}）")
    finally:
        signal.signal(signal.SIGINT, previous)
    for line in summaries:
        for x in line:
            click.echo(x)
    click.echo(f"数据库：{target}")
    if db is None and not str(target).startswith(str(cache_location())):
        click.echo("（缓存目录不可写：数据库建在临时目录里，本次运行结束即删除；以后提问时会重新建）")
    if db is None:
        from budgetqa.store.library import data_dir

        click.echo(f"资料库：{data_dir()}（budgetqa list 查看已加载的预算）")
    warm_quietly(target)


def cache_location() -> Path:
    from budgetqa.core.paths import cache_dir

    return cache_dir()


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
    status = "对账无误" if not errs else f"{len(errs)}处未对上"
    if getattr(d, "pages", 0):  # a PDF: its template, kind and pages
        out = [f"已加载 {d.dept_name} {d.year}年{d.doc_kind}（{d.doc_id}，{d.template}，{d.pages}页，"
               f"{len(d.parsed.found)}张表）：{status}"]
    else:
        out = [f"已加载 {d.dept_name} {d.year}（{d.doc_id}）：{len(d.parsed.tables.get('projects', []))}个项目行，{status}"]
    from budgetqa.ingest.coverage import BY_SECTION

    for i in errs:
        if getattr(i, "page", None) or not i.table[:1].isdigit() and i.table not in BY_SECTION:
            out.append(f"  ! {i.message}")  # a PDF's issue names its page and table itself
            continue
        where = f"预算{i.table}表" if i.table[:1].isdigit() else BY_SECTION[i.table].title if i.table in BY_SECTION else i.table
        out.append(f"  ! {where} 第{i.line}行：{i.message}" if i.line else f"  ! {where}：{i.message}")
    for m in d.parsed.tables.get("missing_sections", []):
        out.append(f"  ! {m['title']}{m['state']}：{m['detail']}")
    return out


@cli.command("list")
@db_option
@json_option
def list_documents(db, as_json):
    """列出已加载的预算：部门、年度、来源（内置/资料库）、行数、对账结果和缺少的表。

    示例：

    \b
        budgetqa list
        budgetqa list --json
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
@click.option("--year", type=int, default=None, help="只移除这一年度的预算。")
def remove(what, year):
    """从资料库里移除一份预算（按部门名称、简称或文档编号），并重建默认数据库。

    示例：

    \b
        budgetqa remove 西城区民政局 --year 2023
        budgetqa remove 211-2023
    """
    from budgetqa.bootstrap import remove_from_library
    from budgetqa.nlu.linker import dept_aliases
    from budgetqa.store.connection import DatabaseError, connect_read_only
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


@cli.command("sql")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "markdown"]), default="table",
              help="输出格式：table（默认，对齐的表格）、csv、json、markdown。")
@click.option("--limit", type=int, default=1000, help="最多输出多少行（默认 1000，0 表示不限）。")
@click.argument("query")
def sql_command(db, fmt, limit, query):
    """对已加载的表执行自己写的一条只读 SELECT 查询，输出表格。

    只接受一条 SELECT（可带 WITH、UNION），只能查询 budgetqa schema 列出的表；连接是只读的，不能读写文件，不能改设置。

    示例：

    \b
        budgetqa sql "SELECT name, amount FROM projects ORDER BY amount DESC LIMIT 5"
        budgetqa sql --format csv "SELECT d.dept_name, SUM(p.amount) AS 项目支出 FROM projects p JOIN documents d USING (doc_id) GROUP BY 1"
    """
    from budgetqa.formats import csv_text, json_rows, markdown_table, table
    from budgetqa.store.connection import DatabaseError, Error, connect_read_only, first_line
    from budgetqa.usersql import RefusedSQL, check_user_sql

    if limit < 0:
        fail("--limit 不能是负数（0 表示不限）")
    try:
        statement = check_user_sql(query)
    except RefusedSQL as e:
        fail(str(e))
    path = resolve_db(db)
    try:
        con = connect_read_only(path)
    except DatabaseError as e:
        fail(str(e))
    try:
        cur = con.execute(statement)
        columns = [d[0] for d in cur.description or []]
        rows = cur.fetchmany(limit + 1) if limit else cur.fetchall()
    except Error as e:
        fail(f"查询出错：{first_line(e)}")
    finally:
        con.close()
    more = bool(limit) and len(rows) > limit
    rows = [list(r) for r in rows[:limit or None]]
    if fmt == "csv":
        click.echo(csv_text(columns, rows))
    elif fmt == "json":
        click.echo(json_rows(columns, rows))
    elif fmt == "markdown":
        click.echo(markdown_table(columns, rows))
    else:
        click.echo(table(columns, rows))
        click.echo(f"（{len(rows)}行{'，只显示前' + str(limit) + '行，用 --limit 调整' if more else ''}）")
    if more and fmt != "table":
        warn(f"只输出了前{limit}行（用 --limit 0 输出全部）")


@cli.command()
@db_option
@click.option("--parquet", "parquet_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="把每张表写成这个目录下的一个 Parquet 文件（目录不存在时会新建）。")
def export(db, parquet_dir):
    """把数据库的每张表导出成 Parquet 文件，供 pandas、Polars、Spark、Trino 等使用。

    每张表一个文件（projects.parquet、sangong.parquet……），金额保持 DECIMAL(18,6)，单位万元。

    示例：

    \b
        budgetqa export --parquet budget-parquet/
        python -c "import pandas; print(pandas.read_parquet('budget-parquet/projects.parquet').head())"
    """
    from budgetqa.store.connection import DatabaseError, connect_read_only
    from budgetqa.store.schema import CATALOGUE

    path = resolve_db(db)
    try:
        connect_read_only(path).close()  # a budgetqa database of this schema, or a clear message
    except DatabaseError as e:
        fail(str(e))
    try:
        parquet_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        fail(f"无法创建目录 {parquet_dir}：{e.strerror or e}")
    import duckdb

    written = []
    try:
        con = duckdb.connect(str(path), read_only=True)
        try:
            for name in CATALOGUE:  # table names come from the catalogue, never from the user
                target = (parquet_dir / f"{name}.parquet").resolve()
                quoted = str(target).replace("'", "''")
                con.execute(f"COPY (SELECT * FROM {name}) TO '{quoted}' (FORMAT parquet)")
                n = con.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0]
                written.append((name, n))
        finally:
            con.close()
    except duckdb.Error as e:
        from budgetqa.store.connection import first_line

        fail(f"导出失败：{first_line(e)}")
    for name, n in written:
        click.echo(f"{parquet_dir / (name + '.parquet')}  {n}行  {CATALOGUE[name].zh}")
    click.echo(f"已导出{len(written)}张表到 {parquet_dir}")


@cli.command()
@db_option
@click.option("--dept", default=None, help="哪个部门的（加载了多个部门时；部门名称、简称或文档编号）。")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
@click.argument("kind", required=False, type=click.Choice(["projects", "people", "subjects"]))
def vocab(db, dept, as_json, kind):
    """列出可以问到的东西：项目（projects）、负责人（people）、科目（subjects）。不给类别时三样都列出数量和示例。

    示例：

    \b
        budgetqa vocab
        budgetqa vocab projects
        budgetqa vocab people --dept 西城区民政局
    """
    from budgetqa.nlu.linker import dept_aliases
    from budgetqa.nlu.vocab import load_vocab
    from budgetqa.render import money
    from budgetqa.store.connection import DatabaseError, connect_read_only

    path = resolve_db(db)
    try:
        con = connect_read_only(path)
        docs = con.execute("SELECT doc_id, dept_name, year FROM documents ORDER BY year DESC, doc_id").fetchall()
    except DatabaseError as e:
        fail(str(e))
    if not docs:
        fail("数据库里没有已加载的预算")
    chosen = docs
    if dept:
        chosen = [d for d in docs if dept in (d[0], d[1]) or dept in dept_aliases(d[1]) or dept in d[1]]
        if not chosen:
            fail(f"没有找到“{dept}”的预算；已加载：" + "；".join(f"{d[1]} {d[2]}（{d[0]}）" for d in docs))
    if len({d[1] for d in chosen}) > 1:
        fail("加载了多个部门，请用 --dept 指定：" + "；".join(f"{d[1]} {d[2]}（{d[0]}）" for d in chosen))
    doc_id, dept_name, year = chosen[0]
    v = load_vocab(con, doc_id)
    con.close()
    listing = {
        "projects": [[p.name, money(p.amount), p.owner or ""] for p in v.projects],
        "people": [[name, phone or ""] for name, phone in sorted(v.people.items())],
        "subjects": [[s.scheme, s.code, s.name, s.level] for s in v.subjects],
    }
    columns = {"projects": ["项目", "金额", "负责人"], "people": ["负责人", "电话"], "subjects": ["分类", "编码", "名称", "级次"]}
    if as_json:
        kinds = [kind] if kind else list(listing)
        click.echo(json.dumps({k: [dict(zip(columns[k], r, strict=False)) for r in listing[k]] for k in kinds},
                              ensure_ascii=False))
        return
    click.echo(f"{dept_name}（{year}年，{doc_id}）")
    if kind:
        from budgetqa.formats import table

        click.echo(table(columns[kind], listing[kind]))
        return
    zh = {"projects": "项目", "people": "负责人", "subjects": "科目"}
    for k, rows in listing.items():
        sample = "、".join(r[1] + r[2] if k == "subjects" else r[0] for r in rows[:5])
        click.echo(f"  {zh[k]}：{len(rows)}个，例如 {sample}{'……' if len(rows) > 5 else ''}（budgetqa vocab {k}）")


@cli.command()
@db_option
@click.option("--all", "show_all", is_flag=True, help="同时列出说明（读取时做的修正和关联）。")
def report(db, show_all):
    """加载报告：缺少的表，没对上账或没关联上的地方，附原文行号。

    示例：

    \b
        budgetqa report
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
    gaps = con.execute("SELECT doc_id, title, state, detail FROM missing_sections ORDER BY rowid").fetchall()
    click.echo(f"{len(errors)}处未对账/未关联，{len(gaps)}处缺表，{len(rows) - len(errors)}条说明")
    for g in gaps:
        click.echo(f"[{g[0]}] {g[1]}{g[2]}：{g[3]}")
    for r in rows:
        if r[1] == "error" or show_all:
            if r[5]:  # a PDF: the message names the page, the table and the row
                click.echo(f"[{r[0]}] {r[1]} {r[4]}")
            else:
                click.echo(f"[{r[0]}] {r[1]} {r[2]} 行{r[3] or '-'}：{r[4]}")


@cli.command()
def schema():
    """列出数据库的表和列及其中文名（问答和 budgetqa sql 用的就是这些表）。

    示例：

    \b
        budgetqa schema
    """
    from budgetqa.store.schema import describe

    click.echo(describe())


@cli.group(cls=Guarded)
def server():
    """常驻答题进程：budgetqa ask 第一次回答后在后台启动一个，之后的问题交给它回答（几十毫秒而不是几百毫秒）。
    空闲 15 分钟（BUDGETQA_SERVER_IDLE 秒）后自行退出；BUDGETQA_SERVER=0 不用它。它只读、只答 ask，只接受本用户。

    示例：

    \b
        budgetqa server status
        budgetqa server stop
    """


@server.command("status")
@json_option
def server_status(as_json):
    """这个环境（同一个 Python、同一份代码、同样的 BUDGETQA_* 设置）的常驻答题进程是否在运行。退出码：0 在运行，1 没有。

    示例：

    \b
        budgetqa server status
        budgetqa server status --json
    """
    from budgetqa import resident

    state = resident.status() if resident.enabled() else None
    if as_json:
        click.echo(json.dumps(state or {"running": False}, ensure_ascii=False))
    elif state is None:
        click.echo("没有常驻答题进程在运行" + ("" if resident.enabled() else "（BUDGETQA_SERVER=0：不使用）") + "。")
    else:
        click.echo(f"常驻答题进程 {state.get('pid')} 在运行：已回答 {state.get('answered')} 个问题，运行 {state.get('up_s')} 秒，"
                   f"空闲 {state.get('idle_s'):.0f} 秒后退出；套接字 {state.get('socket')}")
    sys.exit(0 if state else 1)


@server.command("stop")
def server_stop():
    """让这个环境的常驻答题进程退出（下一次 budgetqa ask 会在自己的进程里回答，并重新启动一个）。

    示例：

    \b
        budgetqa server stop
    """
    from budgetqa import resident

    state = resident.stop()
    click.echo(f"常驻答题进程 {state.get('pid')} 已退出。" if state else "没有常驻答题进程在运行。")


@cli.command("test")
@db_option
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--verbose", "-v", is_flag=True, help="列出每个没通过的问题。")
def test_questions(db, paths, verbose):
    """运行回归问题（YAML 文件），按问题类别输出通过率和每个没通过的问题。

    不给路径时运行当前目录下的 sample_queries/。

    示例：

    \b
        budgetqa test
        budgetqa test sample_queries/heldout.yaml
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
    total = passed = wrong = 0
    for family, rs in results.items():
        ok_n = sum(1 for r in rs if r.passed)
        total += len(rs)
        passed += ok_n
        wrong += sum(1 for r in rs if r.answered_wrongly)
        click.echo(f"{family:<20} {ok_n}/{len(rs)}")
        for r in rs:
            if not r.passed:
                click.echo(f"  FAIL {r.case_id} {r.question}: {r.why}")
    click.echo(f"answered wrongly (status ok, not right): {wrong}")
    click.echo(f"{passed} passed, {total - passed} failed")
    sys.exit(0 if passed == total else 1)


@cli.command()
@db_option
def tui(db):
    """打开终端界面。

    示例：

    \b
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
