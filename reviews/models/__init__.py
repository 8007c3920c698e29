"""The review and its lifecycle records; a package because the lifecycle has many parts."""

from reviews.models.actions import Action, ActionUpdate
from reviews.models.chronology import ChronologyEntry, ChronologyImport, KeyEpisode
from reviews.models.clock import ClockEvent, Deadline, Notification, Reminder
from reviews.models.handoffs import DeliveryPreference
from reviews.models.interviews import Interview
from reviews.models.overview import (
    CommentRound,
    DraftComment,
    OverviewAgreement,
    OverviewDraft,
    OverviewSection,
    OverviewVersion,
    Recommendation,
)
from reviews.models.panel import (
    AuthorAppointment,
    PanelMeeting,
    PanelMember,
    TermsOfReference,
)
from reviews.models.parallel import ParallelProcess
from reviews.models.practitioners import PractitionerComment
from reviews.models.referral import (
    RapidReview,
    ReferralAgencyContact,
    ReferralDraft,
    ReferralFamilyMember,
    RelatedPerson,
    SubjectIdentity,
    ThresholdDecision,
)
from reviews.models.reports import ReportRequest, ReportVersion
from reviews.models.review import (
    AccessChange,
    AccessLog,
    ReferenceCounter,
    Review,
    ReviewGroupObjectPermission,
    ReviewUserObjectPermission,
    StageTransition,
)

__all__ = [
    "AccessChange",
    "AccessLog",
    "Action",
    "ActionUpdate",
    "AuthorAppointment",
    "ChronologyEntry",
    "ChronologyImport",
    "ClockEvent",
    "CommentRound",
    "Deadline",
    "DeliveryPreference",
    "DraftComment",
    "Interview",
    "KeyEpisode",
    "Notification",
    "OverviewAgreement",
    "OverviewDraft",
    "OverviewSection",
    "OverviewVersion",
    "PanelMeeting",
    "PanelMember",
    "ParallelProcess",
    "PractitionerComment",
    "RapidReview",
    "Recommendation",
    "ReferenceCounter",
    "ReferralAgencyContact",
    "ReferralDraft",
    "ReferralFamilyMember",
    "RelatedPerson",
    "Reminder",
    "ReportRequest",
    "ReportVersion",
    "Review",
    "ReviewGroupObjectPermission",
    "ReviewUserObjectPermission",
    "StageTransition",
    "SubjectIdentity",
    "TermsOfReference",
    "ThresholdDecision",
]
