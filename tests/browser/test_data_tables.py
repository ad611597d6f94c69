"""Every data table of the site passes HTML_CodeSniffer (WCAG2AA) with no error.

HTML_CodeSniffer is the engine of pa11y's « htmlcs » runner: the test injects its build
into each public page that has a <table> and runs it as that runner does,
`HTMLCS.process("WCAG2AA", document, callback)`, then reads `HTMLCS.getMessages()`
(type 1 is an error, 2 a warning, 3 a notice).
"""

import pytest

from diagnostic.models import RevenueDiagnostic
from tests.checkers import HTMLCS_JS, require
from tests.petr_portal.site_pages import load_site, site_urls

pytestmark = pytest.mark.django_db(transaction=True)

ERROR = 1
RUN_HTMLCS = """
() => new Promise((resolve, reject) => {
  window.HTMLCS.process("WCAG2AA", window.document, (error) => {
    if (error) { reject(error); return; }
    resolve(window.HTMLCS.getMessages().map((message) => ({
      type: message.type,
      code: message.code,
      message: message.msg,
      element: message.element && message.element.outerHTML
        ? message.element.outerHTML.slice(0, 200) : String(message.element),
    })));
  });
})
"""


@pytest.fixture
def reader_page(browser, live_server):
    """A page where a test-only reader may add its script: the site's Content Security
    Policy rightly refuses scripts it did not list."""
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def htmlcs_messages(page):
    page.add_script_tag(path=str(HTMLCS_JS))
    return page.evaluate(RUN_HTMLCS)


def test_every_data_table_passes_html_codesniffer(reader_page, live_server):
    require(path=HTMLCS_JS)
    content = load_site()
    # Every year of the diagnostic, each with its own tables.
    years = RevenueDiagnostic.objects.values_list("year", flat=True)
    paths = [*site_urls(content).values(), *(f"/diagnostic/?annee={year}" for year in years)]
    with_tables, errors = [], []
    for path in paths:
        # Calendars and downloads are not pages: HEAD tells them apart.
        head = reader_page.request.head(live_server.url + path, max_redirects=0)
        if not (head.ok and head.headers.get("content-type", "").startswith("text/html")):
            continue
        reader_page.goto(live_server.url + path)
        if not reader_page.locator("table").count():
            continue
        with_tables.append(path)
        for message in htmlcs_messages(reader_page):
            if message["type"] == ERROR:
                errors.append(
                    f"{path} {message['code']}\n  {message['message']}\n  {message['element']}"
                )
    for path in ("/diagnostic/", "/indicateurs/", "/donnees/", "/confidentialite/"):
        assert path in with_tables
    assert not errors, f"{len(errors)} erreurs HTML_CodeSniffer (WCAG2AA) :\n" + "\n".join(errors)
