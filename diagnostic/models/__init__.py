"""Documents and reports, the revenue-flow diagnostic and the Bonheur Local Brut
indicators, one module per subject."""

from diagnostic.models.documents import (
    OFFICE_FORMATS,
    REPORT_KINDS,
    Derogation,
    Document,
    DocumentKind,
    DocumentQuerySet,
    Visibility,
    may_see_reserved,
)
from diagnostic.models.indicators import (
    Axis,
    GlossaryEntry,
    Indicator,
    IndicatorQuerySet,
    IndicatorValue,
)
from diagnostic.models.revenue import (
    BASE_ORDER,
    NATIONAL_REFERENCE,
    NATIONAL_REFERENCE_SOURCE,
    BaseAmount,
    RevenueBase,
    RevenueDiagnostic,
    RevenueDiagnosticQuerySet,
    RevenueItem,
)

__all__ = [
    "BASE_ORDER",
    "NATIONAL_REFERENCE",
    "NATIONAL_REFERENCE_SOURCE",
    "OFFICE_FORMATS",
    "REPORT_KINDS",
    "Axis",
    "BaseAmount",
    "Derogation",
    "Document",
    "DocumentKind",
    "DocumentQuerySet",
    "GlossaryEntry",
    "Indicator",
    "IndicatorQuerySet",
    "IndicatorValue",
    "RevenueBase",
    "RevenueDiagnostic",
    "RevenueDiagnosticQuerySet",
    "RevenueItem",
    "Visibility",
    "may_see_reserved",
]
