"""/accessibilite/ and the footer of every page: written from the latest published audit,
« non conforme » and why without one, or once it no longer counts."""

import io
import re
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accessibilite import declaration, services
from accessibilite.conformity import Level, Status
from accessibilite.models import AccessibilityPlan, Audit, AuditEnvironment, PlanKind, RgaaVersion
from diagnostic.models import Derogation, Visibility
from tests.accessibilite.factories import audit_with_pages, record
from tests.diagnostic.factories import DocumentFactory
from tests.factories import ChantierFactory

pytestmark = pytest.mark.django_db

C, NC, NA = Status.CONFORMING, Status.FAILING, Status.NOT_APPLICABLE


def text_of(response):
    assert response.status_code == 200
    html = response.content.decode()
    return re.sub(r"[ \t\r\n]+", " ", html.replace("&nbsp;", "\u00a0").replace("&#x27;", "'"))


def published(rgaa, statuses, pages=2, **fields):
    audit = audit_with_pages(rgaa, pages=pages, **fields)
    record(audit, statuses)
    services.publish(audit=audit)
    return audit


def test_without_an_audit_the_site_is_non_conforme_and_says_why(client):
    html = text_of(client.get("/accessibilite/"))
    assert "<strong>non conforme</strong>" in html
    assert declaration.NO_AUDIT in html
    assert "Accessibilité\u00a0: non conforme" in html
    assert "Schéma pluriannuel de mise en accessibilité\u00a0: pas encore publié." in html


def test_the_declaration_follows_the_official_model(client):
    html = text_of(client.get("/accessibilite/"))
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", html)
    assert headings[:7] == [
        "État de conformité",
        "Résultats des tests",
        "Contenus non accessibles",
        "Établissement de cette déclaration d'accessibilité",
        "Retour d'information et contact",
        "Voies de recours",
        "Contact",  # the footer's
    ]
    assert "article 47 de la loi n°\u00a02005-102 du 11 février 2005" in html
    assert '<a href="https://formulaire.defenseurdesdroits.fr/">formulaire en ligne</a>' in html
    assert 'href="https://www.defenseurdesdroits.fr/saisir/delegues"' in html
    assert "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07" in html
    assert '<a href="/accessibilite/signaler/">Signaler un problème d\'accessibilité</a>' in html
    assert "developpement@petr-fqvd.fr" in html and "05 65 14 08 69" in html
    # The street address is not known: a setting, shown « à préciser » until it is set.
    assert 'adresse postale <span class="badge badge--muted">à préciser</span>' in html


def test_the_street_address_comes_from_the_settings(client, settings):
    settings.PORTAL = {**settings.PORTAL, "STREET_ADDRESS": "1 rue Exemple, 46100 Figeac"}
    html = text_of(client.get("/accessibilite/"))
    assert "PETR Figeac Quercy Vallée de la Dordogne, 1 rue Exemple, 46100 Figeac." in html


def test_a_published_audit_gives_its_rate_level_and_contents(client, rgaa):
    audit = published(
        rgaa,
        {"*": NA, "1.1": [C, NC], "1.2": C, "3.2": C, "11.1": [NC, NC]},
        derogations="Carte interactive des communes : refonte prévue en 2027",
        exempt_contents="Comptes rendus de 2018 numérisés",
    )
    AuditEnvironment.objects.create(
        audit=audit, assistive_technology="NVDA 2024.4", browser="Firefox 128", system="Windows 11"
    )
    page = audit.pages.last()
    page.results.filter(criterion__theme__number=1, criterion__number=1).update(
        failure="Le logo n'a pas d'alternative.", impact="majeur"
    )
    html = text_of(client.get("/accessibilite/"))
    assert "<strong>non conforme</strong>" not in html
    # 2 conformes (1.2, 3.2) of 4 applicable: 50 %, partiellement conforme.
    assert "est <strong>partiellement conforme</strong> avec le référentiel" in html
    assert "version 4.1.2, en raison des non-conformités énumérées ci-dessous." in html
    assert "révèle que <strong>50,00\u00a0%</strong> des critères du RGAA version 4.1.2" in html
    assert "Critère 1.1\u00a0: Chaque image porteuse d’information a-t-elle" in html
    assert "<li>Page 2\u00a0: Le logo n'a pas d'alternative. (impact majeur)</li>" in html
    assert "Critère 11.1\u00a0: " in html and "Critère 1.2\u00a0:" not in html
    assert "<li>Carte interactive des communes : refonte prévue en 2027</li>" in html
    assert "<li>Comptes rendus de 2018 numérisés</li>" in html
    assert "<li>NVDA 2024.4 avec Firefox 128, sous Windows 11</li>" in html
    assert '<li><a href="/page-' in html and ">Page 2</a></li>" in html
    assert "<li>Colour Contrast Analyser</li>" in html
    assert f"établie le {timezone.localdate():%-d}" in html
    assert "l'audit du 2 mars 2026" in html
    assert 'href="/accessibilite/grille.csv"' in html
    assert 'href="/accessibilite/grille.json"' in html
    attribution = "Direction interministérielle du numérique — RGAA 4.1.2"
    assert f"{attribution}, mise à jour du 18 avril 2023" in html
    assert "Accessibilité\u00a0: partiellement conforme" in html


def test_an_unpublished_audit_changes_nothing(client, rgaa):
    audit = audit_with_pages(rgaa)
    record(audit, {"*": C})
    html = text_of(client.get("/accessibilite/"))
    assert "<strong>non conforme</strong>" in html and declaration.NO_AUDIT in html
    services.publish(audit=audit)
    html = text_of(client.get("/mentions-legales/"))
    assert "Accessibilité\u00a0: totalement conforme" in html
    services.unpublish(audit=audit)
    assert "Accessibilité\u00a0: non conforme" in text_of(client.get("/mentions-legales/"))


