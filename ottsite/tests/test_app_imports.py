"""Apps import downwards only: no import cycle between apps (issue #27).

Every module of the apps outside tests and migrations is parsed with `ast`; its
imports at module level and inside functions (the hidden ones) make the app graph,
which must have no cycle once the allow-list below is taken out.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
APPS = tuple(
    app
    for app in (
        "accounts",
        "catalog",
        "survey",
        "recommender",
        "planner",
        "experiments",
        "ottsite",
    )
    if (REPO / app).is_dir()
)
# ottsite is two layers: its base (the helpers of ottsite/lib, the Celery app, the
# settings), which every app imports and which imports no app; and the project on
# top (urls, views, the health report, its commands), which imports every app.
BASE = "ottsite.lib"
BASE_MODULES = ("ottsite.lib", "ottsite.celery", "ottsite.settings")

# Upward imports allowed for now: (module, app it imports) -> why.
ALLOWED = {
    ("survey/services.py", "recommender"): (
        "the task/service pair: survey_submit enqueues the recommender's build "
        "(recommendations_request), and the recommender reads the survey back"
    ),
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _node(module: str) -> str | None:
    """The app (or ottsite layer) a dotted module name belongs to."""
    app = module.split(".")[0]
    if app not in APPS:
        return None
    if app == "ottsite":
        is_base = module == "ottsite" or module.startswith(BASE_MODULES)
        return BASE if is_base else "ottsite"
    return app


def _is_module(name: str) -> bool:
    path = REPO.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports_of(source: str, *, module: str, is_package: bool = False) -> list[tuple]:
    """(line, imported module, inside a function) of every import in `source`."""
    tree = ast.parse(source)
    package = module if is_package else module.rpartition(".")[0]
    found = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                found.extend((child.lineno, a.name, in_function) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parent = package.split(".")
                    parent = parent[: len(parent) - child.level + 1]
                    base = ".".join([*parent, *([base] if base else [])])
                for alias in child.names:
                    name = f"{base}.{alias.name}"
                    found.append(
                        (child.lineno, name if _is_module(name) else base, in_function)
                    )
            is_function = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            visit(child, in_function or is_function)

    visit(tree, False)
    return found


def _modules() -> list[Path]:
    return [
        path
        for app in APPS
        for path in sorted((REPO / app).rglob("*.py"))
        if not {"migrations", "tests", "__pycache__"} & set(path.parts)
        and path.name != "testing.py"  # ottsite/testing.py: the tests' helpers
    ]


def app_imports() -> dict[tuple[str, str], list[str]]:
    """(from, to) app -> the imports making that edge, as 'path:line module'."""
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in _modules():
        module = _module_name(path)
        source = _node(module)
        found = imports_of(
            path.read_text(), module=module, is_package=path.name == "__init__.py"
        )
        for line, name, in_function in found:
            target = _node(name)
            if target is None or target == source:
                continue
            where = path.relative_to(REPO).as_posix()
            if (where, target) in ALLOWED:
                continue
            how = " (in a function)" if in_function else ""
            site = f"{where}:{line} {name}{how}"
            if site not in edges[(source, target)]:
                edges[(source, target)].append(site)
    return edges


def _cycles(edges: dict[tuple[str, str], list[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one app (Tarjan)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_it_reads_module_and_function_level_and_relative_imports():
    source = (
        "from catalog.models import Movie\n"
        "import recommender.services\n"
        "from . import signals\n"
        "def f():\n"
        "    from accounts.alerts import notification_emails_send\n"
    )
    assert imports_of(source, module="catalog.lookup") == [
        (1, "catalog.models", False),
        (2, "recommender.services", False),
        (3, "catalog.signals", False),
        (5, "accounts.alerts", True),
    ]


def test_it_sees_the_apps_and_the_two_layers_of_ottsite():
    edges = app_imports()
    assert ("recommender", "catalog") in edges
    assert ("catalog", BASE) in edges
    assert ("ottsite", "recommender") in edges  # the project wires every app
    assert _cycles({("a", "b"): [], ("b", "c"): [], ("c", "a"): []}) == [
        ["a", "b", "c"]
    ]


def test_no_import_cycle_between_apps_outside_the_allow_list():
    edges = app_imports()
    cycles = _cycles(edges)
    detail = [
        f"{a} -> {b}: {', '.join(edges[(a, b)])}"
        for group in cycles
        for a in group
        for b in group
        if (a, b) in edges
    ]
    assert not cycles, (
        "apps must import downwards only: move shared vocabulary to the lowest app "
        "that uses it, announce an event with a signal (catalog.signals), or allow "
        f"it in ALLOWED with a reason. Cycles {cycles}:\n" + "\n".join(detail)
    )


def test_every_allowed_import_is_still_there():
    used = set()
    for path in _modules():
        module = _module_name(path)
        found = imports_of(
            path.read_text(), module=module, is_package=path.name == "__init__.py"
        )
        for _line, name, _in_function in found:
            used.add((path.relative_to(REPO).as_posix(), _node(name)))
    wanted = {(path, app) for path, app in ALLOWED if app in APPS}
    assert not wanted - used, "remove the allow-list entries no longer needed"
