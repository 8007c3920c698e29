"""Stage 5: the combined chronology: every accepted agency chronology merged by date, filtered,
paged and downloaded, with the author's key practice episodes."""

import csv
import io
from datetime import date, time
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from agencies.models import Role
from agencies.services import person_roles_set
from reviews.builders import Cast, review_at
from reviews.models import AccessLog, ChronologyEntry, KeyEpisode, Review
from reviews.selectors.chronology import combined_chronology_list
from reviews.services.chronology import key_episode_mark, key_episode_unmark
from tests.conftest import PERIOD_2025
from tests.factories import (
    AgencyFactory,
    ChronologyEntryFactory,
    ReportRequestFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def combined(manager, chair):
    """A review at stage 5 with a seated panel member, an author, and two agencies (Alpha and
    Beta) whose reports were accepted, each with a lead."""
    agencies = [AgencyFactory(name="Beta Health Trust"), AgencyFactory(name="Alpha Police")]
    cast = Cast(
        manager=manager,
        chair=chair,
        author=UserFactory(role=Role.INDEPENDENT_AUTHOR),
        panel=[UserFactory(role=Role.PANEL_MEMBER, agency=agencies[1])],
    )
    for agency in agencies:
        cast.leads[agency.pk] = UserFactory(agency=agency)
        person_roles_set(person=cast.leads[agency.pk], roles=[Role.AGENCY_LEAD], agency=agency)
    built = review_at("overview", cast=cast, agencies_in_scope=agencies, terms=PERIOD_2025)
    reports = {report.agency.name: report for report in built.reports}
    return SimpleNamespace(
        review=built.review,
        beta=reports["Beta Health Trust"],
        alpha=reports["Alpha Police"],
        author=cast.author,
        panel=cast.panel[0],
        lead=cast.leads[agencies[0].pk],
        manager=manager,
        chair=chair,
    )


def _entry(report, day, at=None, text="Home visit."):
    return ChronologyEntryFactory(
        request=report, occurred_on=day, occurred_time=at, what_happened=text
    )


def _url(combined, name="reviews:combined_chronology", query=""):
    return reverse(name, args=[combined.review.reference]) + query


def _page(client, combined, user, query=""):
    client.force_login(user)
    return client.get(_url(combined, query=query))


def _mark_url(combined, entry, name="reviews:key_episode"):
    return reverse(name, args=[combined.review.reference, entry.pk])


# --- Merging ---


def test_entries_merge_by_date_then_time_then_agency_then_id(combined):
    day = date(2025, 3, 4)
    beta_late = _entry(combined.beta, day, time(15, 0))
    alpha_late = _entry(combined.alpha, day, time(15, 0))
    beta_untimed = _entry(combined.beta, day)
    alpha_early = _entry(combined.alpha, day, time(9, 30))
    alpha_second = _entry(combined.alpha, day, time(15, 0))
    earlier = _entry(combined.beta, date(2025, 3, 1), time(23, 0))
    later = _entry(combined.alpha, date(2025, 3, 5))
    order = list(combined_chronology_list(review=combined.review))
    assert order == [
        earlier,
        beta_untimed,
        alpha_early,
        alpha_late,
        alpha_second,
        beta_late,
        later,
    ]


def test_only_accepted_chronologies_are_combined(combined):
    kept = _entry(combined.alpha, date(2025, 2, 1), text="Accepted entry.")
    for status in ("returned", "submitted"):
        other = ReportRequestFactory(review=combined.review, **{status: True})
        _entry(other, date(2025, 2, 1), text=f"Entry of a {status} report.")
    _entry(ReportRequestFactory(review=combined.review), date(2025, 2, 1), text="Requested.")
    _entry(ReportRequestFactory(accepted=True), date(2025, 2, 1), text="Another review.")
    assert list(combined_chronology_list(review=combined.review)) == [kept]


def test_same_day_entries_of_several_agencies_show_under_one_day(client, combined):
    _entry(combined.alpha, date(2025, 3, 4), time(9, 0), text="Police called.")
    _entry(combined.beta, date(2025, 3, 4), time(10, 0), text="Nurse visited.")
    _entry(combined.beta, date(2025, 3, 6), text="Clinic missed.")
    html = _page(client, combined, combined.author).content.decode()
    assert html.count('scope="rowgroup" rowspan="2"') == 1
    assert html.count("4 Mar 2025") == 1
    assert '<strong class="moj-badge">Alpha Police</strong>' in html
    assert html.index("Police called.") < html.index("Nurse visited.") < html.index("Clinic")


# --- Filters ---


@pytest.fixture
def spread(combined):
    """Entries of both agencies across March 2025; one of Beta's a key practice episode."""
    entries = {
        "alpha_1": _entry(combined.alpha, date(2025, 3, 1), text="Alpha first."),
        "alpha_20": _entry(combined.alpha, date(2025, 3, 20), text="Alpha twentieth."),
        "beta_10": _entry(combined.beta, date(2025, 3, 10), text="Beta tenth."),
        "beta_30": _entry(combined.beta, date(2025, 3, 30), text="Beta thirtieth."),
    }
    key_episode_mark(
        review=combined.review, entry=entries["beta_10"], actor=combined.author, note="Missed."
    )
    return entries


def _shown(response) -> set[str]:
    page = response.context["page"]
    return {entry.what_happened for entry in page} if page else set()


def test_filter_by_agency(client, combined, spread):
    response = _page(client, combined, combined.author, f"?agency={combined.alpha.agency_id}")
    assert _shown(response) == {"Alpha first.", "Alpha twentieth."}


def test_filter_by_dates_inclusive(client, combined, spread):
    query = "?since_0=10&since_1=3&since_2=2025&until_0=20&until_1=3&until_2=2025"
    assert _shown(_page(client, combined, combined.author, query)) == {
        "Beta tenth.",
        "Alpha twentieth.",
    }


def test_filter_key_episodes_only(client, combined, spread):
    response = _page(client, combined, combined.author, "?key_only=yes")
    assert _shown(response) == {"Beta tenth."}
    assert "Missed." in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?since_0=31&since_1=2&since_2=2025", "Start date must be a real date"),
        ("?until_0=1&until_1=&until_2=2025", "End date must include a month"),
        (
            "?since_0=2&since_1=3&since_2=2025&until_0=1&until_1=3&until_2=2025",
            "End date must be the same as or after the start date",
        ),
        ("?agency=999999", "Select agencies from the list"),
        ("?key_only=maybe", "Select which entries to show"),
    ],
)
def test_bad_filters_show_an_error_and_no_entries(client, combined, spread, query, message):
    response = _page(client, combined, combined.author, query)
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert message in html
    assert response.context["page"] is None
    assert "Alpha first." not in html


