"""The démarche: chantiers, their ecosystems of actors, the project team, meetings
(Sessions and Intersessions), the timeline and participation, one module per subject."""

from chantiers.models.chantiers import Chantier, ChantierQuerySet, ChantierStatus
from chantiers.models.ecosystem import (
    Actor,
    ActorKind,
    EcosystemMembership,
    MembershipRole,
    Partner,
    PartnerKind,
    TeamMember,
)
from chantiers.models.following import (
    FOLLOW_KINDS,
    FollowEvent,
    Rhythm,
    Subscription,
    SubscriptionQuerySet,
)
from chantiers.models.meetings import (
    Intersession,
    IntersessionManager,
    Meeting,
    MeetingAttachment,
    MeetingKind,
    MeetingQuerySet,
    MeetingStatus,
    RegistrationState,
    Session,
    SessionManager,
    next_occurrence,
    unique_meeting_slug,
)
from chantiers.models.participation import (
    JoinRequest,
    JoinRequestQuerySet,
    JoinRequestStatus,
    Participation,
    PersonalDataQuerySet,
    Registration,
    RegistrationQuerySet,
    new_cancel_token,
)
from chantiers.models.timeline import Phase

__all__ = [
    "FOLLOW_KINDS",
    "FollowEvent",
    "Rhythm",
    "Subscription",
    "SubscriptionQuerySet",
    "Actor",
    "ActorKind",
    "Chantier",
    "ChantierQuerySet",
    "ChantierStatus",
    "EcosystemMembership",
    "Intersession",
    "IntersessionManager",
    "JoinRequest",
    "JoinRequestQuerySet",
    "JoinRequestStatus",
    "Meeting",
    "MeetingAttachment",
    "MeetingKind",
    "MeetingQuerySet",
    "MeetingStatus",
    "MembershipRole",
    "Participation",
    "Partner",
    "PartnerKind",
    "PersonalDataQuerySet",
    "Phase",
    "Registration",
    "RegistrationQuerySet",
    "RegistrationState",
    "Session",
    "SessionManager",
    "TeamMember",
    "new_cancel_token",
    "next_occurrence",
    "unique_meeting_slug",
]
