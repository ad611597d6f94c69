"""Following chantiers by email: asking (double opt-in), confirming, changing, leaving, and
telling followers the news (at once, or in the Monday digest).

Every email goes to the outbox in the caller's transaction (core.outbox); nothing is ever
queued for an address that has not confirmed, except its confirmation request.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from chantiers.models import FOLLOW_KINDS, FollowEvent, Rhythm, Subscription
from core import outbox
from core.mailtext import html_from_text
from core.seo import site_address, site_domain

CONFIRM_SALT = "chantiers.following.confirm"
LINK_SALT = "chantiers.following.link"
# The outbox keys of a subscription's emails (confirmations, news, digests): unsubscribing
# deletes them from the send log, those not sent yet with them.
EMAIL_KEY_PREFIXES = ("follow-confirm:", "follow-already:", "news:", "digest:")


# ---- Signed links ----


def confirm_token(subscription):
    """The confirmation link's token: valid PORTAL_FOLLOW_CONFIRM_DAYS days."""
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign_object(
        {"id": subscription.pk, "s": subscription.secret}
    )


def link_token(subscription):
    """The token of the « gérer » and unsubscribe links (no expiry: they must work from
    any old email; the subscription's secret voids them when it is deleted)."""
    return signing.Signer(salt=LINK_SALT).sign_object(
        {"id": subscription.pk, "s": subscription.secret}
    )


def _from_token(value, queryset):
    if not isinstance(value, dict):
        return None
    return queryset.filter(pk=value.get("id"), secret=value.get("s") or "-").first()


def subscription_for_confirmation(token, queryset=None):
    """The subscription of a confirmation token, or None (bad, expired or deleted)."""
    max_age = timedelta(days=settings.PORTAL_FOLLOW_CONFIRM_DAYS)
    try:
        value = signing.TimestampSigner(salt=CONFIRM_SALT).unsign_object(token, max_age=max_age)
    except signing.BadSignature:
        return None
    return _from_token(value, Subscription.objects.all() if queryset is None else queryset)


def subscription_for_link(token, queryset=None):
    try:
        value = signing.Signer(salt=LINK_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    return _from_token(value, Subscription.objects.all() if queryset is None else queryset)


def manage_url(subscription):
    return reverse("chantiers:follow_manage", args=[link_token(subscription)])


def unsubscribe_url(subscription):
    return reverse("chantiers:follow_unsubscribe", args=[link_token(subscription)])


# ---- Asking, confirming, changing, leaving ----


@dataclass
class FollowChoices:
    chantiers: list = field(default_factory=list)
    all_chantiers: bool = False
    kinds: tuple = tuple(FOLLOW_KINDS)
    rhythm: str = Rhythm.WEEKLY

    def apply(self, subscription):
        subscription.all_chantiers = self.all_chantiers or not self.chantiers
        subscription.rhythm = self.rhythm
        for kind, (name, _) in FOLLOW_KINDS.items():
            setattr(subscription, name, kind in self.kinds)

    def save_chantiers(self, subscription):
        subscription.chantiers.set([] if subscription.all_chantiers else self.chantiers)


def request_follow(*, email, choices, now=None):
    """Ask to follow: a new or unconfirmed address gets (again) its confirmation link; a
    confirmed one is told it already follows, with its « gérer » link. The page answers the
    same in every case: it tells no one who follows. At most one email per address and day
    whatever the number of asks (the outbox key carries the day)."""
    now = now or timezone.now()
    day = timezone.localdate(now).isoformat()
    with transaction.atomic():
        subscription = Subscription.objects.filter(email__iexact=email).first()
        if subscription is not None and subscription.is_confirmed:
            # Its choices change only through its own signed link, never from a form
            # anyone may fill in with that address.
            outbox.queue(_already_following(subscription, day))
        else:
            if subscription is None:
                subscription = Subscription(email=email, requested_at=now)
            subscription.requested_at = now
            choices.apply(subscription)
            try:
                with transaction.atomic():
                    subscription.save()
            except IntegrityError:  # the same address asked at the same instant
                return
            choices.save_chantiers(subscription)
            outbox.queue(_confirmation(subscription, day))
        outbox.wake_worker()


def confirm(subscription, *, now=None):
    """Confirm (idempotent). Returns True if it was not confirmed yet."""
    updated = Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
        confirmed_at=now or timezone.now()
    )
    subscription.refresh_from_db(fields=["confirmed_at"])
    return bool(updated)


