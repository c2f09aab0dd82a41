"""Layering rules (docs/ARCHITECTURE.md): the non-Qt packages never touch Qt, the core never
reaches up, nothing imports in a circle, each app sub-package leans only on ``ui`` and the
non-Qt packages; nothing unpickles or evals."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "playground"
QT_FREE = ("core", "backprop", "data", "files", "io", "runner")
QT_MODULES = {"PySide6", "PySide2", "PyQt5", "PyQt6", "shiboken6", "shiboken2", "pyqtgraph",
              "qtpy"}
PICKLE_MODULES = {"pickle", "cPickle", "_pickle", "dill", "cloudpickle", "shelve"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _files(*packages: str) -> list[Path]:
    roots = [PACKAGE / p for p in packages] if packages else [PACKAGE]
    return sorted(f for root in roots for f in root.rglob("*.py"))


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) for every import in the file, nested ones included."""
    return _imports_in(path.read_text(encoding="utf-8"), _module_name(path),
                       path.name == "__init__.py")


def _imports_in(source: str, module: str, is_package: bool) -> list[tuple[int, str]]:
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.append((node.lineno, name))
            found.extend((node.lineno, f"{name}.{alias.name}") for alias in node.names)
    return found


def _top(name: str) -> str:
    return name.split(".")[0]


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


QT_FREE_FILES = _files(*QT_FREE)
ALL_FILES = _files()


MODULES = {_module_name(p): p for p in ALL_FILES}
APP_SUBPACKAGES = ("ui", "panels", "network", "backprop", "files")


def _owner(name: str) -> str | None:
    """The module of ours that ``name`` (a module, or a name inside one) refers to."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _edges(path: Path) -> set[str]:
    """Our modules this file imports. ``from package import module`` imports the module, not
    the package's ``__init__`` (which Python has already started)."""
    names = {name for _, name in _imports(path)}
    targets = set()
    for name in names:
        if not any(n.startswith(name + ".") and n in MODULES for n in names):
            owner = _owner(name)
            if owner is not None:
                targets.add(owner)
    targets.discard(_module_name(path))
    return targets


GRAPH = {module: _edges(path) for module, path in MODULES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_packages_exist():
    assert len(QT_FREE_FILES) > 10
    for package in QT_FREE:
        assert (PACKAGE / package / "__init__.py").exists()
    for package in APP_SUBPACKAGES:
        assert (PACKAGE / "app" / package / "__init__.py").exists()


def test_no_module_imports_a_module_that_imports_it_back():
    assert _cycles(GRAPH) == []


def test_the_cycle_finder_finds_cycles():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert _cycles(graph) == [["a", "b", "c"]]


@pytest.mark.parametrize("package", ["core", "data"])
def test_core_and_data_never_reach_up(package):
    """The core knows nothing of the explainer, the files or the window; the data not even
    of the core."""
    banned = ("playground.backprop", "playground.app", "playground.io", "playground.runner",
              "playground.bench", "playground.cli",
              *(("playground.core",) if package == "data" else ("playground.files",)))
    bad = {m: sorted(t for t in targets if t.startswith(banned))
           for m, targets in GRAPH.items() if m.startswith(f"playground.{package}")}
    assert not {m: t for m, t in bad.items() if t}


def test_files_leans_on_nothing_of_ours():
    """The safe file primitives are leaves: data (CSV) and io (our formats) both use them."""
    bad = {m: sorted(t for t in targets if not t.startswith("playground.files"))
           for m, targets in GRAPH.items() if m.startswith("playground.files")}
    assert not {m: t for m, t in bad.items() if t}


def test_backprop_io_and_runner_never_import_the_app():
    bad = {m: sorted(t for t in targets if t.startswith("playground.app"))
           for m, targets in GRAPH.items()
           if m.startswith(("playground.backprop", "playground.io", "playground.runner"))}
    assert not {m: t for m, t in bad.items() if t}


# The table "What may import what" in docs/ARCHITECTURE.md, for the packages below the app:
# each may import only these of ours ("playground" is the package itself, for __version__).
MAY_IMPORT = {
    "files": (),
    "data": ("files",),
    "core": ("data",),
    "backprop": ("core",),
    "io": ("core", "data", "files", "playground"),
    "runner": ("core", "data", "io", "threads", "malloc_tuning"),
    "threads": (),
    "malloc_tuning": (),
}


def _within(module: str, names: tuple[str, ...]) -> bool:
    return any(module == name or module.startswith(name + ".") for name in names)


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_each_lower_package_imports_only_what_the_architecture_page_allows(package):
    own = f"playground.{package}"
    allowed = (own, *(n if n == "playground" else f"playground.{n}"
                      for n in MAY_IMPORT[package]))
    bad = {m: sorted(t for t in targets if not _within(t, allowed))
           for m, targets in GRAPH.items() if _within(m, (own,))}
    assert not {m: t for m, t in bad.items() if t}


def test_the_architecture_page_lists_every_top_level_module():
    page = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    listed = {*MAY_IMPORT, *QT_FREE, "app", "bench", "cli"}
    top = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir()
           if (p.suffix == ".py" and p.stem not in {"__init__", "__main__"})
           or (p / "__init__.py").exists()}
    assert top <= listed, top - listed
    for name in top:
        assert f"`{name}`" in page, f"docs/ARCHITECTURE.md does not name `{name}`"


