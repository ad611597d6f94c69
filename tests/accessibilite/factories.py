"""Audits for tests: an audit with its sample, and results recorded in bulk."""

from datetime import date

import factory

from accessibilite import referentiel, services
from accessibilite.conformity import Status
from accessibilite.models import Audit, Criterion, Result, RgaaVersion, SamplePage


def rgaa_version():
    """RGAA 4.1.2 as the data migration loads it; loaded again after a test that emptied
    the database (transactional tests flush every table, migration data included)."""
    if not RgaaVersion.objects.filter(number="4.1.2").exists():
        referentiel.load_all()
    return RgaaVersion.objects.get(number="4.1.2")


class AuditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audit

    audited_on = date(2026, 3, 2)
    auditor = "Équipe du projet de territoire"
    scope = "https://projet.petr-fqvd.fr"
    tools = "Analyseur de code du navigateur\nColour Contrast Analyser"


class SamplePageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SamplePage

    name = factory.Sequence(lambda n: f"Page {n}")
    url = factory.Sequence(lambda n: f"/page-{n}/")
    order = factory.Sequence(lambda n: n)


def audit_with_pages(version, pages=1, **fields):
    audit = AuditFactory(version=version, **fields)
    for index in range(pages):
        SamplePageFactory(audit=audit, name=f"Page {index + 1}", order=index)
    return audit


def record(audit, statuses):
    """Results in bulk: statuses maps a criterion code (« 1.1 ») to its status on each
    page, in the sample's order; `"*"` gives the status of every criterion not named.
    Then the audit's conformity, as the services keep it."""
    pages = list(audit.pages.all())
    default = statuses.get("*")
    rows = []
    for criterion in Criterion.objects.of_version(audit.version):
        given = statuses.get(criterion.code, default)
        if given is None:
            continue
        per_page = [given] * len(pages) if isinstance(given, str) else given
        for page, status in zip(pages, per_page, strict=True):
            if status != Status.NOT_TESTED:
                rows.append(Result(page=page, criterion=criterion, status=status))
    Result.objects.bulk_create(rows)
    services.refresh_conformity(audit)
    return audit


def published_audit(pages=2):
    """A complete audit, published: one criterion fails on the last page."""
    audit = audit_with_pages(rgaa_version(), pages=pages)
    record(
        audit, {"*": Status.CONFORMING, "1.1": [Status.CONFORMING] * (pages - 1) + [Status.FAILING]}
    )
    services.publish(audit=audit)
    return audit
