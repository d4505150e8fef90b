"""The package's shape: no module imports one that imports it back, even through imports inside functions."""

import importlib.util
from pathlib import Path

import networkx

ROOT = Path(__file__).resolve().parent.parent


def _bench_shape():
    spec = importlib.util.spec_from_file_location("bench_shape", ROOT / "benchmarks" / "bench_shape.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_import_cycles_including_imports_inside_functions():
    graph = _bench_shape().import_graph(ROOT / "src" / "profgraph")
    assert graph.number_of_edges() > 50  # the graph really was read: every module imports others
    cycles = sorted(" -> ".join([*cycle, cycle[0]]) for cycle in networkx.simple_cycles(graph))
    assert not cycles, "import cycles: " + str(len(cycles)) + "\n" + "\n".join(cycles)


def test_the_cycle_check_sees_an_import_inside_a_function(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "low.py").write_text("def f():\n    from .high import g\n    return g\n")
    (package / "high.py").write_text("from .low import f\n")
    cycles = list(networkx.simple_cycles(_bench_shape().import_graph(package)))
    assert [sorted(cycle) for cycle in cycles] == [["pkg.high", "pkg.low"]]
