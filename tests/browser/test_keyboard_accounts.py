"""The élu's and the team's journeys with the keyboard only, in Chromium: an élu signs in
from the header and downloads a reserved report from « Mon espace »; a team member opens
an intersession in the admin and writes its minutes. Focus is followed at each step and
axe-core runs on each page; the élu's journey again with JavaScript off."""

import pytest
from playwright.sync_api import expect

from chantiers.models import Meeting, MeetingKind
from diagnostic import territoire
from diagnostic.models import DocumentKind, Visibility
from tests.accounts.helpers import PASSWORD, make_account
from tests.browser.test_keyboard import focus_is_visible, tab_to
from tests.diagnostic.factories import DocumentFactory, elu
from tests.factories import ChantierFactory, MeetingFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def report():
    territoire.load()
    return DocumentFactory(
        title="Rapport final réservé – version élus",
        slug="rapport-reserve",
        kind=DocumentKind.FINAL_REPORT,
        visibility=Visibility.RESERVED,
    )


def sign_in_by_keyboard(page, email, check=None):
    """From the home page: Tab to « Espace élus et équipe » in the footer, Enter (the
    sign-in page), type the address and the password, Enter."""
    link = page.get_by_role("link", name="Espace élus et équipe")
    tab_to(page, link)
    page.keyboard.press("Enter")
    page.wait_for_url("**/compte/connexion/**")
    if check:
        check(page)
    email_field = page.get_by_label("Adresse électronique")
    tab_to(page, email_field)
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Mot de passe")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")


def download_by_keyboard(page):
    """Tab to the reserved report's « Télécharger » and press Enter: the PDF arrives."""
    link = page.locator("#document-rapport-reserve").get_by_role("link", name="Télécharger")
    presses = tab_to(page, link)
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download = download_info.value
    assert download.suggested_filename == "Rapport final réservé – version élus.pdf"
    with open(download.path(), "rb") as received:
        assert received.read(5) == b"%PDF-"
    return presses


def test_an_elu_signs_in_and_downloads_a_reserved_report_by_keyboard(
    page, live_server, assert_accessible, report
):
    elu(email="elue@example.org")
    page.goto(live_server.url + "/")
    sign_in_by_keyboard(page, "elue@example.org", check=assert_accessible)
    page.wait_for_url(live_server.url + "/compte/")
    assert_accessible(page)
    # « Mon espace » is in the header now, and the report is a few Tabs away.
    expect(page.locator("#menu").get_by_role("link", name="Mon espace")).to_be_visible()
    link = page.locator("#document-rapport-reserve").get_by_role("link", name="Télécharger")
    presses = download_by_keyboard(page)
    assert focus_is_visible(link)
    assert presses <= 30, presses
    report.refresh_from_db()
    assert report.downloads == 1


def test_an_elu_signs_in_and_downloads_by_keyboard_without_javascript(
    nojs_page, live_server, report
):
    elu(email="elue@example.org")
    nojs_page.goto(live_server.url + "/")
    sign_in_by_keyboard(nojs_page, "elue@example.org")
    nojs_page.wait_for_url(live_server.url + "/compte/")
    download_by_keyboard(nojs_page)
    report.refresh_from_db()
    assert report.downloads == 1


def write_minutes_by_keyboard(page, live_server, check=lambda page: None):
    """Sign in as the team, reach the intersession in the admin through its links, type
    the minutes, save: all with Tab, typing and Enter. The meeting as saved."""
    chantier = ChantierFactory(title="Dessine-moi ton agriculture !", slug="agriculture")
    meeting = MeetingFactory(
        kind=MeetingKind.INTERSESSION, chantier=chantier, title="Intersession de mars"
    )
    make_account("equipe", email="equipe@example.org")
    page.goto(live_server.url + "/")
    sign_in_by_keyboard(page, "equipe@example.org")
    page.wait_for_url(live_server.url + "/compte/")
    # From « Mon espace » to the admin, then to the intersession, by links and Enter.
    tab_to(page, page.get_by_role("link", name="Ouvrir l'administration"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/")
    check(page)
    tab_to(page, page.get_by_role("link", name="Intersessions", exact=True))
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/chantiers/intersession/")
    tab_to(page, page.get_by_role("link", name="Intersession de mars"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/admin/chantiers/intersession/{meeting.pk}/change/")
    check(page)
    tab_to(page, page.locator("textarea[name='minutes']"))
    page.keyboard.type("Quinze participants ; deux visites de ferme prévues.")
    tab_to(page, page.locator("input[name='_save']"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/chantiers/intersession/")
    expect(page.locator(".messagelist")).to_contain_text("Intersession de mars")
    check(page)
    return Meeting.objects.get(pk=meeting.pk)


def test_a_team_member_writes_minutes_in_the_admin_by_keyboard(
    page, live_server, assert_accessible
):
    meeting = write_minutes_by_keyboard(page, live_server, check=assert_accessible)
    assert meeting.minutes == "Quinze participants ; deux visites de ferme prévues."


def test_a_team_member_writes_minutes_by_keyboard_without_javascript(nojs_page, live_server):
    meeting = write_minutes_by_keyboard(nojs_page, live_server)
    assert meeting.minutes == "Quinze participants ; deux visites de ferme prévues."
