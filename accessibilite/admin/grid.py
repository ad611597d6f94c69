"""The audit's grid in the admin: an overview (what is left to test, page by theme, themes
set « non applicable » at once, publication, exports), one screen per page and theme with
a form per criterion (saved one by one, with htmx or without JavaScript), the glossary.

Views of AuditAdmin (get_urls), behind admin_site.admin_view: staff only, and the audit's
view or change permission, as its admin page asks."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST, require_safe

from accessibilite import exports, services
from accessibilite.conformity import Status
from accessibilite.forms import ResultForm, ThemeNotApplicableForm
from accessibilite.models import Audit, Criterion, Result, RgaaVersion, Theme

TEMPLATES = "admin/accessibilite/audit/"
EXPORTS = {
    "csv": lambda grid, name: exports.csv_response(grid, f"{name}.csv"),
    "json": lambda grid, name: exports.json_response(grid, f"{name}.json"),
    "schema.json": lambda grid, name: exports.schema_response(grid),
}


def left_to_test(audit, **filters):
    """{(page id, theme id): cells left to test} over the audit's sample, in two queries."""
    themes = Theme.objects.filter(version=audit.version_id).annotate(size=Count("criteria"))
    sizes = {theme.pk: theme.size for theme in themes}
    tested = (
        Result.objects.filter(page__audit=audit, **filters)
        .exclude(status=Status.NOT_TESTED)
        .values_list("page_id", "criterion__theme_id")
        .annotate(count=Count("pk"))
    )
    done = {(page, theme): count for page, theme, count in tested}
    pages = audit.pages.values_list("pk", flat=True)
    if "page" in filters:
        pages = [filters["page"].pk]
    return {
        (page, theme): size - done.get((page, theme), 0)
        for page in pages
        for theme, size in sizes.items()
    }


