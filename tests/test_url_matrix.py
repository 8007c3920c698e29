"""Every URL of the project, for every kind of person: the status code they must get.

A URL pattern with no row in MATRIX fails ``test_every_url_has_a_row``, so a new page cannot be
added without deciding who may reach it. 404 means "not part of this review" (existence is not
confirmed); 403 means "part of the review, but not of this part of it".
"""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from agencies.models import Role
from agencies.services import person_roles_set
from families.models import FamilyMember
from families.services.involvement import family_meeting_offer
from families.services.members import family_member_save
from learning.services import lesson_add
from publication.builders import publication_plan_build
from publication.checks import version_check
from publication.document_services import document_request
from publication.documents import document_render
from publication.packs import pack_record
from publication.rendering import chronology_source
from publication.selectors import publication_version_latest
from publication.services import pseudonym_add
from reviews.builders import Cast, review_advance, review_at
from reviews.models import Deadline
from reviews.services.chronology import chronology_entry_save
from reviews.services.clock import deadline_open
from reviews.services.interviews import interview_record
from reviews.services.overview_text import overview_import_upload, overview_version_write
from reviews.services.parallel import parallel_process_record
from reviews.services.practitioners import practitioner_comments_send
from reviews.services.referral import referral_draft_save
from tests.documents import report_docx, word_heading
from tests.factories import (
    AgencyFactory,
    LearningBriefFactory,
    PublicationFactory,
    PublicationVersionFactory,
    ThemeFactory,
    UserFactory,
)
from tests.pages import page_slips

pytestmark = pytest.mark.django_db

PEOPLE = [
    "anonymous",
    "outsider",
    "manager",
    "chair",
    "author_on",
    "author_off",
    "panel_on",
    "panel_off",
    "lead_in",
    "lead_out",
]
SIGNED_IN = PEOPLE[1:]


def _codes(default: int, **overrides: int) -> dict[str, int]:
    """Signed-in people get ``default`` unless overridden; anonymous people go to sign-in."""
    return {"anonymous": 302, **dict.fromkeys(SIGNED_IN, default), **overrides}


_REVIEW_PARTIES = {"manager": 200, "chair": 200, "author_on": 200, "panel_on": 200}
_MANAGER_ONLY = _codes(404, manager=200, chair=403, author_on=403, panel_on=403, lead_in=403)
_FAMILY_SEERS = _codes(404, manager=200, chair=200, author_on=200, panel_on=403, lead_in=403)

