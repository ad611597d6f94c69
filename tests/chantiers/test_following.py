"""Following by email: double opt-in, nothing to unconfirmed addresses, asking again reveals
nothing, expired links, the purge, the « gérer » page, abuse protection, the join form's
« Être tenu·e au courant », the chantier page's link, documents, query budgets."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from chantiers import following
from chantiers.models import Rhythm, Subscription
from core.models import FormPostCount, OutboxEmail
from tests.chantiers.participation import (  # noqa: F401 (_empty_cache: autouse)
    _empty_cache,
    html_of,
    join_data,
)
from tests.factories import ChantierFactory
from tests.mail import deliver

pytestmark = pytest.mark.django_db

ADDRESS = "anne.roux@example.org"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def chantiers():
    return [
        ChantierFactory(title="Dessine-moi ton agriculture !", slug="agriculture"),
        ChantierFactory(title="Épargne locale", slug="epargne"),
    ]


def follow_data(**overrides):
    data = {
        "email": ADDRESS,
        "chantiers": ["agriculture"],
        "kinds": ["meetings", "minutes"],
        "rhythm": "immediat",
        "site_internet": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def news(chantier, key="n1"):
    return following.notify_followers(
        kind="meetings",
        chantier=chantier,
        item_key=key,
        subject="Nouvelle réunion : essai",
        lines=["mardi"],
        url="/agenda/essai/",
    )


def confirmed(email=ADDRESS, **fields):
    subscription = Subscription.objects.create(
        email=email, rhythm=Rhythm.IMMEDIATE, confirmed_at=timezone.now(), **fields
    )
    return subscription


def test_a_request_stores_the_choices_unconfirmed_and_sends_only_the_confirmation(
    client, chantiers
):
    response = client.post("/suivre/", follow_data())
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.is_confirmed) == (ADDRESS, False)
    assert list(subscription.chantiers.values_list("slug", flat=True)) == ["agriculture"]
    assert subscription.kinds() == ["meetings", "minutes"]
    assert subscription.rhythm == Rhythm.IMMEDIATE
    # News for an unconfirmed address: nothing queued.
    assert news(chantiers[0]) == 0
    deliver()
    [confirmation] = mail.outbox
    assert confirmation.to == [ADDRESS]
    assert "/suivre/confirmer/" in confirmation.body
    assert "valable 7 jours" in confirmation.body
    html, mimetype = confirmation.alternatives[0]
    assert mimetype == "text/html" and 'lang="fr"' in html and "<img" not in html


def test_asking_again_reveals_nothing_and_changes_nothing(client, chantiers):
    subscription = confirmed(all_chantiers=True)
    first = client.post("/suivre/", follow_data(chantiers=["epargne"], rhythm="hebdo"))
    other = client.post("/suivre/", follow_data(email="nouvelle@example.org"))
    # The same answer for a follower and for a new address.
    assert first.status_code == other.status_code == 302
    assert first["Location"] == other["Location"] == "/suivre/merci/"
    subscription.refresh_from_db()
    assert (subscription.all_chantiers, subscription.rhythm) == (True, Rhythm.IMMEDIATE)
    # Asking five times the same day: one email.
    for _ in range(4):
        client.post("/suivre/", follow_data())
    deliver()
    to_follower = [m for m in mail.outbox if m.to == [ADDRESS]]
    assert len(to_follower) == 1
    assert to_follower[0].subject == "Vous suivez déjà le projet de territoire"
    assert "/suivre/gerer/" in to_follower[0].body


def test_the_confirmation_link_expires_after_seven_days(client, chantiers, settings):
    client.post("/suivre/", follow_data())
    subscription = Subscription.objects.get()
    token = following.confirm_token(subscription)
    import time as real_time
    from unittest import mock

    from django.core import signing

    # Only the signer's clock moves on: patching time.time itself would move every cache's
    # clock too, and whatever they stored meanwhile would outlive this test.
    eight_days_later = mock.Mock(time=lambda: real_time.time() + 8 * 24 * 3600)
    with mock.patch.object(signing, "time", eight_days_later):
        response = client.post(f"/suivre/confirmer/{token}/")
        assert response.status_code == 404
        assert "Ce lien ne fonctionne plus" in response.content.decode()
    subscription.refresh_from_db()
    assert not subscription.is_confirmed
    # A forged token is refused the same way.
    assert client.post(f"/suivre/confirmer/{token[:-2]}xx/").status_code == 404


def test_unconfirmed_requests_are_purged_after_seven_days():
    now = timezone.now()
    Subscription.objects.create(
        email="old@example.org", rhythm="hebdo", requested_at=now - timedelta(days=8)
    )
    Subscription.objects.create(
        email="recent@example.org", rhythm="hebdo", requested_at=now - timedelta(days=6)
    )
    confirmed(email="kept@example.org", requested_at=now - timedelta(days=400))
    call_command("purge_personal_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sorted(Subscription.objects.values_list("email", flat=True)) == [
        "kept@example.org",
        "recent@example.org",
    ]


def test_the_manage_page_changes_the_choices_or_deletes_the_address(client, chantiers):
    subscription = confirmed(all_chantiers=True)
    url = following.manage_url(subscription)
    page = client.get(url).content.decode()
    assert ADDRESS in page and "Enregistrer mes choix" in page
    response = client.post(
        url, {"chantiers": ["epargne"], "kinds": ["documents"], "rhythm": "hebdo"}
    )
    assert response.status_code == 302 and response["Location"] == url + "?enregistre=1"
    subscription.refresh_from_db()
    assert subscription.all_chantiers is False
    assert list(subscription.chantiers.values_list("slug", flat=True)) == ["epargne"]
    assert (subscription.kinds(), subscription.rhythm) == (["documents"], Rhythm.WEEKLY)
    # Nothing chosen: a clear error, nothing changed.
    errors = client.post(url, {"kinds": [], "rhythm": "hebdo"}).content.decode()
    assert "Cochez au moins un chantier" in errors
    assert "Cochez au moins une sorte de nouvelles" in errors
    assert client.post(url, {"supprimer": "1"})["Location"] == "/suivre/au-revoir/"
    assert not Subscription.objects.exists()
    # The old link no longer opens anything.
    assert client.get(url).status_code == 404


def test_one_click_without_cookie_then_the_link_is_dead(chantiers):
    subscription = confirmed(all_chantiers=True)
    url = following.unsubscribe_url(subscription)
    robot = Client(enforce_csrf_checks=True)
    # A GET (a mail scanner following the link) changes nothing.
    assert "Me désabonner" in robot.get(url).content.decode()
    assert Subscription.objects.exists()
    response = robot.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 302
    assert not Subscription.objects.exists()
    # Posting again, or with a forged token, deletes nothing else and is a 404 as its GET
    # is: no « vous êtes désabonné·e » for a link that is no subscription's.
    other = confirmed(email="autre@example.org")
    for forged in (url, "/suivre/desabonnement/faux/"):
        assert robot.get(forged).status_code == 404
        response = robot.post(forged, "List-Unsubscribe=One-Click", content_type=FORM)
        assert response.status_code == 404
        assert "Abonnement introuvable" in response.content.decode()
    assert Subscription.objects.get() == other


def test_unsubscribing_erases_the_address_from_the_send_log_and_drops_what_waits(client, chantiers):
    from tests.chantiers.factories import OpenIntersessionFactory, RegistrationFactory

    subscription = confirmed(all_chantiers=True)
    other = confirmed(email="autre@example.org", all_chantiers=True)
    news(chantiers[0], "a")
    deliver()
    news(chantiers[0], "b")  # queued, not sent yet
    # Registered to a meeting too: that email is the registration's, not the subscription's.
    registration = RegistrationFactory(meeting=OpenIntersessionFactory(), email=ADDRESS)
    from chantiers import services

    services.queue_promotion_emails([registration])
    mail.outbox.clear()
    response = Client(enforce_csrf_checks=True).post(
        following.unsubscribe_url(subscription), "List-Unsubscribe=One-Click", content_type=FORM
    )
    assert response.status_code == 302
    assert list(OutboxEmail.objects.filter(recipient=ADDRESS).values_list("kind", flat=True)) == [
        "place libérée (liste d'attente)"
    ]
    deliver()
    assert sorted(m.to[0] for m in mail.outbox) == [ADDRESS, other.email]
    assert "Une place s'est libérée" in next(m.subject for m in mail.outbox if m.to == [ADDRESS])


def test_a_subscription_deleted_in_the_admin_takes_its_emails_with_it(admin_client, chantiers):
    subscription = confirmed(all_chantiers=True)
    news(chantiers[0], "a")
    response = admin_client.post(
        "/admin/chantiers/subscription/",
        {"action": "delete_selected", "_selected_action": [subscription.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Subscription.objects.exists()
    assert not OutboxEmail.objects.exists()
    deliver()
    assert mail.outbox == []


def test_a_follower_gets_news_of_followed_chantiers_and_kinds_only(chantiers):
    agriculture, epargne = chantiers
    confirmed(email="tout@example.org", all_chantiers=True)
    only = confirmed(email="agri@example.org")
    only.chantiers.add(agriculture)
    confirmed(email="sans-reunions@example.org", all_chantiers=True, wants_meetings=False)
    weekly = confirmed(email="hebdo@example.org", all_chantiers=True)
    Subscription.objects.filter(pk=weekly.pk).update(rhythm=Rhythm.WEEKLY)
    assert news(agriculture, "a") == 2
    assert news(epargne, "b") == 1
    assert news(agriculture, "a") == 0  # the same news twice: told once
    deliver()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "agri@example.org",
        "tout@example.org",
        "tout@example.org",
    ]


def test_honeypot_and_rate_limit_store_and_send_nothing(client, chantiers, settings):
    robot = client.post("/suivre/", follow_data(site_internet="http://spam"))
    assert robot.status_code == 400
    assert "Envoi refusé" in robot.content.decode()
    settings.PORTAL_FORM_RATE_LIMIT = 2
    FormPostCount.objects.all().delete()  # the robot's post counted
    statuses = [
        client.post("/suivre/", follow_data(email=f"p{i}@example.org")).status_code
        for i in range(2)
    ]
    too_many = client.post("/suivre/", follow_data(email="p9@example.org"))
    assert statuses == [302, 302]
    assert too_many.status_code == 429 and too_many["Retry-After"] == "3600"
    page = html_of(too_many)
    assert "Trop d'envois" in page and 'value="p9@example.org"' in page
    assert not Subscription.objects.filter(email="p9@example.org").exists()
    assert not Subscription.objects.filter(email=ADDRESS).exists()


def test_illegible_text_is_refused(client, chantiers):
    response = client.post("/suivre/", follow_data(email="anne\ufffd@example.org"))
    assert response.status_code == 200
    assert "caractères illisibles" in response.content.decode()
    assert not Subscription.objects.exists()


def test_the_join_forms_keep_me_informed_asks_for_the_same_subscription(client, chantiers):
    data = join_data(participation="informe", email=ADDRESS)
    data["chantiers"] = ["epargne"]
    response = client.post("/nous-rejoindre/", data)
    assert response["Location"] == "/nous-rejoindre/merci/?abonnement=1"
    assert "ouvrez le lien du courriel" in client.get(response["Location"]).content.decode()
    subscription = Subscription.objects.get()
    assert not subscription.is_confirmed
    assert list(subscription.chantiers.values_list("slug", flat=True)) == ["epargne"]
    deliver()
    assert sorted(m.subject for m in mail.outbox) == [
        "Confirmez votre abonnement aux nouvelles du projet de territoire",
        "Nouvelle demande de participation : Camille Martin",
    ]


def test_other_ways_to_take_part_ask_for_no_subscription(client, chantiers):
    response = client.post("/nous-rejoindre/", join_data(participation="ecosysteme"))
    assert response["Location"] == "/nous-rejoindre/merci/"
    assert "ouvrez le lien du courriel" not in client.get(response["Location"]).content.decode()
    assert not Subscription.objects.exists()


def test_the_chantier_page_links_to_following_it_and_the_form_preselects_it(client, chantiers):
    page = client.get("/chantiers/agriculture/").content.decode()
    assert 'href="/suivre/?chantier=agriculture"' in page
    form = client.get("/suivre/?chantier=agriculture").content.decode()
    checked = re.findall(
        r'<input type="checkbox" name="[^"]+" (?:value="([^"]+)" )?[^>]*checked', form
    )
    assert checked == ["agriculture", "meetings", "minutes", "progress", "documents"]
    # Without a chantier: every chantier is the default.
    everything = client.get("/suivre/").content.decode()
    checked = re.findall(r'<input type="checkbox" name="([^"]+)" [^>]*checked', everything)
    assert checked == ["all_chantiers", "kinds", "kinds", "kinds", "kinds"]


@pytest.mark.parametrize("size", [2, 40])
def test_query_budgets_of_the_follow_pages_do_not_grow(client, django_assert_max_num_queries, size):
    for index in range(size):
        ChantierFactory(slug=f"c-{index}")
    subscription = confirmed()
    subscription.chantiers.add(*list(Subscription.chantiers.field.related_model.objects.all()))
    # Every whole page: + the footer's accessibility statement.
    for url, budget in [
        ("/suivre/", 3),
        ("/suivre/?chantier=c-1", 4),
        (following.manage_url(subscription), 5),
        (following.unsubscribe_url(subscription), 3),
    ]:
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200
    # The post counted (the rate limit, in the database: two statements on a window's
    # first post), the form's chantiers, the address looked up, the subscription and its
    # chantiers written (savepoints included), the confirmation in the outbox.
    with django_assert_max_num_queries(13):
        client.post("/suivre/", follow_data(chantiers=["c-0", "c-1"], email="b@example.org"))


def test_a_public_document_added_in_the_admin_is_news_once(chantiers, settings):
    from diagnostic.models import Document, Visibility
    from tests.accounts.helpers import make_account

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert confirmed(all_chantiers=True).wants_documents
    admin = Client()
    admin.force_login(make_account("admin", email="admin@example.org"))
    data = {
        "title": "Compte rendu de la session d'octobre",
        "slug": "cr-octobre",
        "kind": "compte_rendu",
        "summary": "Les décisions de la session.",
        "chantier": chantiers[0].pk,
        "visibility": Visibility.RESERVED,
        "published_on": "",
        "cover_alt": "",
    }
    response = admin.post("/admin/diagnostic/document/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert OutboxEmail.objects.count() == 0  # reserved to elected officials: not news
    document = Document.objects.get()
    admin.post(
        f"/admin/diagnostic/document/{document.pk}/change/",
        {**data, "visibility": Visibility.PUBLIC},
    )
    admin.post(
        f"/admin/diagnostic/document/{document.pk}/change/",
        {**data, "visibility": Visibility.PUBLIC, "title": "Compte rendu d'octobre"},
    )
    deliver()
    [email] = mail.outbox
    assert email.subject == "Nouveau document : Compte rendu de la session d'octobre"
    assert "/documents/cr-octobre/telecharger/" in email.body


def test_the_periodic_command_queues_reminders_and_the_digest_and_wakes_the_worker():
    import io

    from django_tasks_db.models import DBTaskResult

    from tests.chantiers.factories import OpenIntersessionFactory, RegistrationFactory

    meeting = OpenIntersessionFactory(starts_at=timezone.now() + timedelta(hours=30))
    RegistrationFactory(meeting=meeting, email="inscrite@example.org")
    weekly = confirmed(email="hebdo@example.org", all_chantiers=True)
    Subscription.objects.filter(pk=weekly.pk).update(rhythm=Rhythm.WEEKLY)
    following.notify_followers(
        kind="meetings",
        item_key="semaine-passee",
        subject="Nouvelle réunion : essai",
        lines=[],
        url="/agenda/essai/",
        now=timezone.now() - timedelta(days=7),
    )
    out = io.StringIO()
    call_command("send_notifications", "--lettre", stdout=out)
    assert "Rappels avant les réunions : 1" in out.getvalue()
    assert "Lettres hebdomadaires : 1" in out.getvalue()
    assert DBTaskResult.objects.filter(task_path="core.outbox.deliver_outbox").exists()
    deliver()
    assert sorted(m.to[0] for m in mail.outbox) == ["hebdo@example.org", "inscrite@example.org"]


def test_a_meeting_called_off_is_news_but_marking_a_past_one_held_is_not(chantiers):
    from chantiers import news as meeting_news
    from chantiers.meeting_changes import record_meeting_edit
    from chantiers.models import Meeting, MeetingStatus
    from tests.chantiers.factories import OpenIntersessionFactory

    confirmed(all_chantiers=True)
    coming = OpenIntersessionFactory(chantier=chantiers[0])
    past = OpenIntersessionFactory(
        chantier=chantiers[0], starts_at=timezone.now() - timedelta(days=2)
    )
    past.ends_at = past.starts_at + timedelta(hours=2)
    for meeting, status in ((coming, MeetingStatus.CANCELLED), (past, MeetingStatus.HELD)):
        before = Meeting.objects.get(pk=meeting.pk)
        meeting.status = status
        changes = record_meeting_edit(meeting=meeting, before=before)
        meeting.save()
        meeting_news.meeting_saved(
            meeting=meeting, created=False, changes=changes, had_minutes=False
        )
    deliver()
    assert [m.subject for m in mail.outbox] == [f"Réunion annulée : {coming.title}"]
