"""Retention: closed reviews past ``SCR_RETENTION_YEARS`` are listed for the board manager,
who keeps one longer (until a day, with a reason) or destroys its personal data, leaving a
tombstone and, if it was published, its public report."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from governance.models import RetentionKeep, Tombstone
from governance.selectors import retention_due
from governance.services import retention_keep, review_purge
from publication.models import Publication, PublicationVersion
from reviews.builders import review_at
from reviews.models import AccessChange, ReportVersion, Review
from tests.factories import (
    HitResolutionFactory,
    PublicationFactory,
    PublicationVersionFactory,
    ReviewFactory,
)
from tests.governance.conftest import (
    CLOSED_AT,
    PERSONAL,
    closed_review,
    full_review,
    on_day,
    text_columns_holding,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("erase_function", "six_years")]


def test_a_closed_review_is_listed_on_the_day_its_retention_period_ends(closed):
    assert retention_due(today=date(2026, 2, 28)) == []
    assert retention_due(today=date(2026, 3, 1)) == [closed]


def test_an_open_review_is_never_listed(cast, agencies):
    with time_machine.travel(CLOSED_AT, tick=False):
        review_at("decided", cast=cast, agencies_in_scope=agencies)
    assert retention_due(today=date(2040, 1, 1)) == []


def test_the_list_is_the_board_managers(client, cast, closed):
    client.force_login(cast.manager)
    with on_day(date(2026, 3, 1)):
        page = client.get(reverse("governance:retention"))
    assert page.status_code == 200
    text = page.content.decode()
    assert closed.reference in text
    assert reverse("governance:purge", args=[closed.reference]) in text
    client.force_login(cast.chair)
    assert client.get(reverse("governance:retention")).status_code == 403


def test_keeping_a_review_takes_it_off_the_list_until_the_day(client, cast, closed):
    client.force_login(cast.manager)
    url = reverse("governance:keep", args=[closed.reference])
    with on_day(date(2026, 3, 2)):
        response = client.post(
            url,
            {
                "keep_until_0": "1",
                "keep_until_1": "3",
                "keep_until_2": "2028",
                "reason": "A civil claim is pending.",
            },
        )
        assert response.status_code == 302
        assert retention_due(today=date(2026, 3, 2)) == []
    keep = RetentionKeep.objects.get()
    assert keep.decided_by == cast.manager
    assert keep.history.get().history_user == cast.manager
    assert retention_due(today=date(2028, 3, 1)) == []
    assert retention_due(today=date(2028, 3, 2)) == [closed]


def test_keeping_needs_a_reason_and_a_day_to_come(client, cast, closed):
    client.force_login(cast.manager)
    url = reverse("governance:keep", args=[closed.reference])
    with on_day(date(2026, 3, 2)):
        response = client.post(
            url, {"keep_until_0": "1", "keep_until_1": "3", "keep_until_2": "2026", "reason": ""}
        )
        page = response.content.decode()
    assert response.status_code == 200
    assert "Enter why the board keeps the review longer" in page
    assert not RetentionKeep.objects.exists()
    with on_day(date(2026, 3, 2)), pytest.raises(ValidationError, match="in the future"):
        retention_keep(
            review=closed, actor=cast.manager, keep_until=date(2026, 3, 1), reason="Claim."
        )


def test_a_review_not_due_cannot_be_kept_or_destroyed(client, cast, closed):
    client.force_login(cast.manager)
    with on_day(date(2026, 2, 28)):
        assert client.get(reverse("governance:purge", args=[closed.reference])).status_code == 404
        with pytest.raises(ValidationError, match="not past its retention period"):
            review_purge(
                review=closed,
                actor=cast.manager,
                reason="Past retention.",
                confirm_reference=closed.reference,
            )
    assert Review.objects.filter(pk=closed.pk).exists()


def test_destroying_needs_the_reference_typed_and_changes_nothing_otherwise(client, cast, closed):
    client.force_login(cast.manager)
    url = reverse("governance:purge", args=[closed.reference])
    with on_day(date(2026, 3, 1)):
        response = client.post(url, {"reason": "Past retention.", "confirm_reference": "SCR-X"})
    assert response.status_code == 200
    assert f"Type the review&#x27;s reference, {closed.reference}, to confirm" in (
        response.content.decode()
    )
    assert Review.objects.filter(pk=closed.pk).exists()
    assert not Tombstone.objects.exists()


def test_destroying_a_review_leaves_none_of_its_personal_data(
    client, cast, agencies, django_capture_on_commit_callbacks
):
    with time_machine.travel(CLOSED_AT - timedelta(days=60), tick=False):
        built = full_review(cast, agencies)
    review = closed_review(built, cast)
    reference = review.reference
    for value in PERSONAL:
        assert text_columns_holding(value), f"{value} was never stored: the test proves nothing"
    files = [version.file for version in ReportVersion.objects.filter(request__review=review)]
    assert files
    assert AccessChange.objects.filter(review=review).exists()
    assert all(file.storage.exists(file.name) for file in files)
    client.force_login(cast.manager)
    with (
        on_day(date(2026, 3, 1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            reverse("governance:purge", args=[reference]),
            {"reason": "Past the board's retention period.", "confirm_reference": reference},
        )
    tombstone = Tombstone.objects.get(reference=reference)
    assert response.status_code == 302
    assert response["Location"] == tombstone.get_absolute_url()
    left = {value: text_columns_holding(value) for value in PERSONAL}
    assert left == {key: [] for key in PERSONAL}
    assert not any(file.storage.exists(file.name) for file in files)
    assert not Review.objects.filter(reference=reference).exists()
    assert not AccessChange.objects.filter(review_id=review.pk).exists()
    assert tombstone.purged_by == cast.manager
    assert tombstone.referred_on == review.referred_on
    assert tombstone.closed_on == date(2020, 3, 1)
    assert tombstone.counts["Family members"] == 1
    assert tombstone.counts["Interviews"] == 2
    assert not tombstone.kept_publication
    # Its tombstone page, and every other page of it: gone (410) to the board manager.
    assert client.get(tombstone.get_absolute_url()).status_code == 200
    assert client.get(reverse("reviews:detail", args=[reference])).status_code == 410
    assert client.get(reverse("families:list", args=[reference])).status_code == 410
    assert client.get(reverse("governance:audit", args=[reference])).status_code == 410


def test_a_destroyed_review_stays_unknown_to_those_who_never_saw_every_review(client, cast, closed):
    with on_day(date(2026, 3, 1)):
        review_purge(
            review=closed,
            actor=cast.manager,
            reason="Past retention.",
            confirm_reference=closed.reference,
        )
    client.force_login(cast.author)
    assert client.get(reverse("reviews:detail", args=[closed.reference])).status_code == 404
    client.force_login(cast.chair)
    assert client.get(reverse("reviews:detail", args=[closed.reference])).status_code == 410
    assert client.get(reverse("governance:tombstone", args=[closed.reference])).status_code == 403


def test_destroying_a_published_review_keeps_its_public_report(client, cast, closed):
    earlier = PublicationVersionFactory(review=closed)
    version = PublicationVersionFactory(review=closed)
    HitResolutionFactory(version=version, carried_from=earlier)
    publication = PublicationFactory(review=closed, version=version)
    with on_day(date(2026, 3, 1)):
        tombstone = review_purge(
            review=closed,
            actor=cast.manager,
            reason="Past retention.",
            confirm_reference=closed.reference,
        )
    assert tombstone.kept_publication
    shell = Review.objects.get(pk=closed.pk)
    assert shell.records_destroyed_at is not None
    assert shell.circumstances == ""
    assert shell.referrer_name == ""
    assert not shell.transitions.exists()
    assert not shell.history.exists()
    assert Publication.objects.filter(pk=publication.pk).exists()
    assert PublicationVersion.objects.get(pk=version.pk).summary_html == version.summary_html
    assert not PublicationVersion.objects.filter(pk=earlier.pk).exists()
    assert client.get(reverse("public:detail", args=[publication.pk])).status_code == 200
    client.force_login(cast.manager)
    assert client.get(reverse("reviews:detail", args=[closed.reference])).status_code == 410
    assert closed.reference not in client.get(reverse("reviews:list")).content.decode()


@pytest.mark.parametrize("count", [5, 500])
def test_the_list_takes_the_same_queries_however_many_reviews_are_due(
    client, cast, count, django_assert_max_num_queries
):
    closed_at = timezone.now() - timedelta(days=365 * 7)
    due = ReviewFactory.create_batch(count, closed=True, closed_at=closed_at)
    client.force_login(cast.manager)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("governance:retention"))
    text = page.content.decode()
    assert all(reverse("governance:purge", args=[review.reference]) in text for review in due)
