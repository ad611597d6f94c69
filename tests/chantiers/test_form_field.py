"""Every field of the site's forms is written by one template, includes/form_field.html,
through Django's own API (the form renderer's field template, `{{ field.as_field_group }}`):
label and « (obligatoire) », help and error beside it with the ids the input points to, a
fieldset and its legend for a group of choices."""

import pytest
from django.forms.renderers import get_default_renderer

from accounts.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm, SignInForm
from chantiers.forms import FollowForm, JoinRequestForm, RegistrationForm
from core.forms import FormRenderer
from tests.factories import ChantierFactory, MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db

FIELD_TEMPLATE = "includes/form_field.html"
REQUIRED = ' <span class="required">(obligatoire)</span>'


def _written(form):
    """The fields as the public forms' templates write them."""
    return "".join(field.as_field_group() for field in form)


def test_every_form_of_the_site_writes_its_fields_with_the_one_template():
    assert isinstance(get_default_renderer(), FormRenderer)
    user = UserFactory()
    forms = [
        JoinRequestForm(),
        RegistrationForm(meeting=MeetingFactory(registration_open=True)),
        FollowForm(),
        SignInForm(),
        PasswordResetForm(),
        SetPasswordForm(user),
        PasswordChangeForm(user),
    ]
    for form in forms:
        for field in form:
            assert field.template_name == FIELD_TEMPLATE, (type(form).__name__, field.name)


def test_a_text_field_in_error_names_its_error_and_help():
    form = JoinRequestForm(data={"name": "", "email": "pas-un-courriel"})
    form.is_valid()
    html = _written(form)
    assert (
        '<div class="field field--error">\n'
        f'  <label for="rejoindre-name">Nom et prénom{REQUIRED}</label>'
    ) in html
    assert (
        '<p class="field-error" id="rejoindre-name_error"><span class="visually-hidden">'
        "Erreur&nbsp;: </span>Indiquez votre nom et votre prénom.</p>"
    ) in html
    assert 'aria-invalid="true" aria-describedby="rejoindre-name_error"' in html
    # Help and error: the input points to both, in that order.
    assert '<p class="help" id="rejoindre-email_helptext">Par exemple' in html
    assert 'aria-describedby="rejoindre-email_helptext rejoindre-email_error"' in html
    # A field one may leave empty is not marked as required.
    assert '<label for="rejoindre-message">Message (facultatif)</label>' in html


def test_a_group_of_choices_is_a_fieldset_whose_legend_is_the_label():
    ChantierFactory(title="Épargne <locale>", slug="epargne")
    form = JoinRequestForm(data={"chantiers": ["inconnu"]})
    form.is_valid()
    html = _written(form)
    start = html.index('<fieldset class="field field--group field--error"')
    group = html[start : html.index("</fieldset>", start)]
    assert 'aria-describedby="rejoindre-chantiers_helptext rejoindre-chantiers_error"' in group
    assert "<legend>Les chantiers qui vous intéressent</legend>" in group
    assert '<p class="field-error" id="rejoindre-chantiers_error">' in group
    # Each checkbox names the group's error, and is labelled by its own <label>.
    box = group[group.index('<input type="checkbox"') :]
    box = box[: box.index(">")]
    assert 'aria-describedby="rejoindre-chantiers_error"' in box
    assert 'id="rejoindre-chantiers_0"' in box and 'aria-invalid="true"' in box
    assert '<label for="rejoindre-chantiers_0">Épargne &lt;locale&gt;</label>' in group
    # A required group says so in its legend.
    assert f"<legend>Comment aimeriez-vous participer ?{REQUIRED}</legend>" in html


def test_a_single_checkbox_has_its_label_after_it_and_its_help_below():
    form = JoinRequestForm(data={})
    form.is_valid()
    html = _written(form)
    start = html.index('<div class="field field--checkbox field--error">')
    consent = html[start : html.index("</p>\n</div>", start)]
    box, label, help_text = (
        consent.index('<input type="checkbox" name="consent"'),
        consent.index('<label for="rejoindre-consent">'),
        consent.index('<p class="help" id="rejoindre-consent_helptext">'),
    )
    assert consent.index('id="rejoindre-consent_error"') < box < label < help_text
    assert '<a href="/confidentialite/">vos données personnelles</a>' in consent


def test_sign_in_and_password_pages_write_their_fields_like_the_public_forms(client):
    html = client.get("/compte/connexion/").content.decode()
    assert f'<label for="id_username">Adresse électronique{REQUIRED}</label>' in html
    assert f'<label for="id_password">Mot de passe{REQUIRED}</label>' in html
    assert html.count('<div class="field">') == 2
    # The password rules: a paragraph the new password's input points to (a list in a
    # paragraph would not be valid HTML).
    html = _written(SetPasswordForm(UserFactory()))
    assert '<p class="help" id="id_new_password1_helptext">' in html
    assert "<ul" not in html and "caractères." in html
    assert 'aria-describedby="id_new_password1_helptext"' in html
