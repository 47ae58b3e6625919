"""The apps import in one direction, and no module imports itself back round a circle.

Read from the source with `ast` (nothing is imported to find out), over every module of every
project app in INSTALLED_APPS (and the project package), counting imports at module level and
inside functions alike:

- `accounts` (users, teams, roles, audit) imports no other app;
- `cases` imports none of the apps built on it (`outcomes`, `quality`, `workspace`, `reporting`,
  `notifications`, `feedback`); `outcomes` and `workspace` do not import `feedback` (it is
  built on them); `notifications` (reminders) is imported by none of the apps it reads;
- `reporting` imports no `outcomes` views;
- the module graph has no cycle.

An app's own tests may build other apps' data (a case to test an access rule on), so the
direction rules read the app's code, not its tests; the cycle check reads everything.
"""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR).resolve()

#: app -> the apps its code must not import.
MUST_NOT_IMPORT = {
    "cases": {"outcomes", "quality", "workspace", "reporting", "notifications", "feedback"},
    # Reminders sit above the apps whose records they read: none of those imports them (the
    # chronology reaches them through a post_save receiver in notifications). feedback is built
    # on cases and outcomes: neither (nor workspace, which shows its count through a template
    # tag) imports it.
    "outcomes": {"notifications", "feedback"},
    "workspace": {"notifications", "feedback"},
    "frontdoor": {"notifications"},
    "accounts": {"notifications"},
}


def project_packages():
    """Top-level packages of the apps in INSTALLED_APPS that live in this repository, and the
    project package (settings, urls, Celery app)."""
    names = {config.name.split(".")[0] for config in apps.get_app_configs() if _in_repo(Path(config.path))}
    names.add(settings.SETTINGS_MODULE.split(".")[0])
    return sorted(names)


def _in_repo(path):
    return path.resolve().is_relative_to(ROOT) and ".venv" not in path.parts


def find_modules(packages, root=ROOT):
    """{dotted module name: path} for every .py file of `packages` under `root`."""
    modules = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def imported_modules(name, path, modules):
    """The modules of `modules` that module `name` (at `path`) imports, anywhere in its body."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, package)
            # `from a import b` imports the module a.b when there is one, else a name from a.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:  # `import a.b.c` of a name inside a.b
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def _absolute(node, package):
    if not node.level:
        return node.module
    parts = package.split(".")
    base = ".".join(parts[: len(parts) - node.level + 1])
    return f"{base}.{node.module}" if node.module else base


def import_graph(packages=None, root=ROOT):
    modules = find_modules(packages or project_packages(), root)
    return {name: imported_modules(name, path, modules) for name, path in modules.items()}


def find_cycles(graph):
    """One cycle (as a list of modules, first repeated last) through each strongly connected
    group of modules (Tarjan's algorithm, iterative)."""
    index, low, on_stack, stack, groups = {}, {}, set(), [], []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(group)
    return [_cycle_within(graph, group) for group in groups]


def _cycle_within(graph, group):
    """A shortest path from the group's first module back to itself, inside the group."""
    first = min(group)
    paths, seen = [[first]], {first}
    while paths:
        path = paths.pop(0)
        for child in sorted(graph[path[-1]] & group):
            if child == first:
                return [*path, first]
            if child not in seen:
                seen.add(child)
                paths.append([*path, child])
    raise AssertionError(f"no cycle in {group}")  # pragma: no cover - a group always has one


def _app(module):
    return module.split(".")[0]


def _is_test(module):
    return "tests" in module.split(".") or module.split(".")[-1].startswith("test_")


def _is_views(module):
    last = module.split(".")[-1]
    return last == "views" or last.endswith("_views") or ".views." in f".{module}."


def _arrows(graph, app):
    """(module, imported module) for every import of app code (not its tests) into another app."""
    return sorted(
        (module, target)
        for module, targets in graph.items()
        if _app(module) == app and not _is_test(module)
        for target in targets
        if _app(target) != app
    )


GRAPH = import_graph()
APPS = {config.name.split(".")[0] for config in apps.get_app_configs() if _in_repo(Path(config.path))}


def test_the_graph_reads_module_level_and_function_level_imports_of_every_app():
    assert {"accounts", "cases", "notifications", "outcomes", "reporting", "workspace"} <= APPS
    assert {_app(module) for module in GRAPH} >= APPS
    assert "cases.selectors" in GRAPH["workspace.views"]  # module level: from cases.selectors import ...
    assert "cases.access" in GRAPH["cases.views"]  # relative: from .access import ...


def test_accounts_imports_no_other_app():
    wrong = [(module, target) for module, target in _arrows(GRAPH, "accounts") if _app(target) in APPS]
    assert not wrong, f"accounts imports other apps: {wrong}"


def test_cases_imports_none_of_the_apps_built_on_it():
    for app, forbidden in MUST_NOT_IMPORT.items():
        wrong = [(module, target) for module, target in _arrows(GRAPH, app) if _app(target) in forbidden]
        assert not wrong, f"{app} imports {sorted(forbidden)}: {wrong}"


def test_reporting_imports_no_outcomes_views():
    wrong = [
        (module, target)
        for module, target in _arrows(GRAPH, "reporting")
        if _app(target) == "outcomes" and _is_views(target)
    ]
    assert not wrong, f"reporting imports outcomes views: {wrong}"


def test_no_module_imports_itself_back_round_a_circle():
    cycles = find_cycles(GRAPH)
    assert not cycles, "import circles:\n" + "\n".join(" -> ".join(cycle) for cycle in cycles)


def test_the_checks_see_a_function_level_import_and_a_circle(tmp_path):
    """The checks above would fail on a circle closed by an import inside a function."""
    (tmp_path / "alpha").mkdir()
    (tmp_path / "alpha" / "__init__.py").write_text("")
    (tmp_path / "alpha" / "one.py").write_text("from . import two\n")
    (tmp_path / "alpha" / "two.py").write_text("def late():\n    from alpha.three import x\n")
    (tmp_path / "alpha" / "three.py").write_text("import alpha.one\nx = 1\n")
    graph = import_graph(["alpha"], root=tmp_path)
    assert graph["alpha.two"] == {"alpha.three"}
    assert find_cycles(graph) == [["alpha.one", "alpha.two", "alpha.three", "alpha.one"]]
    assert _arrows({"beta.views": {"alpha.one"}, "beta.tests.test_x": {"alpha.two"}}, "beta") == [
        ("beta.views", "alpha.one")
    ]
