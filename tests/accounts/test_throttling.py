"""Login throttling: 5 failures on one account from one address, then a cool-off."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from tests.accounts.helpers import PASSWORD, make_account

pytestmark = pytest.mark.django_db

LOGIN = "/compte/connexion/"


def attempt(client, email, password="mauvais", address="192.0.2.10"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address)


def assert_signed_in(client, response, account=None):
    """The sign-in went through: sent on to « Mon espace », with that account's session."""
    assert response.status_code == 302
    assert response["Location"] == "/compte/"
    if account is not None:
        assert client.session["_auth_user_id"] == str(account.pk)
    else:
        assert "_auth_user_id" in client.session


@pytest.fixture
def account():
    return make_account("equipe", email="equipe@example.org")


def test_four_failures_still_show_the_form(client, account):
    for _ in range(4):
        response = attempt(client, account.email)
        assert response.status_code == 200
        assert "Adresse électronique ou mot de passe incorrect" in response.content.decode()


def test_the_fifth_failure_locks_the_account_out_with_a_french_message(client, account):
    for _ in range(4):
        attempt(client, account.email)
    response = attempt(client, account.email)
    assert response.status_code == 429
    html = response.content.decode()
    assert "<h1>Connexion suspendue</h1>" in html
    assert "Après 5 essais infructueux" in html
    assert "pendant 15&nbsp;minutes" in html
    # Even the right password is refused during the cool-off.
    response = attempt(client, account.email, password=PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_case_of_the_address_does_not_reset_the_count(client, account):
    for variant in ["equipe@example.org", "EQUIPE@example.org", "Equipe@Example.org"] * 2:
        response = attempt(client, variant)
    assert response.status_code == 429


def test_another_address_or_another_account_is_not_locked(client, account):
    other = make_account("elu", email="elue@example.org")
    for _ in range(5):
        attempt(client, account.email)
    assert_signed_in(client, attempt(client, account.email, PASSWORD, address="198.51.100.7"))
    client.logout()
    assert_signed_in(client, attempt(client, other.email, PASSWORD), other)


def test_the_admin_sign_in_form_is_no_way_around(client, account):
    # Anonymous visitors are sent to the portal's sign-in page, whatever they post.
    response = client.post("/admin/login/", {"username": account.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session
    # Signed in without admin access, the admin's form is throttled like ours.
    client.force_login(make_account("elu"))
    for _ in range(5):
        response = client.post(
            "/admin/login/",
            {"username": account.email, "password": "mauvais"},
            REMOTE_ADDR="192.0.2.10",
        )
    assert response.status_code == 429


def test_signing_in_after_the_cool_off_works(client, account, settings):
    for _ in range(5):
        attempt(client, account.email)
    assert attempt(client, account.email, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert_signed_in(client, attempt(client, account.email, PASSWORD))


def test_a_successful_sign_in_resets_the_count(client, account):
    for _ in range(4):
        attempt(client, account.email)
    assert_signed_in(client, attempt(client, account.email, PASSWORD))
    client.logout()
    for _ in range(4):
        response = attempt(client, account.email)
    # Four new failures are not five: the form is still there, with its French error.
    assert response.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect" in response.content.decode()


def test_successful_sign_ins_are_not_logged(client, account):
    from axes.models import AccessLog

    attempt(client, account.email, PASSWORD)
    assert not AccessLog.objects.exists()


def test_behind_the_proxy_the_lockout_follows_the_forwarded_address(client, account, settings):
    # Behind nginx every request comes from 127.0.0.1: the client is the address nginx
    # appended to X-Forwarded-For. Locking out the proxy's address would lock everyone.
    settings.PORTAL_TRUSTED_PROXIES = 1

    def behind_proxy(client_address, password="mauvais"):
        return client.post(
            LOGIN,
            {"username": account.email, "password": password},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"10.0.0.1, {client_address}",
        )

    for _ in range(5):
        behind_proxy("192.0.2.10")
    assert behind_proxy("192.0.2.10", PASSWORD).status_code == 429
    assert AccessAttempt.objects.get().ip_address == "192.0.2.10"
    assert behind_proxy("198.51.100.7", PASSWORD).status_code == 302


def test_the_daily_purge_forgets_failures_past_the_cool_off(client, account, capsys):
    from django.core.management import call_command

    attempt(client, account.email)
    attempt(client, "autre@example.org", address="198.51.100.7")
    AccessAttempt.objects.filter(username="autre@example.org").update(
        attempt_time=timezone.now() - timedelta(minutes=16)
    )
    call_command("purge_personal_data", "--dry-run")
    assert "Échecs de connexion effacés : 1" in capsys.readouterr().out
    assert AccessAttempt.objects.count() == 2
    call_command("purge_personal_data")
    assert "Échecs de connexion effacés : 1" in capsys.readouterr().out
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [account.email]
