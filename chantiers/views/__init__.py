"""Public pages of the démarche: chantiers, team, agenda and their calendars, and the
participation: « Nous rejoindre », « Je participe » to an intersession, and « Suivre »."""

from chantiers.views.agenda import agenda, agenda_ics, agenda_json, meeting_detail, meeting_ics
from chantiers.views.chantiers import chantier_detail, chantier_ics, chantier_list, team
from chantiers.views.following import (
    follow,
    follow_confirm,
    follow_done,
    follow_left,
    follow_manage,
    follow_unsubscribe,
)
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
    "agenda_json",
    "chantier_detail",
    "chantier_ics",
    "chantier_list",
    "follow",
    "follow_confirm",
    "follow_done",
    "follow_left",
    "follow_manage",
    "follow_unsubscribe",
    "join",
    "join_done",
    "meeting_detail",
    "meeting_ics",
    "meeting_register",
    "registration_cancel",
    "registration_done",
    "team",
]
