"""The review and its lifecycle records; a package because the lifecycle has many parts."""

from reviews.models.clock import ClockEvent, Deadline, Notification, Reminder
from reviews.models.panel import (
    AuthorAppointment,
    PanelMeeting,
    PanelMember,
    TermsOfReference,
)
from reviews.models.review import (
    AccessLog,
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
    "AuthorAppointment",
    "ClockEvent",
    "Deadline",
    "Notification",
    "PanelMeeting",
    "PanelMember",
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
