"""Stage 5: drafts of the overview report, comments from the agencies by a date, and the
recommendations, up to the move on to the action plan."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from reviews.models import AccessLog, CommentRound, Deadline, DraftComment, OverviewDraft, Review
from reviews.services.overview import (
    comment_add,
    comments_close,
    comments_request,
    overview_draft_upload,
    overview_finalise,
    recommendation_add,
)
from tests.conftest import pdf

pytestmark = pytest.mark.django_db


def _upload(overview, note="First draft"):
    return overview_draft_upload(
        review=overview.review, actor=overview.author, file=pdf(), note=note
    )


def _circulate(overview, days=14):
    return comments_request(
        review=overview.review,
        actor=overview.author,
        due_on=timezone.localdate() + timedelta(days=days),
    )


def _comment_deadlines(review):
    return {
        d.owner_agency_id: d for d in review.deadlines.filter(kind=Deadline.Kind.DRAFT_COMMENTS)
    }


def test_each_upload_is_a_new_numbered_draft_kept_in_history(overview):
    first, second = _upload(overview), _upload(overview, note="Second draft")
    assert (first.number, second.number) == (1, 2)
    assert first.content_type == "application/pdf"
    assert second.history.get().history_user == overview.author


def test_a_draft_that_is_not_a_document_is_refused(overview):
    html = SimpleUploadedFile("draft.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError) as error:
        overview_draft_upload(review=overview.review, actor=overview.author, file=html, note="")
    assert "file" in error.value.message_dict
    assert not OverviewDraft.objects.exists()


def test_drafts_change_only_at_the_overview_stage(review, manager):
    with pytest.raises(ValidationError):
        overview_draft_upload(review=review, actor=manager, file=pdf(), note="")
    with pytest.raises(ValidationError):
        recommendation_add(review=review, actor=manager, text="Do better.")


def test_sending_for_comments_opens_a_deadline_for_each_agency(overview):
    _upload(overview)
    comment_round = _circulate(overview)
    deadlines = _comment_deadlines(overview.review)
    assert set(deadlines) == {report.agency_id for report in overview.reports}
    assert {d.due_on for d in deadlines.values()} == {comment_round.due_on}
    assert all(d.state == Deadline.State.OPEN for d in deadlines.values())
    deadline = next(iter(deadlines.values()))
    assert deadline.get_absolute_url() == reverse(
        "reviews:overview", args=[overview.review.reference]
    )
    assert overview.review.transitions.filter(summary__contains="for comments by").exists()


def test_sending_for_comments_needs_a_draft_a_future_date_and_no_open_round(overview):
    with pytest.raises(ValidationError, match="Upload a draft"):
        _circulate(overview)
    _upload(overview)
    with pytest.raises(ValidationError) as error:
        _circulate(overview, days=0)
    assert "due_on" in error.value.message_dict
    _circulate(overview)
    with pytest.raises(ValidationError, match="Close the open round"):
        _circulate(overview)
    assert CommentRound.objects.count() == 1


def test_an_agencys_comment_meets_its_own_deadline_only(overview):
    _upload(overview)
    comment_round = _circulate(overview)
    first, second = overview.reports
    comment_add(
        comment_round=comment_round, actor=overview.leads[0], text="Para 4 is wrong.", report=first
    )
    deadlines = _comment_deadlines(overview.review)
    assert deadlines[first.agency_id].state == Deadline.State.MET
    assert deadlines[second.agency_id].state == Deadline.State.OPEN
    comment_add(comment_round=comment_round, actor=overview.author, text="Noted.", report=None)
    assert DraftComment.objects.filter(agency__isnull=True).count() == 1


def test_closing_early_waives_and_closing_late_misses_the_deadlines_left(overview):
    _upload(overview)
    _circulate(overview)
    comments_close(review=overview.review, actor=overview.author)
    assert {d.state for d in _comment_deadlines(overview.review).values()} == {
        Deadline.State.WAIVED
    }
    with pytest.raises(ValidationError):
        comments_close(review=overview.review, actor=overview.author)

    _upload(overview)
    comment_round = _circulate(overview, days=3)
    with time_machine.travel(timezone.now() + timedelta(days=10)):
        comments_close(review=overview.review, actor=overview.author)
    comment_round.refresh_from_db()
    assert not comment_round.is_open
    assert {d.state for d in _comment_deadlines(overview.review).values()} == {
        Deadline.State.MISSED
    }
    with pytest.raises(ValidationError, match="closed"):
        comment_add(comment_round=comment_round, actor=overview.author, text="Late.", report=None)


def test_agreeing_the_report_needs_a_draft_recommendations_and_no_open_round(overview, manager):
    review = overview.review
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="Upload the overview report"):
        overview_finalise(review=review, actor=manager, meeting_on=today)
    _upload(overview)
    with pytest.raises(ValidationError, match="recommendations"):
        overview_finalise(review=review, actor=manager, meeting_on=today)
    recommendation_add(review=review, actor=overview.author, text="Share attendance data.")
    _circulate(overview)
    with pytest.raises(ValidationError, match="Close the open round"):
        overview_finalise(review=review, actor=manager, meeting_on=today)
    comments_close(review=review, actor=manager)
    overview_finalise(review=review, actor=manager, meeting_on=today)
    review.refresh_from_db()
    assert review.stage == Review.Stage.ACTION_PLAN
    assert review.transitions.last().to_stage == Review.Stage.ACTION_PLAN
    with pytest.raises(ValidationError):
        recommendation_add(review=review, actor=overview.author, text="Too late.")


def test_recommendations_are_numbered_in_order(overview):
    texts = ["Share attendance data.", "Train staff on exploitation screening."]
    for text in texts:
        recommendation_add(review=overview.review, actor=overview.author, text=text)
    numbers = list(overview.review.recommendations.values_list("number", "text"))
    assert numbers == [(1, texts[0]), (2, texts[1])]
    with pytest.raises(ValidationError):
        recommendation_add(review=overview.review, actor=overview.author, text="  ")


def test_the_author_works_through_the_page(client, overview):
    client.force_login(overview.author)
    url = reverse("reviews:overview", args=[overview.review.reference])
    response = client.post(reverse("reviews:overview_upload", args=[overview.review.reference]))
    assert response.status_code == 200
    assert "Select the draft to upload" in response.content.decode()
    assert response.content.decode().count("<title>Error: ") == 1
    response = client.post(
        reverse("reviews:overview_upload", args=[overview.review.reference]),
        {"file": pdf(), "note": "First full draft"},
    )
    assert response.status_code == 302
    due = timezone.localdate() + timedelta(days=10)
    response = client.post(
        reverse("reviews:comments_request", args=[overview.review.reference]),
        {"due_on_0": due.day, "due_on_1": due.month, "due_on_2": due.year},
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert f"until <strong>{due:%-d %B %Y}</strong>" in page


def test_a_lead_sees_only_circulated_drafts_and_their_own_agencys_comments(client, overview):
    review = overview.review
    first_lead, second_lead = overview.leads
    _upload(overview)
    comment_round = _circulate(overview)
    comment_add(
        comment_round=comment_round,
        actor=second_lead,
        text="Canary comment of the other agency",
        report=overview.reports[1],
    )
    _upload(overview, note="Not yet circulated")
    recommendation_add(review=review, actor=overview.author, text="Canary recommendation")
    client.force_login(first_lead)
    page = client.get(reverse("reviews:overview", args=[review.reference])).content.decode()
    assert "Canary comment" not in page
    assert "Not yet circulated" not in page
    assert "Canary recommendation" not in page
    assert (
        client.get(reverse("reviews:overview_download", args=[review.reference, 1])).status_code
        == 200
    )
    assert (
        client.get(reverse("reviews:overview_download", args=[review.reference, 2])).status_code
        == 404
    )
    assert (
        client.post(
            reverse("reviews:overview_upload", args=[review.reference]), {"file": pdf()}
        ).status_code
        == 403
    )
    response = client.post(
        reverse("reviews:comment_add", args=[review.reference]),
        {"text": "<script>alert('x')</script>"},
    )
    assert response.status_code == 302
    page = client.get(reverse("reviews:overview", args=[review.reference])).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    assert _comment_deadlines(review)[overview.reports[0].agency_id].state == Deadline.State.MET


def test_the_panel_sees_every_comment(client, overview, chair):
    _upload(overview)
    comment_round = _circulate(overview)
    comment_add(
        comment_round=comment_round,
        actor=overview.leads[1],
        text="Canary comment of the other agency",
        report=overview.reports[1],
    )
    client.force_login(chair)
    page = client.get(reverse("reviews:overview", args=[overview.review.reference]))
    assert "Canary comment" in page.content.decode()


@pytest.mark.parametrize("count", [2, 20])
def test_the_overview_page_makes_the_same_queries_for_few_or_many_drafts_and_comments(
    client, overview, chair, count, django_assert_max_num_queries
):
    for number in range(count):
        _upload(overview, note=f"Draft {number}")
        comment_round = _circulate(overview)
        comment_add(comment_round=comment_round, actor=overview.leads[0], text="Fine.", report=None)
        comments_close(review=overview.review, actor=overview.author)
    client.force_login(chair)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("reviews:overview", args=[overview.review.reference]))
    assert response.content.decode().count('class="govuk-summary-card__title"') == count


def test_people_who_may_not_draft_or_agree_are_refused_and_nothing_changes(client, overview, chair):
    review = overview.review
    _upload(overview)
    due = timezone.localdate() + timedelta(days=10)
    date_post = {"due_on_0": due.day, "due_on_1": due.month, "due_on_2": due.year}
    posts = {
        "reviews:overview_upload": {"file": pdf()},
        "reviews:comments_request": date_post,
        "reviews:recommendation_add": {"text": "A recommendation"},
        "reviews:comments_close": {},
        "reviews:overview_finalise": {},
    }
    _circulate(overview)
    for person in (overview.leads[0], chair):
        client.force_login(person)
        for name, data in posts.items():
            response = client.post(reverse(name, args=[review.reference]), data)
            assert response.status_code == 403, (person, name)
        for name in ("reviews:comments_close", "reviews:overview_finalise"):
            response = client.get(reverse(name, args=[review.reference]))
            assert response.status_code == 403, (person, name)
    client.force_login(overview.author)
    finalise = reverse("reviews:overview_finalise", args=[review.reference])
    assert client.get(finalise).status_code == 403
    assert client.post(finalise).status_code == 403
    review.refresh_from_db()
    assert review.stage == Review.Stage.OVERVIEW
    assert OverviewDraft.objects.count() == 1
    assert CommentRound.objects.get().is_open
    assert not review.recommendations.exists()


def test_a_date_for_comments_in_the_past_is_refused_on_the_page(client, overview):
    _upload(overview)
    client.force_login(overview.author)
    past = timezone.localdate() - timedelta(days=1)
    response = client.post(
        reverse("reviews:comments_request", args=[overview.review.reference]),
        {"due_on_0": past.day, "due_on_1": past.month, "due_on_2": past.year},
    )
    assert response.status_code == 200
    assert "Date for comments must be in the future" in response.content.decode()
    assert not CommentRound.objects.exists()


def _version_of(page: str) -> str:
    """The fingerprint of what a confirmation page showed (a hidden field named ``version``)."""
    return re.search(r'name="version" value="([^"]+)"', page).group(1)


def agreement_post(page: str, draft: OverviewDraft, **extra) -> dict:
    """What the board manager posts to agree ``draft`` at a panel meeting today, having seen
    ``page``; a draft never sent for comments carries a reason."""
    today = timezone.localdate()
    return {
        "version": _version_of(page),
        "draft": draft.pk,
        "meeting_on_0": today.day,
        "meeting_on_1": today.month,
        "meeting_on_2": today.year,
        "uncirculated_reason": "The agencies read it at the panel meeting.",
        **extra,
    }


def test_closing_comments_first_names_the_draft_the_date_and_who_has_commented(
    client, overview, manager
):
    review = overview.review
    draft = _upload(overview)
    comment_round = _circulate(overview)
    first, second = overview.reports
    comment_add(comment_round=comment_round, actor=overview.leads[0], text="Fine.", report=first)
    client.force_login(manager)
    url = reverse("reviews:comments_close", args=[review.reference])
    page = client.get(url).content.decode()
    assert f"Close comments on draft {draft.number}" in page
    assert draft.display_name in page
    assert f"{comment_round.due_on:%-d %B %Y}" in page
    commented = page.index("Agencies that have commented")
    not_commented = page.index("Agencies that have not commented")
    assert commented < page.index(first.agency.name) < not_commented
    assert page.index(second.agency.name) > not_commented
    assert "will be let off" in page
    assert "You cannot undo this" in page
    assert f'href="{reverse("reviews:overview", args=[review.reference])}">Cancel' in page
    comment_round.refresh_from_db()
    assert comment_round.is_open
    response = client.post(url)
    assert response.status_code == 302
    comment_round.refresh_from_db()
    assert not comment_round.is_open
    assert comment_round.closed_by == manager


def test_agreeing_the_report_first_names_the_draft_and_every_recommendation(
    client, overview, manager
):
    review = overview.review
    _upload(overview)
    draft = _upload(overview, note="Second draft")
    for text in ("Share attendance data weekly.", "Screen every referral for exploitation."):
        recommendation_add(review=review, actor=overview.author, text=text)
    client.force_login(manager)
    url = reverse("reviews:overview_finalise", args=[review.reference])
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Draft 2" in page
    assert draft.display_name in page
    assert f"By {overview.author}" in page
    assert "Share attendance data weekly." in page
    assert "Screen every referral for exploitation." in page
    assert "You cannot undo this" in page
    review.refresh_from_db()
    assert review.stage == Review.Stage.OVERVIEW
    response = client.post(url, agreement_post(page, draft))
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.stage == Review.Stage.ACTION_PLAN


def test_a_draft_or_recommendation_added_after_the_page_opened_is_not_agreed(
    client, overview, manager
):
    """The manager opened the confirmation page; the author then uploaded a new draft and
    added a recommendation: the manager's click must not agree what she never saw."""
    review = overview.review
    draft = _upload(overview)
    recommendation_add(review=review, actor=overview.author, text="Share attendance data.")
    client.force_login(manager)
    url = reverse("reviews:overview_finalise", args=[review.reference])
    seen = client.get(url).content.decode()
    _upload(overview, note="Late changes")
    recommendation_add(review=review, actor=overview.author, text="Train every school nurse.")
    response = client.post(url, agreement_post(seen, draft))
    page = response.content.decode()
    assert response.status_code == 409
    assert f"draft 2 was uploaded by {overview.author}" in page
    assert f"recommendation 2 was added by {overview.author}" in page
    assert "Nothing was agreed" in page
    assert "Train every school nurse." in page
    review.refresh_from_db()
    assert review.stage == Review.Stage.OVERVIEW
    # Having now seen the report as it is, she may agree it.
    response = client.post(url, agreement_post(page, draft))
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.stage == Review.Stage.ACTION_PLAN


