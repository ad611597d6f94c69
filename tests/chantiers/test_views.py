"""The public pages of the démarche, their htmx fragments and their filters."""

from datetime import timedelta

import pytest
from django.utils import timezone

from chantiers import territoire
from chantiers.models import Chantier, ChantierStatus, MeetingKind, MeetingStatus
from chantiers.views import chantiers as chantier_views
from tests.chantiers.factories import PartnerFactory
from tests.chantiers.pages import HTMX, html_of, past, soon
from tests.factories import (
    ActorFactory,
    ChantierFactory,
    MeetingFactory,
    MembershipFactory,
    SessionFactory,
    TeamMemberFactory,
)

pytestmark = pytest.mark.django_db

# ---- /chantiers/ ----


def test_chantier_cards_show_status_summary_actor_count_and_next_meeting(client):
    chantier = ChantierFactory(title="Épargne", summary="Un résumé clair.")
    for _ in range(3):
        MembershipFactory(chantier=chantier)
    past(3, chantier=chantier, title="Réunion passée")
    soon(20, chantier=chantier, title="Plus tard")
    soon(5, chantier=chantier, title="Annulée", status=MeetingStatus.CANCELLED)
    nearest = soon(10, chantier=chantier, title="La prochaine")
    response = client.get("/chantiers/")
    html = html_of(response)
    assert response.status_code == 200
    assert "<h1>Les chantiers</h1>" in html
    assert "Épargne" in html and "Un résumé clair." in html and "En action" in html
    assert "3 acteurs" in html
    assert f'href="{nearest.get_absolute_url()}"' in html
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_a_session_counts_as_the_next_meeting_of_the_chantiers_it_concerns(client):
    chantier = ChantierFactory()
    session = SessionFactory(starts_at=timezone.now() + timedelta(days=2))
    session.chantiers.add(chantier)
    assert f'href="{session.get_absolute_url()}"' in html_of(client.get("/chantiers/"))


def test_chantier_filter_by_status(client):
    ChantierFactory(title="En marche", status=ChantierStatus.IN_ACTION)
    ChantierFactory(title="Inconnu", status=ChantierStatus.UNKNOWN)
    html = html_of(client.get("/chantiers/?etat=a_preciser"))
    assert "Inconnu" in html and "En marche" not in html
    assert '<option value="a_preciser" selected>' in html
    assert "1 chantier dans cet état" in html


def test_chantier_filter_fragment_is_only_the_results_and_the_count(client):
    ChantierFactory(title="En marche", status=ChantierStatus.IN_ACTION)
    ChantierFactory(title="Inconnu", status=ChantierStatus.UNKNOWN)
    response = client.get("/chantiers/?etat=en_action", **HTMX)
    html = html_of(response)
    assert "<html" not in html and "<h1" not in html and "site-header" not in html
    assert "En marche" in html and "Inconnu" not in html
    assert (
        '<p id="chantier-count" data-hx-swap-oob="innerHTML">1 chantier dans cet état</p>' in html
    )
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("query", ["?etat=nimporte", "?etat=%00", "?etat=a&etat=b", "?page=x"])
def test_bad_chantier_filters_are_ignored_not_errors(client, query):
    ChantierFactory(title="Visible")
    for extra in ({}, HTMX):
        response = client.get("/chantiers/" + query, **extra)
        assert response.status_code == 200
        assert "Visible" in html_of(response)


def test_empty_filter_result_says_so(client):
    ChantierFactory(status=ChantierStatus.IN_ACTION)
    html = html_of(client.get("/chantiers/?etat=termine"))
    assert "Aucun chantier dans cet état" in html


def test_the_chantier_list_is_paginated_so_that_it_stays_a_page_long(client):
    for number in range(30):
        ChantierFactory(
            title=f"Chantier {number:02}", order=number, status=ChantierStatus.IN_ACTION
        )
    html = html_of(client.get("/chantiers/"))
    assert html.count('class="card chantier-card"') == 24
    assert "Chantier 23" in html and "Chantier 24" not in html
    assert "30 chantiers – page 1 sur 2" in html
    assert '<a href="?page=2" rel="next">Page suivante</a>' in html
    assert "Page précédente" not in html
    second = html_of(client.get("/chantiers/?etat=en_action&page=2"))
    assert second.count('class="card chantier-card"') == 6
    assert "Chantier 24" in second and "Chantier 23" not in second
    assert "<title>Les chantiers (page 2) – " in second
    assert "30 chantiers dans cet état – page 2 sur 2" in second
    assert '<a href="?etat=en_action&amp;page=1" rel="prev">Page précédente</a>' in second
    # Past the last page (an old link): the last page.
    assert "Chantier 29" in html_of(client.get("/chantiers/?page=9"))


