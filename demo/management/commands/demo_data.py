"""Load a fictional board's demo data: agencies, one login per role and reviews at each stage.

Every name, place and event here is invented. The command refuses to run unless DEBUG is on,
so that no demo login can ever exist in production. Each review is built by reviews/builders.py,
through the same services the pages use; this file holds the board and the demo's words.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from weasyprint import HTML

from agencies.models import Agency, Role, User
from agencies.services import agency_create
from demo.learning import child_j_learning
from demo.published import child_j_published
from families.models import Contact, FamilyMember, Meeting
from families.services.involvement import (
    family_contact_record,
    family_meeting_hold,
    family_meeting_offer,
    family_notes_answer,
    family_notes_send,
    family_views_save,
)
from families.services.members import family_member_decline, family_member_save, family_members_seed
from publication.builders import publication_plan_build
from publication.models import PublicationPlan
from publication.services import pseudonym_add, pseudonyms_fill
from reviews.builders import Cast, Seat, person_create, report_advance, review_at
from reviews.frameworks import AgeGroup, Ethnicity, Framework, Outcome, profile_for
from reviews.models import (
    Deadline,
    PanelMember,
    ParallelProcess,
    RapidReview,
    Review,
    ThresholdDecision,
)
from reviews.services.chronology import chronology_entry_save
from reviews.services.clock import clock_stop
from reviews.services.closing import review_sign_off
from reviews.services.interviews import interview_notes_send, interview_record
from reviews.services.overview import (
    comment_add,
    recommendation_correct,
    recommendation_remove,
)
from reviews.services.parallel import parallel_process_record
from reviews.workdays import add_working_days

DEMO_PASSWORD = "northshire-demo"
_NO_EMAIL = "django.core.mail.backends.dummy.EmailBackend"

AGENCIES = [
    ("Northshire Constabulary", Agency.Sector.POLICE),
    ("Northshire NHS Foundation Trust", Agency.Sector.HEALTH),
    ("Northshire County Council Children's Services", Agency.Sector.CHILDRENS_SOCIAL_CARE),
    ("Northshire County Council Adult Social Care", Agency.Sector.ADULT_SOCIAL_CARE),
    ("Riverside Academy Trust", Agency.Sector.EDUCATION),
    ("Probation Service, Northshire", Agency.Sector.PROBATION),
    ("Northshire Homes", Agency.Sector.HOUSING),
    ("Northshire Women's Aid", Agency.Sector.VOLUNTARY),
]

# The demo sign-ins (README.md): email, first name, last name, role, index into AGENCIES.
PEOPLE = [
    ("manager@northshire.example", "Priya", "Marsh", Role.BOARD_MANAGER, None),
    ("chair@northshire.example", "Alan", "Whitcombe", Role.CHAIR, None),
    ("author@northshire.example", "Ruth", "Delaney", Role.INDEPENDENT_AUTHOR, None),
    ("panel@northshire.example", "Samir", "Okonjo", Role.PANEL_MEMBER, 1),
    ("agency@northshire.example", "Helen", "Cartwright", Role.AGENCY_LEAD, 0),
]
# People with no sign-in: panel nominees and the health trust's lead.
OTHERS = [
    ("grace.adeyemi@northshire.example", "Grace", "Adeyemi", "Head of Safeguarding", None, 2),
    ("tom.reilly@northshire.example", "Tom", "Reilly", "Detective Chief Inspector", None, 0),
    (
        "nadia.hussain@northshire.example",
        "Nadia",
        "Hussain",
        "Named Nurse for Safeguarding Children",
        Role.AGENCY_LEAD,
        1,
    ),
]

# Child A's agencies' contacts with the family: days before the incident, what, who.
CONTACTS = [
    (120, "Home visit: the family had moved to temporary accommodation.", "Worker 1"),
    (75, "Appointment missed; a letter was sent to the old address.", "Worker 2"),
    (30, "Call from a neighbour about shouting at night; advice given.", "Call handler"),
    (6, "Attended the family home after the child was hurt.", "Officer 1"),
]
RAPID_REVIEW = {
    "attendees": "Designated doctor, children's social care head of service, police detective "
    "inspector, school designated safeguarding lead, partnership business manager.",
    "facts": "Agencies shared their contacts with the child over the last year. Concerns about "
    "school attendance were raised by three agencies but no single agency held the whole "
    "picture.",
    "immediate_action": "A strategy discussion was held; the child and a younger sibling are "
    "subject to child protection plans.",
    "learning": "How missing-from-education referrals reach children's social care; whether "
    "exploitation screening tools are used consistently.",
    "recommendation": RapidReview.Recommendation.REVIEW,
}
# Adult D's agencies' contacts with her, by sector: days before the incident, what, who.
ADULT_D_CONTACTS = {
    Agency.Sector.HEALTH: [
        (70, "District nurse visit: a grade 2 pressure sore on the left heel.", "District Nurse 1"),
        (63, "Told the GP of the pressure sore by phone.", "District Nurse 1"),
        (42, "District nurse visit: the sore worse; a new mattress asked for.", "District Nurse 2"),
        (14, "Visit cancelled: no answer at the door.", "District Nurse 2"),
    ],
    Agency.Sector.POLICE: [
        (42, "Welfare check asked for by a neighbour: she was well and at home.", "Officer 1"),
        (1, "Called by the carer who found her; attended with the ambulance.", "Officer 2"),
    ],
}

# The families of the reviews past panel convening, by subject. The board manager adds those
# the referral named from it, then completes their details (matched by name); anyone else is
# added as a new record. "declined": what they said, and how many days ago.
_R = FamilyMember.Relationship
_PR = FamilyMember.ParentalResponsibility
FAMILIES = {
    "Child A": [
        {
            "name": "Chloe Farrant",
            "relationship": _R.MOTHER,
            "address": "Flat 3, 14 Cobden Street\nNorthshire\nNS4 2QT",
            "phone": "07700 900412",
            "preferred_contact": FamilyMember.Contact.SUPPORTER,
            "supporter_name": "Dawn Mitchell",
            "supporter_organisation": "Northshire Family Advocacy Service",
            "supporter_contact": "dawn.mitchell@advocacy.example",
            "parental_responsibility": _PR.YES,
        },
        {
            "name": "Susan Farrant",
            "relationship": _R.GRANDPARENT,
            "address": "22 Mill Lane\nEastbridge\nNorthshire\nNS7 8LB",
            "phone": "01632 960318",
            "preferred_contact": FamilyMember.Contact.LETTER,
            "parental_responsibility": _PR.NO,
        },
        {
            "name": "Ryan Cole",
            "relationship": _R.OTHER,
            "relationship_other": "Mother's partner",
            "parental_responsibility": _PR.NO,
            "declined": (12, "Said through his solicitor that he does not wish to take part."),
        },
        {
            "name": "Marek Nowak",
            "relationship": _R.FATHER,
            "address": "9 Station Road\nEastbridge\nNorthshire\nNS7 2PL",
            "phone": "07700 900871",
            "preferred_contact": FamilyMember.Contact.PHONE,
            "language": "Polish",
            "interpreter_needed": True,
            "parental_responsibility": _PR.YES,
        },
    ],
    "Child C": [
        {
            "name": "Marcia Moss",
            "relationship": _R.MOTHER,
            "address": "7 Heron Close\nRiverside\nNorthshire\nNS2 5HD",
            "email": "marcia.moss@family.example",
            "preferred_contact": FamilyMember.Contact.EMAIL,
            "supporter_name": "Bernice Bell",
            "supporter_organisation": "Northshire Women's Aid",
            "supporter_contact": "01632 960771",
            "parental_responsibility": _PR.YES,
        },
        {
            "name": "Tyrone Moss",
            "relationship": _R.SIBLING,
            "address": "7 Heron Close\nRiverside\nNorthshire\nNS2 5HD",
            "phone": "07700 900655",
            "preferred_contact": FamilyMember.Contact.PHONE,
            "parental_responsibility": _PR.NO,
        },
    ],
    "Adult D": [
        {
            "name": "Peter Ellery",
            "relationship": _R.CHILD,
            "address": "3 The Paddocks\nLowfield\nNorthshire\nNS9 1RW",
            "phone": "01632 960245",
            "email": "peter.ellery@family.example",
            "preferred_contact": FamilyMember.Contact.PHONE,
            "parental_responsibility": _PR.NOT_KNOWN,
        },
        {
            "name": "June Pratt",
            "relationship": _R.SIGNIFICANT_OTHER,
            "address": "12 Orchard Row\nLowfield\nNorthshire\nNS9 1RX",
            "preferred_contact": FamilyMember.Contact.IN_PERSON,
        },
    ],
}

FAMILY_PLAN = (
    "The author will offer the family a meeting and share the draft report with them before "
    "publication."
)


class Command(BaseCommand):
    help = "Load demo data for a fictional board (only when DEBUG is on)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is for local use only: it refuses to run with DEBUG off.")
        if User.objects.filter(email=PEOPLE[0][0]).exists():
            self.stdout.write("Demo data is already loaded.")
        else:
            # Seed data sends no email: nobody real is behind the demo addresses.
            with override_settings(EMAIL_BACKEND=_NO_EMAIL), transaction.atomic():
                _load()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"\nDemo sign-ins (password for each: {DEMO_PASSWORD}):")
        for email, first, last, role, _ in PEOPLE:
            self.stdout.write(f"  {role.value:<20} {email:<32} {first} {last}")


def _pdf(title: str) -> SimpleUploadedFile:
    """A real PDF for the demo's documents."""
    html = f"<h1>{title}</h1><p>An invented document for demonstration.</p>"
    return SimpleUploadedFile(f"{title}.pdf", HTML(string=html).write_pdf())


