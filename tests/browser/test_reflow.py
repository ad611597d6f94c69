"""Reflow (WCAG 1.4.10): every public page, with the demonstration content, fits 320 CSS
pixels, and 1280 pixels at 200 % zoom, without scrolling sideways.

A 200 % zoom of a 1280 × 900 window lays the page out in 640 × 450 CSS pixels (a device
scale factor would only sharpen the pixels, not zoom): that is the viewport used here.
"""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from chantiers.models import Action, Chantier, Meeting, MeetingKind
from diagnostic.models import Document, Visibility
from tests.accounts.helpers import make_account
from tests.browser.diagnostic_helpers import sign_in
from tests.diagnostic.factories import DocumentFactory
from tests.factories import TeamMemberFactory
from tests.security.routes import public_urls

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORTS = {
    "320 px": {"width": 320, "height": 640},
    "1280 px à 200 %": {"width": 640, "height": 450},
}

OVERFLOW = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return null;
  // The widest elements that pass the right edge, to say what to fix.
  const edge = root.clientWidth;
  return [...document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > edge + 1)
    .slice(0, 5)
    .map((e) => `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}.${[...e.classList].join(".")}`
      + ` (${Math.round(e.getBoundingClientRect().right)} px)`);
}"""


def demo_samples():
    """The objects public_urls() needs, taken from the demonstration content."""
    call_command("load_demo", stdout=io.StringIO())
    intersessions = Meeting.objects.filter(kind=MeetingKind.INTERSESSION)
    chantier = Chantier.objects.filter(intersessions__isnull=False).distinct().first()
    return {
        "chantier": chantier,
        "action": Action.objects.filter(chantier=chantier).first(),
        "intersession": intersessions.filter(registration_open=True).first()
        or intersessions.first(),
        "past": intersessions.order_by("starts_at").first(),
        "session": Meeting.objects.filter(kind=MeetingKind.SESSION).first(),
        "document": Document.objects.filter(visibility=Visibility.PUBLIC).first(),
        "reserved": Document.objects.filter(visibility=Visibility.RESERVED).first()
        or DocumentFactory(title="Note réservée aux élus", visibility=Visibility.RESERVED),
    }


def html_pages(urls):
    """The routes that answer a visitor's GET with a page (not a calendar, a data file, a
    download, a redirect or a refusal), in a stable order."""
    client = Client()
    pages = {}
    for name, url in sorted(urls.items()):
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages[name] = url
    return pages


def test_every_public_page_reflows_at_320_px_and_at_200_percent(browser, live_server):
    pages = html_pages(public_urls(demo_samples()))
    assert len(pages) >= 20, pages
    # The same pages in the states that show the most: results, filters, a second page,
    # errors, a missing page; and « Mon espace » of an élu and of the project team.
    pages.update(
        {
            "search results": "/recherche/?q=agriculture",
            "filtered agenda": "/agenda/?type=intersession&periode=passees&page=2",
            "filtered chantiers": "/chantiers/?etat=en_action",
            "page not found": "/cette-page-n-existe-pas/",
        }
    )
    signed_in = {"mon espace (élu)": make_account("elu"), "mon espace (équipe)": None}
    team_member = make_account("equipe")
    TeamMemberFactory(user=team_member).coordinated_chantiers.add(*Chantier.objects.all())
    signed_in["mon espace (équipe)"] = team_member
    failures = []
    for label, viewport in VIEWPORTS.items():
        context = browser.new_context(locale="fr-FR", viewport=viewport)
        page = context.new_page()
        visits = [(name, url, None) for name, url in pages.items()]
        visits += [(name, "/compte/", user) for name, user in signed_in.items()]
        for name, url, user in visits:
            if user:
                page.context.clear_cookies()
                sign_in(page, live_server, user)
            page.goto(live_server.url + url)
            overflow = page.evaluate(OVERFLOW)
            if overflow:
                failures.append(f"{label} {name} {url}: {overflow}")
        context.close()
    assert not failures, "\n".join(failures)
