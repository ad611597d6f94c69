from django.urls import path

from core.cache import public_page_cache
from diagnostic import views
from diagnostic.feeds import LatestDocumentsFeed

app_name = "diagnostic"

urlpatterns = [
    path("documents/", views.document_list, name="document_list"),
    path("documents/flux.atom", public_page_cache(LatestDocumentsFeed()), name="documents_feed"),
    path(
        "documents/<slug:slug>/telecharger/",
        views.document_download,
        name="document_download",
    ),
    path(
        "documents/<slug:slug>/version-accessible/",
        views.accessible_version_download,
        name="document_accessible_download",
    ),
    path("diagnostic/", views.diagnostic, name="diagnostic"),
    path("diagnostic/chiffres.csv", views.diagnostic_csv, name="diagnostic_csv"),
    path("indicateurs/", views.indicators, name="indicators"),
    path("indicateurs/valeurs.csv", views.indicators_csv, name="indicators_csv"),
]
