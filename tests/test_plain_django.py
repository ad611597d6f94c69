"""Plain Django: no module of ours reaches into Django's query machinery. Querysets are
built and run as Django's documentation writes them; an expression of ours may write its
SQL (`as_sql`, `as_<vendor>` calling `super().as_sql(...)`, as the documentation's custom
expressions do), but nothing asks a query for its compiler or its SQL, nor reads the
private attributes of a queryset. The modules that did are gone."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "chantiers", "diagnostic", "accessibilite", "accounts", "petr_portal", "bench")
# Django's query machinery, and the private state of a queryset.
FORBIDDEN_ATTRIBUTES = {
    "get_compiler",
    "sql_with_params",
    "_prefetch_related_lookups",
    "_result_cache",
    "_prefetch_done",
    "_known_related_objects",
    "_iterable_class",
    "_fields",
    "_hints",
}


def _modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _findings(path):
    """What the module reaches into: "line .attribute", sorted."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRIBUTES:
            found.append((node.lineno, f".{node.attr}"))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "as_sql"
            and not _is_super_call(node.func.value)
        ):
            found.append((node.lineno, ".as_sql()"))
    return [f"{line} {what}" for line, what in sorted(found)]


def _is_super_call(value):
    """`super()`: an expression of ours handing its own SQL to Django's."""
    return isinstance(value, ast.Call) and getattr(value.func, "id", None) == "super"


def test_no_module_reaches_into_the_query_machinery():
    found = {
        str(path.relative_to(ROOT)): findings
        for path in _modules()
        if (findings := _findings(path))
    }
    assert found == {}


def test_the_compiled_queries_and_the_python_form_renderer_are_gone():
    assert not (ROOT / "core" / "compiled.py").exists()
    assert not (ROOT / "core" / "form_renderer.py").exists()


def test_the_check_sees_a_compiled_query(tmp_path):
    module = tmp_path / "compiled.py"
    module.write_text(
        "def rows(queryset):\n"
        "    compiler = queryset.query.get_compiler('default')\n"
        "    sql, params = compiler.as_sql()\n"
        "    queryset._prefetch_related_lookups = ()\n"
        "    return sql, params\n"
    )
    assert _findings(module) == ["2 .get_compiler", "3 .as_sql()", "4 ._prefetch_related_lookups"]
