"""What the site search finds in this app: documents and Bonheur Local Brut indicators."""

from django.db.models import F
from django.urls import reverse

from core.search import Kind, register
from diagnostic.models import Document, Indicator

register(
    Kind(
        "documents",
        "Documents",
        "document",
        "documents",
        # Reserved documents only for those who may see them (élus and staff).
        queryset=lambda user: Document.objects.visible_to(user).select_related("chantier"),
        url=lambda document: document.download_url,
        hit_template="diagnostic/includes/search_hit_document.html",
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
        hit_template="diagnostic/includes/search_hit_indicator.html",
        title=("name",),
        summary=("definition",),
        body=("method", "unit", "axis__name"),
        order=("axis__order", "order", "name"),
        position=50,
    )
)
