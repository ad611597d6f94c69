"""Invalid UTF-8 in a form post is refused with a clear French message, nothing stored,
no email sent, whatever else was typed kept: the join form, « Je participe » and sign-in,
with and without htmx, percent-encoded, multipart and raw."""

import re
from urllib.parse import quote

import pytest
from axes.models import AccessAttempt
from django.core import mail

from chantiers.models import JoinRequest, Registration
from core.encoding import ILLEGIBLE
from tests.accounts.helpers import PASSWORD, make_account
from tests.chantiers.factories import OpenIntersessionFactory
from tests.chantiers.participation import HTMX, _empty_cache, html_of  # noqa: F401
from tests.factories import ChantierFactory
from tests.mail import deliver

pytestmark = pytest.mark.django_db

URLENCODED = "application/x-www-form-urlencoded"
JOIN = [
    ("name", "Marie Dupont"),
    ("email", "marie.dupont@example.org"),
    ("commune", "Capdenac-Gare"),
    ("participation", "ecosysteme"),
    ("message", "Je peux aider le samedi."),
    ("consent", "on"),
    ("site_internet", ""),
]
REGISTRATION = [
    ("name", "Marie Dupont"),
    ("email", "marie.dupont@example.org"),
    ("consent", "on"),
    ("site_internet", ""),
]


def body(fields, **raw):
    """A urlencoded body as a browser writes it, with `raw` bytes put in as they are."""
    parts = []
    for name, value in fields:
        encoded = raw[name] if name in raw else quote(value).encode()
        parts.append(name.encode() + b"=" + encoded)
    return b"&".join(parts)


def multipart(fields, **raw):
    """A multipart/form-data body, with `raw` bytes as the field's content."""
    boundary = "----portail"
    parts = []
    for name, value in fields:
        content = raw[name] if name in raw else value.encode()
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    return b"".join(
        parts
    ) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def error_of(html, field_id):
    """The error shown beside the field, and the field's tag."""
    error = html.split(f'<p class="field-error" id="{field_id}_error">')[1].split("</p>")[0]
    tag = re.search(rf'<(input|textarea)[^>]*id="{field_id}"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in tag
    return re.sub(r"<span class=\"visually-hidden\">[^<]*</span>", "", error).strip()


@pytest.fixture
def meeting():
    chantier = ChantierFactory(slug="agriculture")
    return OpenIntersessionFactory(chantier=chantier, slug="printemps")


@pytest.mark.parametrize("htmx", [False, True], ids=["sans-js", "htmx"])
@pytest.mark.parametrize("field", ["name", "commune", "message"])
def test_join_form_refuses_invalid_utf8_in_a_field(client, htmx, field):
    bad = {"name": b"Marie%FF%FE", "commune": b"Figeac%C3", "message": b"Bonjour%E9"}[field]
    response = client.post(
        "/nous-rejoindre/",
        body(JOIN, **{field: bad}),
        content_type=URLENCODED,
        **(HTMX if htmx else {}),
    )
    html = html_of(response)
    assert response.status_code == 200
    assert error_of(html, f"rejoindre-{field}") == ILLEGIBLE
    assert html.count('aria-invalid="true"') == 1
    assert "Ce texte contient des caractères illisibles" in html.split('class="error-summary"')[1]
    assert JoinRequest.objects.count() == 0
    deliver()
    assert mail.outbox == []
    # What else was typed is still there.
    assert 'value="marie.dupont@example.org"' in html
    if field != "commune":
        assert 'value="Capdenac-Gare"' in html
    if field != "message":
        assert "Je peux aider le samedi." in html
    assert ("<html" in html) is not htmx


@pytest.mark.parametrize("htmx", [False, True], ids=["sans-js", "htmx"])
def test_registration_refuses_invalid_utf8_in_the_name(client, meeting, htmx):
    response = client.post(
        meeting.get_register_url(),
        body(REGISTRATION, name=b"Marie%FF%FE"),
        content_type=URLENCODED,
        **(HTMX if htmx else {}),
    )
    html = html_of(response)
    assert response.status_code == 200
    assert error_of(html, f"inscription-{meeting.pk}-name") == ILLEGIBLE
    assert 'value="marie.dupont@example.org"' in html
    assert Registration.objects.count() == 0
    deliver()
    assert mail.outbox == []


@pytest.mark.parametrize("htmx", [False, True], ids=["sans-js", "htmx"])
def test_an_address_with_invalid_utf8_gets_that_message_alone(client, meeting, htmx):
    response = client.post(
        meeting.get_register_url(),
        body(REGISTRATION, email=b"marie%FF@example.org"),
        content_type=URLENCODED,
        **(HTMX if htmx else {}),
    )
    html = html_of(response)
    assert error_of(html, f"inscription-{meeting.pk}-email") == ILLEGIBLE  # not « invalide »
    assert 'value="Marie Dupont"' in html
    deliver()
    assert Registration.objects.count() == 0 and mail.outbox == []


def test_multipart_posts_are_refused_the_same_way(client):
    data, content_type = multipart(JOIN, name=b"Marie \xff\xfe")
    response = client.post("/nous-rejoindre/", data, content_type=content_type)
    assert response.status_code == 200
    assert error_of(html_of(response), "rejoindre-name") == ILLEGIBLE
    deliver()
    assert JoinRequest.objects.count() == 0 and mail.outbox == []


@pytest.mark.parametrize("htmx", [False, True], ids=["sans-js", "htmx"])
@pytest.mark.parametrize("url", ["/nous-rejoindre/", "registration"])
def test_a_body_that_cannot_be_decoded_at_all_is_a_400(client, meeting, url, htmx):
    # Raw bytes, not percent-encoded: Django would read the whole body as Latin-1.
    url = meeting.get_register_url() if url == "registration" else url
    response = client.post(
        url,
        body(JOIN, name=b"Marie\xff\xfe", commune=b"Cajarc \xc3\xa9"),
        content_type=URLENCODED,
        **(HTMX if htmx else {}),
    )
    assert response.status_code == 400
    html = html_of(response)
    assert "<h1>Demande incorrecte</h1>" in html
    assert "l'adresse ou le formulaire envoyé est peut-être trop long ou abîmé" in html
    assert JoinRequest.objects.count() == 0 and Registration.objects.count() == 0
    deliver()
    assert mail.outbox == []


def test_accented_text_still_goes_through(client):
    """The guard refuses illegible text only: UTF-8, encoded or raw, is read as sent."""
    response = client.post(
        "/nous-rejoindre/",
        body(JOIN, name=quote("Marie-Hélène Séguy").encode(), commune="Bagnac-sur-Célé".encode()),
        content_type=URLENCODED,
    )
    assert response.status_code == 302
    join_request = JoinRequest.objects.get()
    assert (join_request.name, join_request.commune) == ("Marie-Hélène Séguy", "Bagnac-sur-Célé")
    deliver()
    assert mail.outbox[0].subject == "Nouvelle demande de participation : Marie-Hélène Séguy"


def test_sign_in_refuses_invalid_utf8_without_counting_a_failure(client):
    account = make_account("equipe", email="equipe@example.org")
    response = client.post(
        "/compte/connexion/",
        b"username=equipe%40example.org&password=" + quote(PASSWORD).encode() + b"%FF",
        content_type=URLENCODED,
    )
    html = html_of(response)
    assert response.status_code == 200
    assert ILLEGIBLE in html
    assert 'value="equipe@example.org"' in html
    assert "_auth_user_id" not in client.session
    # Not an authentication attempt: nothing counts toward the lockout.
    assert not AccessAttempt.objects.filter(username=account.email).exists()
