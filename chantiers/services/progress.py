"""Writes of the journal: a point d'étape is saved and its news applied to its action here,
whoever writes it (the admin, a meeting's inline, the demo, a command).

Whatever must follow a new point d'étape hooks into `save_point_etape`, the one place
every point d'étape goes through: its action takes the new status, and the followers of
the chantier are told (in the same transaction, through the outbox).
"""

from datetime import date

from django.db import transaction

from chantiers import news
from chantiers.models import Action, Meeting, PointEtape


def save_point_etape(
    *,
    point: PointEtape,
    tell_followers: bool = True,
) -> PointEtape:
    """Validate and save `point` (new or edited), then give its action the new status and
    progress it carries. Raises ValidationError (nothing saved) on bad input.

    A new point d'étape is news for the followers of its chantier (told once; an edit is
    not news again). tell_followers=False for the demo, which must email no one."""
    point.full_clean()
    is_new = point._state.adding
    with transaction.atomic():
        point.save()
        apply_point_etape(point=point)
        if is_new and tell_followers:
            news.point_etape_added(point=point)
    return point


def apply_point_etape(*, point: PointEtape) -> Action:
    """Give the action the status and progress the point d'étape announces, if any: saved
    through the model, so the action's history says when it changed."""
    action = point.action
    changed = []
    if point.new_status and point.new_status != action.status:
        action.status = point.new_status
        changed.append("status")
    if point.new_progress is not None and point.new_progress != action.progress:
        action.progress = point.new_progress
        changed.append("progress")
    if changed:
        # An abandonment announced by a point d'étape gives its reason: the point's title.
        if action.is_abandoned and not action.abandon_reason:
            action.abandon_reason = point.text or point.title
            changed.append("abandon_reason")
        action.full_clean(validate_unique=False, validate_constraints=False)
        action.save(update_fields=[*changed, "updated_at"])
    return action


def record_point_etape(
    *,
    action: Action,
    on: date,
    title: str,
    text: str = "",
    new_status: str = "",
    new_progress: int | None = None,
    meeting: Meeting | None = None,
    is_demo: bool = False,
    tell_followers: bool = True,
) -> PointEtape:
    """A new point d'étape in the action's journal (see save_point_etape)."""
    point = PointEtape(
        action=action,
        date=on,
        title=title,
        text=text,
        new_status=new_status,
        new_progress=new_progress,
        meeting=meeting,
        is_demo=is_demo,
    )
    return save_point_etape(point=point, tell_followers=tell_followers)
