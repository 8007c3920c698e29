"""The statistics' page, PDF and CSV: who may have them, the board's view unsuppressed and the
shared ones suppressed, bad input, the charts, and queries that do not grow with reviews."""

import csv
import io
import time
from datetime import date

import pytest
from django.urls import reverse

from learning.statistics import period_for, statistics_for
from learning.statistics_output import statistics_pdf
from reviews.frameworks import Outcome
from reviews.models import Review
from tests.documents import dark_share_of_first_page, pdf_text
from tests.factories import (
    AgencyFactory,
    ReviewFactory,
    ThemeFactory,
    ThresholdDecisionFactory,
    UserFactory,
)
from tests.learning.test_statistics import _decide, _review

pytestmark = pytest.mark.django_db

PAGE = reverse("learning:statistics")
PDF = reverse("learning:statistics_pdf")
CSV = reverse("learning:statistics_csv")
YEAR = {"year": "2025", "basis": "april"}


@pytest.fixture
def year():
    """April 2025 year: 2 reviews initiated and 7 with no further action (decided 11 May
    2025), and 3 referrals in the year not yet decided: 12 referrals, 9 decisions."""
    for outcome, number in ((Outcome.INITIATE, 2), (Outcome.NO_FURTHER_ACTION, 7)):
        for _ in range(number):
            _decide(_review(date(2025, 5, 1)), date(2025, 5, 11), outcome, {}, False)
    for _ in range(3):
        _review(date(2025, 6, 1))


def test_the_board_sees_every_count_by_default(client, manager, year):
    client.force_login(manager)
    response = client.get(PAGE, YEAR)
    assert response.status_code == 200
    statistics = response.context["statistics"]
    assert not statistics.shared
    assert statistics.table("decisions_by_outcome").value(Outcome.INITIATE).text == "2"
    content = response.content.decode()
    assert "1 April 2025 to 31 March 2026" in content
    assert "The board's own view: every count is shown." in content
    assert "fewer than 5" not in content.split('id="period"')[1].split("<section")[1]


def test_with_no_choice_the_page_shows_the_current_april_year(client, chair):
    client.force_login(chair)
    response = client.get(PAGE)
    assert response.status_code == 200
    period = response.context["statistics"].period
    assert period == period_for(year=period.year, basis="april")
    assert period.start <= date.today() <= period.end


def test_the_view_as_shared_suppresses(client, manager, year):
    client.force_login(manager)
    response = client.get(PAGE, {**YEAR, "view": "shared"})
    content = response.content.decode()
    assert response.context["statistics"].shared
    assert "As shared outside the board." in content
    assert "Counts of 1 to 4 are shown as" in content
    assert ">fewer than 5<" in content
    assert ">withheld<" in content


def test_a_chart_is_an_image_with_its_title_and_no_bar_for_a_hidden_count(client, manager, year):
    client.force_login(manager)
    response = client.get(PAGE, {**YEAR, "view": "shared"})
    content = response.content.decode()
    assert 'role="img" aria-labelledby="decisions_by_outcome-chart-title' in content
    title = '<title id="decisions_by_outcome-chart-title">Decisions by outcome: bar chart'
    assert title in content
    charts = [chart for _, pairs in response.context["charted"] for _, chart in pairs if chart]
    outcomes = next(chart for chart in charts if chart.key == "decisions_by_outcome")
    bars = {bar.label: bar for bar in outcomes.bars}
    initiate = bars[str(Outcome.INITIATE.label)]
    assert (initiate.width, initiate.text) == (0, "fewer than 5")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": "twenty"}, "Enter the year as a number, like 2025"),
        ({"year": "1999"}, "Enter a year from 2000 to"),
        ({"year": ""}, "Enter the year"),
        ({"basis": "academic"}, "Select April to March or a calendar year"),
        ({"view": "public"}, "Select the board&#x27;s own view or the shared view"),
    ],
)
def test_bad_choices_are_explained_and_nothing_is_counted(client, manager, query, message):
    client.force_login(manager)
    response = client.get(PAGE, query)
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert message in content
    assert response.context["statistics"] is None


