"""Public pages of the démarche: chantiers, team, agenda and their calendars, and the
participation: « Nous rejoindre » and « Je participe » to an intersession."""

from chantiers.views.agenda import agenda, agenda_ics, meeting_detail, meeting_ics
from chantiers.views.chantiers import chantier_detail, chantier_ics, chantier_list, team
from chantiers.views.participation import (
    join,
    join_done,
    meeting_register,
    registration_cancel,
    registration_done,
)
from chantiers.views.progress import action_detail, progress_overview

__all__ = [
    "action_detail",
    "progress_overview",
    "agenda",
    "agenda_ics",
    "chantier_detail",
    "chantier_ics",
    "chantier_list",
    "join",
    "join_done",
    "meeting_detail",
    "meeting_ics",
    "meeting_register",
    "registration_cancel",
    "registration_done",
    "team",
]
