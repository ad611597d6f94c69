"""The audit in the admin: the sample proposed, the grid's screens, saving a result with
htmx and without JavaScript, a theme « non applicable » at once, publication, and the
warning before the published audit stops counting."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accessibilite import services
from accessibilite.admin.audits import REQUIRED_PAGES
from accessibilite.conformity import Status
from accessibilite.models import Audit, Criterion, Result
from tests.accessibilite.factories import audit_with_pages, record
from tests.accounts.helpers import make_account

pytestmark = pytest.mark.django_db

C, NC, NA, NT = Status.CONFORMING, Status.FAILING, Status.NOT_APPLICABLE, Status.NOT_TESTED
HTMX = {"HX-Request": "true"}


@pytest.fixture
def team(client):
    client.force_login(make_account("equipe"))
    return client


def html_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode().replace("&nbsp;", "\u00a0").replace("&#x27;", "'")


def screen_url(audit, page, theme_number):
    return reverse("admin:accessibilite_audit_grid_screen", args=[audit.pk, page.pk, theme_number])


def save_url(audit, page, criterion):
    return reverse("admin:accessibilite_audit_grid_save", args=[audit.pk, page.pk, criterion.pk])


def criterion(version, code):
    theme, number = code.split(".")
    return Criterion.objects.of_version(version).get(theme__number=theme, number=number)


def test_a_new_audit_proposes_the_pages_the_rgaa_requires(team, rgaa):
    html = html_of(team.get("/admin/accessibilite/audit/add/"))
    for index, (name, _route) in enumerate(REQUIRED_PAGES):
        assert f'name="pages-{index}-name" value="{name}"' in html
    assert 'name="pages-0-url" value="/"' in html
    assert 'name="pages-6-url" value="/compte/connexion/"' in html
    assert re.search(rf'<option value="{rgaa.pk}" selected>RGAA 4.1.2</option>', html)
    # Sent as proposed, the rows are kept (a formset drops rows left as their initial).
    data = {
        "version": rgaa.pk,
        "audited_on": "2026-03-02",
        "auditor": "Équipe du projet",
        "scope": "https://projet.petr-fqvd.fr",
        "technologies": "HTML\nCSS",
        "tools": "",
        "derogations": "",
        "exempt_contents": "",
        "pages-TOTAL_FORMS": len(REQUIRED_PAGES),
        "pages-INITIAL_FORMS": 0,
        "environments-TOTAL_FORMS": 1,
        "environments-INITIAL_FORMS": 0,
    }
    for index, (name, _route) in enumerate(REQUIRED_PAGES):
        data[f"pages-{index}-order"] = index + 1
        data[f"pages-{index}-name"] = name
    response = team.post("/admin/accessibilite/audit/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    audit = Audit.objects.get()
    assert [page.name for page in audit.pages.all()] == [name for name, _ in REQUIRED_PAGES]
    # Nothing tested yet: every criterion is left to test.
    assert audit.not_tested == 106


def test_the_overview_counts_what_is_left_page_by_theme(team, rgaa, django_assert_max_num_queries):
    audit = audit_with_pages(rgaa, pages=2)
    record(audit, {"1.1": [C, NT], "1.2": [NC, NA]})
    url = reverse("admin:accessibilite_audit_grid", args=[audit.pk])
    with django_assert_max_num_queries(12) as few:
        html = html_of(team.get(url))
    assert "Il reste <strong>105 critères à tester</strong> (209 résultats" in html
    images = re.search(r"<th scope=\"row\">1\. Images</th>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r"(\d+) à tester</a>", images) == ["7", "8"]
    assert screen_url(audit, audit.pages.first(), 1) in images
    assert "Publier l'audit" not in html
    for index in range(6):
        audit.pages.create(name=f"Autre page {index}", order=10 + index)
    with django_assert_max_num_queries(len(few)):
        team.get(url)


def test_a_screen_shows_the_criteria_of_a_theme_with_their_tests(
    team, rgaa, django_assert_max_num_queries
):
    audit = audit_with_pages(rgaa, pages=1)
    page = audit.pages.get()
    record(audit, {"2.1": NA, "2.2": NA})
    with django_assert_max_num_queries(14):
        html = html_of(team.get(screen_url(audit, page, 1)))
    assert html.count('class="rgaa-criterion"') == 9
    assert '<h2 id="c' in html and ">Critère 1.1</h2>" in html
    assert "<summary>Tests et méthode du critère 1.1</summary>" in html
    assert "<h3>Test 1.1.5</h3>" in html and "Méthodologie du test 1.1.5" in html
    glossary = reverse("admin:accessibilite_audit_glossary", args=[rgaa.pk])
    assert f'href="{glossary}#image-porteuse-d-information"' in html
    assert "Reste à tester sur cette page\u00a0: 104 critères." in html
    # Non testé is the default result.
    first = criterion(rgaa, "1.1")
    assert re.search(rf'<input type="radio" name="c{first.pk}-status" value="NT"[^>]*checked', html)
    assert '2. Cadres <span class="rgaa-left">(terminé)</span>' in html
    assert "Direction interministérielle du numérique — RGAA 4.1.2, mise à jour du" in html


def test_a_result_is_saved_without_javascript(team, rgaa):
    audit = audit_with_pages(rgaa, pages=1)
    page, first = audit.pages.get(), criterion(rgaa, "1.1")
    response = team.post(
        save_url(audit, page, first),
        {
            f"c{first.pk}-status": NC,
            f"c{first.pk}-failure": "Logo sans alternative.",
            f"c{first.pk}-impact": "bloquant",
            f"c{first.pk}-comment": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{screen_url(audit, page, 1)}#critere-1-1"
    result = Result.objects.get(page=page, criterion=first)
    assert (result.status, result.failure, result.impact) == (
        NC,
        "Logo sans alternative.",
        "bloquant",
    )
    audit.refresh_from_db()
    assert (audit.failing, audit.not_tested) == (1, 105)
    html = html_of(team.get(response["Location"]))
    assert "Critère 1.1 : « Non conforme » enregistré." in html
    assert "Logo sans alternative.</textarea>" in html


def test_a_result_is_saved_with_htmx_and_the_counts_follow(team, rgaa):
    audit = audit_with_pages(rgaa, pages=1)
    page, first = audit.pages.get(), criterion(rgaa, "1.1")
    response = team.post(save_url(audit, page, first), {f"c{first.pk}-status": C}, headers=HTMX)
    html = html_of(response)
    assert "<html" not in html
    saved = re.search(rf'<span id="c{first.pk}-etat"[^>]*>(.*?)</span>', html)
    assert 'data-hx-swap-oob="true"' in saved.group(0)
    assert saved.group(1) == "Enregistré\u00a0: Conforme"
    status = re.search(r'<p id="grille-etat" data-hx-swap-oob="innerHTML">(.*?)</p>', html)
    assert status.group(1) == (
        "Critère 1.1\u00a0: conforme, enregistré. "
        "Reste à tester sur cette page\u00a0: 105 critères."
    )
    assert '<nav id="grille-themes" class="rgaa-nav"' in html and 'data-hx-swap-oob="true"' in html
    assert '1. Images <span class="rgaa-left">(8 à tester)</span>' in html
    assert Result.objects.get(page=page, criterion=first).status == C


def test_a_refused_result_comes_back_with_its_error(team, rgaa):
    audit = audit_with_pages(rgaa, pages=1)
    page, first = audit.pages.get(), criterion(rgaa, "1.1")
    html = html_of(
        team.post(save_url(audit, page, first), {f"c{first.pk}-status": "XX"}, headers=HTMX)
    )
    assert '<form id="critere-1-1"' in html and 'data-hx-swap-oob="true"' in html
    assert "Ce résultat n'a pas été enregistré" in html
    assert not Result.objects.exists()
    html = html_of(team.post(save_url(audit, page, first), {f"c{first.pk}-status": "XX"}))
    assert "<html" in html and "Ce résultat n'a pas été enregistré" in html


def test_a_criterion_of_another_version_or_audit_is_refused(team, rgaa):
    audit, other = audit_with_pages(rgaa), audit_with_pages(rgaa)
    first = criterion(rgaa, "1.1")
    response = team.post(save_url(audit, other.pages.get(), first), {f"c{first.pk}-status": C})
    assert response.status_code == 404
    assert not Result.objects.exists()


def test_a_theme_is_set_non_applicable_on_every_page_at_once(team, rgaa):
    audit = audit_with_pages(rgaa, pages=3)
    record(audit, {"4.1": [C, NT, NT]})
    url = reverse("admin:accessibilite_audit_grid_not_applicable", args=[audit.pk])
    response = team.post(url, {"theme": 4}, follow=True)
    assert (
        "Thématique « Multimédia » : 38 résultats non testés passés à « non applicable »"
        in html_of(response)
    )
    results = Result.objects.filter(page__audit=audit, criterion__theme__number=4)
    assert results.count() == 39
    assert results.filter(status=C).count() == 1  # kept
    audit.refresh_from_db()
    assert audit.not_applicable == 12 and audit.conforming == 1  # 4.1: C, then NA
    assert team.post(url, {"theme": 99}).status_code == 404


def test_an_audit_is_published_once_complete(team, rgaa):
    audit = audit_with_pages(rgaa, pages=1)
    record(audit, {"*": C, "1.1": NT})
    url = reverse("admin:accessibilite_audit_publication", args=[audit.pk])
    html = html_of(team.post(url, {"action": "publier"}, follow=True))
    assert "Il reste 1 critère non testé : un audit se publie une fois terminé." in html
    audit.refresh_from_db()
    assert audit.published_at is None
    record(audit, {"1.1": C})
    html = html_of(team.post(url, {"action": "publier"}, follow=True))
    assert "L'audit est publié" in html and "Retirer la publication" in html
    assert Audit.objects.published().get() == audit
    team.post(url, {"action": "retirer"})
    assert not Audit.objects.published().exists()


def test_the_admin_warns_before_the_published_audit_stops_counting(team, rgaa):
    audit = audit_with_pages(
        rgaa, pages=1, audited_on=timezone.localdate() - timedelta(days=3 * 365 - 30)
    )
    record(audit, {"*": C})
    services.publish(audit=audit)
    for url in ("/admin/accessibilite/audit/", f"/admin/accessibilite/audit/{audit.pk}/change/"):
        html = html_of(team.get(url))
        assert "L'audit publié ne comptera plus après le" in html, url
        assert "Prévoyez un nouvel audit d'ici là." in html
    Audit.objects.filter(pk=audit.pk).update(
        audited_on=timezone.localdate() - timedelta(days=4 * 365)
    )
    html = html_of(team.get("/admin/accessibilite/audit/"))
    assert "L'audit publié ne compte plus depuis le" in html
    Audit.objects.filter(pk=audit.pk).update(audited_on=timezone.localdate())
    assert "ne compte" not in html_of(team.get("/admin/accessibilite/audit/"))


def test_the_admin_home_warns_too_but_only_those_who_read_the_audits(team, client, rgaa):
    audit = audit_with_pages(
        rgaa, pages=1, audited_on=timezone.localdate() - timedelta(days=3 * 365 - 30)
    )
    record(audit, {"*": C})
    services.publish(audit=audit)
    html = html_of(team.get("/admin/"))
    assert "Déclaration d'accessibilité à renouveler" in html
    assert "L'audit publié ne comptera plus après le" in html
    assert 'href="/admin/accessibilite/audit/"' in html
    team.logout()
    client.force_login(make_account(is_staff=True))
    assert "ne comptera plus" not in html_of(client.get("/admin/"))
    Audit.objects.filter(pk=audit.pk).update(audited_on=timezone.localdate())
    client.force_login(make_account("equipe"))
    assert "à renouveler" not in html_of(client.get("/admin/"))


def test_the_grid_is_staff_only_and_saving_needs_the_change_permission(client, rgaa):
    audit = audit_with_pages(rgaa, pages=1)
    page, first = audit.pages.get(), criterion(rgaa, "1.1")
    grid = reverse("admin:accessibilite_audit_grid", args=[audit.pk])
    assert client.get(grid).status_code == 302  # to the sign-in
    client.force_login(make_account("elu"))
    assert client.get(grid).status_code == 302
    client.force_login(make_account(is_staff=True))
    assert client.get(grid).status_code == 403
    assert client.post(save_url(audit, page, first), {f"c{first.pk}-status": C}).status_code == 403
    assert not Result.objects.exists()


def test_the_glossary_lists_the_anchors_the_criteria_link(team, rgaa):
    html = html_of(team.get(reverse("admin:accessibilite_audit_glossary", args=[rgaa.pk])))
    assert '<dt id="image-porteuse-d-information">Image porteuse d’information</dt>' in html
    assert html.count("<dt id=") == 119
    assert "<script" not in html.split("<dl", 1)[1]
