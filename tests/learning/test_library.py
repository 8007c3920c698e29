"""The lessons library: what each person finds (lessons of published reviews for everyone
signed in, others only for those who read the review's report, in SQL), its links, its filters,
its full-text search on PostgreSQL and its plain fallback on SQLite, and flat query counts."""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from learning.models import Lesson
from learning.selectors import LESSON_SEARCH_VECTOR, lesson_search
from learning.services import lesson_add
from reviews.frameworks import Framework
from tests.factories import (
    AgencyFactory,
    LessonFactory,
    PublicationFactory,
    ReviewFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _published_lesson(**kwargs) -> Lesson:
    publication = PublicationFactory()
    return LessonFactory(review=publication.review, **kwargs)


def _titles(lessons) -> set[str]:
    return {lesson.title for lesson in lessons}


def test_each_person_finds_published_lessons_and_those_of_reports_they_read(built, cast):
    published = _published_lesson(title="Published lesson")
    unpublished = lesson_add(
        review=built.review, actor=cast.manager, title="Unpublished lesson", text="Ask twice."
    )
    removed = PublicationFactory(removed=True)
    LessonFactory(review=removed.review, title="Removed report's lesson")
    (lead,) = cast.leads.values()
    outsider = UserFactory(role=Role.PANEL_MEMBER)
    both = {published.title, unpublished.title}
    for person in (cast.manager, cast.chair, cast.author, cast.panel[0]):
        assert both <= _titles(lesson_search(user=person)), person
    # The agency lead sees the review, not its report: its unpublished lessons are not theirs.
    for person in (lead, outsider):
        assert _titles(lesson_search(user=person)) == {published.title}, person


def test_a_result_links_to_its_review_only_for_those_who_may_open_it(client, built, cast):
    published = _published_lesson(title="Published lesson")
    lesson_add(review=built.review, actor=cast.manager, title="Our lesson", text="Ask.")
    outsider = UserFactory(role=Role.PANEL_MEMBER)
    client.force_login(outsider)
    page = client.get(reverse("learning:library")).content.decode()
    assert "Published lesson" in page
    assert published.review.get_absolute_url() not in page
    public_url = reverse("public:detail", args=[published.review.publications.get().pk])
    assert public_url in page
    client.force_login(cast.manager)
    page = client.get(reverse("learning:library")).content.decode()
    assert published.review.get_absolute_url() in page
    assert built.review.get_absolute_url() in page


def test_filters_by_theme_agency_type_and_year(cast):
    neglect, abuse = ThemeFactory(name="Neglect"), ThemeFactory(name="Domestic abuse")
    police = AgencyFactory(name="Northshire Police")
    one = _published_lesson(title="One", themes=[neglect])
    one.agencies.set([police])
    _published_lesson(title="Two", themes=[abuse])
    sar = ReviewFactory(decided=True, framework=Framework.SAR)
    PublicationFactory(version__review=sar)
    LessonFactory(review=sar, title="Three")
    manager = cast.manager
    assert _titles(lesson_search(user=manager, theme=neglect)) == {"One"}
    assert _titles(lesson_search(user=manager, agency=police)) == {"One"}
    assert _titles(lesson_search(user=manager, framework=Framework.SAR)) == {"Three"}
    this_year = timezone.now().year
    assert _titles(lesson_search(user=manager, year=this_year)) == {"One", "Two", "Three"}
    assert _titles(lesson_search(user=manager, year=this_year - 1)) == set()


def test_a_filter_not_in_the_list_is_an_error_not_a_crash(client, cast):
    client.force_login(cast.manager)
    response = client.get(reverse("learning:library"), {"theme": "999999", "year": "1066"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a theme from the list" in page
    assert "Select a year from the list" in page


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite fallback")
def test_on_sqlite_the_search_matches_words_as_written(cast):
    _published_lesson(title="Neglect at home", text="Nobody saw the child.")
    _published_lesson(title="Sharing", text="Agencies did not share information.")
    assert _titles(lesson_search(user=cast.manager, text="neglect")) == {"Neglect at home"}
    assert _titles(lesson_search(user=cast.manager, text="INFORMATION")) == {"Sharing"}
    assert _titles(lesson_search(user=cast.manager, text="neglected")) == set()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL's")
def test_on_postgresql_the_search_is_full_text_and_uses_the_gin_index(cast):
    _published_lesson(title="Neglect at home", text="Nobody saw the child.")
    _published_lesson(title="Sharing", text="Agencies did not share information.")
    assert _titles(lesson_search(user=cast.manager, text="neglected")) == {"Neglect at home"}
    assert _titles(lesson_search(user=cast.manager, text="sharing information")) == {"Sharing"}
    assert _titles(lesson_search(user=cast.manager, text="share -information")) == set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'learning_lesson_search'")
        (definition,) = cursor.fetchone()
        assert "gin" in definition
        cursor.execute("SET LOCAL enable_seqscan = off")
        found = Lesson.objects.annotate(search=LESSON_SEARCH_VECTOR).filter(search="neglect")
        plan = found.explain()
    assert "learning_lesson_search" in plan


@pytest.mark.parametrize("count", [5, 500])
def test_query_counts_stay_flat_from_5_to_500_reviews(
    client, django_assert_max_num_queries, cast, count
):
    themes = [ThemeFactory(name="Neglect"), ThemeFactory(name="Escalation")]
    agency = AgencyFactory()
    for number in range(count):
        lesson = _published_lesson(title=f"Lesson {number}", themes=themes)
        lesson.agencies.set([agency])
    for person in (cast.manager, cast.panel[0]):
        client.force_login(person)
        with django_assert_max_num_queries(14):
            response = client.get(reverse("learning:library"), {"theme": themes[0].pk})
        assert response.status_code == 200
        page = response.content.decode()
        assert page.count('class="app-publication-list__item"') == min(count, 20)
        assert f"{count} lessons match your search" in page
