"""« Nous rejoindre »: the form on its page and on each chantier page, with and without
htmx, field by field errors, the team's email, the honeypot and the rate limit."""

import re

import pytest
from django.core import mail

from chantiers.models import JoinRequest, JoinRequestStatus
from core.models import FormPostCount
from tests.chantiers.participation import HTMX, _empty_cache, html_of, join_data  # noqa: F401
from tests.factories import ChantierFactory
from tests.mail import deliver

pytestmark = pytest.mark.django_db

URL = "/nous-rejoindre/"


@pytest.fixture
def chantiers():
    return [
        ChantierFactory(title="Épargne locale", slug="epargne"),
        ChantierFactory(title="Agriculture", slug="agriculture"),
    ]


def test_join_page_shows_an_empty_form_with_consent_unticked(client, chantiers):
    response = client.get(URL)
    html = html_of(response)
    assert response.status_code == 200
    assert html.count("<h1") == 1 and "<h1>Nous rejoindre</h1>" in html
    assert '<form class="form" method="post" action="/nous-rejoindre/"' in html
    assert 'data-hx-post="/nous-rejoindre/"' in html
    assert "csrfmiddlewaretoken" in html
    consent = re.search(r'<input type="checkbox" name="consent"[^>]*>', html).group(0)
    assert "checked" not in consent
    assert '<a href="/confidentialite/">' in html
    assert 'name="site_internet"' in html and 'tabindex="-1"' in html
    for chantier in chantiers:
        assert f'value="{chantier.slug}"' in html
    assert "checked" not in re.search(r'name="chantiers" value="epargne"[^>]*>', html).group(0)
    assert "HX-Request" in response["Vary"]


def test_join_page_preselects_the_chantier_of_the_link(client, chantiers):
    html = html_of(client.get(URL + "?chantier=agriculture"))
    assert re.search(r'name="chantiers" value="agriculture"[^>]*checked', html)
    assert not re.search(r'name="chantiers" value="epargne"[^>]*checked', html)
    # An unknown chantier in the link is simply not ticked.
    response = client.get(URL + "?chantier=nulle-part")
    assert response.status_code == 200
    assert "checked" not in html_of(response).split('name="site_internet"')[0].split("consent")[0]


def test_chantier_page_carries_the_same_form_with_its_chantier_ticked(client, chantiers):
    html = html_of(client.get(chantiers[1].get_absolute_url()))
    assert 'action="/nous-rejoindre/"' in html and 'data-hx-post="/nous-rejoindre/"' in html
    assert re.search(r'name="chantiers" value="agriculture"[^>]*checked', html)
    assert not re.search(r'name="chantiers" value="epargne"[^>]*checked', html)
    assert 'id="rejoindre-formulaire"' in html and "data-focus-after-swap" in html


def test_valid_post_without_javascript_stores_notifies_and_redirects(client, chantiers):
    data = join_data()
    data["chantiers"] = ["epargne", "agriculture"]
    response = client.post(URL, data)
    assert response.status_code == 302
    assert response["Location"] == "/nous-rejoindre/merci/"
    join_request = JoinRequest.objects.get()
    assert join_request.name == "Camille Martin"
    assert join_request.email == "camille.martin@example.org"
    assert join_request.commune == "Figeac"
    assert join_request.participation == "ecosysteme"
    assert join_request.status == JoinRequestStatus.NEW
    assert join_request.consented_at is not None
    assert join_request.last_activity_at == join_request.created_at == join_request.consented_at
    assert {c.slug for c in join_request.chantiers.all()} == {"epargne", "agriculture"}

    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "Merci, votre demande est envoyée" in html_of(thanks)


