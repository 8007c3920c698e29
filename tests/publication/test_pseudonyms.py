"""The pseudonym map of a review: filled from its records, kept by the board manager by hand,
seen only by the board manager and the chair, and the page that checks text against it."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from agencies.models import Role
from families.models import FamilyMember
from publication.forms import CHECK_MAX_LENGTH
from publication.models import PseudonymEntry
from publication.selectors import pseudonym_steps
from publication.services import (
    pseudonym_add,
    pseudonym_change,
    pseudonym_remove,
    pseudonyms_fill,
)
from reviews.models import AccessLog, ReferralFamilyMember, Review
from scr.versions import version_of
from tests.factories import (
    FamilyMemberFactory,
    InterviewFactory,
    PseudonymEntryFactory,
    ReferralFamilyMemberFactory,
    ReportRequestFactory,
    ReviewFactory,
    SubjectIdentityFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Sibling = ReferralFamilyMember.Relationship.SIBLING


@pytest.fixture
def review(manager):
    review = ReviewFactory(
        decided=True, stage=Review.Stage.AGENCY_REPORTS, created_by=manager, identity=None
    )
    SubjectIdentityFactory(
        review=review,
        full_name="Leo James Farrant",
        other_names="Leo Smith; Lenny",
        address="12 Mill Lane\nNorthshire NS4 2QT",
        date_of_birth=date(2024, 2, 17),
    )
    return review


@pytest.fixture
def recorded(review, manager):
    """The review's household, workers interviewed, and a family."""
    ReferralFamilyMemberFactory(review=review, name="Kerry Farrant")
    ReferralFamilyMemberFactory(review=review, name="Mia Farrant", relationship=Sibling)
    ReferralFamilyMemberFactory(review=review, name="Noah Farrant", relationship=Sibling)
    report = ReportRequestFactory(review=review)
    InterviewFactory(request=report, worker_name="Jo Pike", worker_role="Health Visitor")
    InterviewFactory(request=report, worker_name="Sam Reed", worker_role="Health Visitor")
    InterviewFactory(request=report, worker_name="Ali Khan", worker_role="Social Worker 1")
    FamilyMemberFactory(review=review, name="kerry farrant", address="12 Mill Lane")
    FamilyMemberFactory(
        review=review,
        name="Dean Farrant",
        relationship=FamilyMember.Relationship.OTHER,
        relationship_other="Uncle",
        address="4 Hill Road\nNS4 9XY",
    )
    return review


def _map(review):
    return {
        entry.real_value: (entry.replacement, entry.kind, entry.source)
        for entry in PseudonymEntry.objects.filter(review=review)
    }


def test_filling_takes_every_identifier_the_review_holds(recorded, manager):
    added = pseudonyms_fill(review=recorded, actor=manager)
    assert _map(recorded) == {
        "Leo James Farrant": ("Child A", "person", "referral"),
        "Leo Smith": ("Child A", "person", "referral"),
        "Lenny": ("Child A", "person", "referral"),
        "12 Mill Lane, Northshire NS4 2QT": ("Child A's home", "place", "referral"),
        "17 February 2024": ("Child A's date of birth", "date", "referral"),
        "Kerry Farrant": ("Mother", "person", "referral"),
        "Mia Farrant": ("Sibling 1", "person", "referral"),
        "Noah Farrant": ("Sibling 2", "person", "referral"),
        "12 Mill Lane": ("Mother's home", "place", "family"),
        "Dean Farrant": ("Uncle", "person", "family"),
        "4 Hill Road, NS4 9XY": ("Uncle's home", "place", "family"),
    }
    assert len(added) == 11
    entry = added[0]
    row = entry.history.get()
    assert row.history_user == manager
    assert row.history_change_reason == "filled from the review's records (Referral)"


def test_filling_leaves_out_the_names_of_workers_interviewed(recorded, manager):
    """Only a worker's own agency sees their name: the map, which the board manager and the
    chair see, never takes it."""
    pseudonyms_fill(review=recorded, actor=manager)
    assert not PseudonymEntry.objects.filter(real_value__in=["Jo Pike", "Sam Reed", "Ali Khan"])


def test_filling_twice_adds_nothing_and_keeps_what_was_changed(recorded, manager):
    pseudonyms_fill(review=recorded, actor=manager)
    kerry = PseudonymEntry.objects.get(real_value="Kerry Farrant")
    pseudonym_change(
        entry=kerry, actor=manager, real_value="Kerry Farrant", replacement="Mum", kind="person"
    )
    before = _map(recorded)
    assert pseudonyms_fill(review=recorded, actor=manager) == []
    assert _map(recorded) == before
    assert before["Kerry Farrant"][0] == "Mum"


