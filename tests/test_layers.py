"""The stages import downward only, and no module imports another in a circle (docs/ARCHITECTURE.md).

Every module's imports are read with ``ast`` (top-level and inside functions alike), so the check needs
no import of the code it checks.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("config", "reactions", "storage", "feeds", "bot")  # lowest first: a stage imports only those before it


def modules(root: Path, packages: tuple[str, ...] = LAYERS) -> dict[str, Path]:
    """Dotted module name -> file, for every module of ``packages`` under ``root``."""
    found: dict[str, Path] = {}
    for package in packages:
        folder = root / package
        assert (folder / "__init__.py").is_file(), f"{folder} is not a package"
        for path in sorted(folder.rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> list[tuple[str, int]]:
    """The project modules ``name`` imports, with the line of each import."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            # ``from storage import outbox`` imports the module storage.outbox
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:  # ``import a.b.c`` of a name inside a module
                target = target.rpartition(".")[0]
            if target and target != name:
                found.append((target, node.lineno))
    return found


def layer(name: str, layers: tuple[str, ...] = LAYERS) -> int:
    return layers.index(name.split(".")[0])


def upward_imports(root: Path, known: dict[str, Path], layers: tuple[str, ...] = LAYERS) -> list[str]:
    """``file:line: module imports higher.module`` for every import of a higher stage."""
    return [f"{path.relative_to(root).as_posix()}:{line}: {name} imports {target}"
            for name, path in known.items() for target, line in imports(name, path, known)
            if layer(target, layers) > layer(name, layers)]


def circles(known: dict[str, Path]) -> list[list[str]]:
    """The import graph's strongly connected components with more than one module (Tarjan)."""
    graph = {name: sorted({target for target, _ in imports(name, path, known)}) for name, path in known.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_a_higher_stage():
    assert upward_imports(ROOT, modules(ROOT)) == []


def test_the_import_graph_has_no_circle():
    assert circles(modules(ROOT)) == []


def test_the_checks_find_an_upward_import_and_a_circle(tmp_path):
    """The two checks above can fail: a made-up tree with one upward import and one circle."""
    files = {
        "config/__init__.py": "",
        "storage/__init__.py": "from storage import a\n",
        "storage/a.py": "from . import b\n",
        "storage/b.py": "import storage.a\nfrom config import X\n",
        "feeds/__init__.py": "",
        "feeds/x.py": "def f():\n    from bot.cli import main\n",
        "bot/__init__.py": "",
        "bot/cli.py": "from feeds import x\n",
    }
    for relative, text in files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
    layers = ("config", "storage", "feeds", "bot")
    known = modules(tmp_path, layers)
    assert upward_imports(tmp_path, known, layers) == ["feeds/x.py:2: feeds.x imports bot.cli"]
    assert sorted(circles(known)) == [["bot.cli", "feeds.x"], ["storage.a", "storage.b"]]