# --- Who sees it ---


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("manager", 200),
        ("chair", 200),
        ("author", 200),
        ("panel", 200),
        ("lead", 403),
    ],
)
def test_who_sees_the_combined_chronology(client, combined, who, expected):
    _entry(combined.alpha, date(2025, 3, 1))
    assert _page(client, combined, getattr(combined, who)).status_code == expected


def test_an_outsider_gets_not_found_and_every_look_is_logged(client, combined):
    assert _page(client, combined, UserFactory()).status_code == 404
    _page(client, combined, combined.lead)
    _page(client, combined, combined.panel)
    logged = AccessLog.objects.filter(object_type="combined_chronology")
    assert sorted(logged.values_list("allowed", flat=True)) == [False, False, True]


def test_only_the_author_sees_the_marking_links(client, combined):
    _entry(combined.alpha, date(2025, 3, 1))
    assert "Mark as key episode" in _page(client, combined, combined.author).content.decode()
    assert "Mark as key episode" not in _page(client, combined, combined.manager).content.decode()


# --- Key practice episodes ---


def test_the_author_marks_an_entry_with_a_note_kept_in_history(client, combined):
    entry = _entry(combined.alpha, date(2025, 3, 1))
    client.force_login(combined.author)
    query = "?key_only=yes&page=2&other=dropped"
    response = client.post(_mark_url(combined, entry) + query, {"note": "Turning point."})
    assert response.status_code == 302
    assert response["Location"].endswith(f"?key_only=yes&page=2#entry-{entry.pk}")
    episode = KeyEpisode.objects.get(entry=entry)
    assert (episode.note, episode.marked_by) == ("Turning point.", combined.author)
    assert episode.history.get().history_user == combined.author
    client.post(_mark_url(combined, entry), {"note": "Turning point, missed."})
    episode.refresh_from_db()
    assert episode.note == "Turning point, missed."
    assert episode.history.count() == 2


def test_a_mark_without_a_note_is_refused_and_changes_nothing(client, combined):
    entry = _entry(combined.alpha, date(2025, 3, 1))
    client.force_login(combined.author)
    response = client.post(_mark_url(combined, entry), {"note": "  "})
    assert response.status_code == 200
    assert "Enter why this is a key practice episode" in response.content.decode()
    assert not KeyEpisode.objects.exists()


