"""Participation: « Nous rejoindre » and « Je participe » to an intersession."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from chantiers import following, services
from chantiers.forms import (
    JoinRequestForm,
    RegistrationForm,
)
from chantiers.models import (
    Meeting,
    Participation,
    Registration,
    RegistrationState,
)
from chantiers.views.agenda import meeting_page, meeting_with_seats
from core import abuse
from core.cache import public_page_cache
from core.rendering import render_page

JOIN_TEMPLATE = "chantiers/join.html"


def _rejection(request, scope):
    """Why a public post is refused before anything is stored or sent, or None.

    Every post counts toward the rate limit of its form, rejected ones included.
    """
    if abuse.rate_limited(request, scope):
        return {
            "status": 429,
            "title": "Trop d'envois",
            "text": (
                "Trop d'envois depuis votre connexion en peu de temps : rien n'a été "
                f"enregistré. Réessayez dans {abuse.retry_after_minutes()} minutes, ou "
                "écrivez-nous directement."
            ),
        }
    if abuse.honeypot_filled(request):
        return {
            "status": 400,
            "title": "Envoi refusé",
            "text": (
                "Votre envoi n'a pas été enregistré : le champ « Ne pas remplir », prévu pour "
                "repérer les robots, contenait quelque chose. Videz-le et envoyez à nouveau, "
                "ou écrivez-nous directement."
            ),
        }
    return None


def _rejected_response(response, rejection):
    if rejection["status"] == 429:
        response["Retry-After"] = str(abuse.retry_after_minutes() * 60)
    return response


def _typed(form_class, data, **kwargs):
    """An unbound form showing what was typed: a refused post is not validated, but
    nothing the person wrote is lost. The honeypot is left empty."""
    form = form_class(**kwargs)
    initial = {}
    for name, field in form.fields.items():
        if getattr(field.widget, "allow_multiple_selected", False):
            initial[name] = data.getlist(name)
        elif name in data:
            initial[name] = data.get(name)
    form.initial = initial
    return form


@require_http_methods(["GET", "HEAD", "POST"])
@public_page_cache(query_params=("chantier",))
def join(request):
    """« Nous rejoindre »: htmx posts get back the form with its errors, or the thanks."""
    if request.method == "POST":
        return _join_post(request)
    slug = request.GET.get("chantier", "")
    form = JoinRequestForm(initial={"chantiers": [slug]} if slug else {})
    return render_page(request, JOIN_TEMPLATE, {"form": form})


def _join_post(request):
    rejection = _rejection(request, "rejoindre")
    if rejection:
        form = _typed(JoinRequestForm, request.POST)
        response = render_page(
            request,
            JOIN_TEMPLATE,
            {"form": form, "rejection": rejection},
            "join_region",
            status=rejection["status"],
        )
        return _rejected_response(response, rejection)
    form = JoinRequestForm(request.POST)
    if not form.is_valid():
        return render_page(request, JOIN_TEMPLATE, {"form": form}, "join_region")
    data = form.cleaned_data
    follow = None
    if data["participation"] == Participation.INFORMED:
        # « Être tenu·e au courant »: the same subscription as /suivre/, confirmed the same
        # way (double opt-in) before anything is sent.
        def follow():
            following.request_follow(
                email=data["email"],
                choices=following.FollowChoices(chantiers=list(data["chantiers"])),
                absolute_url=request.build_absolute_uri,
            )

    services.submit_join_request(
        name=data["name"],
        email=data["email"],
        commune=data["commune"],
        chantiers=data["chantiers"],
        participation=data["participation"],
        message=data["message"],
        absolute_url=request.build_absolute_uri,
        follow=follow,
    )
    asked = follow is not None
    if request.htmx:
        return render_page(
            request, JOIN_TEMPLATE, {"join_done": True, "follow_asked": asked}, "join_region"
        )
    return redirect(reverse("chantiers:join_done") + ("?abonnement=1" if asked else ""))


@require_safe
def join_done(request):
    follow_asked = request.GET.get("abonnement") == "1"
    return render(request, "chantiers/join_done.html", {"follow_asked": follow_asked})


@require_http_methods(["GET", "HEAD", "POST"])
def meeting_register(request, slug):
    """« Je participe »: htmx gets the registration box back (errors, confirmed, or full)."""
    if request.method != "POST":
        # The address of a page re-shown after an error, opened again (GET or HEAD): back
        # to the meeting.
        meeting = get_object_or_404(Meeting, slug=slug)
        return redirect(meeting.get_absolute_url() + "#je-participe")
    meeting = meeting_with_seats(slug)
    if meeting.registration_state() == RegistrationState.NOT_OFFERED:
        raise Http404("Pas d'inscription pour cette réunion.")
    rejection = _rejection(request, "inscription")
    if rejection:
        form = _typed(RegistrationForm, request.POST, meeting=meeting)
        response = meeting_page(
            request, meeting, form, status=rejection["status"], rejection=rejection
        )
        return _rejected_response(response, rejection)
    if meeting.registration_state() not in (RegistrationState.OPEN, RegistrationState.FULL):
        # Closed since the page was shown: say so, keep what was typed.
        return meeting_page(
            request,
            meeting,
            _typed(RegistrationForm, request.POST, meeting=meeting),
            registration_refused=True,
        )
    form = RegistrationForm(request.POST, meeting=meeting)
    if not form.is_valid():
        return meeting_page(request, meeting, form)
    try:
        result = services.register(
            meeting.pk,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            absolute_url=request.build_absolute_uri,
        )
    except Meeting.DoesNotExist as gone:
        raise Http404("Réunion supprimée.") from gone
    except services.RegistrationRefused as refused:
        # The meeting started (or was called off) between the page and the post.
        meeting.seats_taken = Registration.objects.seated().filter(meeting=meeting).count()
        return meeting_page(
            request,
            meeting,
            _typed(RegistrationForm, request.POST, meeting=meeting),
            registration_refused=True,
            registration_state=refused.state,
        )
    if not request.htmx:
        done = reverse("chantiers:registration_done", args=[meeting.slug])
        return redirect(done + (f"?{WAITING_PARAM}" if result.waiting else ""))
    meeting.seats_taken = result.meeting.seats_taken
    return meeting_page(
        request,
        meeting,
        registration_done=True,
        waiting=result.waiting,
        waiting_position=getattr(result.registration, "waiting_position", None),
    )


# On the thanks page's address: the person went on the waiting list.
WAITING_PARAM = "attente"


@require_safe
def registration_done(request, slug):
    meeting = get_object_or_404(
        Meeting.objects.with_seats_taken().select_related("chantier"), slug=slug
    )
    context = {"meeting": meeting, "waiting": WAITING_PARAM in request.GET}
    return render(request, "chantiers/registration_done.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def registration_cancel(request, slug, token):
    """The cancel link of the confirmation email: a page asking to confirm, then a POST."""
    registration = get_object_or_404(
        Registration.objects.select_related("meeting", "meeting__chantier"),
        meeting__slug=slug,
        cancel_token=token,
    )
    meeting = registration.meeting
    can_cancel = not registration.is_cancelled and timezone.now() < meeting.starts_at
    if request.method == "POST":
        if can_cancel:
            services.cancel_registration(registration, absolute_url=request.build_absolute_uri)
        return redirect(request.path)
    response = render(
        request,
        "chantiers/registration_cancel.html",
        {"registration": registration, "meeting": meeting, "can_cancel": can_cancel},
    )
    # The token is in the address: no search engine, no Referer to other sites.
    response["X-Robots-Tag"] = "noindex"
    return response
