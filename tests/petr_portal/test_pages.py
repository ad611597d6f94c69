"""Site-wide pages render in French with the base layout."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/", "Le projet de territoire du PETR Figeac Quercy Vallée de la Dordogne"),
        ("/mentions-legales/", "Mentions légales"),
        ("/accessibilite/", "Déclaration d'accessibilité"),
        ("/confidentialite/", "Données personnelles"),
    ],
)
def test_page_renders_in_french_with_layout(client, path, heading):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert html.count("<h1") == 1
    assert f"<h1>{heading}</h1>" in html.replace("&#x27;", "'")
    assert 'href="#contenu"' in html and 'id="contenu"' in html
    for label in [
        "Accueil",
        "Chantiers",
        "Agenda",
        "Documents",
        "Diagnostic",
        "Indicateurs",
        "Nous rejoindre",
    ]:
        assert f">{label}</a>" in html
    assert "developpement@petr-fqvd.fr" in html
    assert "05 65 14 08 69" in html
    assert "Accessibilité&nbsp;: non conforme" in html


def test_current_page_is_marked_in_navigation(client):
    html = client.get("/").content.decode()
    assert '<a href="/" aria-current="page">Accueil</a>' in html


def test_home_tells_the_projet_de_territoire(client):
    from chantiers import territoire

    territoire.load()  # the timeline comes from the Phase model since the chantiers issue
    html = client.get("/").content.decode()
    for fact in [
        "juin 2015",
        "Grand-Figeac",
        "Cauvaldor",
        "Printemps 2018",
        "2019",
        "2020",
        "2022",
        "Bonheur Local Brut",
        "Réseaux &amp; Territoires",
        "flux de revenus",
    ]:
        assert fact in html, fact


def test_home_shows_the_first_chantiers_and_links_to_all_of_them(client):
    from tests.factories import ChantierFactory

    for number in range(15):
        ChantierFactory(title=f"Chantier {number:02}", order=number)
    html = client.get("/").content.decode()
    assert "Chantier 11" in html and "Chantier 12" not in html
    assert '<a href="/chantiers/">Tous les chantiers, leurs écosystèmes' in html


def test_htmx_is_served_from_our_static_files(client):
    html = client.get("/").content.decode()
    assert 'src="/static/django_htmx/htmx-2.min.js"' in html
    assert "unpkg" not in html and "cdn" not in html.lower()
    assert '"historyRestoreAsHxRequest": false' in html
    assert 'data-hx-headers=\'{"X-CSRFToken": "' in html


def test_accessibility_statement_is_honest(client):
    html = client.get("/accessibilite/").content.decode().replace("&#x27;", "'")
    assert "<strong>non conforme</strong>" in html
    assert "Aucun audit de conformité n'a encore été réalisé\u00a0: tant qu'un audit" in html
    assert "Défenseur des droits" in html
    assert "Contenus non accessibles" in html


def test_unknown_facts_come_from_settings(client, settings):
    html = client.get("/mentions-legales/").content.decode()
    assert html.count("à préciser") >= 3  # address, publication director, host
    settings.PORTAL = {
        **settings.PORTAL,
        "PUBLICATION_DIRECTOR": "Camille Exemple",
        "HOST_NAME": "Hébergeur Exemple",
        "STREET_ADDRESS": "1 rue Exemple, 46100 Figeac",
    }
    html = client.get("/mentions-legales/").content.decode()
    assert "Camille Exemple" in html and "Hébergeur Exemple" in html and "1 rue Exemple" in html
    assert "à préciser" not in html


def test_privacy_page_says_what_how_long_and_whom_to_ask(client):
    html = client.get("/confidentialite/").content.decode()
    assert "24 mois" in html
    assert "Pauline KRUPKA" in html
    assert "CNIL" in html
    # Failed sign-ins (django-axes) are personal data too: what, why, how long.
    assert "Échecs de connexion" in html
    assert "Suspendre la connexion après 5 essais infructueux" in html
    assert "15&nbsp;minutes après l'échec" in html


def test_404_page_is_french(client):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page introuvable</h1>" in html
    assert '<html lang="fr">' in html


def test_500_page_is_french_and_standalone(settings):
    settings.DEBUG = False
    from django.urls import path

    import petr_portal.urls as site_urls

    def boom(request):
        raise RuntimeError("panne simulée")

    original = list(site_urls.urlpatterns)
    site_urls.urlpatterns.insert(0, path("boom/", boom))
    try:
        from django.urls import clear_url_caches

        clear_url_caches()
        response = Client(raise_request_exception=False).get("/boom/")
    finally:
        site_urls.urlpatterns[:] = original
        clear_url_caches()
    assert response.status_code == 500
    html = response.content.decode()
    assert "Le site rencontre un problème" in html
    assert '<html lang="fr">' in html
