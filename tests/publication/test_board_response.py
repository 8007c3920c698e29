"""The board's written response to the report: drafted and corrected by the board manager from
the action plan stage on, recorded agreed at a board meeting (then frozen), read by the chair at
every step and by the panel, the author and the agency leads once agreed; needed, and checked
for identifiers, before the report is published; on the public page and in the public PDFs."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from publication.builders import board_response_build
from publication.document_services import publication_pdf
from publication.documents import document_render
from publication.models import BoardResponse, PublicationPlan, RenderedDocument
from publication.permissions import can_view_board_response
from publication.publishing import publish_problems
from publication.responses import board_response_agree, board_response_save
from publication.selectors import board_response_steps
from reviews.builders import cast_create, review_at
from reviews.models import Review, StageTransition
from scr.versions import version_of
from tests.documents import pdf_text
from tests.factories import (
    AgencyFactory,
    BoardResponseFactory,
    PseudonymEntryFactory,
    PublicationFactory,
    ReviewFactory,
    UserFactory,
)
from tests.publication.conftest import plan_save

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script> & <b>bold</b>"


@pytest.fixture
def at_action_plan(manager):
    return ReviewFactory(decided=True, stage=Review.Stage.ACTION_PLAN, created_by=manager)


def _draft(review, manager, text="The board accepts every finding.", **kw):
    return board_response_save(review=review, actor=manager, text=text, **kw)


def _agree(review, manager, **kw):
    fields = {"meeting": "Board meeting", "agreed_on": timezone.localdate(), **kw}
    return board_response_agree(review=review, actor=manager, **fields)


def _timeline(review):
    return list(
        review.transitions.filter(kind=StageTransition.Kind.PUBLICATION)
        .order_by("id")
        .values_list("summary", flat=True)
    )


def test_drafted_corrected_and_agreed_each_step_in_history_and_timeline(at_action_plan, manager):
    review = at_action_plan
    response = _draft(review, manager)
    response = _draft(review, manager, text="The board accepts every finding.\n\nIt will act.")
    agreed_on = timezone.localdate() - timedelta(days=2)
    response = _agree(review, manager, meeting="  Board meeting,   March  ", agreed_on=agreed_on)
    assert (response.meeting, response.agreed_on) == ("Board meeting, March", agreed_on)
    assert response.agreed_recorded_by == manager
    assert response.text == "The board accepts every finding.\n\nIt will act."
    reasons = [row.history_change_reason for row in response.history.order_by("history_id")]
    assert reasons == ["drafted", "corrected", "agreed at Board meeting, March"]
    assert {row.history_user for row in response.history.all()} == {manager}
    assert _timeline(review) == [
        "The board's response drafted",
        "The board's response corrected",
        "The board's response agreed at Board meeting, March",
    ]


def test_repeated_submissions_change_nothing(at_action_plan, manager):
    review = at_action_plan
    first = _draft(review, manager)
    seen = version_of(first)
    # The same text again (a double click, Back and submit), even from the version read before.
    again = _draft(review, manager, text="The board accepts every finding.\r\n", version=seen)
    assert again.pk == first.pk
    agreed = _agree(review, manager, version=seen)
    assert _agree(review, manager, version=seen) == agreed
    assert first.history.count() == 2
    assert len(_timeline(review)) == 2


def test_once_agreed_its_text_is_frozen(at_action_plan, manager):
    review = at_action_plan
    _draft(review, manager)
    _agree(review, manager)
    with pytest.raises(ValidationError, match="no longer changes"):
        _draft(review, manager, text="A different response.")
    with pytest.raises(ValidationError, match="recorded agreed already"):
        _agree(review, manager, meeting="Another meeting")
    response = BoardResponse.objects.get(review=review)
    assert response.text == "The board accepts every finding."
    assert response.meeting == "Board meeting"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ("empty", "Enter the board's response"),
        ("too_long", "20,000 characters or fewer"),
        ("no_draft", "Draft the board's response before"),
        ("no_meeting", "Enter the board meeting"),
        ("future", "must be today or in the past"),
        ("identifier", "names 1 identifier"),
        ("worker", "names 1 identifier"),
    ],
)
def test_refusals_change_nothing(at_action_plan, manager, call, message):
    review = at_action_plan
    if call not in ("empty", "too_long", "no_draft"):
        _draft(review, manager, text="The board failed Mill Lane Nursery and Pat Quill.")
    if call == "identifier":
        PseudonymEntryFactory(review=review, real_value="Mill Lane Nursery")
    if call == "worker":
        review.referrer_name = "Pat Quill"
        review.save()
    before = BoardResponse.history.count()
    attempts = {
        "empty": lambda: _draft(review, manager, text="  \n "),
        "too_long": lambda: _draft(review, manager, text="x" * 20_001),
        "no_meeting": lambda: _agree(review, manager, meeting="  "),
        "future": lambda: _agree(review, manager, agreed_on=timezone.localdate() + timedelta(1)),
    }
    with pytest.raises(ValidationError) as refused:
        attempts.get(call, lambda: _agree(review, manager))()
    assert any(message in text for text in refused.value.messages), refused.value.messages
    assert BoardResponse.history.count() == before
    assert not BoardResponse.objects.filter(review=review, agreed_on__isnull=False).exists()


@pytest.mark.parametrize("stage", [Review.Stage.OVERVIEW, Review.Stage.CLOSED])
def test_refused_before_the_report_is_agreed_and_once_closed(manager, stage):
    review = ReviewFactory(decided=True, stage=stage, created_by=manager)
    with pytest.raises(ValidationError):
        _draft(review, manager)
    assert not BoardResponse.objects.exists()


def test_a_save_over_a_newer_edit_is_refused(at_action_plan, manager):
    review = at_action_plan
    seen = version_of(_draft(review, manager))
    other = UserFactory(role=Role.BOARD_MANAGER)
    _draft(review, other, text="Another manager's text.")
    with pytest.raises(ValidationError) as refused:
        _draft(review, manager, text="My text.", version=seen)
    assert refused.value.code == "conflict"
    with pytest.raises(ValidationError) as refused:
        _agree(review, manager, version=seen)
    assert refused.value.code == "conflict"
    response = BoardResponse.objects.get(review=review)
    assert response.text == "Another manager's text."
    assert not response.is_agreed


def test_the_writing_page_keeps_the_typed_text_over_a_newer_edit(client, at_action_plan, manager):
    review = at_action_plan
    seen = version_of(_draft(review, manager))
    _draft(review, UserFactory(role=Role.BOARD_MANAGER), text="Another manager's text.")
    client.force_login(manager)
    url = reverse("publication:response_write", args=[review.reference])
    response = client.post(url, {"text": "My careful text.", "version": seen})
    assert response.status_code == 409
    page = response.content.decode()
    assert "My careful text." in page
    assert "after you opened it" in page
    assert BoardResponse.objects.get(review=review).text == "Another manager's text."


def test_the_pages_draft_agree_and_show_the_response_escaped(client, at_action_plan, manager):
    review = at_action_plan
    client.force_login(manager)
    write = reverse("publication:response_write", args=[review.reference])
    assert client.post(write, {"text": SCRIPT, "version": 0}).status_code == 302
    detail = client.get(reverse("publication:response", args=[review.reference]))
    page = detail.content.decode()
    assert "<script>alert" not in page
    assert "<b>bold" not in page
    assert "&lt;script&gt;alert(" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    agree = reverse("publication:response_agree", args=[review.reference])
    response = BoardResponse.objects.get(review=review)
    today = timezone.localdate()
    bad = client.post(agree, {"meeting": "", "version": version_of(response)})
    assert bad.status_code == 200
    assert "Enter the board meeting that agreed the response" in bad.content.decode()
    data = {
        "meeting": "Board meeting",
        "agreed_on_0": today.day,
        "agreed_on_1": today.month,
        "agreed_on_2": today.year,
        "version": version_of(response),
    }
    assert client.post(agree, data).status_code == 302
    response.refresh_from_db()
    assert response.is_agreed
    page = client.get(reverse("publication:response", args=[review.reference])).content.decode()
    assert "Agreed" in page
    assert write not in page
    assert client.get(write).status_code == 403


def test_who_reads_it_draft_and_agreed():
    police = AgencyFactory(name="Northshire Police")
    cast = cast_create(agencies=[police])
    built = review_at("action_plan", cast=cast, agencies_in_scope=[police])
    review = built.review
    outsider_lead = UserFactory(role=Role.AGENCY_LEAD, agency=AgencyFactory())
    always = {cast.manager: True, cast.chair: True}
    once_agreed = [cast.author, *cast.panel, cast.lead_of(police)]
    _draft(review, cast.manager)
    people = [*always, *once_agreed]
    readers = {person: can_view_board_response(person, review) for person in people}
    assert readers == {**always, **dict.fromkeys(once_agreed, False)}
    assert not can_view_board_response(outsider_lead, review)
    _agree(review, cast.manager)
    assert all(can_view_board_response(person, review) for person in people)
    assert not can_view_board_response(outsider_lead, review)
    steps = board_response_steps(review, cast.lead_of(police))
    assert [(step.key, step.hint) for step in steps] == [
        ("board_response", f"Agreed on {timezone.localdate():%-d %B %Y}")
    ]


def test_the_panel_gets_403_for_a_draft_and_the_page_once_agreed(client):
    police = AgencyFactory(name="Northshire Police")
    cast = cast_create(agencies=[police])
    review = review_at("action_plan", cast=cast, agencies_in_scope=[police]).review
    _draft(review, cast.manager)
    url = reverse("publication:response", args=[review.reference])
    client.force_login(cast.panel[0])
    assert client.get(url).status_code == 403
    _agree(review, cast.manager)
    page = client.get(url)
    assert page.status_code == 200
    assert "The board accepts every finding." in page.content.decode()
    assert reverse("publication:response_write", args=[review.reference]) not in (
        page.content.decode()
    )


def test_publishing_needs_an_agreed_response_without_identifiers(agreed, manager):
    review = agreed.review
    plan = plan_save(review, manager)
    needed = "Record the board's response agreed at a board meeting"
    assert needed not in publish_problems(review, plan, timezone.localdate())
    BoardResponse.objects.get(review=review).delete()
    assert needed in publish_problems(review, plan, timezone.localdate())
    # The map grew after the board agreed its response: publishing waits for a correction.
    BoardResponseFactory(review=review, agreed=True, updated_by=manager, text="Leo was failed.")
    problems = publish_problems(review, plan, timezone.localdate())
    assert any("The board's response names 1 identifier" in p for p in problems), problems


def test_a_plan_not_to_publish_keeps_the_response_readable(client, agreed, manager):
    review = agreed.review
    plan_save(review, manager, form=PublicationPlan.Form.NONE, rationale="The family asked.")
    client.force_login(manager)
    plan_page = client.get(reverse("publication:plan", args=[review.reference]))
    assert reverse("publication:response", args=[review.reference]) in plan_page.content.decode()
    page = client.get(reverse("publication:response", args=[review.reference]))
    assert page.status_code == 200
    assert "The board accepts the findings" in page.content.decode()


def test_the_publication_page_checklist_says_where_the_response_is(client, at_action_plan, chair):
    review = at_action_plan
    review.stage = Review.Stage.PUBLICATION
    review.save()
    plan_save(review, review.created_by)
    client.force_login(chair)
    url = reverse("publication:plan", args=[review.reference])
    assert "Not drafted" in client.get(url).content.decode()
    _draft(review, review.created_by)
    assert "Not agreed by the board yet" in client.get(url).content.decode()
    _agree(review, review.created_by, meeting="Spring board")
    assert "Agreed at Spring board" in client.get(url).content.decode()


def _published_with_response(text):
    publication = PublicationFactory()
    BoardResponseFactory(
        review=publication.review,
        text=text,
        agreed=True,
        meeting="Board meeting, 4 March",
        updated_by=publication.review.created_by,
    )
    return publication


def test_the_public_page_shows_the_agreed_response_escaped(client):
    publication = _published_with_response(SCRIPT)
    page = client.get(reverse("public:detail", args=[publication.pk])).content.decode()
    assert 'id="board-response"' in page
    assert "Agreed by the board at Board meeting, 4 March" in page
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(" in page


def test_a_draft_response_is_not_on_the_public_page(client):
    publication = PublicationFactory()
    BoardResponseFactory(
        review=publication.review, text="A draft.", updated_by=publication.review.created_by
    )
    page = client.get(reverse("public:detail", args=[publication.pk])).content.decode()
    assert "A draft." not in page
    assert "board-response" not in page


def test_the_public_pdf_holds_the_response_as_text():
    publication = _published_with_response(f"The board will act.\n\n{SCRIPT}")
    before = publication_pdf(publication.version, RenderedDocument.Kind.PUBLIC_SUMMARY)
    document_render(document_id=before.pk)
    before.refresh_from_db()
    text = pdf_text(before.file.read())
    assert "The board's response" in text
    assert "The board will act." in text
    assert "<script>alert('x')</script> & <b>bold</b>" in text
    assert before.source_key.startswith(publication.version.digest + "-")


def test_a_pdf_made_before_the_response_was_agreed_is_not_the_public_one():
    publication = PublicationFactory()
    kind = RenderedDocument.Kind.PUBLIC_SUMMARY
    earlier = publication_pdf(publication.version, kind)
    BoardResponseFactory(
        review=publication.review, agreed=True, updated_by=publication.review.created_by
    )
    later = publication_pdf(publication.version, kind)
    assert later.pk != earlier.pk


def test_the_builder_records_an_agreed_response_once():
    police = AgencyFactory()
    cast = cast_create(agencies=[police])
    built = review_at("action_plan", cast=cast, agencies_in_scope=[police])
    response = board_response_build(built)
    assert response.is_agreed
    assert board_response_build(built) == response
    assert response.history.count() == 2
