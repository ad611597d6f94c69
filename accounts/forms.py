"""Sign-in and password forms, in French, with the autocomplete hints browsers need."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model, password_validation

from core.encoding import ReadableTextMixin

User = get_user_model()


class SignInForm(ReadableTextMixin, auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label="Adresse électronique",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": (
            "Adresse électronique ou mot de passe incorrect. "
            "Vérifiez votre saisie, ou choisissez un nouveau mot de passe avec "
            "« Mot de passe oublié »."
        ),
        "inactive": "Ce compte est désactivé : contactez l'équipe du projet de territoire.",
    }


class PasswordResetForm(ReadableTextMixin, auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label="Adresse électronique",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autocapitalize": "none"}),
    )

    def get_users(self, email):
        # An account made by `create_account` has no password until its owner picks
        # one: if the first link has expired, « Mot de passe oublié » must still work.
        # Accounts are switched off with is_active, never with an unusable password.
        return User._default_manager.filter(email__iexact=email, is_active=True)


def _new_password_fields(form):
    form.fields["new_password1"].label = "Nouveau mot de passe"
    form.fields["new_password2"].label = "Confirmez le nouveau mot de passe"
    # The rules as sentences rather than Django's HTML list: the site's field template
    # writes a help text as a paragraph, for this field as for every other.
    form.fields["new_password1"].help_text = " ".join(
        password_validation.password_validators_help_texts()
    )


class SetPasswordForm(ReadableTextMixin, auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _new_password_fields(self)


class PasswordChangeForm(ReadableTextMixin, auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Mot de passe actuel"
        _new_password_fields(self)
