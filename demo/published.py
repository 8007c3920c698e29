"""Demo: Child J, a serious case review published on the board's public site months ago, built
from its referral to its publication through the services, each step on the day it happened.

The services date everything "now" and refuse a publication date that has not come, so the
review is built with the clock travelled back (time-machine, a development dependency: the demo
only runs with DEBUG on): its referral about ten months ago, its report published about four
months ago. Its history reads as if it had happened then."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from agencies.models import Agency, User
from families.models import Contact, FamilyMember
from families.services.involvement import family_contact_record
from families.services.members import family_member_save, family_members_seed
from publication.builders import publication_plan_build
from publication.checks import version_check
from publication.models import Publication, PublicationPlan, Theme
from publication.publishing import publication_publish
from publication.selectors import publication_version_latest
from publication.services import (
    pseudonym_add,
    pseudonyms_fill,
    publication_approve,
    publication_notice_record,
)
from publication.versions import hit_resolve
from reviews.builders import Cast, review_at
from reviews.frameworks import AgeGroup, Ethnicity, Framework, Outcome
from reviews.models import Review

# The report as the panel agreed it, in the writing form (scr/richtext.py). The author wrote
# the family's and the school's real names in places, as authors do; the pseudonym map replaces
# them in the publication version.
REPORT_TEXT = {
    "executive_summary": (
        "Ellie Hollis was two years old when she was admitted to hospital with a broken arm "
        "and bruises of different ages. She lived with her mother and her mother's partner.\n\n"
        "Four agencies knew the family. Each saw a part of what was happening. Nobody put the "
        "parts together, and nobody asked Ellie's mother about her new partner.\n\n"
        "The review makes three recommendations. They are about asking who lives in the home, "
        "sharing worries early, and checking that a referral was received."
    ),
    "how_run": (
        "The panel met five times. Each agency wrote a report of its own contact with the "
        "family. The lead reviewer met the practitioners at a learning event and met Ellie's "
        "grandmother twice."
    ),
    "case_summary": (
        "Ellie's mother, Donna Hollis, moved to Eastfield Road with Ellie in the spring. Her "
        "new partner moved in soon after. The health visitor saw Ellie at home three times; "
        "the nursery at Brookfield Children's Centre noticed bruises twice."
    ),
    "agency_analysis": (
        "## Health\n\nThe health visitor recorded the partner's first name only and did not "
        "ask about him again.\n\n## Early years\n\nThe nursery recorded two bruises and "
        "rang the front door once. It did not check that its referral was received."
    ),
    "family_views": (
        "Ellie's grandmother told the review that the family felt nobody listened to them "
        "when they raised worries about the partner."
    ),
    "good_practice": (
        "The hospital's paediatric team recognised the pattern of injuries on the day of "
        "admission and acted at once."
    ),
    "lessons": (
        "- Ask who lives in the home, and ask again when things change.\n"
        "- A referral is not finished until someone has confirmed it arrived.\n"
        "- Bruising in a child who is not yet walking well needs an explanation."
    ),
    "recommendations": (
        "1. Health visitors record every adult living in the home at each visit.\n"
        "2. Early years settings check within a day that a referral was received.\n"
        "3. The partnership audits how agencies ask about new partners."
    ),
}

RECOMMENDATIONS = [
    "Health visitors should record every adult living in the home at each visit.",
    "Early years settings should check within a day that a referral was received.",
    "The partnership should audit how agencies ask about new partners.",
]

THEMES = ["Men in the household", "Information sharing", "Physical abuse"]

# What the map gets by hand, beyond the names the review holds.
PLACES = [
    ("Brookfield Children's Centre", "the nursery", "organisation"),
    ("Eastfield Road", "a new address", "place"),
]


def _at(day: date):
    """The clock travelled to noon of ``day``, standing still. time-machine is imported here,
    not with the module: the production image lacks it, and there the demo command must reach
    its own refusal (DEBUG off) rather than fail on an import."""
    import time_machine

    return time_machine.travel(timezone.make_aware(datetime.combine(day, time(12))), tick=False)


def _referral(built_on: date, school: Agency, health: Agency) -> dict:
    referred_on = built_on - timedelta(days=90)
    return {
        "referred_on": referred_on,
        "incident_date": referred_on - timedelta(days=6),
        "subject_reference": "Child J",
        "harm": Review.Harm.SERIOUS_HARM,
        "sex": Review.Sex.FEMALE,
        "ethnicity": Ethnicity.BRITISH,
        "first_language": "English",
        "full_name": "Ellie Hollis",
        "date_of_birth": referred_on - timedelta(days=2 * 365 + 40),
        "age_group": AgeGroup.AGED_1_4,
        "abuse_categories": [Review.AbuseCategory.PHYSICAL],
        "referring_agency": health,
        "referrer_name": "Named Nurse for Safeguarding",
        "referrer_role": "Named Nurse for Safeguarding",
        "agencies_involved": [health, school],
        "circumstances": "Child J, aged two, was admitted to hospital with a broken arm and "
        "bruises of different ages.",
        "family": [
            {
                "name": "Donna Hollis",
                "relationship": "mother",
                "lives_with_subject": True,
                "parental_responsibility": "yes",
            },
        ],
    }


def _family(review: Review, manager: User, *, told_on: date) -> None:
    """Child J's family: her mother (from the referral) and her grandmother, both told of the
    review and shown the report before publication."""
    mother = family_members_seed(review=review, actor=manager)[0]
    grandmother = family_member_save(
        review=review,
        actor=manager,
        name="Maureen Hollis",
        relationship=FamilyMember.Relationship.GRANDPARENT,
        address="5 Orchard Close\nEastbridge\nNorthshire\nNS7 4DF",
        preferred_contact=FamilyMember.Contact.LETTER,
        parental_responsibility=FamilyMember.ParentalResponsibility.NO,
        interpreter_needed=False,
    )
    for member in (mother, grandmother):
        family_contact_record(
            member=member,
            actor=manager,
            kind=Contact.Kind.TOLD_OF_REVIEW,
            on=told_on,
            how=Contact.How.LETTER,
            by_whom="Priya Marsh, board manager",
            leaflet_given=True,
        )
        family_contact_record(
            member=member,
            actor=manager,
            kind=Contact.Kind.SHOWN_REPORT,
            on=told_on + timedelta(days=55),
            by_whom="The lead reviewer",
            response="Read the summary with the lead reviewer and asked for no changes.",
        )


def _resolve_the_rest(built) -> None:
    """Mark what the identifier check still finds in the version as not identifying (the map
    replaced every name; what is left is a common word)."""
    review = built.review
    version = publication_version_latest(review=review)
    for hit, resolution in version_check(version).hits:
        if resolution is None:
            hit_resolve(
                review=review,
                actor=built.cast.manager,
                number=version.number,
                key=hit.key,
                reason="A common word here, not a name.",
            )


def child_j_published(cast: Cast, *, agencies: list[Agency], today: date) -> Publication:
    """Child J: referred about ten months ago, its summary report published about five months
    ago after the pseudonym map, the identifier check and the chair's approval."""
    police, school, health = agencies
    built_on = today - timedelta(days=200)
    planned = built_on + timedelta(days=30)
    with _at(built_on):
        referral = _referral(built_on, school, health)
        built = review_at(
            "publication",
            cast=cast,
            agencies_in_scope=[police, health],
            framework=Framework.SCR,
            referral=referral,
            decision={
                "decided_on": referral["referred_on"] + timedelta(days=7),
                "national_bodies_told_on": referral["referred_on"] + timedelta(days=8),
                "outcome": Outcome.INITIATE,
                "rationale": "A two-year-old seriously harmed, abuse suspected, and agencies "
                "who each knew part of the picture.",
            },
            terms={"lines_of_enquiry": ["How did agencies learn who lived in the home?"]},
            seats=[],
            report_due_on=built_on + timedelta(weeks=6),
            recommendations=RECOMMENDATIONS,
            report_text=REPORT_TEXT,
        )
        review, manager = built.review, cast.manager
        _family(review, manager, told_on=built_on - timedelta(days=60))
        pseudonyms_fill(review=review, actor=manager)
        for real_value, replacement, kind in PLACES:
            pseudonym_add(
                review=review,
                actor=manager,
                real_value=real_value,
                replacement=replacement,
                kind=kind,
            )
        publication_plan_build(
            built,
            form=PublicationPlan.Form.SUMMARY,
            planned_on=planned,
            rationale="The full report describes the injuries in detail; the executive summary "
            "carries every finding and recommendation without them.",
        )
        _resolve_the_rest(built)
        publication_notice_record(review=review, actor=manager, sent_on=built_on)
    with _at(planned - timedelta(days=10)):
        publication_approve(review=review, actor=cast.chair)
    with _at(planned):
        return publication_publish(
            review=review, actor=manager, themes=list(Theme.objects.filter(name__in=THEMES))
        )
