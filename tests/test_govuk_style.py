"""What every page writes the GOV.UK way: times ("8:18pm on 3 June 2026"), empty values in
words rather than Python's None, dropdowns that say what to choose, and sentence-case names."""

import re
from collections import deque
from datetime import UTC, date, datetime, time
from io import StringIO
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django import forms
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db.models import BLANK_CHOICE_DASH
from django.template import Context, Template
from django.urls import reverse

from agencies.models import Agency, Role, User
from demo.management.commands.demo_data import PEOPLE as DEMO_PEOPLE
from scr.formats import govuk_date, govuk_datetime, govuk_time
from tests.factories import TEST_PASSWORD, UserFactory
from tests.pages import TITLE_CASE_ROLE, Page, page_slips

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("moment", "written"),
    [
        (time(20, 18), "8:18pm"),
        (time(9, 0), "9am"),
        (time(9, 5), "9:05am"),
        (time(0, 0), "midnight"),
        (time(0, 30), "12:30am"),
        (time(12, 0), "midday"),
        (time(12, 45), "12:45pm"),
        (None, ""),
    ],
)
def test_times_are_written_the_govuk_way(moment, written):
    assert govuk_time(moment) == written


def test_a_moment_is_shown_in_the_service_time_zone_time_first():
    # 19:18 UTC is 8:18pm in London in summer time.
    assert govuk_datetime(datetime(2026, 6, 3, 19, 18, tzinfo=UTC)) == "8:18pm on 3 June 2026"
    assert govuk_datetime(datetime(2026, 12, 3, 0, 0, tzinfo=UTC)) == "midnight on 3 December 2026"
    assert govuk_date(date(2026, 6, 3)) == "3 June 2026"
    assert govuk_datetime(None) == ""


def test_templates_have_the_filters_and_write_dates_in_full_without_one():
    rendered = Template(
        "{{ at|govuk_datetime }}|{{ at|govuk_time }}|{{ on }}|{{ on|date:'SHORT_DATE_FORMAT' }}"
    ).render(Context({"at": datetime(2026, 6, 3, 11, 0, tzinfo=UTC), "on": date(2026, 6, 3)}))
    assert rendered == "midday on 3 June 2026|midday|3 June 2026|3 Jun 2026"


# Not pages: sign-out and the session's extension are posts; downloads are files.
_NOT_WALKED = re.compile(r"^/(static|admin|sign-out|session)/|/(download|export)/")


def _walk(client, start: str) -> tuple[int, dict[str, list[str]]]:
    """Every page reachable by following links from ``start``: how many, and what is wrong on
    each (a page that fails or is refused, or a slip that tests/pages.py finds)."""
    seen, queue, problems = set(), deque([start]), {}
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302):
            location = urljoin(url, response["Location"])
            if not urlsplit(location).netloc:
                queue.append(location)
            continue
        if response.status_code != 200:
            problems[url] = [f"answers {response.status_code}"]
            continue
        if not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        if slips := page_slips(html):
            problems[url] = slips
        page = Page()
        page.feed(html)
        for href in page.links:
            link = urljoin(url, href).split("#")[0]
            if link.startswith("/") and not _NOT_WALKED.search(link):
                queue.append(link)
    return len(seen), problems


def test_every_page_of_the_demo_as_each_role_writes_values_and_times_in_words(client, settings):
    settings.DEBUG = True  # the demo data refuses to load otherwise
    call_command("demo_data", stdout=StringIO())
    settings.DEBUG = False
    walked, problems = _walk(client, reverse("login"))
    for email, *_ in DEMO_PEOPLE:
        client.force_login(User.objects.get(email=email))
        pages, problems[email] = _walk(client, "/")
        walked += pages
    problems = {who: found for who, found in problems.items() if found}
    assert problems == {}
    assert walked > 200  # every role reached its reviews' pages, not only the home page


class _Dropdowns(forms.Form):
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.all())
    lead = forms.ModelChoiceField(
        label="Lead (optional)", queryset=User.objects.all(), required=False
    )
    sector = forms.ChoiceField(label="Sector", choices=[*BLANK_CHOICE_DASH, ("police", "Police")])
    owner = forms.ModelChoiceField(
        label="Owning agency", queryset=Agency.objects.all(), empty_label="Choose the owner"
    )


def test_a_dropdown_says_what_to_choose_unless_its_field_words_it_itself():
    html = str(_Dropdowns())
    assert "---------" not in html
    for label in ("Choose an agency", "Choose a lead", "Choose a sector", "Choose the owner"):
        assert f'<option value="" selected>{label}</option>' in html


def test_roles_and_sectors_are_named_in_sentence_case(client):
    assert Role.BOARD_MANAGER.label == "Board manager"
    assert [label for _, label in Role.choices] == list(Role.values)
    assert Agency.Sector.CHILDRENS_SOCIAL_CARE.label == "Children's social care"
    client.force_login(UserFactory(role=Role.BOARD_MANAGER))
    html = client.get(reverse("agencies:invite")).content.decode()
    assert "Board manager" in html
    assert not TITLE_CASE_ROLE.search(html)


def test_the_favicon_is_linked_from_every_page_and_found_at_the_root(client, manager):
    client.force_login(manager)
    html = client.get(reverse("reviews:list")).content.decode()
    icons = re.findall(r'<link rel="(?:icon|apple-touch-icon)"[^>]* href="/static/([^"]+)"', html)
    assert sorted(icons) == ["img/apple-touch-icon.png", "img/favicon.ico", "img/favicon.svg"]
    assert all(finders.find(icon) for icon in icons)
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.ico"


def test_the_favicon_needs_no_sign_in_and_no_second_factor(client, manager, settings):
    assert client.get("/favicon.ico")["Location"] == "/static/img/favicon.ico"
    settings.SCR_MFA_REQUIRED_ROLES = [Role.BOARD_MANAGER]
    client.post(reverse("login"), {"username": manager.email, "password": TEST_PASSWORD})
    assert client.get("/favicon.ico")["Location"] == "/static/img/favicon.ico"


def test_every_table_scrolls_inside_its_own_labelled_box():
    """At 320 pixels wide a table scrolls inside its box, not the page (tests/browser/
    test_narrow_screens.py); keyboard users reach the box, and hear what it holds. PDFs'
    templates (templates/pdf/) are not web pages."""
    wrapper = re.compile(
        r'<div class="app-table-wrapper" tabindex="0" role="region" aria-label="[^"{]+">\s*'
        r'<table class="govuk-table[^"]*"[^>]*>(.*?)</table>\s*</div>',
        re.DOTALL,
    )
    for template in Path(django_settings.BASE_DIR, "templates").rglob("*.html"):
        html = template.read_text()
        if html.startswith('{% extends "pdf/'):
            continue  # a PDF's page is A4, never 320 pixels wide: its tables break across pages
        assert html.count("<table") == len(wrapper.findall(html)), template
