"""Every admin page the project team opens passes axe-core: the index, and for each model
the « Équipe projet » role sees, its list, the change page of one object and the add page."""

import pytest
from playwright.sync_api import expect

from chantiers import demo
from tests.accounts.helpers import make_account
from tests.browser.test_admin_team import signed_in

pytestmark = pytest.mark.django_db(transaction=True)


def admin_pages(page, live_server):
    """(what, URL) of every list, one change page and the add page of each model the
    signed-in person may open, read from the admin index as they see it."""
    page.goto(live_server.url + "/admin/")
    models = page.locator("#content-main .module tr[class^='model-']")
    rows = []
    for row in models.all():
        add = row.locator("a.addlink")
        rows.append(
            (
                row.locator("th a").inner_text(),
                row.locator("th a").get_attribute("href"),
                add.get_attribute("href") if add.count() else None,
            )
        )
    pages = []
    for name, list_url, add_url in rows:
        pages.append((f"liste « {name} »", list_url))
        page.goto(live_server.url + list_url)
        first = page.locator("#result_list tbody tr:first-child a[href*='/change/']").first
        if first.count():
            pages.append((f"modification « {name} »", first.get_attribute("href")))
        if add_url:
            pages.append((f"ajout « {name} »", add_url))
    return pages


def test_every_admin_page_of_the_team_is_axe_clean(page, live_server, assert_accessible):
    demo.load()
    signed_in(page, live_server, make_account("equipe"))
    page.goto(live_server.url + "/admin/")
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page)
    pages = admin_pages(page, live_server)
    what = {what for what, _ in pages}
    # The pages the team works on are all walked (not silently skipped).
    assert {
        "liste « Intersessions »",
        "modification « Intersessions »",
        "ajout « Intersessions »",
        "ajout « Sessions »",
    } <= what, what
    failures = []
    for what, url in pages:
        page.goto(live_server.url + url)
        try:
            assert_accessible(page)
        except AssertionError as error:
            failures.append(f"{what}: {error}")
    assert not failures, "\n\n".join(failures)
