"""Every page, htmx fragment and stylesheet the site serves passes the W3C Nu HTML checker.

The pages are rendered with the territory and demonstration content, as a visitor, a
team member and an elected official see them, with their error states; each htmx
fragment is checked inside a minimal document. The checker (vnu.jar, Java) starts once
for all the files: it is slow to start.
"""

import re
import sys
from pathlib import Path
from unittest import mock
from urllib.parse import unquote, urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client, RequestFactory
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.abuse import HONEYPOT_FIELD
from diagnostic.models import ReportPdf, ReportPdfState
from diagnostic.report.period import calendar_year
from petr_portal.views import bad_request, server_error
from tests.checkers import ROOT, vnu_messages
from tests.factories import UserFactory
from tests.petr_portal.site_pages import follow_pages, load_site, site_urls

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
FRAGMENT_DOCUMENT = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">{title}</head>'
    "<body>{body}</body></html>"
)
# A fragment may start with the page's new <title>: htmx takes it out and sets the
# document's title with it, so it is checked where it ends up, in <head>.
LEADING_TITLE = re.compile(r"^\s*(<title>.*?</title>)", re.DOTALL)
STYLESHEETS = sorted((ROOT / "static" / "css").glob("*.css"))


class Pages:
    """Writes each response to a file named after what was asked, for the checker."""

    def __init__(self, folder):
        self.folder = folder
        self.files = {}

    def add(self, label, response, *, fragment=None, status=200):
        """fragment: the element htmx swaps the response into ("body", "ul")."""
        assert response.status_code == status, (label, response.status_code)
        assert response["Content-Type"].startswith("text/html"), label
        html = response.content.decode()
        if fragment:
            assert "<html" not in html, f"{label}: a whole page, not a fragment"
            title = LEADING_TITLE.match(html)
            if title:
                html = html[title.end() :]
            if fragment != "body":
                html = f"<{fragment}>{html}</{fragment}>"
            html = FRAGMENT_DOCUMENT.format(
                title=title.group(1) if title else "<title>f</title>", body=html
            )
        else:
            assert html.lstrip().lower().startswith("<!doctype html>"), label
        path = self.folder / f"{len(self.files):03d}.html"
        path.write_text(html, encoding="utf-8")
        self.files[path] = label

    def add_html_pages(self, client, urls, who):
        for name, url in urls.items():
            response = client.get(url)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                self.add(f"{who} GET {url} ({name})", response)


def person(user):
    client = Client()
    client.force_login(user)
    return client


def participation(**fields):
    """A filled-in « Nous rejoindre » / « Je participe » form, honeypot empty."""
    return {"name": "Lou Delmas", "email": "lou@example.org", "consent": "on", **fields}