def change(subscription, *, choices):
    with transaction.atomic():
        choices.apply(subscription)
        subscription.save()
        choices.save_chantiers(subscription)


def leave(subscription):
    """Delete the subscription, its address with it, at once: its links stop working, and
    its emails leave the send log, those not sent yet with them (never sent)."""
    forget(Subscription.objects.filter(pk=subscription.pk))


def forget(subscriptions):
    """Delete these subscriptions and their emails from the outbox (sent or not). Every
    deletion goes through here: unsubscribing, the purge, the admin. Returns how many
    subscriptions went."""
    with transaction.atomic():
        addresses = list(subscriptions.values_list("email", flat=True))
        outbox.forget(recipients=addresses, key_prefixes=EMAIL_KEY_PREFIXES)
        return subscriptions.delete()[1].get(Subscription._meta.label, 0)


def purge_unconfirmed(*, now=None, dry_run=False):
    """Delete the requests not confirmed in time (their link has expired anyway)."""
    now = now or timezone.now()
    stale = Subscription.objects.unconfirmed_since(
        now - timedelta(days=settings.PORTAL_FOLLOW_CONFIRM_DAYS)
    )
    if dry_run:
        return stale.count()
    return forget(stale)


def list_id():
    """RFC 2919: the followers' news and digests are one list, named on the site's domain
    (mail clients file and filter on it, and offer to unsubscribe)."""
    return f"Nouvelles du projet de territoire <nouvelles.{site_domain()}>"


def _headers(subscription, listed):
    headers = {"Reply-To": settings.PORTAL["CONTACT_EMAIL"]}
    if listed:
        headers["List-Id"] = list_id()
        # RFC 8058: a POST to this address, without signing in, unsubscribes at once.
        headers["List-Unsubscribe"] = (
            f"<{site_address(unsubscribe_url(subscription))}>, "
            f"<mailto:{settings.PORTAL['CONTACT_EMAIL']}"
            f"?subject=D%C3%A9sabonnement%20{subscription.pk}>"
        )
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


def _email(subscription, *, key, kind, subject, template, context, listed=True):
    context = {
        **context,
        "portal": settings.PORTAL,
        "manage_url": site_address(manage_url(subscription)),
    }
    if listed:
        context["unsubscribe_url"] = site_address(unsubscribe_url(subscription))
    text = render_to_string(template, context)
    return outbox.Email(
        recipient=subscription.email,
        key=key,
        kind=kind,
        subject=subject,
        text=text,
        html=html_from_text(text, title=subject),
        headers=_headers(subscription, listed),
    )


# Stand-ins for each follower's own links in an email rendered once for all of them.
_MANAGE_STAND_IN = "https://lien.invalid/gerer-mon-abonnement"
_LEAVE_STAND_IN = "https://lien.invalid/me-desabonner"


class _SameNewsForEach:
    """One piece of news, rendered once (text and HTML); each follower gets a copy with
    their own links. Rendering a template per follower cost more than sending."""

    def __init__(self, *, key, kind, subject, template, context):
        self.key, self.kind, self.subject = key, kind, subject
        context = {
            **context,
            "portal": settings.PORTAL,
            "manage_url": _MANAGE_STAND_IN,
            "unsubscribe_url": _LEAVE_STAND_IN,
        }
        self.text = render_to_string(template, context)
        self.html = html_from_text(self.text, title=subject)

    def email_for(self, subscription):
        links = {
            _MANAGE_STAND_IN: site_address(manage_url(subscription)),
            _LEAVE_STAND_IN: site_address(unsubscribe_url(subscription)),
        }
        text, html = self.text, self.html
        for stand_in, link in links.items():
            # Signed tokens hold only URL-safe characters: the same in text and HTML.
            text, html = text.replace(stand_in, link), html.replace(stand_in, link)
        return outbox.Email(
            recipient=subscription.email,
            key=self.key,
            kind=self.kind,
            subject=self.subject,
            text=text,
            html=html,
            headers=_headers(subscription, listed=True),
        )


def _confirmation(subscription, day):
    confirm_link = site_address(
        reverse("chantiers:follow_confirm", args=[confirm_token(subscription)])
    )
    return _email(
        subscription,
        key=f"follow-confirm:{subscription.pk}:{day}",
        kind="confirmation d'abonnement",
        subject="Confirmez votre abonnement aux nouvelles du projet de territoire",
        template="chantiers/emails/follow_confirm.txt",
        context={"confirm_url": confirm_link, "days": settings.PORTAL_FOLLOW_CONFIRM_DAYS},
        listed=False,
    )