MATRIX: dict[str, dict[str, int]] = {
    "home": _codes(302),
    "login": _codes(302, anonymous=200),
    "logout": _codes(405, anonymous=405),
    "healthz": _codes(200, anonymous=200),
    "session_extend": _codes(405, anonymous=302),
    "accessibility": _codes(200, anonymous=200),
    "favicon": _codes(302),
    # The board's public site: the same page for anyone, signed in or not, whatever their role.
    "robots_txt": _codes(200, anonymous=200),
    "public:list": _codes(200, anonymous=200),
    "public:detail": _codes(200, anonymous=200),
    # The summary's PDF (a page saying it is being prepared, until it is); the report is
    # published as a summary only, so it has no whole report's PDF.
    "public:pdf": _codes(200, anonymous=200),
    "public:report_pdf": _codes(404, anonymous=404),
    "public:accessibility": _codes(200, anonymous=200),
    # What is or was public, board-wide: the board manager and the chair; themes: the manager.
    "publications:list": _codes(403, manager=200, chair=200),
    "publications:themes": _codes(403, manager=200),
    "publications:theme_add": _codes(403, manager=200),
    "publications:theme_rename": _codes(403, manager=200),
    # The board's statistics, board-wide: the board manager and the chair.
    "learning:statistics": _codes(403, manager=200, chair=200),
    "learning:statistics_pdf": _codes(403, manager=200, chair=200),
    "learning:statistics_csv": _codes(403, manager=200, chair=200),
    "password_set": _codes(200, anonymous=200),
    "password_reset": _codes(200, anonymous=200),
    "password_reset_sent": _codes(200, anonymous=200),
    "password_reset_confirm": _codes(200, anonymous=200),
    "admin:index": _codes(302),
    # A review's audit trail and its CSV: the board manager's information-governance tool; the
    # chair, though seeing every review, is refused it (governance/permissions.py).
    "governance:audit": _MANAGER_ONLY,
    "governance:audit_export": _MANAGER_ONLY,
    # Closed reviews past retention, and the decisions on them: the board manager's. The
    # matrix's reviews are open, so none is due: its decision pages are 404 to the manager.
    "governance:retention": _codes(403, manager=200),
    "governance:keep": _codes(403, manager=404),
    "governance:purge": _codes(403, manager=404),
    # A tombstone: none in the matrix's world.
    "governance:tombstone": _codes(403, manager=404),
    "reviews:list": _codes(200),
    # Board managers' and chairs' home; nobody else's (they keep the review list).
    "reviews:dashboard": _codes(403, manager=200, chair=200),
    # Everyone may export the list they see (an outsider's is empty): re-authentication aside,
    # which force_login has just given.
    "reviews:export": _codes(200),
    "reviews:create": _codes(403, manager=200),
    # The board manager's own draft referral: only its owner sees it (another board manager
    # gets 404: tests/reviews/test_referral_flow.py).
    "reviews:referral_part": _codes(403, manager=200),
    "reviews:referral_family": _codes(403, manager=200),
    "reviews:referral_person_add": _codes(403, manager=200),
    "reviews:referral_person_remove": _codes(405),
    "reviews:referral_check": _codes(403, manager=200),
    "reviews:detail": _codes(404, lead_in=200, **_REVIEW_PARTIES),
    # The chair decides; the board manager may record the decision on the chair's behalf.
    "reviews:decide": _codes(404, chair=200, manager=200),
    "reviews:notify": _codes(404, manager=200, chair=403, author_on=403, panel_on=403, lead_in=403),
    # The review is an SCR: it has no rapid review, so nobody may record one.
    "reviews:rapid_review": _codes(
        404, manager=403, chair=403, author_on=403, panel_on=403, lead_in=403
    ),
    "reviews:panel": _codes(404, lead_in=403, **_REVIEW_PARTIES),
    "reviews:panel_add": _MANAGER_ONLY,
    "reviews:panel_remove": _MANAGER_ONLY,
    "reviews:terms": _MANAGER_ONLY,
    "reviews:meeting_add": _MANAGER_ONLY,
    "reviews:author": _codes(404, chair=200, manager=403, author_on=403, panel_on=403, lead_in=403),
    "reviews:reports_request": _MANAGER_ONLY,
    # On the second review, at the overview stage with draft 1 out for comments.
    "reviews:overview": _codes(404, manager=200, chair=200, lead_in=200),
    "reviews:overview_download": _codes(404, manager=200, chair=200, lead_in=200),
    "reviews:overview_upload": _codes(405),
    "reviews:comments_request": _codes(404, manager=200, chair=403, lead_in=403),
    "reviews:comment_add": _codes(405),
    "reviews:comments_close": _codes(404, manager=200, chair=403, lead_in=403),
    "reviews:recommendation_add": _codes(405),
    # Recommendation 1 of that review, until the report is agreed: its author (none on this
    # review) or the board manager corrects or removes it.
    "reviews:recommendation_correct": _codes(404, manager=200, chair=403, lead_in=403),
    "reviews:recommendation_remove": _codes(404, manager=200, chair=403, lead_in=403),
    "reviews:overview_finalise": _codes(404, manager=200, chair=403, lead_in=403),
    # Its report text (versions 1 and 2; draft 2 is a Word document): the panel's, never an
    # agency lead's; the author (none on this review) or the board manager writes it.
    "reviews:overview_versions": _codes(404, manager=200, chair=200, lead_in=403),
    "reviews:overview_version": _codes(404, manager=200, chair=200, lead_in=403),
    "reviews:overview_compare": _codes(404, manager=200, chair=200, lead_in=403),
    "reviews:overview_write": _codes(404, manager=200, chair=403, lead_in=403),
    "reviews:overview_import": _codes(404, manager=200, chair=403, lead_in=403),
    "reviews:overview_import_upload": _codes(405),
    "reviews:overview_import_check": _codes(404, manager=200, chair=403, lead_in=403),
    # On a third review, at the publication stage with one action of the in-scope agency.
    "reviews:actions": _codes(404, manager=200, chair=200, lead_in=200),
    "reviews:action": _codes(404, manager=200, chair=200, lead_in=200),
    "reviews:action_add": _codes(404, manager=200, chair=403, lead_in=403),
    "reviews:action_target": _codes(404, manager=200, chair=403, lead_in=403),
    "reviews:action_progress": _codes(405),
    # The plan is agreed already (the review is at publication): no one may agree it again.
    "reviews:action_plan_agree": _codes(404, manager=403, chair=403, lead_in=403),
    # Closing: signing off or handing over at publication (the third review), withdrawing at
    # any stage (the convened review); only the board manager.
    "reviews:sign_off": _codes(404, manager=200, chair=403, lead_in=403),
    "reviews:hand_over": _codes(404, manager=200, chair=403, lead_in=403),
    "reviews:withdraw": _MANAGER_ONLY,
    # The board's action log: board managers and chairs see every agency's, agency leads their
    # own agency's.
    "reviews:action_log": _codes(403, manager=200, chair=200, lead_in=200, lead_out=200),
    "publication:plan": _codes(404, manager=200, chair=200, lead_in=403),
    "publication:plan_edit": _codes(404, manager=200, chair=403, lead_in=403),
    "publication:notice": _codes(404, manager=200, chair=403, lead_in=403),
    # The third review's plan (in full) and its publication version 1 await the chair.
    "publication:approve": _codes(404, manager=403, chair=200, lead_in=403),
    # The publication version and its identifier check: the map's people, the board manager
    # writing and the chair reading; agency leads in the review are refused.
    "publication:version": _codes(404, manager=200, chair=200, lead_in=403),
    "publication:version_make": _codes(404, manager=200, chair=403, lead_in=403),
    "publication:version_edit": _codes(404, manager=200, chair=403, lead_in=403),
    "publication:hit_resolve": _codes(404, manager=200, chair=403, lead_in=403),
    # Publishing is the board manager's: the page lists what is still missing.
    "publication:publish": _codes(404, manager=200, chair=403, lead_in=403),
    # The pseudonym map holds real names: the board manager keeps it and the chair reads it (and
    # checks text against it); the author, the panel and agency leads never see it.
    "publication:pseudonyms": _codes(
        404, manager=200, chair=200, author_on=403, panel_on=403, lead_in=403
    ),
    "publication:identifier_check": _codes(
        404, manager=200, chair=200, author_on=403, panel_on=403, lead_in=403
    ),
    "publication:pseudonym_add": _MANAGER_ONLY,
    "publication:pseudonym_change": _MANAGER_ONLY,
    "publication:pseudonym_remove": _MANAGER_ONLY,
    "publication:pseudonyms_fill": _codes(405),
    # A publication of the third review (listed): seen by the board manager and the chair, its
    # themes changed and its removal made by the board manager.
    "publication:published": _codes(404, manager=200, chair=200, lead_in=403),
    "publication:published_themes": _codes(404, manager=200, chair=403, lead_in=403),
    "publication:published_remove": _codes(404, manager=200, chair=403, lead_in=403),
    # A document's PDF: who sees its page (here the combined chronology of the convened review).
    "publication:document": _codes(404, lead_in=403, **_REVIEW_PARTIES),
    "publication:document_download": _codes(404, lead_in=403, **_REVIEW_PARTIES),
    # A version of the overview report as PDF: who sees the whole report (second review); agency
    # leads see only the drafts sent to them for comment.
    "publication:report_document": _codes(404, manager=200, chair=200, lead_in=403),
    # The board's response on the third review, agreed at a board meeting: the manager and the
    # chair read it, and once agreed the review's agency leads (and panel and author, who are
    # not on this review); nobody may change it or record it agreed again.
    "publication:response": _codes(404, manager=200, chair=200, lead_in=200),
    "publication:response_write": _codes(404, manager=403, chair=403, lead_in=403),
    "publication:response_agree": _codes(404, manager=403, chair=403, lead_in=403),
    # The submission pack is the board manager's; its PDFs are still being prepared here.
    "publication:pack": _MANAGER_ONLY,
    "publication:pack_download": _MANAGER_ONLY,
    # Parallel processes (criminal proceedings here): the panel's parties read them (the police
    # contact only the board manager and the chair); only the board manager records them.
    "reviews:parallel": _codes(404, lead_in=403, **_REVIEW_PARTIES),
    "reviews:parallel_process": _codes(404, lead_in=403, **_REVIEW_PARTIES),
    "reviews:parallel_add": _MANAGER_ONLY,
    "reviews:parallel_change": _MANAGER_ONLY,
    "reviews:parallel_end": _MANAGER_ONLY,
    # Family records: the board manager, the chair and the review's author see them; only the
    # board manager records them; panel members and agency leads never.
    # A review's quality markers and their PDF: the board manager and the chair (on the convened
    # review, where the author and the panel member sit); only the board manager answers them.
    # The board's view of the markers across its reviews: the same two.
    "quality:review": _codes(404, manager=200, chair=200, author_on=403, panel_on=403, lead_in=403),
    "quality:review_pdf": _codes(
        404, manager=200, chair=200, author_on=403, panel_on=403, lead_in=403
    ),
    "quality:answer": _MANAGER_ONLY,
    "quality:board": _codes(403, manager=200, chair=200),
    # The board manager counts the figures again (tests/quality/test_count.py posts it).
    "quality:count": _codes(405),
    "families:list": _FAMILY_SEERS,
    "families:member": _FAMILY_SEERS,
    "families:add": _MANAGER_ONLY,
    "families:seed": _codes(405),
    "families:change": _MANAGER_ONLY,
    "families:declines": _MANAGER_ONLY,
    # Letters to the family come from the board manager: nobody else makes them.
    "families:letter_invitation": _MANAGER_ONLY,
    "families:letter_notice": _MANAGER_ONLY,
    "families:contact_add": _MANAGER_ONLY,
    "families:meeting_offer": _MANAGER_ONLY,
    "families:meeting_update": _MANAGER_ONLY,
    "families:views": _MANAGER_ONLY,
    "reviews:report": _codes(404, manager=200, chair=200, lead_in=200),
    "reviews:report_records": _codes(405),
    "reviews:report_upload": _codes(405),
    "reviews:report_submit": _codes(405),
    "reviews:report_decide": _codes(405),
    "reviews:report_download": _codes(404, manager=200, chair=200, lead_in=200),
    "reviews:chronology": _codes(404, manager=200, chair=200, lead_in=200),
    "reviews:chronology_export": _codes(404, manager=200, chair=200, lead_in=200),
    # The report is submitted, so its chronology is closed even to its own lead.
    "reviews:chronology_add": _codes(404, manager=403, chair=403, lead_in=403),
    "reviews:chronology_edit": _codes(404, manager=403, chair=403, lead_in=403),
    "reviews:chronology_delete": _codes(404, manager=403, chair=403, lead_in=403),
    "reviews:chronology_import": _codes(404, manager=403, chair=403, lead_in=403),
    "reviews:chronology_preview": _codes(404, manager=403, chair=403, lead_in=403),
    "reviews:chronology_undo": _codes(405),
    # Every agency's entries: never an agency lead's (on the convened review, still empty).
    "reviews:combined_chronology": _codes(404, lead_in=403, **_REVIEW_PARTIES),
    "reviews:combined_chronology_export": _codes(
        404, manager=200, chair=403, author_on=200, panel_on=403, lead_in=403
    ),
    # Only the author marks, at stages 4 and 5: the convened review is at neither.
    "reviews:key_episode": _codes(
        404, manager=403, chair=403, author_on=403, panel_on=403, lead_in=403
    ),
    "reviews:key_episode_unmark": _codes(405),
    # A fourth review at the overview stage, with the author and the panel member on it: what
    # its author sent a worker of the lead's agency is the author's and that agency's leads'
    # only; the author sends, the lead records the worker's answer.
    "reviews:practitioner_comments": _codes(
        404, manager=403, chair=403, author_on=200, panel_on=403, lead_in=200
    ),
    "reviews:practitioner_comment": _codes(
        404, manager=403, chair=403, author_on=200, panel_on=403, lead_in=200
    ),
    "reviews:practitioner_worker_choose": _codes(
        404, manager=403, chair=403, author_on=200, panel_on=403, lead_in=403
    ),
    "reviews:practitioner_comment_send": _codes(
        404, manager=403, chair=403, author_on=200, panel_on=403, lead_in=403
    ),
    "reviews:practitioner_comment_record": _codes(
        404, manager=403, chair=403, author_on=403, panel_on=403, lead_in=200
    ),
    "reviews:practitioner_comment_lapse": _codes(405),
    "reviews:interviews": _codes(404, manager=200, chair=200, lead_in=200),
    "reviews:interview": _codes(404, manager=200, chair=200, lead_in=200),
    "reviews:interview_add": _codes(404, manager=403, chair=403, lead_in=403),
    "reviews:interview_update": _codes(405),
    "reviews:tasks": _codes(200),
    "reviews:notifications": _codes(200),
    "reviews:delivery": _codes(200),
    "reviews:deadline_change": _codes(403, manager=200),
    "reviews:clock": _codes(404, manager=200, chair=403, author_on=403, panel_on=403, lead_in=403),
    "outbox:list": _codes(403, manager=200),
    "outbox:resend": _codes(405),
    "agencies:list": _codes(403, manager=200),
    "agencies:create": _codes(403, manager=200),
    "agencies:update": _codes(403, manager=200),
    "agencies:people": _codes(403, manager=200),
    "agencies:invite": _codes(403, manager=200),
    "agencies:person_update": _codes(403, manager=200),
    "agencies:deactivate": _codes(403, manager=200),
    "agencies:reactivate": _codes(405),
    "agencies:authenticator_reset": _codes(403, manager=200),
    # Nobody here has an app yet: set-up is open to every signed-in person, verify sends there.
    "agencies:mfa_setup": _codes(200),
    "agencies:mfa_verify": _codes(302),
    "agencies:mfa_recovery": _codes(302),
    "agencies:reauthenticate": _codes(200),
    # The lessons library: every signed-in person searches it (each finds what they may).
    "learning:library": _codes(200),
    # Where every review's learning was shared: the board manager and the chair.
    "learning:dissemination": _codes(403, manager=200, chair=200),
    "learning:dissemination_export": _codes(403, manager=200, chair=200),
    # A review's lessons, brief and sharing (the third review, its report agreed): those who
    # read its report see them; the board manager keeps them; agency leads are refused.
    "lessons:list": _codes(404, manager=200, chair=200, lead_in=403),
    "lessons:add": _codes(404, manager=200, chair=403, lead_in=403),
    "lessons:change": _codes(404, manager=200, chair=403, lead_in=403),
    "lessons:recommendation": _codes(404, manager=200, chair=403, lead_in=403),
    "lessons:brief": _codes(404, manager=200, chair=200, lead_in=403),
    "lessons:brief_pdf": _codes(404, manager=200, chair=200, lead_in=403),
    "lessons:brief_edit": _codes(404, manager=200, chair=403, lead_in=403),
    "lessons:brief_draft": _codes(405),
    "lessons:brief_approve": _codes(405),
    "lessons:dissemination": _codes(404, manager=200, chair=200, lead_in=403),
    "lessons:dissemination_add": _codes(404, manager=200, chair=403, lead_in=403),
    # Its brief, approved for the public, beside its published report: anyone.
    "public_learning:brief": _codes(200, anonymous=200),
    "public_learning:brief_pdf": _codes(200, anonymous=200),
}


