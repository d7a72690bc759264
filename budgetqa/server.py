"""The resident answerer: `python -m budgetqa.server SOCKET` keeps the engine open and answers plain
`budgetqa ask` command lines handed to it by `resident.py`, exactly as `oneshot.run_ask` answers them in a process
of its own (the same function runs; only its output is sent back instead of printed).

- One question at a time, in the order they come; each is answered from the database as it is now: the default
  database is found again for every question (a `budgetqa load` since the last one is seen), and an engine is
  opened again when its file was replaced or changed. DuckDB's read-only connection never blocks a load: every
  load writes a new file and renames it into place.
- It answers only its own user (the socket is in a directory only that user can enter, and each caller's
  credentials are checked) and only `ask`: it reads, never writes, anything but the cache of built statements.
- It ends after `BUDGETQA_SERVER_IDLE` seconds without a question, on `budgetqa server stop`, or on SIGTERM.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import socket
import struct
import sys
import time
from pathlib import Path

from budgetqa import resident

MAX_REQUEST = 1 << 20  # a command line longer than this is no question (the engine refuses long ones anyway)
KEPT_ENGINES = 4
CHECK_S = 30.0  # how often an idle answerer looks whether it is still the one its clients would reach


def fingerprint(path: Path) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


class Engines:
    """Open engines by database file, each with the file's identity when it was opened."""

    def __init__(self) -> None:
        self.open: dict[str, tuple[tuple | None, object]] = {}

    def __call__(self, db: Path | None):
        from budgetqa.oneshot import open_engine, warn

        path: Path | None = db
        if db is None:
            from budgetqa.bootstrap import ensure_default_db

            try:
                path = ensure_default_db(verify=False, warn=warn)
            except Exception:  # noqa: BLE001 - open_engine below says what is wrong, as it does in a process of its own
                path = None
        if path is not None:
            name = os.path.abspath(path)
            seen = self.open.get(name)
            now = fingerprint(path)
            if seen is not None and now is not None and seen[0] == now:
                return seen[1]
            if seen is not None:
                self.drop(name)
        engine = open_engine(db)  # (its failures end the question as they do in `budgetqa ask`)
        name = os.path.abspath(engine.db_path)
        if name in self.open:
            self.drop(name)
        while len(self.open) >= KEPT_ENGINES:
            self.drop(next(iter(self.open)))
        self.open[name] = (fingerprint(engine.db_path), engine)
        return engine

    def drop(self, name: str) -> None:
        _, engine = self.open.pop(name)
        with contextlib.suppress(Exception):
            engine.close()

    def close(self) -> None:
        for name in list(self.open):
            self.drop(name)


def answer(request: dict, engines: Engines) -> dict:
    """One `ask` command line, answered by the code `budgetqa ask` runs, with what it would have printed."""
    from budgetqa.oneshot import guarded, parse_ask, run_ask

    out, err = io.StringIO(), io.StringIO()
    argv = request.get("argv")
    args = parse_ask(argv) if isinstance(argv, list) and all(isinstance(a, str) for a in argv) else None
    if args is None:
        return {"protocol": resident.PROTOCOL, "refused": "not a plain ask"}  # the caller answers it itself
    try:
        os.chdir(request.get("cwd") or "/")  # (a relative --db is the caller's)
    except (OSError, TypeError, ValueError):
        return {"protocol": resident.PROTOCOL, "refused": "no such directory"}
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = guarded(run_ask, args, engines)
    return {"protocol": resident.PROTOCOL, "code": code, "out": out.getvalue(), "err": err.getvalue()}


def same_user(conn: socket.socket) -> bool:
    """The caller runs as this user (Linux tells; elsewhere the private directory is the only door)."""
    if not hasattr(socket, "SO_PEERCRED"):
        return True
    try:
        _, uid, _ = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")))
    except OSError:
        return False
    return uid == os.getuid()


def read_request(conn: socket.socket) -> dict | None:
    conn.settimeout(5)
    data = b""
    while b"\n" not in data and len(data) <= MAX_REQUEST:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    try:
        request = json.loads(data.split(b"\n", 1)[0])
    except ValueError:
        return None
    return request if isinstance(request, dict) and request.get("protocol") == resident.PROTOCOL else None


class Server:
    def __init__(self, path: str) -> None:
        self.path = path
        self.engines = Engines()
        self.started = time.time()
        self.answered = 0
        self.running = True

    def handle(self, conn: socket.socket) -> None:
        if not same_user(conn):
            return
        request = read_request(conn)
        if request is None:
            return
        op = request.get("op")
        if op == "ask":
            reply = answer(request, self.engines)
            self.answered += 1
        elif op == "status":
            reply = {"protocol": resident.PROTOCOL, "pid": os.getpid(), "socket": self.path, "answered": self.answered,
                     "up_s": round(time.time() - self.started, 1), "idle_s": resident.idle_seconds(),
                     "databases": list(self.engines.open)}
        elif op == "stop":
            reply = {"protocol": resident.PROTOCOL, "pid": os.getpid(), "stopped": True}
            self.running = False
        else:
            return
        conn.settimeout(10)
        conn.sendall(json.dumps(reply).encode())

    def serve(self, listener: socket.socket) -> None:
        idle = resident.idle_seconds()
        listener.settimeout(min(idle, CHECK_S))
        last = time.monotonic()
        while self.running:
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                if time.monotonic() - last >= idle or not os.path.exists(self.path) or resident.address() != self.path:
                    break  # idle long enough, its socket removed, or the code upgraded or edited (clients go to a new one)
                continue
            except InterruptedError:
                continue
            last = time.monotonic()
            with conn:
                try:
                    self.handle(conn)
                except Exception:  # noqa: BLE001 - one broken exchange (a caller gone, a bad request) ends only itself
                    pass


def warm_up(engines: Engines) -> None:
    """Open the default database and build the statements of the common question shapes now (the first `ask`
    left that to this process), so that the first questions handed over are quick."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        with contextlib.suppress(Exception, SystemExit):
            from budgetqa.warmup import warm

            engine = engines(None)
            warm(engine.db_path, engine)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("用法：python -m budgetqa.server SOCKET（由 budgetqa ask 启动）\n")
        return 2
    path = argv[0]
    import fcntl

    lock = os.open(path + ".lock", os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return 0  # another answerer has this socket
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)  # left by one that was killed
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_umask = os.umask(0o077)
    try:
        listener.bind(path)
    finally:
        os.umask(old_umask)
    server = Server(path)
    engines = server.engines
    warm_up(engines)
    listener.listen(16)

    def stop(*_):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve(listener)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)  # (still holding the lock: no new answerer has bound it yet)
        listener.close()
        from budgetqa.sqlbuild import save_statements

        save_statements()
        engines.close()
        os.close(lock)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
