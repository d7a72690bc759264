"""The `budgetqa` command: one plain question (`budgetqa ask "…"`) is answered by `oneshot` without loading
click; every other command line goes to the click group in `cli.py`."""

from __future__ import annotations

import sys


def main() -> None:
    from budgetqa.oneshot import finish, guarded, parse_ask, run_ask

    args = parse_ask(sys.argv[1:])
    if args is None:
        from budgetqa.cli import main as cli_main

        cli_main()
        return
    finish(guarded(run_ask, args))
