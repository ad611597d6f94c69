"""A team member in Chromium: signs in, adds an intersession in the admin, writes its
minutes after the meeting, and sees both on the public pages.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from chantiers.models import Meeting
from tests.accounts.helpers import PASSWORD, make_account
from tests.factories import ChantierFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def signed_in(page, live_server, user):
    """Give the browser the session of `user`, without going through the sign-in page."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


def test_a_team_member_adds_an_intersession_and_its_minutes(page, live_server, csp_violations):
    chantier = ChantierFactory(title="Dessine-moi ton agriculture !", slug="agriculture")
    user = make_account("equipe", email="camille@example.org", full_name="Camille")
    TeamMemberFactory(user=user).coordinated_chantiers.add(chantier)

    page.goto(live_server.url + "/compte/connexion/")
    page.get_by_label("Adresse électronique").fill("camille@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(live_server.url + "/compte/")

    # From « Mon espace », straight to a new intersession of the chantier.
    page.get_by_role(
        "link", name="Ajouter une intersession à « Dessine-moi ton agriculture ! »"
    ).click()
    assert "/admin/chantiers/intersession/add/" in page.url
    assert (
        "Dessine-moi ton agriculture !"
        in page.locator("#select2-id_chantier-container").inner_text()
    )

    day = timezone.localdate() + timedelta(days=12)
    page.locator("#id_title").fill("Soirée circuits courts")
    page.locator("#id_starts_at_0").fill(day.strftime("%d/%m/%Y"))
    page.locator("#id_starts_at_1").fill("18:30")
    page.locator("#id_ends_at_0").fill(day.strftime("%d/%m/%Y"))
    page.locator("#id_ends_at_1").fill("21:00")
    page.locator("#id_place_name").fill("Foyer rural")
    page.locator("#id_place_commune").fill("Assier")
    page.locator("#id_agenda").fill("- Tour de table des fermes\n- Carte des points de vente")
    page.get_by_role("button", name="Enregistrer", exact=True).first.click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    meeting = Meeting.objects.get()

    page.goto(live_server.url + "/agenda/")
    expect(page.get_by_text("Soirée circuits courts").first).to_be_visible()
    page.goto(live_server.url + chantier.get_absolute_url())
    expect(page.get_by_text("Soirée circuits courts").first).to_be_visible()

    # The meeting took place: the team member writes its minutes.
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(days=1, hours=3),
        ends_at=timezone.now() - timedelta(days=1),
    )
    page.goto(live_server.url + "/compte/")
    page.get_by_role("link", name="Écrire le compte rendu : Soirée circuits courts").click()
    page.locator("#id_minutes").fill(
        "Vingt fermes présentes ; prochaine étape : une carte commune."
    )
    page.locator("#id_status").select_option("tenue")
    page.get_by_role("button", name="Enregistrer", exact=True).first.click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    page.goto(live_server.url + meeting.get_absolute_url())
    expect(page.get_by_text("Vingt fermes présentes")).to_be_visible()
    expect(page.get_by_text("Tour de table des fermes")).to_be_visible()

    # The history says who wrote what; the Markdown help opens; all under the CSP.
    page.goto(live_server.url + f"/admin/chantiers/intersession/{meeting.pk}/history/")
    expect(page.locator("#change-history")).to_contain_text("Camille")
    expect(page.locator("#change-history")).to_contain_text("Compte rendu")
    page.goto(live_server.url + f"/admin/chantiers/intersession/{meeting.pk}/change/")
    page.get_by_text("Aide à la mise en forme (Markdown)").first.click()
    expect(page.get_by_text("un intertitre").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    csp_violations.assert_none()


def test_dupliquer_in_the_browser_prepares_the_next_meeting(page, live_server):
    chantier = ChantierFactory(title="Mobilisation de l'épargne locale")
    signed_in(page, live_server, make_account("equipe"))
    source = Meeting.objects.create(
        kind="intersession",
        title="Soirée épargne",
        slug="soiree-epargne",
        chantier=chantier,
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=2),
        place_commune="Figeac",
    )
    page.goto(live_server.url + f"/admin/chantiers/intersession/{source.pk}/change/")
    page.get_by_role("link", name="Dupliquer").click()
    assert page.locator("#id_title").input_value() == "Soirée épargne"
    assert page.locator("#id_place_commune").input_value() == "Figeac"
    expect(page.locator(".messagelist")).to_contain_text("Nouvelle réunion préparée")
    page.get_by_role("button", name="Enregistrer", exact=True).first.click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert Meeting.objects.count() == 2
