"""Reads of the lessons library, a review's lessons, its learning brief and where its learning
was shared. The library's scope is worked out in SQL: lessons of reviews whose report is on the
public site for every signed-in person, and the others only for those who read the review's
report (the panel's permission, global or on the review)."""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from agencies.models import Agency, User
from agencies.permissions import permitted
from learning.models import Dissemination, LearningBrief, Lesson
from learning.permissions import can_view_lessons, report_agreed
from publication.models import Publication, Theme
from publication.public import publications_listed
from reviews.models import Recommendation, Review
from reviews.permissions.review import can_view_all_reviews, holds
from reviews.selectors.overview import agreed_overview_version
from reviews.selectors.progress import PANEL, ProgressStep
from reviews.selectors.progress import Status as ProgressStatus
from scr.richtext import plain_text

# The expression the PostgreSQL GIN index holds (learning/migrations/0003): the same words, in
# the same order, or the planner cannot use it.
LESSON_SEARCH_VECTOR = SearchVector("title", "text", config="english")

_THEMES = Prefetch("themes", queryset=Theme.objects.order_by("name").only("id", "name"))
_AGENCIES = Prefetch("agencies", queryset=Agency.objects.order_by("name").only("id", "name"))


def _reviews_reading_report(user: User) -> QuerySet[Review] | None:
    """The reviews whose report the user reads (the panel's permission); None: every review."""
    if holds(user, "reviews.view_panel"):
        return None
    return get_objects_for_user(
        user, "reviews.view_panel", klass=Review, accept_global_perms=False
    ).only("pk")


def _reviews_visible(user: User) -> QuerySet[Review] | None:
    """The reviews the user may open; None: every review."""
    if can_view_all_reviews(user):
        return None
    return get_objects_for_user(
        user, "reviews.view_review", klass=Review, accept_global_perms=False
    ).only("pk")


def lesson_search(
    *,
    user: User,
    text: str = "",
    theme: Theme | None = None,
    agency: Agency | None = None,
    framework: str = "",
    year: int | None = None,
) -> QuerySet[Lesson]:
    """Lessons the user may find, newest review first: those of reviews on the public site,
    and those of reviews whose report the user reads. Each carries ``may_open`` (the user may
    open its review) and ``publication_id`` (its report on the public site, if listed).
    ``text`` is a full-text search on PostgreSQL, a plain substring match on SQLite."""
    if not (user.is_authenticated and user.is_active):
        return Lesson.objects.none()
    listed = publications_listed()
    lessons = Lesson.objects.all()
    reading = _reviews_reading_report(user)
    if reading is not None:
        lessons = lessons.filter(
            Q(review__in=listed.values("review_id")) | Q(review__in=reading.values("pk"))
        )
    visible = _reviews_visible(user)
    may_open = Value(True) if visible is None else Exists(visible.filter(pk=OuterRef("review_id")))
    newest = listed.filter(review=OuterRef("review_id")).order_by("-published_at", "-id")
    lessons = lessons.annotate(may_open=may_open, publication_id=Subquery(newest.values("pk")[:1]))
    text = " ".join(text.split())
    if text and connection.vendor == "postgresql":
        query = SearchQuery(text, config="english", search_type="websearch")
        lessons = lessons.annotate(search=LESSON_SEARCH_VECTOR).filter(search=query)
    elif text:
        lessons = lessons.filter(Q(title__icontains=text) | Q(text__icontains=text))
    if theme is not None:
        themed = Lesson.themes.through.objects.filter(theme=theme)
        lessons = lessons.filter(pk__in=themed.values("lesson_id"))
    if agency is not None:
        concerning = Lesson.agencies.through.objects.filter(agency=agency)
        lessons = lessons.filter(pk__in=concerning.values("lesson_id"))
    if framework:
        lessons = lessons.filter(review__framework=framework)
    if year:
        lessons = lessons.filter(created_at__year=year)
    return (
        lessons.select_related("review", "recommendation")
        .prefetch_related(_THEMES, _AGENCIES)
        .order_by("-created_at", "-id")
    )


