"""A closed review is read-only: every page that changes a review, as the board manager (who
may change the most), refuses a POST once the review is closed and changes nothing; its pages
offer no link to a change. The exceptions belong to the board, not to the review's work:
progress on an action handed over to the board's action log, and what the public site shows of
a published report (its themes, and removing it, which a court order may need years on).

The reviews and URLs are the permission matrix's (tests/test_url_matrix.py), closed."""

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from learning.models import Dissemination
from publication.models import RenderedDocument
from reviews.models import AccessLog, Action
from reviews.services.closing import review_hand_over, review_withdraw
from tests import test_url_matrix
from tests.test_url_matrix import MATRIX

# The permission matrix's reviews and people, one of each kind.
world = test_url_matrix.world

pytestmark = pytest.mark.django_db

# Pages that only read (or make a file from what is read): their links are what a person
# sees of the closed review. Letters to the family are not among them: nobody writes to the
# family about a closed review.
READS = {
    "reviews:detail",
    "reviews:panel",
    "reviews:overview",
    "reviews:overview_download",
    "reviews:overview_versions",
    "reviews:overview_version",
    "reviews:overview_compare",
    "reviews:actions",
    "reviews:action",
    "reviews:report",
    "reviews:report_download",
    "reviews:chronology",
    "reviews:chronology_export",
    "reviews:combined_chronology",
    "reviews:combined_chronology_export",
    "reviews:interviews",
    "reviews:interview",
    "reviews:practitioner_comments",
    "reviews:practitioner_comment",
    "reviews:parallel",
    "reviews:parallel_process",
    "publication:plan",
    "publication:published",
    "publication:version",
    # A PDF of what a closed review holds is still a read: asking for one writes only the
    # rendered document's row (left out of the count below).
    "publication:document",
    "publication:document_download",
    "publication:report_document",
    "publication:pseudonyms",
    "publication:identifier_check",
    "publication:response",
    "families:list",
    "families:member",
    "quality:review",
    "quality:review_pdf",
    "governance:audit",
    "governance:audit_export",
    # A closed review's lessons and brief are a record: read, downloaded, never changed.
    "lessons:list",
    "lessons:brief",
    "lessons:brief_pdf",
    "lessons:dissemination",
}
# Who reads, and who would change, the pages that are not the board manager's: a worker's
# comments are the author's and the worker's agency's leads' only.
READERS = {
    "reviews:practitioner_comments": "lead_in",
    "reviews:practitioner_comment": "lead_in",
}
WRITERS = {
    "reviews:practitioner_worker_choose": "author_on",
    "reviews:practitioner_comment_send": "author_on",
    "reviews:practitioner_comment_record": "lead_in",
    "reviews:practitioner_comment_lapse": "lead_in",
}
# Whatever a POST might fill in: a reason, a note, a date, a status, a number of days.
ANSWERS = {
    "reason": "Closed review test.",
    "note": "Closed review test.",
    "text": "Closed review test.",
    "evidence": "Closed review test.",
    "status": Action.Status.ON_TRACK,
    "action": "extend",
    "days": "5",
    "decision": "accept",
    "comments": "Closed review test.",
    "real_value": "Canary Street",
    "replacement": "a street",
    "kind": "place",
}
_COUNTED_APPS = ("reviews", "families", "publication", "learning", "outbox")


def _rows() -> dict[str, int]:
    """How many rows each table of the apps that hold a review has (its history included);
    the access log, which records refusals too, and the rendered PDFs of what is read are left
    out."""
    return {
        model._meta.label: model._default_manager.count()
        for label in _COUNTED_APPS
        for model in apps.get_app_config(label).get_models()
        if model not in (AccessLog, RenderedDocument, RenderedDocument.history.model)
    }


