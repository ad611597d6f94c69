"""Following chantiers by email, without an account: the subscriptions (personal data:
an address, confirmed by a signed link) and the news they receive."""

import secrets

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from chantiers.models.chantiers import Chantier
from core.seo import site_address


class Rhythm(models.TextChoices):
    IMMEDIATE = "immediat", "À chaque nouveauté"
    WEEKLY = "hebdo", "Une fois par semaine (le lundi matin)"


# What a follower may choose to receive: kind → (the subscription's field, its label).
# A new kind of news is a new field here and a call to chantiers.following.notify_followers.
FOLLOW_KINDS = {
    "meetings": ("wants_meetings", "Les nouvelles réunions et leurs changements"),
    "minutes": ("wants_minutes", "Les comptes rendus, dès leur publication"),
    "progress": ("wants_progress", "Les points d'étape des actions"),
    "documents": ("wants_documents", "Les nouveaux documents publics"),
}


def new_subscription_secret():
    return secrets.token_urlsafe(18)


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed_since(self, moment):
        return self.filter(confirmed_at__isnull=True, requested_at__lt=moment)

    def following(self, chantiers, kind):
        """Confirmed subscriptions that want `kind` news of one of `chantiers` (or of
        every chantier). Each appears once: a subquery, not a join that repeats rows."""
        field, _ = FOLLOW_KINDS[kind]
        if not chantiers:  # news of the whole démarche: every follower
            return self.confirmed().filter(**{field: True})
        scope = Q(all_chantiers=True)
        if chantiers:
            followers = Subscription.chantiers.through.objects.filter(chantier__in=chantiers)
            scope |= Q(pk__in=followers.values("subscription_id"))
        return self.confirmed().filter(scope, **{field: True})


class Subscription(models.Model):
    """One address following some chantiers (or all of them): what and how often."""

    email = models.EmailField("adresse", max_length=254)
    all_chantiers = models.BooleanField("tous les chantiers", default=False)
    chantiers = models.ManyToManyField(
        Chantier, verbose_name="chantiers suivis", related_name="subscriptions", blank=True
    )
    wants_meetings = models.BooleanField(FOLLOW_KINDS["meetings"][1], default=True)
    wants_minutes = models.BooleanField(FOLLOW_KINDS["minutes"][1], default=True)
    wants_progress = models.BooleanField(FOLLOW_KINDS["progress"][1], default=True)
    wants_documents = models.BooleanField(FOLLOW_KINDS["documents"][1], default=True)
    rhythm = models.CharField("rythme", max_length=10, choices=Rhythm.choices)
    requested_at = models.DateTimeField("demandé le", default=timezone.now)
    confirmed_at = models.DateTimeField("confirmé le", null=True, blank=True, db_index=True)
    # Part of every signed link: a subscription deleted then asked for again gets new links,
    # and the old ones no longer work.
    secret = models.CharField(max_length=32, default=new_subscription_secret, editable=False)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = "abonnement aux nouvelles"
        verbose_name_plural = "abonnements aux nouvelles"
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="one_subscription_per_email"),
        ]

    def __str__(self):
        return self.email

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None

    def kinds(self):
        return [kind for kind, (field, _) in FOLLOW_KINDS.items() if getattr(self, field)]


class FollowEventQuerySet(models.QuerySet):
    def since(self, moment):
        return self.filter(created_at__gte=moment)


class FollowEvent(models.Model):
    """A piece of news told to followers (a meeting created or changed, minutes, a
    document): kept for the weekly digests, then deleted with the send log."""

    # The chantiers it concerns (a session may work on several); none: the whole démarche,
    # told to every follower.
    chantiers = models.ManyToManyField(
        Chantier, verbose_name="chantiers", related_name="follow_events", blank=True
    )
    kind = models.CharField("type", max_length=20)
    item_key = models.CharField("élément", max_length=150, unique=True)
    subject = models.CharField("objet", max_length=250)
    text = models.TextField("texte")
    # The path of its page: its full address is written with each email (link()), on the
    # site's address of that moment.
    url = models.CharField("adresse", max_length=500)
    created_at = models.DateTimeField("le", default=timezone.now, db_index=True)

    objects = FollowEventQuerySet.as_manager()

    class Meta:
        verbose_name = "nouvelle envoyée aux abonnés"
        verbose_name_plural = "nouvelles envoyées aux abonnés"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.subject

    def link(self):
        return site_address(self.url)