@pytest.mark.parametrize("url", [PDF, CSV])
def test_a_download_with_a_bad_year_is_refused(client, manager, url):
    client.force_login(manager)
    response = client.get(url, {"year": "1999"})
    assert response.status_code == 400
    assert "Enter a year from 2000 to" in response.content.decode()


def test_the_pdf_is_suppressed_unmarked_and_its_first_page_not_blank(client, chair, year):
    client.force_login(chair)
    response = client.get(PDF, YEAR)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="statistics-2025-april.pdf"'
    data = response.content
    assert dark_share_of_first_page(data) > 0.001
    text = pdf_text(data)
    assert "1 April 2025 to 31 March 2026" in text
    assert "fewer than 5" in text
    assert "withheld" in text
    assert "OFFICIAL-SENSITIVE" not in text


def test_a_name_in_the_pdf_is_text_not_markup(client, manager):
    ThemeFactory(name="<b>Bold</b> & <img src=x> theme")
    client.force_login(manager)
    text = pdf_text(client.get(PDF, YEAR).content)
    assert "<b>Bold</b> & <img src=x> theme" in text


def test_the_pdf_is_shared_even_when_the_page_shows_the_boards_view(client, manager, year):
    client.force_login(manager)
    text = pdf_text(client.get(PDF, {**YEAR, "view": "board"}).content)
    assert "fewer than 5" in text


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))


def test_the_csv_is_suppressed(client, manager, year):
    client.force_login(manager)
    response = client.get(CSV, YEAR)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="statistics-2025-april.csv"'
    rows = {(row[1], row[2], row[3]): row[4] for row in _csv_rows(response) if len(row) == 5}
    outcome = ("Decisions by outcome", str(Outcome.INITIATE.label), "Decisions")
    assert rows[outcome] == "<5"
    assert rows[("Decisions by outcome", str(Outcome.NO_FURTHER_ACTION.label), "Decisions")] == (
        "withheld"
    )
    assert rows[("Decisions by outcome", "All decisions", "Decisions")] == "9"
    assert rows[("Referrals", "Referrals received", "Number")] == "12"
    assert rows[("Days from referral to decision", "Median days", "Days")] == "10"


def test_the_csv_keeps_a_theme_named_as_a_formula_as_text(client, manager):
    ThemeFactory(name='=HYPERLINK("https://example.invalid","Neglect")')
    client.force_login(manager)
    labels = [row[2] for row in _csv_rows(client.get(CSV, YEAR)) if len(row) == 5]
    assert '\'=HYPERLINK("https://example.invalid","Neglect")' in labels


def test_names_are_escaped_on_the_page(client, manager):
    ThemeFactory(name='<script>alert("theme")</script>')
    client.force_login(manager)
    content = client.get(PAGE, YEAR).content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(&quot;theme&quot;)&lt;/script&gt;" in content


def _board_of(number: int) -> None:
    """``number`` reviews referred and decided in the April 2025 year, a third completed."""
    agency, manager, chair = AgencyFactory(), UserFactory(), UserFactory()
    for i in range(number):
        review = ReviewFactory(
            referred_on=date(2025, 5, 1),
            incident_date=date(2025, 5, 1),
            referring_agency=agency,
            created_by=manager,
            sex=Review.Sex.choices[i % 3][0],
        )
        ThresholdDecisionFactory(review=review, decided_on=date(2025, 5, 11), decided_by=chair)


@pytest.mark.parametrize("number", [5, 500])
def test_the_queries_do_not_grow_with_the_reviews(
    client, manager, number, django_assert_max_num_queries
):
    _board_of(number)
    client.force_login(manager)
    for url, query in ((PAGE, YEAR), (PAGE, {**YEAR, "view": "shared"}), (CSV, YEAR), (PDF, YEAR)):
        with django_assert_max_num_queries(22):
            assert client.get(url, query).status_code == 200


def test_the_pdf_of_500_reviews_renders_in_seconds(manager):
    """The render time the report quotes: the counting of 500 reviews, then the PDF."""
    _board_of(500)
    started = time.perf_counter()
    statistics = statistics_for(period=period_for(year=2025), shared=True)
    assert statistics.table("decisions_by_outcome").value("total").value == 500
    assert statistics_pdf(statistics)[:5] == b"%PDF-"
    assert time.perf_counter() - started < 20
