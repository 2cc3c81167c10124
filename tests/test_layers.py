"""The layers hold: the command line stands above the ETL and the dashboard; the ETL never imports the dashboard;
the dashboard reads the ETL's releases only through dashboard/data_access.py; data shaping never imports chart
building; the display vocabulary imports nothing of the dashboard; and no two modules import each other in a ring.

Imports are read from the source (ast), every import counted, those inside functions too."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("etl", "dashboard", "borderstats")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Modules of this project that `path` imports (`from a.b import c` counts a.b and a.b.c if c is a module)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{a.name}" for a in node.names)
    return {m for m in found if m.split(".")[0] in PACKAGES and m in MODULES}


MODULES = {module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}
GRAPH = {name: imports_of(path) - {name} for name, path in MODULES.items()}


def under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def offending(source: str, target: str, *, allowed: tuple[str, ...] = ()) -> list[str]:
    return sorted(f"{m} imports {t}" for m, ts in GRAPH.items() if under(m, source) and m not in allowed
                  for t in ts if under(t, target))


def test_the_graph_sees_the_project():
    # a reader that found nothing would pass every rule below
    assert len(MODULES) > 80
    assert "dashboard.data_access" in GRAPH["dashboard.app"]
    assert "etl.warehouse" in GRAPH["dashboard.data_access"]


@pytest.mark.parametrize("source,target", [
    ("etl", "dashboard"), ("etl", "borderstats"), ("dashboard", "borderstats"),
    ("dashboard.aggregates", "dashboard.charts"), ("dashboard.aggregates", "dashboard.views"),
    ("dashboard.aggregates", "dashboard.pages"), ("dashboard.charts", "dashboard.views"),
    ("dashboard.charts", "dashboard.pages"), ("dashboard.views", "dashboard.pages"),
])
def test_no_import_runs_upward(source, target):
    assert offending(source, target) == []


def test_the_dashboard_reads_the_etl_only_through_data_access():
    assert offending("dashboard", "etl", allowed=("dashboard.data_access",)) == []


def test_the_vocabulary_stands_below_aggregates_and_charts():
    # it reads its words in the reader's language from the language core, which imports nothing of the dashboard
    assert [t for t in GRAPH["dashboard.vocabulary"] if under(t, "dashboard") and t != "dashboard.i18n"] == []
    assert [t for t in GRAPH["dashboard.i18n"] if under(t, "dashboard")] == []
    users = {m for m, ts in GRAPH.items() if "dashboard.vocabulary" in ts}
    assert any(under(m, "dashboard.aggregates") for m in users) and any(under(m, "dashboard.charts") for m in users)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return out


def test_cycle_finder_finds_a_ring():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle():
    # a package's __init__ importing its own modules is not a ring between modules: leave those edges out
    graph = {m: {t for t in ts if not (MODULES[t].name == "__init__.py" and under(m, t))} for m, ts in GRAPH.items()}
    assert cycles(graph) == []