class GridViews:
    """Mixed into AuditAdmin. The HTTP methods are checked where the views are routed
    (require_safe, require_POST take the request first, not a method's self)."""

    def get_urls(self):
        view = self.admin_site.admin_view
        name = "accessibilite_audit_"
        return [
            path("<int:audit_id>/grille/", view(require_safe(self.grid_view)), name=f"{name}grid"),
            path(
                "<int:audit_id>/grille/<int:page_id>/<int:theme_number>/",
                view(require_safe(self.grid_screen)),
                name=f"{name}grid_screen",
            ),
            path(
                "<int:audit_id>/grille/<int:page_id>/critere/<int:criterion_id>/",
                view(require_POST(self.grid_save)),
                name=f"{name}grid_save",
            ),
            path(
                "<int:audit_id>/grille/non-applicable/",
                view(require_POST(self.grid_not_applicable)),
                name=f"{name}grid_not_applicable",
            ),
            path(
                "<int:audit_id>/publication/",
                view(require_POST(self.publication)),
                name=f"{name}publication",
            ),
            path(
                "<int:audit_id>/grille.<str:fmt>",
                view(require_safe(self.grid_export)),
                name=f"{name}grid_export",
            ),
            path(
                "glossaire/<int:version_id>/",
                view(require_safe(self.glossary)),
                name=f"{name}glossary",
            ),
            *super().get_urls(),
        ]

    def _audit(self, request, audit_id, *, change=False):
        audit = get_object_or_404(Audit.objects.with_version(), pk=audit_id)
        allowed = (
            self.has_change_permission(request, audit)
            if change
            else self.has_view_permission(request, audit)
        )
        if not allowed:
            raise PermissionDenied
        return audit

    def _context(self, request, audit, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "audit": audit,
            "can_change": self.has_change_permission(request, audit),
            "glossary_url": reverse("admin:accessibilite_audit_glossary", args=[audit.version_id]),
            **extra,
        }

    def grid_view(self, request, audit_id):
        """The overview: pages in columns, themes in rows, what is left to test in each."""
        audit = self._audit(request, audit_id)
        pages = list(audit.pages.all())
        themes = list(audit.version.themes.all())
        left = left_to_test(audit)
        rows = [(theme, [(page, left[(page.pk, theme.pk)]) for page in pages]) for theme in themes]
        context = self._context(
            request,
            audit,
            f"Grille de l'audit du {audit.audited_on:%d/%m/%Y} ({audit.version})",
            pages=pages,
            rows=rows,
            cells_left=sum(left.values()),
            conformity=audit.conformity(),
            not_applicable_form=ThemeNotApplicableForm(),
        )
        return TemplateResponse(request, f"{TEMPLATES}grid.html", context)

    def _screen_context(self, request, audit, page, theme, forms=None):
        criteria = (
            Criterion.objects.filter(theme=theme)
            .select_related("theme")
            .prefetch_related("tests")
            .order_by("number")
        )
        results = {
            result.criterion_id: result
            for result in Result.objects.filter(page=page, criterion__theme=theme)
        }
        forms = forms or {}
        items = [
            {
                "criterion": criterion,
                "form": forms.get(criterion.pk)
                or ResultForm(instance=results.get(criterion.pk), criterion=criterion),
            }
            for criterion in criteria
        ]
        return self._context(
            request,
            audit,
            f"{page.name} — {theme.number}. {theme.title}",
            page=page,
            theme=theme,
            items=items,
            **self._progress(audit, page, theme),
        )

    def _progress(self, audit, page, theme):
        """The navigation between themes and pages, with what is left to test."""
        left = left_to_test(audit, page=page)
        themes = [(other, left[(page.pk, other.pk)]) for other in audit.version.themes.all()]
        return {
            "themes": themes,
            "page_left": sum(count for _theme, count in themes),
            "pages": audit.pages.all(),
            "current_theme": theme,
        }

    def _objects(self, audit, page_id, theme_number):
        page = get_object_or_404(audit.pages, pk=page_id)
        theme = get_object_or_404(Theme, version=audit.version_id, number=theme_number)
        return page, theme

    def grid_screen(self, request, audit_id, page_id, theme_number):
        audit = self._audit(request, audit_id)
        page, theme = self._objects(audit, page_id, theme_number)
        context = self._screen_context(request, audit, page, theme)
        return TemplateResponse(request, f"{TEMPLATES}grid_screen.html", context)

    def grid_save(self, request, audit_id, page_id, criterion_id):
        """One criterion on one page. htmx gets the criterion's form back, with the
        navigation's counts; without JavaScript, back to the screen at that criterion."""
        audit = self._audit(request, audit_id, change=True)
        page = get_object_or_404(audit.pages, pk=page_id)
        criterion = get_object_or_404(
            Criterion.objects.select_related("theme").prefetch_related("tests"),
            pk=criterion_id,
            theme__version=audit.version_id,
        )
        result = Result.objects.filter(page=page, criterion=criterion).first()
        form = ResultForm(request.POST, instance=result, criterion=criterion)
        saved = form.is_valid()
        if saved:
            services.save_result(page=page, criterion=criterion, **form.cleaned_data)
            form = ResultForm(
                instance=Result.objects.get(page=page, criterion=criterion), criterion=criterion
            )
        screen = reverse(
            "admin:accessibilite_audit_grid_screen",
            args=[audit.pk, page.pk, criterion.theme.number],
        )
        if request.htmx:
            context = self._context(
                request,
                audit,
                page.name,
                page=page,
                item={"criterion": criterion, "form": form},
                saved=saved,
                **self._progress(audit, page, criterion.theme),
            )
            return TemplateResponse(request, f"{TEMPLATES}grid_saved.html", context)
        if saved:
            self.message_user(
                request,
                f"Critère {criterion.code} : « {form.instance.get_status_display()} » enregistré.",
                messages.SUCCESS,
            )
            return redirect(f"{screen}#critere-{criterion.theme.number}-{criterion.number}")
        context = self._screen_context(
            request, audit, page, criterion.theme, forms={criterion.pk: form}
        )
        return TemplateResponse(request, f"{TEMPLATES}grid_screen.html", context)

    def grid_not_applicable(self, request, audit_id):
        audit = self._audit(request, audit_id, change=True)
        form = ThemeNotApplicableForm(request.POST)
        theme = None
        if form.is_valid():
            theme = Theme.objects.filter(
                version=audit.version_id, number=form.cleaned_data["theme"]
            ).first()
        if theme is None:
            raise Http404("Thématique inconnue.")
        count = services.set_theme_not_applicable(audit=audit, theme=theme)
        self.message_user(
            request,
            f"Thématique « {theme.title} » : {count} résultat{'s' if count > 1 else ''} "
            f"non testé{'s' if count > 1 else ''} passé{'s' if count > 1 else ''} à « non "
            "applicable » sur toutes les pages ; les résultats déjà saisis restent.",
            messages.SUCCESS,
        )
        return redirect("admin:accessibilite_audit_grid", audit.pk)

    def publication(self, request, audit_id):
        audit = self._audit(request, audit_id, change=True)
        if request.POST.get("action") == "retirer":
            services.unpublish(audit=audit)
            self.message_user(request, "L'audit n'est plus publié.", messages.SUCCESS)
        else:
            try:
                services.publish(audit=audit)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    "L'audit est publié : la déclaration d'accessibilité et le pied de "
                    "chaque page le reprennent.",
                    messages.SUCCESS,
                )
        return redirect("admin:accessibilite_audit_grid", audit.pk)

    def grid_export(self, request, audit_id, fmt):
        audit = self._audit(request, audit_id)
        if fmt not in EXPORTS:
            raise Http404("Format inconnu.")
        return EXPORTS[fmt](exports.Grid(audit), f"audit-rgaa-{audit.audited_on:%Y-%m-%d}")

    def glossary(self, request, version_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        version = get_object_or_404(RgaaVersion, pk=version_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Glossaire du {version}",
            "version": version,
            "entries": version.glossary.all(),
        }
        return TemplateResponse(request, f"{TEMPLATES}glossary.html", context)
