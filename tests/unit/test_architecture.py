"""The house keeps its shape: data flows one way, no import cycles, SQL lives in named .sql files.

Read from the source with ``ast`` (nothing is imported or run), so a late import inside a function counts as
an import: hiding a cycle behind one is caught too.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import networkx as nx
import pytest

from conftest import REPO

PACKAGES = ("marketgraph", "dashboards")

# Each layer may import only from its own layer and the layers below it.
LAYERS = {
    "marketgraph.errors": 0, "marketgraph.paths": 0,
    "marketgraph.store": 1,
    "marketgraph.market": 2,
    "marketgraph.knowledge": 3, "marketgraph.importers": 3,
    "marketgraph.present": 4,
    "marketgraph.pipeline": 5, "marketgraph.api": 5,
    "marketgraph.cli": 6, "marketgraph.__main__": 6,
    "dashboards": 7,
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for p in (REPO / pkg).rglob("*.py"):
            if "data" not in p.relative_to(REPO).parts:
                out[module_name(p)] = p
    return out


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Modules of this repository that ``name`` imports anywhere in its file (top level or inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_pkg = path.name == "__init__.py"
    base = name.split(".") if is_pkg else name.split(".")[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                stem = base[: len(base) - node.level + 1]
                mod = ".".join(stem + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            targets = [mod] + [f"{mod}.{a.name}" for a in node.names]
        else:
            continue
        for t in targets:
            while t and t not in known:  # "marketgraph.store.db.Store" -> "marketgraph.store.db"
                t = t.rpartition(".")[0]
            if t and t != name:
                found.add(t)
    return found


def layer(name: str) -> int | None:
    best = None
    for prefix, rank in LAYERS.items():
        if name == prefix or name.startswith(prefix + "."):
            best = rank if best is None else max(best, rank)
    return best


@pytest.fixture(scope="module")
def graph() -> nx.DiGraph:
    mods = modules()
    g = nx.DiGraph()
    for name, path in mods.items():
        g.add_node(name)
        for t in imports_of(name, path, set(mods)):
            g.add_edge(name, t)
    return g


def test_every_module_has_a_layer(graph):
    unplaced = [n for n in graph if n not in ("marketgraph",) and layer(n) is None]
    assert unplaced == []


def test_no_import_cycle(graph):
    # the package face (marketgraph/__init__) imports nothing but errors; edges into it are version lookups
    g = graph.subgraph(n for n in graph if n != "marketgraph")
    assert list(nx.simple_cycles(g)) == []


def test_data_flows_one_way(graph):
    upward = [(a, b) for a, b in graph.edges if a != "marketgraph" and b != "marketgraph"
              and layer(b) > layer(a)]
    assert upward == [], "a module imports from a layer above it"


def test_library_never_imports_dashboards(graph):
    assert [(a, b) for a, b in graph.edges if a.startswith("marketgraph") and b.startswith("dashboards")] == []


def test_store_knows_nothing_above_it(graph):
    store = [n for n in graph if n.startswith("marketgraph.store")]
    above = {b for a in store for b in graph.successors(a) if layer(b) and layer(b) > 1}
    assert above == set()


# A string that *is* a query: it starts with SELECT/WITH/FROM and reads from something. (INSERT … SELECT in the
# store's bulk insert is write code, and help texts quote example queries inside other words.)
SQL = re.compile(r"\A\s*(?:--[^\n]*\n\s*)*(select|with|from)\b[\s\S]*?\b(from|select)\b", re.IGNORECASE)


def test_every_select_is_a_named_query():
    """No SELECT in Python string literals: every query the library or the dashboard runs is a .sql file."""
    offenders = []
    for name, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                      and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                if SQL.search(node.value):
                    offenders.append(f"{name}:{node.lineno}: {node.value[:60]!r}")
            if isinstance(node, ast.JoinedStr):  # an f-string holding SQL is worse
                text = "".join(v.value if isinstance(v, ast.Constant) else "x" for v in node.values)
                if SQL.search(text):
                    offenders.append(f"{name}:{node.lineno}: f-string {text[:60]!r}")
    assert offenders == []


def test_nothing_names_the_shared_folder():
    """A newcomer's clone has no ../shared: neither the package nor the tests may read it."""
    hits = []
    for root in ("marketgraph", "dashboards", "tests", "bench"):
        for p in (REPO / root).rglob("*.py"):
            if p == Path(__file__).resolve():
                continue
            text = p.read_text(encoding="utf-8")
            if re.search(r"\.\./shared|[\"']shared[\"']\s*/|/\s*[\"']shared[\"']|parent\s*/\s*\"shared", text):
                hits.append(str(p.relative_to(REPO)))
    assert hits == []


def test_every_package_ships_in_the_wheel():
    """A non-editable install carries only the packages pyproject lists: a forgotten one breaks a fresh machine."""
    import tomllib

    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    on_disk = {module_name(p.parent) for pkg in PACKAGES for p in (REPO / pkg).rglob("__init__.py")
               if "data" not in p.relative_to(REPO).parts}
    assert on_disk - listed == set()
