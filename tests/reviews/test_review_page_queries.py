"""The review's page costs the same queries for every role, for a small or a large review and
however many reviews the board holds; permission checks in a request share one checker."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.models import Agency
from agencies.permissions import object_permissions_shared
from reviews.builders import cast_create, review_at
from reviews.permissions.panel import can_view_panel
from reviews.permissions.review import can_view_review
from reviews.services.panel import panel_member_add, panel_member_remove
from tests.factories import ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ("manager", "chair", "panel", "author", "lead")
# What the page may ask of the database at most, whoever reads it (the admin's change view of
# a review asks about 20).
MOST = 40


@pytest.fixture
def board():
    agencies = [Agency.objects.create(name=f"Queried {n}", sector="health") for n in range(6)]
    return agencies, cast_create(agencies=agencies, domain="queries.example")


def _people(cast, agency):
    return {
        "manager": cast.manager,
        "chair": cast.chair,
        "panel": cast.panel[0],
        "author": cast.author,
        "lead": cast.lead_of(agency),
    }


def _page_queries(client, person, reference) -> int:
    client.force_login(person)
    url = f"/reviews/{reference}/"
    assert client.get(url).status_code == 200  # the first look may set up the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_review_page_costs_the_same_queries_for_every_role_and_size(client, board):
    agencies, cast = board
    small = review_at("agency_reports", cast=cast, agencies_in_scope=agencies[:2])
    large = review_at(
        "agency_reports",
        cast=cast,
        agencies_in_scope=agencies,
        reports={agency.pk: "submitted" for agency in agencies},
    )
    counts = {}
    for name, built in (("small", small), ("large", large)):
        for role, person in _people(cast, agencies[1]).items():
            counts[name, role] = _page_queries(client, person, built.review.reference)
    assert len(set(counts.values())) == 1, counts
    assert max(counts.values()) <= MOST


def test_the_review_page_costs_the_same_with_5_or_50_reviews(client, board):
    agencies, cast = board
    built = review_at("agency_reports", cast=cast, agencies_in_scope=agencies[:3])
    ReviewFactory.create_batch(4)
    few = {
        role: _page_queries(client, person, built.review.reference)
        for role, person in _people(cast, agencies[1]).items()
    }
    ReviewFactory.create_batch(45)
    many = {
        role: _page_queries(client, person, built.review.reference)
        for role, person in _people(cast, agencies[1]).items()
    }
    assert few == many
    assert len(set(few.values())) == 1, few


def test_checks_in_one_request_share_one_checker(board, django_assert_max_num_queries):
    agencies, cast = board
    review = review_at("agency_reports", cast=cast, agencies_in_scope=agencies[:2]).review
    lead = cast.lead_of(agencies[1])
    with object_permissions_shared():
        # The person's global permissions (Django keeps them on the user), then the checker's.
        with django_assert_max_num_queries(4):
            assert can_view_review(lead, review)
        with django_assert_max_num_queries(0):
            for _ in range(10):
                assert can_view_review(lead, review)
                assert not can_view_panel(lead, review)


def test_a_grant_and_a_withdrawal_in_one_request_are_seen_at_once(board):
    agencies, cast = board
    review = review_at("convened", cast=cast, agencies_in_scope=agencies[:2]).review
    person = UserFactory(agency=agencies[0])
    with object_permissions_shared():
        assert not can_view_panel(person, review)
        member = panel_member_add(
            review=review,
            actor=cast.manager,
            person=person,
            panel_role="member",
            not_involved_in_case=True,
            no_management_responsibility=True,
            declared_on=timezone.localdate() - timedelta(days=1),
        )
        assert can_view_panel(person, review)
        panel_member_remove(member=member, actor=cast.manager, reason="Left the partnership")
        assert not can_view_panel(person, review)
