"""Small views for the page-cache tests, beside the real URLs."""

from itertools import count

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.response import TemplateResponse
from django.urls import include, path
from django.utils.cache import patch_vary_headers

from core.cache import public_page_cache

renders = count()


@public_page_cache(query_params=("statut",))
def fragment_aware(request):
    part = "fragment" if request.htmx else "page"
    response = HttpResponse(f"{part} {next(renders)} statut={request.GET.get('statut', '')}")
    patch_vary_headers(response, ("HX-Request",))
    return response


@public_page_cache
def with_form(request):
    return HttpResponse(f"form {next(renders)} {get_token(request)}")


@public_page_cache
def deferred(request):
    return TemplateResponse(request, "404.html", {"n": next(renders)})


@public_page_cache
def language_aware(request):
    response = HttpResponse(f"langue {next(renders)}")
    patch_vary_headers(response, ("Accept-Language",))
    return response


@public_page_cache
def not_found(request):
    return HttpResponse(f"absent {next(renders)}", status=404)


urlpatterns = [
    path("t/fragment/", fragment_aware),
    path("t/formulaire/", with_form),
    path("t/differe/", deferred),
    path("t/langue/", language_aware),
    path("t/absent/", not_found),
    path("", include("petr_portal.urls")),
]
