"""A review with personal data in every app that holds any, built through the services."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from families.models import Contact, FamilyMember
from families.services.involvement import family_contact_record, family_meeting_offer
from families.services.members import family_member_save
from publication.services import pseudonym_add
from reviews.builders import cast_create, review_at
from reviews.services.chronology import chronology_entry_save
from reviews.services.closing import review_withdraw
from reviews.services.interviews import interview_record
from tests.factories import AgencyFactory

# Invented personal data, each unlikely to be anywhere else in the database.
SUBJECT = "Zebediah Quillfeather"
BORN = date(2015, 3, 14)
ADDRESS = "12 Lanternwick Row"
REFERRER = "Hester Mulberryweather"
MOTHER = "Marigold Featherstonehaugh"
WORKER = "Ottoline Brackenburrow"
PERSONAL = [SUBJECT, BORN.isoformat(), ADDRESS, REFERRER, MOTHER, WORKER]


@pytest.fixture
def agencies():
    return [AgencyFactory(name="Northshire Police"), AgencyFactory(name="Northshire Health")]


@pytest.fixture
def cast(agencies):
    return cast_create(agencies=agencies)


def casework(report, lead):
    """The agency's chronology and an interview, naming the child and the worker."""
    today = timezone.localdate()
    chronology_entry_save(
        report=report,
        actor=lead,
        occurred_on=today - timedelta(days=30),
        what_happened=f"Home visit to {SUBJECT} at {ADDRESS}.",
        practitioner_role="Health visitor",
    )
    interview_record(
        report=report,
        actor=lead,
        worker_role="Health Visitor 1",
        worker_name=WORKER,
        held_on=today - timedelta(days=2),
        interviewer="Lead reviewer",
        supporter_attended=False,
        notes=f"{WORKER} last saw {SUBJECT} in the spring.",
    )


def full_review(cast, agencies):
    """A review at the overview stage with the subject's identity, agencies' chronologies,
    interviews and reports, drafts, the family's records and the pseudonym map."""
    built = review_at(
        "overview",
        cast=cast,
        agencies_in_scope=agencies,
        referral={
            "full_name": SUBJECT,
            "date_of_birth": BORN,
            "address": ADDRESS,
            "referrer_name": REFERRER,
        },
        report_options={"casework": casework},
        drafts=1,
    )
    review = built.review
    mother = family_member_save(
        review=review,
        actor=cast.manager,
        name=MOTHER,
        relationship=FamilyMember.Relationship.MOTHER,
        address=ADDRESS,
        interpreter_needed=False,
        parental_responsibility=FamilyMember.ParentalResponsibility.YES,
    )
    family_contact_record(
        member=mother,
        actor=cast.manager,
        kind=Contact.Kind.TOLD_OF_REVIEW,
        on=timezone.localdate(),
        how=Contact.How.LETTER,
        by_whom="Board manager",
        leaflet_given=True,
        response=f"{MOTHER} will take part.",
    )
    family_meeting_offer(member=mother, actor=cast.manager, offered_on=timezone.localdate())
    pseudonym_add(
        review=review, actor=cast.manager, real_value=SUBJECT, replacement="Child A", kind="person"
    )
    return built


# The day the retention tests' reviews close (six years' retention: due on 1 March 2026).
CLOSED_AT = datetime(2020, 3, 1, 12, 0, tzinfo=timezone.get_fixed_timezone(0))


@pytest.fixture
def six_years(settings):
    settings.SCR_RETENTION_YEARS = 6


def closed_review(built, cast, when=CLOSED_AT):
    """The built review, withdrawn (so closed) at ``when``."""
    with time_machine.travel(when, tick=False):
        review_withdraw(review=built.review, actor=cast.manager, reason="No longer needed.")
    built.review.refresh_from_db()
    return built.review


@pytest.fixture
def closed(cast, agencies):
    with time_machine.travel(CLOSED_AT - timedelta(days=40), tick=False):
        built = review_at("decided", cast=cast, agencies_in_scope=agencies)
    return closed_review(built, cast)


def on_day(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=CLOSED_AT.tzinfo))


def text_columns_holding(value: str) -> list[str]:
    """Every table and column of the database, any type, whose text holds ``value``."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            for column in connection.introspection.get_table_description(cursor, table):
                quoted = connection.ops.quote_name(column.name)
                cursor.execute(
                    f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} "
                    f"WHERE CAST({quoted} AS TEXT) LIKE %s",
                    [f"%{value}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column.name}")
    return found
