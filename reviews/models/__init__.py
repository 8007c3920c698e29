"""The review and its lifecycle records; a package because the lifecycle has many parts."""

from reviews.models.actions import Action, ActionUpdate
from reviews.models.clock import ClockEvent, Deadline, Notification, Reminder
from reviews.models.overview import CommentRound, DraftComment, OverviewDraft, Recommendation
from reviews.models.panel import (
    AuthorAppointment,
    PanelMeeting,
    PanelMember,
    TermsOfReference,
)
from reviews.models.review import (
    AccessLog,
    RapidReview,
    ReferenceCounter,
    Review,
    ReviewGroupObjectPermission,
    ReviewUserObjectPermission,
    StageTransition,
    SubjectIdentity,
    ThresholdDecision,
)

__all__ = [
    "AccessLog",
    "Action",
    "ActionUpdate",
    "AuthorAppointment",
    "ClockEvent",
    "CommentRound",
    "Deadline",
    "DraftComment",
    "Notification",
    "OverviewDraft",
    "PanelMeeting",
    "PanelMember",
    "RapidReview",
    "Recommendation",
    "ReferenceCounter",
    "Reminder",
    "Review",
    "ReviewGroupObjectPermission",
    "ReviewUserObjectPermission",
    "StageTransition",
    "SubjectIdentity",
    "TermsOfReference",
    "ThresholdDecision",
]