def test_filling_later_adds_only_the_new_and_numbers_past_what_is_there(recorded, manager):
    pseudonyms_fill(review=recorded, actor=manager)
    ReferralFamilyMemberFactory(review=recorded, name="Ava Farrant", relationship=Sibling)
    PseudonymEntryFactory(review=recorded, real_value="MILL LANE PRIMARY", replacement="School")
    FamilyMemberFactory(review=recorded, name="Mill Lane Primary")
    (added,) = pseudonyms_fill(review=recorded, actor=manager)
    assert (added.real_value, added.replacement) == ("Ava Farrant", "Sibling 3")


def test_a_review_with_nothing_recorded_fills_nothing(manager):
    review = ReviewFactory(created_by=manager, identity=None)
    assert pseudonyms_fill(review=review, actor=manager) == []


def test_an_entry_added_by_hand_is_in_history(review, manager):
    entry = pseudonym_add(
        review=review,
        actor=manager,
        real_value=" Mill Lane Primary School ",
        replacement="the child's school",
        kind="organisation",
    )
    assert (entry.real_value, entry.source) == ("Mill Lane Primary School", "board_manager")
    row = entry.history.get()
    assert (row.history_user, row.history_change_reason) == (manager, "added by hand")


def test_adding_twice_with_one_submission_makes_one_entry(review, manager):
    fields = {"real_value": "Riverside Surgery", "replacement": "the GP", "kind": "organisation"}
    submission = "6b1f0c3e-3c5e-4c35-9c3a-0c0c0c0c0c0c"
    first = pseudonym_add(review=review, actor=manager, submission=submission, **fields)
    again = pseudonym_add(review=review, actor=manager, submission=submission, **fields)
    assert first == again
    assert PseudonymEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("real_value", "replacement", "field", "message"),
    [
        ("", "the school", "real_value", "Enter the real name, place, organisation or date"),
        ("Mill Lane", "  ", "replacement", "Enter what the report calls it instead"),
        ("mill lane", "the street", "real_value", "This real value is in the map already"),
        ("Hill Road", "HILL ROAD", "replacement", "The replacement must not be the real value"),
    ],
)
def test_bad_entries_are_refused(review, manager, real_value, replacement, field, message):
    PseudonymEntryFactory(review=review, real_value="Mill Lane", replacement="a street")
    with pytest.raises(ValidationError) as error:
        pseudonym_add(
            review=review,
            actor=manager,
            real_value=real_value,
            replacement=replacement,
            kind="place",
        )
    assert error.value.message_dict[field] == [message]
    assert PseudonymEntry.objects.count() == 1


def test_the_same_real_value_may_be_in_two_reviews_but_not_twice_in_one(review):
    PseudonymEntryFactory(review=review, real_value="Mill Lane")
    PseudonymEntryFactory(real_value="Mill Lane")
    with pytest.raises(IntegrityError), transaction.atomic():
        PseudonymEntryFactory(review=review, real_value="MILL LANE")


def test_a_change_made_since_the_entry_was_read_is_refused(review, manager, chair):
    entry = PseudonymEntryFactory(review=review, real_value="Mill Lane", replacement="a street")
    seen = version_of(entry)
    pseudonym_change(
        entry=entry, actor=manager, real_value="Mill Lane", replacement="the road", kind="place"
    )
    with pytest.raises(ValidationError) as error:
        pseudonym_change(
            entry=entry,
            actor=manager,
            real_value="Mill Lane",
            replacement="the lane",
            kind="place",
            version=seen,
        )
    assert error.value.code == "conflict"
    entry.refresh_from_db()
    assert entry.replacement == "the road"
    assert entry.history.first().history_user == manager
    with pytest.raises(ValidationError):
        pseudonym_remove(entry=entry, actor=manager, version=seen)
    assert PseudonymEntry.objects.filter(pk=entry.pk).exists()


def test_removing_keeps_who_removed_it(review, manager):
    entry = PseudonymEntryFactory(review=review)
    pseudonym_remove(entry=entry, actor=manager, version=version_of(entry))
    assert not PseudonymEntry.objects.exists()
    removed = PseudonymEntry.history.filter(history_type="-").get()
    assert (removed.history_user, removed.history_change_reason) == (manager, "removed")


# --- The pages ---


def _url(name, review, *args):
    return reverse(f"publication:{name}", args=[review.reference, *args])