def test_the_cards_follow_the_state_filter_and_the_time(client):
    orchard = ChantierFactory(title="Vergers", status=ChantierStatus.IN_ACTION)
    ChantierFactory(title="Mobilités", status=ChantierStatus.PAUSED)
    meeting = MeetingFactory(chantier=orchard, title="Taille des arbres")
    html = html_of(client.get("/chantiers/?etat=en_pause"))
    assert "Mobilités" in html and "Vergers" not in html
    html = html_of(client.get("/chantiers/?etat=en_action"))
    assert "Vergers" in html and "Mobilités" not in html and meeting.title in html
    # Past its end, the meeting is no one's next meeting.
    meeting.starts_at = timezone.now() - timedelta(days=1)
    meeting.ends_at = meeting.starts_at + timedelta(hours=2)
    meeting.save()
    assert meeting.title not in html_of(client.get("/chantiers/?etat=en_action"))


def test_a_single_page_of_chantiers_has_no_pagination(client):
    ChantierFactory()
    html = html_of(client.get("/chantiers/?page=3"))
    assert "1 chantier<" in html and "Pages des chantiers" not in html


# ---- /chantiers/<slug>/ ----


def test_chantier_page_shows_description_ecosystem_by_kind_coordinators_and_meetings(client):
    chantier = ChantierFactory(
        title="Dessine-moi", description="Un **texte** <script>alert(1)</script>"
    )
    MembershipFactory(chantier=chantier, actor=ActorFactory(name="Alice Élue", kind="elu"))
    MembershipFactory(
        chantier=chantier,
        actor=ActorFactory(name="Ferme Bio", kind="entreprise", is_organisation=True),
        role="animation",
    )
    coordinator = TeamMemberFactory(name="Camille Coord", role="Coordination")
    coordinator.coordinated_chantiers.add(chantier)
    upcoming = soon(7, chantier=chantier, title="Intersession à venir")
    held = past(30, chantier=chantier, title="Intersession tenue")
    other = soon(3, title="Réunion d'un autre chantier")
    response = client.get(chantier.get_absolute_url())
    html = html_of(response)
    assert response.status_code == 200
    assert "<h1>Dessine-moi</h1>" in html
    assert "<strong>texte</strong>" in html and "<script>alert" not in html
    assert html.index("Élu·e") < html.index("Alice Élue") < html.index("Entreprise")
    assert "Ferme Bio" in html and "animation" in html
    assert "Camille Coord" in html
    assert upcoming.title in html and held.title in html and other.title not in html
    assert html.index("Intersession à venir") < html.index("Intersession tenue")
    assert 'href="/chantiers/chantier' in html and "/agenda.ics" in html
    assert "Aucun document n'est encore publié pour ce chantier." in html
    assert "/nous-rejoindre/?chantier=" in html


def test_chantier_page_with_nothing_yet_says_what_is_to_come(client):
    chantier = ChantierFactory(status=ChantierStatus.UNKNOWN)
    html = html_of(client.get(chantier.get_absolute_url()))
    assert "À préciser" in html
    assert "Aucune réunion n'est annoncée pour le moment." in html
    assert "Aucune réunion passée pour ce chantier." in html
    assert "à préciser" in html  # ecosystem and coordination


def test_demo_name_is_labelled_as_demo(client):
    chantier = ChantierFactory(title="Chantier 4", demo_title="Nom fictif", status="a_preciser")
    for path in ("/", "/chantiers/", chantier.get_absolute_url()):
        html = html_of(client.get(path))
        assert "Nom fictif" in html and "badge--demo" in html, path


def test_unknown_chantier_is_a_404(client):
    assert client.get("/chantiers/nulle-part/").status_code == 404
    assert client.get("/chantiers/nulle-part/agenda.ics").status_code == 404


def _chantier_with_past_meetings(count):
    chantier = ChantierFactory()
    meetings = [
        past(days, chantier=chantier, title=f"Passée {days}") for days in range(1, count + 1)
    ]
    return chantier, meetings  # most recent first


def test_past_meetings_are_paged_with_voir_plus_that_works_without_javascript(client):
    chantier, meetings = _chantier_with_past_meetings(12)
    html = html_of(client.get(chantier.get_absolute_url()))
    assert html.count('id="passee-') == 5
    assert "Voir plus de réunions passées" in html
    assert f'href="{chantier.get_absolute_url()}?passees=2#passee-6"' in html
    # The plain link shows the first two pages at once...
    html = html_of(client.get(chantier.get_absolute_url() + "?passees=2"))
    assert html.count('id="passee-') == 10 and "<h1" in html
    # ... the last page has no more link.
    html = html_of(client.get(chantier.get_absolute_url() + "?passees=3"))
    assert html.count('id="passee-') == 12 and "Voir plus de réunions passées" not in html


