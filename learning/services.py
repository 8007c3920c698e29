"""Writes of a review's lessons, its learning brief and the log of where its learning was
shared. Every write takes the review's lock; those of lessons and the brief refuse a closed
review there, while the log goes on after closing (the board's work, like the action log)."""

import uuid
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, User
from learning.models import Dissemination, LearningBrief, Lesson
from learning.permissions import report_agreed
from publication.anonymise import version_hits
from publication.checks import worker_names
from publication.models import PseudonymEntry, Theme
from reviews.models import Recommendation, Review, StageTransition
from reviews.selectors.overview import agreed_overview_version
from reviews.services.review import repeated_submission, review_lock, timeline_event_record
from scr.richtext import plain_text
from scr.versions import check_unchanged

NOT_AGREED = "The review's report is not agreed yet: its lessons come from the agreed report"


def _agreed_review(review: Review, *, closed_ok: bool = False) -> Review:
    """The review locked, refused unless its report is agreed (and, unless ``closed_ok``,
    while it is closed)."""
    locked = review_lock(review, closed_ok=closed_ok)
    if not report_agreed(locked):
        raise ValidationError(NOT_AGREED)
    return locked


def _tag(lesson: Lesson, themes: Iterable[Theme], agencies: Iterable[Agency]) -> None:
    lesson.themes.set(list(themes))
    lesson.agencies.set(list(agencies))


@transaction.atomic
def lesson_add(
    *,
    review: Review,
    actor: User,
    title: str,
    text: str,
    themes: Iterable[Theme] = (),
    agencies: Iterable[Agency] = (),
    submission: uuid.UUID | None = None,
) -> Lesson:
    """Add a lesson to the review, tagged by theme and agency; ValidationError unless its
    report is agreed or while it is closed. A repeated submission returns the first lesson."""
    review = _agreed_review(review)
    earlier = repeated_submission(Lesson, submission)
    if earlier is not None:
        return earlier
    lesson = Lesson(
        review=review,
        kind=Lesson.Kind.LESSON,
        title=title,
        text=text,
        created_by=actor,
        submission=submission,
    )
    lesson._history_user, lesson._change_reason = actor, "added"
    lesson.save()
    _tag(lesson, themes, agencies)
    timeline_event_record(
        review=review,
        kind=StageTransition.Kind.OVERVIEW,
        actor=actor,
        summary=f"Lesson added to the lessons library: {title}"[:300],
    )
    return lesson


@transaction.atomic
def lesson_change(
    *,
    lesson: Lesson,
    actor: User,
    title: str,
    text: str,
    themes: Iterable[Theme] = (),
    agencies: Iterable[Agency] = (),
    version: int | None = None,
) -> Lesson:
    """Change a lesson's words and tags; ValidationError if it changed since the person read
    ``version``, or while the review is closed."""
    _agreed_review(lesson.review)
    lesson = Lesson.objects.select_for_update().get(pk=lesson.pk)
    check_unchanged(lesson, version, what="The lesson")
    lesson.title, lesson.text = title, text
    lesson._history_user, lesson._change_reason = actor, "changed"
    lesson.save()
    _tag(lesson, themes, agencies)
    return lesson


@transaction.atomic
def recommendation_tag(
    *,
    recommendation: Recommendation,
    actor: User,
    themes: Iterable[Theme] = (),
    agencies: Iterable[Agency] = (),
    version: int | None = None,
) -> Lesson:
    """Tag an agreed recommendation by theme and agency, through its lesson (made the first
    time, holding the recommendation's words); ValidationError for a removed recommendation,
    if its lesson changed since the person read ``version``, or while the review is closed."""
    _agreed_review(recommendation.review)
    if recommendation.removed_at is not None:
        raise ValidationError("This recommendation was removed from the report")
    lesson = Lesson.objects.select_for_update().filter(recommendation=recommendation).first()
    check_unchanged(lesson, version, what="The recommendation's tags")
    if lesson is None:
        lesson = Lesson(
            review=recommendation.review,
            kind=Lesson.Kind.RECOMMENDATION,
            recommendation=recommendation,
            created_by=actor,
        )
        reason = "tagged"
    else:
        reason = "tags changed"
    lesson.title = f"Recommendation {recommendation.number}"
    lesson.text = recommendation.text
    lesson._history_user, lesson._change_reason = actor, reason
    lesson.save()
    _tag(lesson, themes, agencies)
    return lesson


def _bullets(texts: Iterable[str]) -> str:
    return "\n".join(f"- {' '.join(text.split())}" for text in texts if text.strip())


def _drafted_sections(review: Review) -> dict[str, str]:
    """The sections the review's lessons fill: what we learned (its lessons), what to do
    differently (its recommendations) and, from the agreed report, the background."""
    lessons = review.lessons.order_by("id")
    learned = [f"{lesson.title}: {lesson.text}" for lesson in lessons if lesson.kind == "lesson"]
    recommendations = Recommendation.objects.filter(
        review=review, removed_at__isnull=True
    ).order_by("number")
    agreed = agreed_overview_version(review)
    summary = ""
    if agreed is not None:
        html = {section.key: section.html for section in agreed.sections.all()}
        summary = plain_text(html.get("executive_summary", "")).strip()
    return {
        "background": summary,
        "what_we_learned": _bullets(learned),
        "what_to_do": _bullets(r.text for r in recommendations),
    }