def lesson_years() -> list[int]:
    """The years in which lessons were recorded, newest first."""
    years = (
        Lesson.objects.annotate(year=ExtractYear("created_at"))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    return list(years)


def lesson_list(*, review: Review) -> QuerySet[Lesson]:
    """The review's lessons the board manager added (not those of recommendations), in order,
    with their themes and agencies."""
    return (
        review.lessons.filter(kind=Lesson.Kind.LESSON)
        .prefetch_related(_THEMES, _AGENCIES)
        .order_by("id")
    )


def lesson_get(*, review: Review, pk: int) -> Lesson | None:
    """One of the review's lessons (not a recommendation's); None if it has none with that id."""
    return lesson_list(review=review).filter(pk=pk).first()


def recommendation_list(*, review: Review) -> QuerySet[Recommendation]:
    """The review's recommendations still in its report, by number, each with its lesson (its
    themes and agencies) if it was tagged."""
    return (
        Recommendation.objects.filter(review=review, removed_at__isnull=True)
        .select_related("lesson")
        .prefetch_related(
            Prefetch("lesson__themes", queryset=Theme.objects.order_by("name")),
            Prefetch("lesson__agencies", queryset=Agency.objects.order_by("name")),
        )
        .order_by("number")
    )


def recommendation_get(*, review: Review, number: int) -> Recommendation | None:
    """One of the review's recommendations still in its report, by number."""
    return recommendation_list(review=review).filter(number=number).first()


def lesson_suggestions(*, review: Review) -> list[str]:
    """The paragraphs of the agreed report's "Lessons" section that no lesson of the review
    holds yet (its text or title), in the report's order: what the board manager may add."""
    if not report_agreed(review):
        return []
    version = agreed_overview_version(review)
    if version is None:
        return []
    html = next((s.html for s in version.sections.all() if s.key == "lessons"), "")
    kept = {
        " ".join(value.split()).casefold()
        for pair in review.lessons.values_list("title", "text")
        for value in pair
    }
    found = []
    for paragraph in plain_text(html).split("\n"):
        paragraph = " ".join(paragraph.split())
        if paragraph and paragraph.casefold() not in kept and paragraph not in found:
            found.append(paragraph)
    return found


def brief_get(*, review: Review) -> LearningBrief | None:
    """The review's learning brief, with who approved it, if one was drafted."""
    return LearningBrief.objects.filter(review=review).select_related("approved_by").first()


@dataclass(frozen=True)
class PublicBrief:
    publication: Publication
    brief: LearningBrief | None  # None: the report was removed from the public site


def public_brief_get(*, publication_pk: int) -> PublicBrief | None:
    """The learning brief published with a report on the public site: approved for the public;
    None if the report was never published or the brief is not public. A removed report's brief
    is found without the brief (the page says it was removed)."""
    publication = (
        Publication.objects.filter(pk=publication_pk, published_at__lte=timezone.now())
        .select_related("review", "version")
        .only("id", "review__reference", "removed_at", "version__title")
        .first()
    )
    if publication is None:
        return None
    brief = LearningBrief.objects.filter(
        review_id=publication.review_id,
        status=LearningBrief.Status.APPROVED,
        audience=LearningBrief.Audience.PUBLIC,
    ).first()
    if brief is None:
        return None
    if publication.removed_at is not None:
        return PublicBrief(publication, None)
    return PublicBrief(publication, brief)


def public_brief_of(publication: Publication) -> LearningBrief | None:
    """The approved public brief of a listed publication's review, if it has one."""
    return LearningBrief.objects.filter(
        review_id=publication.review_id,
        status=LearningBrief.Status.APPROVED,
        audience=LearningBrief.Audience.PUBLIC,
    ).first()


def dissemination_list(*, review: Review | None = None) -> QuerySet[Dissemination]:
    """Where learning was shared, newest first: the review's, or every review's."""
    found = Dissemination.objects.select_related("review", "agency", "recorded_by")
    if review is not None:
        found = found.filter(review=review)
    return found.order_by("-shared_on", "-id")


def learning_steps(review: Review, user: User) -> list[ProgressStep]:
    """The review's lessons and learning brief on its task list, for those who read its
    lessons: how many lessons it holds and where its brief stands, in two queries."""
    allowed = can_view_lessons(user, review)
    count = permitted(review.lessons.all(), allowed=allowed).count()
    briefs = permitted(LearningBrief.objects.filter(review=review), allowed=allowed)
    status = briefs.values_list("status", flat=True).first()
    if not allowed:
        return []
    lessons = ProgressStep(
        "lessons",
        "Lessons",
        ProgressStatus.IN_PROGRESS if count else ProgressStatus.NOT_STARTED,
        f"{count} {'lesson' if count == 1 else 'lessons'}" if count else "No lessons yet",
        reverse("lessons:list", args=[review.reference]),
        PANEL,
    )
    if status is None:
        brief_status, hint = ProgressStatus.NOT_STARTED, "Not drafted yet"
    elif status == LearningBrief.Status.APPROVED:
        brief_status, hint = ProgressStatus.COMPLETED, "Approved"
    else:
        brief_status, hint = ProgressStatus.IN_PROGRESS, "Draft"
    brief = ProgressStep(
        "learning_brief",
        "Learning brief",
        brief_status,
        hint,
        reverse("lessons:brief", args=[review.reference]),
        PANEL,
    )
    return [lessons, brief]