def test_the_map_page_lists_entries_and_logs_the_look(client, review, manager):
    PseudonymEntryFactory(review=review, real_value="Canary Street", replacement="a street")
    client.force_login(manager)
    html = client.get(_url("pseudonyms", review)).content.decode()
    assert "Canary Street" in html
    assert "Fill from the review" in html
    assert AccessLog.objects.filter(
        user=manager, object_type="pseudonyms", object_ref=review.reference, allowed=True
    ).exists()


def test_the_chair_reads_the_map_but_cannot_change_it(client, review, chair):
    entry = PseudonymEntryFactory(review=review, real_value="Canary Street")
    client.force_login(chair)
    html = client.get(_url("pseudonyms", review)).content.decode()
    assert "Canary Street" in html
    assert "Change" not in html
    assert "Fill from the review" not in html
    posted = {"real_value": "Canary Road", "replacement": "a road", "kind": "place"}
    assert client.post(_url("pseudonym_add", review), posted).status_code == 403
    assert client.post(_url("pseudonyms_fill", review)).status_code == 403
    assert client.post(_url("pseudonym_remove", review, entry.pk)).status_code == 403
    assert PseudonymEntry.objects.count() == 1


@pytest.mark.parametrize("role", [Role.INDEPENDENT_AUTHOR, Role.PANEL_MEMBER, Role.AGENCY_LEAD])
def test_no_one_else_sees_the_map(client, review, role):
    PseudonymEntryFactory(review=review)
    client.force_login(UserFactory(role=role))
    assert client.get(_url("pseudonyms", review)).status_code == 404  # not their review
    assert client.post(_url("identifier_check", review), {"text": "x"}).status_code == 404
    assert AccessLog.objects.filter(object_type="pseudonyms", allowed=False).count() == 2