def test_the_team_gets_an_email_with_the_request(client, chantiers):
    data = join_data(message="Disponible le mardi soir.")
    data["chantiers"] = ["agriculture"]
    client.post(URL, data)
    deliver()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["developpement@petr-fqvd.fr"]
    assert email.reply_to == ["camille.martin@example.org"]
    assert email.subject == "Nouvelle demande de participation : Camille Martin"
    for text in [
        "Nom : Camille Martin",
        "Courriel : camille.martin@example.org",
        "Commune : Figeac",
        "Chantiers choisis : Agriculture",
        "Façon de participer : Rejoindre l'écosystème et venir aux intersessions",
        "Disponible le mardi soir.",
    ]:
        assert text in email.body, text
    join_request = JoinRequest.objects.get()
    # On the site's address (PORTAL_SITE_URL), never the request's (testserver here).
    assert (
        f"http://127.0.0.1:8000/admin/chantiers/joinrequest/{join_request.pk}/change/" in email.body
    )


def test_notification_address_is_a_setting(client, chantiers, settings):
    settings.PORTAL = {**settings.PORTAL, "JOIN_NOTIFICATION_EMAIL": "equipe@example.org"}
    client.post(URL, join_data())
    deliver()
    assert mail.outbox[0].to == ["equipe@example.org"]
    assert "Chantiers choisis : aucun en particulier" in mail.outbox[0].body


def test_valid_post_with_htmx_answers_the_thanks_fragment(client, chantiers):
    response = client.post(URL, join_data(), **HTMX)
    html = html_of(response)
    assert response.status_code == 200
    assert "<html" not in html and "<h1" not in html
    assert "Merci ! Votre demande est envoyée." in html
    assert "data-swap-focus" in html
    assert "HX-Request" in response["Vary"]
    assert JoinRequest.objects.count() == 1
    deliver()
    assert len(mail.outbox) == 1


INVALID = [
    ("name", {"name": ""}, "Indiquez votre nom et votre prénom."),
    ("name", {"name": "   "}, "Indiquez votre nom et votre prénom."),
    ("name", {"name": "Camille\nBcc: x@example.org"}, "Écrivez-le sur une seule ligne."),
    ("name", {"name": "x" * 151}, "Votre nom ne doit pas dépasser 150 caractères."),
    ("email", {"email": ""}, "Indiquez votre adresse électronique."),
    ("email", {"email": "camille@"}, "Indiquez une adresse électronique valide"),
    ("commune", {"commune": ""}, "Indiquez votre commune."),
    ("chantiers", {"chantiers": "nulle-part"}, "Ce chantier n'existe pas ou plus"),
    ("participation", {"participation": None}, "Choisissez une façon de participer."),
    ("participation", {"participation": "tout"}, "Choisissez une des façons de participer"),
    (
        "message",
        {"message": "m" * 2001},
        "Votre message dépasse 2000 caractères (il en compte 2001)",
    ),
    ("consent", {"consent": None}, "Cochez cette case pour que nous puissions enregistrer"),
]


