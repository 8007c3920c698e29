"""The review list: the pseudonym beside the reference; search by reference, pseudonym and
(for those who may see it) name, never carried in a link; server-side sorting by column;
filters; and the CSV export of everything it lists, safe in a spreadsheet, access-logged and
behind re-authentication."""

import csv
import io
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from agencies.models import Role
from agencies.services import person_roles_set
from reviews.files import spreadsheet_cell
from reviews.frameworks import Framework
from reviews.models import AccessLog, Deadline, Review
from tests.factories import (
    AgencyFactory,
    DeadlineFactory,
    ReviewFactory,
    SubjectIdentityFactory,
    TermsOfReferenceFactory,
    ThresholdDecisionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def _references(response) -> list[str]:
    return [review.reference for review in response.context["page"]]


def _search(client, text: str, **filters) -> str:
    """Post a search as the page's form does; returns where the page redirects to."""
    response = client.post(reverse("reviews:list"), {"q": text, **filters})
    assert response.status_code == 302
    return response["Location"]


def _lead(agency):
    lead = UserFactory(agency=agency)
    person_roles_set(person=lead, roles=[Role.AGENCY_LEAD], agency=agency)
    return lead


@pytest.fixture
def named(manager):
    """Two reviews whose subjects have real names on record."""
    first = ReviewFactory(created_by=manager, subject_reference="Child K", identity=None)
    SubjectIdentityFactory(review=first, full_name="Jordan Canary")
    second = ReviewFactory(created_by=manager, subject_reference="Adult M", identity=None)
    SubjectIdentityFactory(review=second, full_name="Morgan Finch")
    return first, second


def test_the_pseudonym_shows_beside_the_reference(client, manager, named):
    client.force_login(manager)
    html = client.get(reverse("reviews:list")).content.decode()
    assert ">Child K</td>" in html
    assert "Jordan Canary" not in html


def test_search_by_reference_pseudonym_and_name_for_a_manager(client, manager, named):
    first, second = named
    client.force_login(manager)
    for text, found in [
        (first.reference, [first]),
        ("child k", [first]),
        ("Adult", [second]),
        ("finch", [second]),
        ("Nobody", []),
    ]:
        response = client.get(_search(client, text))
        assert _references(response) == [r.reference for r in found], text
        assert response.context["form"]["q"].value() == text


def test_the_name_searched_for_never_travels_in_a_link(client, manager, named):
    client.force_login(manager)
    ReviewFactory.create_batch(settings.REVIEWS_PER_PAGE, created_by=manager, identity=None)
    for review in Review.objects.filter(subject_identity__isnull=True):
        SubjectIdentityFactory(review=review, full_name="Jordan Canary's sibling")
    location = _search(client, "Jordan Canary", sort="pseudonym")
    assert "Canary" not in location
    html = client.get(location).content.decode()
    assert "Canary" in html  # the search box shows the text back, in the page only
    links = [part.split('"')[0] for part in html.split('href="')[1:]]
    assert any("page=2" in link for link in links)
    assert not [link for link in links if "Canary" in link or "Jordan" in link]
    token = parse_qs(urlsplit(location).query)["search"][0]
    # Another session holding the link learns nothing of the search: it lists everything.
    client.force_login(UserFactory(role=Role.CHAIR))
    other = client.get(location)
    assert other.context["form"]["q"].value() == ""
    assert other.context["page"].paginator.count == Review.objects.count()
    assert token


def test_search_by_name_only_where_the_person_may_see_the_identity(client, agency, named):
    first, second = named
    lead = _lead(agency)
    for review in named:  # as an agency in scope is given its reviews
        assign_perm("reviews.view_review", lead, review)
    client.force_login(lead)
    assert _references(client.get(_search(client, "Child K"))) == [first.reference]
    assert _references(client.get(_search(client, "Jordan Canary"))) == []
    page = client.get(reverse("reviews:list")).content.decode()
    assert "or name" not in page

    # A person granted the identity of one review may find that one by name, and no other.
    assign_perm("reviews.view_subject_identity", lead, second)
    assert _references(client.get(_search(client, "Morgan Finch"))) == [second.reference]
    assert _references(client.get(_search(client, "Jordan Canary"))) == []


def test_too_long_a_search_is_refused_with_a_message(client, manager, named):
    client.force_login(manager)
    response = client.post(reverse("reviews:list"), {"q": "x" * 101})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Search must be 100 characters or fewer" in html
    assert 'maxlength="100"' not in html


@pytest.fixture
def sortable(manager):
    """Three reviews that sort differently by every column."""
    today = _today()
    a = ReviewFactory(
        created_by=manager,
        reference="SCR-2026-010",
        subject_reference="child b",
        framework=Framework.SCR,
        stage=Review.Stage.OVERVIEW,
        referred_on=today - timedelta(days=30),
        incident_date=today - timedelta(days=35),
    )
    b = ReviewFactory(
        created_by=manager,
        reference="LCSPR-2026-002",
        subject_reference="Child C",
        framework=Framework.LCSPR,
        stage=Review.Stage.REFERRAL,
        referred_on=today - timedelta(days=10),
        incident_date=today - timedelta(days=15),
    )
    c = ReviewFactory(
        created_by=manager,
        reference="SAR-2026-005",
        subject_reference="Adult A",
        framework=Framework.SAR,
        stage=Review.Stage.PANEL,
        referred_on=today - timedelta(days=20),
        incident_date=today - timedelta(days=25),
    )
    for review, due_in in ((a, 40), (c, -3)):
        ThresholdDecisionFactory(review=review)
        DeadlineFactory(review=review, due_on=today + timedelta(days=due_in))
    return a, b, c


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("reference", "bca"),
        ("-reference", "acb"),
        ("pseudonym", "cab"),
        ("-pseudonym", "bac"),
        ("type", "bca"),  # LCSPR, SAR, SCR
        ("stage", "bca"),  # referral, panel, overview: the lifecycle's order
        ("-stage", "acb"),
        ("referred", "acb"),
        ("-referred", "bca"),
        ("target", "cab"),  # most urgent first; no target last
        ("-target", "acb"),  # no target last either way
        ("password", "bca"),  # not a column: the default, newest referral first
        ("-decision__rationale", "bca"),
    ],
)
def test_the_list_sorts_every_page_on_the_server(client, manager, sortable, sort, order):
    client.force_login(manager)
    response = client.get(reverse("reviews:list"), {"sort": sort})
    assert response.status_code == 200
    by_letter = dict(zip("abc", sortable, strict=True))
    assert _references(response) == [by_letter[letter].reference for letter in order]


