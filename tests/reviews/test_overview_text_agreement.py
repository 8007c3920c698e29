"""The agreement of the overview report binds a version of its text (the one publication is
made from), and what agency leads are told of the recommendations once it is agreed."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from agencies.services import person_roles_set
from reviews.builders import Cast, review_at
from reviews.models import OverviewAgreement, Review
from reviews.selectors.overview import agreed_overview_version
from reviews.services.overview import (
    overview_draft_upload,
    overview_finalise,
    recommendation_add,
)
from reviews.services.overview_text import overview_version_write
from reviews.services.review import stage_move
from tests.conftest import pdf
from tests.factories import AgencyFactory, OverviewVersionFactory, UserFactory
from tests.reviews.test_overview import agreement_post

pytestmark = pytest.mark.django_db

FIVE = [f"Recommendation text number {n}." for n in range(1, 6)]


def _ready(overview, *, versions=2):
    """A draft, a recommendation and ``versions`` versions of the text: ready to agree."""
    review = overview.review
    draft = overview_draft_upload(review=review, actor=overview.author, file=pdf(), note="")
    recommendation_add(review=review, actor=overview.author, text="Share data.")
    written = []
    for number in range(1, versions + 1):
        texts = {"lessons": f"Lessons as of version {number}."}
        version = number - 1
        written.append(
            overview_version_write(
                review=review, actor=overview.author, texts=texts, version=version
            )
        )
    return draft, written


def _agree(overview, manager, **kwargs):
    return overview_finalise(
        review=overview.review,
        actor=manager,
        meeting_on=timezone.localdate(),
        uncirculated_reason="The agencies read it at the meeting.",
        **kwargs,
    )


def test_agreeing_binds_the_latest_version_unless_another_is_chosen(overview, manager):
    _, (_, second) = _ready(overview)
    agreement = _agree(overview, manager)
    assert agreement.version == second
    transition = overview.review.transitions.filter(to_stage=Review.Stage.ACTION_PLAN).get()
    assert "(draft 1, text version 2)" in transition.summary
    agreed = agreed_overview_version(overview.review)
    assert agreed == second
    assert {section.key for section in agreed.sections.all()} >= {"lessons"}


def test_the_panel_may_agree_an_earlier_version(overview, manager):
    _, (first, _) = _ready(overview)
    assert _agree(overview, manager, text_version=first).version == first
    assert agreed_overview_version(review=overview.review) == first


def test_a_version_of_another_review_is_refused(overview, manager):
    _ready(overview)
    elsewhere = OverviewVersionFactory()
    with pytest.raises(ValidationError) as error:
        _agree(overview, manager, text_version=elsewhere)
    assert "text_version" in error.value.message_dict
    assert not OverviewAgreement.objects.exists()


def test_a_report_with_no_version_of_its_text_is_agreed_without_one(overview, manager):
    _ready(overview, versions=0)
    assert agreed_overview_version(overview.review) is None
    assert _agree(overview, manager).version is None
    assert agreed_overview_version(overview.review) is None


def test_the_agreement_page_asks_which_version_and_shows_it_once_agreed(
    client, overview, manager, chair
):
    draft, (first, second) = _ready(overview)
    client.force_login(manager)
    url = reverse("reviews:overview_finalise", args=[overview.review.reference])
    page = client.get(url).content.decode()
    assert "Which version of the report&#x27;s text did the panel agree?" in page
    assert re.search(rf'name="text_version" type="radio" value="{second.pk}" checked', page)
    response = client.post(url, agreement_post(page, draft))
    assert response.status_code == 200
    assert "Select the version of the report&#x27;s text the panel agreed" in (
        response.content.decode()
    )
    assert client.post(url, agreement_post(page, draft, text_version=first.pk)).status_code == 302
    assert OverviewAgreement.objects.get().version == first
    client.force_login(chair)
    summary = client.get(reverse("reviews:overview", args=[overview.review.reference]))
    link = reverse("reviews:overview_version", args=[overview.review.reference, 1])
    assert f'href="{link}">Version 1</a>' in summary.content.decode()
    client.force_login(overview.leads[0])
    summary = client.get(reverse("reviews:overview", args=[overview.review.reference]))
    content = summary.content.decode()
    assert "Report text agreed" in content
    assert link not in content


def test_a_version_made_after_the_agreement_page_opened_is_not_agreed(client, overview, manager):
    draft, (_first, second) = _ready(overview)
    client.force_login(manager)
    url = reverse("reviews:overview_finalise", args=[overview.review.reference])
    page = client.get(url).content.decode()
    overview_version_write(
        review=overview.review,
        actor=overview.author,
        texts={"lessons": "Lessons, corrected at the meeting."},
        version=2,
    )
    response = client.post(url, agreement_post(page, draft, text_version=second.pk))
    assert response.status_code == 409
    assert f"version 3 of the report text was made by {overview.author}" in (
        response.content.decode()
    )
    assert not OverviewAgreement.objects.exists()


# What agency leads are told of the recommendations once the report is agreed


@pytest.fixture
def agreed(manager, chair):
    """A review taken through the agreement of a report with five recommendations to the action
    plan, and the lead of its agency."""
    agency = AgencyFactory()
    lead = UserFactory(agency=agency)
    person_roles_set(person=lead, roles=[Role.AGENCY_LEAD], agency=agency)
    cast = Cast(manager=manager, chair=chair, leads={agency.pk: lead})
    built = review_at(
        "action_plan",
        cast=cast,
        agencies_in_scope=[agency],
        recommendations=FIVE,
        actions=[{"recommendation": 0}],
    )
    return built.review, lead


@pytest.mark.parametrize("stage", [Review.Stage.ACTION_PLAN, Review.Stage.PUBLICATION])
def test_a_lead_sees_all_five_recommendations_once_the_report_is_agreed(
    client, agreed, manager, stage
):
    review, lead = agreed
    if stage == Review.Stage.PUBLICATION:
        stage_move(review=review, to=stage, actor=manager, summary="Plan agreed")
    client.force_login(lead)
    page = client.get(reverse("reviews:overview", args=[review.reference])).content.decode()
    assert "No recommendation yet" not in page
    assert all(text in page for text in FIVE)
    assert "Recommendation 5" in page


def test_a_lead_is_not_shown_the_draft_recommendations_of_a_review_closed_unagreed(
    client, overview, manager
):
    _ready(overview, versions=0)
    stage_move(review=overview.review, to=Review.Stage.CLOSED, actor=manager, summary="Withdrawn")
    client.force_login(overview.leads[0])
    page = client.get(reverse("reviews:overview", args=[overview.review.reference]))
    content = page.content.decode()
    assert page.status_code == 200
    assert "Share data." not in content
    assert "The recommendations are shown here once the panel agrees the report." in content
