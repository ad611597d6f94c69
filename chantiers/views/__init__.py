"""Public pages of the démarche: chantiers, team, agenda and their calendars, and the
participation: « Nous rejoindre » and « Je participe » to an intersession."""

from chantiers.views.agenda import agenda, agenda_ics, agenda_json, meeting_detail, meeting_ics
from chantiers.views.chantiers import chantier_detail, chantier_ics, chantier_list, team
from chantiers.views.participation import (
    join,
    join_done,
    meeting_register,
    registration_cancel,
    registration_done,
)

__all__ = [
    "agenda",
    "agenda_ics",
    "agenda_json",
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
