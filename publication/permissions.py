"""Who may change and approve a review's publication plan. Each predicate checks the global
permission itself (the roles that hold these hold them over every review). Who may see stage 7
at all is the review's rule: ``reviews.permissions.review.can_view_publication``."""

from agencies.models import User
from publication.models import BoardResponse, PublicationPlan
from reviews.models import Review
from reviews.permissions.review import holds, is_agency_lead_in, open_review_only


def _has(user: User, perm: str) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(perm)


@open_review_only
def can_plan_publication(user: User, review: Review) -> bool:
    """The board manager sets the plan and records the notice, at the publication stage."""
    return review.stage == Review.Stage.PUBLICATION and _has(user, "publication.plan_publication")


@open_review_only
def can_approve_publication(user: User, review: Review) -> bool:
    """The chair approves a plan not yet approved."""
    if review.stage != Review.Stage.PUBLICATION or not _has(
        user, "publication.approve_publication"
    ):
        return False
    plan = PublicationPlan.objects.filter(review=review).first()
    return plan is not None and not plan.is_approved


def can_view_pseudonyms(user: User, review: Review) -> bool:
    """The board manager and the chair see a review's pseudonym map and check text against it:
    it holds the subject's, the family's and the workers' real names, which nobody else sees
    together (the author writes with the replacements, which the review already names)."""
    return holds(user, "publication.view_pseudonymentry")


@open_review_only
def can_manage_pseudonyms(user: User, review: Review) -> bool:
    """Only the board manager fills the map and adds, changes and removes its entries."""
    return holds(user, "publication.change_pseudonymentry")


def can_view_publications(user: User) -> bool:
    """The board manager and the chair see what is on the public site, since when, until when,
    and what was removed, by whom and why."""
    return holds(user, "publication.view_publication")


def can_manage_publications(user: User) -> bool:
    """The board manager changes a publication's themes and removes it from the public site."""
    return holds(user, "publication.change_publication")


def can_manage_themes(user: User) -> bool:
    """The board manager adds themes and renames them."""
    return holds(user, "publication.change_theme") and holds(user, "publication.add_theme")


def can_view_publication_version(user: User, review: Review) -> bool:
    """The publication version and its identifier check hold what the map holds (each hit
    beside its real value): the map's predicate, the board manager and the chair."""
    return can_view_pseudonyms(user, review)


@open_review_only
def can_write_publication_version(user: User, review: Review) -> bool:
    """The board manager makes and corrects the publication version, marks hits not identifying
    and publishes, at the publication stage."""
    return review.stage == Review.Stage.PUBLICATION and can_manage_pseudonyms(user, review)


@open_review_only
def can_send_submission_pack(user: User, review: Review) -> bool:
    """The board manager builds a review's submission pack and records it sent."""
    return _has(user, "publication.plan_publication")


RESPONSE_STAGES = (Review.Stage.ACTION_PLAN, Review.Stage.PUBLICATION, Review.Stage.CLOSED)


def _response_agreed(review: Review) -> bool:
    return BoardResponse.objects.filter(review=review, agreed_on__isnull=False).exists()


def can_view_board_response(user: User, review: Review) -> bool:
    """The board manager and the chair read the board's response from the action plan stage
    on, draft or agreed. Once the board agreed it, it is public text: the panel and the author
    (who see the panel's papers) and the leads of the agencies in the review read it too."""
    if review.stage not in RESPONSE_STAGES:
        return False
    if holds(user, "publication.view_boardresponse"):
        return True
    if not (holds(user, "reviews.view_panel", review) or is_agency_lead_in(user, review)):
        return False
    return _response_agreed(review)


@open_review_only
def can_write_board_response(user: User, review: Review) -> bool:
    """The board manager drafts and corrects the response, at the action plan and publication
    stages (the report is agreed), until the board agrees it."""
    return (
        review.stage in (Review.Stage.ACTION_PLAN, Review.Stage.PUBLICATION)
        and holds(user, "publication.change_boardresponse")
        and not _response_agreed(review)
    )


@open_review_only
def can_agree_board_response(user: User, review: Review) -> bool:
    """The board manager records a drafted response agreed at a board meeting."""
    return (
        can_write_board_response(user, review)
        and BoardResponse.objects.filter(review=review).exists()
    )
