"""Query budgets: a page's count stays under its budget and does not grow with rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

# Headroom over what the pages need today (3 queries anonymous, 6 signed in for
# /documents/), for site-wide context: the demo notice and the footer's accessibility
# statement (both kept as fragments in production, where they cost nothing).
ANONYMOUS_BUDGET = 6
SIGNED_IN_BUDGET = 8


def count_queries(client, path, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **kwargs)
    assert response.status_code == 200, path
    return len(queries)


def assert_constant_queries(client, path, add_rows, budget, **kwargs):
    before = count_queries(client, path, **kwargs)
    add_rows()
    after = count_queries(client, path, **kwargs)
    assert after == before, f"{path}: {before} queries, then {after} with more rows"
    assert after <= budget, f"{path}: {after} queries, budget {budget}"
    return after