def _close_them_all(people, kwargs):
    """Close every review of the matrix's world: the one at publication by handing over its
    open action, the others by withdrawing them."""
    manager = people["manager"]
    action = Action.objects.get(pk=kwargs["reviews:action"]["pk"])
    review_hand_over(review=action.review, actor=manager, reason="The board follows it.")
    for name in (
        "reviews:detail",
        "reviews:overview",
        "reviews:decide",
        "reviews:practitioner_comments",
    ):
        review = apps.get_model("reviews", "Review").objects.get(
            reference=kwargs[name]["reference"]
        )
        if not review.is_closed:
            review_withdraw(review=review, actor=manager, reason="Withdrawn for the test.")
    return action


# The board's acts that go on after closing: progress on a handed-over action, the public site's
# themes and removal, and the board manager's answers to the review's quality markers (those
# on implementation and evaluation are answered once the review is closed).
BOARDS = {
    "reviews:action_progress",
    "publication:published_themes",
    "publication:published_remove",
    "quality:answer",
    # Retention acts on closed reviews by nature: keeping one longer or destroying its records
    # is the board's decision about the record, not work in the review (tests/governance).
    "governance:keep",
    "governance:purge",
    "governance:tombstone",
    # Sharing a review's learning goes on after it closes.
    "lessons:dissemination_add",
}


def _in_a_review(name, kwargs) -> bool:
    return "reference" in kwargs.get(name, {}) or name == "reviews:deadline_change"


def test_every_write_to_a_closed_review_is_refused_and_changes_nothing(client, world):
    people, kwargs = world
    handed_over = _close_them_all(people, kwargs)
    client.force_login(people["manager"])
    before = _rows()
    accepted = {}
    for name in MATRIX:
        if not _in_a_review(name, kwargs) or name in BOARDS:
            continue
        url = reverse(name, kwargs=kwargs[name])
        client.force_login(people[WRITERS.get(name, "manager")])
        for data in ({}, ANSWERS):
            response = client.post(url, data)
            if name not in READS and response.status_code not in (403, 404, 405):
                accepted[name] = response.status_code
    assert accepted == {}, f"writes to a closed review not refused: {accepted}"
    assert _rows() == before
    # The one exception: progress on the action handed over to the board's action log.
    url = reverse("reviews:action_progress", kwargs=kwargs["reviews:action_progress"])
    response = client.post(url, {"status": Action.Status.ON_TRACK, "note": "Going well."})
    assert response.status_code == 302
    assert handed_over.updates.get().note == "Going well."
    # And the public site's: a published report of a closed review can still be taken down.
    url = reverse("publication:published_remove", kwargs=kwargs["publication:published_remove"])
    response = client.post(
        url, {"reason": "A court order, for the test.", "early_confirmed": "yes"}
    )
    assert response.status_code == 302
    # And sharing the review's learning, which goes on long after the review closed.
    url = reverse("lessons:dissemination_add", kwargs=kwargs["lessons:dissemination_add"])
    today = timezone.localdate()
    shared = {
        "what": "brief",
        "event": "Designated leads' forum",
        "shared_on_0": today.day,
        "shared_on_1": today.month,
        "shared_on_2": today.year,
        "practitioners_reached": "30",
    }
    assert client.post(url, shared).status_code == 302
    assert Dissemination.objects.get().event == "Designated leads' forum"


def test_a_closed_review_offers_no_link_to_a_change(client, world):
    people, kwargs = world
    _close_them_all(people, kwargs)
    client.force_login(people["manager"])
    writes = {
        reverse(name, kwargs=kwargs[name])
        for name in MATRIX
        if _in_a_review(name, kwargs) and name not in READS and name not in BOARDS
    }
    offered = {}
    for name in sorted(READS):
        client.force_login(people[READERS.get(name, "manager")])
        page = client.get(reverse(name, kwargs=kwargs[name]))
        assert page.status_code == 200, name
        if not page["Content-Type"].startswith("text/html"):
            continue
        text = page.content.decode()
        found = sorted(url for url in writes if f'"{url}' in text)
        if found:
            offered[name] = found
    assert offered == {}
