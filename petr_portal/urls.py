from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from core.cache import public_page_cache
from petr_portal import views
from petr_portal.feeds import PortalFeed
from petr_portal.health import health
from petr_portal.sitemaps import SITEMAPS

admin.site.site_header = "Administration du projet de territoire"
admin.site.site_title = "Projet de territoire – administration"
admin.site.index_title = "Tenir la démarche à jour"

urlpatterns = [
    # Cached for anonymous visitors; stale as soon as bump_content_version() is called.
    path("", public_page_cache(views.home), name="home"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("confidentialite/", views.privacy, name="privacy"),
    path("sante/", health, name="health"),
    path("recherche/", views.search, name="search"),
    path("donnees/", public_page_cache(views.open_data), name="open_data"),
    # Before the files' pattern, which would read them as datasets.
    path(
        "donnees/datapackage.json",
        public_page_cache(views.open_data_package),
        name="open_data_package",
    ),
    path(
        "donnees/catalogue.jsonld",
        public_page_cache(views.open_data_catalogue),
        name="open_data_catalogue",
    ),
    path(
        "donnees/<slug:name>.<slug:fmt>",
        public_page_cache(views.open_data_export),
        name="open_data_export",
    ),
    # Shared by every visitor: cached like the home page.
    path("flux.atom", public_page_cache(PortalFeed()), name="feed"),
    path(
        "sitemap.xml",
        public_page_cache(sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("robots.txt", public_page_cache(views.robots_txt), name="robots_txt"),
    path("favicon.ico", views.favicon),
    path("admin/", admin.site.urls),
    path("", include("chantiers.urls")),
    path("", include("diagnostic.urls")),
    path("", include("accessibilite.urls")),
    path("compte/", include("accounts.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "petr_portal.views.bad_request"
handler404 = "petr_portal.views.page_not_found"
handler500 = "petr_portal.views.server_error"