def _referral(
    days_ago: int, incident_days_before: int = 4, died_days_after: int | None = None, **fields
) -> dict:
    """A referral's answers; ``died_days_after``: the subject died that many days after the
    incident."""
    referred_on = timezone.localdate() - timedelta(days=days_ago)
    incident_date = referred_on - timedelta(days=incident_days_before)
    if died_days_after is not None:
        fields["date_of_death"] = incident_date + timedelta(days=died_days_after)
    return {"referred_on": referred_on, "incident_date": incident_date, **fields}


def _decision(referral: dict, days_after: int, **fields) -> dict:
    today = timezone.localdate()
    decided_on = min(referral["referred_on"] + timedelta(days=days_after), today)
    told_on = min(decided_on + timedelta(days=1), today)
    return {"decided_on": decided_on, "national_bodies_told_on": told_on, **fields}


def _load() -> None:
    email, first, last, role, _ = PEOPLE[0]
    manager = person_create(
        email=email, first_name=first, last_name=last, roles=[role], password=DEMO_PASSWORD
    )
    agencies = [
        agency_create(actor=manager, name=name, sector=sector, contact_email="")
        for name, sector in AGENCIES
    ]
    people = {Role.BOARD_MANAGER: manager}
    for email, first, last, role, index in PEOPLE[1:]:
        people[role] = person_create(
            email=email,
            first_name=first,
            last_name=last,
            roles=[role],
            agency=None if index is None else agencies[index],
            password=DEMO_PASSWORD,
        )
    grace, tom, nadia = (
        person_create(
            email=email,
            first_name=first,
            last_name=last,
            job_title=job_title,
            roles=[role] if role else [],
            agency=agencies[index],
        )
        for email, first, last, job_title, role, index in OTHERS
    )
    police, health, csc, asc, school, probation, housing, womens_aid = agencies
    cast = Cast(
        manager=manager,
        chair=people[Role.CHAIR],
        author=people[Role.INDEPENDENT_AUTHOR],
        panel=[people[Role.PANEL_MEMBER]],
        leads={police.pk: people[Role.AGENCY_LEAD], health.pk: nadia},
    )
    today = timezone.localdate()

    # Child B: awaiting the chair's decision.
    child_b = _referral(
        3,
        subject_reference="Child B",
        other_names="Mimi",
        sex=Review.Sex.FEMALE,
        ethnicity=Ethnicity.BRITISH,
        first_language="English",
        referrer_role="Named Nurse for Safeguarding Children",
        lead_consulted=True,
        lead_consulted_name="Dr Priya Lomax, Designated Doctor",
        protection_plan=Review.ProtectionPlan.PAST,
        protection_plan_category=Review.PlanCategory.NEGLECT,
        protection_plan_started_on=today - timedelta(days=400),
        protection_plan_ended_on=today - timedelta(days=150),
        social_care=Review.SocialCare.PREVIOUSLY_OPEN,
        incident_setting="At home with her mother and her mother's partner.",
        agency_concerns="Two referrals to children's services were closed without a home visit, "
        "and missed health appointments were not shared with social care.",
        key_dates="Five health visitor appointments missed over eight months.\n"
        "Two referrals to children's services closed without a visit.\n"
        "Admitted to hospital with a fractured arm.",
        records_secured_on=today - timedelta(days=2),
        family=[
            {
                "name": "Kerry Thornbury",
                "relationship": "mother",
                "date_of_birth": date(today.year - 24, 5, 9),
                "lives_with_subject": True,
                "parental_responsibility": "yes",
            },
            {
                "name": "Dean Ashworth",
                "relationship": "other",
                "relationship_other": "Mother's partner",
                "lives_with_subject": True,
                "parental_responsibility": "no",
            },
            {
                "name": "Craig Thornbury",
                "relationship": "father",
                "lives_with_subject": False,
                "parental_responsibility": "yes",
            },
        ],
        agency_contacts=[
            {"agency": health, "contact": "Named Nurse, 01632 960 114", "still_involved": True},
            {"agency": csc, "contact": "Duty Team Manager", "still_involved": True},
        ],
        full_name="Mia Thornbury",
        date_of_birth=date(today.year - 3, 2, 14),
        age_group=AgeGroup.AGED_1_4,
        abuse_categories=[Review.AbuseCategory.NEGLECT, Review.AbuseCategory.PHYSICAL],
        referring_agency=health,
        agencies_involved=[health, csc, police],
        circumstances="Child B, aged three, was admitted to hospital with a fractured arm and "
        "signs of long-standing malnutrition. The family had missed five health visitor "
        "appointments and two referrals to children's services were closed without a home "
        "visit.",
    )
    review_at("referral", cast=cast, agencies_in_scope=[health], referral=child_b)

    # Child A: panel convened (one nominee could not declare independence), reports requested.
    child_a = _referral(
        58,
        incident_days_before=6,
        died_days_after=1,
        subject_reference="Child A",
        sex=Review.Sex.MALE,
        ethnicity=Ethnicity.WHITE_BLACK_CARIBBEAN,
        first_language="English",
        referrer_role="Detective Inspector",
        lead_consulted=True,
        lead_consulted_name="Detective Chief Inspector, Safeguarding",
        protection_plan=Review.ProtectionPlan.NEVER,
        social_care=Review.SocialCare.OPEN,
        incident_setting="At a temporary address, in the care of his mother's partner while "
        "his mother was at work.",
        agency_concerns="The mother's disclosure of domestic abuse to her GP was not shared, "
        "and each move between temporary addresses closed the family's health visiting.",
        key_dates="Mother disclosed domestic abuse to her GP.\n"
        "Third move between temporary addresses in six months.\n"
        "Admitted to hospital with a head injury; died the next day.",
        records_secured_on=today - timedelta(days=57),
        family=[
            {
                "name": "Chloe Farrant",
                "relationship": "mother",
                "date_of_birth": date(today.year - 22, 2, 17),
                "lives_with_subject": True,
                "parental_responsibility": "yes",
            },
            {
                "name": "Susan Farrant",
                "relationship": "grandparent",
                "lives_with_subject": False,
                "parental_responsibility": "no",
            },
            {
                "name": "Ryan Cole",
                "relationship": "other",
                "relationship_other": "Mother's partner",
                "lives_with_subject": True,
                "parental_responsibility": "not_known",
            },
        ],
        full_name="Leo Farrant",
        date_of_birth=date(today.year - 1, 6, 2),
        age_group=AgeGroup.UNDER_1,
        harm=Review.Harm.DEATH,
        abuse_categories=[Review.AbuseCategory.PHYSICAL],
        referrer_name="Detective Inspector, Public Protection Unit",
        circumstances="Child A, aged eleven months, died in hospital from a head injury. Police "
        "are investigating. The mother had disclosed domestic abuse to a GP and the family had "
        "moved between three temporary addresses in six months.",
    )
    decision = _decision(child_a, 9)
    built = review_at(
        "agency_reports",
        cast=cast,
        agencies_in_scope=[police, health, csc, housing],
        referral=child_a,
        decision=decision,
        terms={
            "lines_of_enquiry": [
                "How did agencies share what they knew about domestic abuse in the household?",
                "How did the family's moves between temporary addresses affect the help they "
                "received?",
                "Were the baby's injuries and missed appointments recognised and acted on?",
            ],
            "family_involvement_plan": "The author will write to the mother and maternal "
            "grandmother, offer a meeting at a place they choose, and share the draft "
            "chronology with them before it goes to the panel.",
            "scoping_meeting_on": decision["decided_on"],
        },
        seats=[
            Seat(cast.panel[0]),
            Seat(grace, PanelMember.PanelRole.CHAIR),
            Seat(tom, independent=False),
        ],
        meeting={
            "minutes": "Scoping meeting. The panel agreed the period under review and three key "
            "lines of enquiry. DCI Reilly could not declare independence as he manages the "
            "investigating officer; Northshire Constabulary will nominate another member.",
            "actions_agreed": "Board manager to ask each agency in scope to secure its records.",
        },
        reports={health: "uploaded", police: "uploaded"},
        report_options={
            "records_note": "Case records exported and locked in the records management system."
        },
        document=_pdf,
    )
    for agency in (health, police):
        _casework(built.report_of(agency), cast.lead_of(agency), child_a["incident_date"])
    # Health has submitted; the police are still drafting.
    report_advance(built.report_of(health), cast=cast, to="submitted")
    # One report overdue, so that reminders and escalation have something to say. Nobody can
    # move a deadline into the past; the demo dates this one as if it had been asked for weeks
    # ago, and says so in its history.
    overdue = Deadline.objects.get(report=built.report_of(housing))
    overdue.due_on = today - timedelta(days=9)
    overdue._history_user = manager
    overdue._change_reason = "demo data: requested weeks ago, for an early summary report"
    overdue.save()
    # The police investigation comes first: Child A's clock is stopped (the dashboard shows it).
    clock_stop(
        review=built.review,
        actor=manager,
        reason="Related criminal proceedings: the police investigation into the death.",
    )

    # Child C: a partnership review; its action plan agreed and its publication planned.
    child_c = _referral(
        10,
        subject_reference="Child C",
        sex=Review.Sex.MALE,
        ethnicity=Ethnicity.CARIBBEAN,
        first_language="English",
        referrer_role="Designated Safeguarding Lead, Northshire Academy",
        lead_consulted=False,
        protection_plan=Review.ProtectionPlan.CURRENT,
        protection_plan_category=Review.PlanCategory.EMOTIONAL,
        protection_plan_started_on=today - timedelta(days=90),
        social_care=Review.SocialCare.OPEN,
        incident_setting="Away from home overnight with an older group he had met online.",
        agency_concerns="Attendance concerns were raised with three agencies over a year and "
        "no one agency held the whole picture.",
        family=[
            {
                "name": "Marcia Moss",
                "relationship": "mother",
                "lives_with_subject": True,
                "parental_responsibility": "yes",
            },
            {
                "name": "Tyrone Moss",
                "relationship": "sibling",
                "lives_with_subject": True,
                "parental_responsibility": "no",
            },
        ],
        full_name="Jayden Moss",
        date_of_birth=date(today.year - 14, 9, 30),
        age_group=AgeGroup.AGED_10_15,
        abuse_categories=[Review.AbuseCategory.EMOTIONAL, Review.AbuseCategory.NEGLECT],
        referring_agency=school,
        referrer_name="Designated Safeguarding Lead",
        agencies_involved=[school, csc, health],
        circumstances="Child C, aged fourteen, was found to have been exploited by an older "
        "group after a long period of missing school. Attendance concerns had been raised "
        "with three agencies over a year.",
    )
    decision = _decision(
        child_c,
        6,
        outcome=Outcome.PARTNERSHIP_REVIEW,
        rationale="The criteria are met, but a joint review with the neighbouring partnership "
        "on exploitation is already under way; a partnership review will feed into it faster "
        "than a separate statutory review.",
    )
    recommendations = [
        "Schools should share attendance concerns with children's social care when a child is "
        "missing education for more than ten days.",
        "Police and children's social care should use one exploitation screening tool.",
    ]
    child_c_built = review_at(
        "publication",
        cast=cast,
        agencies_in_scope=[police, school, csc],
        framework=Framework.LCSPR,
        referral=child_c,
        notified_on=child_c["referred_on"],
        rapid_review={
            **RAPID_REVIEW,
            "held_on": min(child_c["referred_on"] + timedelta(days=4), today),
            "sent_to_national_panel_on": min(child_c["referred_on"] + timedelta(days=5), today),
        },
        decision=decision,
        terms={
            "lines_of_enquiry": [
                "How were concerns about missing education and exploitation shared?"
            ],
            "family_involvement_plan": FAMILY_PLAN,
            "scoping_meeting_on": decision["decided_on"],
        },
        seats=[],
        report_due_on=today + timedelta(weeks=4),
        reports="excused",
        report_options={
            "comments": "A partnership review: the agency took part in the practitioner "
            "learning event instead of writing a management report."
        },
        draft_note="Final draft after the practitioner learning event.",
        recommendations=recommendations,
        actions=[
            {
                "recommendation": 0,
                "agency": school,
                "lead_name": "Designated Safeguarding Lead",
                "change": "Attendance below 90% for ten days triggers a call to the front door.",
                "target_on": today + timedelta(weeks=10),
                "progress": ("complete", "The procedure is in force.", "Trust procedure, v3."),
            },
            {
                "recommendation": 1,
                "agency": police,
                "lead_name": "Detective Inspector, Exploitation Team",
                "change": "Officers use the partnership's exploitation screening tool.",
                "target_on": today + timedelta(weeks=3),
                "progress": ("at_risk", "Training is delayed until the new system is live.", ""),
            },
            {
                "recommendation": 1,
                "agency": csc,
                "lead_name": "Head of Service, Front Door",
                "change": "Social workers use the same screening tool at the front door.",
                "target_on": today + timedelta(weeks=8),
                "progress": ("on_track", "Half the team trained.", ""),
            },
        ],
        document=_pdf,
    )
    # Published in four weeks as a summary; the chair has yet to approve.
    publication_plan_build(
        child_c_built,
        form=PublicationPlan.Form.SUMMARY,
        planned_on=today + timedelta(weeks=4),
        rationale="The full report would identify the child's younger sibling; the executive "
        "summary carries every finding and recommendation.",
    )

    # Adult D: the draft overview report out to the agencies for comments; health commented.
    # Decided five months ago, it is at risk of missing its six-month target (the dashboard).
    adult_d = _referral(
        175,
        incident_days_before=10,
        died_days_after=3,
        subject_reference="Adult D",
        sex=Review.Sex.FEMALE,
        ethnicity=Ethnicity.IRISH,
        religion="Roman Catholic",
        referrer_role="Principal Social Worker",
        lead_consulted=True,
        lead_consulted_name="Head of Adult Safeguarding",
        incident_setting="At home, alone; her carers' evening visit had been cancelled.",
        agency_concerns="A district nurse raised pressure sores twice, and the reduction in "
        "carers' visits was not reviewed.",
        family=[
            {
                "name": "Peter Ellery",
                "relationship": "child",
                "lives_with_subject": False,
                "parental_responsibility": "not_known",
            },
        ],
        full_name="Margaret Ellery",
        date_of_birth=date(today.year - 81, 1, 11),
        age_group=AgeGroup.AGED_65_PLUS,
        harm=Review.Harm.DEATH,
        referring_agency=asc,
        referrer_name="Principal Social Worker",
        agencies_involved=[asc, health, housing],
        circumstances="Adult D, aged eighty-one and living alone, died after a fall at home. "
        "Carers' visits had been reduced and a district nurse had raised concerns about "
        "pressure sores twice.",
    )
    decision = _decision(
        adult_d,
        20,
        answers={
            "care_and_support_needs": True,
            "agency_concern": True,
            "died_of_abuse_or_neglect": True,
            "serious_abuse_or_neglect": False,
        },
    )
    built = review_at(
        "overview",
        cast=cast,
        agencies_in_scope=[asc, health, police],
        framework=Framework.SAR,
        referral=adult_d,
        decision=decision,
        terms={
            "lines_of_enquiry": ["How were the reductions in care visits decided and reviewed?"],
            "family_involvement_plan": FAMILY_PLAN,
            "scoping_meeting_on": decision["decided_on"],
        },
        seats=[],
        report_due_on=today + timedelta(weeks=4),
        reports={
            asc: (
                "excused",
                "Adult social care's account is the section 42 enquiry report, already shared "
                "with the panel.",
            )
        },
        report_options={
            "records_note": "Records locked.",
            "comments": "Clear and candid.",
            "casework": _adult_d_chronology,
        },
        drafts=1,
        draft_note="First full draft, with the combined chronology as an appendix.",
        recommendations=[
            "Adult social care and the community nursing service should agree how a reduction "
            "in care visits is reviewed when health concerns are raised.",
            "The safeguarding adults board should remind GPs to record pressure sores.",
            "Community nurses should tell the GP of pressure sores.",
        ],
        comments_due_on=add_working_days(today, 3, settings.SCR_JURISDICTION),
        document=_pdf,
    )
    _, duplicate, worded = built.recommendations
    recommendation_remove(
        recommendation=duplicate,
        actor=built.writer,
        reason="Covered by recommendation 3, which names the service that acts.",
    )
    recommendation_correct(
        recommendation=worded,
        actor=built.writer,
        text="The community nursing service should tell the GP of every pressure sore the "
        "same day, and record that it did.",
        reason="The panel asked for a time and a record.",
    )
    comment_add(
        comment_round=built.comment_round,
        actor=nadia,
        text="Paragraph 4.2 should say that the district nurse raised the pressure sores with "
        "the GP as well as with adult social care.",
        report=built.report_of(health),
    )

    for review in Review.objects.filter(subject_reference__in=FAMILIES):
        _family(review, manager)
    _involvement(manager, author=people[Role.INDEPENDENT_AUTHOR], chair=people[Role.CHAIR])
    _pseudonyms(child_c_built.review, manager)

    # Child E: no review needed; closed at the decision.
    child_e = _referral(
        40,
        subject_reference="Child E",
        sex=Review.Sex.FEMALE,
        ethnicity=Ethnicity.OTHER_WHITE,
        first_language="Polish",
        referrer_role="Senior Probation Officer",
        lead_consulted=True,
        lead_consulted_name="Head of Public Protection",
        protection_plan=Review.ProtectionPlan.NEVER,
        social_care=Review.SocialCare.NOT_OPEN,
        incident_setting="At home with her mother and a visiting adult.",
        agency_concerns="No concerns known: agencies shared information promptly.",
        full_name="Ava Kendrick",
        date_of_birth=date(today.year - 7, 4, 5),
        age_group=AgeGroup.AGED_5_9,
        abuse_categories=[Review.AbuseCategory.PHYSICAL],
        referring_agency=probation,
        referrer_name="Senior Probation Officer",
        agencies_involved=[probation, school],
        circumstances="Child E, aged seven, was injured at home by a visiting adult known to "
        "probation. Agencies shared information promptly and the plan was followed.",
    )
    review_at(
        "decided",
        cast=cast,
        agencies_in_scope=[probation],
        referral=child_e,
        decision=_decision(
            child_e,
            5,
            outcome=Outcome.NO_FURTHER_ACTION,
            answers={
                c.key: c.key == "abuse_or_neglect" for c in profile_for(Framework.SCR).criteria
            },
        ),
    )

    # Child F: an LCSPR notified today, so its rapid review is due in 15 working days.
    child_f = _referral(
        1,
        subject_reference="Child F",
        sex=Review.Sex.MALE,
        ethnicity=Ethnicity.NOT_KNOWN,
        referrer_role="Children and Young People's Worker",
        lead_consulted=True,
        lead_consulted_name="Refuge Manager",
        protection_plan=Review.ProtectionPlan.NOT_KNOWN,
        social_care=Review.SocialCare.NOT_KNOWN,
        incident_setting="At a relative's home over several weekends.",
        agency_concerns="Not yet known: police and children's services are gathering what "
        "each agency knew.",
        records_secured_on=today,
        full_name="Noah Pell",
        age_group=AgeGroup.AGED_16_17,
        abuse_categories=[Review.AbuseCategory.SEXUAL],
        referring_agency=womens_aid,
        referrer_name="Children and Young People's Worker",
        agencies_involved=[womens_aid, police],
        circumstances="Child F, aged sixteen, disclosed sexual abuse by a family member to a "
        "refuge worker. Police were told the same day.",
    )
    review_at(
        "referral",
        cast=cast,
        agencies_in_scope=[womens_aid],
        framework=Framework.LCSPR,
        referral=child_f,
        notified_on=today,
    )

    # Child G: the chair decided by email to go ahead, and the board manager recorded it; the
    # panel is being convened.
    child_g = _referral(
        16,
        subject_reference="Child G",
        sex=Review.Sex.FEMALE,
        ethnicity=Ethnicity.WHITE_ASIAN,
        referrer_role="Team Manager, Children in Care",
        lead_consulted=True,
        lead_consulted_name="Head of Children in Care",
        protection_plan=Review.ProtectionPlan.NEVER,
        social_care=Review.SocialCare.LOOKED_AFTER,
        incident_setting="At her foster carers' home, with the foster carer's adult son.",
        agency_concerns="The school raised concerns about the placement twice; neither reached "
        "the fostering service.",
        key_dates="Placed with foster carers.\nSchool raises concerns about the placement.\n"
        "School raises concerns again.\nInjured at the foster home.",
        records_secured_on=today - timedelta(days=15),
        full_name="Isla Brennan",
        date_of_birth=date(today.year - 11, 7, 19),
        age_group=AgeGroup.AGED_10_15,
        abuse_categories=[Review.AbuseCategory.PHYSICAL, Review.AbuseCategory.EMOTIONAL],
        referring_agency=csc,
        referrer_name="Team Manager, Children in Care",
        agencies_involved=[csc, school, health],
        circumstances="Child G, aged eleven and in foster care, was seriously injured by a "
        "foster carer's adult son. Concerns about the placement had been raised by the school "
        "twice.",
    )
    review_at(
        "decided",
        cast=cast,
        agencies_in_scope=[csc],
        referral=child_g,
        decision=_decision(
            child_g,
            5,
            recorded_by=manager,
            communicated_via=ThresholdDecision.Communication.EMAIL,
        ),
    )
    _child_h(cast, agencies=[police, school, health], today=today)
    child_j = child_j_published(cast, agencies=[police, school, health], today=today)
    child_j_learning(child_j, cast, agencies=[police, school, health])


