"""A review's quality page, the board manager's answers (form errors, history, after closing),
the page's PDF, and the board's view across its reviews (who may see it, its order, its
query count; tests/quality/test_count.py counts its figures)."""

import html
import time
import uuid

import pytest
from django.urls import reverse

from agencies.models import Role
from quality.models import QualityAnswer, Status
from quality.services import quality_answer_save, quality_count
from reviews.models import AccessLog, Review
from tests.documents import dark_share_of_first_page, pdf_text
from tests.factories import (
    BoardResponseFactory,
    ContactFactory,
    FamilyMemberFactory,
    QualityAnswerFactory,
    ReviewFactory,
)

pytestmark = pytest.mark.django_db

SUBMISSION = uuid.UUID("6f1e0e1a-7d57-4c47-9d3e-0f6f5d1e2a10")


@pytest.fixture
def review():
    return ReviewFactory(decided=True, stage=Review.Stage.PUBLICATION)


def _url(review, name="quality:review", **kwargs):
    return reverse(name, kwargs={"reference": review.reference, **kwargs})


def _answer_url(review, marker="board_members"):
    return _url(review, "quality:answer", marker=marker)


def test_the_page_shows_every_marker_by_stage_with_a_summary(client, manager, review):
    BoardResponseFactory(review=review, agreed=True, meeting="Board meeting")
    QualityAnswerFactory(review=review, marker="referral", status=Status.NOT_MET, note="Too late.")
    client.force_login(manager)
    response = client.get(_url(review))
    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    for heading in ("Setting up the review", "Running the review", "The review's outputs"):
        assert heading in text
    results = {r.marker.key: r for _, group in response.context["groups"] for r in group}
    assert len(results) == 18
    assert results["board_response"].status == Status.MET
    assert "The board agreed its written response at Board meeting" in text
    assert results["referral"].status == Status.NOT_MET
    assert "Too late." in text
    summary = {label: count for label, count, _ in response.context["summary"]}
    assert sum(summary.values()) == 18
    assert summary["Not met"] == sum(r.status == Status.NOT_MET for r in results.values())
    assert _answer_url(review, "referral") in text
    assert AccessLog.objects.filter(object_type="quality", object_ref=review.reference).exists()


