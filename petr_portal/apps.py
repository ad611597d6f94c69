from django.apps import AppConfig

# The apps whose rows the public pages show: any change to them makes the cached pages
# stale (core.cache). petr_portal is site-wide, so it may name every app.
CONTENT_APPS = ("chantiers", "diagnostic", "accessibilite")
# Models of those apps that no public page shows ("app_label.ModelName"): saving one must
# not empty the page cache (for instance a form sent by visitors).
# Join requests are never shown; registrations are (remaining seats), so they stay watched.
# A report's PDF is built from the content at one version: saving it must not make a new
# version, or every PDF would be out of date as soon as it is written.
# Accessibility reports are never shown; the grid's results count only once their audit is
# published, and accessibilite.services announces those itself (they change by the
# hundred while the team audits, and a bulk write sends no signal).
NOT_PUBLIC_MODELS = (
    "chantiers.JoinRequest",
    "chantiers.JoinRequest_chantiers",
    "diagnostic.ReportPdf",
    "accessibilite.AccessibilityReport",
    "accessibilite.Result",
)


class PetrPortalConfig(AppConfig):
    name = "petr_portal"
    verbose_name = "Portail"

    def ready(self):
        from core.cache import watch_content_models

        watch_content_models(CONTENT_APPS, exclude=NOT_PUBLIC_MODELS)
