"""Every input of the team's meeting forms has a name a screen reader can read: the date
and the time of a date-and-time field, and each input of an inline row."""

import re

import pytest
from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.utils import timezone

from chantiers.widgets import labelled_widget
from tests.accounts.helpers import make_account
from tests.factories import ChantierFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_client(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client.force_login(make_account("equipe"))
    return client


def input_tag(html, element_id):
    return re.search(rf'<input[^>]*id="{element_id}"[^>]*>', html).group(0)


def test_the_date_and_the_time_inputs_are_named_after_their_field(team_client):
    html = team_client.get("/admin/chantiers/intersession/add/").content.decode()
    assert 'aria-label="Début : date"' in input_tag(html, "id_starts_at_0")
    assert 'aria-label="Début : heure"' in input_tag(html, "id_starts_at_1")
    assert 'aria-label="Fin : date"' in input_tag(html, "id_ends_at_0")
    assert 'aria-label="Fin : heure"' in input_tag(html, "id_ends_at_1")
    # Still the admin's widget: its calendar and clock, and a required field.
    assert 'class="vDateField"' in input_tag(html, "id_starts_at_0")
    assert "required" in input_tag(html, "id_starts_at_1")


def test_the_date_typed_is_kept_after_an_error(team_client):
    response = team_client.post(
        "/admin/chantiers/intersession/add/",
        {"title": "", "starts_at_0": "12/03/2031", "starts_at_1": "18:30"},
    )
    html = response.content.decode()
    assert 'value="12/03/2031"' in input_tag(html, "id_starts_at_0")
    assert 'aria-label="Début : date"' in input_tag(html, "id_starts_at_0")


def test_each_input_of_an_inline_row_says_which_row(team_client):
    meeting = MeetingFactory(chantier=ChantierFactory(), starts_at=timezone.now())
    html = team_client.get(f"/admin/chantiers/intersession/{meeting.pk}/change/").content
    html = html.decode()
    title = input_tag(html, "id_attachments-0-title")
    assert re.search(r'aria-label="Titre \(pièce jointe[^"]* 1\)"', title), title
    new_row = input_tag(html, "id_attachments-__prefix__-title")
    assert re.search(r'aria-label="Titre \(pièce jointe[^"]* à ajouter\)"', new_row), new_row
    # No header cell left empty.
    assert "<th></th>" not in html
    assert '<th class="original"></th>' not in html


class SampleForm(forms.Form):
    title = forms.CharField(label="Titre")
    received = forms.SplitDateTimeField(
        label="Reçue le", widget=AdminSplitDateTime, show_hidden_initial=True
    )


def test_beside_its_label_a_plain_field_renders_as_django_renders_it():
    form = SampleForm()
    assert labelled_widget(form["title"]) == str(form["title"])


def test_the_hidden_initial_value_is_kept_for_change_detection():
    html = labelled_widget(SampleForm()["received"], "ligne 2")
    assert 'aria-label="Reçue le (ligne 2) : date"' in html
    assert 'name="initial-received_0"' in html and 'name="initial-received_1"' in html
