"""The `budgetqa` command: one plain question (`budgetqa ask "…"`) is handed to the resident answerer when one
is running (`resident.py`), else answered by `oneshot` without loading click, and an answerer is started for the
next one; every other command line goes to the click group in `cli.py`."""

from __future__ import annotations

import sys


def main() -> None:
    from budgetqa import resident

    argv = sys.argv[1:]
    plain = resident.ask_words(argv) is not None and resident.enabled()
    if plain:
        try:
            code = resident.ask(argv)
        except KeyboardInterrupt:
            sys.stderr.write("错误：已中断\n")
            code = 2  # (as `oneshot.say_failure` ends an interrupted question)
        except BrokenPipeError:  # `budgetqa ask … | head`: the reader has what it wanted
            code = 0
        if code is not None:
            end(code)
    from budgetqa import oneshot
    from budgetqa.oneshot import finish, guarded, parse_ask, run_ask

    oneshot.WARM_UP = not plain  # (the answerer started below builds the common statements, not this question)
    args = parse_ask(argv)
    if args is None:
        from budgetqa.cli import main as cli_main

        cli_main()
        return
    code = guarded(run_ask, args)
    if plain:
        resident.start()
    finish(code)


def end(code: int) -> None:
    """Exit now, the output flushed (a closed pipe is the reader's choice, never an error)."""
    import os

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
        except (OSError, ValueError):
            pass
    os._exit(code)
