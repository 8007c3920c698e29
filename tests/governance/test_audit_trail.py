"""A review's audit trail: every change of everything belonging to the review (who, when,
field before and after), every grant and withdrawal of access, the access log; its filter,
its paging cost and its CSV."""

import csv
import io
from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from agencies.signin import AUTHENTICATED_AT
from families.models import FamilyMember
from families.services.members import family_member_save
from governance.selectors import (
    ACCESS_CHANGE,
    ACCESS_LOG,
    TrailFilter,
    audit_trail,
    audited_models,
    history_model,
)
from reviews.builders import review_at
from reviews.models import AccessChange, AccessLog
from reviews.services.panel import panel_member_remove
from scr.versions import version_of
from tests.factories import AccessLogFactory, AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

# Models with a history that belong to the board, not to one review.
BOARD_LEVEL = {
    "agencies.agency",
    "agencies.user",
    "agencies.invitation",
    "publication.theme",
    "reviews.referencecounter",
    "governance.tombstone",
    "reviews.deliverypreference",  # how a person likes to be told
    "outbox.email",  # emails to people, each of many reviews or none
}
# What the issue names, at least: each must be in the trail.
NAMED = {
    "reviews.review",
    "reviews.subjectidentity",
    "reviews.reportrequest",
    "reviews.interview",
    "reviews.chronologyentry",
    "reviews.overviewversion",
    "reviews.recommendation",
    "reviews.action",
    "reviews.deadline",
    "reviews.parallelprocess",
    "reviews.practitionercomment",
    "families.familymember",
    "families.contact",
    "families.meeting",
    "publication.publicationplan",
    "publication.pseudonymentry",
    "publication.publicationversion",
    "publication.publication",
    "publication.boardresponse",
    "learning.lesson",
}


@pytest.fixture
def convened(cast, agencies):
    return review_at("convened", cast=cast, agencies_in_scope=agencies)


def _page(client, review, **query):
    return client.get(reverse("governance:audit", args=[review.reference]), query)


def test_every_audited_model_of_a_review_is_in_the_trail():
    """A model with a history that is not the board's own must reach a review, so that its
    history is in the trail: a new one that does not (or is not named board-level) fails."""
    audited = {model._meta.label_lower for model in audited_models()}
    with_history = {
        model._meta.label_lower for model in apps.get_models() if history_model(model) is not None
    }
    assert with_history - BOARD_LEVEL - audited == set()
    assert audited >= NAMED


def test_a_change_shows_each_field_before_and_after_and_who(client, cast, convened):
    member = family_member_save(
        review=convened.review,
        actor=cast.manager,
        name="Canary Parent",
        relationship=FamilyMember.Relationship.FATHER,
        interpreter_needed=False,
        parental_responsibility=FamilyMember.ParentalResponsibility.NOT_KNOWN,
    )
    family_member_save(
        review=convened.review,
        actor=cast.manager,
        member=member,
        version=version_of(member),
        name="Renamed Parent",
        relationship=FamilyMember.Relationship.FATHER,
        interpreter_needed=False,
        parental_responsibility=FamilyMember.ParentalResponsibility.NOT_KNOWN,
    )
    client.force_login(cast.manager)
    response = _page(client, convened.review, kinds="families.familymember")
    assert response.status_code == 200
    lines = response.context["lines"]
    changed = lines[0]
    assert changed.what == f"Family member {member.pk}: Changed"
    assert changed.who == cast.manager.get_full_name()
    assert changed.changes == [("Name", "Canary Parent", "Renamed Parent")]
    assert lines[1].what == f"Family member {member.pk}: Created"
    page = response.content.decode()
    assert "Canary Parent" in page
    assert "Renamed Parent" in page


