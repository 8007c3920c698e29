"""The door to each kind of object in a review, written once.

A door finds the object within the review the person may see, asks the predicate, writes the
access log (allowed or refused) and answers 404 or 403. Views call only these; none works out
who may see what itself.

- 404: the review is not one the person may see, or the object is not in it (existence is not
  confirmed).
- 403: the person is part of the review, but not of this part of it, or may not do this here.

A review asked for by the reference it had before its decision gave it its type's (see
reviews/frameworks.py) raises ReviewMoved, to a person who may see it: ``ReviewMovedMiddleware``
sends them to the same page under the new reference. Anyone else gets the 404 as before.

Every door takes ``may``: the predicate of what the view is about to do (see it, change it),
called with the person and the object once found. Without one, the door asks only whether the
person may see the object.
"""

import uuid
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from agencies.models import User
from agencies.permissions import object_permissions
from reviews.models import (
    Action,
    ChronologyEntry,
    OverviewVersion,
    ParallelProcess,
    PractitionerComment,
    ReferralDraft,
    ReportRequest,
    Review,
)
from reviews.permissions.actions import can_view_action_plan
from reviews.permissions.chronology import can_view_combined_chronology
from reviews.permissions.overview import can_read_report_text, can_view_overview
from reviews.permissions.panel import can_view_panel, is_current_author
from reviews.permissions.parallel import can_view_parallel
from reviews.permissions.practitioners import can_view_practitioner_comment
from reviews.permissions.referral import can_record_referral
from reviews.permissions.reports import (
    can_read_report_papers,
    can_view_report,
    can_work_on_report,
)
from reviews.permissions.review import (
    can_view_review,
    is_agency_lead_of,
    lead_agencies_in,
    leads_own_agency,
)
from reviews.selectors.actions import action_get, action_plan_agency_of
from reviews.selectors.chronology import combined_chronology_entry_get
from reviews.selectors.overview_text import overview_versions_get
from reviews.selectors.panel import review_get_for_panel
from reviews.selectors.parallel import parallel_process_get
from reviews.selectors.practitioners import practitioner_comment_get
from reviews.selectors.referral import referral_draft_get
from reviews.selectors.reports import report_get, report_of_agency_lead
from reviews.selectors.review import review_get_for_detail, review_moved_to
from reviews.services.review import access_log_record

Predicate = Callable[[Any, Any], bool]
Found = TypeVar("Found")


class SignedInRequest(HttpRequest):
    """What a door is given: every view behind one requires sign-in, so ``user`` is a person."""

    user: User


class ReviewMoved(Exception):
    """The review asked for by its former reference (``old``) is now ``new``."""

    def __init__(self, old: str, new: str):
        super().__init__(f"{old} is now {new}")
        self.old, self.new = old, new


class ReportDoor(NamedTuple):
    review: Review
    report: ReportRequest
    own: bool  # the person leads for the report's agency


class OverviewDoor(NamedTuple):
    review: Review
    own_report: ReportRequest | None  # an agency lead's own report in the review
    panel: bool  # the person sees the panel's papers


class PractitionerDoor(NamedTuple):
    review: Review
    comment: PractitionerComment
    own: bool  # the person leads for the worker's agency (and so may see the worker's name)


class PlanDoor(NamedTuple):
    review: Review
    agency_id: int | None  # the only agency whose actions the person sees; None: every agency


def _log(request: SignedInRequest, kind: str, ref: str, allowed: bool, action: str) -> None:
    access_log_record(
        request=request, object_type=kind, object_ref=ref, allowed=allowed, action=action
    )


def _not_found(request: SignedInRequest, kind: str, ref: str, action: str = "view") -> Http404:
    _log(request, kind, ref, False, action)
    return Http404(f"No such {kind.replace('_', ' ')}")


def _review_not_found(
    request: SignedInRequest, kind: str, reference: str, action: str = "view"
) -> Exception:
    """ReviewMoved if the person may see a review that had this reference, else a logged 404."""
    new = review_moved_to(user=request.user, reference=reference)
    if new is not None:
        return ReviewMoved(reference, new)
    return _not_found(request, kind, reference, action)


def _decide(
    request: SignedInRequest, kind: str, ref: str, allowed: bool, action: str = "view"
) -> None:
    _log(request, kind, ref, allowed, action)
    if not allowed:
        raise PermissionDenied