@transaction.atomic
def brief_draft(*, review: Review, actor: User, version: int | None = None) -> LearningBrief:
    """Draft the review's learning brief from its lessons: a new brief gets its background from
    the agreed report's summary, what we learned from the lessons and what to do differently
    from the recommendations; an existing one has those sections filled again (its others
    kept) and returns to draft. ValidationError if it changed since the person read
    ``version``, or while the review is closed."""
    review = _agreed_review(review)
    brief = LearningBrief.objects.select_for_update().filter(review=review).first()
    check_unchanged(brief, version, what="The learning brief")
    drafted = _drafted_sections(review)
    if brief is None:
        brief = LearningBrief(
            review=review,
            title=f"Learning brief: {review.subject_reference or review.reference}",
            created_by=actor,
        )
        reason = "drafted from the lessons"
    else:
        drafted = {key: text for key, text in drafted.items() if text or key != "background"}
        reason = "drafted again from the lessons"
    for key, text in drafted.items():
        setattr(brief, key, text)
    brief.status, brief.approved_at, brief.approved_by = LearningBrief.Status.DRAFT, None, None
    brief._history_user, brief._change_reason = actor, reason
    brief.save()
    timeline_event_record(
        review=review,
        kind=StageTransition.Kind.PUBLICATION,
        actor=actor,
        summary="Learning brief drafted from the lessons",
    )
    return brief


@transaction.atomic
def brief_edit(
    *,
    brief: LearningBrief,
    actor: User,
    title: str,
    audience: str,
    version: int | None = None,
    **sections: str,
) -> LearningBrief:
    """Save the brief's title, audience and sections; an approved brief returns to draft (to be
    approved again). ValidationError if it changed since the person read ``version``, or while
    the review is closed."""
    unknown = set(sections) - {name for name, _ in LearningBrief.SECTIONS}
    if unknown:
        raise ValueError(f"Not a section of the brief: {sorted(unknown)}")
    _agreed_review(brief.review)
    brief = LearningBrief.objects.select_for_update().get(pk=brief.pk)
    check_unchanged(brief, version, what="The learning brief")
    brief.title, brief.audience = title, audience
    for name, text in sections.items():
        setattr(brief, name, text)
    brief.status, brief.approved_at, brief.approved_by = LearningBrief.Status.DRAFT, None, None
    brief._history_user, brief._change_reason = actor, "edited"
    brief.save()
    return brief


def brief_text(brief: LearningBrief) -> str:
    """What a reader of the brief reads, as plain text: its title and each section."""
    parts = [brief.title, *(f"{label}\n{text}" for _, label, text in brief.sections if text)]
    return "\n\n".join(parts)


def brief_identifier_hits(brief: LearningBrief) -> list[str]:
    """Where the brief names someone the review's pseudonym map or its workers' names hold:
    each hit as the words around it, the name masked."""
    review = brief.review
    entries = list(PseudonymEntry.objects.filter(review=review))
    hits = version_hits(brief_text(brief), entries, worker_names(review=review))
    return [f"…{hit.before}{hit.matched}{hit.after}…".replace("\n", " ") for hit in hits]


@transaction.atomic
def brief_approve(
    *, brief: LearningBrief, actor: User, version: int | None = None
) -> LearningBrief:
    """Approve the brief. One for the public site must name nobody the identifier check finds
    (the pseudonym map's real values, the workers' names): ValidationError listing the hits.
    ValidationError too for a brief already approved, changed since the person read
    ``version``, or while the review is closed."""
    review = _agreed_review(brief.review)
    brief = LearningBrief.objects.select_for_update().get(pk=brief.pk)
    check_unchanged(brief, version, what="The learning brief")
    brief.check_transition(LearningBrief.Status.APPROVED)
    if brief.is_public:
        hits = brief_identifier_hits(brief)
        if hits:
            raise ValidationError(
                [
                    f"The brief names someone the identifier check finds ({len(hits)} "
                    "place(s)): replace each with its pseudonym, then approve it",
                    *hits,
                ],
                code="identifiers",
            )
    brief.status = LearningBrief.Status.APPROVED
    brief.approved_at, brief.approved_by = timezone.now(), actor
    brief._history_user, brief._change_reason = actor, "approved"
    brief.save()
    timeline_event_record(
        review=review,
        kind=StageTransition.Kind.PUBLICATION,
        actor=actor,
        summary=f"Learning brief approved ({brief.get_audience_display().lower()})",
    )
    return brief


@transaction.atomic
def dissemination_record(
    *,
    review: Review,
    actor: User,
    what: str,
    event: str,
    shared_on: date,
    practitioners_reached: int,
    agency: Agency | None = None,
    evidence: str = "",
    submission: uuid.UUID | None = None,
) -> Dissemination:
    """Record where the review's brief or report was shared, with whom and with what effect;
    goes on after the review is closed. ValidationError unless its report is agreed, or for a
    date in the future. A repeated submission returns the first record."""
    review = _agreed_review(review, closed_ok=True)
    earlier = repeated_submission(Dissemination, submission)
    if earlier is not None:
        return earlier
    if shared_on > timezone.localdate():
        raise ValidationError({"shared_on": "The date it was shared must be today or in the past"})
    record = Dissemination(
        review=review,
        what=what,
        agency=agency,
        event=event,
        shared_on=shared_on,
        practitioners_reached=practitioners_reached,
        evidence=evidence,
        recorded_by=actor,
        submission=submission,
    )
    record._history_user, record._change_reason = actor, "recorded"
    record.save()
    timeline_event_record(
        review=review,
        kind=StageTransition.Kind.PUBLICATION,
        actor=actor,
        summary=f"Learning shared: {record.get_what_display()} at {event}"[:300],
        occurred_on=shared_on,
        agency=agency,
    )
    return record
