"""The package's import graph has no circles: each module depends only on lower ones.

The graph is read from the source with `ast`, so it sees every import a module can make:
at module level, inside functions (deferred imports), and under `if TYPE_CHECKING:`.
TYPE_CHECKING-only imports count as edges like any other: a type a module names is a
concept it depends on, and a circle through annotations is still a circle of concepts
(and one refactor away from a run-time circle). Implicit imports of parent packages (the
`govrules/__init__.py` that `import govrules.x` runs first) are not edges: every module
would otherwise sit on a circle with the package's lazy re-exports.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "src"
PACKAGE = "govrules"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted((ROOT / PACKAGE).rglob("*.py"))}


def _target(name: str, modules: dict[str, Path]) -> str | None:
    """The package module `name` is, or the module that defines it (`pkg.mod.attr`)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def import_graph() -> dict[str, set[str]]:
    """Each module of the package with the package modules it imports, anywhere in it."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            wanted: list[str] = []
            if isinstance(node, ast.Import):
                wanted = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                # `from pkg import mod` imports the submodule; `from mod import name` the module.
                wanted = [f"{base}.{alias.name}" for alias in node.names]
            for found in wanted:
                if found.split(".")[0] != PACKAGE:
                    continue
                target = _target(found, modules)
                if target is not None and target != name:
                    edges.add(target)
        graph[name] = edges
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One circle of imports (its modules in order, the first repeated last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found is not None:
                    return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start)
            if found is not None:
                return found
    return None


def test_the_package_has_no_import_circles() -> None:
    graph = import_graph()
    cycle = find_cycle(graph)
    assert cycle is None, "import circle: " + " -> ".join(cycle or [])


def test_the_graph_sees_deferred_and_type_checking_imports() -> None:
    """The reader finds imports wherever they are written, so the test above can fail."""
    graph = import_graph()
    # cli.main imports no verb statically, but every verb module imports cli.main.
    assert "govrules.cli.main" in graph["govrules.cli.documents"]
    # The package's lazy re-exports are imports inside functions.
    assert "govrules.engine" in graph["govrules"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_each_module_says_what_it_is_for() -> None:
    """Every module opens with a docstring whose first line says what it is for (an empty
    package marker, with no code at all, has nothing to say)."""
    missing = []
    for name, path in _modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if not tree.body:
            continue
        doc = ast.get_docstring(tree)
        if not doc or not doc.splitlines()[0].strip():
            missing.append(name)
    assert not missing, f"modules without a first docstring line: {missing}"
