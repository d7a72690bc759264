"""`budgetqa ask` without click: the one-question path a shell user waits for, and what every face prints.

A person who types `budgetqa ask "…"` waits for the whole process, so this path imports only what the answer
needs: no click (≈45 ms), no textual, no sqlglot unless a statement was never built. `main()` (the console
entry point, in `launch.py`) hands every other command line — `--help`, `--format`, unknown options, other
commands — to the click group in `cli.py`, which calls the same `run_ask`.

>>> parse_ask(["ask", "--json", "-q", "总支出多少"])
AskArgs(question='总支出多少', db=None, as_json=True, fmt='text', show_sql=False, explain=False, quiet=True)
>>> parse_ask(["ask", "--db=x.duckdb", "--", "-5万元以下的项目"]).db
PosixPath('x.duckdb')
>>> [parse_ask(a) for a in (["ask", "--help"], ["ask"], ["chat"], ["ask", "--format", "csv", "q"], ["ask", "--db"])]
[None, None, None, None, None]
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

EXIT_USAGE = 2
WARM_UP = True  # build the common statements with a new default database (False: the resident answerer will)


@dataclass
class AskArgs:
    question: str
    db: Path | None = None
    as_json: bool = False
    fmt: str = "text"
    show_sql: bool = False
    explain: bool = False
    quiet: bool = False


def parse_ask(argv: list[str]) -> AskArgs | None:
    """`ask` with only the plain options (the flags and `--db`); None for anything click should parse."""
    from budgetqa.resident import ask_words

    plain = ask_words(argv)
    if plain is None:
        return None
    words, seen = plain
    if "db" in seen:
        seen["db"] = Path(seen["db"])
    return AskArgs(" ".join(words).strip(), **seen)


def echo(message: str = "", err: bool = False) -> None:
    stream = sys.stderr if err else sys.stdout
    try:
        stream.write(message + "\n")
    except UnicodeEncodeError:  # a terminal that cannot show Chinese: its bytes, replaced where they cannot be
        stream.flush()
        stream.buffer.write((message + "\n").encode(stream.encoding or "utf-8", errors="replace"))


def fail(message: str) -> None:
    echo(f"错误：{message}", err=True)
    sys.exit(EXIT_USAGE)


def warn(message: str) -> None:
    echo(message, err=True)


def resolve_db(db: Path | None) -> Path:
    from budgetqa.bootstrap import ensure_default_db
    from budgetqa.ingest.document import DocumentError
    from budgetqa.store.connection import DatabaseError
    from budgetqa.store.library import LibraryError

    if db is not None:
        return db
    try:
        return ensure_default_db(warn=warn, warm_up=WARM_UP)
    except (DocumentError, DatabaseError, LibraryError, OSError) as e:
        fail(f"无法准备默认数据库：{e}")
    raise AssertionError  # unreachable


def open_engine(db: Path | None):
    from budgetqa.engine import Engine
    from budgetqa.store.connection import DatabaseError

    if db is None:
        from budgetqa.bootstrap import ensure_default_db

        try:
            return Engine(ensure_default_db(verify=False, warn=warn, warm_up=WARM_UP))
        except (DatabaseError, LookupError):
            pass  # a damaged cache file: rebuilt from the bundled document and the library below
        except Exception as e:  # noqa: BLE001 - any failure here is reported, never a traceback
            fail(f"无法准备默认数据库：{e}")
        try:
            return Engine(ensure_default_db(rebuild=True, warn=warn, warm_up=WARM_UP))
        except Exception as e:  # noqa: BLE001 - any failure here is reported, never a traceback
            fail(f"无法准备默认数据库：{e}")
    path = resolve_db(db)
    try:
        return Engine(path)
    except (DatabaseError, LookupError) as e:
        fail(str(e))
    except OSError as e:
        fail(f"无法打开数据库 {path}：{e.strerror or e}")


def show(answer, as_json: bool, sql: bool = False, explain: bool = False, inline: bool = False,
         quiet: bool = False) -> None:
    """An answer as text (or one JSON line), with what was understood under it unless `quiet`. `inline`: one
    line whatever it holds (piped chat: one answer, one line), the choices of a clarification included."""
    if as_json:
        import json

        echo(json.dumps(answer.to_json(), ensure_ascii=False))
        return
    if inline:
        text = " ".join(answer.answer.split("\n"))
        if answer.candidates and answer.status != "ok":
            text += " " + "；".join(f"{i}. {c}" for i, c in enumerate(answer.candidates, 1))
        echo(text)
        return
    echo(answer.answer)
    if answer.understood and not quiet:
        echo(f"  理解为：{answer.understood}")
    if answer.candidates and answer.status != "ok":
        for i, c in enumerate(answer.candidates, 1):
            echo(f"  {i}. {c}")
    if explain:
        if answer.sources:
            echo("  来源：" + "；".join(answer.sources[:12]) + ("……" if len(answer.sources) > 12 else ""))
        for link in answer.links:
            echo(f"  链接：{link.term} → {link.kind} {link.target}（{link.score:.0f}）")
        if answer.family:
            echo(f"  模板：{answer.family}  用时：{answer.elapsed_ms} ms")
    if (sql or explain) and answer.sql:
        echo("  SQL：" + answer.sql.replace("\n", "\n       "))


def run_ask(args: AskArgs, engines=None) -> int:
    """Answer one question and print it; the exit status (0 answered, 1 not, 2 usage or data error). `engines`:
    where a resident answerer keeps its open engines (kept open after the question)."""
    if not args.question:
        fail("问题是空的。用法：budgetqa ask \"总支出多少\"")
    engine = (engines or open_engine)(args.db)
    answer = engine.ask(args.question)
    if args.fmt == "csv":
        from budgetqa.formats import answer_csv

        echo(answer_csv(answer))
    elif args.fmt == "markdown":
        from budgetqa.formats import answer_markdown

        echo(answer_markdown(answer))
    else:
        show(answer, args.as_json or args.fmt == "json", args.show_sql, args.explain, quiet=args.quiet)
    if engines is None:
        engine.close()
    return answer.exit_code


def guarded(run, *args) -> int:
    """Run a command; its exit status, whatever it raised."""
    try:
        return run(*args)
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else EXIT_USAGE
    except (KeyboardInterrupt, Exception) as e:  # noqa: BLE001
        return say_failure(e)


def say_failure(e: BaseException) -> int:
    """The last guard of "no traceback, ever": what a command did not foresee ends as one line and exit 2."""
    if isinstance(e, KeyboardInterrupt):
        echo("错误：已中断", err=True)
    elif isinstance(e, BrokenPipeError):  # `budgetqa ask … | head`: the reader has what it wanted
        quiet_stdout()
        return 0
    elif isinstance(e, OSError):
        echo(f"错误：{e.filename + '：' if isinstance(e.filename, str) else ''}{e.strerror or e}", err=True)
    else:
        from budgetqa.store.connection import first_line

        echo(f"错误：内部错误：{type(e).__name__}: {first_line(e)}", err=True)
    return EXIT_USAGE


def quiet_stdout() -> None:
    import os

    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def finish(code: int) -> None:
    """End the process now: the streams flushed and the exit handlers run, but none of the interpreter's and
    DuckDB's teardown (tens of milliseconds for a read-only connection that has nothing to write)."""
    import atexit
    import os

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            quiet_stdout()
        except (OSError, ValueError):
            pass
    atexit._run_exitfuncs()  # (a temporary database directory is removed here)
    os._exit(code)
