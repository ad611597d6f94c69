"""`{% cache %}` fragments and the search's kept results (core.context_processors): kept
under the content version, so that an edit shows at once; warm, they save the queries of
what they show; what the clock changes (the day, a meeting that ends) is in their key; one
visitor's rights never reach another; a cache that fails still gives the whole page."""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.management import call_command
from django.utils import timezone

from chantiers.models import ActionStatus, MeetingKind
from core.cache import bump_content_version, content_version
from diagnostic.models import Visibility
from tests.chantiers import dataset
from tests.chantiers.factories import ActionFactory
from tests.chantiers.test_query_budgets import HTMX, PAGES
from tests.diagnostic.factories import DocumentFactory, elu
from tests.factories import ChantierFactory, MeetingFactory, MembershipFactory

pytestmark = pytest.mark.django_db

# Pages whose fragments hold rows the view then does not read: fewer queries once warm.
LAZY = {
    "home",
    "chantier page",
    "chantier page, 3 pages of past meetings",
    "team",
    "meeting page",
    "meeting page with actions",
    "action page",
}


@pytest.fixture
def fragments(settings):
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 600
    caches["template_fragments"].clear()
    # The version's row exists, as on any site that has served a page.
    content_version()
    yield settings
    caches["template_fragments"].clear()


def _counts(client, django_assert_max_num_queries):
    """(cold, warm) query counts of each page, warm being the same request again."""
    counts = {}
    for name, path, htmx, budget in PAGES:
        headers = HTMX if htmx else {}
        # Cold, a page reads the content version once, for all its fragments (an htmx
        # swap keeps none: core.context_processors).
        with django_assert_max_num_queries(budget + (0 if htmx else 1)) as cold:
            assert client.get(path, **headers).status_code == 200, name
        with django_assert_max_num_queries(budget) as warm:
            assert client.get(path, **headers).status_code == 200, name
        counts[name] = (len(cold), len(warm))
    return counts


def test_warm_fragments_save_the_queries_of_what_they_show_at_any_size(
    client, fragments, django_assert_max_num_queries
):
    dataset.build(chantier_count=5, meeting_count=60)
    bump_content_version()  # bulk_create sends no signal; the content commands bump too
    small = _counts(client, django_assert_max_num_queries)
    for name, _path, _htmx, budget in PAGES:
        _cold, warm = small[name]
        # Their fragments hold the demo notice and at least one list of rows: fewer
        # queries than without them, the version read included.
        if name in LAZY:
            assert warm < budget, (name, budget, warm)
    dataset.wipe()
    dataset.build(chantier_count=200, meeting_count=2000)
    bump_content_version()
    large = _counts(client, django_assert_max_num_queries)
    assert large == small


def test_an_edit_shows_at_once_in_every_fragment(client, fragments):
    chantier = ChantierFactory(slug="epargne")
    action = ActionFactory(chantier=chantier, title="Réunir les partenaires")
    member = MembershipFactory(chantier=chantier, actor__name="Maison des entreprises")
    meeting = MeetingFactory(
        chantier=chantier, kind=MeetingKind.INTERSESSION, title="Soirée de lancement"
    )
    html = client.get(chantier.get_absolute_url()).content.decode()
    assert "Réunir les partenaires" in html and "Maison des entreprises" in html
    assert "Soirée de lancement" in client.get("/agenda/").content.decode()
    action.title = "Réunir les banques"
    action.save()
    member.actor.name = "Mission locale"
    member.actor.save()
    meeting.title = "Soirée de rentrée"
    meeting.save()
    html = client.get(chantier.get_absolute_url()).content.decode()
    assert "Réunir les banques" in html and "Réunir les partenaires" not in html
    assert "Mission locale" in html and "Maison des entreprises" not in html
    agenda = client.get("/agenda/").content.decode()
    assert "Soirée de rentrée" in agenda and "Soirée de lancement" not in agenda


def test_an_action_falls_late_the_day_after_its_planned_end(client, fragments, monkeypatch):
    today = timezone.localdate()
    chantier = ChantierFactory(slug="epargne")
    ActionFactory(
        chantier=chantier, status=ActionStatus.IN_PROGRESS, planned_end_on=today, title="Guide"
    )
    late = 'class="badge badge--late"'
    for path in (chantier.get_absolute_url(), "/avancement/", "/"):
        assert late not in client.get(path).content.decode(), path
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + timedelta(1))
    for path in (chantier.get_absolute_url(), "/avancement/", "/"):
        assert late in client.get(path).content.decode(), path


def test_a_meeting_that_ends_moves_from_upcoming_to_past(client, fragments, monkeypatch):
    chantier = ChantierFactory(slug="epargne")
    start = timezone.now() + timedelta(hours=1)
    MeetingFactory(
        chantier=chantier,
        kind=MeetingKind.INTERSESSION,
        title="Soirée de lancement",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )

    def sections():
        html = client.get(chantier.get_absolute_url()).content.decode()
        upcoming = html[html.index('id="prochaines"') : html.index('id="passees"')]
        past = html[html.index('id="passees"') :]
        return "Soirée de lancement" in upcoming, "Soirée de lancement" in past

    assert sections() == (True, False)
    later = timezone.now() + timedelta(hours=4)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert sections() == (False, True)


