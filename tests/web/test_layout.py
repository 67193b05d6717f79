"""Each web module one job: blueprints share helpers through neutral modules, never through
each other's views, and take their access decorators from one place."""

from __future__ import annotations

import ast
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "planner" / "web"
DECORATORS = {"organiser_required", "owner_required", "admin_required", "make_owner_of"}


def _imports(path: Path) -> list[tuple[str, set[str]]]:
    """(module, names) of each `from ... import ...` in the file, the module made absolute."""
    package = path.relative_to(WEB.parent.parent).with_suffix("").parts[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else ()
            module = ".".join((*base, *(node.module or "").split("."))).strip(".")
            found.append((module, {alias.name for alias in node.names}))
    return found


def _blueprint_modules() -> list[Path]:
    return sorted(path for path in WEB.glob("*/*.py") if path.parent.name != "templates")


def test_no_blueprint_imports_another_blueprints_views():
    crossing = [
        f"{path.relative_to(WEB)} imports {module}"
        for path in _blueprint_modules()
        for module, names in _imports(path)
        if (module.endswith(".views") or "views" in names)
        and module.startswith("planner.web.")
        and module.split(".")[2] != path.parent.name
    ]
    assert crossing == []


def test_access_decorators_come_from_auth_access_only():
    elsewhere = [
        f"{path.relative_to(WEB)} takes {sorted(names & DECORATORS)} from {module}"
        for path in _blueprint_modules()
        for module, names in _imports(path)
        if names & DECORATORS and module != "planner.web.auth.access"
    ]
    assert elsewhere == []
