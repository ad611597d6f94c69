"""The project team's admin: chantiers, ecosystems, Sessions and Intersessions,
participation, one module per subject (importing them registers their admin classes).

Made for keeping meetings up to date: lists by date with filters, a « Dupliquer » action
that prepares the next meeting, Markdown help beside the text areas, the history of
edits, and demonstration content marked as such.
"""

from chantiers.admin import chantiers, ecosystem, following, meetings, participation, progress

__all__ = ["chantiers", "ecosystem", "following", "meetings", "participation", "progress"]