def render_site(folder):
    content = load_site()
    urls = site_urls(content)
    pages = Pages(folder)
    visitor = Client()
    chantier, meeting = content["chantier"], content["intersession"]
    meeting_url = meeting.get_absolute_url()
    register_url = f"{meeting_url}inscription/"

    # Every public page as a visitor, then as the team and an elected official (who
    # see reserved documents, « Mon espace », the password pages).
    pages.add_html_pages(visitor, urls, "visiteur")
    for who in ("team", "elected"):
        client = person(content[who])
        pages.add_html_pages(client, urls, who)
        pages.add(f"{who} mot de passe", client.get("/compte/mot-de-passe/"))
        pages.add(
            f"{who} mot de passe, erreurs",
            client.post("/compte/mot-de-passe/", {"old_password": "faux"}),
        )
    pages.add(
        "document réservé, compte sans rôle",
        person(UserFactory()).get(f"/documents/{content['reserved'].slug}/telecharger/"),
        status=403,
    )
    pages.add(
        "document sans fichier",
        visitor.get(f"/documents/{content['unavailable'].slug}/telecharger/"),
        status=404,
    )

    # Filtered and paginated lists, search.
    for url in (
        "/chantiers/?etat=en_action",
        f"/agenda/?type=intersession&chantier={chantier.slug}",
        "/agenda/?periode=passees&page=2",
        "/documents/?type=rapport",
        f"/chantiers/{chantier.slug}/?passees=2",
        "/recherche/?q=chantier",
        "/recherche/?q=zzzzzz",
        "/recherche/?q=a",
        "/recherche/?q=point&type=points-etape",
        "/recherche/?q=action&type=actions",
        "/avancement/?statut=en_retard",
        "/avancement/?statut=abandonnee",
        "/avancement/?page=2",
    ):
        pages.add(f"visiteur GET {url}", visitor.get(url))

    add_report_pages(pages, visitor)

    # htmx fragments.
    for url, headers, container in (
        ("/chantiers/?etat=en_action", HTMX, "body"),
        ("/agenda/?periode=passees&page=2", HTMX, "body"),
        ("/documents/?type=rapport", HTMX, "body"),
        ("/avancement/?statut=en_cours", HTMX, "body"),
        ("/avancement/?statut=zzz", HTMX, "body"),
        # « Voir plus »: items appended to the list of past meetings.
        (f"/chantiers/{chantier.slug}/?passees=2", HTMX, "ul"),
        (meeting_url, HTMX, "body"),
        ("/recherche/?q=chantier", HTMX, "body"),
        ("/recherche/?q=chantier", {**HTMX, "HX-Target": "contenu"}, "body"),
    ):
        response = visitor.get(url, headers=headers)
        pages.add(f"fragment GET {url} {headers}", response, fragment=container)
    posts = {
        "rejoindre vide": ("/nous-rejoindre/", {}),
        "rejoindre, robot": ("/nous-rejoindre/", participation(**{HONEYPOT_FIELD: "x"})),
        "inscription invalide": (register_url, participation(email="pas-une-adresse")),
        "inscription, robot": (register_url, participation(**{HONEYPOT_FIELD: "x"})),
    }
    for label, (url, data) in posts.items():
        status = 400 if HONEYPOT_FIELD in data else 200
        pages.add(f"POST {label}", visitor.post(url, data), status=status)
        pages.add(
            f"fragment POST {label}",
            visitor.post(url, data, headers=HTMX),
            fragment="body",
            status=status,
        )
    pages.add(
        "fragment POST rejoindre, envoyé",
        visitor.post(
            "/nous-rejoindre/",
            participation(chantiers=[chantier.slug], participation="habitant"),
            headers=HTMX,
        ),
        fragment="body",
    )
    pages.add(
        "fragment POST inscription, faite",
        visitor.post(register_url, participation(), headers=HTMX),
        fragment="body",
    )
    registration = meeting.registrations.get()
    pages.add(
        "désinscription",
        visitor.get(f"{meeting_url}desinscription/{registration.cancel_token}/"),
    )

    # Following by email: the form's errors, the robot, and the signed pages of the emails.
    pages.add("POST suivre vide", visitor.post("/suivre/", {}))
    pages.add(
        "POST suivre, robot",
        visitor.post("/suivre/", {"email": "lou@example.org", HONEYPOT_FIELD: "x"}),
        status=400,
    )
    pages.add("suivre, un chantier choisi", visitor.get(f"/suivre/?chantier={chantier.slug}"))
    for label, url in follow_pages():
        pages.add(label, visitor.get(url), status=404 if "introuvable" in label else 200)

    # The demo's full meeting: its waiting list, joined with htmx and without JavaScript,
    # the thanks page and the page to leave the list; and its cancelled and postponed ones.
    full = content["full"]
    full_register = f"{full.get_absolute_url()}inscription/"
    pages.add(
        "fragment POST liste d'attente",
        visitor.post(full_register, participation(email="attente@example.org"), headers=HTMX),
        fragment="body",
    )
    pages.add("inscription, merci", visitor.get(f"{full_register}merci/"))
    waiting = full.registrations.waiting().last()
    pages.add(
        "quitter la liste d'attente",
        visitor.get(f"{full.get_absolute_url()}desinscription/{waiting.cancel_token}/"),
    )
    for state in ("cancelled", "postponed"):
        pages.add(f"réunion {state}", visitor.get(content[state].get_absolute_url()))

    # Signing in, passwords, errors.
    pages.add(
        "connexion, erreur",
        visitor.post("/compte/connexion/", {"username": "x@example.org", "password": "faux"}),
    )
    user = content["elected"]
    reset = f"/compte/mot-de-passe-oublie/{urlsafe_base64_encode(force_bytes(user.pk))}/"
    pages.add(
        "nouveau mot de passe",
        visitor.get(f"{reset}{default_token_generator.make_token(user)}/", follow=True),
    )
    pages.add("404", visitor.get("/page-qui-n-existe-pas/"), status=404)
    pages.add(
        "403 CSRF",
        Client(enforce_csrf_checks=True).post("/nous-rejoindre/", {}),
        status=403,
    )
    request = RequestFactory().get("/")
    pages.add("400", bad_request(request, None), status=400)
    pages.add("500", server_error(request), status=500)
    return pages


def add_report_pages(pages, visitor):
    """The rapport d'avancement: a past year, a period to correct, and what rapport.pdf
    answers until the file (being prepared, ready, failed, unavailable, to correct)."""
    year = calendar_year(timezone.localdate().year - 1)
    pages.add("rapport de l'année passée", visitor.get(f"/avancement/rapport/?{year.query}"))
    pages.add("rapport, période à corriger", visitor.get("/avancement/rapport/?du=2025-03-31&au=x"))
    pdf = f"/avancement/rapport.pdf?{year.query}"
    pages.add("PDF en préparation", visitor.get(pdf), status=202)
    pages.add(
        "fragment PDF en préparation", visitor.get(pdf, headers=HTMX), fragment="div", status=202
    )
    rows = ReportPdf.objects.filter(starts_on=year.starts_on, ends_on=year.ends_on)
    rows.update(state=ReportPdfState.FAILED, claimed_at=timezone.now())
    pages.add("PDF en échec", visitor.get(pdf), status=202)
    rows.update(state=ReportPdfState.READY, file="rapports/essai.pdf", file_size=48_000)
    pages.add("fragment PDF prêt", visitor.get(pdf, headers=HTMX), fragment="div")
    pages.add("PDF, période à corriger", visitor.get(f"{pdf}&au=x"), status=400)
    with mock.patch.dict(sys.modules, {"weasyprint": None}):
        pages.add("rapport sans WeasyPrint", visitor.get(f"/avancement/rapport/?{year.query}"))
        pages.add("PDF sans WeasyPrint", visitor.get(pdf), status=503)


def checked_file(url):
    """The file a message of the checker is about (it names it as a file: URL)."""
    return Path(unquote(urlsplit(url).path))


def test_every_page_fragment_and_stylesheet_passes_the_nu_checker(tmp_path):
    pages = render_site(tmp_path)
    assert len(pages.files) > 80
    assert STYLESHEETS
    errors = vnu_messages([*pages.files, *STYLESHEETS], also_css=True)
    labels = {**pages.files, **{path: path.name for path in STYLESHEETS}}
    report = "\n".join(
        f"{labels.get(checked_file(m['url']), m['url'])}, ligne {m.get('lastLine')} : "
        f"{m['message']}\n    {m.get('extract', '').strip()}"
        for m in errors
    )
    assert not errors, f"{len(errors)} erreurs du validateur Nu :\n{report}"
