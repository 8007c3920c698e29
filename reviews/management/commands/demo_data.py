"""Load a fictional board's demo data: agencies, one login per role and reviews at each stage.

Every name, place and event here is invented. The command refuses to run unless DEBUG is on,
so that no demo login can ever exist in production.
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
from agencies.services import person_roles_set
from publication.models import PublicationPlan
from publication.services import publication_plan_save
from reviews.frameworks import AgeGroup, Framework, Outcome
from reviews.models import Deadline, PanelMember, RapidReview, Review
from reviews.services.actions import action_create, action_plan_agree, action_progress
from reviews.services.chronology import chronology_entry_save
from reviews.services.clock import deadline_reschedule
from reviews.services.interviews import interview_notes_send, interview_record
from reviews.services.overview import (
    comment_add,
    comments_request,
    overview_draft_upload,
    overview_finalise,
    recommendation_add,
)
from reviews.services.panel import author_appoint, meeting_record, panel_member_add, terms_save
from reviews.services.referral import (
    decision_record,
    notification_record,
    rapid_review_record,
    referral_create,
)
from reviews.services.reports import (
    report_accept,
    report_excuse,
    report_records_secure,
    report_submit,
    report_upload,
    reports_request,
)
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

PEOPLE = [
    ("manager@northshire.example", "Priya", "Marsh", Role.BOARD_MANAGER, None),
    ("chair@northshire.example", "Alan", "Whitcombe", Role.CHAIR, None),
    ("author@northshire.example", "Ruth", "Delaney", Role.INDEPENDENT_AUTHOR, None),
    ("panel@northshire.example", "Samir", "Okonjo", Role.PANEL_MEMBER, 1),
    ("agency@northshire.example", "Helen", "Cartwright", Role.AGENCY_LEAD, 0),
]


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
                self._load()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"\nDemo sign-ins (password for each: {DEMO_PASSWORD}):")
        for email, first, last, role, _ in PEOPLE:
            self.stdout.write(f"  {role.value:<20} {email:<32} {first} {last}")

    def _load(self) -> None:
        agencies = [Agency.objects.create(name=name, sector=sector) for name, sector in AGENCIES]
        people = {}
        for email, first, last, role, agency_index in PEOPLE:
            person = User.objects.create_user(
                email,
                DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                agency=agencies[agency_index] if agency_index is not None else None,
            )
            person_roles_set(person=person, roles=[role], agency=person.agency)
            people[role] = person
        manager, chair = people[Role.BOARD_MANAGER], people[Role.CHAIR]
        today = timezone.localdate()
        police, health, csc, asc, school, probation, housing, womens_aid = agencies

        def refer(days_ago, **fields) -> Review:
            referred_on = today - timedelta(days=days_ago)
            return referral_create(
                actor=manager,
                referred_on=referred_on,
                incident_date=referred_on - timedelta(days=fields.pop("incident_days_before", 4)),
                address="",
                referrer_contact="",
                **fields,
            )

        def decide(review, outcome, days_after, rationale="", answers=None):
            decided_on = review.referred_on + timedelta(days=days_after)
            yes = answers or {c.key: c.key in _USUAL_YES for c in review.profile.criteria}
            decision_record(
                review=review,
                actor=chair,
                answers=yes,
                outcome=outcome,
                decided_on=min(decided_on, today),
                rationale=rationale,
                national_bodies_told_on=min(decided_on + timedelta(days=1), today),
            )

        def rapid_review(review, days_after, recommendation):
            notification_record(review=review, actor=manager, notified_on=review.referred_on)
            rapid_review_record(
                review=review,
                actor=manager,
                held_on=min(review.referred_on + timedelta(days=days_after), today),
                attendees="Designated doctor, children's social care head of service, police "
                "detective inspector, school designated safeguarding lead, partnership business "
                "manager.",
                facts="Agencies shared their contacts with the child over the last year. "
                "Concerns about school attendance were raised by three agencies but no "
                "single agency held the whole picture.",
                immediate_action="A strategy discussion was held; the child and a younger "
                "sibling are subject to child protection plans.",
                learning="How missing-from-education referrals reach children's social care; "
                "whether exploitation screening tools are used consistently.",
                recommendation=recommendation,
                sent_to_national_panel_on=min(
                    review.referred_on + timedelta(days=days_after + 1), today
                ),
            )

        refer(
            3,
            framework=Framework.SCR,
            subject_reference="Child B",
            full_name="Mia Thornbury",
            date_of_birth=date(today.year - 3, 2, 14),
            age_group=AgeGroup.AGED_1_4,
            harm=Review.Harm.SERIOUS_HARM,
            abuse_categories=[Review.AbuseCategory.NEGLECT, Review.AbuseCategory.PHYSICAL],
            referring_agency=health,
            referrer_name="Named Nurse for Safeguarding",
            agencies_involved=[health, csc, police],
            circumstances="Child B, aged three, was admitted to hospital with a fractured arm "
            "and signs of long-standing malnutrition. The family had missed five health "
            "visitor appointments and two referrals to children's services were closed "
            "without a home visit.",
        )
        child_a = refer(
            58,
            framework=Framework.SCR,
            subject_reference="Child A",
            full_name="Leo Farrant",
            date_of_birth=date(today.year - 1, 6, 2),
            age_group=AgeGroup.UNDER_1,
            harm=Review.Harm.DEATH,
            abuse_categories=[Review.AbuseCategory.PHYSICAL],
            referring_agency=police,
            referrer_name="Detective Inspector, Public Protection Unit",
            agencies_involved=[police, health, csc, housing],
            circumstances="Child A, aged eleven months, died in hospital from a head injury. "
            "Police are investigating. The mother had disclosed domestic abuse to a GP and "
            "the family had moved between three temporary addresses in six months.",
            incident_days_before=6,
        )
        decide(child_a, Outcome.INITIATE, 9)
        self._convene(child_a, people, police, health, csc, housing)
        child_c = refer(
            10,
            framework=Framework.LCSPR,
            subject_reference="Child C",
            full_name="Jayden Moss",
            date_of_birth=date(today.year - 14, 9, 30),
            age_group=AgeGroup.AGED_10_15,
            harm=Review.Harm.SERIOUS_HARM,
            abuse_categories=[Review.AbuseCategory.EMOTIONAL, Review.AbuseCategory.NEGLECT],
            referring_agency=school,
            referrer_name="Designated Safeguarding Lead",
            agencies_involved=[school, csc, health],
            circumstances="Child C, aged fourteen, was found to have been exploited by an "
            "older group after a long period of missing school. Attendance concerns had been "
            "raised with three agencies over a year.",
        )
        rapid_review(child_c, 4, RapidReview.Recommendation.REVIEW)
        decide(
            child_c,
            Outcome.PARTNERSHIP_REVIEW,
            6,
            rationale="The criteria are met, but a joint review with the neighbouring "
            "partnership on exploitation is already under way; a partnership review will feed "
            "into it faster than a separate statutory review.",
        )
        self._action_plan(child_c, people, police, school, csc)
        adult_d = refer(
            120,
            framework=Framework.SAR,
            subject_reference="Adult D",
            full_name="Margaret Ellery",
            date_of_birth=date(today.year - 81, 1, 11),
            age_group=AgeGroup.AGED_65_PLUS,
            harm=Review.Harm.DEATH,
            abuse_categories=[Review.AbuseCategory.NEGLECT],
            referring_agency=asc,
            referrer_name="Principal Social Worker",
            agencies_involved=[asc, health, housing],
            circumstances="Adult D, aged eighty-one and living alone, died after a fall at "
            "home. Carers' visits had been reduced and a district nurse had raised concerns "
            "about pressure sores twice.",
            incident_days_before=10,
        )
        decide(
            adult_d,
            Outcome.INITIATE,
            20,
            answers={
                "care_and_support_needs": True,
                "agency_concern": True,
                "died_of_abuse_or_neglect": True,
                "serious_abuse_or_neglect": False,
            },
        )
        self._overview(adult_d, people, police, health, asc, housing)
        child_e = refer(
            40,
            framework=Framework.SCR,
            subject_reference="Child E",
            full_name="Ava Kendrick",
            date_of_birth=date(today.year - 7, 4, 5),
            age_group=AgeGroup.AGED_5_9,
            harm=Review.Harm.SERIOUS_HARM,
            abuse_categories=[Review.AbuseCategory.PHYSICAL],
            referring_agency=probation,
            referrer_name="Senior Probation Officer",
            agencies_involved=[probation, school],
            circumstances="Child E, aged seven, was injured at home by a visiting adult known "
            "to probation. Agencies shared information promptly and the plan was followed.",
        )
        decide(
            child_e,
            Outcome.NO_FURTHER_ACTION,
            5,
            answers={c.key: c.key == "abuse_or_neglect" for c in child_e.profile.criteria},
        )
        child_f = refer(
            1,
            framework=Framework.LCSPR,
            subject_reference="Child F",
            full_name="Noah Pell",
            date_of_birth=None,
            age_group=AgeGroup.AGED_16_17,
            harm=Review.Harm.SERIOUS_HARM,
            abuse_categories=[Review.AbuseCategory.SEXUAL],
            referring_agency=womens_aid,
            referrer_name="Children and Young People's Worker",
            agencies_involved=[womens_aid, police],
            circumstances="Child F, aged sixteen, disclosed sexual abuse by a family member "
            "to a refuge worker. Police were told the same day.",
        )
        # Notified today: its rapid review is due in 15 working days.
        notification_record(review=child_f, actor=manager, notified_on=today)
        child_g = refer(
            16,
            framework=Framework.SCR,
            subject_reference="Child G",
            full_name="Isla Brennan",
            date_of_birth=date(today.year - 11, 7, 19),
            age_group=AgeGroup.AGED_10_15,
            harm=Review.Harm.SERIOUS_HARM,
            abuse_categories=[Review.AbuseCategory.PHYSICAL, Review.AbuseCategory.EMOTIONAL],
            referring_agency=csc,
            referrer_name="Team Manager, Children in Care",
            agencies_involved=[csc, school, health],
            circumstances="Child G, aged eleven and in foster care, was seriously injured by "
            "a foster carer's adult son. Concerns about the placement had been raised by the "
            "school twice.",
        )
        decide(child_g, Outcome.INITIATE, 5)

    def _pdf(self, title: str, review) -> SimpleUploadedFile:
        pdf = HTML(
            string=f"<h1>{title}</h1><p>Review {review.reference}. An invented document for "
            "demonstration.</p>"
        ).write_pdf()
        return SimpleUploadedFile(f"{title}.pdf", pdf)

    def _scoped(self, review, people, agencies, lines) -> list:
        """Terms of reference, the demo author, and management reports requested."""
        manager, chair, author = (
            people[Role.BOARD_MANAGER],
            people[Role.CHAIR],
            people[Role.INDEPENDENT_AUTHOR],
        )
        terms_save(
            review=review,
            actor=manager,
            period_start=review.incident_date - timedelta(days=365),
            period_end=review.incident_date,
            lines_of_enquiry=lines,
            agencies_in_scope=agencies,
            family_involvement_plan="The author will offer the family a meeting and share the "
            "draft report with them before publication.",
            scoping_meeting_on=review.decision.decided_on,
        )
        author_appoint(
            review=review,
            actor=chair,
            person=author,
            not_involved_in_case=True,
            no_management_responsibility=True,
            declared_on=review.decision.decided_on,
        )
        return reports_request(
            review=review, actor=manager, due_on=timezone.localdate() + timedelta(weeks=4)
        )

    def _overview(self, adult_d, people, police, health, asc, housing) -> None:
        """Stage 5: Adult D's draft overview report out for comments, due in a few days."""
        manager, author = people[Role.BOARD_MANAGER], people[Role.INDEPENDENT_AUTHOR]
        leads = {
            police.pk: people[Role.AGENCY_LEAD],
            health.pk: User.objects.get(email="nadia.hussain@northshire.example"),
        }
        reports = self._scoped(
            adult_d,
            people,
            [asc, health, police],
            ["How were the reductions in care visits decided and reviewed?"],
        )
        for report in reports:
            lead = leads.get(report.agency_id)
            if lead is None:
                report_excuse(
                    report=report,
                    actor=manager,
                    comments="Adult social care's account is the section 42 enquiry report, "
                    "already shared with the panel.",
                )
                continue
            report_records_secure(report=report, actor=lead, note="Records locked.")
            report_upload(
                report=report, actor=lead, file=self._pdf(f"{report.agency} report", adult_d)
            )
            report_submit(report=report, actor=lead)
            report_accept(report=report, actor=author, comments="Clear and candid.")
        overview_draft_upload(
            review=adult_d,
            actor=author,
            file=self._pdf("Adult D overview report, draft 1", adult_d),
            note="First full draft, with the combined chronology as an appendix.",
        )
        recommendation_add(
            review=adult_d,
            actor=author,
            text="Adult social care and the community nursing service should agree how a "
            "reduction in care visits is reviewed when health concerns are raised.",
        )
        comment_round = comments_request(
            review=adult_d,
            actor=author,
            due_on=add_working_days(timezone.localdate(), 3, settings.SCR_JURISDICTION),
        )
        comment_add(
            comment_round=comment_round,
            actor=leads[health.pk],
            text="Paragraph 4.2 should say that the district nurse raised the pressure sores "
            "with the GP as well as with adult social care.",
            report=next(r for r in reports if r.agency_id == health.pk),
        )

    def _action_plan(self, child_c, people, police, school, csc) -> None:
        """Stages 6 and 7: Child C's partnership review, its report agreed, its actions under way
        and its publication planned."""
        manager, author = people[Role.BOARD_MANAGER], people[Role.INDEPENDENT_AUTHOR]
        for report in self._scoped(
            child_c,
            people,
            [police, school, csc],
            ["How were concerns about missing education and exploitation shared?"],
        ):
            report_excuse(
                report=report,
                actor=manager,
                comments="A partnership review: the agency took part in the practitioner "
                "learning event instead of writing a management report.",
            )
        overview_draft_upload(
            review=child_c,
            actor=author,
            file=self._pdf("Child C learning review", child_c),
            note="Final draft after the practitioner learning event.",
        )
        recommendations = [
            recommendation_add(review=child_c, actor=author, text=text)
            for text in (
                "Schools should share attendance concerns with children's social care when a "
                "child is missing education for more than ten days.",
                "Police and children's social care should use one exploitation screening tool.",
            )
        ]
        overview_finalise(review=child_c, actor=manager)
        today = timezone.localdate()
        for recommendation, agency, lead_name, change, weeks, progress in [
            (
                recommendations[0],
                school,
                "Designated Safeguarding Lead",
                "Attendance below 90% for ten days triggers a call to the front door.",
                10,
                ("complete", "The procedure is in force.", "Trust procedure, version 3."),
            ),
            (
                recommendations[1],
                police,
                "Detective Inspector, Exploitation Team",
                "Officers use the partnership's exploitation screening tool.",
                3,
                ("at_risk", "Training is delayed until the new system is live.", ""),
            ),
            (
                recommendations[1],
                csc,
                "Head of Service, Front Door",
                "Social workers use the same screening tool at the front door.",
                8,
                ("on_track", "Half the team trained.", ""),
            ),
        ]:
            action = action_create(
                review=child_c,
                actor=manager,
                recommendation=recommendation,
                agency=agency,
                lead_name=lead_name,
                change=change,
                difference="Children at risk of exploitation are recognised sooner.",
                target_on=today + timedelta(weeks=weeks),
            )
            status, note, evidence = progress
            action_progress(
                action=action, actor=manager, status=status, note=note, evidence=evidence
            )
        action_plan_agree(review=child_c, actor=manager)
        # Stage 7: publication planned in four weeks; the report is due at the national bodies
        # seven working days before, and the chair has yet to approve.
        publication_plan_save(
            review=child_c,
            actor=manager,
            form=PublicationPlan.Form.SUMMARY,
            planned_on=today + timedelta(weeks=4),
            rationale="The full report would identify the child's younger sibling; the "
            "executive summary carries every finding and recommendation.",
        )

    def _convene(self, review, people, police, health, csc, housing) -> None:
        """A convened panel: declarations (one who could not declare), author, terms, meeting."""
        manager, chair = people[Role.BOARD_MANAGER], people[Role.CHAIR]
        declared_on = review.decision.decided_on
        extra = {
            "Grace": User.objects.create_user(
                "grace.adeyemi@northshire.example",
                None,
                first_name="Grace",
                last_name="Adeyemi",
                job_title="Head of Safeguarding",
                agency=csc,
            ),
            "Tom": User.objects.create_user(
                "tom.reilly@northshire.example",
                None,
                first_name="Tom",
                last_name="Reilly",
                job_title="Detective Chief Inspector",
                agency=police,
            ),
        }
        terms_save(
            review=review,
            actor=manager,
            period_start=review.incident_date.replace(year=review.incident_date.year - 1),
            period_end=review.incident_date,
            lines_of_enquiry=[
                "How did agencies share what they knew about domestic abuse in the household?",
                "How did the family's moves between temporary addresses affect the help they "
                "received?",
                "Were the baby's injuries and missed appointments recognised and acted on?",
            ],
            agencies_in_scope=[police, health, csc, housing],
            family_involvement_plan="The author will write to the mother and maternal "
            "grandmother, offer a meeting at a place they choose, and share the draft "
            "chronology with them before it goes to the panel.",
            scoping_meeting_on=declared_on,
        )
        for person, role in [
            (people[Role.PANEL_MEMBER], PanelMember.PanelRole.MEMBER),
            (extra["Grace"], PanelMember.PanelRole.CHAIR),
        ]:
            panel_member_add(
                review=review,
                actor=manager,
                person=person,
                panel_role=role,
                not_involved_in_case=True,
                no_management_responsibility=True,
                declared_on=declared_on,
            )
        panel_member_add(
            review=review,
            actor=manager,
            person=extra["Tom"],
            panel_role=PanelMember.PanelRole.MEMBER,
            not_involved_in_case=True,
            no_management_responsibility=False,
            declared_on=declared_on,
        )
        author_appoint(
            review=review,
            actor=chair,
            person=people[Role.INDEPENDENT_AUTHOR],
            not_involved_in_case=True,
            no_management_responsibility=True,
            declared_on=declared_on,
        )
        self._request_reports(review, people, police, health)
        meeting_record(
            review=review,
            actor=manager,
            held_on=declared_on,
            attendees=[people[Role.PANEL_MEMBER], extra["Grace"], people[Role.INDEPENDENT_AUTHOR]],
            minutes="Scoping meeting. The panel agreed the period under review and three key "
            "lines of enquiry. DCI Reilly could not declare independence as he manages the "
            "investigating officer; Northshire Constabulary will nominate another member.",
            actions_agreed="Board manager to ask each agency in scope to secure its records.",
        )

    def _request_reports(self, review, people, police, health) -> None:
        """Stage 4: reports requested; health has submitted, the police are still drafting."""
        manager = people[Role.BOARD_MANAGER]
        health_lead = User.objects.create_user(
            "nadia.hussain@northshire.example",
            None,
            first_name="Nadia",
            last_name="Hussain",
            job_title="Named Nurse for Safeguarding Children",
            agency=health,
        )
        person_roles_set(person=health_lead, roles=[Role.AGENCY_LEAD], agency=health)
        reports = {
            report.agency_id: report
            for report in reports_request(
                review=review,
                actor=manager,
                due_on=timezone.localdate() + timedelta(weeks=review.profile.report_due_weeks),
            )
        }
        for agency, lead, submit in [
            (health, health_lead, True),
            (police, people[Role.AGENCY_LEAD], False),
        ]:
            report = reports[agency.pk]
            report_records_secure(
                report=report,
                actor=lead,
                note="Case records exported and locked in the records management system.",
            )
            self._chronology(report, lead, review.incident_date)
            pdf = HTML(
                string=f"<h1>{agency}: management report</h1><p>Review {review.reference}. "
                "An invented report for demonstration.</p>"
            ).write_pdf()
            report_upload(
                report=report,
                actor=lead,
                file=SimpleUploadedFile(f"{agency} management report.pdf", pdf),
            )
            if submit:
                report_submit(report=report, actor=lead)
        # One report overdue, so that reminders and escalation have something to say.
        housing_report = next(
            r for r in reports.values() if r.agency_id not in (health.pk, police.pk)
        )
        deadline_reschedule(
            deadline=Deadline.objects.get(report=housing_report),
            actor=manager,
            due_on=timezone.localdate() - timedelta(days=9),
            reason="The panel asked this agency for an early summary report.",
        )

    def _chronology(self, report, lead, incident_date) -> None:
        """A few invented contacts in the months before the incident, and one interview."""
        contacts = [
            (120, "Home visit: the family had moved to temporary accommodation.", "Worker 1"),
            (75, "Appointment missed; a letter was sent to the old address.", "Worker 2"),
            (30, "Call from a neighbour about shouting at night; advice given.", "Call handler"),
            (6, "Attended the family home after the child was hurt.", "Officer 1"),
        ]
        for days_before, text, role in contacts:
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
        interview = interview_record(
            report=report,
            actor=lead,
            worker_role="Worker 2",
            worker_name="Jordan Pike",
            held_on=timezone.localdate() - timedelta(days=3),
            interviewer="Agency's review lead",
            supporter_attended=True,
            notes="The worker said letters went to the address on the system, which was out "
            "of date; there was no way to see that the family had moved.",
        )
        interview_notes_send(
            interview=interview,
            actor=lead,
            sent_on=timezone.localdate() - timedelta(days=2),
            response_due_on=timezone.localdate(),
        )


_USUAL_YES = {"abuse_or_neglect", "died", "seriously_harmed", "agency_concern"}
