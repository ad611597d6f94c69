"""The accessibility app's admin, by subject: audits and their grid, schémas and plans,
visitors' reports, the RGAA versions."""

from accessibilite.admin import audits, plans, referentiel, reports  # noqa: F401
