"""The referral over its question pages: what each page asks and refuses, the draft kept
between them (its owner's alone), "Check your answers" with its Change links, one submission
making one review, and what the review page shows of it to whom."""

import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from reviews.builders import cast_create, review_at
from reviews.forms.referral import (
    AgenciesForm,
    CircumstancesForm,
    FamilyPersonForm,
    ReferrerForm,
    SubjectForm,
)
from reviews.frameworks import Ethnicity
from reviews.models import (
    AccessLog,
    ReferralAgencyContact,
    ReferralDraft,
    ReferralFamilyMember,
    Review,
    SubjectIdentity,
)
from reviews.services.referral import DRAFT_KEPT_DAYS, referral_create
from reviews.tasks import referral_drafts_expire_task
from tests.factories import AgencyFactory, ReferralDraftFactory, UserFactory
from tests.referrals import date_data, referral_parts, referral_start, referral_walk

pytestmark = pytest.mark.django_db

MOTHER = {
    "name": "Canary Mother",
    "relationship": "mother",
    "relationship_other": "",
    **date_data("date_of_birth", date(1995, 4, 3)),
    "lives_with_subject": "yes",
    "parental_responsibility": "yes",
}


def _part(draft, key):
    return reverse("reviews:referral_part", args=[draft.pk, key])


def _family(draft):
    return reverse("reviews:referral_family", args=[draft.pk])


def _check(draft):
    return reverse("reviews:referral_check", args=[draft.pk])


@pytest.fixture
def agency():
    return AgencyFactory(name="Northshire Constabulary")


def _referral(agency, manager, **overrides):
    today = timezone.localdate()
    fields = {
        "actor": manager,
        "framework": "scr",
        "subject_reference": "Child Y",
        "full_name": "Canary Realname",
        "date_of_birth": None,
        "address": "",
        "age_group": "1_4",
        "harm": "serious_harm",
        "abuse_categories": ["neglect"],
        "referring_agency": agency,
        "referrer_name": "Duty officer",
        "referrer_contact": "",
        "incident_date": today - timedelta(days=5),
        "referred_on": today,
        "agencies_involved": [agency],
        "circumstances": "Invented.",
    }
    return referral_create(**{**fields, **overrides})


# Services


def test_a_referral_keeps_every_new_fact_where_it_belongs_with_history(agency, manager):
    today = timezone.localdate()
    review = _referral(
        agency,
        manager,
        harm="death",
        date_of_death=today - timedelta(days=4),
        referrer_role="Detective inspector",
        lead_consulted=True,
        lead_consulted_name=" Safeguarding Sergeant ",
        other_names="Zed",
        sex="female",
        ethnicity=Ethnicity.GYPSY_TRAVELLER,
        first_language="Romani",
        religion="Christian",
        protection_plan="past",
        protection_plan_category="neglect",
        protection_plan_started_on=date(2024, 1, 5),
        protection_plan_ended_on=date(2024, 9, 1),
        social_care="previously_open",
        incident_setting="At home with her mother's partner.",
        other_agencies="Northshire Primary School: head teacher; still involved.",
        agency_concerns="Invented concerns.",
        key_dates="1 March: seen at hospital.",
        records_secured_on=today,
        family=[{**MOTHER, "date_of_birth": date(1995, 4, 3), "lives_with_subject": True}],
        agency_contacts=[{"agency": agency, "contact": "DI Invented", "still_involved": True}],
    )
    review.refresh_from_db()
    assert (review.sex, review.ethnicity, review.referrer_role) == (
        "female",
        "white_gypsy_traveller",
        "Detective inspector",
    )
    assert (review.lead_consulted, review.lead_consulted_name) == (True, "Safeguarding Sergeant")
    assert review.protection_plan_ended_on == date(2024, 9, 1)
    assert review.records_secured
    identity = SubjectIdentity.objects.get(review=review)
    assert (identity.other_names, identity.first_language, identity.religion) == (
        "Zed",
        "Romani",
        "Christian",
    )
    assert identity.date_of_death == today - timedelta(days=4)
    person = ReferralFamilyMember.objects.get(review=review)
    assert (person.name, person.lives_with_subject, person.added_to_family_at) == (
        "Canary Mother",
        True,
        None,
    )
    contact = ReferralAgencyContact.objects.get(review=review)
    assert (contact.agency, contact.contact) == (agency, "DI Invented")
    assert contact.still_involved
    for record in (review, identity, person, contact):
        assert record.history.latest().history_user == manager