@pytest.mark.parametrize("htmx", [False, True], ids=["sans-js", "htmx"])
@pytest.mark.parametrize(("field", "change", "message"), INVALID)
def test_each_invalid_field_is_shown_beside_it_and_nothing_is_kept(
    client, chantiers, field, change, message, htmx
):
    response = client.post(URL, join_data(**change), **(HTMX if htmx else {}))
    html = html_of(response)
    assert response.status_code == 200
    assert JoinRequest.objects.count() == 0
    deliver()
    assert mail.outbox == []
    # The error beside its field, referenced by the field, and in the summary with a link.
    error_id = f"rejoindre-{field}_error"
    assert f'<p class="field-error" id="{error_id}">' in html
    assert message in html.split(f'id="{error_id}">')[1].split("</p>")[0]
    if field in ("chantiers", "participation"):
        group = re.search(rf'<fieldset[^>]*aria-describedby="[^"]*{error_id}"', html)
        assert group, "the group of choices points to its error"
        assert re.search(rf'id="rejoindre-{field}_0"', html)
        link = f'href="#rejoindre-{field}_0"'
    else:
        tag = re.search(rf'<(input|textarea)[^>]*id="rejoindre-{field}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in tag
        assert error_id in re.search(r'aria-describedby="([^"]*)"', tag).group(1)
        assert "data-swap-focus" in tag
        link = f'href="#rejoindre-{field}"'
    assert 'class="error-summary" role="alert"' in html
    assert link in html.split('class="error-summary"')[1].split("</div>")[0]
    # Only one error: the other fields are not marked (a group marks each of its inputs).
    inputs = {"participation": 4, "chantiers": len(chantiers)}.get(field, 1)
    assert html.count('aria-invalid="true"') == inputs
    if htmx:
        assert "<html" not in html
    else:
        assert "<title>Erreur – Nous rejoindre" in html
        assert html.count("<h1") == 1


def test_nothing_typed_is_lost_on_an_error(client, chantiers):
    data = join_data(email="pas-une-adresse", participation="ponctuel", message="Mon idée <b>")
    data["chantiers"] = ["agriculture"]
    for extra in ({}, HTMX):
        html = html_of(client.post(URL, data, **extra))
        assert 'value="Camille Martin"' in html
        assert 'value="pas-une-adresse"' in html
        assert 'value="Figeac"' in html
        assert re.search(r'value="ponctuel"[^>]*checked', html)
        assert re.search(r'name="chantiers" value="agriculture"[^>]*checked', html)
        assert re.search(r'<input type="checkbox" name="consent"[^>]*checked', html)
        assert "Mon idée &lt;b&gt;</textarea>" in html
    assert JoinRequest.objects.count() == 0


def test_several_errors_are_summed_up_and_focus_goes_to_the_first(client, chantiers):
    html = html_of(client.post(URL, join_data(name="", commune="", consent=None), **HTMX))
    assert "3 erreurs empêchent l'envoi :" in html
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    assert summary.index("#rejoindre-name") < summary.index("#rejoindre-commune")
    assert summary.index("#rejoindre-commune") < summary.index("#rejoindre-consent")
    assert html.count("data-swap-focus") == 1
    assert re.search(r'<input[^>]*data-swap-focus[^>]*id="rejoindre-name"', html)


@pytest.mark.parametrize("htmx", [False, True], ids=["sans-js", "htmx"])
def test_honeypot_refuses_the_post_and_stores_and_sends_nothing(client, chantiers, htmx):
    response = client.post(
        URL, join_data(site_internet="http://spam.example"), **(HTMX if htmx else {})
    )
    html = html_of(response)
    assert response.status_code == 400
    assert "Envoi refusé" in html and "Ne pas remplir" in html
    assert JoinRequest.objects.count() == 0
    deliver()
    assert mail.outbox == []
    assert 'value="Camille Martin"' in html  # what a person typed is still there
    assert 'value="http://spam.example"' not in html


@pytest.mark.parametrize("htmx", [False, True], ids=["sans-js", "htmx"])
def test_rate_limit_answers_429_in_french_and_stores_nothing(client, chantiers, settings, htmx):
    settings.PORTAL_FORM_RATE_LIMIT = 2
    extra = HTMX if htmx else {}
    for index in range(2):
        response = client.post(URL, join_data(email=f"p{index}@example.org"), **extra)
        # Accepted: htmx gets the thanks in place, a plain post is sent to the thanks page.
        assert response.status_code == (200 if htmx else 302)
    response = client.post(URL, join_data(email="trop@example.org"), **extra)
    html = html_of(response)
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "Trop d'envois" in html and "Réessayez dans 60 minutes" in html
    assert 'value="trop@example.org"' in html
    assert JoinRequest.objects.count() == 2
    deliver()
    assert len(mail.outbox) == 2
    if not htmx:
        assert "<title>Trop d'envois – Nous rejoindre" in html
    # Invalid posts count too: a robot cannot hammer the form with errors.
    assert client.post(URL, join_data(name=""), **extra).status_code == 429
    # Another address is not limited.
    other = client.post(URL, join_data(email="autre@example.org"), REMOTE_ADDR="10.0.0.9", **extra)
    assert other.status_code == (200 if htmx else 302)


def test_rate_limit_counts_the_address_given_by_the_trusted_proxy(client, chantiers, settings):
    settings.PORTAL_FORM_RATE_LIMIT = 1
    settings.PORTAL_TRUSTED_PROXIES = 1
    # nginx appends the real address last; what the client wrote before cannot help it.
    first = client.post(URL, join_data(), HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5")
    again = client.post(URL, join_data(), HTTP_X_FORWARDED_FOR="2.2.2.2, 203.0.113.5")
    other = client.post(URL, join_data(), HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.7")
    assert (first.status_code, again.status_code, other.status_code) == (302, 429, 302)


def test_rate_limit_lets_posts_through_when_its_count_fails(client, chantiers, monkeypatch):
    from django.db import OperationalError

    from core import abuse

    def broken(*args, **kwargs):
        raise OperationalError("base en panne")

    monkeypatch.setattr(abuse, "count_post", broken)
    assert client.post(URL, join_data()).status_code == 302
    assert JoinRequest.objects.count() == 1


def test_join_accepts_only_get_and_post(client):
    assert client.put(URL).status_code == 405


def _join_pages(client, django_assert_max_num_queries):
    counts = {}
    # Every whole page: + the footer's accessibility statement.
    for name, method, extra, data, budget in [
        # The footer's accessibility statement on whole pages.
        ("page", "get", {}, None, 4),
        ("page, chantier preselected", "get", {}, None, 4),
        # Each post counted for the rate limit: one statement (two for the first).
        ("errors fragment", "post", HTMX, join_data(name=""), 4),
        ("errors page", "post", {}, join_data(name=""), 5),
        ("thanks fragment", "post", HTMX, {**join_data(), "chantiers": ["c-1", "c-2"]}, 8),
        ("thanks page", "get", {}, None, 2),
    ]:
        path = URL + "merci/" if name == "thanks page" else URL
        if name == "page, chantier preselected":
            path += "?chantier=c-1"
        FormPostCount.objects.all().delete()  # each post the first of its window
        with django_assert_max_num_queries(budget) as captured:
            response = getattr(client, method)(path, data, **extra) if data else client.get(path)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(captured)
    return counts


def test_join_query_budgets_do_not_grow_with_chantiers(client, django_assert_max_num_queries):
    for index in range(5):
        ChantierFactory(slug=f"c-{index}")
    small = _join_pages(client, django_assert_max_num_queries)
    for index in range(5, 120):
        ChantierFactory(slug=f"c-{index}")
    large = _join_pages(client, django_assert_max_num_queries)
    assert small == large


def test_a_chantier_page_offers_every_chantier_while_they_fit_on_a_page(client, chantiers):
    html = html_of(client.get("/chantiers/epargne/"))
    form = html[html.index('id="rejoindre"') :]
    assert form.count('name="chantiers"') == 2
    assert 'value="epargne" id="rejoindre-chantiers_0" checked' in form
    assert "ajoutez-en d'autres si vous le souhaitez" in form
    assert "le formulaire complet" not in form


def test_beyond_a_page_of_chantiers_a_chantier_page_offers_its_own(client, chantiers, monkeypatch):
    monkeypatch.setattr("chantiers.views.chantiers.CHANTIER_PAGE_SIZE", 1)
    html = html_of(client.get("/chantiers/agriculture/"))
    form = html[html.index('id="rejoindre"') :]
    assert form.count('name="chantiers"') == 1
    assert re.search(r'value="agriculture" id="rejoindre-chantiers_0" checked', form)
    assert '<label for="rejoindre-chantiers_0">Agriculture</label>' in form
    assert (
        "pour en choisir d'autres parmi tous les chantiers, passez par "
        '<a href="/nous-rejoindre/?chantier=agriculture">le formulaire complet</a>.'
    ) in form
    # The whole form, there, offers them all with this one ticked.
    page = html_of(client.get("/nous-rejoindre/?chantier=agriculture"))
    assert page.count('name="chantiers"') == 2
    assert re.search(r'value="agriculture" id="rejoindre-chantiers_\d" checked', page)
