"""{% action_list %}, {% journal_list %} and {% progress_bar %} write what their includes
(chantiers/includes/action_list.html, journal_list.html, progress_bar.html) write, to the
character, in every case those templates tell apart; {% member_items %} what the chantier
page's loop over its ecosystem's members wrote."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import timezone

from chantiers.models import (
    ActionStatus,
    EcosystemMembership,
    MembershipRole,
    PointEtape,
    ProgressSummary,
)
from chantiers.templatetags.ecosystem import member_items
from chantiers.templatetags.progress_lists import action_list, journal_list, progress_bar
from tests.chantiers.factories import ActionFactory, PointEtapeFactory
from tests.factories import ActorFactory, ChantierFactory, MeetingFactory, MembershipFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _actions():
    chantier = ChantierFactory(title="Épargne <locale> & « circuits »", demo_title="Démo")
    actions = [
        ActionFactory(chantier=chantier, title="Fermes <ouvertes> & co", progress=40),
        ActionFactory(chantier=chantier, status=ActionStatus.DONE, is_demo=True),
        ActionFactory(chantier=chantier, progress=None, planned_end_on=TODAY() - timedelta(days=3)),
        ActionFactory(chantier=chantier, progress=0, planned_end_on=None),
        ActionFactory(chantier=chantier, progress=None, planned_end_on=None, is_demo=True),
        ActionFactory(
            chantier=chantier, status=ActionStatus.ABANDONED, abandon_reason="Faute de moyens"
        ),
        ActionFactory(
            chantier=chantier,
            status=ActionStatus.PLANNED,
            planned_end_on=TODAY().replace(day=1),
            slug="l-action",
        ),
    ]
    for action in actions:
        action.url = action.get_absolute_url()
    return actions


def test_action_list_is_written_as_the_template_writes_it():
    actions = _actions()
    for nested in (False, True):
        for shown in (actions, actions[:1], []):
            context = {"actions": shown, "nested": nested}
            expected = render_to_string("chantiers/includes/action_list.html", context)
            assert str(action_list(shown, nested=nested)) == expected


def test_journal_list_is_written_as_the_template_writes_it():
    actions = _actions()
    meeting = MeetingFactory(title="Intersession <de> mars")
    PointEtapeFactory(action=actions[0], title="Six <fermes>", text="Du **gras**.")
    PointEtapeFactory(
        action=actions[0], new_status=ActionStatus.DONE, new_progress=100, meeting=meeting
    )
    PointEtapeFactory(action=actions[1], text="", new_progress=0, is_demo=True)
    PointEtapeFactory(action=actions[2], new_status=ActionStatus.IN_PROGRESS)
    PointEtapeFactory(action=actions[3], meeting=meeting, date=TODAY().replace(day=1))
    points = list(PointEtape.objects.select_related("action__chantier", "meeting"))
    for point in points:
        point.action.url = point.action.get_absolute_url()
    options = [
        {},
        {"show_action": True, "show_chantier": True, "short": False},
        {"show_action": True, "show_chantier": True, "short": True, "heading": "h4"},
        {"show_action": True, "hide_meeting": True, "heading": "h4"},
    ]
    for option in options:
        for shown in (points, []):
            expected = render_to_string(
                "chantiers/includes/journal_list.html", {"points": shown, **option}
            )
            assert str(journal_list(shown, **option)) == expected, option


def test_progress_bar_is_written_as_the_template_writes_it():
    summaries = [ProgressSummary(), ProgressSummary.of_actions(_actions())]
    summaries[0].add(ActionStatus.ABANDONED, 2, 0, 0)  # nothing counted: no bar
    for summary in summaries:
        for bar_id in ("avancement-chantier", "avancement-<x>&"):
            context = {"summary": summary, "bar_id": bar_id}
            expected = render_to_string("chantiers/includes/progress_bar.html", context)
            assert str(progress_bar(summary, bar_id)) == expected
    assert "<progress" in str(progress_bar(summaries[1], "x"))


# The loop chantiers/chantier_detail.html had before {% member_items %}.
MEMBER_LOOP = (
    "{% for membership in members %}{% with actor=membership.actor %}\n"
    "        <li>{{ actor.name }}{% if actor.organisation %}, {{ actor.organisation }}{% endif %}"
    '{% if actor.commune %} <span class="meta">({{ actor.commune }})</span>{% endif %}'
    '{% if membership.role != "membre" %} – <em>{{ membership.get_role_display|lower }}</em>'
    "{% endif %}{% if actor.is_demo or membership.is_demo %} "
    '{% include "chantiers/includes/demo_badge.html" %}{% endif %}</li>\n'
    "        {% endwith %}{% endfor %}"
)


def test_member_items_are_written_as_the_loop_wrote_them():
    chantier = ChantierFactory()
    MembershipFactory(chantier=chantier, actor=ActorFactory(name="Ana <B> & co", commune=""))
    MembershipFactory(
        chantier=chantier,
        actor=ActorFactory(organisation="Mairie « de » Figeac", is_demo=True),
        role=MembershipRole.FACILITATION,
    )
    MembershipFactory(chantier=chantier, role=MembershipRole.RESOURCE, is_demo=True)
    members = list(EcosystemMembership.objects.select_related("actor").order_by("pk"))
    for shown in (members, members[1:2], []):
        expected = Template(MEMBER_LOOP).render(Context({"members": shown}))
        assert str(member_items(shown)) == expected
