"""rapport.pdf: built once per period and content version by the worker, never twice at
once, « en préparation » meanwhile (htmx polling, a plain link without JavaScript), kept
in the media storage, and without WeasyPrint an explanation instead."""

import sys
from datetime import date, timedelta
from html import unescape

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from core.cache import bump_content_version, content_version
from diagnostic.models import ReportPdf, ReportPdfState
from diagnostic.report import builds
from diagnostic.report.period import Period, last_twelve_months
from tests.chantiers.races import at_once, needs_row_locks
from tests.diagnostic.report_content import MARCH
from tests.diagnostic.report_worker import queued_builds, run_worker
from tests.factories import ChantierFactory

pytestmark = pytest.mark.django_db

URL = f"/avancement/rapport.pdf?{MARCH.query}"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    """GET rapport.pdf as a visitor, the transaction's callbacks (the task) run."""

    def get(url=URL, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.get(url, **kwargs)

    ChantierFactory(title="Un chantier")
    return get


def text(response):
    return unescape(response.content.decode())


def test_two_requests_share_one_row_and_one_build(ask):
    first, second = ask(), ask()
    assert first.status_code == second.status_code == 202
    assert "En préparation" in text(first)
    assert ReportPdf.objects.count() == 1
    assert queued_builds() == 1


def test_the_worker_builds_it_once_then_it_is_downloaded(ask):
    ask()
    run_worker()
    report = ReportPdf.objects.get()
    assert report.state == ReportPdfState.READY
    assert default_storage.exists(report.file.name)
    assert report.file_size == default_storage.size(report.file.name)
    response = ask()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    # Asked again: the same file, no new build.
    ask()
    assert queued_builds() == 1
    assert builds.build(report.pk) is False  # already done: nothing is built again


def test_asked_while_it_is_being_built_it_says_so_and_queues_nothing(ask):
    ask()
    report = ReportPdf.objects.get()
    assert builds.claim(report.pk)  # a worker took it
    assert not builds.claim(report.pk)  # a second one cannot
    response = ask()
    assert response.status_code == 202
    assert "En préparation" in text(response)
    assert queued_builds() == 1


def test_htmx_asks_every_two_seconds_until_the_file_is_there(ask):
    ask()
    waiting = ask(headers=HTMX)
    assert waiting.status_code == 202
    assert "<html" not in text(waiting)
    assert f'data-hx-get="{URL}"' in text(waiting)
    assert 'data-hx-trigger="every 2s"' in text(waiting)
    # The plain link that asks again without JavaScript.
    assert f'<a href="{URL}">Vérifier si le PDF est prêt</a>' in text(waiting)
    run_worker()
    ready = ask(headers=HTMX)
    assert ready.status_code == 200
    assert "Le PDF est prêt" in text(ready)
    assert "every 2s" not in text(ready)  # the polling stops
    assert f'href="{URL}" download' in text(ready)


def test_a_new_content_version_makes_a_new_pdf_and_forgets_the_old(ask):
    ask()
    run_worker()
    old = ReportPdf.objects.get()
    bump_content_version()
    assert ask().status_code == 202
    assert ReportPdf.objects.count() == 2
    run_worker()
    new = ReportPdf.objects.get()
    assert new.pk != old.pk and new.state == ReportPdfState.READY
    assert not default_storage.exists(old.file.name)


def test_a_failed_build_is_said_and_tried_again_later(
    ask, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(context):
        raise RuntimeError("Pango en panne")

    monkeypatch.setattr(builds.pdf, "render_pdf", broken)
    ask()
    run_worker()
    report = ReportPdf.objects.get()
    assert report.state == ReportPdfState.FAILED
    assert "Pango en panne" in report.error
    page = ask()
    assert "La préparation du PDF a échoué" in text(page)
    assert "every 2s" not in text(page)
    assert queued_builds() == 1  # not at once
    later = timezone.now() + builds.RETRY_AFTER + timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        builds.request_pdf(MARCH, now=later)
    assert queued_builds() == 2
    assert ReportPdf.objects.get().state == ReportPdfState.WAITING


def test_a_build_whose_worker_died_is_handed_over_again(ask):
    ask()
    report = ReportPdf.objects.get()
    builds.claim(report.pk, now=timezone.now() - builds.BUILD_LEASE - timedelta(minutes=1))
    builds.request_pdf(MARCH)
    assert ReportPdf.objects.get().state == ReportPdfState.WAITING
    run_worker()
    assert ReportPdf.objects.get().state == ReportPdfState.READY


def test_without_a_period_the_last_twelve_months(client):
    response = client.get("/avancement/rapport.pdf")
    assert response.status_code == 302
    assert response["Location"] == (
        f"/avancement/rapport.pdf?{last_twelve_months(timezone.localdate()).query}"
    )
    assert not ReportPdf.objects.exists()


@pytest.mark.parametrize("query", ["du=2025-03-31&au=2025-03-01", "du=x&au=y", "du=&au="])
def test_a_period_to_correct_builds_nothing(client, query):
    response = client.get(f"/avancement/rapport.pdf?{query}")
    assert response.status_code == 400
    assert "La période demandée ne convient pas" in text(response)
    assert not ReportPdf.objects.exists()


def test_a_head_request_builds_nothing(client):
    assert client.head(URL).status_code == 202
    assert not ReportPdf.objects.exists()


def test_without_weasyprint_the_page_works_and_the_pdf_says_why(client, monkeypatch):
    # What Python does when the package, or Pango under it, cannot be loaded.
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    ChantierFactory(title="Un chantier")
    page = client.get(f"/avancement/rapport/?{MARCH.query}")
    assert page.status_code == 200
    assert "Un chantier" in text(page)
    assert "PDF indisponible" in text(page)
    assert "libpango-1.0-0" in text(page)
    assert "rapport.pdf" not in text(page)
    response = client.get(URL)
    assert response.status_code == 503
    assert "il lui manque WeasyPrint ou la bibliothèque Pango" in text(response)
    assert not ReportPdf.objects.exists()


def test_the_last_periods_asked_for_latest_first():
    for day, version in ((1, "a"), (2, "b"), (3, "c")):
        ReportPdf.objects.create(
            starts_on=date(2025, 1, day),
            ends_on=date(2025, 2, day),
            content_version=version,
            requested_at=timezone.now() + timedelta(minutes=day),
        )
    ReportPdf.objects.create(
        starts_on=date(2025, 1, 1), ends_on=date(2025, 2, 1), content_version="d"
    )
    assert builds.recent_periods(2) == [
        Period(date(2025, 1, 3), date(2025, 2, 3)),
        Period(date(2025, 1, 2), date(2025, 2, 2)),
    ]


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_two_visitors_asking_at_once_make_one_row_and_one_build():
    ChantierFactory(title="Un chantier")
    rows = at_once([lambda: builds.request_pdf(MARCH).pk for _ in range(4)])
    assert len(set(rows)) == 1
    assert ReportPdf.objects.count() == 1
    assert queued_builds() == 1
    assert connection.vendor == "postgresql"


def test_the_waiting_page_and_its_fragment_make_few_queries(client, django_assert_max_num_queries):
    """The content version, the row (found, or made in a savepoint), the hand-over of a
    stalled build, the demo notice, the footer's accessibility statement: the same with
    many other reports kept."""
    ChantierFactory(title="Un chantier")
    content_version()  # its row made once, as after the first request of a deployment
    counts = []
    for others in (0, 30):
        for day in range(others):
            ReportPdf.objects.create(
                starts_on=date(2020, 1, 1) + timedelta(days=day),
                ends_on=date(2021, 1, 1),
                content_version="ancienne",
            )
        ReportPdf.objects.filter(starts_on=MARCH.starts_on).delete()
        with django_assert_max_num_queries(7) as first:
            assert client.get(URL).status_code == 202
        with django_assert_max_num_queries(3) as polled:
            assert client.get(URL, headers=HTMX).status_code == 202
        counts.append((len(first), len(polled)))
    assert counts[0] == counts[1]