def _already_following(subscription, day):
    return _email(
        subscription,
        key=f"follow-already:{subscription.pk}:{day}",
        kind="abonnement déjà confirmé",
        subject="Vous suivez déjà le projet de territoire",
        template="chantiers/emails/follow_already.txt",
        context={},
        listed=False,
    )


# ---- News ----


def notify_followers(
    *,
    kind,
    item_key,
    subject,
    lines,
    url,
    chantiers=(),
    chantier=None,
    excluding=(),
    now=None,
):
    """Tell the followers of `chantiers` (or of `chantier`) a piece of news of `kind` (a
    key of FOLLOW_KINDS). Called by services and the admin's save_model, in their
    transaction. `item_key` names the news: told once, however often this is called.
    `url` is the path of its page: stored so, and made absolute on the site's address
    (PORTAL_SITE_URL) each time an email is written.

    Followers « à chaque nouveauté » get an email each now (streamed, never all held in
    memory), but for the addresses (lower case) `excluding`, told otherwise; weekly ones
    read it in Monday's digest. Returns how many emails were queued.
    """
    now = now or timezone.now()
    chantiers = [chantier] if chantier is not None else list(chantiers)
    with transaction.atomic():
        event, created = FollowEvent.objects.get_or_create(
            item_key=item_key[:150],
            defaults={
                "kind": kind,
                "subject": subject[:250],
                "text": "\n".join(lines),
                "url": url,
                "created_at": now,
            },
        )
        if not created:
            return 0
        event.chantiers.set(chantiers)
        followers = (
            Subscription.objects.following(chantiers, kind)
            .filter(rhythm=Rhythm.IMMEDIATE)
            .only("pk", "email", "secret")
            .order_by("pk")
        )
        if excluding:
            followers = followers.alias(address=Lower("email")).exclude(
                address__in=sorted(excluding)
            )
        email = _SameNewsForEach(
            key=f"news:{event.item_key}",
            kind=f"nouvelle : {kind}",
            subject=event.subject,
            template="chantiers/emails/follow_news.txt",
            context={"events": [event]},
        )
        count = outbox.queue(
            email.email_for(subscription) for subscription in followers.iterator(chunk_size=1000)
        )
        outbox.wake_worker()
    return count


def digest_monday(now):
    """The Monday (Europe/Paris) of the week `now` is in."""
    today = timezone.localdate(now)
    return today - timedelta(days=today.weekday())


def queue_weekly_digests(*, now=None):
    """Queue the digest of each weekly follower for whom something is new: the news of the
    seven days before this Monday, 00:00 (Europe/Paris). No email when nothing is new; one
    per address and week however often this runs. Returns how many were queued."""
    now = now or timezone.now()
    monday = digest_monday(now)
    end = timezone.make_aware(datetime.combine(monday, time.min))
    events = list(
        FollowEvent.objects.filter(created_at__gte=end - timedelta(days=7), created_at__lt=end)
        .prefetch_related("chantiers")
        .order_by("created_at", "pk")
    )
    if not events:
        return 0
    for event in events:
        event.chantier_ids = {chantier.pk for chantier in event.chantiers.all()}
    followers = (
        Subscription.objects.confirmed()
        .filter(rhythm=Rhythm.WEEKLY)
        .prefetch_related("chantiers")
        .order_by("pk")
    )

    def digests():
        for subscription in followers.iterator(chunk_size=500):
            kinds = set(subscription.kinds())
            followed = {chantier.pk for chantier in subscription.chantiers.all()}
            news = [
                event
                for event in events
                if event.kind in kinds
                and (
                    subscription.all_chantiers
                    or not event.chantier_ids
                    or event.chantier_ids & followed
                )
            ]
            if news:
                yield _email(
                    subscription,
                    key=f"digest:{monday.isoformat()}",
                    kind="lettre hebdomadaire",
                    subject=(
                        "Les nouvelles du projet de territoire, semaine du "
                        f"{_day(monday - timedelta(days=7))}"
                    ),
                    template="chantiers/emails/follow_news.txt",
                    context={"events": news, "digest": True},
                )

    with transaction.atomic():
        count = outbox.queue(digests())
        outbox.wake_worker()
    return count


def _day(day):
    return date_format(day, "j F Y")


def purge_events(*, before):
    return FollowEvent.objects.filter(created_at__lt=before).delete()[0]
