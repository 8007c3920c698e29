"""Page links: numbered pages elided, and keyset pages (scr/keyset.py)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string

from reviews.models import Notification
from scr.keyset import keyset_page
from tests.factories import NotificationFactory, UserFactory


def _links(html: str) -> list[str]:
    return re.findall(r'aria-label="Page (\d+)"', html)


def test_a_list_of_many_pages_renders_a_bounded_number_of_links():
    page = Paginator(range(200_000), 25).get_page(4_000)
    html = render_to_string("includes/_pagination.html", {"page": page, "query": "show=all"})
    assert _links(html) == ["1", "2", "3998", "3999", "4000", "4001", "4002", "7999", "8000"]
    assert html.count("govuk-pagination__item--ellipses") == 2
    assert "?show=all&amp;page=4001" in html


def test_the_last_of_many_pages_links_its_neighbours_and_the_first():
    page = Paginator(range(200_000), 25).get_page(8_000)
    html = render_to_string("includes/_pagination.html", {"page": page})
    assert _links(html) == ["1", "2", "7998", "7999", "8000"]


def test_a_few_pages_are_all_linked():
    page = Paginator(range(100), 25).get_page(2)
    assert _links(render_to_string("includes/_pagination.html", {"page": page})) == [
        "1",
        "2",
        "3",
        "4",
    ]


def _notifications(count: int):
    user = UserFactory()
    NotificationFactory.create_batch(count, recipient=user)
    start = datetime(2026, 1, 1, 9, tzinfo=UTC)
    for n, pk in enumerate(
        Notification.objects.filter(recipient=user).values_list("pk", flat=True)
    ):
        # Three to an instant: the id breaks the ties.
        Notification.objects.filter(pk=pk).update(created_at=start + timedelta(minutes=n // 3))
    return Notification.objects.filter(recipient=user)


KEYS = ("-created_at", "-id")


@pytest.mark.django_db
def test_keyset_pages_walk_every_row_once_forwards_and_back():
    rows = _notifications(23)
    expected = list(rows.order_by(*KEYS).values_list("pk", flat=True))
    seen, token, pages = [], None, []
    while True:
        page = keyset_page(rows, keys=KEYS, token=token, per_page=5)
        pages.append(page)
        seen += [row.pk for row in page]
        if not page.has_next:
            break
        token = page.next_token
    assert seen == expected
    assert len(pages) == 5
    assert not pages[0].has_previous
    back, page = [], pages[-1]
    while page.has_previous:
        page = keyset_page(rows, keys=KEYS, token=page.previous_token, per_page=5)
        back = [row.pk for row in page] + back
    assert back + [row.pk for row in pages[-1]] == expected


@pytest.mark.django_db
def test_the_last_keyset_page_is_the_reversed_orders_first():
    rows = _notifications(23)
    expected = list(rows.order_by(*KEYS).values_list("pk", flat=True))
    page = keyset_page(rows, keys=KEYS, token="last", per_page=5, count=True)
    assert [row.pk for row in page] == expected[-5:]
    assert not page.has_next
    assert page.has_previous
    assert page.count == 23
    before = keyset_page(rows, keys=KEYS, token=page.previous_token, per_page=5)
    assert [row.pk for row in before] == expected[-10:-5]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "token",
    [
        "2",
        "n",
        "p!!",
        "nW10",
        "nWyJ4Il0",
        "nWyJ4IiwgIngiXQ",
        "pWzEsIDJd",
        "n" + "A" * 2000,
        "x\x00",
    ],
)
def test_a_bad_keyset_token_gives_the_first_page(token):
    rows = _notifications(8)
    expected = list(rows.order_by(*KEYS).values_list("pk", flat=True))[:5]
    page = keyset_page(rows, keys=KEYS, token=token, per_page=5)
    assert [row.pk for row in page] == expected
    assert not page.has_previous


@pytest.mark.django_db
def test_a_stale_keyset_token_gives_the_first_page():
    rows = _notifications(8)
    page = keyset_page(rows, keys=KEYS, token="last", per_page=5)
    token = keyset_page(rows, keys=KEYS, token=page.previous_token, per_page=5).next_token
    rows.filter(pk__in=[row.pk for row in page]).delete()
    assert len(keyset_page(rows, keys=KEYS, token=token, per_page=5)) == 3