def test_grants_and_withdrawals_of_access_are_in_the_trail(client, cast, convened):
    seat = convened.seats[0]
    panel_member_remove(member=seat, actor=cast.manager, reason="Moved to another post.")
    granted = AccessChange.objects.filter(review=convened.review, person=seat.person)
    assert {change.granted for change in granted} == {True, False}
    assert all(change.actor == cast.manager for change in granted)
    client.force_login(cast.manager)
    response = _page(client, convened.review, kinds=ACCESS_CHANGE)
    whats = [line.what for line in response.context["lines"]]
    name = seat.person.get_full_name()
    assert f"Access withdrawn from {name}" in whats
    assert f"Access granted to {name}" in whats
    # An agency put in scope grants its leads' group access.
    assert any(what.startswith("Access granted to group") for what in whats)


def test_the_access_log_is_in_the_trail(client, cast, convened):
    review = convened.review
    client.force_login(cast.chair)
    client.get(review.get_absolute_url())
    client.force_login(cast.manager)
    response = _page(client, review, kinds=ACCESS_LOG)
    lines = response.context["lines"]
    looks = [line for line in lines if line.who == cast.chair.get_full_name()]
    assert looks[0].what == f"View review {review.reference}: allowed"
    # The manager's own look at the trail is logged too, and listed.
    assert any(line.what.startswith("View audit trail") for line in lines)


def test_the_trail_is_filtered_by_who_kind_and_dates(client, cast, convened):
    review = convened.review
    AccessLogFactory(user=cast.chair, object_type="review", object_ref=review.reference)
    client.force_login(cast.manager)
    everyone = _page(client, review).context["page"].paginator.count
    by_chair = _page(client, review, who=cast.chair.email).context["lines"]
    assert by_chair
    assert all(line.who == cast.chair.get_full_name() for line in by_chair)
    assert len(by_chair) < everyone
    # Every word of a name, in any case, finds the same person.
    name = cast.chair.get_full_name().upper()
    assert _page(client, review, who=name).context["lines"] == by_chair
    assert _page(client, review, who=f"{name} nobody-has-this").context["page"].paginator.count == 0
    reviews_only = _page(client, review, kinds="reviews.review").context["lines"]
    assert reviews_only
    assert {line.kind for line in reviews_only} == {"Review"}
    tomorrow = timezone.localdate() + timedelta(days=1)
    later = {"since_0": tomorrow.day, "since_1": tomorrow.month, "since_2": tomorrow.year}
    assert _page(client, review, **later).context["page"].paginator.count == 0
    today = timezone.localdate()
    until_today = {"until_0": today.day, "until_1": today.month, "until_2": today.year}
    # Each look at the trail is one more line of it.
    unfiltered = _page(client, review).context["page"].paginator.count
    assert _page(client, review, **until_today).context["page"].paginator.count == unfiltered + 1


def test_a_backwards_date_range_is_an_error_and_filters_nothing(client, cast, convened):
    client.force_login(cast.manager)
    today = timezone.localdate()
    before = today - timedelta(days=3)
    response = _page(
        client,
        convened.review,
        since_0=today.day,
        since_1=today.month,
        since_2=today.year,
        until_0=before.day,
        until_1=before.month,
        until_2=before.year,
    )
    page = response.content.decode()
    assert "Date to must be the same as or after date from" in page
    assert "There is a problem" in page
    assert response.context["page"].paginator.count > 0


def _history_of(review, cast, changes: int, people: int) -> None:
    """``changes`` more history rows and as many looks in the access log, the looks by
    ``people`` people of as many agencies (each on the filter's list of people, with their
    agency, and in the trail's lines)."""
    member = family_member_save(
        review=review,
        actor=cast.manager,
        name="Parent 0",
        relationship=FamilyMember.Relationship.FATHER,
        interpreter_needed=False,
        parental_responsibility=FamilyMember.ParentalResponsibility.NOT_KNOWN,
    )
    for n in range(1, changes):
        member = family_member_save(
            review=review,
            actor=cast.manager,
            member=member,
            version=version_of(member),
            name=f"Parent {n}",
            relationship=FamilyMember.Relationship.FATHER,
            interpreter_needed=False,
            parental_responsibility=FamilyMember.ParentalResponsibility.NOT_KNOWN,
        )
    lookers = [UserFactory(agency=AgencyFactory()) for _ in range(people)]
    for n in range(changes):
        AccessLogFactory(
            user=lookers[n % people], object_type="review", object_ref=review.reference
        )


