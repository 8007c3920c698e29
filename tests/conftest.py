import secrets
from datetime import date
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from agencies.models import Role
from agencies.services import person_roles_set
from agencies.signin import SECOND_FACTOR_GIVEN
from outbox import services as outbox_services
from reviews.audit_tables import audit_tables
from reviews.builders import Cast, review_at
from reviews.management.commands.db_roles import erase_function_create
from scr.celery import app as celery_app
from tests.documents import PDF
from tests.factories import AgencyFactory, ReviewFactory, UserFactory
from tests.roles import ON_POSTGRES, role_drop

# The period under review that tests of the chronology count entries inside or outside of.
PERIOD_2025 = {"period_start": date(2025, 1, 1), "period_end": date(2025, 12, 31)}


def pytest_collection_modifyitems(items):
    """Refuse a test outside tests/browser that asks for a Playwright fixture (a parameter
    named "page", say). pytest would then run every browser test beside it, in the middle of
    the database tests, and the browser tests' flush would empty the database under the rest."""
    strays = [
        item.nodeid
        for item in items
        if "browser_name" in getattr(getattr(item, "callspec", None), "params", {})
        and not item.nodeid.startswith("tests/browser/")
    ]
    if strays:
        raise pytest.UsageError(f"Playwright fixtures outside tests/browser: {strays}")


@pytest.fixture(scope="session")
def django_db_setup(playwright, django_db_setup):
    """Start Playwright before the test database is made.

    Playwright's sync API runs an event loop in the main thread, and Django's connections are
    local to their async context: the connection that the database set-up stores the
    serialized rollback data on must be the one the browser tests use, or the role groups that
    a migration made are lost after the first live-server test. Every transactional test uses
    serialized_rollback: mixing the two kinds makes PostgreSQL restore content types twice.
    """


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """Run Celery tasks in-process, as the embedded default does, even when REDIS_URL names a
    real broker: tests check what a task does; tests of the broker itself say so."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    outbox_services._broker_paused_until = 0.0  # a refusal in one test does not pause the next
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _force_login_gives_the_second_factor(monkeypatch):
    """``client.force_login`` stands for a complete sign-in: password and second factor. Tests
    of the second factor itself sign in through the sign-in page instead."""
    force_login = Client.force_login

    def force_login_with_second_factor(self, user, backend=None):
        force_login(self, user, backend)
        session = self.session
        session[SECOND_FACTOR_GIVEN] = True
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login_with_second_factor)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Hashing passwords slowly is right in production and pointless in tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Tests render pages without running collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def agency():
    return AgencyFactory(name="Northshire Constabulary")


@pytest.fixture
def other_agency():
    return AgencyFactory(name="Riverside Academy Trust")


@pytest.fixture
def users_by_role(agency):
    """One active person per role, plus an outsider with no role at all."""
    users = {role.value: UserFactory(role=role) for role in Role}
    users[Role.AGENCY_LEAD.value].agency = agency
    users[Role.AGENCY_LEAD.value].save()
    users["outsider"] = UserFactory()
    return users


@pytest.fixture
def manager(users_by_role):
    return users_by_role[Role.BOARD_MANAGER.value]


@pytest.fixture
def chair(users_by_role):
    return users_by_role[Role.CHAIR.value]


@pytest.fixture
def review(manager):
    return ReviewFactory(created_by=manager)


def pdf(name="draft.pdf"):
    return SimpleUploadedFile(name, PDF)


@pytest.fixture
def overview(manager, chair):
    """A review at stage 5: two agencies in scope, each with a lead whose report was accepted,
    and an appointed author. Returns a namespace: review, reports, leads (``leads[i]`` is the
    lead of ``reports[i]``'s agency), author."""
    agencies = [AgencyFactory(), AgencyFactory()]
    cast = Cast(manager=manager, chair=chair, author=UserFactory(role=Role.INDEPENDENT_AUTHOR))
    for agency in agencies:
        cast.leads[agency.pk] = UserFactory(agency=agency)
        person_roles_set(person=cast.leads[agency.pk], roles=[Role.AGENCY_LEAD], agency=agency)
    built = review_at(
        "overview", cast=cast, agencies_in_scope=agencies, seats=[], terms=PERIOD_2025
    )
    return SimpleNamespace(
        review=built.review,
        reports=built.reports,
        leads=[cast.lead_of(report.agency) for report in built.reports],
        author=cast.author,
    )


@pytest.fixture
def app_role():
    """A throwaway name for the app's restricted database role (tests/roles.py), dropped
    afterwards so that a test can run again on the same server."""
    role = f"scr_app_test_{secrets.token_hex(4)}"
    try:
        yield role
    finally:
        role_drop(role)


@pytest.fixture
def erase_function():
    """On PostgreSQL, the function that destroying a review erases history rows through, as
    ``manage.py db_roles`` makes it after every migrate (the test database has no app role:
    the owner runs it)."""
    if ON_POSTGRES:
        with connection.cursor() as cursor:
            erase_function_create(cursor, grant_to=None, audit=audit_tables())