def test_the_author_removes_a_mark_and_history_keeps_it(client, combined):
    entry = _entry(combined.alpha, date(2025, 3, 1))
    key_episode_mark(review=combined.review, entry=entry, actor=combined.author, note="Key.")
    client.force_login(combined.author)
    response = client.post(_mark_url(combined, entry, "reviews:key_episode_unmark"))
    assert response.status_code == 302
    assert not KeyEpisode.objects.exists()
    removed = KeyEpisode.history.latest()
    assert (removed.history_type, removed.history_user) == ("-", combined.author)


@pytest.mark.parametrize("who", ["manager", "chair", "panel", "lead"])
def test_nobody_but_the_author_marks(client, combined, who):
    entry = _entry(combined.alpha, date(2025, 3, 1))
    client.force_login(getattr(combined, who))
    for name in ("reviews:key_episode", "reviews:key_episode_unmark"):
        assert client.post(_mark_url(combined, entry, name), {"note": "Key."}).status_code == 403
    assert not KeyEpisode.objects.exists()


def test_an_entry_of_a_report_not_accepted_cannot_be_marked(client, combined):
    returned = ReportRequestFactory(review=combined.review, returned=True)
    entry = _entry(returned, date(2025, 3, 1))
    client.force_login(combined.author)
    assert client.post(_mark_url(combined, entry), {"note": "Key."}).status_code == 404
    with pytest.raises(ValidationError):
        key_episode_mark(review=combined.review, entry=entry, actor=combined.author, note="K")
    assert not KeyEpisode.objects.exists()


def test_marking_is_refused_once_the_report_is_agreed(client, combined):
    entry = _entry(combined.alpha, date(2025, 3, 1))
    key_episode_mark(review=combined.review, entry=entry, actor=combined.author, note="Key.")
    Review.objects.filter(pk=combined.review.pk).update(stage=Review.Stage.ACTION_PLAN)
    combined.review.refresh_from_db()
    client.force_login(combined.author)
    assert client.post(_mark_url(combined, entry), {"note": "Other."}).status_code == 403
    unmark = _mark_url(combined, entry, "reviews:key_episode_unmark")
    assert client.post(unmark).status_code == 403
    with pytest.raises(ValidationError, match="once the overview report is agreed"):
        key_episode_mark(review=combined.review, entry=entry, actor=combined.author, note="X")
    with pytest.raises(ValidationError):
        key_episode_unmark(review=combined.review, entry=entry, actor=combined.author)
    assert KeyEpisode.objects.get().note == "Key."
    assert "Mark as key episode" not in _page(client, combined, combined.author).content.decode()


# --- CSV ---


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_holds_the_filtered_entries_in_order_safe_from_formulas(client, combined):
    _entry(combined.beta, date(2025, 3, 2), time(8, 5), text='=HYPERLINK("http://x")')
    _entry(combined.alpha, date(2025, 3, 1), text="+1 called the school")
    marked = _entry(combined.alpha, date(2025, 4, 1), text="Outside the range.")
    key_episode_mark(review=combined.review, entry=marked, actor=combined.author, note="@key")
    client.force_login(combined.author)
    response = client.get(_url(combined, "reviews:combined_chronology_export"))
    rows = _csv(response)
    assert response["Content-Disposition"].endswith('-combined-chronology.csv"')
    assert rows[0][:5] == ["Date", "Time", "Approximate", "Agency", "What happened"]
    assert [row[3] for row in rows[1:]] == ["Alpha Police", "Beta Health Trust", "Alpha Police"]
    assert rows[1][4] == "'+1 called the school"
    assert rows[2][:5] == [
        "02/03/2025",
        "08:05",
        "no",
        "Beta Health Trust",
        '\'=HYPERLINK("http://x")',
    ]
    assert rows[3][-1] == "'@key"
    query = "?until_0=31&until_1=3&until_2=2025"
    filtered = _csv(client.get(_url(combined, "reviews:combined_chronology_export", query)))
    assert len(filtered) == 3
    assert AccessLog.objects.filter(object_type="combined_chronology", action="export").count() == 2


@pytest.mark.parametrize(
    ("who", "expected"), [("manager", 200), ("chair", 403), ("panel", 403), ("lead", 403)]
)
def test_who_downloads_the_csv(client, combined, who, expected):
    client.force_login(getattr(combined, who))
    assert client.get(_url(combined, "reviews:combined_chronology_export")).status_code == expected