def _hand_built_keys(path: Path) -> list[str]:
    """f-strings that spell a parameter key (``f"W{k}"``, ``f"b{k}_2"``, ``f"W{k}{piece}"``)
    instead of asking ``core.params`` for it."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.JoinedStr) or len(node.values) < 2:
            continue
        head, rest = node.values[0], node.values[1:]
        if (isinstance(head, ast.Constant) and head.value in {"W", "b"}
                and isinstance(rest[0], ast.FormattedValue)
                and all(isinstance(v, ast.FormattedValue) or v.value == "_2" for v in rest)):
            found.append(f"line {node.lineno}")
    return found


@pytest.mark.parametrize("path", [p for p in ALL_FILES if p.name != "params.py"], ids=_rel)
def test_parameter_keys_are_named_by_the_params_helpers(path):
    """One helper names a layer's parameters (weight_key, bias_key, param_keys)."""
    assert not _hand_built_keys(path), f"{_rel(path)}: {_hand_built_keys(path)}"


MAX_LINES = 500


@pytest.mark.parametrize("path", ALL_FILES, ids=_rel)
def test_no_product_file_is_over_500_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{_rel(path)} has {lines} lines"


@pytest.mark.parametrize("sub", APP_SUBPACKAGES)
def test_each_app_subpackage_leans_only_on_ui_and_the_non_qt_packages(sub):
    own = f"playground.app.{sub}"
    allowed = (own, "playground.app.ui", *(f"playground.{p}" for p in QT_FREE))
    bad = {m: sorted(t for t in targets if not t.startswith(allowed))
           for m, targets in GRAPH.items() if m.startswith(own)}
    assert not {m: t for m, t in bad.items() if t}


@pytest.mark.parametrize("path", QT_FREE_FILES, ids=_rel)
def test_core_data_io_module_imports_no_qt(path):
    bad = [f"line {line}: {name}" for line, name in _imports(path) if _top(name) in QT_MODULES]
    assert not bad, f"{_rel(path)} imports Qt: {bad}"


@pytest.mark.parametrize("path", QT_FREE_FILES, ids=_rel)
def test_core_data_io_module_imports_nothing_from_the_app(path):
    bad = [f"line {line}: {name}" for line, name in _imports(path)
           if name == "playground.app" or name.startswith("playground.app.")]
    assert not bad, f"{_rel(path)} imports the Qt app package: {bad}"


def test_importing_every_core_data_io_module_loads_no_qt():
    code = f"""
import importlib, json, pkgutil, sys
sys.path.insert(0, {str(ROOT)!r})
names = []
for package in {list(QT_FREE)!r}:
    pkg = importlib.import_module("playground." + package)
    names.append(pkg.__name__)
    for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
        importlib.import_module(info.name)
        names.append(info.name)
qt = sorted(m for m in sys.modules if m.split(".")[0] in {sorted(QT_MODULES)!r})
print(json.dumps({{"imported": names, "qt": qt}}))
"""
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    expected = {_module_name(p) for p in QT_FREE_FILES}
    assert expected <= set(report["imported"]), expected - set(report["imported"])
    assert report["qt"] == [], f"importing core/data/io loaded {report['qt']}"


@pytest.mark.parametrize("path", ALL_FILES, ids=_rel)
def test_no_module_imports_pickle(path):
    bad = [f"line {line}: {name}" for line, name in _imports(path)
           if _top(name) in PICKLE_MODULES]
    assert not bad, f"{_rel(path)} imports a pickle module: {bad}"


def _dangerous_calls(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in {"eval", "exec"}:
            found.append(f"line {node.lineno}: {func.id}()")
        elif (isinstance(func, ast.Attribute) and func.attr in {"eval", "exec"}
              and isinstance(func.value, ast.Name) and func.value.id == "builtins"):
            found.append(f"line {node.lineno}: builtins.{func.attr}()")
        for kw in node.keywords:
            if (kw.arg == "allow_pickle" and isinstance(kw.value, ast.Constant)
                    and kw.value.value is True):
                found.append(f"line {node.lineno}: allow_pickle=True")
    return found


@pytest.mark.parametrize("path", ALL_FILES, ids=_rel)
def test_no_module_calls_eval_exec_or_allows_pickle(path):
    bad = _dangerous_calls(path)
    assert not bad, f"{_rel(path)}: {bad}"


def test_scanner_catches_what_it_looks_for(tmp_path):
    source = ("def f():\n"
              "    import PySide6.QtCore\n"
              "    from pickle import loads\n"
              "    eval('1')\n"
              "    app.exec()\n"  # a Qt method, not the builtin: allowed
              "    np.load('x', allow_pickle=True)\n")
    names = {name for _, name in _imports_in(source, "playground.core.sample", False)}
    assert {"PySide6.QtCore", "pickle", "pickle.loads"} <= names
    sample = tmp_path / "sample.py"
    sample.write_text(source)
    assert _dangerous_calls(sample) == ["line 4: eval()", "line 6: allow_pickle=True"]


def test_scanner_resolves_relative_imports():
    source = "from ..app import main\nfrom . import losses\nfrom .graph import Value\n"
    names = [name for _, name in _imports_in(source, "playground.core.foo", False)]
    assert names == ["playground.app", "playground.app.main", "playground.core",
                     "playground.core.losses", "playground.core.graph",
                     "playground.core.graph.Value"]
    in_init = [name for _, name in _imports_in("from .layout import Layout\n",
                                                "playground.core", True)]
    assert in_init[0] == "playground.core.layout"