def review_viewer_load(user: User, review: Review) -> None:
    """Ask at once, for every reader, what the predicates ask of them in the review: their
    permissions on it, whether they lead for their agency and for an agency in it, whether they
    are its author. The request keeps the answers (agencies.permissions), so each later
    predicate is free, and the review's page costs the same queries whatever the reader's role
    (other pages ask only what they need, lazily)."""
    object_permissions(user).get_perms(review)
    leads_own_agency(user)
    lead_agencies_in(user, review)
    is_current_author(user, review)


def _review(request: SignedInRequest, reference: str, kind: str, action: str = "view") -> Review:
    review = review_get_for_detail(user=request.user, reference=reference)
    if review is None:
        raise _review_not_found(request, kind, reference, action)
    return review


def review_door(
    request: SignedInRequest,
    reference: str,
    *,
    may: Predicate = can_view_review,
    kind: str = "review",
) -> Review:
    """The review, if the person may see it (404) and ``may`` allows (403); logged as ``kind``."""
    review = _review(request, reference, kind)
    _decide(request, kind, reference, may(request.user, review))
    return review


def part_door(request: SignedInRequest, found: Found | None, *, kind: str, ref: str) -> Found:
    """A part of a review opened through its door (a family member, a meeting), as its app
    found it (None: not in that review): the look logged as ``kind``, 404 if not found."""
    if found is None:
        raise _not_found(request, kind, ref)
    _log(request, kind, ref, True, "view")
    return found


def panel_door(
    request: SignedInRequest, reference: str, *, may: Predicate = can_view_panel
) -> Review:
    """The review with its panel, terms and meetings joined; 404 outside it, 403 unless ``may``."""
    review = review_get_for_panel(user=request.user, reference=reference)
    if review is None:
        raise _review_not_found(request, "panel", reference)
    _decide(request, "panel", reference, may(request.user, review))
    return review


def report_door(
    request: SignedInRequest,
    reference: str,
    pk: int,
    *,
    papers: bool = False,
    may: Predicate | None = None,
    action: str = "view",
) -> ReportDoor:
    """An agency's management report: 404 outside the review, 403 for another agency's report
    or unless ``may``. With ``papers`` (its chronology, its interviews), a report not yet
    submitted is its agency's own: 404 for anyone else. ``action`` is what the access log
    records (a look, a download, an export)."""
    ref = f"{reference}/{pk}"
    review = _review(request, reference, "report", action)
    report = report_get(review=review, pk=pk)
    if report is None:
        raise _not_found(request, "report", ref, action)
    if not can_view_report(request.user, report):
        _decide(request, "report", ref, False, action)
    if papers and not can_read_report_papers(request.user, report):
        raise _not_found(request, "report", ref, action)
    _decide(request, "report", ref, may is None or may(request.user, report), action)
    return ReportDoor(review, report, can_work_on_report(request.user, report))


def overview_door(
    request: SignedInRequest,
    reference: str,
    *,
    may: Predicate | None = None,
    action: str = "view",
) -> OverviewDoor:
    """The review's overview report: 404 outside the review; 403 before stage 5, for a lead
    whose agency reports to it on nothing, or unless ``may``."""
    review = _review(request, reference, "overview", action)
    allowed = can_view_overview(request.user, review) and (may is None or may(request.user, review))
    _decide(request, "overview", reference, allowed, action)
    own_report = report_of_agency_lead(user=request.user, review=review)
    return OverviewDoor(review, own_report, can_view_panel(request.user, review))


def overview_text_door(
    request: SignedInRequest, reference: str, *, may: Predicate | None = None
) -> Review:
    """The versions of the overview report's text: as ``overview_door``, and 403 for anyone
    who may not read them (agency leads) or unless ``may``."""

    def allowed(user: User, review: Review) -> bool:
        return can_read_report_text(user, review) and (may is None or may(user, review))

    return overview_door(request, reference, may=allowed).review


def overview_versions_door(
    request: SignedInRequest, reference: str, numbers: list[int], *, review: Review | None = None
) -> tuple[Review, list[OverviewVersion]]:
    """Versions of the report's text, with their sections, in the order asked: through
    ``overview_text_door`` (unless ``review`` came through it already), 404 for a number the
    review has no version of; each look logged."""
    review = review or overview_text_door(request, reference)
    found = overview_versions_get(review=review, numbers=numbers)
    for number in numbers:
        ref = f"{reference}/text/{number}"
        if number not in found:
            raise _not_found(request, "overview_version", ref)
        _log(request, "overview_version", ref, True, "view")
    return review, [found[number] for number in numbers]


