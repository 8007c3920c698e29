"""The family's records of a review: who may see and record them, their history, a change over
someone else's, names with control characters, and a choice not to take part."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from agencies.services import person_roles_set
from families.models import FamilyMember
from families.services.members import (
    family_member_decline,
    family_member_decline_withdraw,
    family_member_save,
)
from reviews.builders import Cast, review_at
from reviews.models import AccessLog, AuthorAppointment
from scr.versions import version_of
from tests.conftest import PERIOD_2025
from tests.factories import FamilyMemberFactory, UserFactory
from tests.pages import page_slips

pytestmark = pytest.mark.django_db

DETAILS = {
    "name": "Alex Example",
    "relationship": FamilyMember.Relationship.MOTHER,
    "relationship_other": "",
    "date_of_birth": None,
    "address": "",
    "phone": "",
    "email": "",
    "preferred_contact": "",
    "language": "",
    "interpreter_needed": False,
    "supporter_name": "",
    "supporter_organisation": "",
    "supporter_contact": "",
    "parental_responsibility": FamilyMember.ParentalResponsibility.YES,
}

POSTED = {
    "name": "Sam Example",
    "relationship": "other",
    "relationship_other": "Mother's partner",
    "date_of_birth_0": "27",
    "date_of_birth_1": "3",
    "date_of_birth_2": "1985",
    "address": "1 Invented Road\nNorthshire",
    "phone": "01234 567890",
    "email": "sam@example.com",
    "preferred_contact": "letter",
    "language": "Polish",
    "interpreter_needed": "yes",
    "supporter_name": "Pat Helper",
    "supporter_organisation": "Invented Advocacy",
    "supporter_contact": "pat@example.org",
    "parental_responsibility": "not_known",
}


@pytest.fixture
def people(agency):
    lead = UserFactory(agency=agency)
    person_roles_set(person=lead, roles=[Role.AGENCY_LEAD], agency=agency)
    return {
        "manager": UserFactory(role=Role.BOARD_MANAGER),
        "chair": UserFactory(role=Role.CHAIR),
        "author": UserFactory(role=Role.INDEPENDENT_AUTHOR),
        "panel": UserFactory(role=Role.PANEL_MEMBER, agency=agency),
        "lead": lead,
    }


@pytest.fixture
def convened(people, agency):
    cast = Cast(
        manager=people["manager"],
        chair=people["chair"],
        author=people["author"],
        panel=[people["panel"]],
        leads={agency.pk: people["lead"]},
    )
    return review_at("convened", cast=cast, agencies_in_scope=[agency], terms=PERIOD_2025).review


@pytest.fixture
def member(convened, people):
    return family_member_save(review=convened, actor=people["manager"], **DETAILS)


def _url(name, member):
    return reverse(f"families:{name}", args=[member.review.reference, member.pk])


# --- Services ---


def test_adding_records_history_and_a_repeated_submission_adds_once(convened, people):
    submission = "6f1b7c1e-7d0e-4b7a-9a53-4b9f2d0b3c11"
    first = family_member_save(
        review=convened, actor=people["manager"], submission=submission, **DETAILS
    )
    again = family_member_save(
        review=convened, actor=people["manager"], submission=submission, **DETAILS
    )
    assert again.pk == first.pk
    assert FamilyMember.objects.filter(review=convened).count() == 1
    (row,) = first.history.all()
    assert (row.history_user, row.history_change_reason) == (people["manager"], "added")


def test_a_change_over_someone_elses_is_refused_and_changes_nothing(member, people):
    seen = version_of(member)
    family_member_save(
        review=member.review,
        actor=people["manager"],
        member=member,
        version=seen,
        **{**DETAILS, "phone": "0111"},
    )
    with pytest.raises(ValidationError) as refused:
        family_member_save(
            review=member.review,
            actor=people["manager"],
            member=member,
            version=seen,
            **{**DETAILS, "phone": "0222"},
        )
    assert refused.value.code == "conflict"
    member.refresh_from_db()
    assert member.phone == "0111"
    assert member.history.count() == 2


@pytest.mark.parametrize(
    "field", ["name", "relationship_other", "supporter_name", "supporter_organisation", "phone"]
)
@pytest.mark.parametrize("bad", ["Evil\r\nBcc: x@example.com", "Tab\there", "Line\u2028sep"])
def test_control_characters_are_refused_in_one_line_fields(convened, people, field, bad):
    fields = {**DETAILS, "relationship": FamilyMember.Relationship.OTHER, "relationship_other": "x"}
    with pytest.raises(ValidationError) as refused:
        family_member_save(review=convened, actor=people["manager"], **{**fields, field: bad})
    assert field in refused.value.message_dict
    assert not FamilyMember.objects.exists()


def test_other_needs_a_description_and_a_birth_date_cannot_be_in_the_future(convened, people):
    with pytest.raises(ValidationError) as refused:
        family_member_save(
            review=convened, actor=people["manager"], **{**DETAILS, "relationship": "other"}
        )
    assert "relationship_other" in refused.value.message_dict
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        family_member_save(
            review=convened, actor=people["manager"], **{**DETAILS, "date_of_birth": tomorrow}
        )
    assert "date_of_birth" in refused.value.message_dict


def test_a_description_is_dropped_when_the_relationship_is_not_other(convened, people):
    member = family_member_save(
        review=convened, actor=people["manager"], **{**DETAILS, "relationship_other": "Aunt"}
    )
    assert member.relationship_other == ""
    assert member.relationship_label == "Mother"


def test_declining_is_recorded_once_and_withdrawn_with_a_reason(member, people):
    manager = people["manager"]
    family_member_decline(member=member, actor=manager, declined_on=date(2026, 1, 5), note="Said")
    member.refresh_from_db()
    assert (member.declined, member.declined_on, member.declined_note) == (
        True,
        date(2026, 1, 5),
        "Said",
    )
    with pytest.raises(ValidationError):
        family_member_decline(member=member, actor=manager, declined_on=date(2026, 1, 6))
    with pytest.raises(ValidationError) as refused:
        family_member_decline_withdraw(member=member, actor=manager, reason="  ")
    assert "reason" in refused.value.message_dict
    family_member_decline_withdraw(member=member, actor=manager, reason="She rang to say so")
    member.refresh_from_db()
    assert not member.declined
    reasons = list(member.history.values_list("history_change_reason", flat=True))
    assert reasons == [
        "wishes to take part after all: She rang to say so",
        "does not wish to take part",
        "added",
    ]
    assert member.history.filter(declined_on=date(2026, 1, 5)).exists()
    with pytest.raises(ValidationError):
        family_member_decline_withdraw(member=member, actor=manager, reason="Again")


def test_declining_on_a_future_date_is_refused(member, people):
    with pytest.raises(ValidationError) as refused:
        family_member_decline(
            member=member,
            actor=people["manager"],
            declined_on=timezone.localdate() + timedelta(days=1),
        )
    assert "declined_on" in refused.value.message_dict


# --- Pages ---


def test_the_board_manager_adds_a_person_through_the_form(client, convened, people):
    client.force_login(people["manager"])
    url = reverse("families:add", args=[convened.reference])
    form = client.get(url)
    submission = form.context["form"]["submission"].value()
    response = client.post(url, {**POSTED, "submission": submission})
    assert response.status_code == 302
    client.post(url, {**POSTED, "submission": submission})
    (member,) = FamilyMember.objects.filter(review=convened)
    assert (member.relationship_label, member.date_of_birth) == (
        "Mother's partner",
        date(1985, 3, 27),
    )
    assert member.interpreter_needed
    assert member.history.get().history_user == people["manager"]
    page = client.get(_url("member", member)).content.decode()
    assert "Pat Helper" in page
    assert "1 Invented Road<br>Northshire" in page


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"name": ""}, "Enter the person&#x27;s name"),
        ({"name": "Evil\r\nBcc: x"}, "Name must not include line breaks"),
        ({"relationship": ""}, "Select their relationship to the subject"),
        ({"relationship_other": ""}, "Describe their relationship to the subject"),
        ({"date_of_birth_1": "13"}, "Date of birth must be a real date"),
        ({"email": "not-an-email"}, "Enter an email address in the correct format"),
        ({"interpreter_needed": ""}, "Select whether they need an interpreter"),
        ({"parental_responsibility": "maybe"}, "Select a valid choice"),
        ({"name": "x" * 201}, "Full name must be 200 characters or fewer"),
    ],
)
def test_bad_input_gets_a_govuk_error_and_changes_nothing(
    client, convened, people, posted, message
):
    client.force_login(people["manager"])
    response = client.post(reverse("families:add", args=[convened.reference]), {**POSTED, **posted})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert not FamilyMember.objects.exists()


def test_a_change_over_someone_elses_answers_409(client, member, people):
    client.force_login(people["manager"])
    url = _url("change", member)
    seen = client.get(url).context["form"]["version"].value()
    family_member_save(
        review=member.review, actor=people["manager"], member=member, **{**DETAILS, "phone": "1"}
    )
    response = client.post(url, {**POSTED, "version": seen})
    assert response.status_code == 409
    assert "after you opened it" in response.content.decode()
    member.refresh_from_db()
    assert member.name == "Alex Example"


def test_recording_and_withdrawing_a_choice_not_to_take_part(client, member, people):
    client.force_login(people["manager"])
    url = _url("declines", member)
    assert client.post(url, {"declined_on_0": "", "note": ""}).status_code == 200
    member.refresh_from_db()
    assert not member.declined
    version = client.get(url).context["form"]["version"].value()
    response = client.post(
        url,
        {"declined_on_0": "5", "declined_on_1": "1", "declined_on_2": "2026", "version": version},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.declined
    page = client.get(_url("member", member)).content.decode()
    assert "Do not contact them about the review" in page
    form = client.get(url)
    assert "Why do they now wish to take part?" in form.content.decode()
    response = client.post(url, {"reason": "", "version": form.context["form"]["version"].value()})
    assert "Enter why they now wish to take part" in response.content.decode()
    member.refresh_from_db()
    assert member.declined


def test_empty_details_show_not_given_and_no_slips(client, member, people):
    client.force_login(people["chair"])
    for name in ("member",):
        page = client.get(_url(name, member)).content.decode()
        assert "Not given" in page
        assert page_slips(page) == []
    page = client.get(reverse("families:list", args=[member.review.reference])).content.decode()
    assert page_slips(page) == []
    assert "Add a person" not in page


def test_the_author_sees_the_family_but_an_author_who_left_does_not(client, member, people):
    client.force_login(people["author"])
    assert client.get(_url("member", member)).status_code == 200
    AuthorAppointment.objects.filter(person=people["author"]).update(ended_at=timezone.now())
    assert client.get(_url("member", member)).status_code in (403, 404)


def test_every_look_and_every_refusal_is_logged(client, member, people):
    client.force_login(people["chair"])
    client.get(_url("member", member))
    looks = AccessLog.objects.filter(user=people["chair"], allowed=True)
    assert set(looks.values_list("object_type", "object_ref")) == {
        ("family", member.review.reference),
        ("family_member", f"{member.review.reference}/{member.pk}"),
    }
    for kind in ("panel", "lead"):
        client.force_login(people[kind])
        assert client.get(_url("member", member)).status_code == 403
        assert AccessLog.objects.filter(
            user=people[kind], object_type="family", allowed=False
        ).exists()
    client.force_login(people["manager"])
    missing = reverse("families:member", args=[member.review.reference, member.pk + 1000])
    assert client.get(missing).status_code == 404
    assert AccessLog.objects.filter(
        user=people["manager"], object_type="family_member", allowed=False
    ).exists()


def test_a_person_of_another_review_is_not_found(client, member, people, agency):
    other = review_at(
        "convened",
        cast=Cast(manager=people["manager"], chair=people["chair"]),
        agencies_in_scope=[agency],
        terms=PERIOD_2025,
    ).review
    client.force_login(people["manager"])
    for name in ("member", "change", "declines"):
        url = reverse(f"families:{name}", args=[other.reference, member.pk])
        assert client.get(url).status_code == 404


def test_the_list_does_not_grow_queries_with_people(
    client, convened, people, django_assert_max_num_queries
):
    client.force_login(people["manager"])
    url = reverse("families:list", args=[convened.reference])
    family_member_save(review=convened, actor=people["manager"], **DETAILS)
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    for number in range(20):
        family_member_save(
            review=convened, actor=people["manager"], **{**DETAILS, "name": f"Person {number}"}
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_fields_the_form_does_not_have_are_ignored(client, member, people):
    other, own_review = FamilyMemberFactory(), member.review_id
    client.force_login(people["manager"])
    url = _url("change", member)
    version = client.get(url).context["form"]["version"].value()
    forged = {"review": other.review.pk, "declined": "on", "created_by": people["chair"].pk}
    response = client.post(url, {**POSTED, **forged, "version": version})
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.review_id, member.declined, member.created_by) == (
        own_review,
        False,
        people["manager"],
    )
    assert member.name == "Sam Example"


def test_a_declined_person_is_shown_as_such_in_the_list(client, convened, people):
    FamilyMemberFactory(review=convened, declined_to_take_part=True)
    client.force_login(people["author"])
    page = client.get(reverse("families:list", args=[convened.reference])).content.decode()
    assert "Does not wish to take part" in page
    assert "Add a person" not in page


def test_a_page_left_open_across_the_other_choice_answers_409(client, member, people):
    client.force_login(people["manager"])
    url = _url("declines", member)
    seen = client.get(url).context["form"]["version"].value()
    family_member_decline(member=member, actor=people["chair"], declined_on=date(2026, 1, 5))
    response = client.post(
        url, {"declined_on_0": "6", "declined_on_1": "1", "declined_on_2": "2026", "version": seen}
    )
    assert response.status_code == 409
    assert "after you opened it" in response.content.decode()
    member.refresh_from_db()
    assert member.declined_on == date(2026, 1, 5)


def test_the_change_page_shows_what_is_recorded(client, convened, people):
    member = family_member_save(
        review=convened,
        actor=people["manager"],
        **{
            **DETAILS,
            "relationship": "other",
            "relationship_other": "Neighbour",
            "date_of_birth": date(1985, 3, 27),
            "interpreter_needed": True,
            "preferred_contact": "letter",
        },
    )
    client.force_login(people["manager"])
    page = client.get(_url("change", member)).content.decode()
    for shown in ('value="Neighbour"', 'value="27"', 'value="3"', 'value="1985"'):
        assert shown in page
    for checked in ("other", "letter", "yes"):
        assert re.search(rf'value="{checked}"[^>]*checked', page), checked