def test_answers_that_follow_from_another_are_dropped_when_it_says_otherwise(agency, manager):
    review = _referral(
        agency,
        manager,
        lead_consulted=False,
        lead_consulted_name="Someone",
        protection_plan="current",
        protection_plan_category="physical",
        protection_plan_started_on=date(2025, 1, 1),
        protection_plan_ended_on=date(2025, 6, 1),
    )
    assert review.lead_consulted_name == ""
    assert (review.protection_plan_category, review.protection_plan_ended_on) == ("physical", None)
    never = _referral(agency, manager, protection_plan="never", protection_plan_category="physical")
    assert (never.protection_plan_category, never.protection_plan_started_on) == ("", None)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        (lambda today: {"date_of_death": today}, "date_of_death"),
        (
            lambda today: {"harm": "death", "date_of_death": today - timedelta(days=9)},
            "date_of_death",
        ),
        (lambda today: {"lead_consulted": True}, "lead_consulted_name"),
        (lambda today: {"protection_plan": "current"}, "protection_plan_category"),
        (
            lambda today: {
                "protection_plan": "past",
                "protection_plan_category": "neglect",
                "protection_plan_started_on": today - timedelta(days=3),
                "protection_plan_ended_on": today - timedelta(days=30),
            },
            "protection_plan_ended_on",
        ),
        (lambda today: {"records_secured_on": today + timedelta(days=1)}, "records_secured_on"),
        (lambda today: {"family": [{**MOTHER, "name": " "}]}, "family"),
        (
            lambda today: {"family": [{**MOTHER, "relationship": "other"}]},
            "family",
        ),
    ],
)
def test_bad_referrals_are_refused_and_change_nothing(agency, manager, overrides, field):
    with pytest.raises(ValidationError) as refused:
        _referral(agency, manager, **overrides(timezone.localdate()))
    assert field in refused.value.message_dict
    assert not Review.objects.exists()
    assert not ReferralFamilyMember.objects.exists()


def test_contacts_only_for_the_agencies_involved(agency, manager):
    elsewhere = AgencyFactory()
    contact = {"agency": elsewhere, "contact": "", "still_involved": False}
    with pytest.raises(ValidationError, match="only for the agencies known to be involved"):
        _referral(agency, manager, agency_contacts=[contact])
    assert not Review.objects.exists()


# Forms


def test_optional_questions_may_be_left_empty(agency):
    parts = referral_parts(agency)
    assert ReferrerForm(parts["referrer"]).is_valid()
    assert SubjectForm(parts["subject"], framework="scr").is_valid()
    assert CircumstancesForm(parts["circumstances"]).is_valid()
    assert AgenciesForm(parts["agencies"]).is_valid()
    person = {**MOTHER, **date_data("date_of_birth", None)}
    assert FamilyPersonForm(person).is_valid()