def _url_names(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if inner == "admin:":
                continue  # Django's own admin: one row (admin:index) covers its login wall.
            yield from _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_has_a_row():
    missing = sorted(set(_url_names()) - set(MATRIX))
    assert missing == [], f"URLs with no row in the permission matrix: {missing}"


def _terms(today):
    return {
        "period_start": today - timedelta(days=400),
        "period_end": today - timedelta(days=20),
        "lines_of_enquiry": ["What did each agency know?"],
        "family_involvement_plan": "Write to the family.",
    }


def _reports_requested(cast, agency):
    """A second review whose in-scope agency's report was accepted: at the overview stage, with
    draft 1 out for comments."""
    today = timezone.localdate()
    built = review_at(
        "agency_reports",
        cast=cast,
        agencies_in_scope=[agency],
        terms=_terms(today),
        report_due_on=today + timedelta(days=42),
        reports="uploaded",
    )
    (report,) = built.reports
    interview = interview_record(
        report=report,
        actor=cast.lead_of(agency),
        worker_role="Health Visitor 1",
        worker_name="Canary Worker",
        held_on=today,
        interviewer="Lead reviewer",
        supporter_attended=False,
        notes="Invented notes.",
    )
    review_advance(
        built,
        "overview",
        drafts=1,
        comments_due_on=today + timedelta(days=14),
        recommendations=["Share data."],
    )
    report.interview_pk = interview.pk
    review = report.review
    draft = overview_import_upload(
        review=review,
        actor=cast.manager,
        file=SimpleUploadedFile("report.docx", report_docx(word_heading("Lessons learned"))),
    )
    overview_version_write(review=review, actor=cast.manager, texts={"lessons": "Share."})
    overview_version_write(review=review, actor=cast.manager, texts={"lessons": "Share data."})
    report.word_draft = draft.number
    return report


def _practitioners(cast, agency):
    """A fourth review, at the overview stage with its author and panel, whose author sent a
    worker of ``agency`` an entry of its chronology and a passage of the report."""
    today = timezone.localdate()

    def casework(report, lead):
        chronology_entry_save(
            report=report,
            actor=lead,
            occurred_on=today - timedelta(days=100),
            what_happened="Home visit.",
            practitioner_role="Health Visitor 1",
        )
        interview_record(
            report=report,
            actor=lead,
            worker_role="Health Visitor 1",
            worker_name="Canary Worker",
            held_on=today,
            interviewer="Lead reviewer",
            supporter_attended=False,
            notes="Invented notes.",
        )

    built = review_at(
        "overview",
        cast=cast,
        agencies_in_scope=[agency],
        terms=_terms(today),
        report_options={"casework": casework},
        report_text={"agency_analysis": "The health visitor saw the child."},
    )
    (report,) = built.reports
    interview = report.interviews.get()
    return practitioner_comments_send(
        interview=interview,
        actor=cast.author,
        entries=list(report.chronology.all()),
        extract="The health visitor saw the child.",
        due_on=today + timedelta(days=14),
    )


def _action_plan(cast, agency):
    """A third review, at the publication stage with one action owned by ``agency``."""
    today = timezone.localdate()
    built = review_at(
        "publication",
        cast=cast,
        agencies_in_scope=[agency],
        terms=_terms(today),
        comments_due_on=today + timedelta(days=14),
        recommendations=["Share data."],
        actions=[
            {
                "recommendation": 0,
                "agency": agency,
                "lead_name": "Head of Service",
                "change": "Weekly checks.",
                "difference": "Earlier help.",
                "target_on": today + timedelta(days=60),
            }
        ],
    )
    publication_plan_build(built)
    # Named after the version was made, so that the identifier check finds it.
    pseudonym_add(
        review=built.review,
        actor=cast.manager,
        real_value="two years",
        replacement="a long time",
        kind="other",
    )
    return built.actions[0]


@pytest.fixture
def world():
    """A convened review and a referral awaiting decision, and one person of each kind."""
    in_scope, out_of_scope = AgencyFactory(), AgencyFactory()
    people = {
        "outsider": UserFactory(),
        "manager": UserFactory(role=Role.BOARD_MANAGER),
        "chair": UserFactory(role=Role.CHAIR),
        "author_on": UserFactory(role=Role.INDEPENDENT_AUTHOR),
        "author_off": UserFactory(role=Role.INDEPENDENT_AUTHOR),
        "panel_on": UserFactory(role=Role.PANEL_MEMBER, agency=in_scope),
        "panel_off": UserFactory(role=Role.PANEL_MEMBER, agency=in_scope),
        "lead_in": UserFactory(agency=in_scope),
        "lead_out": UserFactory(agency=out_of_scope),
    }
    for kind in ("lead_in", "lead_out"):
        person = people[kind]
        person_roles_set(person=person, roles=[Role.AGENCY_LEAD], agency=person.agency)
    # The later reviews have no panel and no author: only the first review has them.
    staff = Cast(
        manager=people["manager"], chair=people["chair"], leads={in_scope.pk: people["lead_in"]}
    )
    today = timezone.localdate()
    convened = review_at(
        "convened",
        cast=replace(staff, author=people["author_on"], panel=[people["panel_on"]]),
        agencies_in_scope=[in_scope],
        terms={
            **_terms(today),
            "lines_of_enquiry": ["How was information shared?"],
            "family_involvement_plan": "Invite the family to meet the author.",
        },
    )
    review, (member,) = convened.review, convened.seats
    awaiting = review_at("referral", cast=staff, agencies_in_scope=[AgencyFactory()]).review
    report = _reports_requested(staff, in_scope)
    on_report = {"reference": report.review.reference, "pk": report.pk}
    action = _action_plan(staff, in_scope)
    comment = _practitioners(
        replace(staff, author=people["author_on"], panel=[people["panel_on"]]), in_scope
    )
    on_practitioners = {"reference": comment.interview.request.review.reference}
    on_comment = {**on_practitioners, "pk": comment.pk}
    on_action = {"reference": action.review.reference, "pk": action.pk}
    # An earlier publication of the review, numbered below the version its plan made (1), which
    # stays the latest for the version pages.
    publication = PublicationFactory(
        version__review=action.review,
        version__number=0,
        version__overview_version__number=99,
        themes=[ThemeFactory()],
    )
    on_publication = {"reference": action.review.reference, "pk": publication.pk}
    lesson = lesson_add(
        review=action.review, actor=people["manager"], title="Share data", text="Canary lesson."
    )
    LearningBriefFactory(review=action.review, approved=True, public=True)
    family_member = family_member_save(
        review=review,
        actor=people["manager"],
        name="Canary Parent",
        relationship=FamilyMember.Relationship.FATHER,
        interpreter_needed=False,
        parental_responsibility=FamilyMember.ParentalResponsibility.NOT_KNOWN,
    )
    on_family_member = {"reference": review.reference, "pk": family_member.pk}
    meeting = family_meeting_offer(member=family_member, actor=people["manager"], offered_on=today)
    entry = pseudonym_add(
        review=review,
        actor=people["manager"],
        real_value="Canary School",
        replacement="the school",
        kind="organisation",
    )
    on_entry = {"reference": review.reference, "pk": entry.pk}
    document = document_request(
        review=review, source=chronology_source(review=review), actor=people["manager"]
    )
    document_render(document_id=document.pk)
    on_document = {"reference": review.reference, "kind": "chronology"}
    PublicationVersionFactory(review=review)
    pack = pack_record(review=review, actor=people["manager"], bodies=["ofsted"], sent_on=today)
    draft = referral_draft_save(
        actor=people["manager"],
        draft=None,
        part="referrer",
        answers={"referrer_name": ["Duty officer"]},
    )
    on_draft = {"draft": draft.pk}
    deadline = deadline_open(
        review=review,
        kind=Deadline.Kind.REVIEW_COMPLETE,
        due_on=today + timedelta(days=180),
        actor=people["manager"],
    )
    process = parallel_process_record(
        review=review,
        actor=people["manager"],
        kind="criminal",
        contact_organisation="Northshire Constabulary",
        contact_name="DCI Invented",
        started_on=today,
        stops_clock=True,
    )
    on_process = {"reference": review.reference, "pk": process.pk}
    kwargs = {
        "reviews:deadline_change": {"pk": deadline.pk},
        "reviews:parallel_process": on_process,
        "reviews:parallel_change": on_process,
        "reviews:parallel_end": on_process,
        "reviews:report": on_report,
        "reviews:report_records": on_report,
        "reviews:report_upload": on_report,
        "reviews:report_submit": on_report,
        "reviews:report_decide": {**on_report, "decision": "accept"},
        "reviews:report_download": {**on_report, "number": 1},
        **{
            name: {"reference": report.review.reference}
            for name in (
                "reviews:overview",
                "reviews:overview_upload",
                "reviews:comments_request",
                "reviews:comment_add",
                "reviews:comments_close",
                "reviews:recommendation_add",
                "reviews:overview_finalise",
                "reviews:overview_versions",
                "reviews:overview_compare",
                "reviews:overview_write",
                "reviews:overview_import",
                "reviews:overview_import_upload",
            )
        },
        "reviews:overview_version": {"reference": report.review.reference, "number": 2},
        "reviews:overview_import_check": {
            "reference": report.review.reference,
            "number": report.word_draft,
        },
        "reviews:overview_download": {"reference": report.review.reference, "number": 1},
        "reviews:recommendation_correct": {"reference": report.review.reference, "number": 1},
        "reviews:recommendation_remove": {"reference": report.review.reference, "number": 1},
        "reviews:actions": {"reference": action.review.reference},
        "reviews:action_add": {"reference": action.review.reference},
        "reviews:action_plan_agree": {"reference": action.review.reference},
        "reviews:action": on_action,
        "reviews:action_progress": on_action,
        "reviews:action_target": on_action,
        "reviews:sign_off": {"reference": action.review.reference},
        "reviews:hand_over": {"reference": action.review.reference},
        **{
            name: {"reference": action.review.reference}
            for name in (
                "publication:plan",
                "publication:plan_edit",
                "publication:notice",
                "publication:approve",
                "publication:version",
                "publication:version_make",
                "publication:version_edit",
                "publication:publish",
                "publication:response",
                "publication:response_write",
                "publication:response_agree",
            )
        },
        "publication:hit_resolve": {
            "reference": action.review.reference,
            "number": 1,
            "key": version_check(publication_version_latest(review=action.review)).hits[0][0].key,
        },
        **{
            name: {"reference": review.reference}
            for name in (
                "publication:pseudonyms",
                "publication:identifier_check",
                "publication:pseudonym_add",
                "publication:pseudonyms_fill",
            )
        },
        "publication:pseudonym_change": on_entry,
        "publication:document": on_document,
        "publication:document_download": {**on_document, "pk": document.pk},
        "publication:pack": {"reference": review.reference},
        "publication:pack_download": {"reference": review.reference, "pk": pack.pk},
        "publication:report_document": {
            "reference": report.review.reference,
            "number": 1,
            "kind": "overview_report",
        },
        "publication:pseudonym_remove": on_entry,
        "publication:published": on_publication,
        "publication:published_themes": on_publication,
        "publication:published_remove": on_publication,
        "public:detail": {"pk": publication.pk},
        "public_learning:brief": {"pk": publication.pk},
        "public_learning:brief_pdf": {"pk": publication.pk},
        **{
            name: {"reference": action.review.reference}
            for name in MATRIX
            if name.startswith("lessons:")
        },
        "lessons:change": {"reference": action.review.reference, "pk": lesson.pk},
        "lessons:recommendation": {"reference": action.review.reference, "number": 1},
        "public:pdf": {"pk": publication.pk},
        "public:report_pdf": {"pk": publication.pk},
        "publications:theme_rename": {"pk": publication.themes.get().pk},
        "quality:review": {"reference": review.reference},
        "quality:review_pdf": {"reference": review.reference},
        "quality:answer": {"reference": review.reference, "marker": "board_members"},
        "families:list": {"reference": review.reference},
        "families:add": {"reference": review.reference},
        "families:seed": {"reference": review.reference},
        "families:member": on_family_member,
        "families:change": on_family_member,
        "families:declines": on_family_member,
        "families:letter_invitation": on_family_member,
        "families:letter_notice": on_family_member,
        "families:contact_add": {**on_family_member, "kind": "told"},
        "families:meeting_offer": on_family_member,
        "families:meeting_update": {**on_family_member, "meeting_pk": meeting.pk, "step": "held"},
        "families:views": on_family_member,
        "reviews:practitioner_comments": on_practitioners,
        "reviews:practitioner_worker_choose": on_practitioners,
        "reviews:practitioner_comment_send": {
            **on_practitioners,
            "interview_pk": comment.interview_id,
        },
        "reviews:practitioner_comment": on_comment,
        "reviews:practitioner_comment_record": on_comment,
        "reviews:practitioner_comment_lapse": on_comment,
        "reviews:chronology": on_report,
        "reviews:interviews": on_report,
        "reviews:interview": {**on_report, "interview_pk": report.interview_pk},
        "reviews:interview_add": on_report,
        "reviews:interview_update": {**on_report, "interview_pk": 1, "step": "send"},
        "reviews:chronology_export": on_report,
        "reviews:chronology_add": on_report,
        "reviews:chronology_edit": {**on_report, "entry_pk": 1},
        "reviews:chronology_delete": {**on_report, "entry_pk": 1},
        "reviews:chronology_import": on_report,
        "reviews:chronology_preview": {**on_report, "batch_pk": 1},
        "reviews:chronology_undo": {**on_report, "batch_pk": 1},
        "reviews:key_episode": {"reference": review.reference, "entry_pk": 1},
        "reviews:key_episode_unmark": {"reference": review.reference, "entry_pk": 1},
        "reviews:decide": {"reference": awaiting.reference},
        "reviews:referral_part": {**on_draft, "part": "subject"},
        "reviews:referral_family": on_draft,
        "reviews:referral_person_add": on_draft,
        "reviews:referral_person_remove": {**on_draft, "person": "0" * 32},
        "reviews:referral_check": on_draft,
        "reviews:panel_remove": {"reference": review.reference, "pk": member.pk},
        "governance:audit": {"reference": review.reference},
        "governance:audit_export": {"reference": review.reference},
        "governance:keep": {"reference": review.reference},
        "governance:purge": {"reference": review.reference},
        "governance:tombstone": {"reference": "SCR-2019-001"},
        "agencies:update": {"pk": in_scope.pk},
        "agencies:person_update": {"pk": people["outsider"].pk},
        "agencies:deactivate": {"pk": people["outsider"].pk},
        "agencies:reactivate": {"pk": people["outsider"].pk},
        "agencies:authenticator_reset": {"pk": people["outsider"].pk},
        "outbox:resend": {"pk": 1},
        "password_set": {"uidb64": "MQ", "token": "not-a-token"},
        "password_reset_confirm": {"uidb64": "MQ", "token": "not-a-token"},
    }
    for name in MATRIX:
        if (
            name.startswith("reviews:")
            and name not in kwargs
            and name
            not in {
                "reviews:list",
                "reviews:dashboard",
                "reviews:export",
                "reviews:create",
                "reviews:tasks",
                "reviews:notifications",
                "reviews:delivery",
                "reviews:action_log",
            }
        ):
            kwargs[name] = {"reference": review.reference}
    return people, kwargs


@pytest.mark.parametrize("person", PEOPLE)
def test_status_of_every_url_for_each_person(client, world, person):
    people, kwargs = world
    if person != "anonymous":
        client.force_login(people[person])
    wrong, slips = {}, {}
    for name, expected in MATRIX.items():
        response = client.get(reverse(name, kwargs=kwargs.get(name)))
        if response.status_code != expected[person]:
            wrong[name] = (expected[person], response.status_code)
        elif response["Content-Type"].startswith("text/html") and (
            found := page_slips(response.content.decode())
        ):
            slips[name] = found
    assert wrong == {}, f"(expected, got) for {person}: {wrong}"
    assert slips == {}, f"Python's None, Django's dashes or a.m./p.m. shown to {person}"