def _child_h(cast: Cast, *, agencies: list[Agency], today: date) -> None:
    """Child H: a partnership review whose every action was completed with its evidence, then
    signed off by the board manager and closed."""
    police, school, health = agencies
    child_h = _referral(
        300,
        subject_reference="Child H",
        sex=Review.Sex.MALE,
        ethnicity=Ethnicity.BRITISH,
        first_language="English",
        referrer_role="Safeguarding Lead, Northshire Academy",
        lead_consulted=True,
        lead_consulted_name="Head of Year 9",
        protection_plan=Review.ProtectionPlan.NEVER,
        social_care=Review.SocialCare.PREVIOUSLY_OPEN,
        incident_setting="At home, where he cared for his mother on his own.",
        agency_concerns="The school and the GP each knew he was a young carer; neither told "
        "the other.",
        full_name="Callum Reade",
        date_of_birth=date(today.year - 13, 2, 11),
        age_group=AgeGroup.AGED_10_15,
        abuse_categories=[Review.AbuseCategory.NEGLECT],
        referring_agency=school,
        referrer_name="Safeguarding Lead",
        agencies_involved=[school, health, police],
        circumstances="Child H, aged thirteen and a young carer, was admitted to hospital "
        "malnourished. The school and the GP each knew of his caring role.",
    )
    done = "complete"
    built = review_at(
        "publication",
        cast=cast,
        agencies_in_scope=agencies,
        referral=child_h,
        decision=_decision(
            child_h,
            7,
            outcome=Outcome.PARTNERSHIP_REVIEW,
            rationale="The criteria are met, but the learning is about two agencies' "
            "information sharing: a partnership review will reach it sooner.",
        ),
        terms={
            "lines_of_enquiry": ["How did agencies share what they knew of a young carer?"],
            "family_involvement_plan": FAMILY_PLAN,
        },
        seats=[],
        report_due_on=today + timedelta(weeks=4),
        reports="excused",
        report_options={
            "comments": "A partnership review: the agency took part in the practitioner "
            "learning event instead of writing a management report."
        },
        draft_note="Final report after the practitioner learning event.",
        recommendations=[
            "Schools and GPs should record a young carer on a shared register.",
            "The police should refer any child found caring alone to the front door.",
        ],
        actions=[
            {
                "recommendation": 0,
                "agency": health,
                "lead_name": "Named GP for Safeguarding",
                "change": "GP practices add young carers to the shared register.",
                "target_on": today + timedelta(weeks=6),
                "progress": (
                    done,
                    "Every practice now records young carers on the register.",
                    "Audit of the register in March: 42 young carers recorded by 11 practices.",
                ),
            },
            {
                "recommendation": 1,
                "agency": police,
                "lead_name": "Inspector, Public Protection",
                "change": "Officers refer a child found caring alone the same day.",
                "target_on": today + timedelta(weeks=6),
                "progress": (
                    done,
                    "The referral is in the officers' safeguarding checklist.",
                    "Checklist version 4 and the front door's log of 17 referrals since.",
                ),
            },
        ],
        document=_pdf,
    )
    # A partnership review's learning reaches practitioners through the board's briefings:
    # the chair agreed not to publish its report, so the review could be signed off.
    publication_plan_build(
        built,
        form=PublicationPlan.Form.NONE,
        rationale="A partnership review: its learning is shared through the board's "
        "practitioner briefings rather than a published report.",
        approved=True,
    )
    review_sign_off(review=built.review, actor=cast.manager)


