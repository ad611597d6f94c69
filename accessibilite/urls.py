from django.urls import path

from accessibilite import views
from core.cache import public_page_cache

app_name = "accessibilite"

urlpatterns = [
    # The same for every anonymous visitor: cached until the content changes.
    path("accessibilite/", public_page_cache(views.declaration), name="declaration"),
    path("accessibilite/grille.csv", public_page_cache(views.grid_csv), name="grid_csv"),
    path("accessibilite/grille.json", public_page_cache(views.grid_json), name="grid_json"),
    path(
        "accessibilite/grille.schema.json",
        public_page_cache(views.grid_schema),
        name="grid_schema",
    ),
    path("accessibilite/signaler/", public_page_cache(views.report), name="report"),
    path("accessibilite/signaler/merci/", views.report_done, name="report_done"),
]
