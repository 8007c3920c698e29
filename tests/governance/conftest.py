"""A review with personal data in every app that holds any, built through the services."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from families.models import Contact, FamilyMember
from families.services.involvement import family_contact_record, family_meeting_offer
from families.services.members import family_member_save
from publication.services import pseudonym_add
from reviews.builders import cast_create, review_at
from reviews.services.chronology import chronology_entry_save
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
