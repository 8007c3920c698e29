"""The people page, a page at a time: searched by name or email, agency and role, a bad search
shown as an error, and as many queries for a few people as for many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Role, User
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _names(response) -> list[str]:
    return [person.email for person, _ in response.context["people"]]


def test_people_are_searched_by_name_email_agency_and_role(client, manager):
    agency = AgencyFactory()
    chair = UserFactory(role=Role.CHAIR, first_name="Priya", last_name="Shah", agency=agency)
    lead = UserFactory(role=Role.AGENCY_LEAD, email="dana@police.example", agency=agency)
    UserFactory(first_name="Priya", last_name="Jones", agency=AgencyFactory())
    client.force_login(manager)
    people = reverse("agencies:people")
    assert _names(client.get(people, {"q": "priya shah"})) == [chair.email]
    assert _names(client.get(people, {"q": "POLICE.example"})) == [lead.email]
    assert set(_names(client.get(people, {"agency": agency.pk}))) == {chair.email, lead.email}
    by_role = {"role": Role.AGENCY_LEAD, "agency": agency.pk}
    assert _names(client.get(people, by_role)) == [lead.email]
    assert lead.email in _names(client.get(people, {"role": Role.AGENCY_LEAD}))
    assert _names(client.get(people, {"q": "priya", "role": Role.CHAIR})) == [chair.email]
    nobody = client.get(people, {"q": "nobody at all"})
    assert "There is no one to show with this search" in nobody.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"agency": "999999"}, "Select an agency from the list"),
        ({"agency": "police"}, "Select an agency from the list"),
        ({"role": "Superuser"}, "Select a role from the list"),
        ({"q": "x" * 201}, "Name or email must be 200 characters or fewer"),
        ({"q": "a\x00b"}, "Null characters are not allowed."),
    ],
)
def test_a_bad_search_shows_an_error_and_nobody(client, manager, query, message):
    client.force_login(manager)
    response = client.get(reverse("agencies:people"), query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert response.context["people"] == []


def test_people_are_paged_with_their_search_in_the_links(client, manager):
    agency = AgencyFactory()
    UserFactory.create_batch(60, agency=agency)
    client.force_login(manager)
    response = client.get(reverse("agencies:people"), {"agency": agency.pk})
    assert response.context["page"].paginator.count == 60
    assert len(response.context["people"]) == 50
    assert f"?agency={agency.pk}&amp;page=2" in response.content.decode()
    second = client.get(reverse("agencies:people"), {"agency": agency.pk, "page": 2})
    assert len(second.context["people"]) == 10


def test_the_people_page_queries_stay_flat(client, manager, django_assert_max_num_queries):
    client.force_login(manager)
    agencies = AgencyFactory.create_batch(5)
    for n in range(3):
        UserFactory(role=Role.CHAIR if n % 2 else Role.PANEL_MEMBER, agency=agencies[n])
    queries = ("", "?page=3", f"?agency={agencies[0].pk}&role={Role.PANEL_MEMBER}")
    small = {}
    for query in queries:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("agencies:people") + query).status_code == 200
        small[query] = len(captured)
    for n in range(120):
        UserFactory(role=Role.PANEL_MEMBER, agency=agencies[n % 5])
    for query in queries:
        with django_assert_max_num_queries(small[query]):
            response = client.get(reverse("agencies:people") + query)
        assert response.context["people"]
    assert User.objects.count() > 120
