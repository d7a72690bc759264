"""The client side of the resident answerer: a plain `budgetqa ask "…"` handed to a process that already has the
engine open, so the shell waits for a small Python process and a few milliseconds of answering instead of
DuckDB's import, the vocabulary and the first statements (see `server.py`, which this module never imports).

The first `ask` finds no answerer, answers in its own process as before, and starts one for the next question;
the answerer ends itself after `BUDGETQA_SERVER_IDLE` seconds without a question (900 by default).
`BUDGETQA_SERVER=0` turns all of this off. Nothing here imports more than `os`, `sys`, `socket`, `json` and
`zlib`: this is the path whose start is timed.

An answerer serves one interpreter, one installed copy of the code and one environment: its socket is named
after all three, so an upgraded (or edited) budgetqa, another virtual environment or another BUDGETQA_CACHE /
BUDGETQA_DATA never reaches an answerer that would answer from other code or other data. The socket lives in a
directory only this user can enter.

>>> ask_words(["ask", "--json", "-q", "总支出多少"])
(['总支出多少'], {'as_json': True, 'quiet': True})
>>> [ask_words(a) for a in (["ask", "--help"], ["ask"], ["chat"], ["ask", "--format", "csv", "q"], ["ask", "--db"])]
[None, None, None, None, None]
"""

from __future__ import annotations

import os
import socket
import sys

PROTOCOL = 1
IDLE_S = 900.0
REPLY_TIMEOUT_S = 60.0  # a first question on a database never asked before builds its statements: seconds at most
FLAGS = {"--json": "as_json", "--sql": "show_sql", "--explain": "explain", "--quiet": "quiet", "-q": "quiet"}
CODE_SUFFIXES = (".py", ".tsv", ".txt", ".yaml", ".tcss")


def ask_words(argv: list[str]) -> tuple[list[str], dict[str, object]] | None:
    """`ask` with only the plain options (the flags and `--db`): its words and options; None for anything click
    should parse (`--help`, `--format`, a typo, another command)."""
    if not argv or argv[0] != "ask":
        return None
    words: list[str] = []
    seen: dict[str, object] = {}
    rest = iter(argv[1:])
    for a in rest:
        if a == "--":
            words += list(rest)
            break
        if a in FLAGS:
            seen[FLAGS[a]] = True
        elif a == "--db" or a.startswith("--db="):
            path = a[5:] if a.startswith("--db=") else next(rest, None)
            if not path:
                return None
            seen["db"] = path
        elif a.startswith("-") and len(a) > 1:
            return None
        else:
            words.append(a)
    return (words, seen) if words else None


def enabled() -> bool:
    return os.environ.get("BUDGETQA_SERVER", "1").strip().lower() not in ("0", "off", "no", "false")


def idle_seconds() -> float:
    try:
        return max(1.0, float(os.environ.get("BUDGETQA_SERVER_IDLE", IDLE_S)))
    except ValueError:
        return IDLE_S


def code_dirs() -> list[str]:
    here = os.path.dirname(os.path.abspath(__file__))
    lexicon = os.path.join(here, "lexicon")
    return [here, lexicon if os.path.isdir(lexicon) else os.path.join(os.path.dirname(here), "lexicon")]


def code_stamp() -> str:
    """Every code and lexicon file's name, size and modification time (an upgrade or an edit changes it)."""
    parts: list[str] = []
    pending = code_dirs()
    while pending:
        d = pending.pop()
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError:
            continue
        for e in entries:
            if e.is_dir(follow_symlinks=False):
                if e.name != "__pycache__":
                    pending.append(e.path)
            elif e.name.endswith(CODE_SUFFIXES):
                st = e.stat()
                parts.append(f"{e.path}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(parts)


def key() -> str:
    """What an answerer must share with the client: the interpreter, the code, and the environment that decides
    where the data and the cache are."""
    import zlib

    env = "\n".join(f"{k}={v}" for k, v in sorted(os.environ.items())
                    if k.startswith(("BUDGETQA_", "XDG_")) and not k.startswith("BUDGETQA_SERVER") or k in ("HOME", "USERPROFILE"))
    text = f"{PROTOCOL}\n{sys.executable}\n{env}\n{code_stamp()}".encode("utf-8", "surrogateescape")
    return f"{zlib.crc32(text):08x}{zlib.adler32(text[::-1]):08x}"


def runtime_dir() -> str | None:
    """A directory only this user can enter (created if missing); None when there is no such place."""
    base = os.environ.get("XDG_RUNTIME_DIR") or os.environ.get("TMPDIR") or "/tmp"
    if not hasattr(socket, "AF_UNIX") or not hasattr(os, "getuid"):
        return None
    d = os.path.join(base, f"budgetqa-{os.getuid()}")
    try:
        os.mkdir(d, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        st = os.lstat(d)
    except OSError:
        return None
    import stat

    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
        return None  # someone else's, or open to others: never talk through it
    return d


def address() -> str | None:
    d = runtime_dir()
    if d is None:
        return None
    path = os.path.join(d, f"ask-{key()}.sock")
    return path if len(path.encode()) < 100 else None  # (a socket's path has a length limit)


def exchange(path: str, request: dict, timeout: float = REPLY_TIMEOUT_S) -> dict | None:
    """One request and its reply; None when no answerer is there or it did not reply in full."""
    import json

    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.settimeout(0.5)
        s.connect(path)
        s.settimeout(timeout)
        s.sendall(json.dumps(request).encode() + b"\n")
        s.shutdown(socket.SHUT_WR)
        chunks = []
        while True:
            b = s.recv(65536)
            if not b:
                break
            chunks.append(b)
        reply = json.loads(b"".join(chunks))
        return reply if isinstance(reply, dict) and reply.get("protocol") == PROTOCOL else None
    except (OSError, ValueError):
        return None
    finally:
        s.close()


def write(stream, text: str) -> None:
    if not text:
        return
    try:
        stream.write(text)
    except UnicodeEncodeError:  # a terminal that cannot show Chinese: its bytes, replaced where they cannot be
        stream.flush()
        stream.buffer.write(text.encode(stream.encoding or "utf-8", errors="replace"))


def ask(argv: list[str]) -> int | None:
    """Have the resident answerer answer this command line; its exit status, or None to answer here."""
    path = address()
    if path is None:
        return None
    try:
        cwd = os.getcwd()
    except OSError:  # the directory was removed under the shell: answered here, which says so
        return None
    reply = exchange(path, {"protocol": PROTOCOL, "op": "ask", "argv": argv, "cwd": cwd})
    if reply is None or not isinstance(reply.get("code"), int):
        return None
    write(sys.stdout, str(reply.get("out", "")))
    write(sys.stderr, str(reply.get("err", "")))
    return reply["code"]


def start() -> None:
    """Start an answerer for the next question, detached from this terminal and from the caller's pipes (a script
    reading `ask`'s output never waits for it). A second one started at the same time sees the first and ends."""
    path = address()
    if path is None:
        return
    import subprocess

    try:
        subprocess.Popen([sys.executable, "-m", "budgetqa.server", path], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True,
                         cwd=os.path.dirname(path))
    except OSError:
        pass  # answering stays as it was: in the asking process


def status() -> dict | None:
    path = address()
    return None if path is None else exchange(path, {"protocol": PROTOCOL, "op": "status"}, timeout=5)


def stop() -> dict | None:
    path = address()
    return None if path is None else exchange(path, {"protocol": PROTOCOL, "op": "stop"}, timeout=5)
