"""Where a review's learning was shared: the board manager records it (after the review closed
too), bad input changes nothing, and the board-wide log lists every review's, with flat
query counts."""

import csv
import io
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from learning.models import Dissemination
from learning.services import dissemination_record
from reviews.services.closing import review_withdraw
from tests.factories import DisseminationFactory

pytestmark = pytest.mark.django_db


def _record(review, actor, **kwargs):
    return dissemination_record(
        review=review,
        actor=actor,
        **{
            "what": Dissemination.What.BRIEF,
            "event": "Health visitors' team meeting",
            "shared_on": timezone.localdate(),
            "practitioners_reached": 12,
            **kwargs,
        },
    )


def test_the_board_manager_records_sharing_kept_in_history(built, cast, health):
    record = _record(built.review, cast.manager, agency=health, evidence="Audit in March.")
    assert record.agency_name == "Northshire Health"
    assert record.history.get().history_user == cast.manager
    assert built.review.transitions.filter(summary__startswith="Learning shared").exists()


def test_a_repeated_submission_records_once_and_a_future_date_is_refused(built, cast):
    submission = uuid.uuid4()
    _record(built.review, cast.manager, submission=submission)
    _record(built.review, cast.manager, submission=submission)
    assert built.review.disseminations.count() == 1
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="today or in the past"):
        _record(built.review, cast.manager, shared_on=tomorrow)


def test_sharing_goes_on_after_the_review_is_closed(client, built, cast):
    review_withdraw(review=built.review, actor=cast.manager, reason="Withdrawn for the test.")
    client.force_login(cast.manager)
    url = reverse("lessons:dissemination_add", args=[built.review.reference])
    today = timezone.localdate()
    data = {
        "what": "report",
        "event": "Multi-agency learning event",
        "shared_on_0": today.day,
        "shared_on_1": today.month,
        "shared_on_2": today.year,
        "practitioners_reached": "85",
    }
    assert client.post(url, data).status_code == 302
    assert built.review.disseminations.get().agency is None


def test_bad_input_shows_errors_and_records_nothing(client, built, cast):
    client.force_login(cast.manager)
    url = reverse("lessons:dissemination_add", args=[built.review.reference])
    response = client.post(url, {"what": "", "practitioners_reached": "-3", "shared_on_2": "2026"})
    page = response.content.decode()
    assert response.status_code == 200
    for message in (
        "Select what was shared",
        "Enter the event or channel",
        "Practitioners reached must be 0 or more",
        "Date it was shared must include a day and month",
    ):
        assert message in page
    assert not Dissemination.objects.exists()


def test_only_the_board_manager_records_and_the_lead_sees_none_of_it(client, built, cast):
    url = reverse("lessons:dissemination_add", args=[built.review.reference])
    client.force_login(cast.chair)
    assert client.get(url).status_code == 403
    assert (
        client.get(reverse("lessons:dissemination", args=[built.review.reference])).status_code
        == 200
    )
    (lead,) = cast.leads.values()
    client.force_login(lead)
    assert (
        client.get(reverse("lessons:dissemination", args=[built.review.reference])).status_code
        == 403
    )
    assert client.get(reverse("learning:dissemination")).status_code == 403


@pytest.mark.parametrize("count", [5, 120])
def test_the_board_wide_log_keeps_its_query_count(
    client, django_assert_max_num_queries, cast, count
):
    for _ in range(count):
        DisseminationFactory()
    client.force_login(cast.manager)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("learning:dissemination"))
    assert response.content.decode().count("Multi-agency learning event") == min(count, 25)


def test_the_log_downloads_as_csv_safe_from_formulas(client, cast):
    DisseminationFactory(event='=HYPERLINK("http://example.org")', evidence="+1 and -1")
    client.force_login(cast.chair)
    response = client.get(reverse("learning:dissemination_export"))
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert rows[0][0] == "Review"
    assert rows[1][4] == '\'=HYPERLINK("http://example.org")'
    assert rows[1][6] == "'+1 and -1"
    (lead,) = cast.leads.values()
    client.force_login(lead)
    assert client.get(reverse("learning:dissemination_export")).status_code == 403
