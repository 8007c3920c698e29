"""Behaviour under concurrent requests, which only a real PostgreSQL can show."""

import os
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from reviews.frameworks import AgeGroup, Framework
from reviews.models import Review
from reviews.services.referral import referral_create
from tests.factories import AgencyFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="row locks need PostgreSQL; CI's second pass runs this against it",
    ),
]


def test_concurrent_referrals_get_distinct_sequential_references():
    manager, agency = UserFactory(), AgencyFactory()
    today = timezone.localdate()
    workers = 8
    barrier = threading.Barrier(workers)
    references, errors = [], []

    def refer(n):
        try:
            barrier.wait()
            review = referral_create(
                actor=manager,
                framework=Framework.SCR,
                subject_reference=f"Child {n}",
                full_name=f"Subject {n}",
                date_of_birth=None,
                address="",
                age_group=AgeGroup.AGED_1_4,
                harm=Review.Harm.DEATH,
                abuse_categories=[Review.AbuseCategory.NEGLECT],
                referring_agency=agency,
                referrer_name="Referrer",
                referrer_contact="",
                incident_date=today - timedelta(days=3),
                referred_on=today,
                agencies_involved=[],
                circumstances="Invented.",
            )
            references.append(review.reference)
        except Exception as error:  # reported through the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=refer, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(references) == [f"SCR-{today.year}-{n:03d}" for n in range(1, workers + 1)]
