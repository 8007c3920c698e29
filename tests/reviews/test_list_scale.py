"""Every list at any depth: the agency lead's per-object scope is guardian's, and the review
list, "My tasks" (first and last page) and the notifications make as many queries for a few
rows as for many."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm, get_objects_for_user

from agencies.models import Role
from reviews.models import Deadline, Notification, Review
from reviews.selectors.review import review_list, review_list_visible_to
from tests.factories import (
    AgencyFactory,
    DeadlineFactory,
    NotificationFactory,
    ReviewFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _guardians(user) -> set[int]:
    """What the scope was before it was written as EXISTS."""
    found = get_objects_for_user(
        user, "reviews.view_review", klass=Review, accept_global_perms=False
    )
    return set(found.filter(records_destroyed_at__isnull=True).values_list("pk", flat=True))


@pytest.mark.parametrize("grant", ["user", "group", "both", "none", "another permission"])
def test_a_lead_sees_exactly_the_reviews_guardian_grants(grant):
    lead = UserFactory(role=Role.AGENCY_LEAD)
    team = Group.objects.create(name="Leads of the test agency")
    lead.groups.add(team)
    mine, ours, theirs = ReviewFactory(), ReviewFactory(), ReviewFactory()
    if grant in ("user", "both"):
        assign_perm("reviews.view_review", lead, mine)
    if grant in ("group", "both"):
        assign_perm("reviews.view_review", team, ours)
    if grant == "another permission":
        assign_perm("reviews.view_subject_identity", lead, mine)
        assign_perm("reviews.view_panel", team, ours)
    # Grants to someone else and to a group the lead is not in count for nothing.
    assign_perm("reviews.view_review", UserFactory(), theirs)
    assign_perm("reviews.view_review", Group.objects.create(name="Others"), theirs)
    lead = type(lead).objects.get(pk=lead.pk)
    expected = {
        "user": {mine.pk},
        "group": {ours.pk},
        "both": {mine.pk, ours.pk},
        "none": set(),
        "another permission": set(),
    }[grant]
    assert _guardians(lead) == expected
    assert set(review_list_visible_to(user=lead).values_list("pk", flat=True)) == expected
    assert {review.pk for review in review_list(user=lead)} == expected


def test_a_deactivated_persons_grants_show_nothing():
    review = ReviewFactory()
    person = UserFactory(deactivated=True)
    assign_perm("reviews.view_review", person, review)
    assert not review_list_visible_to(user=person).exists()


def _reviews_granted(lead, team, count: int) -> None:
    """``count`` reviews with a deadline each, granted to the lead or their group in turn."""
    for n in range(count):
        review = ReviewFactory()
        assign_perm("reviews.view_review", lead if n % 2 else team, review)
        DeadlineFactory(review=review)


@pytest.mark.parametrize("as_lead", [False, True])
def test_the_review_list_queries_stay_flat(client, django_assert_max_num_queries, as_lead):
    role = Role.AGENCY_LEAD if as_lead else Role.BOARD_MANAGER
    person = UserFactory(role=role)
    team = Group.objects.create(name="Team")
    person.groups.add(team)
    _reviews_granted(person, team, 3)
    person = type(person).objects.get(pk=person.pk)
    client.force_login(person)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("reviews:list")).status_code == 200
    _reviews_granted(person, team, 60)
    for query, rows in (("", 25), ("?page=3", 13), ("?sort=pseudonym&page=2", 25)):
        with django_assert_max_num_queries(len(small)):
            response = client.get(reverse("reviews:list") + query)
        assert len(response.context["page"]) == rows


def _deadlines(count: int, *, agency) -> None:
    review = ReviewFactory()
    today = timezone.localdate()
    for n in range(count):
        DeadlineFactory(
            review=review,
            kind=Deadline.Kind.PRACTITIONER_COMMENTS,
            key=str(n + 1),
            owner_agency=agency,
            due_on=today + timedelta(days=n % 7),
        )


@pytest.mark.parametrize("depth", ["", "?page=last"])
def test_my_tasks_queries_stay_flat_at_any_depth(client, django_assert_max_num_queries, depth):
    agency = AgencyFactory()
    manager = UserFactory(role=Role.BOARD_MANAGER)
    client.force_login(manager)
    _deadlines(3, agency=agency)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("reviews:tasks") + depth).status_code == 200
    _deadlines(120, agency=agency)
    with django_assert_max_num_queries(len(small)):
        response = client.get(reverse("reviews:tasks") + depth)
    page = response.context["page"]
    assert page.count == 123
    assert len(page) == 25
    assert f"page={page.next_token or page.previous_token}" in response.content.decode()


def test_my_tasks_keeps_its_filters_in_every_page_link(client):
    agency = AgencyFactory()
    client.force_login(UserFactory(role=Role.BOARD_MANAGER))
    _deadlines(60, agency=agency)
    response = client.get(reverse("reviews:tasks"), {"agency": agency.pk})
    html = response.content.decode()
    page = response.context["page"]
    assert f"?agency={agency.pk}&amp;page={page.next_token}" in html
    assert f"?agency={agency.pk}&amp;page=last" in html
    following = client.get(reverse("reviews:tasks"), {"agency": agency.pk, "page": page.next_token})
    assert following.context["page"].has_previous
    assert not {d.pk for d in page} & {d.pk for d in following.context["page"]}


@pytest.mark.parametrize("token", ["2", "last", "nbad", "p" + "x" * 5000])
def test_my_tasks_answers_any_page_token(client, token):
    client.force_login(UserFactory(role=Role.BOARD_MANAGER))
    _deadlines(30, agency=AgencyFactory())
    assert client.get(reverse("reviews:tasks"), {"page": token}).status_code == 200


def test_notifications_are_paged_newest_first_with_flat_queries(
    client, django_assert_max_num_queries
):
    person = UserFactory()
    client.force_login(person)
    NotificationFactory.create_batch(3, recipient=person)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("reviews:notifications")).status_code == 200
    NotificationFactory.create_batch(120, recipient=person)
    NotificationFactory.create_batch(5, recipient=UserFactory())
    expected = list(Notification.objects.filter(recipient=person).order_by("-created_at", "-id"))
    seen, query = [], ""
    while True:
        with django_assert_max_num_queries(len(small)):
            response = client.get(reverse("reviews:notifications") + query)
        page = response.context["page"]
        seen += list(page)
        if not page.has_next:
            break
        query = f"?page={page.next_token}"
    assert seen == expected
    last = client.get(reverse("reviews:notifications"), {"page": "last"}).context["page"]
    assert list(last) == expected[-len(last) :]