def test_voir_plus_fragment_has_the_next_items_only(client):
    chantier, meetings = _chantier_with_past_meetings(12)
    response = client.get(chantier.get_absolute_url() + "?passees=2", **HTMX)
    html = html_of(response)
    assert "<html" not in html and "<h1" not in html
    assert html.count('id="passee-') == 5
    assert 'id="passee-6" data-focus-on-swap' in html
    assert meetings[5].title in html and meetings[4].title not in html
    assert f'data-hx-get="{chantier.get_absolute_url()}?passees=3"' in html
    assert "HX-Request" in response["Vary"]
    last = html_of(client.get(chantier.get_absolute_url() + "?passees=3", **HTMX))
    assert last.count('id="passee-') == 2 and "Voir plus" not in last


def test_the_chantier_page_stops_growing_with_past_meetings(client):
    """Ten past meetings or two hundred: the same page (ids and addresses aside), with a
    link to the agenda for the rest; « voir plus » stops after PAST_MAX_PAGES pages, with
    or without JavaScript."""
    ten, _ = _chantier_with_past_meetings(10)
    thirty, _ = _chantier_with_past_meetings(30)
    many, _ = _chantier_with_past_meetings(200)

    def size(chantier, query=""):
        return len(html_of(client.get(chantier.get_absolute_url() + query)))

    # Only the slugs of the chantiers and meetings differ: a few bytes per link.
    assert abs(size(many) - size(ten)) < 100
    capped = size(thirty, "?passees=4")
    assert abs(size(many, "?passees=4") - capped) < 100
    assert size(many, "?passees=500") == size(many, "?passees=4")
    html = html_of(client.get(many.get_absolute_url() + "?passees=500"))
    assert (
        html.count('id="passee-')
        == chantier_views.PAST_MAX_PAGES * chantier_views.PAST_PAGE_SIZE
        == 20
    )
    assert "Voir plus de réunions passées" not in html
    assert f"/agenda/?chantier={many.slug}&amp;periode=passees" in html
    fragment = html_of(
        client.get(many.get_absolute_url() + f"?passees={chantier_views.PAST_MAX_PAGES}", **HTMX)
    )
    assert fragment.count('id="passee-') == 5 and "Voir plus" not in fragment
    # The agenda has the rest: the chantier's past meetings, all two hundred.
    response = client.get(f"/agenda/?chantier={many.slug}&periode=passees")
    assert response.context["past_count"] == 200


def test_no_agenda_link_when_the_page_shows_every_past_meeting(client):
    chantier, _ = _chantier_with_past_meetings(5)
    html = html_of(client.get(chantier.get_absolute_url()))
    assert html.count('id="passee-') == 5
    assert "periode=passees" not in html


@pytest.mark.parametrize(
    ("value", "in_fragment"),
    [("abc", 3), ("-4", 3), ("0", 3), ("2.5", 3), ("", 3), ("99999999999", 0)],
)
def test_bad_page_numbers_do_not_break_the_chantier_page(client, value, in_fragment):
    """An odd number is the first page; a huge one the last page allowed, empty."""
    chantier, _ = _chantier_with_past_meetings(3)
    url = chantier.get_absolute_url() + f"?passees={value}"
    page = client.get(url)
    assert page.status_code == 200
    assert html_of(page).count('id="passee-') == 3
    fragment = client.get(url, **HTMX)
    assert fragment.status_code == 200
    assert "<html" not in html_of(fragment)
    assert html_of(fragment).count('id="passee-') == in_fragment


# ---- /equipe/ ----


def test_team_page_shows_members_roles_chantiers_sessions_ecosystems_partners(client):
    territoire.load()
    epargne = Chantier.objects.get(slug="epargne-locale")
    territoire_chantier = Chantier.objects.get(slug="chantier-4")
    member = TeamMemberFactory(name="Anne Animatrice", role="Animation générale")
    member.coordinated_chantiers.add(epargne)
    MembershipFactory(chantier=epargne)
    session = SessionFactory(title="Session de printemps")
    PartnerFactory(name="Partenaire en plus", kind="autre")
    response = client.get("/equipe/")
    html = html_of(response)
    assert response.status_code == 200 and html.count("<h1") == 1
    assert "Anne Animatrice" in html and "Animation générale" in html
    assert f'href="{epargne.get_absolute_url()}"' in html
    assert session.title in html
    assert f"{epargne.get_absolute_url()}#ecosysteme" in html and "1 acteur" in html
    assert f"{territoire_chantier.get_absolute_url()}#ecosysteme" in html
    for partner in (
        "Conseil de développement",
        "Réseaux & Territoires",
        "LEREPS",
        "Partenaire en plus",
    ):
        assert partner in html.replace("&amp;", "&")
    # In the page's content: the header has a « Rechercher » box.
    main = html.split('id="contenu"', 1)[1]
    assert main.index("Instance du PETR") < main.index("Accompagnement") < main.index("Recherche")


