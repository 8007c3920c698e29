"""The learning brief: drafted from the lessons, edited (a stale save refused), approved (a
brief for the public site only once it names nobody), its one-page PDF with or without the
marking, and the brief on the public site beside its report."""

import io

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from learning.briefs import brief_pdf
from learning.models import LearningBrief
from learning.services import brief_approve, brief_draft, brief_edit, lesson_add
from publication.services import pseudonym_add
from reviews.models import StageTransition
from scr.versions import version_of
from tests.documents import dark_share_of_first_page, pdf_text
from tests.factories import LearningBriefFactory, PublicationFactory

pytestmark = pytest.mark.django_db


def _sections(brief: LearningBrief) -> dict[str, str]:
    return {name: getattr(brief, name) for name, _ in LearningBrief.SECTIONS}


@pytest.fixture
def brief(built, cast):
    lesson_add(
        review=built.review,
        actor=cast.manager,
        title="Share within a week",
        text="What one agency knew, the others needed.",
    )
    return brief_draft(review=built.review, actor=cast.manager)


def test_drafting_from_the_lessons_fills_the_brief(brief, built, cast):
    assert brief.status == LearningBrief.Status.DRAFT
    assert "did not share what they knew" in brief.background
    assert "- Share within a week: What one agency knew, the others needed." in (
        brief.what_we_learned
    )
    assert built.recommendations[0].text in brief.what_to_do
    assert brief.history.get().history_user == cast.manager
    assert built.review.transitions.filter(
        kind=StageTransition.Kind.PUBLICATION, summary="Learning brief drafted from the lessons"
    ).exists()


def test_drafting_again_keeps_what_the_manager_wrote_and_returns_to_draft(brief, cast):
    brief = brief_edit(
        brief=brief,
        actor=cast.manager,
        title="Seven minutes on sharing",
        audience=LearningBrief.Audience.INTERNAL,
        **{**_sections(brief), "questions": "Who else knows this family?"},
    )
    brief = brief_approve(brief=brief, actor=cast.manager)
    again = brief_draft(review=brief.review, actor=cast.manager, version=version_of(brief))
    assert again.status == LearningBrief.Status.DRAFT
    assert again.questions == "Who else knows this family?"
    assert again.title == "Seven minutes on sharing"


def test_a_save_over_a_newer_one_is_refused_and_the_text_kept(client, brief, cast):
    client.force_login(cast.manager)
    url = reverse("lessons:brief_edit", args=[brief.review.reference])
    seen = version_of(brief)
    brief_edit(
        brief=brief,
        actor=cast.chair,
        title="Changed meanwhile",
        audience=LearningBrief.Audience.INTERNAL,
        **_sections(brief),
    )
    data = {
        "version": seen,
        "title": "My title",
        "audience": "internal",
        "what_happened": "My words",
    }
    response = client.post(url, data)
    assert response.status_code == 409
    assert "My words" in response.content.decode()
    brief.refresh_from_db()
    assert brief.title == "Changed meanwhile"


def test_bad_input_shows_errors_and_changes_nothing(client, brief, cast):
    client.force_login(cast.manager)
    url = reverse("lessons:brief_edit", args=[brief.review.reference])
    response = client.post(url, {"version": version_of(brief), "title": "", "audience": "x"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the brief&#x27;s title" in page
    assert "govuk-error-summary" in page
    brief.refresh_from_db()
    assert brief.title.startswith("Learning brief")


def test_only_the_board_manager_approves(client, brief, cast):
    url = reverse("lessons:brief_approve", args=[brief.review.reference])
    client.force_login(cast.chair)
    assert client.post(url, {"version": version_of(brief)}).status_code == 403
    client.force_login(cast.manager)
    assert client.post(url, {"version": version_of(brief)}).status_code == 302
    brief.refresh_from_db()
    assert brief.is_approved
    assert brief.approved_by == cast.manager


def test_a_public_brief_that_names_someone_is_refused_with_the_hits(brief, cast):
    pseudonym_add(
        review=brief.review,
        actor=cast.manager,
        real_value="Leo Farrant",
        replacement="Child A",
        kind="person",
    )
    sections = {**_sections(brief), "what_happened": "Leo Farrant was seen by a nurse."}
    brief = brief_edit(
        brief=brief,
        actor=cast.manager,
        title=brief.title,
        audience=LearningBrief.Audience.PUBLIC,
        **sections,
    )
    with pytest.raises(ValidationError) as refused:
        brief_approve(brief=brief, actor=cast.manager)
    assert "identifier check" in refused.value.messages[0]
    assert any("was seen by a nurse" in message for message in refused.value.messages[1:])
    brief.refresh_from_db()
    assert not brief.is_approved
    sections["what_happened"] = "Child A was seen by a nurse."
    brief = brief_edit(
        brief=brief, actor=cast.manager, title=brief.title, audience="public", **sections
    )
    assert brief_approve(brief=brief, actor=cast.manager).is_approved


def test_the_pdf_is_one_page_not_blank_and_marked_only_when_internal(brief):
    internal = brief_pdf(brief, internal=True)
    public = brief_pdf(brief, internal=False)
    for data in (internal, public):
        with pikepdf.open(io.BytesIO(data)) as pdf:
            assert len(pdf.pages) == 1
        assert dark_share_of_first_page(data) > 0.01
    assert "OFFICIAL-SENSITIVE" in pdf_text(internal)
    assert "OFFICIAL-SENSITIVE" not in pdf_text(public)
    assert "What we learned" in pdf_text(public)


def test_the_brief_escapes_what_it_is_given(client, brief, cast):
    brief = brief_edit(
        brief=brief,
        actor=cast.manager,
        title="<script>alert(1)</script>",
        audience="internal",
        **_sections(brief),
    )
    client.force_login(cast.manager)
    page = client.get(reverse("lessons:brief", args=[brief.review.reference])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # In the PDF, the markup is the brief's words, printed as written.
    assert "<script>alert(1)</script>" in pdf_text(brief_pdf(brief, internal=True))


def test_the_public_report_links_to_an_approved_public_brief(client):
    publication = PublicationFactory()
    report = reverse("public:detail", args=[publication.pk])
    brief_url = reverse("public_learning:brief", args=[publication.pk])
    pdf_url = reverse("public_learning:brief_pdf", args=[publication.pk])
    brief = LearningBriefFactory(review=publication.review, public=True)
    assert brief_url not in client.get(report).content.decode()
    assert client.get(brief_url).status_code == 404
    brief.status = LearningBrief.Status.APPROVED
    brief.save()
    page = client.get(report).content.decode()
    assert brief_url in page
    assert pdf_url in page
    response = client.get(brief_url)
    assert response.status_code == 200
    assert "/reviews/" not in response.content.decode()
    pdf = client.get(pdf_url)
    assert pdf["Content-Type"] == "application/pdf"
    assert "OFFICIAL-SENSITIVE" not in pdf_text(pdf.content)


def test_an_internal_brief_is_never_public_and_a_removed_report_takes_its_brief(client):
    internal = LearningBriefFactory(review=PublicationFactory().review, approved=True)
    publication = internal.review.publications.get()
    assert client.get(reverse("public_learning:brief", args=[publication.pk])).status_code == 404
    removed = PublicationFactory(removed=True)
    LearningBriefFactory(review=removed.review, approved=True, public=True)
    for name in ("public_learning:brief", "public_learning:brief_pdf"):
        assert client.get(reverse(name, args=[removed.pk])).status_code == 410