def test_a_csv_of_bad_filters_goes_back_to_the_page(client, combined):
    client.force_login(combined.author)
    query = "?since_0=31&since_1=2&since_2=2025"
    response = client.get(_url(combined, "reviews:combined_chronology_export", query))
    assert response.status_code == 302
    assert response["Location"] == _url(combined, query=query)


# --- Pages and queries ---


def _bulk(report, count, start=date(2024, 1, 1)):
    ChronologyEntry.objects.bulk_create(
        ChronologyEntry(
            request=report,
            occurred_on=date.fromordinal(start.toordinal() + n % 300),
            what_happened=f"Contact {n}.",
            practitioner_role="Worker",
            created_by=report.requested_by,
        )
        for n in range(count)
    )


def test_pages_show_only_nearby_page_numbers(client, combined, settings):
    settings.CHRONOLOGY_PER_PAGE = 10
    _bulk(combined.alpha, 300)
    response = _page(client, combined, combined.author, "?page=15")
    html = response.content.decode()
    assert 'aria-label="Page 15" aria-current="page"' in html
    for shown in (1, 2, 13, 14, 16, 17, 29, 30):
        assert f'aria-label="Page {shown}"' in html
    for hidden in (3, 10, 12, 18, 28):
        assert f'aria-label="Page {hidden}"' not in html
    assert "govuk-pagination__item--ellipses" in html
    assert len(response.context["page"]) == 10


def test_a_filtered_page_links_keep_the_filters(client, combined, settings):
    settings.CHRONOLOGY_PER_PAGE = 10
    _bulk(combined.alpha, 30)
    _bulk(combined.beta, 30)
    response = _page(client, combined, combined.author, f"?agency={combined.beta.agency_id}")
    assert response.context["page"].paginator.count == 30
    assert f"?agency={combined.beta.agency_id}&amp;page=2" in response.content.decode()


@pytest.mark.parametrize(("agencies", "entries"), [(2, 5), (10, 100)])
def test_queries_stay_flat_with_entries_and_agencies(
    client, combined, django_assert_max_num_queries, agencies, entries
):
    reports = [combined.alpha, combined.beta]
    reports += [
        ReportRequestFactory(review=combined.review, accepted=True) for _ in range(agencies - 2)
    ]
    for report in reports:
        _bulk(report, entries)
    for entry in ChronologyEntry.objects.all()[:: max(entries // 5, 1)]:
        key_episode_mark(review=combined.review, entry=entry, actor=combined.author, note="Key.")
    client.force_login(combined.author)
    with django_assert_max_num_queries(20):
        response = client.get(_url(combined))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == agencies * entries


def test_the_panel_finds_it_from_an_agency_chronology_and_leads_do_not(client, combined):
    url = reverse("reviews:chronology", args=[combined.review.reference, combined.alpha.pk])
    link = _url(combined)
    client.force_login(combined.panel)
    assert link in client.get(url).content.decode()
    client.force_login(combined.lead)
    own = reverse("reviews:chronology", args=[combined.review.reference, combined.beta.pk])
    assert link not in client.get(own).content.decode()


def test_the_author_finds_it_from_the_overview_report(client, combined):
    client.force_login(combined.author)
    page = client.get(reverse("reviews:overview", args=[combined.review.reference]))
    assert _url(combined) in page.content.decode()


def test_a_mark_needs_the_csrf_token(combined):
    entry = _entry(combined.alpha, date(2025, 3, 1))
    client = Client(enforce_csrf_checks=True)
    client.force_login(combined.author)
    assert client.post(_mark_url(combined, entry), {"note": "Key."}).status_code == 403
    assert not KeyEpisode.objects.exists()


@pytest.mark.parametrize(
    ("note", "message"),
    [("x" * 501, "must be 500 characters or fewer"), ("a\x00b", "Null characters are not")],
)
def test_an_odd_note_is_refused_with_a_message(client, combined, note, message):
    entry = _entry(combined.alpha, date(2025, 3, 1))
    client.force_login(combined.author)
    response = client.post(_mark_url(combined, entry), {"note": note})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not KeyEpisode.objects.exists()


# Not "page": that name is Playwright's fixture, and would pull the browser into this test.
@pytest.mark.parametrize("number", ["abc", "99999", "-1"])
def test_an_odd_page_number_shows_a_page(client, combined, number):
    _entry(combined.alpha, date(2025, 3, 1), text="Only entry.")
    response = _page(client, combined, combined.author, f"?page={number}")
    assert response.status_code == 200
    assert "Only entry." in response.content.decode()
