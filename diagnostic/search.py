"""What the site search finds in this app: documents and Bonheur Local Brut indicators."""

from django.db.models import F
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from chantiers.templatetags.demarche import demo_badge
from core.search import Kind, register
from diagnostic.models import Document, Indicator

# The line under each hit's title (Kind.hit_line): badges, then date and file, or unit.
RESERVED_BADGE = mark_safe('<span class="badge badge--reserved">Réservé aux élus</span>')


def _document_line(document):
    if document.published_on:
        published = format_html(
            'Publié le <time datetime="{}">{}</time>',
            document.published_on.isoformat(),
            date_filter(document.published_on, "j F Y"),
        )
    else:
        published = "Date de publication à préciser"
    return format_html(
        '<span class="badge badge--kind">{}</span>\n{}\n{}\n<span class="meta">{} · {}</span>\n',
        document.get_kind_display(),
        RESERVED_BADGE if document.is_reserved else "",
        demo_badge() if document.is_demo else "",
        published,
        document.human_format if document.has_file else "fichier pas encore disponible",
    )


def _indicator_line(indicator):
    unit = format_html('<span class="meta">En {}</span>', indicator.unit) if indicator.unit else ""
    return format_html(
        '<span class="badge badge--muted">Axe {}</span>\n{}\n{}\n',
        indicator.axis.name.lower(),
        demo_badge() if indicator.is_demo else "",
        unit,
    )


register(
    Kind(
        "documents",
        "Documents",
        "document",
        "documents",
        # Reserved documents only for those who may see them (élus and staff).
        queryset=lambda user: Document.objects.visible_to(user).select_related("chantier"),
        url=lambda document: document.download_url,
        hit_line=_document_line,
        title=("title",),
        summary=("summary",),
        order=(F("published_on").desc(nulls_last=True), "title", "pk"),
        position=30,
        stored_vector=True,
    )
)

register(
    Kind(
        "indicateurs",
        "Indicateurs",
        "indicateur",
        "indicateurs",
        queryset=lambda user: Indicator.objects.select_related("axis"),
        url=lambda indicator: reverse("diagnostic:indicators") + f"#indicateur-{indicator.slug}",
        hit_line=_indicator_line,
        title=("name",),
        summary=("definition",),
        body=("method", "unit", "axis__name"),
        order=("axis__order", "order", "name"),
        position=50,
    )
)
