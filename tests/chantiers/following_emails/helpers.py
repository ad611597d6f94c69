"""Following a chantier as a resident does: the form, then the confirmation link."""

import re

from chantiers.models import Subscription
from tests.mail import deliver
from tests.smtp import subject, text_of

ADDRESS = "anne.roux@example.org"


def follow_data(**overrides):
    data = {
        "email": ADDRESS,
        "chantiers": ["agriculture"],
        "kinds": ["meetings", "minutes", "progress", "documents"],
        "rhythm": "immediat",
        "site_internet": "",
    }
    data.update(overrides)
    return data


def link_in(message, pattern):
    match = re.search(rf"http://testserver({pattern})", text_of(message))
    assert match, text_of(message)
    return match.group(1)


def follow_and_confirm(client, smtp_server, **overrides):
    response = client.post("/suivre/", follow_data(**overrides))
    assert response.status_code == 302 and response["Location"] == "/suivre/merci/"
    assert deliver().sent == 1
    [confirmation] = smtp_server.to(ADDRESS)
    assert subject(confirmation).startswith("Confirmez votre abonnement")
    # No unsubscribe header on the confirmation: the address does not follow anything yet.
    assert confirmation["List-Unsubscribe"] is None
    confirm_path = link_in(confirmation, r"/suivre/confirmer/[^/\s]+/")
    assert "Confirmer mon abonnement" in client.get(confirm_path).content.decode()
    assert not Subscription.objects.get().is_confirmed
    assert client.post(confirm_path).status_code == 302
    assert Subscription.objects.get().is_confirmed
    smtp_server.sink.clear()
