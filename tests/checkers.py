"""Readers of our files that we did not write: the W3C Nu HTML checker (Java), ical.js
(Mozilla's calendar parser, on Node) and HTML_CodeSniffer (pa11y's WCAG runner).

They come from npm (package.json; `make test` runs `npm ci` where npm exists). On a
developer's machine without Java or Node the tests that need them skip with a clear
reason; CI sets PORTAL_REQUIRE_CHECKERS=1 so that a missing checker fails instead.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
ICAL_JS = NODE_MODULES / "ical.js"
HTMLCS_JS = NODE_MODULES / "html_codesniffer" / "build" / "HTMLCS.js"
REQUIRED = os.environ.get("PORTAL_REQUIRE_CHECKERS") == "1"


def require(*, program: str | None = None, path: Path | None = None) -> str | None:
    """The program's path, or skip (fail in CI) with what is missing. Without a program,
    only the file is required (HTMLCS.js, which the browser runs)."""
    found = shutil.which(program) if program else None
    reason = None
    if program and not found:
        reason = f"{program} is not installed"
    elif path is not None and not path.exists():
        reason = f"{path.relative_to(ROOT)} is missing (npm ci)"
    if reason:
        if REQUIRED:
            pytest.fail(f"format checkers are required (PORTAL_REQUIRE_CHECKERS=1): {reason}")
        pytest.skip(f"format checker unavailable: {reason}")
    return found


def run_node(script: str, stdin: str, *, timeout: int = 60) -> dict | list:
    """Run a Node script with our node_modules on its path; it prints one JSON value."""
    node = require(program="node", path=ICAL_JS)
    result = subprocess.run(
        [node, "-e", script],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, "NODE_PATH": str(NODE_MODULES)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def vnu_messages(paths: list[Path], *, css: bool = False, also_css: bool = False) -> list[dict]:
    """Errors of the Nu HTML checker (vnu.jar) on the given files, in one JVM start.

    css: every file is checked as CSS; also_css: the *.css files as CSS, the others as
    HTML (pages and stylesheets in the same start).
    """
    java = require(program="java", path=VNU_JAR)
    args = [java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only"]
    if css:
        args.append("--css")
    elif also_css:
        args.append("--also-check-css")
    result = subprocess.run(
        [*args, *map(str, paths)], capture_output=True, text=True, timeout=600, check=False
    )
    # vnu prints its JSON report on stderr and exits 1 when it found errors.
    report = json.loads(result.stderr or result.stdout)
    return [m for m in report["messages"] if m.get("type") == "error"]