@pytest.mark.parametrize(("changes", "people"), [(5, 2), (500, 100)])
def test_a_page_of_the_trail_costs_the_same_however_long_the_history(
    client, cast, convened, changes, people, django_assert_max_num_queries
):
    _history_of(convened.review, cast, changes, people)
    client.force_login(cast.manager)
    with django_assert_max_num_queries(30):
        response = _page(client, convened.review)
    assert response.status_code == 200
    assert response.context["page"].paginator.count > changes * 2
    # Who is typed, not chosen from a list of everyone: thousands of people on a national
    # board made the list most of the page's time.
    assert b"<option" not in response.content
    with django_assert_max_num_queries(30):
        assert _page(client, convened.review, page=2).status_code == 200
    with django_assert_max_num_queries(30):
        narrowed = _page(client, convened.review, who="example")
    assert narrowed.status_code == 200


def test_who_too_long_is_an_error_and_the_trail_is_not_narrowed(client, cast, convened):
    client.force_login(cast.manager)
    everyone = _page(client, convened.review).context["page"].paginator.count
    response = _page(client, convened.review, who="x" * 201)
    assert "Who must be 200 characters or fewer" in response.content.decode()
    # Not narrowed: everything, and the look just logged.
    assert response.context["page"].paginator.count >= everyone


def test_the_csv_asks_for_the_password_again(client, cast, convened):
    client.force_login(cast.manager)
    session = client.session
    session[AUTHENTICATED_AT] = 0
    session.save()
    url = reverse("governance:audit_export", args=[convened.review.reference])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("agencies:reauthenticate"))
    assert not AccessLog.objects.filter(action="export").exists()


def test_the_csv_holds_every_matching_line_formula_safe_and_is_logged(client, cast, convened):
    member = family_member_save(
        review=convened.review,
        actor=cast.manager,
        name='=HYPERLINK("http://evil.example")',
        relationship=FamilyMember.Relationship.FATHER,
        interpreter_needed=False,
        parental_responsibility=FamilyMember.ParentalResponsibility.NOT_KNOWN,
    )
    client.force_login(cast.manager)
    url = reverse("governance:audit_export", args=[convened.review.reference])
    response = client.get(url, {"kinds": "families.familymember"})
    assert response.status_code == 200
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["When", "Who", "Kind of record"]
    names = [row for row in rows[1:] if row[5] == "Name"]
    assert names == [names[0]]
    assert names[0][7] == '\'=HYPERLINK("http://evil.example")'
    assert names[0][3] == f"Family member {member.pk}: Created"
    assert all(row[2] == "Family member" for row in rows[1:])
    logged = AccessLog.objects.get(action="export", object_type="audit_trail")
    assert logged.user == cast.manager
    assert logged.object_ref == convened.review.reference
    assert "HYPERLINK" not in logged.path


def test_the_trail_selector_merges_every_source_newest_first(cast, convened):
    keys = list(audit_trail(review=convened.review, trail=TrailFilter()))
    sources = {key[0] for key in keys}
    assert {"reviews.review", "reviews.panelmember", ACCESS_CHANGE} <= sources
    whens = [key[2] for key in keys]
    assert whens == sorted(whens, reverse=True)


def test_the_chair_may_not_see_the_trail(client, cast, convened):
    client.force_login(cast.chair)
    assert _page(client, convened.review).status_code == 403
    refused = AccessLog.objects.get(object_type="audit_trail", allowed=False)
    assert refused.user == cast.chair


def test_the_review_page_links_the_trail_for_the_board_manager_only(client, cast, convened):
    url = reverse("governance:audit", args=[convened.review.reference])
    client.force_login(cast.manager)
    assert f'href="{url}"' in client.get(convened.review.get_absolute_url()).content.decode()
    client.force_login(cast.chair)
    assert f'href="{url}"' not in client.get(convened.review.get_absolute_url()).content.decode()