@pytest.mark.parametrize(
    ("form_class", "part", "changes", "field", "message"),
    [
        (
            ReferrerForm,
            "referrer",
            {"lead_consulted": "yes"},
            "lead_consulted_name",
            "Enter the name of the designated safeguarding lead",
        ),
        (SubjectForm, "subject", {"harm": "death"}, "date_of_death", "Enter the date of death"),
        (
            SubjectForm,
            "subject",
            date_data("date_of_death", date(2026, 1, 2)),
            "date_of_death",
            "Leave the date of death empty unless the subject died",
        ),
        (
            SubjectForm,
            "subject",
            {"ethnicity": ""},
            "ethnicity",
            "Select the subject's ethnic group, or Not known",
        ),
        (
            SubjectForm,
            "subject",
            {"age_group": "18_64"},
            "age_group",
            "Select the subject's age group",
        ),
        (
            CircumstancesForm,
            "circumstances",
            {"protection_plan": "current"},
            "protection_plan_category",
            "Select the category of the child protection plan",
        ),
        (
            AgenciesForm,
            "agencies",
            {"records_secured": ["yes"]},
            "records_secured_on",
            "Enter the date the records were secured",
        ),
        (
            AgenciesForm,
            "agencies",
            date_data("records_secured_on", date(2026, 1, 2)),
            "records_secured",
            "Select this if the records are secured, or remove the date",
        ),
    ],
)
def test_each_page_says_what_is_missing(agency, form_class, part, changes, field, message):
    data = {**referral_parts(agency)[part], **changes}
    form = form_class(data, framework="scr") if form_class is SubjectForm else form_class(data)
    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_a_person_of_another_relationship_needs_it_described_and_a_past_birth_date():
    future = timezone.localdate() + timedelta(days=1)
    form = FamilyPersonForm(
        {**MOTHER, "relationship": "other", **date_data("date_of_birth", future)}
    )
    assert not form.is_valid()
    assert form.errors["relationship_other"] == ["Describe their relationship to the subject"]
    assert form.errors["date_of_birth"] == ["Date of birth must be today or in the past"]


def test_the_ethnic_groups_are_the_census_groups_under_their_headings():
    groups = dict(Ethnicity.grouped_choices()[:-1])
    assert list(groups) == [
        "Asian, Asian British or Asian Welsh",
        "Black, Black British, Black Welsh, Caribbean or African",
        "Mixed or Multiple ethnic groups",
        "White",
        "Other ethnic group",
    ]
    assert sum(len(options) for options in groups.values()) == 19
    assert Ethnicity.grouped_choices()[-1] == ("not_known", "Not known")


# The pages


def test_the_pages_lead_one_to_the_next_then_check_your_answers(client, manager, agency):
    client.force_login(manager)
    parts = referral_parts(agency, agencies_involved=[agency.pk])
    response = client.post(reverse("reviews:create"), parts["referrer"])
    draft = ReferralDraft.objects.get()
    assert draft.owner == manager
    assert response["Location"] == _part(draft, "subject")
    assert client.post(_part(draft, "subject"), parts["subject"])["Location"] == _part(
        draft, "circumstances"
    )
    response = client.post(_part(draft, "circumstances"), parts["circumstances"])
    assert response["Location"] == _part(draft, "agencies")
    response = client.post(_part(draft, "agencies"), parts["agencies"])
    assert response["Location"] == _part(draft, "contacts")
    page = client.get(_part(draft, "contacts")).content.decode()
    assert "Is Northshire Constabulary still involved?" in page
    create = reverse("reviews:create")
    assert f'href="{create}" aria-current="page"' in page  # still "Record a referral"
    contacts = {f"contact_{agency.pk}": "DI Invented", f"still_{agency.pk}": "no"}
    assert client.post(_part(draft, "contacts"), contacts)["Location"] == _family(draft)

    response = client.post(reverse("reviews:referral_person_add", args=[draft.pk]), MOTHER)
    assert response["Location"] == _family(draft)
    assert "Canary Mother" in client.get(_family(draft)).content.decode()
    assert client.post(_family(draft))["Location"] == _check(draft)

    page = client.get(_check(draft)).content.decode()
    for key in ("referrer", "subject", "circumstances", "agencies", "contacts"):
        assert f'href="{_part(draft, key)}"' in page
    assert f'href="{_family(draft)}"' in page
    for shown in ("Designated safeguarding lead", "Female", "DI Invented", "Canary Mother"):
        assert shown in page
    # Follow-up questions the answers made moot are left off.
    for moot in ("Name of the designated safeguarding lead", "Date of death", "Date the plan"):
        assert moot not in page

    # Change: back to the page with its answers, then straight back to the check page.
    changed = client.get(_part(draft, "subject")).content.decode()
    assert 'value="Canary Realname"' in changed
    data = {**parts["subject"], "other_names": "Zed"}
    assert client.post(_part(draft, "subject"), data)["Location"] == _check(draft)

    response = client.post(_check(draft))
    review = Review.objects.get()
    assert response["Location"] == review.get_absolute_url()
    assert review.submission == draft.pk
    assert review.subject_identity.other_names == "Zed"
    assert not ReferralDraft.objects.exists()
    assert review.agency_contacts.get().still_involved is False
    assert review.referral_family.get().name == "Canary Mother"


