"""The site's URLconf and its error handlers, plus two views that fail on purpose: a crash
(500) and a refusal (403), for tests/security/test_hostile_input.py."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from petr_portal.urls import handler400, handler404, handler500, urlpatterns  # noqa: F401


def crash(request):
    raise RuntimeError("en panne exprès")


def refuse(request):
    raise PermissionDenied


urlpatterns = [path("essai/panne/", crash), path("essai/refus/", refuse), *urlpatterns]
