"""Writes of the accessibility app: the grid's results and the computed conformity kept with
the audit, its publication, the reports of visitors and their emails, and their purge."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accessibilite.conformity import CriterionCounts, Status, summarize
from accessibilite.models import AccessibilityReport, Audit, Criterion, Result, Theme
from core import outbox
from core.cache import bump_content_version
from core.mailtext import html_from_text
from core.seo import site_address


def criterion_counts(audit: Audit) -> dict:
    """{criterion: CriterionCounts} over the audit's sample, every criterion of its version
    included, in two queries. A page without a row for a criterion has not tested it."""
    pages = audit.pages.count()
    in_audit = Q(results__page__audit=audit)

    def counted(status):
        return Count("results", filter=in_audit & Q(results__status=status))

    criteria = Criterion.objects.of_version(audit.version_id).annotate(
        conforming=counted(Status.CONFORMING),
        failing=counted(Status.FAILING),
        not_applicable=counted(Status.NOT_APPLICABLE),
    )
    return {
        criterion: CriterionCounts(
            conforming=criterion.conforming,
            failing=criterion.failing,
            not_applicable=criterion.not_applicable,
            not_tested=pages - criterion.conforming - criterion.failing - criterion.not_applicable,
        )
        for criterion in criteria
    }


def refresh_conformity(audit: Audit) -> None:
    """Compute the audit's conformity from its grid and keep it on the audit (the footer
    of every page reads it). Called after every change of the grid or of the sample."""
    conformity = summarize(criterion_counts(audit).values())
    fields = {
        "conforming": conformity.conforming,
        "failing": conformity.failing,
        "not_applicable": conformity.not_applicable,
        "not_tested": conformity.not_tested,
    }
    Audit.objects.filter(pk=audit.pk).update(**fields)
    for name, value in fields.items():
        setattr(audit, name, value)
    if audit.is_published:
        # update() sends no signal; the declaration and every footer show the result.
        bump_content_version()


def save_result(
    *,
    page,
    criterion: Criterion,
    status: str,
    comment: str = "",
    failure: str = "",
    impact: str = "",
) -> Result:
    """Record one cell of the grid (page × criterion) and the audit's new conformity."""
    audit = page.audit
    if criterion.theme.version_id != audit.version_id:
        raise ValidationError("Ce critère n'appartient pas à la version du RGAA de l'audit.")
    with transaction.atomic():
        result, _ = Result.objects.update_or_create(
            page=page,
            criterion=criterion,
            defaults={"status": status, "comment": comment, "failure": failure, "impact": impact},
        )
        refresh_conformity(audit)
    return result


def set_theme_not_applicable(*, audit: Audit, theme: Theme) -> int:
    """Every criterion of `theme` left to test set « non applicable » on every page of the
    sample (a theme the site does not have: frames, multimedia...). Results already
    recorded stay as they are. Returns how many cells were set."""
    if theme.version_id != audit.version_id:
        raise ValidationError("Cette thématique n'appartient pas à la version du RGAA de l'audit.")
    with transaction.atomic():
        recorded = set(
            Result.objects.filter(page__audit=audit, criterion__theme=theme)
            .exclude(status=Status.NOT_TESTED)
            .values_list("page_id", "criterion_id")
        )
        cells = [
            Result(page=page, criterion=criterion, status=Status.NOT_APPLICABLE)
            for page in audit.pages.all()
            for criterion in theme.criteria.all()
            if (page.pk, criterion.pk) not in recorded
        ]
        Result.objects.bulk_create(
            cells,
            update_conflicts=True,
            unique_fields=["page", "criterion"],
            update_fields=["status", "updated_at"],
        )
        refresh_conformity(audit)
    return len(cells)


def publish(*, audit: Audit) -> None:
    """Put the audit on the declaration and in the footer: only once every criterion has
    a result (the rate is not given before)."""
    with transaction.atomic():
        refresh_conformity(audit)
        if not audit.conformity().complete:
            count = audit.not_tested
            raise ValidationError(
                f"Il reste {count} critère{'s' if count > 1 else ''} non "
                f"testé{'s' if count > 1 else ''} : un audit se publie une fois terminé."
            )
        audit.published_at = timezone.now()
        audit.save(update_fields=["published_at", "updated_at"])


def unpublish(*, audit: Audit) -> None:
    audit.published_at = None
    audit.save(update_fields=["published_at", "updated_at"])


# ---- Reports of visitors ----


def report_notification_email():
    """Who is told of each report (a setting; default: the contact)."""
    return settings.PORTAL.get("ACCESSIBILITY_REPORT_EMAIL") or settings.PORTAL["CONTACT_EMAIL"]


def submit_report(*, name: str, email: str, page: str, message: str) -> AccessibilityReport:
    """Store a report; queue the team's email about it and the acknowledgment to the
    person, in the same transaction (core.outbox)."""
    with transaction.atomic():
        report = AccessibilityReport.objects.create(
            name=name, email=email, page=page, message=message
        )
        outbox.queue(_team_notification(report), _acknowledgment(report))
        outbox.wake_worker()
    return report


def _team_notification(report):
    admin_url = site_address(
        reverse("admin:accessibilite_accessibilityreport_change", args=[report.pk])
    )
    text = render_to_string(
        "accessibilite/emails/report_notification.txt",
        {"report": report, "admin_url": admin_url},
    )
    subject = "Signalement d'un problème d'accessibilité"
    return outbox.Email(
        recipient=report_notification_email(),
        key=f"accessibility-report:{report.pk}",
        kind="signalement d'accessibilité",
        subject=subject,
        text=text,
        html=html_from_text(text, title=subject),
        # Answering the notification writes straight to the person.
        headers={"Reply-To": report.email},
    )


def _acknowledgment(report):
    """Quotes nothing the form received: the address typed may not be the sender's."""
    text = render_to_string(
        "accessibilite/emails/report_acknowledgment.txt",
        {
            "report": report,
            "portal": settings.PORTAL,
            "declaration_url": site_address(reverse("accessibilite:declaration")),
        },
    )
    subject = "Votre signalement d'un problème d'accessibilité"
    return outbox.Email(
        recipient=report.email,
        key=f"accessibility-report:{report.pk}:acknowledgment",
        kind="accusé de réception de signalement",
        subject=subject,
        text=text,
        html=html_from_text(text, title=subject),
        # Auto-Submitted (auto-generated) is the outbox's, as on every automatic email.
        headers={"Reply-To": settings.PORTAL["CONTACT_EMAIL"]},
    )


def mark_answered(queryset, *, now=None) -> int:
    return queryset.filter(answered_at__isnull=True).update(answered_at=now or timezone.now())


def purge_reports(*, cutoff, now=None, dry_run: bool = False) -> int:
    """Reports without activity (received, or answered) since `cutoff` lose what could
    name a person or quote them: name, address, page, message, notes. Their dates stay,
    for the team's follow-up of complaints. Returns how many."""
    old = AccessibilityReport.objects.not_anonymised().inactive_since(cutoff)
    if dry_run:
        return old.count()
    return old.update(
        name="", email="", page="", message="", team_notes="", anonymised_at=now or timezone.now()
    )
