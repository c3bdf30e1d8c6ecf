"""The layout's rule (docs/architecture.md): dependencies run one way, from the command line
through the concept packages to the shared foundation."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "plan57"

# Lower layers never import higher ones. The top-level modules are the foundation, except the
# surface (`api`, `schemas`, `explanations`), which puts the layers together for callers.
LAYERS = ("foundation", "catalogue", "submissions", "scoring", "output", "surface", "cli")
SURFACE = {"api", "schemas", "explanations", "__init__"}
# The catalogue's models are the vocabulary every layer speaks, the foundation's wording too.
SHARED = {"plan57.catalogue.models"}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> str:
    parts = module.split(".")
    if parts[-1] == "__main__":  # `python -m plan57` is the command line
        return "cli"
    if len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()):
        return parts[1] if parts[1] in LAYERS else "foundation"
    return "surface" if len(parts) == 1 or parts[-1] in SURFACE else "foundation"


def _imports(path: Path) -> set[str]:
    """The plan57 modules `path` imports at run time (imports for type checkers only are
    left out: they are no dependency)."""
    tree = ast.parse(path.read_text("utf-8"))
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only |= {id(inner) for inner in ast.walk(node)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            folder = PACKAGE.parent.joinpath(*node.module.split("."))
            if node.module.split(".")[0] != "plan57":
                continue
            if folder.is_dir():  # `from plan57.catalogue import models`: the modules named
                found |= {f"{node.module}.{alias.name}" for alias in node.names}
            else:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("plan57.")}
    return found


def test_dependencies_run_one_way() -> None:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module(path)
        mine = LAYERS.index(_layer(module))
        for imported in sorted(_imports(path) - SHARED):
            theirs = _layer(imported)
            if LAYERS.index(theirs) > mine:
                wrong.append(f"{module} ({_layer(module)}) imports {imported} ({theirs})")
    assert wrong == []


def test_the_layers_are_the_packages() -> None:
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert packages == set(LAYERS) - {"foundation", "surface"}