def test_the_chair_reads_the_page_but_is_offered_no_answer(client, chair, review):
    client.force_login(chair)
    response = client.get(_url(review))
    assert response.status_code == 200
    assert _answer_url(review) not in response.content.decode()
    assert client.get(_answer_url(review)).status_code == 403
    response = client.post(_answer_url(review), {"status": "met", "note": "Fine."})
    assert response.status_code == 403
    assert not QualityAnswer.objects.exists()


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({}, ["Select how well the review meets the marker", "Enter a note saying why"]),
        ({"status": "met", "note": "  "}, ["Enter a note saying why"]),
        ({"status": "excellent", "note": "Fine."}, ["Select a valid choice."]),
    ],
)
def test_a_bad_answer_shows_the_errors_and_saves_nothing(client, manager, review, data, errors):
    client.force_login(manager)
    response = client.post(_answer_url(review), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "govuk-error-summary" in text
    assert "<title>Error: " in text
    for error in errors:
        assert error in text
    assert not QualityAnswer.objects.exists()


def test_answers_are_kept_in_history_with_who_and_when(client, manager, review):
    client.force_login(manager)
    response = client.post(
        _answer_url(review), {"status": "partly", "note": "Told the <b>board</b> late."}
    )
    assert response.status_code == 302
    assert response["Location"] == _url(review) + "#board_members"
    response = client.post(_answer_url(review), {"status": "met", "note": "Minutes found."})
    assert response.status_code == 302
    answer = QualityAnswer.objects.get()
    assert (answer.status, answer.note, answer.answered_by) == ("met", "Minutes found.", manager)
    history = list(answer.history.order_by("history_id"))
    assert [(h.status, h.history_user) for h in history] == [
        ("partly", manager),
        ("met", manager),
    ]
    assert history[0].history_change_reason == "answered: partly met"
    page = client.get(_answer_url(review)).content.decode()
    assert "Told the &lt;b&gt;board&lt;/b&gt; late." in page
    assert "Minutes found." in page


def test_a_repeated_submission_records_the_answer_once(manager, review):
    first = quality_answer_save(
        review=review,
        marker="governance",
        status="met",
        note="Panel met monthly.",
        actor=manager,
        submission=SUBMISSION,
    )
    again = quality_answer_save(
        review=review,
        marker="governance",
        status="met",
        note="Panel met monthly.",
        actor=manager,
        submission=SUBMISSION,
    )
    assert again.pk == first.pk
    assert first.history.count() == 1


def test_an_unknown_marker_is_not_found(client, manager, review):
    client.force_login(manager)
    assert client.get(_answer_url(review, "nonsense")).status_code == 404


def test_a_closed_review_is_still_answered_by_the_board_manager(client, manager):
    review = ReviewFactory(decided=True, stage=Review.Stage.CLOSED)
    client.force_login(manager)
    response = client.post(
        _answer_url(review, "implementation"),
        {"status": "partly", "note": "Audit in six months shows some change."},
    )
    assert response.status_code == 302
    assert QualityAnswer.objects.get().review == review


def test_the_pdf_is_marked_and_its_first_page_is_not_blank(client, manager, review):
    member = FamilyMemberFactory(review=review, name="<b>Canary</b>")
    ContactFactory(member=member)
    QualityAnswerFactory(review=review, note="Note with <i>markup</i>.")
    client.force_login(manager)
    started = time.perf_counter()
    response = client.get(_url(review, "quality:review_pdf"))
    took = time.perf_counter() - started
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    data = response.content
    assert dark_share_of_first_page(data) > 0.001
    text = pdf_text(data)
    assert "OFFICIAL-SENSITIVE" in text
    assert "Quality markers" in text
    assert "<b>Canary</b>" in text
    assert "Note with <i>markup</i>." in text
    assert b"/JavaScript" not in data
    # Rendered while the person waits: it must stay quick (about a second here).
    assert took < 20


def _reviews(count):
    reviews = [ReviewFactory(decided=True, stage=Review.Stage.AGENCY_REPORTS) for _ in range(count)]
    for review in reviews:
        FamilyMemberFactory(review=review)
        QualityAnswerFactory(review=review, marker="governance", status=Status.MET)
    return reviews


@pytest.mark.parametrize("count", [5, 50])
def test_the_boards_view_takes_the_same_queries_for_5_or_50_reviews(
    client, manager, count, django_assert_max_num_queries
):
    _reviews(count)
    quality_count()
    client.force_login(manager)
    # The session, the person, their roles, the stored figures and the references they name.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("quality:board"))
    assert response.status_code == 200
    tallies = {t.marker.key: t for t in response.context["tallies"]}
    assert tallies["governance"].counts[Status.MET] == count


def test_the_boards_view_puts_the_markers_most_often_not_met_first(client, chair):
    reviews = _reviews(3)
    for review in reviews:
        QualityAnswerFactory(review=review, marker="analysis", status=Status.NOT_MET)
    ReviewFactory(closed=True, closed_how=Review.Closure.DECISION)
    quality_count()
    client.force_login(chair)
    response = client.get(reverse("quality:board"))
    tallies = response.context["tallies"]
    not_met = [t.counts[Status.NOT_MET] for t in tallies]
    assert not_met == sorted(not_met, reverse=True)
    assert not_met[0] == 3
    analysis = next(t for t in tallies if t.marker.key == "analysis")
    assert analysis.counts[Status.NOT_MET] == 3
    # A referral the decision closed is no review: it is not counted.
    assert sum(analysis.counts.values()) == 3
    text = response.content.decode()
    assert f'href="{_url(reviews[0])}#analysis"' in text


def test_the_review_task_list_links_the_quality_page_for_the_board(client, manager, review):
    client.force_login(manager)
    text = client.get(review.get_absolute_url()).content.decode()
    assert _url(review) in text
    assert "0 of 18 answered by the board manager" in text


def test_the_dashboard_links_the_boards_view(client, manager, users_by_role):
    client.force_login(manager)
    assert reverse("quality:board") in client.get(reverse("reviews:dashboard")).content.decode()
    # The board's view is one of the dashboard's pages: "Dashboard" is the current item.
    text = client.get(reverse("quality:board")).content.decode()
    assert 'aria-current="page"' in text
    client.force_login(users_by_role[Role.PANEL_MEMBER.value])
    assert reverse("quality:board") not in client.get(reverse("reviews:list")).content.decode()


def test_the_boards_view_names_the_first_reviews_of_a_count_and_counts_the_rest(
    client, chair, monkeypatch
):
    monkeypatch.setattr("quality.views.BOARD_NAMED", 2)
    monkeypatch.setattr("quality.services.BOARD_NAMED", 2)
    reviews = sorted(_reviews(3), key=lambda r: r.reference)
    quality_count()
    client.force_login(chair)
    response = client.get(reverse("quality:board"))
    governance = next(t for t in response.context["tallies"] if t.marker.key == "governance")
    assert governance.counts[Status.MET] == 3
    text = response.content.decode()
    assert f'href="{_url(reviews[0])}#governance"' in text
    assert f'href="{_url(reviews[2])}#governance"' not in text
    assert "and 1 more" in text
