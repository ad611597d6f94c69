"""The send log in the admin: addresses, texts and the mail server's own words only for
those allowed to see addresses (Administration, as /confidentialite/ says), no filter in
the URL but those the list offers, and the team told when email is stuck (since when,
why in words, never an address), on the admin's home page and above the log."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from core import outbox
from core.models import OutboxEmail, OutboxStatus
from core.roles import ADMINISTRATION, SEE_ADDRESSES, TEAM
from tests.accounts.helpers import make_account

pytestmark = pytest.mark.django_db

LOG = "/admin/core/outboxemail/"
SMTP_ERROR = "SMTPRecipientsRefused: {'p1@example.org': (550, b'5.1.1 <p1@example.org> unknown')}"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def team(client):
    client.force_login(make_account("equipe"))
    return client


@pytest.fixture
def administration(client):
    client.force_login(make_account("admin", email="admin@example.org"))
    return client


def failed_email(index=1, **fields):
    outbox.queue(
        outbox.Email(
            recipient=f"p{index}@example.org",
            key=f"item:{index}",
            kind="essai",
            subject=f"Message {index}",
            text=f"Bonjour p{index}@example.org",
        )
    )
    row = OutboxEmail.objects.get(recipient=f"p{index}@example.org")
    OutboxEmail.objects.filter(pk=row.pk).update(
        **{
            "status": OutboxStatus.FAILED,
            "attempts": 5,
            "last_error": SMTP_ERROR,
            "failure": "Le serveur de messagerie a refusé le destinataire (code 550).",
            "claimed_at": timezone.now(),
            **fields,
        }
    )
    return row


def test_only_administration_may_see_addresses():
    assert not Group.objects.get(name=TEAM).permissions.filter(codename="view_recipient").exists()
    assert (
        Group.objects.get(name=ADMINISTRATION)
        .permissions.filter(codename="view_recipient", content_type__app_label="core")
        .exists()
    )
    assert make_account("admin").has_perm(SEE_ADDRESSES)
    assert not make_account("equipe").has_perm(SEE_ADDRESSES)


def test_the_team_reads_the_log_and_why_it_failed_without_any_address(team):
    row = failed_email()
    page = team.get(LOG).content.decode()
    assert "Message 1" in page
    assert "a refusé le destinataire (code 550)" in page
    assert "p1@example.org" not in page and "SMTPRecipientsRefused" not in page
    detail = team.get(f"{LOG}{row.pk}/change/").content.decode()
    assert "a refusé le destinataire (code 550)" in detail
    assert "p1@example.org" not in detail and "SMTPRecipientsRefused" not in detail
    # Searching for an address finds nothing: the team's search reads the subjects only.
    assert "Message 1" not in team.get(LOG, {"q": "p1@example"}).content.decode()


def test_administration_sees_the_address_and_the_servers_answer(administration):
    row = failed_email()
    page = administration.get(LOG).content.decode()
    assert "p1@example.org" in page
    detail = administration.get(f"{LOG}{row.pk}/change/").content.decode()
    assert "SMTPRecipientsRefused" in detail and "Bonjour p1@example.org" in detail


@pytest.mark.parametrize(
    "lookup",
    [
        "recipient__startswith=p",
        "recipient=p1@example.org",
        "body_text__contains=p1",
        "last_error__contains=p1",
        "headers__has_key=List-Id",
        "key__startswith=item",
    ],
)
@pytest.mark.parametrize("role", ["team", "administration"])
def test_the_list_refuses_filters_it_does_not_offer(request, role, lookup):
    """Its count would spell an address out, letter by letter."""
    client = request.getfixturevalue(role)
    failed_email()
    assert client.get(f"{LOG}?{lookup}").status_code == 400


def test_the_filters_it_offers_work(team):
    failed_email()
    year = timezone.localdate().year
    for query in (
        "status__exact=echec",
        "kind__exact=essai",
        f"created_at__year={year}",
        f"created_at__gte={timezone.localdate().isoformat()}",
    ):
        response = team.get(f"{LOG}?{query}")
        assert response.status_code == 200, query
        assert "Message 1" in response.content.decode()


def test_the_delete_action_reads_in_french(administration):
    failed_email()
    page = administration.get(LOG).content.decode()
    assert "Supprimer les courriels du journal sélectionnés" in page
    assert "Supprimer les journal" not in page


def test_the_team_may_send_failures_again_and_nothing_else(administration):
    failed = failed_email(1)
    sent = failed_email(2, status=OutboxStatus.SENT)
    response = administration.post(
        LOG, {"action": "send_again", "_selected_action": [failed.pk, sent.pk]}
    )
    assert response.status_code == 302
    assert dict(OutboxEmail.objects.values_list("pk", "status")) == {
        failed.pk: OutboxStatus.PENDING,
        sent.pk: OutboxStatus.SENT,
    }


# ---- Email stuck: the admin's home page and the send log say so ----


def test_nothing_is_said_while_email_flows(team):
    outbox.queue(outbox.Email(recipient="p@example.org", key="k", kind="k", subject="s", text="t"))
    for url in ("/admin/", LOG):
        assert "Envoi des courriels à surveiller" not in team.get(url).content.decode()


def test_emails_waiting_too_long_and_refused_are_told_since_when_and_why(team):
    queued = timezone.now() - timedelta(hours=3)
    outbox.queue(
        outbox.Email(recipient="p9@example.org", key="k", kind="k", subject="s", text="t"),
        now=queued,
    )
    OutboxEmail.objects.update(
        attempts=2,
        claimed_at=timezone.now() - timedelta(minutes=5),
        failure="Le serveur de messagerie n'a pas répondu à temps.",
        last_error="TimeoutError: p9@example.org",
    )
    failed_email(1)
    since = timezone.localtime(queued)
    for url in ("/admin/", LOG):
        page = team.get(url).content.decode()
        assert "Envoi des courriels à surveiller" in page
        assert f"le plus ancien depuis le {since.day} " in page
        assert "n'ont pas pu partir du premier coup" in page
        assert "1 courriel en échec" in page
        assert "Dernier problème" in page
        assert "p9@example.org" not in page and "p1@example.org" not in page


def test_the_home_page_budget_does_not_grow_with_the_log(team, django_assert_max_num_queries):
    counts = []
    for index in (1, 30):
        failed_email(index)
        with django_assert_max_num_queries(12) as captured:
            assert team.get("/admin/").status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
