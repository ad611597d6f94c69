"""« Suivre » : follow chantiers by email, without an account (double opt-in), and the
signed pages of the emails: confirm, manage, unsubscribe (one click, RFC 8058)."""

from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from chantiers import following
from chantiers.forms import FollowChoicesForm, FollowForm
from chantiers.models import Chantier, Subscription
from core.links import PLAIN_SLUG
from core.public_posts import rejected_response, rejection, typed_form

FOLLOW_TEMPLATE = "chantiers/follow.html"


def choices_from(form):
    data = form.cleaned_data
    return following.FollowChoices(
        chantiers=list(data["chantiers"]),
        all_chantiers=data["all_chantiers"],
        kinds=tuple(data["kinds"]),
        rhythm=data["rhythm"],
    )


@require_http_methods(["GET", "HEAD", "POST"])
def follow(request):
    """/suivre/: an address and what to follow; the answer never says whether the
    address already follows."""
    if request.method == "POST":
        refused = rejection(request, "suivre")
        if refused:
            form = typed_form(FollowForm, request.POST)
            response = render(
                request,
                FOLLOW_TEMPLATE,
                {"form": form, "rejection": refused},
                status=refused["status"],
            )
            return rejected_response(response, refused)
        form = FollowForm(request.POST)
        if form.is_valid():
            following.request_follow(email=form.cleaned_data["email"], choices=choices_from(form))
            return redirect("chantiers:follow_done")
        return render(request, FOLLOW_TEMPLATE, {"form": form})
    slug = request.GET.get("chantier", "")
    # Only a slug is looked up: anything else (a NUL byte, which PostgreSQL refuses in a
    # query) simply chooses no chantier.
    chosen = Chantier.objects.filter(slug=slug).first() if PLAIN_SLUG.match(slug) else None
    initial = {"chantiers": [chosen.slug]} if chosen else {"all_chantiers": True}
    return render(request, FOLLOW_TEMPLATE, {"form": FollowForm(initial=initial), "chosen": chosen})


@require_safe
def follow_done(request):
    return render(request, "chantiers/follow_done.html")


def _private(response):
    # The token is in the address: no search engine, no cache.
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def follow_confirm(request, token):
    """The link of the confirmation email: a button (mail scanners open links; only a
    person's POST confirms)."""
    subscription = following.subscription_for_confirmation(token)
    if request.method == "POST" and subscription is not None:
        following.confirm(subscription)
        return redirect(request.path)
    context = {"subscription": subscription}
    if subscription is not None and subscription.is_confirmed:
        context["manage_url"] = following.manage_url(subscription)
    status = 404 if subscription is None else 200
    return _private(render(request, "chantiers/follow_confirm.html", context, status=status))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def follow_manage(request, token):
    """« Gérer mon abonnement »: change the chantiers, the news, the rhythm, or leave."""
    subscription = following.subscription_for_link(
        token, Subscription.objects.prefetch_related("chantiers")
    )
    if subscription is None:
        return _private(render(request, "chantiers/follow_gone.html", status=404))
    saved = False
    if request.method == "POST":
        if "supprimer" in request.POST:
            following.leave(subscription)
            return redirect("chantiers:follow_left")
        form = FollowChoicesForm(request.POST)
        if form.is_valid():
            following.change(subscription, choices=choices_from(form))
            return redirect(request.path + "?enregistre=1")
    else:
        form = FollowChoicesForm(initial=FollowChoicesForm.initial_for(subscription))
        saved = request.GET.get("enregistre") == "1"
    return _private(
        render(
            request,
            "chantiers/follow_manage.html",
            {"form": form, "subscription": subscription, "saved": saved},
        )
    )


@csrf_exempt  # RFC 8058: mail clients post here without a cookie; the signed link is the key
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def follow_unsubscribe(request, token):
    """The List-Unsubscribe address: GET asks to confirm (a person's click), POST leaves at
    once (the mail client's one-click, or the button). A link that is not (or no longer)
    a subscription's is a 404 either way: a forged POST is not told « désabonné »."""
    subscription = following.subscription_for_link(token)
    if subscription is None:
        return _private(render(request, "chantiers/follow_gone.html", status=404))
    if request.method == "POST":
        following.leave(subscription)
        return redirect("chantiers:follow_left")
    return _private(
        render(
            request,
            "chantiers/follow_unsubscribe.html",
            {"subscription": subscription, "manage_url": following.manage_url(subscription)},
        )
    )


@require_safe
def follow_left(request):
    return _private(render(request, "chantiers/follow_left.html"))
