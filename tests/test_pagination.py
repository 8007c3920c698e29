"""Page links: numbered pages elided, and keyset pages (scr/keyset.py)."""

import re

from django.core.paginator import Paginator
from django.template.loader import render_to_string


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
