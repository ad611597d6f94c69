"""Markup lives in templates: no template tag or filter of ours writes HTML in Python, nor
renders a template once and keeps the result, where a designer's change to the template
would not show. The Markdown filters are the exceptions: they turn what the team typed, or
the RGAA's official texts (Markdown, and the glossary's HTML), into sanitised HTML, markup
nobody writes by hand."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("core", "chantiers", "diagnostic", "accessibilite", "accounts", "petr_portal")
# Calls that write markup, or keep a rendered template.
WRITING = {
    "mark_safe",
    "format_html",
    "format_html_join",
    "SafeString",
    "get_template",
    "render_to_string",
}
ALLOWED = {
    ("chantiers/templatetags/demarche.py", "markdown"),
    ("accessibilite/templatetags/rgaa.py", "rgaa_markdown"),
    ("accessibilite/templatetags/rgaa.py", "rgaa_glossary"),
}


def _called_name(call):
    function = call.func
    if isinstance(function, ast.Attribute):
        return function.attr
    return function.id if isinstance(function, ast.Name) else None


def _writers():
    """(module, function) of every tag or filter function that calls one of WRITING."""
    found = set()
    for app in APPS:
        for path in sorted((ROOT / app).glob("templatetags/*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for function in ast.walk(tree):
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for node in ast.walk(function):
                    if isinstance(node, ast.Call) and _called_name(node) in WRITING:
                        found.add((str(path.relative_to(ROOT)), function.name))
    return found


def test_no_template_tag_writes_markup_in_python():
    assert _writers() == ALLOWED


def test_the_check_sees_a_tag_that_writes_markup(tmp_path, monkeypatch):
    library = tmp_path / "core" / "templatetags"
    library.mkdir(parents=True)
    (library / "badges.py").write_text(
        "from django.utils.html import format_html\n"
        "def badge(text):\n"
        "    return format_html('<span class=\"badge\">{}</span>', text)\n",
        encoding="utf-8",
    )
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    assert _writers() == {("core/templatetags/badges.py", "badge")}
