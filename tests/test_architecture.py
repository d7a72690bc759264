"""The house's rules: imports flow one way (faces -> engine -> dialogue, families -> nlu, sql -> store -> core),
with no circle, imports inside functions included; every question family is in the registry."""

from __future__ import annotations

import ast
import inspect
import sys
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "budgetqa"

# room -> rooms it must never import (whatever the import's place in the module)
FORBIDDEN = {
    "core": ("*",),
    "store": ("ingest", "nlu", "families", "engine", "conversation", "choosing", "coverage", "understood", "bootstrap",
              "warmup", "cli", "tui", "regression"),
    "ingest": ("store", "nlu", "families", "engine", "conversation", "bootstrap", "warmup", "cli", "tui", "sqlbuild"),
    "sqlbuild": ("ingest", "nlu", "families", "engine", "conversation", "bootstrap", "warmup", "cli", "tui"),
    "nlu": ("families", "engine", "conversation", "choosing", "coverage", "understood", "bootstrap", "warmup", "cli",
            "tui", "sqlbuild"),
    "conversation": ("families", "engine", "bootstrap", "warmup", "cli", "tui", "sqlbuild"),
    "choosing": ("families", "engine", "bootstrap", "warmup", "cli", "tui"),
    "coverage": ("families", "engine", "bootstrap", "warmup", "cli", "tui"),
    "understood": ("families", "engine", "bootstrap", "warmup", "cli", "tui"),
    "families": ("engine", "conversation", "choosing", "bootstrap", "warmup", "cli", "tui"),
    "engine": ("bootstrap", "warmup", "cli", "tui", "ingest"),
    "tui": ("cli",),
    "oneshot": ("cli", "tui", "families", "nlu", "conversation"),  # the one-question face: engine and bootstrap only
    "resident": ("*",),  # the client whose start is timed: nothing of budgetqa, nothing heavy
    "server": ("cli", "tui", "families", "nlu", "conversation", "ingest"),  # answers as oneshot does, through it
}


def module_name(p: Path) -> str:
    parts = p.relative_to(PKG).with_suffix("").parts
    return ".".join(x for x in parts if x != "__init__")


def graph() -> dict[str, set[str]]:
    mods = {module_name(p): p for p in PKG.rglob("*.py")}
    out: dict[str, set[str]] = {m: set() for m in mods}
    for m, p in mods.items():
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("budgetqa"):
                base = node.module.removeprefix("budgetqa").lstrip(".")
                names = [f"{base}.{a.name}".lstrip(".") for a in node.names] + [base]
            elif isinstance(node, ast.Import):
                names = [a.name.removeprefix("budgetqa").lstrip(".") for a in node.names if a.name.startswith("budgetqa")]
            out[m] |= {n for n in names if n in mods and n != m}
    return out


def room(module: str) -> str:
    return module.split(".")[0]


def test_no_module_imports_a_forbidden_room():
    bad = []
    for m, deps in graph().items():
        rules = FORBIDDEN.get(room(m), ())
        for d in deps:
            if room(d) == room(m):
                continue
            if "*" in rules or room(d) in rules:
                bad.append(f"{m} -> {d}")
    assert not bad, "imports against the flow: " + ", ".join(sorted(bad))


def test_the_import_graph_has_no_circle():
    g = graph()
    seen: dict[str, int] = {}  # 1 on the path, 2 done

    def walk(m: str, path: list[str]) -> list[str] | None:
        seen[m] = 1
        for d in sorted(g[m]):
            if seen.get(d) == 1:
                return path + [m, d]
            if d not in seen:
                found = walk(d, path + [m])
                if found:
                    return found
        seen[m] = 2
        return None

    for m in sorted(g):
        if m not in seen:
            circle = walk(m, [])
            assert circle is None, "import circle: " + " -> ".join(circle)


def test_the_rule_catches_a_forbidden_import(tmp_path, monkeypatch):
    """The check can fail: a family that imported the engine would be reported."""
    fake = tmp_path / "budgetqa"
    (fake / "families").mkdir(parents=True)
    (fake / "engine.py").write_text("")
    (fake / "families" / "x.py").write_text("def f():\n    from budgetqa.engine import Engine\n")
    monkeypatch.setattr(sys.modules[__name__], "PKG", fake)
    assert graph()["families.x"] == {"engine"}
    try:
        test_no_module_imports_a_forbidden_room()
    except AssertionError as e:
        assert "families.x -> engine" in str(e)
    else:
        raise AssertionError("a family importing the engine was not caught")


def test_every_family_is_in_the_registry():
    import importlib
    import pkgutil

    import budgetqa.families as families
    from budgetqa.families.base import Template
    from budgetqa.families.registry import TEMPLATES

    registered = {type(t) for t in TEMPLATES}
    defined = set()
    for info in pkgutil.iter_modules(families.__path__):
        mod = importlib.import_module(f"budgetqa.families.{info.name}")
        defined |= {c for _, c in inspect.getmembers(mod, inspect.isclass)
                    if issubclass(c, Template) and c is not Template and c.__module__ == mod.__name__}
    assert defined == registered
    weights = [t.weight for t in TEMPLATES]
    assert weights == sorted(weights, reverse=True)
