"""Which writes change the shared content version (core.cache), and when.

These tests commit for real (transactional database): the version they check is the row
that every process reads, as it stands once each write is committed.
"""

from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from chantiers.models import Chantier, Registration
from chantiers.services import cancel_registration
from core.cache import bump_content_version, content_version
from core.models import ContentVersion
from tests.chantiers.factories import RegistrationFactory
from tests.chantiers.participation import join_data, registration_data
from tests.diagnostic.factories import DocumentFactory, png_bytes
from tests.factories import ChantierFactory, TeamMemberFactory, UserFactory
from tests.petr_portal.test_freshness import PageForm

pytestmark = pytest.mark.django_db(transaction=True)
FORM = "application/x-www-form-urlencoded"


def stored_version():
    """The version as every other process reads it."""
    return ContentVersion.objects.get(pk=1).token


class Bumps:
    """`with Bumps() as bumps: ...`, then bumps.changed: whether the stored version changed
    (created first, so that a write cannot pass for a change by creating the row)."""

    def __enter__(self):
        self.before = content_version()
        return self

    def __exit__(self, *exc_info):
        self.changed = stored_version() != self.before


def quiet(*args):
    call_command(*args, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_version_changes_once_the_transaction_commits_and_once_only():
    chantier = ChantierFactory()
    before = content_version()
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        for title in ("Un", "Deux", "Trois"):
            chantier.title = title
            chantier.save()
        # Not yet for the others: the content is not committed...
        assert stored_version() == before
        # ...but what this connection renders now is not taken from the cache.
        assert content_version() not in (before, None)
    assert stored_version() != before
    assert content_version() == stored_version()
    replaced = [q for q in queries if "portal_content_version" in q["sql"] and "UPDATE" in q["sql"]]
    assert len(replaced) == 1, [q["sql"] for q in queries]
    # The replacement came after the last write to the chantier.
    last_write = max(i for i, q in enumerate(queries) if 'UPDATE "chantiers_chantier"' in q["sql"])
    assert queries.captured_queries.index(replaced[0]) > last_write


def test_a_rolled_back_write_leaves_the_version_alone():
    chantier = ChantierFactory()
    before = content_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        chantier.title = "Jamais enregistré"
        chantier.save()
        raise RuntimeError
    assert stored_version() == before
    assert content_version() == before
    # The next transaction that writes still changes it.
    with transaction.atomic():
        bump_content_version()
    assert stored_version() != before


def test_a_write_outside_a_transaction_changes_the_version_at_once():
    with Bumps() as bumps:
        ChantierFactory()
    assert bumps.changed


def test_an_admin_edit_changes_the_version(admin_client):
    chantier = ChantierFactory(title="Avant")
    path = f"/admin/chantiers/chantier/{chantier.pk}/change/"
    form = PageForm("chantier_form")
    form.feed(admin_client.get(path).content.decode())
    data = [(name, "Après" if name == "title" else value) for name, value in form.data]
    with Bumps() as bumps:
        response = admin_client.post(path, urlencode(data), content_type=FORM)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Chantier.objects.get().title == "Après"
    assert bumps.changed


def test_deletes_and_many_to_many_changes_change_the_version():
    chantier, member = ChantierFactory(), TeamMemberFactory()
    with Bumps() as bumps:
        member.coordinated_chantiers.add(chantier)
    assert bumps.changed
    with Bumps() as bumps:
        Chantier.objects.filter(pk=chantier.pk).delete()
    assert bumps.changed


@pytest.mark.parametrize(
    "command",
    [("load_territoire",), ("load_demo",), ("load_demo", "--remove")],
    ids=["load_territoire", "load_demo", "load_demo_remove"],
)
def test_content_commands_change_the_version(command):
    quiet("load_territoire")
    if command == ("load_demo", "--remove"):
        quiet("load_demo")
    with Bumps() as bumps:
        quiet(*command)
    assert bumps.changed


def test_load_demo_changes_the_version_even_when_it_fails(monkeypatch):
    from chantiers import demo

    def half_done():
        Chantier.objects.bulk_create([Chantier(title="À moitié", slug="a-moitie")])
        raise RuntimeError("arrêt au milieu")

    monkeypatch.setattr(demo, "load", half_done)
    with Bumps() as bumps, pytest.raises(RuntimeError):
        quiet("load_demo")
    assert bumps.changed


def test_cancelled_registrations_free_seats_on_the_public_pages(admin_client):
    # A bulk update sends no signal: both ways of cancelling change the version.
    first, second = RegistrationFactory(), RegistrationFactory()
    with Bumps() as bumps:
        assert cancel_registration(first)
    assert bumps.changed
    with Bumps() as bumps:
        admin_client.post(
            "/admin/chantiers/registration/",
            {"action": "cancel_selected", "_selected_action": [second.pk]},
        )
    assert Registration.objects.active().count() == 0
    assert bumps.changed


def test_a_visitors_registration_changes_the_version(client):
    # The meeting page shows the seats left.
    meeting = RegistrationFactory().meeting
    with Bumps() as bumps:
        response = client.post(meeting.get_absolute_url() + "inscription/", registration_data())
    assert response.status_code == 302
    assert Registration.objects.filter(meeting=meeting).count() == 2
    assert bumps.changed


def test_cover_renditions_written_after_the_save_change_the_version():
    chantier = ChantierFactory()
    with Bumps() as bumps:
        chantier.refresh_cover_renditions()
    assert bumps.changed


def test_a_join_request_a_download_or_an_account_leave_the_version_alone(client):
    # None shows on a public page; and visitors must not be able to empty the cache.
    chantier = ChantierFactory(slug="agriculture")
    document = DocumentFactory()
    with Bumps() as bumps:
        response = Client().post("/nous-rejoindre/", join_data(chantiers=[chantier.slug]))
        assert response.status_code == 302
        response = client.get(f"/documents/{document.slug}/telecharger/")
        assert response.status_code == 200
        UserFactory()
    document.refresh_from_db()
    assert document.downloads == 1
    assert not bumps.changed


def test_a_restore_changes_the_version(monkeypatch):
    # The backup brings back the version of its day, under which a shared Redis may still
    # hold pages: the restore replaces it (the restore itself is tested in tests/ops).
    from petr_portal import backups

    restored = []
    monkeypatch.setattr(backups, "read_manifest", lambda folder: {"database": "petr"})
    monkeypatch.setattr(backups, "restore", lambda folder: restored.append(folder))
    with Bumps() as bumps:
        call_command("restore", "sauvegardes/2026", "--noinput", stderr=open("/dev/null", "w"))  # noqa: SIM115
    assert restored == ["sauvegardes/2026"]
    assert bumps.changed


def test_a_documents_thumbnail_is_announced_after_it_is_written():
    # The thumbnail is written after the save's own signal: the version changes once more.
    document = DocumentFactory()
    document.cover = SimpleUploadedFile("couverture.png", png_bytes((800, 500)))
    with CaptureQueriesContext(connection) as queries:
        document.save()
    sql = [q["sql"] for q in queries]
    thumbnail = max(i for i, q in enumerate(sql) if '"cover_thumbnail" =' in q)
    announced = max(i for i, q in enumerate(sql) if "portal_content_version" in q)
    assert announced > thumbnail
