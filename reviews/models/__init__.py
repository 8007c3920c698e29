"""The review and its lifecycle records; a package because the lifecycle has many parts."""

from reviews.models.panel import (
    AuthorAppointment,
    PanelMeeting,
    PanelMember,
    TermsOfReference,
)
from reviews.models.review import (
    AccessLog,
    Deadline,
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
    "Deadline",
    "PanelMeeting",
    "PanelMember",
    "ReferenceCounter",
    "Review",
    "ReviewGroupObjectPermission",
    "ReviewUserObjectPermission",
    "StageTransition",
    "SubjectIdentity",
    "TermsOfReference",
    "ThresholdDecision",
]
