"""The whole public site with realistic content, for the tests that walk every page.

`load_site()` loads what a visitor of the real site sees (load_territoire, then load_demo)
and returns the objects `tests/security/routes.public_urls` needs, picked from it, plus
the accounts of a team member and an elected official. `site_urls(content)` is every
public route with a sample object, plus every page the sitemap lists.
"""

import io
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chantiers import following
from chantiers.models import (
    Action,
    Chantier,
    Meeting,
    MeetingStatus,
    RegistrationState,
    Subscription,
)
from diagnostic.models import Document, Visibility
from diagnostic.services import save_document
from tests.accounts.helpers import make_account
from tests.diagnostic.factories import odt_bytes
from tests.security.routes import public_urls

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def load_site():
    """Territory and demonstration content; the sample objects of every kind of page."""
    call_command("load_territoire", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    now = timezone.now()
    meetings = Meeting.objects.order_by("starts_at")
    intersession = next(
        m
        for m in meetings.filter(starts_at__gt=now)
        if m.registration_state() == RegistrationState.OPEN
    )
    documents = Document.objects.order_by("title")
    upcoming = meetings.filter(starts_at__gt=now)
    document = documents.filter(visibility=Visibility.PUBLIC).exclude(file="").first()
    # An accessible version, so that the lists show its link and its download answers.
    document.accessible_file = ContentFile(odt_bytes(), name="version-accessible.odt")
    save_document(document=document)
    chantier = Chantier.objects.filter(memberships__isnull=False).order_by("pk").first()
    return {
        "chantier": chantier,
        # A demo action with its journal (load_demo gives every chantier some).
        "action": Action.objects.filter(chantier=chantier).order_by("pk").first(),
        # The demo's meetings in the states residents meet (chantiers.demo).
        "full": next(m for m in upcoming if m.registration_state() == RegistrationState.FULL),
        "cancelled": upcoming.filter(status=MeetingStatus.CANCELLED).first(),
        "postponed": meetings.filter(status=MeetingStatus.POSTPONED).first(),
        "intersession": intersession,
        "past": meetings.filter(starts_at__lt=now).last(),
        "session": meetings.filter(kind="session").last(),
        "document": document,
        "unavailable": documents.filter(file="").first(),
        "reserved": documents.filter(visibility=Visibility.RESERVED).exclude(file="").first(),
        "team": make_account("equipe", email="equipe@example.org"),
        "elected": make_account("elu", email="elue@example.org"),
    }


def sitemap_paths():
    """The path of every page /sitemap.xml lists."""
    response = Client().get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return [urlsplit(loc.text).path for loc in root.iter(f"{SITEMAP}loc")]


def site_urls(content):
    """{name: path} of every public route (one sample object each) and sitemap page."""
    urls = dict(public_urls(content))
    for path in sitemap_paths():
        if path not in urls.values():
            urls[path] = path
    return urls


def follow_pages():
    """(label, url) of the pages a follower reaches from the emails, with real tokens."""
    subscription = Subscription.objects.create(email="suiveur@example.org", rhythm="hebdo")
    confirm = reverse("chantiers:follow_confirm", args=[following.confirm_token(subscription)])
    pages = [
        ("confirmer l'abonnement", confirm),
        ("gérer, pas encore confirmé", following.manage_url(subscription)),
        ("se désabonner", following.unsubscribe_url(subscription)),
    ]
    following.confirm(subscription)
    pages += [
        ("abonnement confirmé", confirm),
        ("gérer l'abonnement", following.manage_url(subscription)),
        ("gérer, enregistré", following.manage_url(subscription) + "?enregistre=1"),
        ("abonnement introuvable", "/suivre/gerer/jeton-inconnu/"),
        ("lien de confirmation introuvable", "/suivre/confirmer/jeton-inconnu/"),
    ]
    return pages
