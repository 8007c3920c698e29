"""The review list joins each review to its completion target through the index that holds one
row a review, whatever statistics the database keeps: SQLite (``make run``'s database) keeps
none unless asked, and joined through another index, reading every completion target for each
review (a dashboard of 5,000 reviews took 11 s)."""

import pytest
from django.db import connection

from agencies.models import Role
from reviews.models import Deadline
from reviews.selectors.review import review_list
from tests.factories import DeadlineFactory, ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_the_target_join_uses_the_one_row_a_review_index():
    manager = UserFactory(role=Role.BOARD_MANAGER)
    for _ in range(3):
        review = ReviewFactory()
        DeadlineFactory(review=review, kind=Deadline.Kind.REVIEW_COMPLETE)
    sql, params = review_list(user=manager, sort="target").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [row[-1] for row in cursor.fetchall()]
    (join,) = [step for step in plan if "open_target" in step]
    assert "USING INDEX one_review_deadline_per_kind (review_id=? AND kind=?)" in join
