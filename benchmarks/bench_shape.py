"""The shape of the code base, for newcomers and for reviews of structure: modules and their sizes,
the longest functions, and the cycles in the import graph (imports inside functions included).

Run from the repository root: ``python benchmarks/bench_shape.py [SRC]`` (default ``src/profgraph``).
Prints plain figures; nothing is timed."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import networkx


def module_name(path: Path, src: Path) -> str:
    """Return the dotted module name of ``path`` inside the package folder ``src``."""
    parts = [src.name, *path.relative_to(src).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(tree: ast.AST, name: str, is_package: bool, known: set[str]) -> set[str]:
    """Return the package's own modules that ``tree`` imports anywhere (top level or inside functions)."""
    package = name if is_package else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        found |= {target for target in targets if target in known}
    return found - {name}


def import_graph(src: Path) -> networkx.DiGraph:
    """Return the directed graph module -> module it imports, over every module under ``src``."""
    files = {module_name(path, src): path for path in src.rglob("*.py")}
    graph = networkx.DiGraph()
    graph.add_nodes_from(files)
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for target in imported_modules(tree, name, path.name == "__init__.py", set(files)):
            if not name.startswith(target + ".") and target != src.name:  # a package's own __init__ is not a cycle
                graph.add_edge(name, target)
    return graph


def functions(src: Path) -> list[tuple[int, str]]:
    """Return (lines, qualified name) for every function and method under ``src``."""
    found = []
    for path in src.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found.append((node.end_lineno - node.lineno + 1, f"{module_name(path, src)}.{node.name}"))
    return sorted(found, reverse=True)


def main(src: Path) -> None:
    sizes = sorted(((len(path.read_text(encoding="utf-8").splitlines()), module_name(path, src))
                    for path in src.rglob("*.py")), reverse=True)
    print(f"modules: {len(sizes)}, lines: {sum(size for size, _ in sizes):,}")
    print("largest modules:", ", ".join(f"{name} {size}" for size, name in sizes[:8]))
    longest = functions(src)
    print("longest functions:", ", ".join(f"{name} {size}" for size, name in longest[:8]))
    print(f"functions over 60 lines: {sum(1 for size, _ in longest if size > 60)}")
    cycles = list(networkx.simple_cycles(import_graph(src)))
    print(f"import cycles: {len(cycles)}" + (f" (shortest: {' -> '.join(min(cycles, key=len))})" if cycles else ""))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "src/profgraph"))