def _family(review: Review, manager: User) -> None:
    """The family of a review past panel convening: added from the referral, then completed
    by the board manager, with anyone the referral did not name."""
    today = timezone.localdate()
    from_referral = {m.name: m for m in family_members_seed(review=review, actor=manager)}
    for person in FAMILIES[review.subject_reference]:
        details = {"interpreter_needed": False, **person}
        declined = details.pop("declined", None)
        member = family_member_save(
            review=review, actor=manager, member=from_referral.get(details["name"]), **details
        )
        if declined:
            days_ago, note = declined
            declined_on = today - timedelta(days=days_ago)
            family_member_decline(member=member, actor=manager, declined_on=declined_on, note=note)


def _meeting(
    member: FamilyMember,
    manager: User,
    days_ago: dict[str, int],
    *,
    due_in: int,
    amendments: str = "",
    **held,
) -> Meeting:
    """A meeting offered, held and its notes sent so many days ago, to agree ``due_in`` days
    from today (negative: past); answered (agreed, or amended if ``amendments``) if
    ``days_ago`` says when."""
    today = timezone.localdate()
    on = {step: today - timedelta(days=days) for step, days in days_ago.items()}
    meeting = family_meeting_offer(member=member, actor=manager, offered_on=on["offered"])
    meeting = family_meeting_hold(meeting=meeting, actor=manager, held_on=on["held"], **held)
    due_on = today + timedelta(days=due_in)
    meeting = family_notes_send(meeting=meeting, actor=manager, sent_on=on["sent"], due_on=due_on)
    if "answered" in on:
        outcome = Meeting.NotesOutcome.AMENDED if amendments else Meeting.NotesOutcome.AGREED
        meeting = family_notes_answer(
            meeting=meeting,
            actor=manager,
            outcome=outcome,
            answered_on=on["answered"],
            amendments=amendments,
        )
    return meeting


