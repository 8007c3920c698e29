"""The family's records made from the household the referral named: once each, by the board
manager, with history."""

from datetime import date

import pytest
from django.urls import reverse

from agencies.models import Role
from agencies.services import person_roles_set
from families.models import FamilyMember
from families.services.members import family_members_seed
from reviews.builders import Cast, review_at
from reviews.models import ReferralFamilyMember
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

HOUSEHOLD = [
    {
        "name": "Canary Mother",
        "relationship": "mother",
        "date_of_birth": date(1995, 4, 3),
        "lives_with_subject": True,
        "parental_responsibility": "yes",
    },
    {
        "name": "Canary Partner",
        "relationship": "other",
        "relationship_other": "Mother's partner",
        "lives_with_subject": True,
        "parental_responsibility": "no",
    },
]


@pytest.fixture
def people():
    agency = AgencyFactory()
    lead = UserFactory(agency=agency)
    person_roles_set(person=lead, roles=[Role.AGENCY_LEAD], agency=agency)
    return {
        "manager": UserFactory(role=Role.BOARD_MANAGER),
        "chair": UserFactory(role=Role.CHAIR),
        "lead": lead,
        "agency": agency,
    }


@pytest.fixture
def review(people):
    cast = Cast(manager=people["manager"], chair=people["chair"])
    built = review_at(
        "referral",
        cast=cast,
        agencies_in_scope=[people["agency"]],
        referral={"family": HOUSEHOLD},
    )
    return built.review


def test_the_choices_of_relationship_and_responsibility_are_the_family_records_own():
    assert ReferralFamilyMember.Relationship.choices == FamilyMember.Relationship.choices
    assert (
        ReferralFamilyMember.ParentalResponsibility.choices
        == FamilyMember.ParentalResponsibility.choices
    )


def test_seeding_adds_each_person_once_with_history(review, people):
    manager = people["manager"]
    added = family_members_seed(review=review, actor=manager)
    assert [(m.name, m.relationship_label, m.date_of_birth) for m in added] == [
        ("Canary Mother", "Mother", date(1995, 4, 3)),
        ("Canary Partner", "Mother's partner", None),
    ]
    assert [m.parental_responsibility for m in added] == ["yes", "no"]
    record = added[0].history.latest()
    assert (record.history_user, record.history_change_reason) == (
        manager,
        "added from the referral",
    )
    row = ReferralFamilyMember.objects.get(name="Canary Mother")
    assert row.added_to_family_at is not None
    assert row.history.latest().history_user == manager

    assert family_members_seed(review=review, actor=manager) == []
    assert FamilyMember.objects.filter(review=review).count() == 2


def test_the_button_adds_the_family_once_and_then_goes(client, review, people):
    url = reverse("families:list", args=[review.reference])
    client.force_login(people["manager"])
    assert "Add the family from the referral" in client.get(url).content.decode()
    response = client.post(reverse("families:seed", args=[review.reference]))
    assert response.status_code == 302
    assert response["Location"] == url
    page = client.get(url).content.decode()
    assert "2 people added from the referral" in page
    assert "Add the family from the referral" not in page
    client.post(reverse("families:seed", args=[review.reference]))
    assert FamilyMember.objects.filter(review=review).count() == 2


@pytest.mark.parametrize(("person", "status"), [("chair", 403), ("lead", 404)])
def test_only_the_board_manager_adds_the_family(client, review, people, person, status):
    client.force_login(people[person])
    response = client.post(reverse("families:seed", args=[review.reference]))
    assert response.status_code == status
    assert not FamilyMember.objects.exists()
    if person == "chair":
        page = client.get(reverse("families:list", args=[review.reference])).content.decode()
        assert "Add the family from the referral" not in page