def test_an_audit_older_than_three_years_no_longer_counts(client, rgaa):
    audit = published(rgaa, {"*": C}, audited_on=date(2020, 1, 6))
    html = text_of(client.get("/accessibilite/"))
    assert "<strong>non conforme</strong>" in html
    assert "Le dernier audit, réalisé le 6 janvier 2020, a plus de trois ans" in html
    assert "Accessibilité\u00a0: non conforme" in html
    # The day before its third anniversary it still counted.
    statement = declaration.statement_of(Audit.objects.current(), date(2023, 1, 5))
    assert statement.level == Level.TOTAL and statement.counts
    assert declaration.statement_of(audit, date(2023, 1, 6)).level == Level.NONE


def test_an_audit_on_a_version_replaced_18_months_ago_no_longer_counts(client, rgaa):
    today = timezone.localdate()
    published(rgaa, {"*": C}, audited_on=today - timedelta(days=10))
    replaced_on = today - timedelta(days=600)
    RgaaVersion.objects.create(
        number="5",
        published_on=replaced_on,
        updated_on=replaced_on,
        publisher="Direction interministérielle du numérique",
        source_url="https://accessibilite.numerique.gouv.fr/",
        licence="Licence Ouverte 2.0 (Etalab)",
        licence_url="https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    )
    html = text_of(client.get("/accessibilite/"))
    assert "<strong>non conforme</strong>" in html
    assert "suit la version 4.1.2 du RGAA, remplacée le" in html
    statement = declaration.current_statement(replaced_on + timedelta(days=400))
    assert statement.level == Level.TOTAL


def test_the_schema_and_this_years_plan_are_linked(client):
    today = timezone.localdate()
    AccessibilityPlan.objects.create(
        kind=PlanKind.SCHEMA,
        title="Schéma du PETR",
        starts_on=today - timedelta(days=100),
        ends_on=today + timedelta(days=600),
        url="https://exemple.invalid/schema.pdf",
    )
    AccessibilityPlan.objects.create(
        kind=PlanKind.PLAN,
        title="Plan de l'année",
        starts_on=today - timedelta(days=400),
        ends_on=today - timedelta(days=40),
        url="https://exemple.invalid/ancien-plan.pdf",
    )
    html = text_of(client.get("/accessibilite/"))
    assert '<a href="https://exemple.invalid/schema.pdf">Schéma pluriannuel de mise' in html
    assert "ancien-plan" not in html
    assert "Plan d'actions de l'année\u00a0: pas encore publié." in html


def test_documents_without_an_accessible_version_and_derogations_are_listed(client):
    chantier = ChantierFactory(title="Dessine-moi ton agriculture !")
    left = DocumentFactory(title="Diagnostic socio-économique", chantier=chantier)
    DocumentFactory(title="Rapport accessible", file_is_accessible=True)
    DocumentFactory(title="Note réservée", visibility=Visibility.RESERVED)
    burden = DocumentFactory(
        title="Archives de 2018",
        derogation=Derogation.DISPROPORTIONATE_BURDEN,
        derogation_reason="1 200 pages numérisées.",
    )
    exempt = DocumentFactory(
        title="Carte ancienne",
        derogation=Derogation.NOT_SUBJECT,
        derogation_reason="Reproduction d'une carte patrimoniale.",
    )
    html = text_of(client.get("/accessibilite/"))
    assert (
        f'<li><a href="{left.get_absolute_url()}">Diagnostic socio-économique</a> (PDF, '
        "chantier «\u00a0Dessine-moi ton agriculture !\u00a0»)</li>"
    ) in html
    assert "Rapport accessible" not in html and "Note réservée" not in html
    burden_section = html.split("<h3>Dérogations pour charge disproportionnée</h3>")[1]
    burden_section = burden_section.split("<h3>")[0]
    assert (
        f'<a href="{burden.get_absolute_url()}">Archives de 2018</a>\u00a0: 1 200 pages numérisées.'
    ) in burden_section
    exempt_section = html.split("<h3>Contenus non soumis à l'obligation d'accessibilité</h3>")[1]
    assert f'<a href="{exempt.get_absolute_url()}">Carte ancienne</a>' in exempt_section


def test_load_demo_publishes_no_audit(client):
    call_command("load_territoire", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    assert not Audit.objects.published().exists()
    assert "<strong>non conforme</strong>" in text_of(client.get("/accessibilite/"))


def test_the_footer_costs_one_query_per_page(client, rgaa, django_assert_num_queries):
    published(rgaa, {"*": C, "1.1": [C, NC]})
    with django_assert_num_queries(2):  # the demo notice, the footer's statement
        html = text_of(client.get("/mentions-legales/"))
    assert "Accessibilité\u00a0: partiellement conforme" in html
    assert 'href="/accessibilite/signaler/?page=/mentions-legales/"' in html


def test_the_declaration_reads_a_bounded_number_of_queries(
    client, rgaa, django_assert_max_num_queries
):
    published(rgaa, {"*": C, "1.1": [C, NC]}, pages=2)
    with django_assert_max_num_queries(10) as small:
        client.get("/accessibilite/")
    Audit.objects.all().delete()
    published(rgaa, {"*": NC}, pages=8)
    with django_assert_max_num_queries(len(small)):
        html = text_of(client.get("/accessibilite/"))
    assert html.count("Critère ") >= 106
