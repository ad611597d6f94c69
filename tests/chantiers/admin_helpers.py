"""Form data for the admin pages of meetings and actions, as a browser would send it."""

from django.utils import timezone

ATTACHMENTS_EMPTY = {
    "attachments-TOTAL_FORMS": "0",
    "attachments-INITIAL_FORMS": "0",
    "attachments-MIN_NUM_FORMS": "0",
    "attachments-MAX_NUM_FORMS": "1000",
}
# The registrations inline of an intersession (read-only, but its formset is posted).
REGISTRATIONS_EMPTY = {
    "registrations-TOTAL_FORMS": "0",
    "registrations-INITIAL_FORMS": "0",
    "registrations-MIN_NUM_FORMS": "0",
    "registrations-MAX_NUM_FORMS": "1000",
}

# The points d'étape written from the meeting's page (none by default).
POINTS_ETAPE_EMPTY = {
    "points_etape-TOTAL_FORMS": "0",
    "points_etape-INITIAL_FORMS": "0",
    "points_etape-MIN_NUM_FORMS": "0",
    "points_etape-MAX_NUM_FORMS": "1000",
}

# The points d'étape of an action's own page (none by default).
POINTS_EMPTY = {
    "points-TOTAL_FORMS": "0",
    "points-INITIAL_FORMS": "0",
    "points-MIN_NUM_FORMS": "0",
    "points-MAX_NUM_FORMS": "1000",
}


def new_rows(prefix, *rows):
    """New rows of an inline formset (points_etape on a meeting's page, points on an
    action's), each a dict of its fields, as the browser sends them after « Ajouter »."""
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows))}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def action_change_data(action, **fields):
    """The change form of an existing action, as loaded, with some fields changed."""
    data = {
        "chantier": action.chantier_id,
        "title": action.title,
        "description": action.description,
        "status": action.status,
        "abandon_reason": action.abandon_reason,
        "progress": "" if action.progress is None else action.progress,
        "starts_on": action.starts_on.strftime("%d/%m/%Y") if action.starts_on else "",
        "planned_end_on": (
            action.planned_end_on.strftime("%d/%m/%Y") if action.planned_end_on else ""
        ),
        **POINTS_EMPTY,
    }
    data.update(fields)
    return data


def split(moment):
    local = timezone.localtime(moment)
    return local.strftime("%d/%m/%Y"), local.strftime("%H:%M")


def meeting_data(starts_at, ends_at, **fields):
    start_date, start_time = split(starts_at)
    end_date, end_time = split(ends_at)
    data = {
        "title": "Intersession de l'écosystème",
        "slug": "",
        "status": "prevue",
        "starts_at_0": start_date,
        "starts_at_1": start_time,
        "ends_at_0": end_date,
        "ends_at_1": end_time,
        "place_name": "Salle des fêtes",
        "place_commune": "Figeac",
        "place_address": "",
        "agenda": "- Accueil\n- Ateliers",
        "minutes": "",
        "participants_count": "",
        "capacity": "",
        "attendance_mode": "sur_place",
        "video_url": "",
        "step_free_access": "unknown",
        "hearing_loop": "unknown",
        "accessibility_notes": "",
        **ATTACHMENTS_EMPTY,
        **REGISTRATIONS_EMPTY,
        **POINTS_ETAPE_EMPTY,
    }
    data.update(fields)
    return data


def meeting_change_data(meeting, **fields):
    """The change form of an existing meeting, as loaded, with some fields changed."""
    data = meeting_data(
        meeting.starts_at,
        meeting.ends_at,
        title=meeting.title,
        status=meeting.status,
        place_name=meeting.place_name,
        place_commune=meeting.place_commune,
        place_address=meeting.place_address,
        agenda=meeting.agenda,
        minutes=meeting.minutes,
        participants_count=meeting.participants_count or "",
        attendance_mode=meeting.attendance_mode,
        video_url=meeting.video_url,
        accessibility_notes=meeting.accessibility_notes,
    )
    for name in ("step_free_access", "hearing_loop"):
        value = getattr(meeting, name)
        data[name] = "unknown" if value is None else str(value).lower()
    if meeting.video_url_public:
        data["video_url_public"] = "on"
    if meeting.rescheduled_to_id:
        data["rescheduled_to"] = str(meeting.rescheduled_to_id)
    data.pop("slug")
    if meeting.chantier_id:
        data["chantier"] = str(meeting.chantier_id)
    data.update(fields)
    return data
