"""Pieces every admin page of the démarche shares: Markdown help, the French history."""

from django.contrib.admin.widgets import AdminTextareaWidget
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

MARKDOWN_HELP = mark_safe(
    '<details class="markdown-help"><summary>Aide à la mise en forme (Markdown)</summary>'
    "<ul>"
    "<li><code>**important**</code> → <strong>important</strong></li>"
    "<li><code>*nuance*</code> → <em>nuance</em></li>"
    "<li>Une ligne commençant par <code>- </code> → un élément de liste ; "
    "<code>1. </code> → une liste numérotée</li>"
    "<li><code>## Titre</code> → un intertitre</li>"
    "<li><code>[texte du lien](https://exemple.fr)</code> → un lien</li>"
    "<li>Une ligne vide sépare deux paragraphes.</li>"
    "</ul></details>"
)


class MarkdownTextarea(AdminTextareaWidget):
    """A text area with a short Markdown reminder beside it."""

    class Media:
        css = {"all": ["css/admin-portal.css"]}

    def render(self, name, value, attrs=None, renderer=None):
        return format_html(
            '<div class="markdown-field">{}{}</div>',
            super().render(name, value, attrs, renderer),
            MARKDOWN_HELP,
        )


MARKDOWN_FIELDS = {"description", "agenda", "minutes", "text"}


class PortalAdminMixin:
    """French help beside the Markdown fields."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in MARKDOWN_FIELDS:
            kwargs["widget"] = MarkdownTextarea
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class FrenchHistoryHelper(HistoricalRecordContextHelper):
    """Changes shown as people read them: choice labels, local dates, « (vide) »."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if value in (None, ""):
            return "(vide)"
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, bool):
            return "oui" if value else "non"
        if hasattr(value, "tzinfo") and hasattr(value, "hour"):
            return date_format(timezone.localtime(value), "j F Y, H\\hi")
        return value


class HistoryAdmin(SimpleHistoryAdmin):
    def get_historical_record_context_helper(self, request, historical_record):
        return FrenchHistoryHelper(self.model, historical_record)