def test_with_no_agency_chosen_there_is_no_contacts_page(client, manager, agency):
    client.force_login(manager)
    draft = referral_start(client, agency)
    page = client.get(_check(draft)).content.decode()
    assert "Contacts at the agencies" not in page
    assert client.get(_part(draft, "contacts")).status_code == 200


def test_a_bad_answer_changes_nothing_kept(client, manager, agency):
    client.force_login(manager)
    draft = referral_start(client, agency)
    draft.refresh_from_db()
    kept = draft.answers
    response = client.post(_part(draft, "subject"), {"subject_reference": "Child Q"})
    assert response.status_code == 200
    assert "Select the subject&#x27;s sex" in response.content.decode()
    draft.refresh_from_db()
    assert draft.answers == kept


def test_check_your_answers_sends_back_to_a_part_not_answered(client, manager, agency):
    client.force_login(manager)
    draft = referral_start(client, agency)  # the family page not yet passed
    response = client.post(_check(draft))
    page = response.content.decode()
    assert "<title>Error: " in page
    assert f'<a href="{_family(draft)}">Answer the questions in the family and household</a>' in (
        page
    )
    assert not Review.objects.exists()


def test_a_refusal_across_parts_links_to_the_part_to_change(client, manager, agency):
    client.force_login(manager)
    today = timezone.localdate()
    draft = referral_start(
        client,
        agency,
        referred_on=today - timedelta(days=10),
        incident_date=today - timedelta(days=5),
    )
    client.post(_family(draft))
    page = client.post(_check(draft)).content.decode()
    message = "Date referred must be the same as or after the date of the incident"
    assert f'<a href="{_part(draft, "referrer")}">{message}</a>' in page
    assert not Review.objects.exists()
    assert ReferralDraft.objects.filter(pk=draft.pk).exists()


def test_recording_twice_makes_one_review(client, manager, agency):
    client.force_login(manager)
    first = referral_walk(client, agency)
    draft_id = Review.objects.get().submission
    again = client.post(reverse("reviews:referral_check", args=[draft_id]))
    assert again["Location"] == first["Location"]
    assert Review.objects.count() == 1


def test_the_first_page_sent_twice_starts_one_draft(client, manager, agency):
    client.force_login(manager)
    data = {**referral_parts(agency)["referrer"], "draft": str(uuid.uuid4())}
    client.post(reverse("reviews:create"), data)
    client.post(reverse("reviews:create"), data)
    assert ReferralDraft.objects.get().pk == uuid.UUID(data["draft"])


def test_a_person_added_twice_is_added_once_and_can_be_removed(client, manager, agency):
    client.force_login(manager)
    draft = referral_start(client, agency)
    url = reverse("reviews:referral_person_add", args=[draft.pk])
    form = {**MOTHER, "submission": str(uuid.uuid4())}
    client.post(url, form)
    client.post(url, form)
    draft.refresh_from_db()
    (row,) = draft.family
    remove = reverse("reviews:referral_person_remove", args=[draft.pk, row["id"]])
    assert client.post(remove)["Location"] == _family(draft)
    draft.refresh_from_db()
    assert draft.family == []
    assert client.post(remove).status_code == 302  # gone already: nothing to do


def test_a_bad_person_is_not_added(client, manager, agency):
    client.force_login(manager)
    draft = referral_start(client, agency)
    url = reverse("reviews:referral_person_add", args=[draft.pk])
    response = client.post(url, {**MOTHER, "name": ""})
    assert "Enter the person&#x27;s name" in response.content.decode()
    draft.refresh_from_db()
    assert draft.family == []


