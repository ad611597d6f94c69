from django import forms

from chantiers.models import Chantier
from diagnostic.models import DocumentKind


class DocumentFilterForm(forms.Form):
    """The filters of /documents/: a plain GET form, also sent by htmx."""

    type = forms.ChoiceField(
        label="Type de document",
        required=False,
        choices=[("", "Tous les types"), *DocumentKind.choices],
        error_messages={"invalid_choice": "Ce type de document n'existe pas : filtre ignoré."},
    )
    chantier = forms.ModelChoiceField(
        label="Chantier",
        required=False,
        # Only what an option shows: 200 chantiers read in full cost 10 ms at scale 1.
        queryset=Chantier.objects.in_order().as_links(),
        to_field_name="slug",
        empty_label="Tous les chantiers",
        error_messages={"invalid_choice": "Ce chantier n'existe pas : filtre ignoré."},
    )

    def filter(self, queryset):
        """Apply the valid filters; an invalid one is ignored (and its message shown)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("type"):
            queryset = queryset.of_kind(data["type"])
        if data.get("chantier"):
            queryset = queryset.for_chantier(data["chantier"])
        return queryset
