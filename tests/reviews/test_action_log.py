"""The board's action log: the actions handed over from closed reviews, every agency's for the
board manager and the chair, an agency lead's own agency's for them."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from agencies.services import person_roles_set
from reviews.models import Action
from tests.factories import ActionFactory, AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

LOG = reverse("reviews:action_log")


@pytest.fixture
def police():
    return AgencyFactory(name="Northshire Police")


@pytest.fixture
def health():
    return AgencyFactory(name="Northshire Health")


def _lead(agency):
    lead = UserFactory(agency=agency)
    person_roles_set(person=lead, roles=[Role.AGENCY_LEAD], agency=agency)
    return lead


def _changes(response) -> list[str]:
    text = response.content.decode()
    return re.findall(r'class="govuk-link" href="[^"]+">([^<]+)</a></td>', text)


@pytest.fixture
def logged(police, health):
    """A handed-over action of each agency, one overdue, and one action never handed over."""
    return {
        "police": ActionFactory(handed_over=True, agency=police, change="Police weekly check"),
        "health": ActionFactory(
            handed_over=True,
            agency=health,
            change="Health visitor training",
            status=Action.Status.AT_RISK,
        ),
        "overdue": ActionFactory(
            handed_over=True,
            agency=health,
            change="Health audit",
            target_on=timezone.localdate() - timedelta(days=3),
        ),
        "not_handed": ActionFactory(agency=police, change="Still in its review"),
    }


@pytest.mark.parametrize("role", [Role.BOARD_MANAGER, Role.CHAIR])
def test_the_board_manager_and_the_chair_see_every_handed_over_action(client, logged, role):
    client.force_login(UserFactory(role=role))
    response = client.get(LOG)
    assert response.status_code == 200
    assert sorted(_changes(response)) == [
        "Health audit",
        "Health visitor training",
        "Police weekly check",
    ]


def test_an_agency_lead_sees_their_own_agency_s_only(client, logged, police, health):
    client.force_login(_lead(health))
    response = client.get(LOG)
    assert sorted(_changes(response)) == ["Health audit", "Health visitor training"]
    # Asking for another agency's gets nothing of it.
    response = client.get(LOG, {"agency": police.pk})
    assert _changes(response) == []


@pytest.mark.parametrize("role", [Role.PANEL_MEMBER, Role.INDEPENDENT_AUTHOR, None])
def test_no_one_else_sees_the_log(client, logged, role):
    client.force_login(UserFactory(role=role) if role else UserFactory())
    assert client.get(LOG).status_code == 403


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"agency": "police"}, ["Police weekly check"]),
        ({"status": Action.Status.AT_RISK}, ["Health visitor training"]),
        ({"status": "overdue"}, ["Health audit"]),
        # The overdue action is not started, but the plan shows it as overdue.
        ({"status": Action.Status.NOT_STARTED}, ["Police weekly check"]),
        ({"agency": "health", "status": "overdue"}, ["Health audit"]),
        ({"status": Action.Status.COMPLETE}, []),
    ],
)
def test_the_log_filters_by_agency_and_status(client, logged, police, health, filters, expected):
    agencies = {"police": police.pk, "health": health.pk}
    query = {k: agencies.get(v, v) if k == "agency" else v for k, v in filters.items()}
    client.force_login(UserFactory(role=Role.BOARD_MANAGER))
    assert sorted(_changes(client.get(LOG, query))) == expected


def test_the_log_links_each_action_to_its_progress_page(client, logged):
    client.force_login(UserFactory(role=Role.BOARD_MANAGER))
    page = client.get(LOG).content.decode()
    action = logged["police"]
    assert f'href="{action.get_absolute_url()}">Police weekly check</a>' in page
    assert action.review.reference in page


@pytest.mark.parametrize("count", [5, 200])
def test_the_log_pages_and_its_queries_stay_flat(client, django_assert_max_num_queries, count):
    police = AgencyFactory()
    lead = _lead(police)
    for n in range(count):
        ActionFactory(handed_over=True, agency=police if n % 2 else AgencyFactory())
    for person in (UserFactory(role=Role.BOARD_MANAGER), lead):
        client.force_login(person)
        with django_assert_max_num_queries(12):
            response = client.get(LOG)
        assert response.status_code == 200
        shown = len(_changes(response))
        expected_total = count if person != lead else count // 2
        assert shown == min(25, expected_total)
        assert f"{expected_total} action" in response.content.decode()
    client.force_login(UserFactory(role=Role.CHAIR))
    last = client.get(LOG, {"page": 8})
    assert len(_changes(last)) == (count - 175 if count == 200 else 5)
