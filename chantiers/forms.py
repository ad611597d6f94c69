"""Forms of the public pages: the filters of the lists (unknown values are ignored, never an
error page) and the participation forms (« Nous rejoindre », « Je participe »)."""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.safestring import mark_safe

from chantiers.models import (
    FOLLOW_KINDS,
    ActionStatus,
    Chantier,
    ChantierStatus,
    MeetingKind,
    Participation,
    Rhythm,
)
from core.addresses import MailboxField, one_line
from core.encoding import ReadableTextMixin

UPCOMING, PAST = "a-venir", "passees"
# The filter of /avancement/ on actions late: not a status, worked out from the dates.
LATE = "en_retard"
MESSAGE_MAX_LENGTH = 2000


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


class ActionFilterForm(forms.Form):
    statut = forms.ChoiceField(
        label="Statut des actions",
        required=False,
        choices=[("", "Tous les statuts"), *ActionStatus.choices, (LATE, "En retard")],
    )

    def filters(self):
        """The valid filter only: a bad value is dropped."""
        self.is_valid()
        return {"status": self.cleaned_data.get("statut") or ""}


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


# ---- Participation: « Nous rejoindre » and « Je participe » ----


class _ListedChoices(ModelChoiceIterator):
    """The choices from a plain query: Django's iterator() opens a server-side cursor on
    PostgreSQL (declare, fetch, close): the chantiers' checkboxes cost twice as much."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ChantierChoiceField(forms.ModelMultipleChoiceField):
    iterator = _ListedChoices

    def label_from_instance(self, chantier):
        return (
            f"{chantier.display_title} (démo)" if chantier.has_demo_name else chantier.display_title
        )


class ParticipationForm(ReadableTextMixin, forms.Form):
    """What the public forms share: name, email, consent, focus on the first error, and
    no illegible text (invalid UTF-8) stored or mailed."""

    # Shorter names than the labels, for the summary of errors above the form.
    summary_labels = {
        "consent": "Consentement",
        "chantiers": "Chantiers",
        "participation": "Façon de participer",
        "message": "Message",
    }

    name = forms.CharField(
        label="Nom et prénom",
        max_length=150,
        validators=[one_line],
        error_messages={
            "required": "Indiquez votre nom et votre prénom.",
            "max_length": "Votre nom ne doit pas dépasser %(limit_value)d caractères.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = MailboxField(
        label="Adresse électronique",
        max_length=254,
        help_text="Par exemple : prenom.nom@exemple.fr",
        error_messages={
            "required": "Indiquez votre adresse électronique.",
            "invalid": (
                "Indiquez une adresse électronique valide, par exemple prenom.nom@exemple.fr."
            ),
            "max_length": "L'adresse ne doit pas dépasser %(limit_value)d caractères.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    consent = forms.BooleanField(
        label="",  # set by each form: what the consent is for
        required=True,
        help_text=mark_safe(
            "Ce que nous gardons, pourquoi et combien de temps&nbsp;: "
            '<a href="/confidentialite/">vos données personnelles</a>.'
        ),
        error_messages={
            "required": "Cochez cette case pour que nous puissions enregistrer votre demande."
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def full_clean(self):
        super().full_clean()
        # After an htmx swap, portal.js focuses the [data-swap-focus] element of the region:
        # the first field in error. Widget attrs belong to this form instance only.
        for name in self.fields:
            if name in self.errors:
                self.fields[name].widget.attrs["data-swap-focus"] = ""
                break
        # Django links a group's error to its fieldset only; each radio or checkbox of the
        # group names it too, so that it is read on the choice that has focus.
        for name in self.errors:
            if name in self.fields and self[name].use_fieldset:
                self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}_error"

    def error_items(self):
        """(field id to link to, label, message) of each error, in the form's order."""
        items = [("", "", message) for message in self.non_field_errors()]
        for field in self:
            for message in field.errors:
                target = field.auto_id
                if field.use_fieldset:
                    target = f"{field.auto_id}_0"
                items.append((target, self.summary_labels.get(field.name, field.label), message))
        return items


