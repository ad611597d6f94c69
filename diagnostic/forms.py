from datetime import date, datetime

from django import forms
from django.utils.formats import get_format

from chantiers.models import Chantier
from diagnostic.models import DocumentKind
from diagnostic.report.period import Period


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


# A report covers at most this many days (ten years): the démarche began in 2018.
LONGEST_REPORT_DAYS = 3653
EARLIEST_REPORT_DAY = date(2000, 1, 1)


class DayInput(forms.DateInput):
    """<input type="date">, whose value HTML wants as an ISO date: a date typed in French
    is shown so; what is not a date at all is left out (the error says what was wrong)."""

    input_type = "date"

    def format_value(self, value):
        if isinstance(value, str):
            for pattern in get_format("DATE_INPUT_FORMATS"):
                try:
                    return datetime.strptime(value.strip(), pattern).date().isoformat()
                except ValueError:
                    continue
            return None
        return value.isoformat() if value else None


class ReportPeriodForm(forms.Form):
    """The period of the rapport d'avancement: two dates, both included."""

    du = forms.DateField(
        label="Du",
        widget=DayInput,
        error_messages={
            "required": "Indiquez le premier jour de la période.",
            "invalid": "Le premier jour n'est pas une date (attendu : 2025-01-31 ou 31/01/2025).",
        },
    )
    au = forms.DateField(
        label="Au (inclus)",
        widget=DayInput,
        error_messages={
            "required": "Indiquez le dernier jour de la période.",
            "invalid": "Le dernier jour n'est pas une date (attendu : 2025-12-31 ou 31/12/2025).",
        },
    )

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("du"), cleaned.get("au")
        if first is None or last is None:
            return cleaned
        if last < first:
            raise forms.ValidationError("Le dernier jour précède le premier : inversez-les.")
        if first < EARLIEST_REPORT_DAY or last.year > 2100:
            raise forms.ValidationError("La période doit se situer entre l'an 2000 et 2100.")
        if (last - first).days + 1 > LONGEST_REPORT_DAYS:
            raise forms.ValidationError("Une période de dix ans au plus, s'il vous plaît.")
        return cleaned

    def period(self):
        """The Period asked for (once the form is valid)."""
        return Period(self.cleaned_data["du"], self.cleaned_data["au"])
