"""Who may send a worker interviewed the passages about their practice, and see and record
their comments (stage 5).

The comments are the worker's agency's and the author's only: the agency's own leads (who
alone know the worker's name) pass them on and record the answer; the author sends them and
reads the answer. The board manager, the chair, the panel and other agencies' leads do not see
them."""

from django.utils import timezone

from agencies.models import User
from reviews.models import PractitionerComment, Review
from reviews.permissions.panel import is_current_author
from reviews.permissions.review import is_agency_lead_in, is_agency_lead_of, open_review_only


@open_review_only
def can_send_practitioner_comments(user: User, review: Review) -> bool:
    """The review's current author, while the overview report is being written."""
    return review.stage == Review.Stage.OVERVIEW and is_current_author(user, review)


def can_view_practitioner_comments(user: User, review: Review) -> bool:
    """The author (every worker's) and the leads of agencies in the review (their own
    workers') see the list of what was sent."""
    return is_current_author(user, review) or is_agency_lead_in(user, review)


def can_view_practitioner_comment(user: User, comment: PractitionerComment) -> bool:
    """The leads of the worker's agency and the review's author."""
    return is_agency_lead_of(user, comment.agency_id) or is_current_author(user, comment.review)


@open_review_only
def can_record_practitioner_comments(user: User, comment: PractitionerComment) -> bool:
    """The leads of the worker's agency record what the worker said, until it is recorded."""
    return comment.is_open and is_agency_lead_of(user, comment.agency_id)


@open_review_only
def can_record_no_practitioner_comments(user: User, comment: PractitionerComment) -> bool:
    """Once the date has passed with nothing, the agency's leads or the author record that no
    comments came."""
    past = comment.due_on < timezone.localdate()
    return comment.is_open and past and can_view_practitioner_comment(user, comment)