def test_another_persons_draft_is_not_found(client, manager, agency):
    client.force_login(manager)
    draft = referral_start(client, agency)
    other = UserFactory(role=Role.BOARD_MANAGER)
    client.force_login(other)
    urls = [_part(draft, "subject"), _family(draft), _check(draft)]
    for url in urls:
        assert client.get(url).status_code == 404
    posts = [
        _check(draft),
        _family(draft),
        reverse("reviews:referral_person_add", args=[draft.pk]),
        reverse("reviews:referral_person_remove", args=[draft.pk, "x"]),
    ]
    for url in posts:
        assert client.post(url, MOTHER).status_code == 404
    assert not Review.objects.exists()
    draft.refresh_from_db()
    assert draft.family == []
    assert "family" not in draft.answers
    refused = AccessLog.objects.filter(user=other, object_type="referral_draft", allowed=False)
    assert refused.count() == len(urls) + len(posts)
    client.force_login(UserFactory(role=Role.CHAIR))
    assert client.get(_check(draft)).status_code == 403


def test_unfinished_referrals_are_listed_for_their_owner_only(client, manager, agency):
    client.force_login(manager)
    draft = referral_start(client, agency)
    assert _check(draft) in client.get(reverse("reviews:create")).content.decode()
    client.force_login(UserFactory(role=Role.BOARD_MANAGER))
    assert _check(draft) not in client.get(reverse("reviews:create")).content.decode()


def test_check_your_answers_takes_the_same_queries_for_1_or_10_people(
    client, manager, django_assert_max_num_queries
):
    def draft_with(size):
        agencies = [AgencyFactory() for _ in range(size)]
        draft = referral_start(
            client, agencies[0], agencies_involved=[agency.pk for agency in agencies]
        )
        url = reverse("reviews:referral_person_add", args=[draft.pk])
        for n in range(size):
            client.post(url, {**MOTHER, "name": f"Person {n}", "submission": str(uuid.uuid4())})
        client.post(_family(draft))
        return draft

    client.force_login(manager)
    small = draft_with(1)
    with django_assert_max_num_queries(30) as few:
        assert client.get(_check(small)).status_code == 200
    count = len(few.captured_queries)  # now: the next requests reset the log it reads
    large = draft_with(10)
    with django_assert_max_num_queries(count):
        page = client.get(_check(large)).content.decode()
    assert "Person 9" in page


# The review page


def test_identity_facts_and_the_household_show_only_to_manager_and_chair(client):
    agency = AgencyFactory()
    cast = cast_create(agencies=[agency])
    today = timezone.localdate()
    built = review_at(
        "convened",
        cast=cast,
        agencies_in_scope=[agency],
        referral={
            "other_names": "Canary Alias",
            "first_language": "Canary Language",
            "sex": "male",
            "referrer_role": "Named nurse",
            "agency_concerns": "Invented concerns about sharing.",
            "records_secured_on": today,
            "family": [{**MOTHER, "date_of_birth": None, "lives_with_subject": True}],
        },
        terms={
            "period_start": today - timedelta(days=300),
            "period_end": today - timedelta(days=20),
            "lines_of_enquiry": ["How?"],
            "family_involvement_plan": "Write.",
        },
    )
    url = built.review.get_absolute_url()
    seers = {cast.manager: True, cast.chair: True, cast.author: False, cast.lead_of(agency): False}
    for person, sees in seers.items():
        client.force_login(person)
        page = client.get(url).content.decode()
        assert "Invented concerns about sharing." in page
        assert "Named nurse" in page
        assert f"Yes, on {today:%-d %B %Y}" in page
        for secret in ("Canary Alias", "Canary Language", "Canary Mother"):
            assert (secret in page) is sees, (person, secret)


def test_drafts_untouched_for_a_month_are_deleted(manager):
    kept = ReferralDraftFactory(owner=manager)
    old = ReferralDraftFactory(owner=manager)
    month_ago = timezone.now() - timedelta(days=DRAFT_KEPT_DAYS, minutes=1)
    ReferralDraft.objects.filter(pk=old.pk).update(updated_at=month_ago)
    assert referral_drafts_expire_task() == 1
    assert list(ReferralDraft.objects.all()) == [kept]
