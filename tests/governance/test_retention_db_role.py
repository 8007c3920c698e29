"""Destroying a review under the app's restricted PostgreSQL role (CI's second pass).

The role may only read and add to the audit trail (SECURITY-CHECKS F3). The one act that
erases rows of it goes through the owner's function ``scr_erase_history``, which refuses unless
the calling transaction wrote the review's tombstone, which the role can never change or
remove. The role is made by ``manage.py db_roles`` and the tests act as it with SET ROLE.
"""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models.deletion import ProtectedError
from django.urls import reverse

from governance.models import Tombstone
from reviews.audit_tables import ERASE_FUNCTION
from reviews.models import AccessChange, AccessLog, Review
from tests.factories import (
    AccessChangeFactory,
    PublicationFactory,
    PublicationVersionFactory,
    ReviewFactory,
    TombstoneFactory,
)
from tests.governance.conftest import (
    CLOSED_AT,
    PERSONAL,
    closed_review,
    full_review,
    on_day,
    text_columns_holding,
)
from tests.roles import acting_as, needs_postgres, refused

pytestmark = [needs_postgres, pytest.mark.usefixtures("six_years", "erase_function")]

HISTORY = "reviews_historicalreview"


def _erase(tombstone_pk: int, table: str, ids: list[int]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {ERASE_FUNCTION}(%s, %s, %s)", [tombstone_pk, table, ids])
        return cursor.fetchone()[0]


def _purge(client, reference: str):
    return client.post(
        reverse("governance:purge", args=[reference]),
        {"reason": "Past the board's retention period.", "confirm_reference": reference},
    )


@pytest.mark.django_db
def test_the_app_role_destroys_a_review_and_leaves_none_of_its_personal_data(
    client, cast, agencies, app_role, django_capture_on_commit_callbacks
):
    with time_machine.travel(CLOSED_AT - timedelta(days=60), tick=False):
        built = full_review(cast, agencies)
    review = closed_review(built, cast)
    reference = review.reference
    for value in PERSONAL:
        assert text_columns_holding(value), f"{value} was never stored: the test proves nothing"
    assert AccessChange.objects.filter(review=review).exists()
    looks = AccessLog.objects.count()
    call_command("db_roles", app_role)
    client.force_login(cast.manager)
    with (
        acting_as(app_role),
        on_day(date(2026, 3, 1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = _purge(client, reference)
    tombstone = Tombstone.objects.get(reference=reference)
    assert response.status_code == 302
    assert response["Location"] == tombstone.get_absolute_url()
    assert {value: text_columns_holding(value) for value in PERSONAL} == {
        value: [] for value in PERSONAL
    }
    assert not Review.objects.filter(reference=reference).exists()
    assert not AccessChange.objects.filter(review_id=review.pk).exists()
    assert not review.history.model.objects.filter(id=review.pk).exists()
    # The tombstone and its history row stay, and so does the access log: who looked.
    assert tombstone.history.get().history_type == "+"
    assert AccessLog.objects.count() > looks


@pytest.mark.django_db
def test_the_app_role_destroys_a_published_review_keeping_its_report(
    client, cast, closed, app_role
):
    version = PublicationVersionFactory(review=closed)
    publication = PublicationFactory(review=closed, version=version)
    call_command("db_roles", app_role)
    client.force_login(cast.manager)
    with acting_as(app_role), on_day(date(2026, 3, 1)):
        response = _purge(client, closed.reference)
    assert response.status_code == 302
    assert Tombstone.objects.get(reference=closed.reference).kept_publication
    shell = Review.objects.get(pk=closed.pk)
    assert shell.records_destroyed_at is not None
    assert not shell.history.exists()
    assert not AccessChange.objects.filter(review=shell).exists()
    assert client.get(reverse("public:detail", args=[publication.pk])).status_code == 200


@pytest.mark.django_db
def test_the_app_role_still_may_not_erase_history_nor_change_a_tombstone(app_role):
    review = ReviewFactory()
    AccessChangeFactory(review=review)
    tombstone = TombstoneFactory()
    call_command("db_roles", app_role)
    historical = review.history.model
    with acting_as(app_role):
        refused(lambda: historical.objects.filter(id=review.pk).delete())
        refused(lambda: AccessChange.objects.filter(review=review).delete())
        refused(lambda: Tombstone.objects.filter(pk=tombstone.pk).update(reason="Changed."))
        refused(lambda: Tombstone.objects.filter(pk=tombstone.pk).delete())
        refused(lambda: connection.cursor().execute("TRUNCATE governance_tombstone"))
        # The review itself cannot go while its access changes stay: they are protected.
        with pytest.raises(ProtectedError), transaction.atomic():
            review.delete()
    tombstone.refresh_from_db()
    assert tombstone.reason == "Past the board's retention period."
    assert historical.objects.filter(id=review.pk).exists()


@pytest.mark.django_db
def test_the_function_erases_only_history_tables_and_access_changes(app_role):
    review = ReviewFactory()
    call_command("db_roles", app_role)
    with acting_as(app_role):
        tombstone = TombstoneFactory()
        for table in [
            "reviews_review",
            "reviews_accesslog",
            "governance_tombstone",
            "governance_historicaltombstone",
            f"{HISTORY}; DROP TABLE reviews_review",
            f'{HISTORY}" WHERE true; --',
        ]:
            refused(lambda table=table: _erase(tombstone.pk, table, [review.pk]), "not an audit")
        assert _erase(tombstone.pk, HISTORY, [review.pk]) == 1
    assert Review.objects.filter(pk=review.pk).exists()
    assert not review.history.exists()


@pytest.mark.django_db
def test_no_one_but_the_app_role_may_run_the_function(app_role):
    other = f"{app_role}_other"
    call_command("db_roles", app_role)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {connection.ops.quote_name(other)} NOLOGIN")
        cursor.execute(
            "SELECT has_function_privilege(%s, %s, 'EXECUTE'), "
            "has_function_privilege(%s, %s, 'EXECUTE'), p.prosecdef, p.proconfig "
            "FROM pg_proc p WHERE p.proname = %s",
            [
                app_role,
                f"{ERASE_FUNCTION}(bigint, text, bigint[])",
                other,
                f"{ERASE_FUNCTION}(bigint, text, bigint[])",
                ERASE_FUNCTION,
            ],
        )
        mine, theirs, definer, config = cursor.fetchone()
        cursor.execute(f"DROP ROLE {connection.ops.quote_name(other)}")
    assert (mine, theirs, definer) == (True, False, True)
    assert config[0].startswith("search_path=pg_catalog, ")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_function_refuses_a_tombstone_not_written_in_this_transaction(app_role):
    call_command("db_roles", app_role)
    review = ReviewFactory()
    earlier = TombstoneFactory()  # committed: written by another transaction
    with transaction.atomic(), acting_as(app_role):
        refused(lambda: _erase(earlier.pk, HISTORY, [review.pk]), "not written in this")
        # Written now, in a savepoint as Django's nested atomic blocks make: accepted. The
        # transaction has written, yet the earlier tombstone is still refused.
        with transaction.atomic():
            now = TombstoneFactory()
        refused(lambda: _erase(earlier.pk, HISTORY, [review.pk]), "not written in this")
        refused(lambda: _erase(now.pk + 1000, HISTORY, [review.pk]), "not written in this")
        assert review.history.exists()
        assert _erase(now.pk, HISTORY, [review.pk]) == 1
    assert not review.history.exists()


@pytest.mark.django_db
def test_without_the_function_the_board_manager_is_told_to_run_db_roles(client, cast, closed):
    with connection.cursor() as cursor:
        cursor.execute(f"DROP FUNCTION {ERASE_FUNCTION}(bigint, text, bigint[])")
    client.force_login(cast.manager)
    with on_day(date(2026, 3, 1)):
        response = _purge(client, closed.reference)
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "nothing has changed" in page
    assert "run manage.py db_roles" in page
    assert Review.objects.filter(pk=closed.pk).exists()
    assert closed.history.exists()
    assert not Tombstone.objects.exists()
