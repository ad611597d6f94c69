from django import forms

from accessibilite.models import AccessibilityReport, Impact, Result
from core.encoding import ReadableTextMixin

MESSAGE_MAX_LENGTH = 2000


class ResultForm(forms.ModelForm):
    """One cell of the grid: a criterion on a page. The prefix names the criterion, so that
    the forms of a screen never share an id."""

    class Meta:
        model = Result
        fields = ["status", "comment", "failure", "impact"]
        widgets = {
            "status": forms.RadioSelect,
            "comment": forms.Textarea(attrs={"rows": 2}),
            "failure": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, criterion, **kwargs):
        kwargs.setdefault("prefix", f"c{criterion.pk}")
        super().__init__(*args, **kwargs)
        self.criterion = criterion
        self.fields["impact"].choices = [("", "Non précisé"), *Impact.choices]


class ThemeNotApplicableForm(forms.Form):
    theme = forms.IntegerField(widget=forms.HiddenInput)


class ReportForm(ReadableTextMixin, forms.ModelForm):
    """« Signaler un problème d'accessibilité »."""

    message = forms.CharField(
        label="Problème rencontré",
        max_length=MESSAGE_MAX_LENGTH,
        help_text="Ce que vous n'avez pas pu faire ou lire et, si vous le souhaitez, comment "
        "vous naviguez (lecteur d'écran, clavier, zoom…). 2\u00a0000 caractères au plus.",
        error_messages={
            "required": "Décrivez le problème rencontré.",
            "max_length": "Votre message dépasse %(limit_value)d caractères (il en compte "
            "%(show_value)d) : raccourcissez-le.",
        },
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    class Meta:
        model = AccessibilityReport
        fields = ["name", "email", "page", "message"]
        labels = {"name": "Nom", "page": "Page ou contenu concerné"}
        help_texts = {
            "email": "Pour vous répondre. Par exemple : prenom.nom@exemple.fr",
            "page": "Son adresse, son titre, ou le document concerné.",
        }
        error_messages = {
            "email": {
                "required": "Indiquez votre adresse électronique, pour que nous puissions "
                "vous répondre.",
                "invalid": "Indiquez une adresse électronique valide, par exemple "
                "prenom.nom@exemple.fr.",
            },
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "signaler-%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