@pytest.mark.parametrize(
    ("sort", "order"),
    [("reference", "bca"), ("-stage", "acb"), ("target", "cab"), ("-target", "acb")],
)
def test_each_page_holds_its_slice_of_the_sorted_list(
    client, manager, sortable, settings, sort, order
):
    """The list picks a page's reviews by id before reading their targets: every page must
    still hold its own rows, in the list's order, whatever the sort."""
    settings.REVIEWS_PER_PAGE = 2
    client.force_login(manager)
    pages = [
        _references(client.get(reverse("reviews:list"), {"sort": sort, "page": number}))
        for number in (1, 2)
    ]
    by_letter = dict(zip("abc", sortable, strict=True))
    expected = [by_letter[letter].reference for letter in order]
    assert pages == [expected[:2], expected[2:]]


def test_sorted_column_headers_carry_aria_sort_and_link_the_other_way(client, manager, sortable):
    client.force_login(manager)
    html = client.get(reverse("reviews:list"), {"sort": "stage", "page": "1"}).content.decode()
    assert html.count("aria-sort=") == 1
    header = html[html.index('aria-sort="ascending"') :]
    assert header.index("sort=-stage") < header.index("</th>")
    assert "page=1" not in header[: header.index("</th>")]
    html = client.get(reverse("reviews:list")).content.decode()
    descending = html[html.index('aria-sort="descending"') :]
    assert descending.index("Referred") < descending.index("</th>")
    assert 'data-module="moj-sortable-table"' not in html


