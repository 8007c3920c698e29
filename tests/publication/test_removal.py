"""Taking a publication off the public site: always with a reason, before the 12 months only
with the reason confirmed to say why; recorded in history and on the review's timeline; still
seen internally by the board manager and the chair, with who, when and why. Never deleted."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from publication.models import Publication
from publication.removal import publication_remove
from reviews.models import StageTransition
from tests.factories import PublicationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed():
    """A publication within its 12 months on the public site."""
    return PublicationFactory(published_at=timezone.now() - timedelta(days=30))


@pytest.fixture
def past_twelve_months():
    published = timezone.now() - timedelta(days=400)
    return PublicationFactory(
        published_at=published, listed_until=(published + timedelta(days=366)).date()
    )


def _remove_url(publication):
    return reverse(
        "publication:published_remove", args=[publication.review.reference, publication.pk]
    )


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_reason_is_always_needed(past_twelve_months, manager, reason):
    with pytest.raises(ValidationError) as error:
        publication_remove(publication=past_twelve_months, actor=manager, reason=reason)
    assert "reason" in error.value.message_dict
    past_twelve_months.refresh_from_db()
    assert past_twelve_months.removed_at is None


def test_before_twelve_months_the_reason_must_be_confirmed_to_say_why(listed, manager):
    with pytest.raises(ValidationError) as error:
        publication_remove(publication=listed, actor=manager, reason="Court order")
    assert "early_confirmed" in error.value.message_dict
    listed.refresh_from_db()
    assert listed.removed_at is None
    assert not listed.review.transitions.filter(summary__contains="removed").exists()
    publication_remove(
        publication=listed, actor=manager, reason="Court order of 3 May", early_confirmed=True
    )
    listed.refresh_from_db()
    assert listed.removed_at is not None


def test_removal_is_recorded_in_history_and_on_the_timeline(past_twelve_months, manager):
    publication_remove(publication=past_twelve_months, actor=manager, reason="  Superseded.  ")
    publication = Publication.objects.get(pk=past_twelve_months.pk)
    assert (publication.removed_by, publication.removal_reason) == (manager, "Superseded.")
    row = publication.history.latest("history_id")
    assert (row.history_user, row.history_change_reason) == (
        manager,
        "removed from the public site",
    )
    line = publication.review.transitions.latest("id")
    assert line.kind == StageTransition.Kind.PUBLICATION
    assert line.summary == (
        f"Publication version {publication.version.number} removed from the public site"
    )
    assert (line.reason, line.actor) == ("Superseded.", manager)


def test_early_removal_says_so_on_the_timeline(listed, manager):
    publication_remove(
        publication=listed, actor=manager, reason="Court order", early_confirmed=True
    )
    line = listed.review.transitions.latest("id")
    assert line.summary.endswith(f", before {listed.listed_until:%-d %B %Y}")


def test_a_publication_is_removed_once(past_twelve_months, manager, chair):
    publication_remove(publication=past_twelve_months, actor=manager, reason="Superseded.")
    with pytest.raises(ValidationError) as error:
        publication_remove(publication=past_twelve_months, actor=chair, reason="Again")
    assert "already removed" in error.value.messages[0]
    past_twelve_months.refresh_from_db()
    assert (past_twelve_months.removed_by, past_twelve_months.removal_reason) == (
        manager,
        "Superseded.",
    )


def test_the_page_warns_and_refuses_without_a_reason_then_removes(client, listed, manager):
    client.force_login(manager)
    page = client.get(_remove_url(listed)).content.decode()
    assert "Boards must keep a published report listed for 12 months" in page
    assert f"until {listed.listed_until:%-d %B %Y}" in page
    refused = client.post(_remove_url(listed), {"reason": ""}).content.decode()
    assert "There is a problem" in refused
    assert "Enter why the publication is being removed" in refused
    unconfirmed = client.post(_remove_url(listed), {"reason": "Court order"}).content.decode()
    assert "Confirm that the reason says why the report must come off" in unconfirmed
    listed.refresh_from_db()
    assert listed.removed_at is None
    response = client.post(
        _remove_url(listed),
        # Fields the form does not have are ignored.
        {"reason": "Court order", "early_confirmed": ["yes"], "removed_by": UserFactory().pk},
        follow=True,
    )
    listed.refresh_from_db()
    assert listed.removed_by == manager
    html = response.content.decode()
    assert "Publication removed from the public site" in html
    assert "Court order" in html
    assert client.get(reverse("public:detail", args=[listed.pk])).status_code == 410


def test_after_twelve_months_the_page_neither_warns_nor_asks_for_the_confirmation(
    client, past_twelve_months, manager
):
    client.force_login(manager)
    page = client.get(_remove_url(past_twelve_months)).content.decode()
    assert "Boards must keep" not in page
    assert "early_confirmed" not in page
    assert client.post(_remove_url(past_twelve_months), {"reason": "Superseded"}).status_code == 302


def test_removed_publications_stay_visible_internally_with_who_when_and_why(client, manager, chair):
    publication = PublicationFactory(removed=True)
    client.force_login(chair)
    detail = client.get(
        reverse("publication:published", args=[publication.review.reference, publication.pk])
    ).content.decode()
    assert "A court order forbids publishing it." in detail
    assert f"by {publication.removed_by}" in detail
    assert "Remove from the public site" not in detail
    board = client.get(reverse("publications:list")).content.decode()
    assert "Removed" in board
    assert publication.review.reference in board
    assert Publication.objects.filter(pk=publication.pk).exists()


def test_the_review_s_publication_page_lists_its_publications_for_manager_and_chair(
    client, manager
):
    publication = PublicationFactory(removed=True)
    client.force_login(manager)
    html = client.get(reverse("publication:plan", args=[publication.review.reference])).content
    assert "On the public site" in html.decode()
    assert reverse(
        "publication:published", args=[publication.review.reference, publication.pk]
    ) in (html.decode())


@pytest.mark.parametrize("count", [3, 60])
def test_the_board_wide_list_has_flat_query_counts(
    client, manager, django_assert_max_num_queries, count
):
    for number in range(count):
        PublicationFactory(removed=number % 2 == 0)
    client.force_login(manager)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("publications:list"))
    html = response.content.decode()
    assert html.count('<th scope="row"') == min(count, 25)
    assert "govuk-tag--grey" in html
    assert "govuk-tag--green" in html
