"""The publication version's pages: what the board manager and the chair see, the forms' errors,
the access log, that a worker's name never reaches a page, and flat query counts."""

import re

import pytest
from django.urls import reverse

from publication.checks import version_check
from publication.models import HitResolution, Publication, PublicationPlan, PublicationVersion
from publication.versions import publication_version_make
from reviews.models import AccessLog
from scr.versions import version_of
from tests.factories import PseudonymEntryFactory, PublicationVersionFactory
from tests.publication.conftest import WORKER, plan_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def made(agreed, manager):
    """The review with its plan and version 1 (which names the worker)."""
    plan_save(agreed.review, manager)
    publication_version_make(review=agreed.review, actor=manager, title="Child A: report")
    return agreed.review


def _url(name, review, *args):
    return reverse(f"publication:{name}", args=[review.reference, *args])


def _worker_key(review):
    (hit,) = version_check(PublicationVersion.objects.get(number=1)).unresolved
    return hit.key


def test_no_page_shows_the_workers_name_while_the_check_lists_it(client, made, manager, chair):
    key = _worker_key(made)
    # Each page, and whether it lists the hit (the others show the masked text, or nothing).
    pages = [
        (manager, "version", (), True),
        (manager, "hit_resolve", (1, key), True),
        (manager, "version_edit", (), False),
        (manager, "plan", (), False),
        (chair, "version", (), True),
        (chair, "approve", (), True),
        (chair, "plan", (), False),
    ]
    for person, name, args, lists_hit in pages:
        client.force_login(person)
        page = client.get(_url(name, made, *args)).content.decode()
        assert WORKER not in page, (person, name)
        assert "Pike" not in page, (person, name)
        if lists_hit:
            assert "interview 1, Northshire Police" in page, (person, name)
        if name != "plan":
            assert "[worker&#x27;s name]" in page, (person, name)


def test_the_version_page_shows_the_text_the_check_and_plain_english(client, made, manager):
    client.force_login(manager)
    page = client.get(_url("version", made)).content.decode()
    assert "Version 1: the full overview report" in page
    assert "<h2>The case in summary</h2>" in page  # sanitised report HTML, rendered
    assert "<em>Canary Primary</em>" in page
    assert "1 not resolved" in page
    assert "A worker's name (interview 1, Northshire Police)" in page
    assert "Reading ease of the executive summary" in page
    assert "60 or more" in page
    assert AccessLog.objects.filter(
        user=manager, object_type="publication_version", object_ref=made.reference, allowed=True
    ).exists()


def test_marking_needs_a_reason_then_carries_it(client, made, manager):
    key = _worker_key(made)
    client.force_login(manager)
    url = _url("hit_resolve", made, 1, key)
    response = client.post(url, {"reason": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter why this does not identify anyone" in page
    assert not HitResolution.objects.exists()
    response = client.post(url, {"reason": "A name the police use for a post, not a person."})
    assert response.status_code == 302
    page = client.get(_url("version", made)).content.decode()
    assert "Every hit resolved" in page
    assert "A name the police use for a post, not a person." in page


def test_an_unknown_hit_is_not_found(client, made, manager):
    client.force_login(manager)
    assert client.get(_url("hit_resolve", made, 1, "e1-000000000000-0")).status_code == 404
    assert client.get(_url("hit_resolve", made, 2, _worker_key(made))).status_code == 404


def test_correcting_through_the_form_makes_a_new_version(client, made, manager):
    client.force_login(manager)
    url = _url("version_edit", made)
    form = client.get(url).content.decode()
    body = re.search(r'<textarea[^>]*name="body"[^>]*>(.*?)</textarea>', form, re.S).group(1)
    assert "# The case in summary" in body
    data = {"version": 1, "title": "Child A: report", "summary": "", "body": body}
    response = client.post(url, data)
    assert "Enter the executive summary" in response.content.decode()
    assert PublicationVersion.objects.count() == 1
    data["summary"] = "Child A lived at home."
    response = client.post(url, {**data, "body": "# Lessons\n\nShare more."})
    assert response.status_code == 302
    latest = PublicationVersion.objects.get(number=2)
    assert latest.body_html == "<h2>Lessons</h2><p>Share more.</p>"
    response = client.post(url, data)  # still based on version 1
    assert response.status_code == 409
    assert "Version 2 was made by" in response.content.decode()


def test_the_chair_reads_the_version_and_approves_it(client, made, manager, chair):
    client.force_login(manager)
    client.post(_url("hit_resolve", made, 1, _worker_key(made)), {"reason": "Not a name here."})
    client.force_login(chair)
    url = _url("approve", made)
    page = client.get(url).content.decode()
    assert "The text you are approving" in page
    assert "Publication version 1" in page
    assert "Every hit resolved" in page
    plan_version = re.search(r'name="version" value="(\d+)"', page).group(1)
    response = client.post(url, {"version": plan_version, "publication_version": 1})
    assert response.status_code == 302
    plan = PublicationPlan.objects.get()
    assert plan.approved_version.number == 1
    # A new version withdraws it, and both pages say why.
    publication_version_make(review=made, actor=manager, title="Child A: report")
    for name in ("plan", "approve"):
        page = client.get(_url(name, made)).content.decode()
        assert "withdrawn because a new publication version (version 2) was made" in page


def test_the_chair_cannot_approve_a_version_with_hits_not_resolved(client, made, chair):
    client.force_login(chair)
    url = _url("approve", made)
    page = client.get(url).content.decode()
    assert "You cannot approve the plan yet" in page
    assert "1 hit of the identifier check is not resolved" in page
    plan = PublicationPlan.objects.get()
    response = client.post(url, {"version": version_of(plan), "publication_version": 1})
    assert response.status_code == 200
    assert "1 hit of the identifier check is not resolved" in response.content.decode()
    assert not PublicationPlan.objects.get().is_approved


def test_the_publish_page_lists_what_is_missing(client, made, manager):
    client.force_login(manager)
    page = client.get(_url("publish", made)).content.decode()
    assert "You cannot publish the report yet" in page
    assert "The chair has not approved the plan" in page
    response = client.post(_url("publish", made), {})
    assert "There is a problem" in response.content.decode()
    assert not Publication.objects.exists()


@pytest.mark.parametrize("size", [5, 200])
def test_the_version_page_queries_stay_flat(
    client, agreed, manager, django_assert_max_num_queries, size
):
    review = agreed.review
    plan_save(review, manager)
    names = [f"Canary School {n}" for n in range(size)]
    PublicationVersionFactory(
        review=review,
        overview_version=agreed.overview,
        summary_html="<p>" + " ".join(f"{name} helped." for name in names) + "</p>",
    )
    for name in names:
        PseudonymEntryFactory(review=review, real_value=name, replacement="a school")
    client.force_login(manager)
    with django_assert_max_num_queries(24):
        page = client.get(_url("version", review)).content.decode()
    assert page.count("Mark not identifying") == size
