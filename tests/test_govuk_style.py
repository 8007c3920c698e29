"""What every page writes the GOV.UK way: times ("8:18pm on 3 June 2026"), empty values in
words rather than Python's None, dropdowns that say what to choose, and sentence-case names."""

from datetime import UTC, date, datetime, time

import pytest
from django.template import Context, Template

from scr.formats import govuk_date, govuk_datetime, govuk_time

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("moment", "written"),
    [
        (time(20, 18), "8:18pm"),
        (time(9, 0), "9am"),
        (time(9, 5), "9:05am"),
        (time(0, 0), "midnight"),
        (time(0, 30), "12:30am"),
        (time(12, 0), "midday"),
        (time(12, 45), "12:45pm"),
        (None, ""),
    ],
)
def test_times_are_written_the_govuk_way(moment, written):
    assert govuk_time(moment) == written


def test_a_moment_is_shown_in_the_service_time_zone_time_first():
    # 19:18 UTC is 8:18pm in London in summer time.
    assert govuk_datetime(datetime(2026, 6, 3, 19, 18, tzinfo=UTC)) == "8:18pm on 3 June 2026"
    assert govuk_datetime(datetime(2026, 12, 3, 0, 0, tzinfo=UTC)) == "midnight on 3 December 2026"
    assert govuk_date(date(2026, 6, 3)) == "3 June 2026"
    assert govuk_datetime(None) == ""


def test_templates_have_the_filters_and_write_dates_in_full_without_one():
    rendered = Template(
        "{{ at|govuk_datetime }}|{{ at|govuk_time }}|{{ on }}|{{ on|date:'SHORT_DATE_FORMAT' }}"
    ).render(Context({"at": datetime(2026, 6, 3, 11, 0, tzinfo=UTC), "on": date(2026, 6, 3)}))
    assert rendered == "midday on 3 June 2026|midday|3 June 2026|3 Jun 2026"
