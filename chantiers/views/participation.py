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
from core.cache import public_page_cache
from core.public_posts import rejected_response, rejection, typed_form
from core.rendering import render_page

JOIN_TEMPLATE = "chantiers/join.html"


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
    refused = rejection(request, "rejoindre")
    if refused:
        form = typed_form(JoinRequestForm, request.POST)
        response = render_page(
            request,
            JOIN_TEMPLATE,
            {"form": form, "rejection": refused},
            "join_region",
            status=refused["status"],
        )
        return rejected_response(response, refused)
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
            )

    services.submit_join_request(
        name=data["name"],
        email=data["email"],
        commune=data["commune"],
        chantiers=data["chantiers"],
        participation=data["participation"],
        message=data["message"],
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
    refused = rejection(request, "inscription")
    if refused:
        form = typed_form(RegistrationForm, request.POST, meeting=meeting)
        response = meeting_page(request, meeting, form, status=refused["status"], rejection=refused)
        return rejected_response(response, refused)
    if meeting.registration_state() not in (RegistrationState.OPEN, RegistrationState.FULL):
        # Closed since the page was shown: say so, keep what was typed.
        return meeting_page(
            request,
            meeting,
            typed_form(RegistrationForm, request.POST, meeting=meeting),
            registration_refused=True,
        )
    form = RegistrationForm(request.POST, meeting=meeting)
    if not form.is_valid():
        return meeting_page(request, meeting, form)
    try:
        services.register(
            meeting.pk, name=form.cleaned_data["name"], email=form.cleaned_data["email"]
        )
    except Meeting.DoesNotExist as gone:
        raise Http404("Réunion supprimée.") from gone
    except services.RegistrationRefused as refused_state:
        # The meeting started (or was called off) between the page and the post.
        meeting.seats_taken = Registration.objects.seated().filter(meeting=meeting).count()
        return meeting_page(
            request,
            meeting,
            typed_form(RegistrationForm, request.POST, meeting=meeting),
            registration_refused=True,
            registration_state=refused_state.state,
        )
    # The same answer whatever the address: new, already registered or waiting. Only the
    # email, which goes to that address, says which (and the position on the waiting
    # list); a seat count here would tell a new registration from a known address.
    if not request.htmx:
        return redirect("chantiers:registration_done", meeting.slug)
    return meeting_page(request, meeting, registration_done=True)


@require_safe
def registration_done(request, slug):
    meeting = get_object_or_404(Meeting.objects.select_related("chantier"), slug=slug)
    return render(request, "chantiers/registration_done.html", {"meeting": meeting})


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
            services.cancel_registration(registration)
        return redirect(request.path)
    response = render(
        request,
        "chantiers/registration_cancel.html",
        {"registration": registration, "meeting": meeting, "can_cancel": can_cancel},
    )
    # The token is in the address: no search engine, no Referer to other sites.
    response["X-Robots-Tag"] = "noindex"
    return response
