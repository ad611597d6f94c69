"""Filters of the public lists. Unknown values are ignored, never an error page."""

from django import forms

from chantiers.models import ChantierStatus, MeetingKind

UPCOMING, PAST = "a-venir", "passees"


class ChantierFilterForm(forms.Form):
    etat = forms.ChoiceField(
        label="État",
        required=False,
        choices=[("", "Tous les états"), *ChantierStatus.choices],
    )

    def filters(self):
        """The valid filters only: a bad value is dropped, the others still apply."""
        self.is_valid()
        return {"status": self.cleaned_data.get("etat") or ""}


class AgendaFilterForm(forms.Form):
    type = forms.ChoiceField(
        label="Type de réunion",
        required=False,
        choices=[("", "Sessions et Intersessions"), *MeetingKind.choices],
    )
    chantier = forms.ChoiceField(label="Chantier", required=False)
    periode = forms.ChoiceField(label="Période", required=False)

    def __init__(self, *args, chantiers=(), years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.chantiers = {chantier.slug: chantier for chantier in chantiers}
        self.fields["chantier"].choices = [("", "Tous les chantiers")] + [
            (c.slug, f"{c.display_title} (démo)" if c.has_demo_name else c.display_title)
            for c in chantiers
        ]
        self.fields["periode"].choices = [
            ("", "Toutes les dates"),
            (UPCOMING, "À venir"),
            (PAST, "Passées"),
        ] + [(str(year), str(year)) for year in years]

    def filters(self):
        self.is_valid()
        data = self.cleaned_data
        period = data.get("periode") or ""
        return {
            "kind": data.get("type") or "",
            "chantier": self.chantiers.get(data.get("chantier") or ""),
            "period": period,
            "year": int(period) if period.isdigit() else None,
        }
