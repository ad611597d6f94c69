"""The revenue-flow diagnostic (théorie de la base, Davezies and Talandier)."""

from decimal import Decimal

from django.db import models
from django.db.models import Prefetch, Q

from core.demo import DemoFlag
from core.numbers import share_of_total
from diagnostic.models.documents import Document, DocumentKind


class RevenueBase(models.TextChoices):
    PRODUCTIVE = "productive", "Base productive"
    PUBLIC = "publique", "Base publique"
    SOCIAL = "sociale_sanitaire", "Base sociale et sanitaire"
    RESIDENTIAL = "residentielle", "Base résidentielle"


# National reference averages (FACTS.md): Laurent Davezies, quoted in Sénat report r12-271.
NATIONAL_REFERENCE = {
    RevenueBase.PRODUCTIVE: Decimal("22"),
    RevenueBase.PUBLIC: Decimal("10"),
    RevenueBase.SOCIAL: Decimal("23"),
    RevenueBase.RESIDENTIAL: Decimal("45"),
}
NATIONAL_REFERENCE_SOURCE = (
    "Laurent Davezies, moyennes citées dans le rapport d'information du Sénat r12-271"
)
BASE_ORDER = [
    RevenueBase.PRODUCTIVE,
    RevenueBase.PUBLIC,
    RevenueBase.SOCIAL,
    RevenueBase.RESIDENTIAL,
]


class RevenueDiagnosticQuerySet(models.QuerySet):
    def with_figures(self):
        return self.prefetch_related(
            Prefetch("amounts", queryset=BaseAmount.objects.order_by("base")),
            Prefetch("items", queryset=RevenueItem.objects.order_by("base", "order", "label")),
        ).select_related("document")

    def real(self):
        return self.filter(is_demo=False)

    def in_order(self):
        # Real figures before demo ones, the latest year first.
        return self.order_by("is_demo", "-year")


class RevenueDiagnostic(DemoFlag):
    """The territory's revenues for one year, by economic base."""

    year = models.PositiveSmallIntegerField("année")
    territory = models.CharField(
        "territoire",
        max_length=200,
        default="PETR Figeac Quercy Vallée de la Dordogne",
    )
    source = models.CharField(
        "source principale",
        max_length=300,
        blank=True,
        help_text="Par exemple l'étude ou la base de données d'où viennent les montants.",
    )
    notes = models.TextField("remarques de méthode", blank=True)
    document = models.ForeignKey(
        Document,
        verbose_name="document du diagnostic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="revenue_diagnostics",
        limit_choices_to={"kind": DocumentKind.DIAGNOSTIC},
    )
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    objects = RevenueDiagnosticQuerySet.as_manager()

    class Meta:
        verbose_name = "diagnostic des flux de revenus"
        verbose_name_plural = "diagnostics des flux de revenus"
        ordering = ["is_demo", "-year"]
        constraints = [
            # Demo figures never block the team from entering the real ones for a year.
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(is_demo=False),
                name="one_real_revenue_diagnostic_per_year",
                violation_error_message="Les chiffres de cette année existent déjà.",
            )
        ]

    def __str__(self):
        label = f"Flux de revenus {self.year}"
        return f"{label} (démo)" if self.is_demo else label

    def shares(self):
        """One row per base, in a fixed order: amount, share of the total, national reference.

        Uses the prefetched amounts and items: no query per base.
        """
        amounts = {amount.base: amount for amount in self.amounts.all()}
        items = {}
        for item in self.items.all():
            items.setdefault(item.base, []).append(item)
        total = sum((a.amount for a in amounts.values()), Decimal(0))
        rows = []
        for base in BASE_ORDER:
            amount = amounts.get(base)
            value = amount.amount if amount else None
            rows.append(
                {
                    "base": base,
                    "label": RevenueBase(base).label,
                    "amount": value,
                    "share": share_of_total(value, total),
                    "reference": NATIONAL_REFERENCE[base],
                    "source": amount.source if amount else "",
                    "items": items.get(base, []),
                }
            )
        return rows

    @property
    def total(self):
        return sum((a.amount for a in self.amounts.all()), Decimal(0))


class BaseAmount(DemoFlag):
    diagnostic = models.ForeignKey(
        RevenueDiagnostic, on_delete=models.CASCADE, related_name="amounts"
    )
    base = models.CharField("base", max_length=20, choices=RevenueBase.choices)
    amount = models.DecimalField(
        "montant (euros)", max_digits=15, decimal_places=0, help_text="En euros, sans centimes."
    )
    source = models.CharField("source", max_length=300, blank=True)

    class Meta:
        verbose_name = "montant d'une base"
        verbose_name_plural = "montants par base"
        constraints = [
            models.UniqueConstraint(fields=["diagnostic", "base"], name="one_amount_per_base"),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="base_amount_not_negative",
                violation_error_message="Un montant ne peut pas être négatif.",
            ),
        ]

    def __str__(self):
        return f"{self.get_base_display()} : {self.amount} €"


class RevenueItem(DemoFlag):
    """A detail of a base: pensions, tourist spending, commuters' wages..."""

    diagnostic = models.ForeignKey(
        RevenueDiagnostic, on_delete=models.CASCADE, related_name="items"
    )
    base = models.CharField("base", max_length=20, choices=RevenueBase.choices)
    label = models.CharField("poste", max_length=200)
    amount = models.DecimalField("montant (euros)", max_digits=15, decimal_places=0)
    source = models.CharField("source", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "poste détaillé"
        verbose_name_plural = "postes détaillés"
        ordering = ["base", "order", "label"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="revenue_item_not_negative",
                violation_error_message="Un montant ne peut pas être négatif.",
            ),
        ]

    def __str__(self):
        return self.label
