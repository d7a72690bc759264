"""Benchmark: cold start of `budgetqa ask` (whole process), warm latency over sample_queries/, load time.

    python benchmarks/bench.py [--runs 5] [--json]

Prints a table (and JSON with --json). No timing is asserted anywhere in the test suite.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def questions() -> list[list[str]]:
    out = []
    for f in sorted((ROOT / "sample_queries").glob("*.yaml")):
        for case in yaml.safe_load(f.read_text(encoding="utf-8")) or []:
            out.append(case["turns"] if "turns" in case else [case["q"]])
    return out


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    from budgetqa.engine import Context, Engine
    from budgetqa.ingest.document import read_document
    from budgetqa.lexicon_files import bundled_document
    from budgetqa.store.db import build
    from budgetqa.store.default import ensure_default_db

    tmp = Path(tempfile.mkdtemp())
    t = time.perf_counter()
    build(tmp / "b.duckdb", [read_document(bundled_document())], fresh=True)
    load_s = time.perf_counter() - t

    exe = shutil.which("budgetqa") or str(Path(sys.executable).parent / "budgetqa")
    ensure_default_db()
    cold = []
    for _ in range(a.runs):
        t = time.perf_counter()
        subprocess.run([exe, "ask", "总支出多少"], capture_output=True, check=False)
        cold.append(time.perf_counter() - t)

    engine = Engine(tmp / "b.duckdb")
    qs = questions()
    for turns in qs:  # warm up
        ctx = Context()
        for q in turns:
            engine.ask(q, ctx)
    lat = []
    for turns in qs:
        ctx = Context()
        for q in turns:
            t = time.perf_counter()
            engine.ask(q, ctx)
            lat.append((time.perf_counter() - t) * 1000)
    res = {
        "cold_start_s_median": round(statistics.median(cold), 3),
        "warm_ms_p50": round(pct(lat, 50), 2) if lat else None,
        "warm_ms_p95": round(pct(lat, 95), 2) if lat else None,
        "warm_ms_p99": round(pct(lat, 99), 2) if lat else None,
        "warm_questions": len(lat),
        "load_bundled_s": round(load_s, 3),
    }
    if a.json:
        print(json.dumps(res))
    else:
        for k, v in res.items():
            print(f"{k:<24} {v}")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
