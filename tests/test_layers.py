"""Imports point down the layers, never up (STYLE.md, "Layers that point one way"):

    tracker    the project glue and the API toolkit: imports no app of ours
    accounts   people and organisations: imports tracker only
    programs   the domain: imports tracker and accounts
    exporters  registered companies: may import the three above
    devtools   development tooling: may import anything; nothing imports it but management
               command wiring (a command that offers a development-only option)

and a service never imports a task (tasks are thin wrappers over services). Inside the
domain, the same one way (DOMAIN_LAYERS): the models import nothing else of programs; what
reads them (selectors, the workflow rules, the reporting words, the charts) no service; the
services no import, API or admin.

A small AST walk over the production packages (every import, also those inside functions,
relative ones resolved), no dependency.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Bottom to top. A package may import its own layer and those below.
LAYERS = ("tracker", "accounts", "programs", "exporters", "devtools")
RANK = {package: rank for rank, package in enumerate(LAYERS)}
# The production packages scanned (devtools may import anything, so it is not).
SCANNED = ("tracker", "accounts", "programs", "exporters")

# programs' own parts, bottom to top; a part may import its own layer and those below.
# What is not named (api, admin, urls, apps, tasks, templatetags, management, migrations...)
# is the top: it may import any part.
DOMAIN_LAYERS = (
    {"models", "tally_sql", "open_tally_sql"},
    {"selectors", "workflow", "reporting", "charts"},
    {"services"},
    {"imports"},
)
DOMAIN_RANK = {part: rank for rank, parts in enumerate(DOMAIN_LAYERS) for part in parts}
DOMAIN_TOP = len(DOMAIN_LAYERS)


def module_name(path):
    relative = path.relative_to(ROOT).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def is_module(dotted):
    base = ROOT.joinpath(*dotted.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def imported_modules(path):
    """Every module `path` imports, by absolute dotted name; `from package import module`
    names the module itself."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                yield submodule if is_module(submodule) else source


def breaks_a_rule(path, module):
    relative = path.relative_to(ROOT).as_posix()
    importer, imported = relative.split("/")[0], module.split(".")[0]
    if imported not in RANK:
        return False  # not ours
    if imported == "devtools":
        return "/management/commands/" not in relative
    if RANK[imported] > RANK[importer]:
        return True
    # A service (of any app) never imports a task module (`<app>.tasks`).
    return relative.split("/")[1:2] == ["services"] and module.split(".")[1:2] == ["tasks"]


def domain_part(dotted):
    """`programs.services.reminders.due` -> "services"."""
    return dotted.split(".")[1] if dotted.count(".") else ""


def breaks_a_domain_rule(path, module):
    importer, imported = module_name(path), module
    if not (importer.startswith("programs.") and imported.startswith("programs.")):
        return False
    return (DOMAIN_RANK.get(domain_part(imported), DOMAIN_TOP)
            > DOMAIN_RANK.get(domain_part(importer), DOMAIN_TOP))


def domain_violations():
    found = {}
    for path in sorted((ROOT / "programs").rglob("*.py")):
        for module in imported_modules(path):
            if breaks_a_domain_rule(path, module):
                found.setdefault(path.relative_to(ROOT).as_posix(), set()).add(module)
    return found


def violations():
    found = {}
    for package in SCANNED:
        for path in sorted((ROOT / package).rglob("*.py")):
            for module in imported_modules(path):
                if breaks_a_rule(path, module):
                    found.setdefault(path.relative_to(ROOT).as_posix(), set()).add(module)
    return found


def pairs(mapping):
    return {(file, module) for file, modules in mapping.items() for module in modules}


def listing(found_pairs):
    return "\n".join(f"  {file} imports {module}" for file, module in sorted(found_pairs))


def test_imports_point_down_the_layers():
    found = pairs(violations())
    assert not found, (
        "Imports pointing up the layers (tracker < accounts < programs < exporters < devtools; "
        "services never import tasks; only management commands import devtools):\n"
        + listing(found) + "\nMove the code to the lower layer, or pass down what it needs.")


def test_the_domains_parts_point_down_too():
    found = pairs(domain_violations())
    assert not found, (
        "Imports pointing up inside programs (models < selectors, workflow, reporting, charts "
        "< services < imports < the rest):\n" + listing(found)
        + "\nMove the code down, or let the higher part hand it down (as apps.py registers the "
        "webhook resources).")


def test_the_layer_check_sees_relative_and_function_level_imports():
    """The check itself: a relative import and an import inside a function are found."""
    found = {module for path in (ROOT / "programs/management/commands/seed.py",
                                 ROOT / "programs/services/milestones.py")
             for module in imported_modules(path)}
    assert "devtools.demo" in found  # imported inside Command.handle
    assert any(module.startswith("programs.models") for module in found)
