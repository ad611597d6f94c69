"""Dependencies point one way:
core ← chantiers ← diagnostic ← accessibilite ← accounts ← petr_portal.

Every module of our apps (function-level imports included) and every template's
`{% load %}` are read; an edge from a floor to a floor above it fails the test, named.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# From the bottom floor up: each may use the floors below it, never one above.
LAYERS = ("core", "chantiers", "diagnostic", "accessibilite", "accounts", "petr_portal")
RANK = {name: rank for rank, name in enumerate(LAYERS)}
LOAD = re.compile(r"{%\s*load\s+(.+?)\s*%}")


def _module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules():
    for layer in LAYERS:
        yield from sorted((ROOT / layer).rglob("*.py"))


def _imported(path, module=None):
    """The absolute names of every module `path` imports, wherever the import is."""
    module = module or _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module
            # `from petr_portal import cache` imports the module petr_portal.cache.
            for alias in node.names:
                yield _known_module(f"{name}.{alias.name}")


def _layer(name):
    return name.split(".", 1)[0] if name.split(".", 1)[0] in RANK else None


def _import_edges():
    edges = set()
    for path in _modules():
        source = _module_name(path)
        for target in _imported(path):
            target_layer = _layer(target)
            if target_layer and RANK[target_layer] > RANK[_layer(source)]:
                edges.add((source, target))
    return edges


def _known_module(name):
    """`name` cut to the module it names (`chantiers.models.Meeting` → `chantiers.models`)."""
    parts = name.split(".")
    while parts:
        base = ROOT.joinpath(*parts)
        if base.with_suffix(".py").exists() or (base / "__init__.py").exists():
            return ".".join(parts)
        parts.pop()
    return name


def _tag_libraries():
    """{library name: layer} for the template tag libraries of our apps."""
    libraries = {}
    for layer in LAYERS:
        for path in (ROOT / layer).glob("templatetags/*.py"):
            if path.stem != "__init__":
                libraries[path.stem] = layer
    return libraries


def _template_layer(path):
    """The floor a template belongs to: its app's folder (admin/<app>/ for the admin's);
    site-wide templates (base, errors, sign-in) are petr_portal's; shared includes/ are
    the floor under every app."""
    if ROOT / "templates" not in path.parents:
        return next(layer for layer in LAYERS if ROOT / layer in path.parents)
    parts = path.relative_to(ROOT / "templates").parts
    if parts[0] == "admin" and len(parts) > 2 and parts[1] in RANK:
        return parts[1]
    if parts[0] in RANK:
        return parts[0]
    return "core" if parts[0] == "includes" else "petr_portal"


def _templates():
    folders = [ROOT / "templates", *(ROOT / layer / "templates" for layer in LAYERS)]
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in (".html", ".txt", ".xml"):
                yield path


def _template_edges():
    libraries = _tag_libraries()
    edges = set()
    for path in _templates():
        layer = _template_layer(path)
        for match in LOAD.finditer(path.read_text(encoding="utf-8")):
            words = match.group(1).split()
            # {% load a b %} or {% load x y from a %}
            names = words[-1:] if "from" in words else words
            for name in names:
                target = libraries.get(name)
                if target and RANK[target] > RANK[layer]:
                    edges.add((str(path.relative_to(ROOT)), f"{target}.templatetags.{name}"))
    return edges


def _describe(edges):
    return "\n".join(f"  {source} → {target}" for source, target in sorted(edges))


def test_the_reader_sees_imports_of_every_kind(tmp_path):
    """The checks below see function-level, relative and `from package import module`
    imports: a reader that missed them would pass on anything."""
    path = ROOT / "chantiers" / "templatetags" / "demarche.py"
    assert "core.text" in set(_imported(path))
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f():\n    from petr_portal import views\n    import accounts.roles\n"
        "from .models import Chantier\n"
    )
    names = set(_imported(sample, module="chantiers.sample"))
    assert {"petr_portal.views", "accounts.roles", "chantiers.models"} <= names


def test_the_template_reader_maps_libraries_to_their_app():
    libraries = _tag_libraries()
    assert libraries["demarche"] == "chantiers"
    assert libraries["diagnostic_tags"] == "diagnostic"
    assert _template_layer(ROOT / "templates" / "chantiers" / "team.html") == "chantiers"
    assert _template_layer(ROOT / "templates" / "base.html") == "petr_portal"


def test_python_imports_point_down_only():
    edges = _import_edges()
    assert not edges, "Imports that run back up a floor:\n" + _describe(edges)


def test_templates_load_tag_libraries_of_their_floor_or_below():
    edges = _template_edges()
    assert not edges, "{% load %} that runs back up a floor:\n" + _describe(edges)


def test_built_in_tag_libraries_are_on_the_bottom_floor(settings):
    """A built-in library reaches every template without a {% load %}: of ours, only
    core's may be built in."""
    for engine in settings.TEMPLATES:
        for library in engine.get("OPTIONS", {}).get("builtins", []):
            layer = _layer(library)
            assert layer in (None, "core"), f"every template → {library}"


# A module says one thing: past this many lines it is split by subject (migrations aside,
# which Django writes).
LONGEST_MODULE = 450


def test_no_module_of_ours_outgrows_the_longest_allowed():
    modules = [*_modules(), *sorted((ROOT / "bench").rglob("*.py"))]
    modules += sorted((ROOT / "tests").rglob("*.py"))
    lengths = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for path in modules
        if "migrations" not in path.parts
    }
    assert len(lengths) > 300
    assert {path: n for path, n in lengths.items() if n > LONGEST_MODULE} == {}
