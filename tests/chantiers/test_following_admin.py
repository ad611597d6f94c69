"""Followers in the admin: the team sees a number per chantier and a send log without
addresses; only Administration sees, exports (with the formula guard) and deletes them."""

import pytest
from django.test import Client
from django.utils import timezone

from chantiers.models import Rhythm, Subscription
from core import outbox
from tests.accounts.helpers import make_account
from tests.factories import ChantierFactory

pytestmark = pytest.mark.django_db

SUBSCRIPTIONS = "/admin/chantiers/subscription/"
CHANTIERS = "/admin/chantiers/chantier/"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def signed_in(role, email):
    client = Client()
    client.force_login(make_account(role, email=email))
    return client


def follower(email, *chantiers, confirmed=True, **fields):
    subscription = Subscription.objects.create(
        email=email,
        rhythm=Rhythm.WEEKLY,
        confirmed_at=timezone.now() if confirmed else None,
        **fields,
    )
    subscription.chantiers.add(*chantiers)
    return subscription


def test_the_team_sees_how_many_confirmed_followers_each_chantier_has_not_who():
    agriculture = ChantierFactory(title="Agriculture", slug="agriculture")
    epargne = ChantierFactory(title="Épargne", slug="epargne")
    follower("a@example.org", agriculture)
    follower("b@example.org", agriculture, epargne)
    follower("c@example.org", agriculture, confirmed=False)
    follower("tous@example.org", all_chantiers=True)
    team = signed_in("equipe", "equipe@example.org")
    page = team.get(CHANTIERS).content.decode()
    assert "Abonné·es confirmé·es" in page
    rows = {
        title: page.split(title, 1)[1].split("</tr>", 1)[0] for title in ("Agriculture", "Épargne")
    }
    assert '<td class="field-follower_count">3</td>' in rows["Agriculture"]
    assert '<td class="field-follower_count">2</td>' in rows["Épargne"]
    assert "a@example.org" not in page
    assert team.get(SUBSCRIPTIONS).status_code == 403


def test_the_team_reads_the_send_log_without_addresses():
    outbox.queue(
        outbox.Email(
            recipient="lecteur@example.org",
            key="k",
            kind="nouvelle : meetings",
            subject="Nouvelle réunion : essai",
            text="x",
        )
    )
    team = signed_in("equipe", "equipe@example.org")
    page = team.get("/admin/core/outboxemail/").content.decode()
    assert "Nouvelle réunion : essai" in page and "lecteur@example.org" not in page
    [row] = outbox.OutboxEmail.objects.all()
    detail = team.get(f"/admin/core/outboxemail/{row.pk}/change/").content.decode()
    assert "lecteur@example.org" not in detail


def test_the_send_log_says_to_how_many_each_email_went_and_what_failed(settings):
    settings.PORTAL_OUTBOX_MAX_ATTEMPTS = 1
    outbox.queue(
        outbox.Email(
            recipient=f"p{i}@example.org",
            key="news:1",
            kind="nouvelle : meetings",
            subject="Nouvelle réunion : essai",
            text="x",
        )
        for i in range(3)
    )
    from tests.mail import deliver

    deliver()
    outbox.OutboxEmail.objects.filter(recipient="p2@example.org").update(status="echec")
    team = signed_in("equipe", "equipe@example.org")
    page = team.get("/admin/core/outboxemail/").content.decode()
    assert (
        "<tr><td>Nouvelle réunion : essai</td><td>nouvelle : meetings</td>"
        "<td>2</td><td>0</td><td>1</td></tr>"
    ) in page


def test_administration_lists_exports_with_the_formula_guard_and_deletes():
    chantier = ChantierFactory(title="Agriculture", slug="agriculture")
    tricky = follower("=HYPERLINK(1)@example.org", chantier)
    follower("b@example.org", all_chantiers=True)
    admin = signed_in("admin", "admin@example.org")
    page = admin.get(SUBSCRIPTIONS).content.decode()
    assert "b@example.org" in page
    response = admin.post(
        SUBSCRIPTIONS,
        {
            "action": "export_csv",
            "_selected_action": list(Subscription.objects.values_list("pk", flat=True)),
        },
    )
    text = response.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "adresse;confirmé;rythme;chantiers;nouvelles;demandé le;confirmé le"
    assert any(line.startswith("'=HYPERLINK(1)@example.org;oui;") for line in lines)
    assert any(
        line.startswith("b@example.org;oui;Une fois par semaine (le lundi matin);tous")
        for line in lines
    )
    response = admin.post(
        SUBSCRIPTIONS,
        {"action": "delete_selected", "_selected_action": [tricky.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert list(Subscription.objects.values_list("email", flat=True)) == ["b@example.org"]


@pytest.mark.parametrize("followers", [2, 60])
def test_the_chantier_list_costs_the_same_whatever_the_followers(
    django_assert_max_num_queries, followers
):
    chantier = ChantierFactory()
    for index in range(followers):
        follower(f"p{index}@example.org", chantier)
    team = signed_in("equipe", "equipe@example.org")
    with django_assert_max_num_queries(12):
        assert team.get(CHANTIERS).status_code == 200


def test_the_privacy_page_says_what_is_kept_for_how_long_and_how_to_leave(client):
    page = client.get("/confidentialite/").content.decode().replace("&nbsp;", " ")
    assert 'id="suivre"' in page
    assert "Une demande non confirmée est effacée après 7 jours" in page
    assert "seule l'administration du portail voit les adresses" in page.replace("&#x27;", "'")
    assert "se désabonner" in page and "30 jours après l'envoi" in page
    # What the code does (test_send_log_admin, test_following): the team reads the log
    # without addresses, and unsubscribing erases the subscription's emails at once.
    page = page.replace("&#x27;", "'")
    assert "L'équipe du projet de territoire lit le journal sans les adresses" in page
    assert "un désabonnement efface aussitôt les courriels de l'abonnement" in page