def test_the_add_form_shows_errors_and_saves_nothing(client, review, manager):
    PseudonymEntryFactory(review=review, real_value="Mill Lane")
    client.force_login(manager)
    response = client.post(
        _url("pseudonym_add", review), {"real_value": "MILL LANE", "replacement": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter what the report calls it instead" in html
    assert "Select what the real value is" in html
    response = client.post(
        _url("pseudonym_add", review),
        {"real_value": "MILL LANE", "replacement": "a lane", "kind": "place"},
    )
    assert "This real value is in the map already" in response.content.decode()
    long = client.post(
        _url("pseudonym_add", review),
        {"real_value": "x" * 301, "replacement": "y", "kind": "place"},
    )
    assert "Real value must be 300 characters or fewer" in long.content.decode()
    assert PseudonymEntry.objects.count() == 1


def test_adding_through_the_page_ignores_fields_it_does_not_have(client, review, manager):
    other = ReviewFactory()
    client.force_login(manager)
    posted = {
        "real_value": "Riverside Surgery",
        "replacement": "the GP",
        "kind": "organisation",
        "review": other.pk,
        "source": "family",
        "created_by": UserFactory().pk,
    }
    response = client.post(_url("pseudonym_add", review), posted)
    assert response.status_code == 302
    entry = PseudonymEntry.objects.get()
    assert (entry.review, entry.source, entry.created_by) == (review, "board_manager", manager)


def test_changing_through_the_page_over_a_newer_change_is_a_conflict(client, review, manager):
    entry = PseudonymEntryFactory(review=review, real_value="Mill Lane", replacement="a lane")
    client.force_login(manager)
    url = _url("pseudonym_change", review, entry.pk)
    version = client.get(url).context["form"]["version"].value()
    pseudonym_change(
        entry=entry, actor=manager, real_value="Mill Lane", replacement="a road", kind="place"
    )
    posted = {"real_value": "Mill Lane", "replacement": "a street", "kind": "place"}
    response = client.post(url, {**posted, "version": version})
    assert response.status_code == 409
    entry.refresh_from_db()
    assert entry.replacement == "a road"


def test_an_entry_of_another_review_is_not_found(client, review, manager):
    other = PseudonymEntryFactory()
    client.force_login(manager)
    assert client.get(_url("pseudonym_change", review, other.pk)).status_code == 404
    assert client.post(_url("pseudonym_remove", review, other.pk)).status_code == 404
    assert PseudonymEntry.objects.filter(pk=other.pk).exists()


def test_filling_through_the_page(client, recorded, manager):
    client.force_login(manager)
    response = client.post(_url("pseudonyms_fill", recorded), follow=True)
    assert "11 added from the review&#x27;s records" in response.content.decode()
    response = client.post(_url("pseudonyms_fill", recorded), follow=True)
    assert "The map already holds everything" in response.content.decode()


def test_removing_through_the_page(client, review, manager):
    entry = PseudonymEntryFactory(review=review, real_value="Canary Street")
    client.force_login(manager)
    url = _url("pseudonym_remove", review, entry.pk)
    assert "Canary Street" in client.get(url).content.decode()
    version = version_of(entry)
    assert client.post(url, {"version": version}).status_code == 302
    assert not PseudonymEntry.objects.exists()


def test_the_map_page_costs_the_same_for_5_and_200_entries(
    client, review, manager, django_assert_max_num_queries
):
    client.force_login(manager)
    for _ in range(5):
        PseudonymEntryFactory(review=review)
    with django_assert_max_num_queries(25) as few:
        client.get(_url("pseudonyms", review))
    for _ in range(195):
        PseudonymEntryFactory(review=review)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(_url("pseudonyms", review)).content.decode()
    assert "200 entries" in html


# --- The identifier check ---


def test_checking_text_lists_each_hit_in_context_escaped(client, review, manager):
    PseudonymEntryFactory(review=review, real_value="Leo Farrant", kind="person")
    PseudonymEntryFactory(review=review, real_value="<b>Mill</b> Lane", kind="place")
    client.force_login(manager)
    text = "<script>alert(1)</script> Leo's mother met L. Farrant on <b>Mill</b> Lane. Leon left."
    html = client.post(_url("identifier_check", review), {"text": text}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<mark>Leo&#x27;s</mark>" in html
    assert "<mark>L. Farrant</mark>" in html
    assert "<mark>&lt;b&gt;Mill&lt;/b&gt; Lane</mark>" in html
    assert "<mark>Leon" not in html
    assert "2 entries found" in html
    assert "2 times" in html
    assert "Nothing you paste is stored" in html


def test_checking_text_stores_nothing(client, review, manager):
    PseudonymEntryFactory(review=review, real_value="Leo Farrant", kind="person")
    client.force_login(manager)
    before = {model: model.objects.count() for model in (PseudonymEntry, AccessLog)}
    client.post(_url("identifier_check", review), {"text": "Leo Farrant was there"})
    assert PseudonymEntry.objects.count() == before[PseudonymEntry]
    assert AccessLog.objects.count() == before[AccessLog] + 1  # the look, not the text
    assert "Leo" not in AccessLog.objects.latest("id").path


def test_text_with_no_identifiers_says_so(client, review, chair):
    PseudonymEntryFactory(review=review, real_value="Leo Farrant", kind="person")
    client.force_login(chair)
    html = client.post(_url("identifier_check", review), {"text": "Nothing here."}).content
    assert "No identifiers found" in html.decode()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter the text to check"),
        ("x" * (CHECK_MAX_LENGTH + 1), "Text to check must be 500,000 characters or fewer"),
    ],
)
def test_empty_or_too_long_text_is_refused_the_govuk_way(client, review, manager, text, message):
    client.force_login(manager)
    response = client.post(_url("identifier_check", review), {"text": text})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert message in html
    assert not re.search(r"entr(y|ies) found", html)


def test_the_longest_text_allowed_is_checked(client, review, manager):
    PseudonymEntryFactory(review=review, real_value="Leo Farrant", kind="person")
    client.force_login(manager)
    text = ("The child was seen. " * 25_000)[: CHECK_MAX_LENGTH - 12] + " Leo Farrant"
    html = client.post(_url("identifier_check", review), {"text": text}).content.decode()
    assert "<mark>Leo Farrant</mark>" in html


def test_the_review_task_list_shows_the_map_to_those_who_see_it(review, manager, chair):
    for _ in range(2):
        PseudonymEntryFactory(review=review)
    (step,) = pseudonym_steps(review, manager)
    assert (step.name, step.hint, step.url) == (
        "Pseudonym map",
        "2 entries",
        _url("pseudonyms", review),
    )
    assert pseudonym_steps(review, chair) == pseudonym_steps(review, manager)
    assert pseudonym_steps(review, UserFactory(role=Role.INDEPENDENT_AUTHOR)) == []
    assert pseudonym_steps(ReviewFactory(), manager)[0].hint == "No entries yet"


def test_the_first_hundred_hits_of_an_entry_are_shown_with_the_count(client, review, manager):
    PseudonymEntryFactory(review=review, real_value="Leo Farrant", kind="person")
    client.force_login(manager)
    text = "Leo met the nurse. " * 150
    html = client.post(_url("identifier_check", review), {"text": text}).content.decode()
    assert "150 times" in html
    assert html.count("<mark>") == 100
    assert "The first 100 are shown" in html
