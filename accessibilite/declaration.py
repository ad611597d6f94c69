"""What the portal declares: the conformity of the latest published audit while it counts,
« non conforme » otherwise, and why. The footer of every page and the declaration at
/accessibilite/ read the same Statement."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.utils import timezone
from django.utils.formats import date_format

from accessibilite.conformity import Level, Status, valid_until
from accessibilite.models import AccessibilityPlan, Audit, PlanKind, Result
from diagnostic.models import Derogation, Document

# The admin warns this many days before the published audit stops counting.
WARN_DAYS_BEFORE_EXPIRY = 180


@dataclass(frozen=True)
class Statement:
    level: str
    audit: Audit | None = None
    rate: Fraction | None = None
    percent: Decimal | None = None
    # Why the site is declared « non conforme » without a rate, if it is.
    reason: str = ""
    valid_until: date | None = None

    @property
    def counts(self):
        """Whether the audit is the ground of the level (complete and still valid)."""
        return self.audit is not None and not self.reason


NO_AUDIT = (
    "Aucun audit de conformité n'a encore été réalisé\u00a0: tant qu'un audit ne l'a pas "
    "établi, le site ne peut pas se déclarer conforme, même partiellement."
)


def _day(day):
    return date_format(day, "j F Y")


def statement_of(audit, today):
    """The Statement an audit (from Audit.objects.current(), or None) gives on `today`."""
    if audit is None:
        return Statement(level=Level.NONE, reason=NO_AUDIT)
    until = audit.valid_until()
    conformity = audit.conformity()
    reason = ""
    superseded_on = getattr(audit, "version_superseded_on", None)
    if today > until:
        if superseded_on is not None and until < valid_until(audit.audited_on):
            reason = (
                f"Le dernier audit suit la version {audit.version.number} du RGAA, remplacée "
                f"le {_day(superseded_on)} par une version plus récente\u00a0: depuis le "
                f"{_day(until)}, il ne permet plus de déclarer le site conforme, même "
                "partiellement, tant qu'un nouvel audit n'a pas été réalisé."
            )
        else:
            reason = (
                f"Le dernier audit, réalisé le {_day(audit.audited_on)}, a plus de trois "
                "ans\u00a0: il ne permet plus de déclarer le site conforme, même "
                "partiellement, tant qu'un nouvel audit n'a pas été réalisé."
            )
    elif conformity.rate is None:
        reason = (
            "L'audit publié ne permet pas de calculer un taux de conformité "
            f"({conformity.not_tested} critère{'s' if conformity.not_tested > 1 else ''} "
            f"non testé{'s' if conformity.not_tested > 1 else ''})."
        )
    return Statement(
        level=Level.NONE if reason else conformity.level,
        audit=audit,
        rate=conformity.rate,
        percent=conformity.percent,
        reason=reason,
        valid_until=until,
    )


def current_statement(today=None):
    """One query: the latest published audit, its version and what replaced it."""
    return statement_of(Audit.objects.current(), today or timezone.localdate())


def expiry_warning(statement, today):
    """The admin's warning about the published audit, or "": it no longer counts, or will
    stop counting within WARN_DAYS_BEFORE_EXPIRY days."""
    if statement.audit is None or statement.valid_until is None:
        return ""
    days = (statement.valid_until - today).days
    if days < 0:
        return (
            f"L'audit publié ne compte plus depuis le {_day(statement.valid_until)}\u00a0: "
            "le site se déclare « non conforme ». Réalisez et publiez un nouvel audit."
        )
    if days <= WARN_DAYS_BEFORE_EXPIRY:
        return (
            f"L'audit publié ne comptera plus après le {_day(statement.valid_until)} "
            f"(dans {days} jour{'s' if days > 1 else ''})\u00a0: le site se déclarera alors "
            "« non conforme ». Prévoyez un nouvel audit d'ici là."
        )
    return ""


def failing_results(audit):
    """The non-conformities of the grid, criterion by criterion, page by page."""
    return (
        Result.objects.filter(page__audit=audit, status=Status.FAILING)
        .select_related("criterion__theme", "page")
        .order_by("criterion__theme__number", "criterion__number", "page__order", "page__pk")
    )


def documents_without_accessible_version():
    """The public documents left to do under criterion 13.3 (diagnostic says which)."""
    return Document.objects.without_accessible_version()


def derogated_documents():
    """The public documents under a derogation, in one query: (those for a
    disproportionate burden, those not subject to the obligation)."""
    headings = {value: [] for value in Derogation.values}
    for document in Document.objects.with_derogation():
        headings[document.derogation].append(document)
    return headings[Derogation.DISPROPORTIONATE_BURDEN], headings[Derogation.NOT_SUBJECT]


def plans_in_force(today):
    """(schéma pluriannuel, this year's plan) covering `today`, each or None."""
    plans = AccessibilityPlan.objects.covering(today)
    return (
        plans.filter(kind=PlanKind.SCHEMA).first(),
        plans.filter(kind=PlanKind.PLAN).first(),
    )
