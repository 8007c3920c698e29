"""The board's count of its quality markers: the stored figures are what the markers say of
every review (read in chunks), the page shows them with when they were counted, and only the
board manager asks for a count again (the chair reads)."""

from collections import Counter
from datetime import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from quality.markers import MARKERS, markers_evaluate
from quality.models import QualityTally, Status
from quality.selectors import quality_board_tally, quality_facts_get
from quality.services import quality_count
from quality.tasks import quality_count_task
from reviews.models import Review
from scr.formats import govuk_datetime
from tests.factories import QualityAnswerFactory, ReviewFactory
from tests.quality.conftest import STAGES, build_at

pytestmark = pytest.mark.django_db

BOARD = reverse("quality:board")
COUNT = reverse("quality:count")


def _by_hand(reviews: list[Review]) -> Counter:
    """Each review's markers evaluated one review at a time, as its own quality page does."""
    return Counter(
        (result.marker.key, result.status)
        for review in reviews
        for result in markers_evaluate(quality_facts_get(review=review))
    )


def test_the_stored_count_is_what_the_markers_say_of_every_review(cast, agencies, monkeypatch):
    reviews = [build_at(stage, cast, agencies).review for stage in STAGES]
    QualityAnswerFactory(review=reviews[2], marker="analysis", status=Status.NOT_MET)
    ReviewFactory(closed=True, closed_how=Review.Closure.DECISION)
    # Chunks smaller than the reviews, so that the count crosses from one chunk to the next.
    monkeypatch.setattr("quality.services.COUNT_CHUNK", 3)
    monkeypatch.setattr("quality.services.BOARD_NAMED", 4)

    assert quality_count() == len(STAGES)

    stored = {(t.marker, t.status): t for t in QualityTally.objects.all()}
    assert len(stored) == len(MARKERS) * len(Status.values)
    assert {key: t.count for key, t in stored.items() if t.count} == dict(_by_hand(reviews))
    by_reference = sorted(reviews, key=lambda r: r.reference)
    for (marker, status), tally in stored.items():
        expected = [
            r.pk
            for r in by_reference
            if any(
                x.marker.key == marker and x.status == status
                for x in markers_evaluate(quality_facts_get(review=r))
            )
        ][:4]
        assert tally.named == expected, (marker, status)


def test_a_count_again_rewrites_the_figures_with_its_time(cast, agencies):
    review = build_at("agency_reports", cast, agencies).review
    quality_count()
    first = QualityTally.objects.get(marker="analysis", status=Status.NOT_YET)
    QualityAnswerFactory(review=review, marker="analysis", status=Status.MET)
    # The figures stand until the next count, which the page says the time of.
    analysis = next(t for t in quality_board_tally().tallies if t.marker.key == "analysis")
    assert (analysis.counts[Status.NOT_YET], analysis.counts[Status.MET]) == (1, 0)
    quality_count()
    assert QualityTally.objects.count() == len(MARKERS) * len(Status.values)
    again = QualityTally.objects.get(marker="analysis", status=Status.NOT_YET)
    assert (first.count, again.count) == (1, 0)
    assert QualityTally.objects.get(marker="analysis", status=Status.MET).named == [review.pk]
    assert again.counted_at > first.counted_at


def test_the_task_counts_and_runs_every_night():
    ReviewFactory(decided=True, stage=Review.Stage.AGENCY_REPORTS)
    assert quality_count_task() == 1
    assert QualityTally.objects.filter(count=1).count() == len(MARKERS)
    entry = settings.CELERY_BEAT_SCHEDULE["quality-count"]
    assert entry["task"] == "quality.tasks.quality_count_task"
    assert entry["schedule"].hour == {0}


def test_before_any_count_the_page_says_so_and_offers_the_count(client, manager):
    ReviewFactory(decided=True, stage=Review.Stage.AGENCY_REPORTS)
    client.force_login(manager)
    text = client.get(BOARD).content.decode()
    assert "The markers have not been counted yet." in text
    assert "<table" not in text
    assert f'action="{COUNT}"' in text
    assert "Count the markers" in text


def test_the_board_manager_counts_again_and_the_page_says_when(
    client, manager, django_capture_on_commit_callbacks
):
    ReviewFactory(decided=True, stage=Review.Stage.AGENCY_REPORTS)
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(COUNT)
    assert len(queued) == 1
    assert response.status_code == 302
    assert response["Location"] == BOARD
    response = client.get(BOARD)
    text = response.content.decode()
    assert "Counting the quality markers again" in text
    counted = timezone.localtime(QualityTally.objects.first().counted_at)
    assert f"Counted at {govuk_datetime(counted)}" in text
    assert "Count again" in text
    assert sum(t.counts[Status.NOT_YET] for t in response.context["tallies"]) > 0


def test_the_page_shows_the_time_of_the_count_as_govuk_writes_it(client, chair):
    when = timezone.make_aware(datetime(2026, 11, 26, 14, 2))
    for marker in MARKERS:
        QualityTally.objects.create(
            marker=marker.key, status=Status.MET, count=0, named=[], counted_at=when
        )
    client.force_login(chair)
    assert "Counted at 2:02pm on 26 November 2026" in client.get(BOARD).content.decode()


def test_the_chair_reads_the_figures_but_cannot_count_them(
    client, chair, django_capture_on_commit_callbacks
):
    ReviewFactory(decided=True, stage=Review.Stage.AGENCY_REPORTS)
    client.force_login(chair)
    text = client.get(BOARD).content.decode()
    assert "The markers have not been counted yet." in text
    assert COUNT not in text
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert client.post(COUNT).status_code == 403
    assert queued == []
    assert not QualityTally.objects.exists()


@pytest.mark.parametrize(("role", "expected"), [("anonymous", 302), ("outsider", 403)])
def test_nobody_else_counts(client, users_by_role, role, expected):
    if role != "anonymous":
        client.force_login(users_by_role[role])
    assert client.post(COUNT).status_code == expected
    assert client.get(COUNT).status_code == (302 if role == "anonymous" else 405)
    assert not QualityTally.objects.exists()


def test_the_command_counts_in_this_process_for_make_run():
    ReviewFactory(decided=True, stage=Review.Stage.AGENCY_REPORTS)
    out = StringIO()
    call_command("count_quality", stdout=out)
    assert out.getvalue() == "Counted the quality markers of 1 review.\n"
    assert QualityTally.objects.filter(count=1).count() == len(MARKERS)