def _pseudonyms(review: Review, manager: User) -> None:
    """Child C's pseudonym map: filled from the review's records, then completed by hand with
    the child's school and GP practice, as the board manager would before publication."""
    pseudonyms_fill(review=review, actor=manager)
    for real_value, replacement in (
        ("Harbour View Academy", "the child's school"),
        ("Quayside Medical Practice", "the family's GP practice"),
    ):
        pseudonym_add(
            review=review,
            actor=manager,
            real_value=real_value,
            replacement=replacement,
            kind="organisation",
        )


def _involvement(manager: User, *, author: User, chair: User) -> None:
    """What the board has done with each family so far. Child A's: told and met, before the
    police asked for contact to pause. Child C's: told, met, notes agreed, views recorded and
    the report shown before publication (or why not), so the chair may approve the plan.
    Adult D's: the son met the author and the chair; his notes wait for his agreement."""
    today = timezone.localdate()
    families = FamilyMember.objects.filter(review__subject_reference__in=FAMILIES)
    member = {m.name: m for m in families}
    told = Contact.Kind.TOLD_OF_REVIEW
    for name, days_ago, how, by_whom in [
        ("Chloe Farrant", 50, Contact.How.SUPPORTER, "Priya Marsh, board manager"),
        ("Susan Farrant", 50, Contact.How.LETTER, "Priya Marsh, board manager"),
        ("Marek Nowak", 48, Contact.How.PHONE, "Priya Marsh, with a Polish interpreter"),
        ("Marcia Moss", 8, Contact.How.IN_PERSON, "Ruth Delaney, independent author"),
        ("Tyrone Moss", 8, Contact.How.IN_PERSON, "Ruth Delaney, independent author"),
        ("Peter Ellery", 150, Contact.How.LETTER, "Priya Marsh, board manager"),
        ("June Pratt", 150, Contact.How.IN_PERSON, "Priya Marsh, board manager"),
    ]:
        family_contact_record(
            member=member[name],
            actor=manager,
            kind=told,
            on=today - timedelta(days=days_ago),
            how=how,
            by_whom=by_whom,
            leaflet_given=True,
        )
    home = {"place": Meeting.Place.HOME_VISIT, "attendees": [author], "supporter_attended": True}
    _meeting(
        member["Chloe Farrant"],
        manager,
        {"offered": 47, "held": 40, "sent": 38, "answered": 30},
        due_in=-24,
        amendments="The date of the move to temporary accommodation is March, not April.",
        **home,
        supporter_name="Dawn Mitchell",
    )
    family_views_save(
        member=member["Chloe Farrant"],
        actor=manager,
        views="She feels that nobody asked how the moves between temporary addresses were "
        "affecting her son, and that health visitors lost track of them after each move.",
    )
    parallel_process_record(
        review=member["Chloe Farrant"].review,
        actor=manager,
        kind=ParallelProcess.Kind.CRIMINAL,
        description="The police are investigating the death; the family are witnesses.",
        contact_organisation="Northshire Constabulary",
        contact_name="DCI Tom Reilly, senior investigating officer",
        contact_details="01632 960 118",
        started_on=today - timedelta(days=20),
        stops_clock=True,
        pauses_family_contact=True,
        holds_publication=True,
    )
    _meeting(
        member["Marcia Moss"],
        manager,
        {"offered": 8, "held": 6, "sent": 5, "answered": 3},
        due_in=5,
        **home,
        supporter_name="Bernice Bell",
    )
    family_views_save(
        member=member["Marcia Moss"],
        actor=manager,
        views="She wants the report to say that the school raised his absences three times "
        "and that no one agency brought the concerns together.",
    )
    family_contact_record(
        member=member["Marcia Moss"],
        actor=manager,
        kind=Contact.Kind.SHOWN_REPORT,
        on=today - timedelta(days=1),
        by_whom="Ruth Delaney, independent author",
        response="She asked that her son's school is not named; the author agreed.",
    )
    family_contact_record(
        member=member["Tyrone Moss"],
        actor=manager,
        kind=Contact.Kind.NOT_SHOWN_REPORT,
        reason="He asked to hear about the report from his mother rather than read it.",
    )
    _meeting(
        member["Peter Ellery"],
        manager,
        {"offered": 20, "held": 10, "sent": 8},
        due_in=6,
        place=Meeting.Place.BOARD_OFFICE,
        attendees=[author, chair],
    )


