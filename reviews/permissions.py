"""Who may do what to a review. Each predicate checks global OR object permission itself,
because Django's ModelBackend ignores global permissions when an object is passed."""

from agencies.models import User
from reviews.models import Action, AuthorAppointment, ReportRequest, Review


def _has(user: User, perm: str, obj=None) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return user.has_perm(perm) or (obj is not None and user.has_perm(perm, obj))


def can_view_all_reviews(user: User) -> bool:
    """Board managers and chairs see every review."""
    return _has(user, "reviews.view_review")


def can_view_review(user: User, review: Review) -> bool:
    """Whether the user may open the review at all."""
    return _has(user, "reviews.view_review", review)


def can_record_referral(user: User) -> bool:
    """Board managers record referrals."""
    return _has(user, "reviews.add_review")


def can_record_decision(user: User, review: Review) -> bool:
    """Only a chair records the threshold decision, only while the review awaits one, and only
    after its rapid review if its type has one (needs ``rapid_review`` joined)."""
    return (
        review.stage == Review.Stage.REFERRAL
        and not review.needs_rapid_review
        and _has(user, "reviews.record_decision", review)
    )


def can_record_notification(user: User, review: Review) -> bool:
    """Board managers record when the national bodies were told of the incident, once."""
    return (
        review.profile.notify_national_bodies_working_days is not None
        and review.national_bodies_notified_on is None
        and review.stage != Review.Stage.CLOSED
        and _has(user, "reviews.add_review")
    )


def can_record_rapid_review(user: User, review: Review) -> bool:
    """Board managers record the rapid review of a review that needs one before its decision
    (needs ``rapid_review`` joined)."""
    return (
        review.stage == Review.Stage.REFERRAL
        and review.needs_rapid_review
        and _has(user, "reviews.add_review")
    )


def can_view_subject_identity(user: User, review: Review) -> bool:
    """The subject's real identity is for board managers and chairs only."""
    return _has(user, "reviews.view_subject_identity", review)


def can_view_panel(user: User, review: Review) -> bool:
    """Board managers, chairs, seated members and the author see the panel and its papers."""
    return _has(user, "reviews.view_panel", review)


def can_manage_panel(user: User, review: Review) -> bool:
    """Board managers seat members, set terms of reference and record meetings, while the
    review has a panel (needs ``decision`` joined)."""
    return review.has_panel and _has(user, "reviews.manage_panel", review)


def can_appoint_author(user: User, review: Review) -> bool:
    """The chair appoints the overview author while the review has a panel."""
    return review.has_panel and _has(user, "reviews.appoint_author", review)


def can_request_reports(user: User, review: Review) -> bool:
    """The board manager asks for management reports once the panel has convened."""
    return review.stage == Review.Stage.PANEL and can_manage_panel(user, review)


def can_work_on_report(user: User, report: ReportRequest) -> bool:
    """Only the agency's own leads work on its report."""
    return is_agency_lead_of(user, report.agency_id)


def can_decide_report(user: User, report: ReportRequest) -> bool:
    """The panel and the author accept or return a submitted report."""
    return report.status == ReportRequest.Status.SUBMITTED and can_view_panel(user, report.review)


def can_excuse_report(user: User, report: ReportRequest) -> bool:
    """The board manager may excuse an agency whose report is still open."""
    still_open = report.status not in (ReportRequest.Status.ACCEPTED, ReportRequest.Status.EXCUSED)
    return still_open and _has(user, "reviews.manage_panel", report.review)


def can_see_every_deadline(user: User) -> bool:
    """Board managers track every deadline."""
    return _has(user, "reviews.manage_panel")


def can_manage_clock(user: User) -> bool:
    """Board managers move, waive and stop the clock, with reasons."""
    return _has(user, "reviews.manage_panel")


def is_current_author(user: User, review: Review) -> bool:
    """Whether the user is the review's appointed overview author now."""
    return (
        user.is_authenticated
        and user.is_active
        and AuthorAppointment.objects.filter(
            review=review, person=user, ended_at__isnull=True
        ).exists()
    )


def can_draft_overview(user: User, review: Review) -> bool:
    """The author (or the board manager for them) uploads drafts, sends them for comments and
    writes the recommendations, at the overview stage."""
    return review.stage == Review.Stage.OVERVIEW and (
        _has(user, "reviews.manage_panel", review) or is_current_author(user, review)
    )


def can_finalise_overview(user: User, review: Review) -> bool:
    """The board manager records that the panel agreed the final report."""
    return review.stage == Review.Stage.OVERVIEW and _has(user, "reviews.manage_panel", review)


def is_agency_lead_of(user: User, agency_id: int) -> bool:
    """Whether the user leads for that agency (its leads group, and it is their agency)."""
    return (
        user.is_authenticated
        and user.is_active
        and user.agency_id == agency_id
        and user.groups.filter(agency__pk=agency_id).exists()
    )


def can_manage_actions(user: User, review: Review) -> bool:
    """The board manager adds actions, moves their targets and agrees the plan."""
    return review.stage in (Review.Stage.ACTION_PLAN, Review.Stage.PUBLICATION) and _has(
        user, "reviews.manage_panel", review
    )


def can_update_action(user: User, action: Action) -> bool:
    """The owning agency's lead, or the board manager, records progress on an open action."""
    return action.status != Action.Status.COMPLETE and (
        _has(user, "reviews.manage_panel", action.review)
        or is_agency_lead_of(user, action.agency_id)
    )
