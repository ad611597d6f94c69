"""« Mon espace »: what a signed-in team member or élu comes for."""

from axes.helpers import get_cool_off, get_failure_limit
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from chantiers.models import Action, Meeting, MeetingStatus, TeamMember
from core import roles
from diagnostic.models import Document
from diagnostic.report.builds import recent_periods

# How many meetings « Mon espace » lists in each part; the admin lists them all.
UPCOMING_SHOWN = 8
PAST_MEETINGS_SHOWN = 10
# The last periods of the rapport d'avancement asked for, offered again in one click.
REPORT_PERIODS_SHOWN = 5


def _coordinated_meetings(chantiers, now):
    """The next meetings of these chantiers (one more than shown, to know if there are
    more), and past ones, not cancelled, still without minutes."""
    if not chantiers:
        return [], []
    meetings = (
        Meeting.objects.filter(Q(chantier__in=chantiers) | Q(chantiers__in=chantiers))
        .distinct()
        .with_related()
    )
    upcoming = list(meetings.upcoming(now=now)[: UPCOMING_SHOWN + 1])
    missing_minutes = list(
        meetings.past(now=now)
        .filter(minutes="")
        .exclude(status=MeetingStatus.CANCELLED)[:PAST_MEETINGS_SHOWN]
    )
    return upcoming, missing_minutes


@require_safe
@login_required
def dashboard(request):
    user = request.user
    group_names = roles.group_names(user)
    team_member = (
        TeamMember.objects.filter(user=user).prefetch_related("coordinated_chantiers").first()
    )
    chantiers = list(team_member.coordinated_chantiers.all()) if team_member else []
    is_team = bool(
        {roles.TEAM, roles.ADMINISTRATION} & group_names or team_member or user.is_superuser
    )
    upcoming, missing_minutes = _coordinated_meetings(chantiers, timezone.now())
    # The actions they pilot that are late or without news for three months.
    actions_needing_news = (
        list(
            Action.objects.piloted_by(team_member)
            .needing_news()
            .with_lateness()
            .select_related("chantier")
            .in_order()
        )
        if team_member
        else []
    )
    is_elu = roles.is_elu(user)
    elu_documents = list(Document.objects.for_elected_officials()) if is_elu else []
    report_periods = recent_periods(REPORT_PERIODS_SHOWN) if is_team or is_elu else []
    return render(
        request,
        "accounts/dashboard.html",
        {
            "is_team": is_team,
            "is_elu": is_elu,
            "elu_documents": elu_documents,
            "report_periods": report_periods,
            "team_member": team_member,
            "chantiers": chantiers,
            "upcoming": upcoming[:UPCOMING_SHOWN],
            "more_upcoming": len(upcoming) > UPCOMING_SHOWN,
            "missing_minutes": missing_minutes,
            "actions_needing_news": actions_needing_news,
            "can_open_admin": user.is_active and user.is_staff,
        },
    )


def locked_out(request, original_response=None, credentials=None):
    """The page django-axes shows once an account is locked out from an address."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else 0
    return render(
        request,
        "accounts/lockout.html",
        {"failure_limit": get_failure_limit(request, credentials), "cooloff_minutes": minutes},
        status=429,
    )


@require_POST
def sign_out(request):
    logout(request)
    messages.success(request, "Vous êtes déconnecté·e. À bientôt\u00a0!")
    return redirect("home")