def _adult_d_chronology(report, lead) -> None:
    """An agency's chronology of Adult D, so that the combined chronology has something to
    merge: the same weeks seen from each agency, some days by both."""
    incident = report.review.incident_date
    for days_before, text, role in ADULT_D_CONTACTS[report.agency.sector]:
        chronology_entry_save(
            report=report,
            actor=lead,
            occurred_on=incident - timedelta(days=days_before),
            occurred_time=None,
            approximate=False,
            what_happened=text,
            practitioner_role=role,
            source_reference=f"AD-{days_before:03d}",
            analysis="",
        )


def _casework(report, lead, incident_date) -> None:
    """An agency's chronology of Child A, and an interview whose notes await the worker."""
    for days_before, text, role in CONTACTS:
        chronology_entry_save(
            report=report,
            actor=lead,
            occurred_on=incident_date - timedelta(days=days_before),
            occurred_time=None,
            approximate=days_before == 120,
            what_happened=text,
            practitioner_role=role,
            source_reference=f"REF-{days_before:03d}",
            analysis="",
        )
    today = timezone.localdate()
    interview = interview_record(
        report=report,
        actor=lead,
        worker_role="Worker 2",
        worker_name="Jordan Pike",
        held_on=today - timedelta(days=3),
        interviewer="Agency's review lead",
        supporter_attended=True,
        notes="The worker said letters went to the address on the system, which was out of "
        "date; there was no way to see that the family had moved.",
    )
    interview_notes_send(
        interview=interview,
        actor=lead,
        sent_on=today - timedelta(days=2),
        response_due_on=today,
    )
