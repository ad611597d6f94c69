"""A URLconf where the chantiers live elsewhere (test_links)."""

from django.urls import include, path

from chantiers import views

urlpatterns = [
    path(
        "ailleurs/",
        include(
            ([path("<slug:slug>/", views.chantier_detail, name="chantier_detail")], "chantiers")
        ),
    ),
]
