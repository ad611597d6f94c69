"""Every page and fragment stays under a fixed number of queries, and that number is
the same with 5 chantiers as with 200 chantiers and 2,000 meetings."""

import pytest

from tests.chantiers import dataset

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}

# (name, path, htmx?, budget). Budgets are what the pages need today, plus nothing:
# a new query has to be a deliberate change of this table. Every whole page counts the
# footer's accessibility statement (the latest published audit).
PAGES = [
    # + the chantiers' summaries, the latest points d'étape, the latest documents
    ("home", "/", False, 8),
    ("chantier list", "/chantiers/", False, 4),
    ("chantier list, filtered", "/chantiers/?etat=en_action", False, 4),
    ("chantier list fragment", "/chantiers/?etat=en_action", True, 2),
    # + its documents, + the chantiers of the join form, + its actions and latest point d'étape
    ("chantier page", "/chantiers/c-0/", False, 11),
    ("chantier page, 3 pages of past meetings", "/chantiers/c-0/?passees=3", False, 11),
    ("« voir plus » fragment", "/chantiers/c-0/?passees=2", True, 2),
    ("team", "/equipe/", False, 8),
    ("agenda", "/agenda/", False, 8),
    ("agenda page 2", "/agenda/?page=2", False, 7),
    ("agenda fragment", "/agenda/?type=intersession&chantier=c-0", True, 6),
    ("agenda fragment, past sessions", "/agenda/?periode=passees&type=session", True, 5),
    # + the actions decided there and the points d'étape it gave
    ("meeting page", "/agenda/reunion-0/", False, 7),
    ("meeting page with actions", "/agenda/reunion-10/", False, 7),
    ("session page", "/agenda/reunion-4/", False, 7),
    # the action with its chantier, pilots (2), journal, meetings, documents, indicators
    ("action page", "/chantiers/c-0/actions/a-0/", False, 9),
    # chantiers, summaries, actions, journal count and page, the demo notice
    ("progress", "/avancement/", False, 7),
    ("progress, late actions", "/avancement/?statut=en_retard", False, 7),
    ("progress, journal page 2", "/avancement/?page=2", False, 7),
    ("progress fragment", "/avancement/?statut=en_cours", True, 3),
    ("agenda.ics", "/agenda.ics", False, 2),
    ("chantier agenda.ics", "/chantiers/c-0/agenda.ics", False, 3),
    ("meeting .ics", "/agenda/reunion-4/evenement.ics", False, 2),
    ("agenda.json", "/agenda.json", False, 2),
]


def _measure(client, django_assert_max_num_queries):
    counts = {}
    for name, path, htmx, budget in PAGES:
        with django_assert_max_num_queries(budget) as captured:
            response = client.get(path, **(HTMX if htmx else {}))
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(captured)
    return counts


def test_query_counts_are_bounded_and_do_not_grow_with_rows(client, django_assert_max_num_queries):
    dataset.build(chantier_count=5, meeting_count=60)
    small = _measure(client, django_assert_max_num_queries)
    dataset.wipe()
    dataset.build(chantier_count=200, meeting_count=2000)
    large = _measure(client, django_assert_max_num_queries)
    grown = {name: (small[name], large[name]) for name in small if small[name] != large[name]}
    assert not grown, f"query counts grew with the rows (small, large): {grown}"
