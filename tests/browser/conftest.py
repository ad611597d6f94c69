"""Playwright with Debian's Chromium, against pytest-django's live_server.

Browser tests skip with one clear line when Chromium or Playwright is missing on a
developer's machine; CI sets PORTAL_REQUIRE_BROWSER=1 so that a missing browser fails.
"""

import os
import re
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; Django then refuses
# database access from that thread unless told the loop is not serving requests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
BROWSER_REQUIRED = os.environ.get("PORTAL_REQUIRE_BROWSER") == "1"


def _missing_browser_reason():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    return None


_REASON = _missing_browser_reason()


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "allow_console_errors(*patterns): browser console errors this test provokes on purpose",
    )


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "tests/browser/" in str(item.fspath)]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if _REASON and browser_items:
        if BROWSER_REQUIRED:
            raise pytest.UsageError(
                f"Browser tests are required (PORTAL_REQUIRE_BROWSER=1) but {_REASON}."
            )
        skip = pytest.mark.skip(reason=f"browser tests skipped: {_REASON}")
        for item in browser_items:
            item.add_marker(skip)


def pytest_report_header(config):
    if _REASON:
        return f"browser tests: SKIPPED, {_REASON}"
    return f"browser tests: Chromium at {CHROMIUM}"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


# --- Console errors -----------------------------------------------------------------------
# Every page a test opens records the console's errors and the page's uncaught exceptions;
# a test that leaves any fails (pytest_runtest_call below), whether or not it asked. A test
# that provokes one on purpose says which: @pytest.mark.allow_console_errors(r"regex", ...).


class ConsoleErrors:
    def __init__(self, allowed=()):
        self.allowed = [re.compile(pattern) for pattern in allowed]
        self.errors = []

    def watch(self, page):
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)
        return page

    def _record(self, text):
        if not any(pattern.search(text) for pattern in self.allowed):
            self.errors.append(text)

    def _on_console(self, message):
        if message.type == "error":
            location = message.location or {}
            self._record(f"console.error on {location.get('url', '?')}: {message.text}")

    def _on_page_error(self, error):
        self._record(f"uncaught {error.name}: {error.message}")


def _allowed_console_errors(request):
    return [
        pattern
        for marker in request.node.iter_markers("allow_console_errors")
        for pattern in marker.args
    ]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    errors = [
        error for recorder in getattr(item, "_console_errors", ()) for error in recorder.errors
    ]
    if errors:
        raise AssertionError("Errors in the browser console:\n" + "\n".join(errors))
    return result


def _new_page(browser, request, **context_options):
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", **context_options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    recorder = ConsoleErrors(_allowed_console_errors(request))
    recorder.watch(page)
    if not hasattr(request.node, "_console_errors"):
        request.node._console_errors = []
    request.node._console_errors.append(recorder)
    return context, page


@pytest.fixture
def page(browser, live_server, request):
    """A laptop-sized page with JavaScript on."""
    context, page = _new_page(browser, request, viewport={"width": 1280, "height": 900})
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server, request):
    """A 360 px wide phone page."""
    context, page = _new_page(
        browser, request, viewport={"width": 360, "height": 740}, is_mobile=True
    )
    yield page
    context.close()


@pytest.fixture
def nojs_page(browser, live_server, request):
    """A page with JavaScript disabled: the site must work the same."""
    context, page = _new_page(
        browser, request, viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    yield page
    context.close()


@pytest.fixture
def assert_accessible():
    """Run axe-core on the current page and fail with a readable report on any violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page, context=None):
        results = axe.run(page, context=context)
        assert results.violations_count == 0, (
            f"axe-core violations on {page.url}:\n{results.generate_report()}"
        )
        return results

    return check


# --- Content Security Policy violations (issue 8) ----------------------------------------
# The init script runs before any script of the page (it is not subject to the page's
# policy) and reports every `securitypolicyviolation` event; the console listener catches
# what the browser reports there ("Refused to apply inline style...").
_CSP_RECORDER = """
(() => {
  window.__cspViolations = window.__cspViolations || [];
  document.addEventListener("securitypolicyviolation", (event) => {
    const violation = {
      directive: event.effectiveDirective || event.violatedDirective,
      blocked: event.blockedURI,
      source: event.sourceFile,
      line: event.lineNumber,
      sample: event.sample,
      page: document.location.href,
    };
    window.__cspViolations.push(violation);
    if (window.__portalCspReport) window.__portalCspReport(violation);
  });
})();
"""


class CspViolations:
    """Every CSP violation seen on the pages it watches, across navigations and swaps."""

    def __init__(self):
        self.events = []
        self.console = []

    def watch(self, page):
        """Record violations on `page` from its next navigation on; returns the page."""
        page.expose_function("__portalCspReport", lambda violation: self.events.append(violation))
        page.add_init_script(script=_CSP_RECORDER)
        page.on("console", self._on_console)
        return page

    def _on_console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.console.append(f"{message.type}: {text}")

    @property
    def all(self):
        return [*self.events, *self.console]

    def __len__(self):
        return len(self.all)

    def __bool__(self):
        return bool(self.all)

    def assert_none(self):
        assert not self.all, "Content Security Policy violations:\n" + "\n".join(
            str(violation) for violation in self.all
        )


@pytest.fixture
def csp_violations(page):
    """Watches the laptop `page` for CSP violations; `csp_violations.watch(phone_page)`
    watches another page too. Navigate, click, swap, then `csp_violations.assert_none()`."""
    recorder = CspViolations()
    recorder.watch(page)
    return recorder


@pytest.fixture
def assert_accessible_without_js(browser, assert_accessible):
    """axe-core on what a page shows with JavaScript off. axe runs in the page, so the
    no-JavaScript markup is served again, as it stands, to a page where only axe runs."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    checker = context.new_page()
    markup = {}

    def serve(route):
        if route.request.resource_type == "document":
            route.fulfill(body=markup["html"], content_type="text/html; charset=utf-8")
        elif route.request.resource_type == "script":
            route.fulfill(body="", content_type="text/javascript")
        else:
            route.continue_()

    checker.route("**/*", serve)

    def check(nojs_page):
        markup["html"] = nojs_page.content()
        checker.goto(nojs_page.url)
        assert_accessible(checker)

    yield check
    context.close()


# --- Participation content, shared by the browser tests of the forms ------------------------


@pytest.fixture
def chantiers():
    """Two of the real chantiers, by their real names."""
    from tests.factories import ChantierFactory

    return [
        ChantierFactory(title="Mobilisation de l'épargne locale", slug="epargne-locale"),
        ChantierFactory(title="Dessine-moi ton agriculture !", slug="agriculture"),
    ]


@pytest.fixture
def meeting(chantiers):
    """An intersession of « agriculture » open to two people, one seat already taken."""
    from tests.chantiers.factories import OpenIntersessionFactory, RegistrationFactory

    meeting = OpenIntersessionFactory(
        chantier=chantiers[1], title="Intersession – agriculture", slug="intersession", capacity=2
    )
    RegistrationFactory(meeting=meeting)
    return meeting