def test_a_team_member_links_to_each_chantier_coordinated(client):
    first = ChantierFactory(title="Épargne & <territoire>", slug="epargne", order=1)
    second = ChantierFactory(title="Vrai nom", demo_title="Nom de démo", slug="demo", order=2)
    TeamMemberFactory(name="Anne").coordinated_chantiers.add(first, second)
    html = html_of(client.get("/equipe/"))
    assert (
        '<p class="team-card__chantiers">Coordonne : '
        '<a href="/chantiers/epargne/">Épargne &amp; &lt;territoire&gt;</a>, '
        '<a href="/chantiers/demo/">Nom de démo</a></p>'
    ) in html


def test_the_team_page_stays_the_same_size_however_many_chantiers(client):
    # A member's first chantiers, then how many others; the first ecosystems, then a link
    # to the list of chantiers.
    shown, more = chantier_views.MEMBER_CHANTIERS, chantier_views.TEAM_ECOSYSTEMS
    chantiers = [
        ChantierFactory(title=f"Chantier {n:02d}", slug=f"c-{n:02d}", order=n)
        for n in range(more + 3)
    ]
    TeamMemberFactory(name="Anne").coordinated_chantiers.add(*reversed(chantiers))
    TeamMemberFactory(name="Béa").coordinated_chantiers.add(chantiers[-1])
    html = html_of(client.get("/equipe/"))
    links = "".join(f'<a href="/chantiers/c-{n:02d}/">Chantier {n:02d}</a>, ' for n in range(shown))
    others = len(chantiers) - shown
    assert f"Coordonne : {links[:-2]} et {others} autres chantiers</p>" in html
    last = len(chantiers) - 1
    assert f'Coordonne : <a href="/chantiers/c-{last}/">Chantier {last}</a></p>' in html
    assert html.count('#ecosysteme"') == more
    assert '<a href="/chantiers/">Tous les chantiers et leurs écosystèmes</a>' in html


def test_team_page_without_team_says_it_is_to_come(client):
    html = html_of(client.get("/equipe/"))
    assert "à préciser" in html and "developpement@petr-fqvd.fr" in html


# ---- / (live parts of the home page) ----


def test_home_shows_the_five_chantiers_next_three_meetings_and_timeline(client):
    territoire.load()
    chantier = Chantier.objects.get(slug="epargne-locale")
    meetings = [soon(days, chantier=chantier, title=f"Prochaine {days}") for days in (1, 2, 3, 4)]
    soon(0.5, chantier=chantier, title="Annulée bientôt", status=MeetingStatus.CANCELLED)
    past(1, chantier=chantier, title="Déjà passée")
    html = html_of(client.get("/"))
    for chantier in Chantier.objects.all():
        assert chantier.display_title.replace("\u00a0", " ") in html
    assert html.count("En action") == 3 and html.count("À préciser") == 2
    assert [m.title in html for m in meetings] == [True, True, True, False]
    assert "Annulée bientôt" not in html and "Déjà passée" not in html
    assert html.index("Printemps 2018") < html.index("2019") < html.index("Bonheur Local Brut")
    assert "Réseaux & Territoires" in html.replace("&amp;", "&")


def test_home_without_content_still_renders(client):
    html = html_of(client.get("/"))
    assert "Les chantiers seront présentés prochainement." in html
    assert "Aucune réunion n'est annoncée pour le moment." in html


def test_a_session_on_the_home_page_says_equipe_projet(client):
    SessionFactory(title="Journée d'immersion", kind=MeetingKind.SESSION)
    assert "Équipe-projet" in html_of(client.get("/"))


def test_htmx_pushes_short_urls_without_empty_fields(client):
    response = client.get("/agenda/?type=&chantier=premier&periode=", **HTMX)
    assert response["HX-Push-Url"] == "/agenda/?chantier=premier"
    response = client.get("/chantiers/?etat=", **HTMX)
    assert response["HX-Push-Url"] == "/chantiers/"
    assert "HX-Push-Url" not in client.get("/chantiers/?etat=")
    chantier = ChantierFactory()
    past(3, chantier=chantier)
    fragment = client.get(chantier.get_absolute_url() + "?passees=2", **HTMX)
    assert "HX-Push-Url" not in fragment  # « voir plus » does not change the address
