import pytest
from django.urls import reverse

from tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def test_factories_build_a_decided_review(client, manager):
    review = ReviewFactory(decided=True)
    client.force_login(manager)
    response = client.get(reverse("reviews:detail", args=[review.reference]))
    assert response.status_code == 200
    assert review.decision.outcome == "initiate"
    assert review.transitions.count() == 1
