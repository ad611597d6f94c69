"""Following a chantier by email, end to end against a real SMTP server (aiosmtpd): follow,
confirm, a meeting added in the admin, the worker, the notification with its unsubscribe
headers, the one-click POST, then silence. The same for the weekly digest and the
reminder before a meeting."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from chantiers import following, services
from chantiers.models import Subscription
from tests.chantiers.admin_helpers import meeting_change_data, meeting_data
from tests.chantiers.factories import OpenIntersessionFactory
from tests.chantiers.following_emails.helpers import ADDRESS, follow_and_confirm
from tests.chantiers.participation import _empty_cache  # noqa: F401 (autouse fixture)
from tests.factories import ChantierFactory
from tests.mail import deliver
from tests.smtp import html_of, subject, text_of

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
ADD_INTERSESSION = "/admin/chantiers/intersession/add/"


def in_days(days, hour=18):
    day = timezone.localdate() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=PARIS)


def test_follow_confirm_notified_of_a_new_meeting_then_one_click_unsubscribe(
    client, team_client, smtp_server, chantier
):
    follow_and_confirm(client, smtp_server)
    starts = in_days(10)
    response = team_client.post(
        ADD_INTERSESSION,
        meeting_data(starts, starts + timedelta(hours=2), chantier=chantier.pk),
    )
    assert response.status_code == 302
    # Nothing leaves before the worker runs.
    assert smtp_server.received == []
    assert deliver().sent == 1
    [news] = smtp_server.to(ADDRESS)
    assert subject(news) == "Nouvelle réunion : Intersession de l'écosystème"
    body = text_of(news)
    assert "Salle des fêtes, Figeac" in body
    assert "http://testserver/agenda/intersession-de-l-ecosysteme-" in body
    assert 'href="http://testserver/agenda/intersession-de-l-ecosysteme-' in html_of(news)
    assert news["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https_link, mailto = [part.strip(" <>") for part in news["List-Unsubscribe"].split(",")]
    assert https_link.startswith("http://testserver/suivre/desabonnement/")
    assert mailto.startswith("mailto:")
    # RFC 8058: the mail client posts this body, with no cookie and no CSRF token.
    from django.test import Client

    one_click = Client(enforce_csrf_checks=True).post(
        https_link.removeprefix("http://testserver"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert one_click.status_code == 302
    assert not Subscription.objects.exists()
    smtp_server.sink.clear()
    meeting = chantier.intersessions.get()
    team_client.post(
        f"/admin/chantiers/intersession/{meeting.pk}/change/",
        meeting_change_data(meeting, place_name="Maison des associations"),
    )
    deliver()
    assert smtp_server.received == []


def test_a_change_of_time_and_the_minutes_are_told_once_each(
    client, team_client, smtp_server, chantier
):
    meeting = OpenIntersessionFactory(chantier=chantier, starts_at=in_days(5))
    follow_and_confirm(client, smtp_server)
    change_url = f"/admin/chantiers/intersession/{meeting.pk}/change/"
    later = meeting.starts_at + timedelta(hours=1)
    data = meeting_change_data(meeting)
    data.update(meeting_data(later, later + timedelta(hours=2)) | {"title": meeting.title})
    data.pop("slug", None)
    data["chantier"] = str(chantier.pk)
    assert team_client.post(change_url, data).status_code == 302
    # Saved again unchanged: no news.
    meeting.refresh_from_db()
    team_client.post(change_url, meeting_change_data(meeting))
    meeting.refresh_from_db()
    team_client.post(change_url, meeting_change_data(meeting, minutes="## Décisions\n- Oui"))
    team_client.post(change_url, meeting_change_data(meeting, minutes="## Décisions\n- Non"))
    deliver()
    subjects = [subject(m) for m in smtp_server.to(ADDRESS)]
    assert subjects == [
        f"Réunion modifiée : {meeting.title}",
        f"Compte rendu publié : {meeting.title}",
    ]


def test_weekly_digest_on_monday_only_with_news_then_one_click(client, smtp_server, chantier):
    follow_and_confirm(client, smtp_server, rhythm="hebdo")
    other = ChantierFactory(slug="mobilite")
    monday = datetime(2026, 11, 30, 7, 0, tzinfo=PARIS)
    # Nothing new: no email.
    assert following.queue_weekly_digests(now=monday) == 0
    for chantier_news, title, day in [(chantier, "A", 25), (other, "B", 26), (chantier, "C", 27)]:
        following.notify_followers(
            kind="meetings",
            chantier=chantier_news,
            item_key=f"test:{title}",
            subject=f"Nouvelle réunion : {title}",
            lines=["mardi"],
            url=f"/agenda/{title}/",
            now=datetime(2026, 11, day, 12, 0, tzinfo=PARIS),
        )
    # Weekly followers get nothing at once.
    deliver()
    assert smtp_server.received == []
    assert following.queue_weekly_digests(now=monday) == 1
    assert following.queue_weekly_digests(now=monday + timedelta(hours=2)) == 1  # again
    assert deliver().sent == 1  # the outbox kept one
    [digest] = smtp_server.to(ADDRESS)
    assert subject(digest) == "Les nouvelles du projet de territoire, semaine du 23 novembre 2026"
    body = text_of(digest)
    assert "Nouvelle réunion : A" in body and "Nouvelle réunion : C" in body
    assert "Nouvelle réunion : B" not in body  # a chantier not followed
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https_link = digest["List-Unsubscribe"].split(",")[0].strip(" <>")
    client.post(
        https_link.removeprefix("http://testserver"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    smtp_server.sink.clear()
    following.notify_followers(
        kind="meetings",
        chantier=chantier,
        item_key="test:D",
        subject="Nouvelle réunion : D",
        lines=[],
        url="/agenda/D/",
        now=datetime(2026, 12, 1, 12, 0, tzinfo=PARIS),
    )
    assert following.queue_weekly_digests(now=monday + timedelta(days=7)) == 0
    deliver()
    assert smtp_server.received == []


def test_reminder_48_hours_before_with_place_time_and_ics_unless_cancelled(smtp_server, chantier):
    meeting = OpenIntersessionFactory(
        chantier=chantier, starts_at=in_days(3), place_name="Salle Champollion"
    )
    now = meeting.starts_at - timedelta(hours=49)
    kept = services.register(meeting.pk, name="Anne", email=ADDRESS, now=now)
    gone = services.register(
        meeting.pk,
        name="Paul",
        email="paul@example.org",
        now=now,
    )
    services.cancel_registration(gone.registration, now=now)
    deliver()
    smtp_server.sink.clear()
    # 49 hours before: too early.
    assert services.queue_reminders(now=now) == 0
    in_window = meeting.starts_at - timedelta(hours=47)
    assert services.queue_reminders(now=in_window) == 1
    services.queue_reminders(now=in_window)  # again
    assert deliver(now=in_window).sent == 1
    [reminder] = smtp_server.received
    assert reminder["To"] == ADDRESS
    assert subject(reminder) == f"Rappel : {meeting.title}"
    body = text_of(reminder)
    assert "Salle Champollion" in body and "18\u00a0h" in body
    assert kept.registration.get_cancel_url() in body
    [ics] = list(reminder.iter_attachments())
    assert ics.get_content_type() == "text/calendar"
    assert "BEGIN:VEVENT" in ics.get_content()
