from accessibilite.models.audits import (
    Audit,
    AuditEnvironment,
    Impact,
    Result,
    SamplePage,
    validate_page_address,
)
from accessibilite.models.plans import AccessibilityPlan, PlanKind
from accessibilite.models.referentiel import (
    Criterion,
    CriterionTest,
    GlossaryEntry,
    RgaaVersion,
    Theme,
)
from accessibilite.models.reports import ANSWER_WITHIN, AccessibilityReport

__all__ = [
    "ANSWER_WITHIN",
    "AccessibilityPlan",
    "AccessibilityReport",
    "Audit",
    "AuditEnvironment",
    "Criterion",
    "CriterionTest",
    "GlossaryEntry",
    "Impact",
    "PlanKind",
    "Result",
    "RgaaVersion",
    "SamplePage",
    "Theme",
    "validate_page_address",
]