def test_the_list_filters(client, manager, agency, other_agency):
    today = _today()
    awaiting = ReviewFactory(created_by=manager, framework=Framework.LCSPR)
    decided_referral = ReviewFactory(created_by=manager, referring_agency=agency)
    ThresholdDecisionFactory(review=decided_referral)
    involved = ReviewFactory(decided=True, created_by=manager)
    involved.agencies_involved.set([agency])
    in_scope = ReviewFactory(decided=True, created_by=manager)
    TermsOfReferenceFactory(review=in_scope, agencies_in_scope=[agency, other_agency])
    DeadlineFactory(review=in_scope, kind=Deadline.Kind.AGENCY_REPORT, due_on=today - timedelta(1))
    DeadlineFactory(review=involved, kind=Deadline.Kind.AGENCY_REPORT, due_on=today, met=True)
    DeadlineFactory(
        review=involved, kind=Deadline.Kind.RAPID_REVIEW, due_on=today - timedelta(5), met=True
    )
    DeadlineFactory(review=involved, due_on=today - timedelta(days=1))
    closed = ReviewFactory(closed=True, created_by=manager)
    client.force_login(manager)

    def listed(**filters):
        return sorted(_references(client.get(reverse("reviews:list"), filters)))

    def refs(*reviews):
        return sorted(r.reference for r in reviews)

    assert listed(stage="awaiting_decision") == refs(awaiting)
    assert listed(stage="referral") == refs(awaiting, decided_referral)
    assert listed(framework="lcspr") == refs(awaiting)
    assert listed(agency=agency.pk) == refs(decided_referral, involved, in_scope)
    assert listed(agency=other_agency.pk) == refs(in_scope)
    assert listed(overdue="yes") == refs(in_scope, involved)
    assert listed(target="over") == refs(involved)
    assert listed(target="no_target") == refs(awaiting, decided_referral, in_scope)
    assert closed.reference not in listed(target="no_target")
    assert listed(stage="awaiting_decision", framework="scr") == []


def test_posted_filters_land_in_the_address(client, manager, agency):
    client.force_login(manager)
    location = _search(client, "", stage="panel", agency=agency.pk, overdue="yes", sort="-type")
    query = parse_qs(urlsplit(location).query)
    assert query == {
        "stage": ["panel"],
        "agency": [str(agency.pk)],
        "overdue": ["yes"],
        "sort": ["-type"],
    }


def _export(client, query: dict | None = None):
    response = client.get(reverse("reviews:export"), query or {})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="reviews-')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_export_lists_every_page_with_the_same_search_filters_and_sort(client, manager):
    many = settings.REVIEWS_PER_PAGE + 5
    ReviewFactory.create_batch(many, created_by=manager, decided=True, subject_reference="Child Q")
    ReviewFactory(created_by=manager, subject_reference="Child R")
    client.force_login(manager)
    location = _search(client, "Child Q", stage="panel", sort="-reference")
    listed = client.get(location)
    assert listed.context["page"].paginator.num_pages == 2
    export = listed.content.decode().split('href="/reviews/export/?')[1].split('"')[0]
    rows = _export(client, parse_qs(export.replace("&amp;", "&")))
    assert rows[0][:4] == ["Reference", "Pseudonym", "Type", "Stage"]
    references = [row[0] for row in rows[1:]]
    expected = Review.objects.filter(subject_reference="Child Q").order_by("-reference")
    assert references == [r.reference for r in expected]
    assert {row[1] for row in rows[1:]} == {"Child Q"}


def test_the_export_is_access_logged_one_row_per_review(client, manager):
    reviews = ReviewFactory.create_batch(3, created_by=manager)
    client.force_login(manager)
    _export(client)
    logged = AccessLog.objects.filter(action="export")
    assert sorted(logged.values_list("object_ref", flat=True)) == sorted(
        r.reference for r in reviews
    )
    assert {(row.user, row.object_type, row.allowed) for row in logged} == {
        (manager, "review", True)
    }
    assert logged.first().path == reverse("reviews:export")


def test_an_export_asks_for_the_password_again_after_ten_minutes(client, manager):
    ReviewFactory(created_by=manager)
    url = f"{reverse('reviews:export')}?{urlencode({'stage': 'referral'})}"
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(manager)
        clock.shift(timedelta(minutes=11))
        response = client.get(url)
    again = f"{reverse('agencies:reauthenticate')}?{urlencode({'next': url})}"
    assert response["Location"] == again
    assert not AccessLog.objects.filter(action="export").exists()


def test_an_agency_lead_exports_only_the_reviews_they_see(client, agency):
    lead = _lead(agency)
    seen, unseen = ReviewFactory(decided=True), ReviewFactory(decided=True)
    assign_perm("reviews.view_review", lead, seen)
    client.force_login(lead)
    rows = _export(client)
    assert [row[0] for row in rows[1:]] == [seen.reference]
    assert unseen.reference not in str(rows)


