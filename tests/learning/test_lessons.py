"""A review's lessons: tagged recommendations and lessons the board manager adds (suggested
from the agreed report), who sees and changes them, and their history."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from learning.models import Lesson
from learning.selectors import lesson_suggestions
from learning.services import lesson_add, lesson_change, recommendation_tag
from reviews.builders import review_at
from reviews.models import StageTransition
from reviews.services.closing import review_withdraw
from scr.versions import version_of
from tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db


def _theme(name):
    return ThemeFactory(name=name)


def test_the_board_manager_adds_a_tagged_lesson_kept_in_history_and_on_the_timeline(
    built, cast, health
):
    lesson = lesson_add(
        review=built.review,
        actor=cast.manager,
        title="Share within a week",
        text="Agencies should share what they know within a week.",
        themes=[_theme("Information sharing")],
        agencies=[health],
    )
    assert lesson.kind == Lesson.Kind.LESSON
    assert [t.name for t in lesson.themes.all()] == ["Information sharing"]
    assert list(lesson.agencies.all()) == [health]
    assert {row.history_user for row in lesson.history.all()} == {cast.manager}
    assert built.review.transitions.filter(
        kind=StageTransition.Kind.OVERVIEW, summary__contains="Share within a week"
    ).exists()
    # The report's suggestion is now held by a lesson: no longer suggested.
    assert lesson_suggestions(review=built.review) == []


def test_a_repeated_submission_adds_one_lesson(built, cast):
    submission = uuid.uuid4()
    for _ in range(2):
        lesson_add(
            review=built.review, actor=cast.manager, title="T", text="X", submission=submission
        )
    assert built.review.lessons.count() == 1


def test_no_lesson_before_the_report_is_agreed(cast, health):
    at_overview = review_at("overview", cast=cast, agencies_in_scope=[health]).review
    with pytest.raises(ValidationError, match="not agreed"):
        lesson_add(review=at_overview, actor=cast.manager, title="T", text="X")


def test_a_closed_review_takes_no_new_lesson(built, cast):
    review_withdraw(review=built.review, actor=cast.manager, reason="Withdrawn for the test.")
    with pytest.raises(ValidationError, match="closed"):
        lesson_add(review=built.review, actor=cast.manager, title="T", text="X")


def test_a_change_over_a_newer_one_is_refused(built, cast):
    lesson = lesson_add(review=built.review, actor=cast.manager, title="T", text="X")
    seen = version_of(lesson)
    lesson_change(lesson=lesson, actor=cast.manager, title="T2", text="X", version=seen)
    with pytest.raises(ValidationError, match="changed by"):
        lesson_change(lesson=lesson, actor=cast.manager, title="T3", text="X", version=seen)
    lesson.refresh_from_db()
    assert lesson.title == "T2"


def test_tagging_a_recommendation_makes_its_lesson_once(built, cast, health):
    (recommendation,) = built.recommendations
    recommendation_tag(
        recommendation=recommendation, actor=cast.manager, themes=[_theme("Neglect")]
    )
    lesson = recommendation_tag(
        recommendation=recommendation,
        actor=cast.manager,
        themes=[_theme("Escalation")],
        agencies=[health],
    )
    assert lesson.kind == Lesson.Kind.RECOMMENDATION
    assert lesson.text == recommendation.text
    assert [t.name for t in lesson.themes.all()] == ["Escalation"]
    assert Lesson.objects.filter(recommendation=recommendation).count() == 1
    reasons = {row.history_change_reason for row in lesson.history.all()}
    assert reasons == {"tagged", "tags changed"}


def test_the_lessons_page_for_each_person(client, built, cast):
    url = reverse("lessons:list", args=[built.review.reference])
    (lead,) = cast.leads.values()
    expected = {cast.manager: 200, cast.chair: 200, cast.author: 200, cast.panel[0]: 200}
    expected[lead] = 403
    for person, status in expected.items():
        client.force_login(person)
        assert client.get(url).status_code == status, person
    client.force_login(cast.manager)
    page = client.get(url).content.decode()
    assert "Agencies should share what they know within a week." in page
    assert reverse("lessons:add", args=[built.review.reference]) in page
    client.force_login(cast.chair)
    assert (
        reverse("lessons:add", args=[built.review.reference])
        not in client.get(url).content.decode()
    )


def test_adding_a_lesson_from_a_suggestion_and_bad_input(client, built, cast):
    client.force_login(cast.manager)
    url = reverse("lessons:add", args=[built.review.reference])
    prefilled = client.get(url, {"suggestion": 0}).content.decode()
    assert "Agencies should share what they know within a week." in prefilled
    response = client.post(url, {"title": "", "text": ""})
    assert response.status_code == 200
    assert "Enter the lesson&#x27;s title" in response.content.decode()
    assert not built.review.lessons.exists()
    neglect = _theme("Neglect")
    response = client.post(
        url, {"title": "Look again", "text": "Ask twice.", "themes": [neglect.pk]}
    )
    assert response.status_code == 302
    assert built.review.lessons.get().themes.get() == neglect


def test_only_the_board_manager_tags_a_recommendation(client, built, cast):
    url = reverse("lessons:recommendation", args=[built.review.reference, 1])
    client.force_login(cast.chair)
    assert client.post(url, {"themes": [_theme("Neglect").pk]}).status_code == 403
    assert not Lesson.objects.exists()
    client.force_login(cast.manager)
    assert client.post(url, {"themes": [_theme("Neglect").pk]}).status_code == 302
    assert Lesson.objects.get().kind == Lesson.Kind.RECOMMENDATION


def test_the_review_page_lists_the_lessons_and_brief_for_those_who_read_them(client, built, cast):
    lessons_url = reverse("lessons:list", args=[built.review.reference])
    brief_url = reverse("lessons:brief", args=[built.review.reference])
    client.force_login(cast.panel[0])
    page = client.get(built.review.get_absolute_url()).content.decode()
    assert lessons_url in page
    assert brief_url in page
    (lead,) = cast.leads.values()
    client.force_login(lead)
    page = client.get(built.review.get_absolute_url()).content.decode()
    assert lessons_url not in page