def test_search_results_kept_for_visitors_never_show_reserved_documents(client, fragments):
    DocumentFactory(title="Rapport public sur l'épargne", slug="public")
    DocumentFactory(
        title="Note réservée sur l'épargne", slug="reserve", visibility=Visibility.RESERVED
    )
    visitor = client.get("/recherche/", {"q": "epargne"}).content.decode()
    assert "Rapport public" in visitor and "Note réservée" not in visitor
    client.force_login(elu())
    assert "Note réservée" in client.get("/recherche/", {"q": "epargne"}).content.decode()
    client.logout()
    assert "Note réservée" not in client.get("/recherche/", {"q": "epargne"}).content.decode()
    # A new chantier is found at once: the kept results were of the former content.
    ChantierFactory(title="Épargne locale", slug="epargne")
    assert "/chantiers/epargne/" in client.get("/recherche/", {"q": "epargne"}).content.decode()


def test_kept_search_results_cost_no_search_query(client, fragments, django_assert_max_num_queries):
    DocumentFactory(title="Rapport public sur l'épargne", slug="public")
    first = client.get("/recherche/", {"q": "  epargne "}).content.decode()
    # The version: the search, its rows and the demo notice come from the cache.
    with django_assert_max_num_queries(1):
        again = client.get("/recherche/", {"q": "epargne"}).content.decode()
    results = 'id="search-results"'
    assert again[again.index(results) :] == first[first.index(results) :]


def test_a_form_sent_with_errors_is_never_kept_nor_shown_to_the_next_visitor(client, fragments):
    chantier = ChantierFactory(slug="epargne")
    client.get(chantier.get_absolute_url())  # the unbound form's fields are kept
    sent = client.post(
        "/nous-rejoindre/",
        {"name": "Camille Lefèvre", "email": "pas-une-adresse", "chantiers": ["epargne"]},
    ).content.decode()
    assert "Camille Lefèvre" in sent and "field--error" in sent
    fresh = client.get(chantier.get_absolute_url()).content.decode()
    assert "Camille Lefèvre" not in fresh and "field--error" not in fresh


def test_a_failing_cache_still_gives_the_whole_page(client, fragments, monkeypatch):
    chantier = ChantierFactory(slug="epargne")
    ActionFactory(chantier=chantier, title="Réunir les partenaires")
    DocumentFactory(title="Rapport public sur l'épargne", slug="public")

    def broken(*args, **kwargs):
        raise ConnectionError("Redis ne répond pas")

    for method in ("get", "set", "add"):
        monkeypatch.setattr(LocMemCache, method, broken)
    assert "Réunir les partenaires" in client.get(chantier.get_absolute_url()).content.decode()
    assert "Rapport public" in client.get("/recherche/", {"q": "epargne"}).content.decode()


def test_after_a_deploy_renew_content_version_shows_the_new_templates(
    client, fragments, settings, tmp_path
):
    chantier = ChantierFactory(slug="epargne")
    ActionFactory(chantier=chantier, title="Réunir les partenaires")
    assert "data-designed" not in client.get("/chantiers/epargne/").content.decode()
    # The new code's template, in a folder searched first.
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}]
    source = Path(engine["DIRS"][0]) / "chantiers/includes/action_list.html"
    copy = tmp_path / "chantiers/includes/action_list.html"
    copy.parent.mkdir(parents=True)
    html = source.read_text(encoding="utf-8")
    copy.write_text(html.replace('<li class="action-item', '<li data-designed class="action-item'))
    # The fragment written before stays, as it would in a shared Redis...
    assert "data-designed" not in client.get("/chantiers/epargne/").content.decode()
    call_command("renew_content_version", stdout=StringIO())
    # ...until the deploy's last step makes it stale.
    assert "data-designed" in client.get("/chantiers/epargne/").content.decode()


def test_a_calendar_is_kept_until_the_content_changes(
    client, fragments, django_assert_max_num_queries
):
    chantier = ChantierFactory(slug="epargne")
    meeting = MeetingFactory(
        chantier=chantier, kind=MeetingKind.INTERSESSION, title="Soirée de lancement"
    )
    first = client.get("/chantiers/epargne/agenda.ics").content.decode()
    assert "Soirée de lancement" in first
    # The chantier's address, then the version: the meetings and icalendar are skipped.
    with django_assert_max_num_queries(2):
        assert client.get("/chantiers/epargne/agenda.ics").content.decode() == first
    meeting.title = "Soirée de rentrée"
    meeting.save()
    assert "Soirée de rentrée" in client.get("/chantiers/epargne/agenda.ics").content.decode()