def plan_door(
    request: SignedInRequest, reference: str, *, may: Predicate | None = None
) -> PlanDoor:
    """The review's action plan: 404 outside the review; 403 before stage 6, for a lead whose
    agency is not in it, or unless ``may``."""
    review = _review(request, reference, "action_plan")
    allowed = can_view_action_plan(request.user, review) and (
        may is None or may(request.user, review)
    )
    _decide(request, "action_plan", reference, allowed)
    return PlanDoor(review, action_plan_agency_of(request.user, review))


def action_door(
    request: SignedInRequest, reference: str, pk: int, *, may: Predicate | None = None
) -> tuple[Review, Action]:
    """One action of the plan: 404 outside the review or the plan; 403 for another agency's
    action or unless ``may``."""
    review, agency_id = plan_door(request, reference)
    action = action_get(review=review, pk=pk)
    ref = f"{reference}/actions/{pk}"
    if action is None:
        raise _not_found(request, "action", ref)
    own_or_all = agency_id is None or action.agency_id == agency_id
    _decide(request, "action", ref, own_or_all and (may is None or may(request.user, action)))
    return review, action


def referral_draft_door(request: SignedInRequest, pk: uuid.UUID) -> ReferralDraft:
    """A referral being recorded: 403 for anyone who may not record referrals, 404 for a draft
    that is not the person's own (it holds names); logged."""
    ref = f"draft/{pk}"
    if not can_record_referral(request.user):
        _decide(request, "referral_draft", ref, False)
    draft = referral_draft_get(user=request.user, pk=pk)
    if draft is None:
        raise _not_found(request, "referral_draft", ref)
    _log(request, "referral_draft", ref, True, "view")
    return draft


def combined_chronology_door(
    request: SignedInRequest,
    reference: str,
    *,
    may: Predicate = can_view_combined_chronology,
    action: str = "view",
) -> Review:
    """The review's combined chronology: 404 outside the review; 403 for agency leads (it holds
    every agency's entries) or unless ``may``. ``action`` is what the access log records."""
    review = _review(request, reference, "combined_chronology", action)
    allowed = can_view_combined_chronology(request.user, review) and may(request.user, review)
    _decide(request, "combined_chronology", reference, allowed, action)
    return review


def combined_entry_door(
    request: SignedInRequest, reference: str, pk: int, *, may: Predicate
) -> tuple[Review, ChronologyEntry]:
    """One entry of the combined chronology, for ``may`` (marking it): 404 outside the review
    or its accepted chronologies, 403 unless ``may``."""
    review = combined_chronology_door(request, reference, may=may, action="change")
    entry = combined_chronology_entry_get(review=review, pk=pk)
    if entry is None:
        raise _not_found(request, "chronology_entry", f"{reference}/{pk}", "change")
    return review, entry


def practitioner_comment_door(
    request: SignedInRequest, reference: str, pk: int, *, may: Predicate | None = None
) -> PractitionerDoor:
    """What the author sent a worker interviewed, and their answer: 404 outside the review, and
    for a lead of another agency (who must not learn that another agency's worker was sent
    anything); 403 for anyone else but the worker's agency's leads and the author, or unless
    ``may``."""
    ref = f"{reference}/practitioners/{pk}"
    review = _review(request, reference, "practitioner_comment")
    comment = practitioner_comment_get(review=review, pk=pk)
    if comment is None:
        raise _not_found(request, "practitioner_comment", ref)
    if not can_view_practitioner_comment(request.user, comment):
        if report_of_agency_lead(user=request.user, review=review) is not None:
            raise _not_found(request, "practitioner_comment", ref)
        _decide(request, "practitioner_comment", ref, False)
    allowed = may is None or may(request.user, comment)
    _decide(request, "practitioner_comment", ref, allowed)
    own = is_agency_lead_of(request.user, comment.agency_id)
    return PractitionerDoor(review, comment, own)


def parallel_door(
    request: SignedInRequest, reference: str, *, may: Predicate = can_view_parallel
) -> Review:
    """The review's parallel processes: 404 outside the review; 403 for those who may not see
    them (agency leads) or unless ``may``."""
    return review_door(request, reference, may=may, kind="parallel")


def parallel_process_door(
    request: SignedInRequest, reference: str, pk: int, *, may: Predicate = can_view_parallel
) -> tuple[Review, ParallelProcess]:
    """One parallel process of the review: as ``parallel_door``, and 404 for one not in it."""
    review = parallel_door(request, reference, may=may)
    process = parallel_process_get(review=review, pk=pk)
    found = part_door(request, process, kind="parallel_process", ref=f"{reference}/{pk}")
    return review, found