def test_agreeing_without_recommendations_shows_why_on_the_page(client, overview, manager):
    draft = _upload(overview)
    client.force_login(manager)
    url = reverse("reviews:overview_finalise", args=[overview.review.reference])
    response = client.post(url, agreement_post(client.get(url).content.decode(), draft))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Add the report&#x27;s recommendations before agreeing it" in content
    assert "<title>Error: " in content
    overview.review.refresh_from_db()
    assert overview.review.stage == Review.Stage.OVERVIEW


def _submission_of(page: str) -> str:
    """The one-time token a form page carries (a hidden field named ``submission``)."""
    return re.search(r'name="submission" value="([0-9a-f-]{36})"', page).group(1)


def test_back_and_resubmit_makes_one_recommendation(client, overview):
    review = overview.review
    client.force_login(overview.author)
    page = client.get(reverse("reviews:overview", args=[review.reference])).content.decode()
    data = {"text": "Share attendance data weekly.", "submission": _submission_of(page)}
    url = reverse("reviews:recommendation_add", args=[review.reference])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # Back, then submit again
    assert review.recommendations.count() == 1


def test_a_triple_clicked_comment_is_saved_once(client, overview):
    review = overview.review
    _upload(overview)
    _circulate(overview)
    lead = overview.leads[0]
    client.force_login(lead)
    page = client.get(reverse("reviews:overview", args=[review.reference])).content.decode()
    data = {"text": "Our contact on 3 March is missing.", "submission": _submission_of(page)}
    url = reverse("reviews:comment_add", args=[review.reference])
    for _ in range(3):
        assert client.post(url, data).status_code == 302
    assert DraftComment.objects.filter(author=lead).count() == 1


def test_a_draft_download_is_logged_as_a_download(client, overview):
    _upload(overview)
    client.force_login(overview.author)
    url = reverse("reviews:overview_download", args=[overview.review.reference, 1])
    assert client.get(url).status_code == 200
    assert AccessLog.objects.filter(
        object_type="overview", object_ref=overview.review.reference, action="download"
    ).exists()