@pytest.mark.parametrize(
    "pseudonym",
    ['=HYPERLINK("http://x.example")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rReturn"],
)
def test_exported_cells_never_run_as_formulas(client, manager, pseudonym):
    ReviewFactory(created_by=manager, subject_reference=pseudonym)
    client.force_login(manager)
    rows = _export(client)
    assert rows[1][1] == f"'{pseudonym}"


def test_numbers_the_service_writes_stay_numbers(client, manager):
    review = ReviewFactory(decided=True, created_by=manager)
    DeadlineFactory(review=review, due_on=_today() - timedelta(days=4))
    client.force_login(manager)
    header, row = _export(client)
    assert row[header.index("Days to target")] == "-4"
    assert row[header.index("Against target")] == "Over"
    assert row[header.index("Overdue deadlines")] == "1"


@pytest.mark.parametrize(
    ("value", "cell"),
    [("=1+1", "'=1+1"), ("Child A", "Child A"), (None, ""), (-4, -4), (2.5, 2.5), (True, "True")],
)
def test_spreadsheet_cell(value, cell):
    assert spreadsheet_cell(value) == cell


def test_my_tasks_narrows_to_actions_other_deadlines_or_the_boards_own(client, manager, agency):
    review = ReviewFactory(decided=True, created_by=manager)
    late = _today() - timedelta(days=2)
    action = DeadlineFactory(review=review, kind=Deadline.Kind.ACTION, owner_agency=agency)
    report = DeadlineFactory(
        review=review, kind=Deadline.Kind.AGENCY_REPORT, owner_agency=agency, due_on=late
    )
    board = DeadlineFactory(review=review, kind=Deadline.Kind.REVIEW_COMPLETE, due_on=late)
    client.force_login(manager)

    def listed(**filters):
        page = client.get(reverse("reviews:tasks"), filters).context["page"]
        return sorted(deadline.pk for deadline in page)

    assert listed(what="actions") == [action.pk]
    assert listed(what="deadlines") == sorted([report.pk, board.pk])
    assert listed(what="board") == [board.pk]
    assert listed(what="deadlines", agency=agency.pk, show="overdue") == [report.pk]


def test_a_chair_reads_every_deadline_but_moves_none(client, chair, agency):
    deadline = DeadlineFactory(owner_agency=AgencyFactory())
    client.force_login(chair)
    response = client.get(reverse("reviews:tasks"))
    assert [d.pk for d in response.context["page"]] == [deadline.pk]
    assert not response.context["can_change"]
    assert client.get(reverse("reviews:deadline_change", args=[deadline.pk])).status_code == 403


def test_each_row_shows_its_soonest_open_deadline_and_the_export_counts_every_overdue(
    client, manager
):
    """The list reads one open deadline a review (its next), the export all of them."""
    reviews = [ReviewFactory(decided=True, created_by=manager) for _ in range(3)]
    for n, review in enumerate(reviews):
        for days in (9, -3 - n, 4, -1):
            DeadlineFactory(
                review=review,
                kind=Deadline.Kind.ACTION,
                key=f"due {days}",
                due_on=_today() + timedelta(days=days),
                original_due_on=_today() + timedelta(days=days),
            )
        DeadlineFactory(
            review=review,
            kind=Deadline.Kind.ACTION,
            key="met",
            state=Deadline.State.MET,
            due_on=_today() - timedelta(days=30),
            original_due_on=_today() - timedelta(days=30),
        )
    client.force_login(manager)
    rows = client.get(reverse("reviews:list")).context["page"].object_list
    for review in rows:
        (soonest,) = review.open_deadlines
        assert soonest.due_on == min(
            d.due_on for d in review.deadlines.filter(state=Deadline.State.OPEN)
        )
    header, *lines = _export(client)
    assert {line[header.index("Overdue deadlines")] for line in lines} == {"2"}


@pytest.mark.parametrize(("sort", "joined"), [("", False), ("-stage", False), ("target", True)])
def test_the_list_is_counted_and_paged_without_the_targets_unless_they_sort_it(
    client, manager, sort, joined
):
    """Counting and picking a page's reviews skip each review's target and clock (joined for
    every review in scope, they were most of an agency lead's list), unless the target sorts
    the list; the page's rows still carry their targets."""
    for _ in range(3):
        DeadlineFactory(review=ReviewFactory(decided=True, created_by=manager))
    client.force_login(manager)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reviews:list"), {"sort": sort} if sort else {})
    (count,) = [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT COUNT(*)") and 'FROM "reviews_review"' in q["sql"]
    ]
    assert ("open_target" in count) is joined
    assert all(review.target_due for review in response.context["page"].object_list)