class JoinRequestForm(ParticipationForm):
    id_prefix = "rejoindre"
    field_order = ["name", "email", "commune", "chantiers", "participation", "message", "consent"]

    commune = forms.CharField(
        label="Commune",
        max_length=120,
        validators=[one_line],
        help_text="Là où vous habitez ou travaillez.",
        error_messages={
            "required": "Indiquez votre commune.",
            "max_length": "Le nom de la commune ne doit pas dépasser %(limit_value)d caractères.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    chantiers = ChantierChoiceField(
        label="Les chantiers qui vous intéressent",
        queryset=Chantier.objects.none(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucun si vous ne savez pas encore : l'équipe vous orientera.",
        error_messages={
            "invalid_choice": "Ce chantier n'existe pas ou plus : décochez-le.",
            "invalid_pk_value": "Ce chantier n'existe pas ou plus : décochez-le.",
        },
    )
    participation = forms.ChoiceField(
        label="Comment aimeriez-vous participer ?",
        choices=Participation.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez une façon de participer.",
            "invalid_choice": "Choisissez une des façons de participer proposées.",
        },
    )
    message = forms.CharField(
        label="Message (facultatif)",
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        help_text="Vos idées, vos disponibilités, vos questions… (2\u00a0000 caractères au plus)",
        error_messages={
            "max_length": (
                "Votre message dépasse %(limit_value)d caractères "
                "(il en compte %(show_value)d) : raccourcissez-le."
            ),
        },
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chantiers"].queryset = Chantier.objects.in_order().as_links()
        self.fields["consent"].label = (
            "J'accepte que le PETR conserve ces informations pour me recontacter "
            "au sujet du projet de territoire."
        )


class RegistrationForm(ParticipationForm):
    id_prefix = "inscription"

    def __init__(self, *args, meeting=None, **kwargs):
        if meeting is not None:
            # Two registration forms never share a page, but a meeting's slug keeps ids apart.
            self.id_prefix = f"inscription-{meeting.pk}"
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = "Pour la confirmation et le lien d'annulation."
        self.fields["consent"].label = (
            "J'accepte que le PETR conserve mon nom et mon adresse pour organiser la réunion "
            "et me prévenir d'un changement."
        )
        self.fields["consent"].error_messages["required"] = (
            "Cochez cette case pour que nous puissions enregistrer votre inscription."
        )


# ---- Following chantiers by email ----


class FollowChoicesForm(ParticipationForm):
    """What to follow: chantiers (or all), what news, how often. The « gérer » page."""

    id_prefix = "suivre"
    summary_labels = {"chantiers": "Chantiers", "kinds": "Nouvelles", "rhythm": "Rythme"}
    name = None
    email = None
    consent = None

    all_chantiers = forms.BooleanField(
        label="Tous les chantiers, y compris ceux qui s'ouvriront",
        required=False,
    )
    chantiers = ChantierChoiceField(
        label="Ou seulement ces chantiers",
        queryset=Chantier.objects.none(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Ce chantier n'existe pas ou plus : décochez-le.",
            "invalid_pk_value": "Ce chantier n'existe pas ou plus : décochez-le.",
        },
    )
    kinds = forms.MultipleChoiceField(
        label="Ce que vous voulez recevoir",
        choices=[(kind, label) for kind, (_, label) in FOLLOW_KINDS.items()],
        initial=list(FOLLOW_KINDS),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Cochez au moins une sorte de nouvelles.",
            "invalid_choice": "Choisissez parmi les nouvelles proposées.",
        },
    )
    rhythm = forms.ChoiceField(
        label="À quel rythme ?",
        choices=Rhythm.choices,
        initial=Rhythm.WEEKLY,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez un rythme.",
            "invalid_choice": "Choisissez un des rythmes proposés.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chantiers"].queryset = Chantier.objects.in_order()

    def clean(self):
        data = super().clean()
        if (
            not data.get("all_chantiers")
            and not data.get("chantiers")
            and "chantiers" not in self.errors
        ):
            self.add_error("chantiers", "Cochez au moins un chantier, ou « Tous les chantiers ».")
        return data

    @classmethod
    def initial_for(cls, subscription):
        return {
            "all_chantiers": subscription.all_chantiers,
            "chantiers": [chantier.slug for chantier in subscription.chantiers.all()],
            "kinds": subscription.kinds(),
            "rhythm": subscription.rhythm,
        }


class FollowForm(FollowChoicesForm):
    """/suivre/: the address, then the choices."""

    field_order = ["email", "all_chantiers", "chantiers", "kinds", "rhythm"]
    email = ParticipationForm.base_fields["email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "email"
        ].help_text = (
            "Nous vous écrirons pour confirmer : rien d'autre tant que vous n'avez pas confirmé."
        )
