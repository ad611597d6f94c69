"""Points d'étape reach the followers who chose them, end to end against a real SMTP
server: written in the action's admin page, in a meeting's, or through the service, each
is told once, at once or in the Monday digest; an edit is not news again, and the demo
emails no one."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from chantiers import demo, demo_progress, following
from chantiers.models import ActionStatus, FollowEvent, PointEtape, Subscription
from chantiers.services.progress import record_point_etape, save_point_etape
from core.models import OutboxEmail
from tests.chantiers.admin_helpers import action_change_data, meeting_change_data, new_rows
from tests.chantiers.factories import ActionFactory
from tests.chantiers.following_emails.helpers import ADDRESS, follow_and_confirm
from tests.chantiers.pages import past
from tests.factories import ChantierFactory
from tests.mail import deliver
from tests.smtp import html_of, subject, text_of

pytestmark = pytest.mark.django_db

ACTIONS = "/admin/chantiers/action/"


@pytest.fixture
def action(chantier):
    return ActionFactory(
        chantier=chantier,
        title="Ouvrir un marché de producteurs",
        slug="marche",
        status=ActionStatus.PLANNED,
    )


def _today():
    return timezone.localdate().strftime("%d/%m/%Y")


def one_new_point(title, **fields):
    return new_rows(
        "points",
        {
            "date": _today(),
            "title": title,
            "text": "Le **premier** marché s'est tenu place Carnot.",
            "new_status": ActionStatus.IN_PROGRESS,
            "new_progress": "25",
            "meeting": "",
            **fields,
        },
    )


def test_a_point_d_etape_added_in_the_admin_is_emailed_once_with_unsubscribe_headers(
    client, team_client, smtp_server, chantier, action
):
    follow_and_confirm(client, smtp_server, kinds=["progress"])
    response = team_client.post(
        f"{ACTIONS}{action.pk}/change/", action_change_data(action, **one_new_point("C'est parti"))
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    point = PointEtape.objects.get()
    # Nothing leaves before the worker runs.
    assert smtp_server.received == []
    assert deliver().sent == 1
    [news] = smtp_server.to(ADDRESS)
    assert subject(news) == "Point d'étape : C'est parti"
    body = text_of(news)
    assert (
        "Action « Ouvrir un marché de producteurs » du chantier "
        "« Dessine-moi ton agriculture ! »" in body
    )
    assert "Nouveau statut de l'action : en cours" in body
    assert "Avancement : 25\u00a0%" in body
    assert "Le premier marché s'est tenu place Carnot." in body  # Markdown made text
    link = f"http://testserver/chantiers/agriculture/actions/marche/#point-{point.pk}"
    assert link in body and f'href="{link}"' in html_of(news)
    assert news["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https_link, mailto = [part.strip(" <>") for part in news["List-Unsubscribe"].split(",")]
    assert https_link.startswith("http://testserver/suivre/desabonnement/")
    assert mailto.startswith("mailto:")
    smtp_server.sink.clear()
    # Edited afterwards (in the admin's own page for points d'étape): not news again.
    point.title = "C'est parti, enfin"
    save_point_etape(point=point)
    assert deliver().sent == 0
    # One click, then a new point d'étape reaches no one.
    client.post(
        https_link.removeprefix("http://testserver"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert not Subscription.objects.exists()
    record_point_etape(action=action, on=timezone.localdate(), title="Deuxième marché")
    assert deliver().sent == 0
    assert smtp_server.received == []


def test_a_point_d_etape_written_from_a_meeting_reaches_the_followers(
    client, team_client, smtp_server, chantier, action
):
    follow_and_confirm(client, smtp_server, kinds=["progress"])
    meeting = past(3, chantier=chantier, title="Intersession de novembre")
    held_on = timezone.localdate(meeting.starts_at).strftime("%d/%m/%Y")
    data = meeting_change_data(
        meeting,
        **new_rows(
            "points_etape",
            {
                "action": action.pk,
                "date": held_on,
                "title": "Lieu du marché choisi",
                "text": "",
                "new_status": "",
                "new_progress": "",
            },
        ),
    )
    response = team_client.post(f"/admin/chantiers/intersession/{meeting.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    deliver()
    [news] = smtp_server.to(ADDRESS)
    assert subject(news) == "Point d'étape : Lieu du marché choisi"
    assert "Nouveau statut" not in text_of(news)  # the point d'étape announced none


def test_only_followers_who_chose_points_d_etape_of_that_chantier_get_them(
    client, smtp_server, chantier, action
):
    follow_and_confirm(client, smtp_server, kinds=["meetings", "minutes"])
    other_chantier = ChantierFactory(slug="mobilite")
    other = following.FollowChoices(chantiers=[other_chantier], kinds=("progress",))
    elsewhere = Subscription.objects.create(email="ailleurs@example.org", rhythm="immediat")
    other.apply(elsewhere)
    elsewhere.confirmed_at = timezone.now()
    elsewhere.save()
    other.save_chantiers(elsewhere)
    everything = Subscription.objects.create(
        email="tout@example.org", rhythm="immediat", all_chantiers=True
    )
    everything.confirmed_at = timezone.now()
    everything.save()
    unconfirmed = Subscription.objects.create(
        email="pas-confirme@example.org", rhythm="immediat", all_chantiers=True
    )
    record_point_etape(action=action, on=timezone.localdate(), title="Premier marché")
    deliver()
    assert [m["To"] for m in smtp_server.received] == ["tout@example.org"]
    assert not smtp_server.to(unconfirmed.email)


def test_a_weekly_follower_reads_the_point_d_etape_in_monday_s_digest(
    client, team_client, smtp_server, chantier, action
):
    follow_and_confirm(client, smtp_server, rhythm="hebdo", kinds=["progress"])
    response = team_client.post(
        f"{ACTIONS}{action.pk}/change/", action_change_data(action, **one_new_point("C'est parti"))
    )
    assert response.status_code == 302
    # Weekly: nothing at once.
    deliver()
    assert smtp_server.received == []
    next_monday = following.digest_monday(timezone.now()) + timedelta(days=7)
    monday_morning = timezone.make_aware(datetime.combine(next_monday, time(7)))
    assert following.queue_weekly_digests(now=monday_morning) == 1
    assert deliver(now=monday_morning).sent == 1
    [digest] = smtp_server.to(ADDRESS)
    assert subject(digest).startswith("Les nouvelles du projet de territoire, semaine du")
    body = text_of(digest)
    assert body.count("Point d'étape : C'est parti") == 1
    assert "Avancement : 25\u00a0%" in body
    assert "/chantiers/agriculture/actions/marche/#point-" in body
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_point_d_etape_refused_in_the_admin_tells_no_one(
    client, team_client, smtp_server, chantier, action
):
    follow_and_confirm(client, smtp_server, kinds=["progress"])
    tomorrow = (timezone.localdate() + timedelta(days=1)).strftime("%d/%m/%Y")
    response = team_client.post(
        f"{ACTIONS}{action.pk}/change/",
        action_change_data(action, **one_new_point("Demain", date=tomorrow)),
    )
    assert response.status_code == 200
    assert not PointEtape.objects.exists()
    assert not FollowEvent.objects.exists()
    assert deliver().sent == 0


def test_loading_the_demo_emails_no_follower():
    follower = Subscription.objects.create(
        email="tout@example.org", rhythm="immediat", all_chantiers=True
    )
    follower.confirmed_at = timezone.now()
    follower.save()
    demo.load()
    demo_progress.load()
    assert PointEtape.objects.exists()
    assert not FollowEvent.objects.exists()
    assert not OutboxEmail.objects.exists()
