"""Filters every template has without loading them (TEMPLATES' ``builtins``): times and
moments the GOV.UK way, "8:18pm" and "8:18pm on 3 June 2026" (scr/formats/)."""

from collections.abc import Iterator

from django import template
from django.core.paginator import Page

from scr import formats

register = template.Library()
register.filter("govuk_time", formats.govuk_time)
register.filter("govuk_datetime", formats.govuk_datetime)


@register.filter
def elided_pages(page: Page) -> Iterator[int | str]:
    """The page numbers GOV.UK pagination shows: two at each end and two either side of the
    current page, with Paginator.ELLIPSIS between. Looping over every page number costs as
    much as the rest of a page at thousands of pages; this costs the same at any size."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=2)
