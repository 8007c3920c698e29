"""Letters to the family as PDF: the invitation to take part and the notice before publication.
Only the board manager writes them; each download is logged; a person who does not wish to take
part gets none; names are text, never markup, and a letter fetches nothing but its stylesheet."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from families.services.members import family_member_decline, family_member_save
from reviews.builders import Cast, review_at
from reviews.models import AccessLog
from tests.conftest import PERIOD_2025
from tests.documents import dark_share_of_first_page, pdf_text, spy_on_pdf_fetcher
from tests.factories import ReviewFactory, UserFactory
from tests.families.test_family import DETAILS

pytestmark = pytest.mark.django_db

BOARD = "Northshire Safeguarding Children Partnership"
HOSTILE_NAME = '<img src="file:///etc/passwd">'
HOSTILE_SUPPORTER = '<link rel=stylesheet href="http://example.com/x.css">'


@pytest.fixture
def people():
    return {
        "manager": UserFactory(
            role=Role.BOARD_MANAGER, first_name="Morgan", last_name="Reed", job_title="Manager"
        ),
        "chair": UserFactory(role=Role.CHAIR),
        "author": UserFactory(role=Role.INDEPENDENT_AUTHOR),
    }


@pytest.fixture
def manager(people):
    return people["manager"]


@pytest.fixture
def convened(people, agency):
    cast = Cast(manager=people["manager"], chair=people["chair"], author=people["author"])
    return review_at("convened", cast=cast, agencies_in_scope=[agency], terms=PERIOD_2025).review


@pytest.fixture
def mother(convened, manager):
    convened.subject_identity.full_name = "Jamie Canary"
    convened.subject_identity.save()
    return family_member_save(
        review=convened,
        actor=manager,
        **{
            **DETAILS,
            "name": "Alex Example",
            "address": "1 Invented Road\nNorthshire\nNS1 1AA",
            "supporter_name": "Pat Helper",
            "interpreter_needed": True,
            "language": "Polish",
        },
    )


def _url(name, member):
    return reverse(f"families:{name}", args=[member.review.reference, member.pk])


def _notice(planned_on: date, published_as="summary"):
    return {
        "planned_on_0": planned_on.day,
        "planned_on_1": planned_on.month,
        "planned_on_2": planned_on.year,
        "published_as": published_as,
    }


def _letter_logs():
    return AccessLog.objects.filter(object_type="family_letter")


def test_the_invitation_is_a_pdf_download_from_the_board_manager(client, manager, mother):
    client.force_login(manager)

    response = client.get(_url("letter_invitation", mother))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{mother.review.reference}-invitation-letter-{mother.pk}.pdf"'
    )
    assert response["Cache-Control"] == "no-store, private"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    for expected in (
        BOARD,
        "Dear Alex Example,",
        "1 Invented Road",
        "NS1 1AA",
        "Morgan Reed",
        manager.email,
        f"Our reference: {mother.review.reference}",
        timezone.localdate().strftime("%-d %B %Y"),
        "Invitation to take part in the review",
        "about Jamie Canary",
        "called a serious case review",
        "You can bring Pat Helper",
        "a Polish interpreter",
        "You do not have to take part",
        "Page 1 of",
    ):
        assert expected in text, expected
    assert dark_share_of_first_page(response.content) > 0.001
    (log,) = _letter_logs()
    assert (log.user, log.action, log.allowed, log.object_ref) == (
        manager,
        "download",
        True,
        f"{mother.review.reference}/{mother.pk}/invitation",
    )


def test_someone_outside_the_family_is_written_to_about_the_pseudonym(client, manager, mother):
    friend = family_member_save(
        review=mother.review,
        actor=manager,
        **{**DETAILS, "name": "Sam Friend", "relationship": "significant_other"},
    )
    client.force_login(manager)

    text = pdf_text(client.get(_url("letter_invitation", friend)).content)

    assert "Jamie Canary" not in text
    assert f"about {mother.review.subject_reference}" in text
    assert "You can bring someone to support you" in text
    assert "If you would like an interpreter" in text


def test_names_are_text_and_a_letter_fetches_only_its_stylesheet(
    client, manager, convened, monkeypatch
):
    fetched = spy_on_pdf_fetcher(monkeypatch)
    member = family_member_save(
        review=convened,
        actor=manager,
        **{**DETAILS, "name": HOSTILE_NAME, "supporter_name": HOSTILE_SUPPORTER},
    )
    client.force_login(manager)

    invitation = client.get(_url("letter_invitation", member))
    notice = client.post(
        _url("letter_notice", member), _notice(timezone.localdate() + timedelta(days=30))
    )

    for response in (invitation, notice):
        text = " ".join(pdf_text(response.content).split())
        assert f"Dear {HOSTILE_NAME}," in text
        assert f"You can bring {HOSTILE_SUPPORTER}, or anyone else" in text
    assert fetched == [("https://scr.invalid/static/css/print.css", True)] * 2


def test_the_notice_says_when_and_what_and_offers_the_report_first(client, manager, mother):
    client.force_login(manager)
    page = client.get(_url("letter_notice", mother))
    assert page.status_code == 200
    assert "When do you plan to publish the report?" in page.content.decode()
    assert not _letter_logs().exists()

    planned = timezone.localdate() + timedelta(days=40)
    summary = client.post(_url("letter_notice", mother), _notice(planned, "summary"))
    full = client.post(_url("letter_notice", mother), _notice(planned, "full"))

    assert summary["Content-Disposition"] == (
        f'attachment; filename="{mother.review.reference}-notice-letter-{mother.pk}.pdf"'
    )
    text = pdf_text(summary.content)
    when = planned.strftime("%-d %B %Y")
    assert f"publish a summary of the report on our website on {when}" in " ".join(text.split())
    assert f'It calls Jamie Canary "{mother.review.subject_reference}"' in " ".join(text.split())
    assert "You can see the report first" in text
    assert "publish the full report" in " ".join(pdf_text(full.content).split())
    assert [log.object_ref for log in _letter_logs()] == [
        f"{mother.review.reference}/{mother.pk}/notice"
    ] * 2


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"published_as": "summary"}, "Enter the planned date of publication"),
        (_notice(date(2020, 1, 1)), "The planned date of publication must be today or later"),
        ({**_notice(date(2030, 2, 1)), "published_as": ""}, "Select what will be published"),
        ({**_notice(date(2030, 2, 1)), "published_as": "none"}, "Select a valid choice"),
        ({**_notice(date(2030, 2, 1)), "planned_on_0": "31", "planned_on_1": "2"}, "real date"),
    ],
)
def test_a_notice_with_bad_details_says_what_is_wrong_and_makes_no_letter(
    client, manager, mother, posted, message
):
    client.force_login(manager)

    response = client.post(_url("letter_notice", mother), posted)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert message in page
    assert not _letter_logs().exists()


def test_nobody_writes_to_a_person_who_does_not_wish_to_take_part(client, manager, mother):
    family_member_decline(member=mother, actor=manager, declined_on=timezone.localdate())
    client.force_login(manager)

    invitation = client.get(_url("letter_invitation", mother))
    notice_page = client.get(_url("letter_notice", mother))
    notice = client.post(
        _url("letter_notice", mother), _notice(timezone.localdate() + timedelta(days=30))
    )

    for response in (invitation, notice_page, notice):
        assert response.status_code == 403
        assert "Do not write to Alex Example" in response.content.decode()
    assert not _letter_logs().exists()
    detail = client.get(_url("member", mother)).content.decode()
    assert "There are no letters to them" in detail
    assert _url("letter_invitation", mother) not in detail


def test_only_the_board_manager_sees_the_letters_and_refusals_are_logged(
    client, manager, people, mother
):
    client.force_login(manager)
    assert _url("letter_invitation", mother) in client.get(_url("member", mother)).content.decode()

    client.force_login(people["chair"])
    assert (
        _url("letter_invitation", mother) not in client.get(_url("member", mother)).content.decode()
    )
    assert client.get(_url("letter_invitation", mother)).status_code == 403
    refused = AccessLog.objects.filter(user=people["chair"], allowed=False, object_type="family")
    assert refused.filter(path=_url("letter_invitation", mother)).exists()
    assert not _letter_logs().exists()


def test_a_letter_for_someone_in_another_review_is_not_found(client, manager, mother):
    elsewhere = family_member_save(
        review=ReviewFactory(), actor=manager, **{**DETAILS, "name": "Other Person"}
    )
    url = reverse("families:letter_invitation", args=[mother.review.reference, elsewhere.pk])
    client.force_login(manager)

    assert client.get(url).status_code == 404

    assert not _letter_logs().exists()
    refused = AccessLog.objects.get(object_type="family_member", allowed=False)
    assert refused.object_ref == f"{mother.review.reference}/{elsewhere.pk}"
