"""The board's public site: listed publications for anyone, searched by year and theme; a
report's page with its contents; removed and future ones absent; nothing else of the service
reachable from it."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from publication.models import PublicationVersion
from publication.public import report_with_contents
from scr.middleware import NoStoreMiddleware
from scr.richtext import sanitise
from tests.factories import (
    TEST_PASSWORD,
    PublicationFactory,
    PublicationVersionFactory,
    ReviewFactory,
    ThemeFactory,
    UserFactory,
)
from tests.pages import Page

pytestmark = pytest.mark.django_db


def _published(title, *, at=None, themes=(), removed=False, **version):
    """A publication of a version titled ``title``; ``version`` sets the version's fields."""
    return PublicationFactory(
        version__title=title,
        published_at=at or timezone.now() - timedelta(days=1),
        themes=list(themes),
        removed=removed,
        **{f"version__{name}": value for name, value in version.items()},
    )


def _links(html):
    page = Page()
    page.feed(html)
    return page.links


def _titles(response):
    return re.findall(r'href="/publications/\d+/">([^<]+)</a>', response.content.decode())


def test_anonymous_people_see_listed_publications_newest_first(client):
    now = timezone.now()
    _published("Older report", at=now - timedelta(days=30))
    _published("Newer report", at=now - timedelta(days=2))
    _published("Removed report", at=now - timedelta(days=10), removed=True)
    _published("Future report", at=now + timedelta(days=3))
    response = client.get(reverse("public:list"))
    assert response.status_code == 200
    assert _titles(response) == ["Newer report", "Older report"]
    html = response.content.decode()
    assert "2 reports" in html
    assert "An executive summary only" in html


def test_each_listed_report_shows_its_reference_date_form_and_themes(client):
    publication = _published(
        "Child Q",
        at=datetime(2025, 3, 4, 12, tzinfo=UTC),
        themes=[ThemeFactory(name="Neglect"), ThemeFactory(name="Escalation")],
        form=PublicationVersion.Form.FULL,
    )
    html = client.get(reverse("public:list")).content.decode()
    assert publication.review.reference in html
    assert "4 March 2025" in html
    assert "The full overview report" in html
    assert "Escalation, Neglect" in html


def test_the_list_is_searched_by_year_of_publication(client):
    _published("From 2024", at=datetime(2024, 6, 1, 12, tzinfo=UTC))
    _published("From 2025", at=datetime(2025, 6, 1, 12, tzinfo=UTC))
    _published("New Year", at=datetime(2025, 1, 1, 0, 30, tzinfo=UTC))
    response = client.get(reverse("public:list"), {"year": "2025"})
    assert _titles(response) == ["From 2025", "New Year"]
    assert "2 reports match your search" in response.content.decode()
    options = re.findall(r'<option value="(\d*)"', response.content.decode())
    assert options == ["", "2025", "2024"]


def test_the_list_is_searched_by_any_of_the_themes_chosen(client):
    neglect, abuse, other = (ThemeFactory(name=n) for n in ("Neglect", "Domestic abuse", "Other"))
    _published("Neglect only", themes=[neglect])
    _published("Both", themes=[neglect, abuse])
    _published("Abuse only", themes=[abuse])
    _published("Other only", themes=[other])
    response = client.get(reverse("public:list"), {"theme": [neglect.pk, abuse.pk]})
    assert sorted(_titles(response)) == ["Abuse only", "Both", "Neglect only"]
    only = client.get(reverse("public:list"), {"theme": neglect.pk})
    assert sorted(_titles(only)) == ["Both", "Neglect only"]


def test_themes_of_no_listed_publication_are_neither_offered_nor_accepted(client):
    hidden = ThemeFactory(name="Only on a removed report")
    _published("Removed", themes=[hidden], removed=True)
    _published("Listed", themes=[ThemeFactory(name="Neglect")])
    response = client.get(reverse("public:list"))
    assert "Only on a removed report" not in response.content.decode()
    refused = client.get(reverse("public:list"), {"theme": hidden.pk}).content.decode()
    assert "There is a problem" in refused
    assert '<a href="#id_theme_0">Select themes from the list</a>' in refused


def test_a_year_not_offered_is_an_error_and_the_whole_list_shows(client):
    _published("Listed", at=datetime(2025, 6, 1, 12, tzinfo=UTC))
    response = client.get(reverse("public:list"), {"year": "1999"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Select a year from the list" in html
    assert "<title>Error: " in html
    assert _titles(response) == ["Listed"]


def test_no_match_says_so(client):
    _published("From 2025", at=datetime(2025, 6, 1, 12, tzinfo=UTC), themes=[ThemeFactory()])
    _published("From 2024", at=datetime(2024, 6, 1, 12, tzinfo=UTC), themes=[ThemeFactory()])
    theme_of_2024 = ThemeFactory._meta.model.objects.get(publications__version__title="From 2024")
    response = client.get(reverse("public:list"), {"year": "2025", "theme": theme_of_2024.pk})
    assert _titles(response) == []
    assert "No reports match your search" in response.content.decode()
    assert "0 reports match your search" in response.content.decode()


def test_ten_a_page_with_the_search_carried_in_the_page_links(client):
    theme = ThemeFactory(name="Neglect")
    now = timezone.now()
    for day in range(25):
        _published(f"Report {day:02d}", at=now - timedelta(days=day + 1), themes=[theme])
    first = client.get(reverse("public:list"), {"theme": theme.pk, "junk": "<x>"})
    assert len(_titles(first)) == 10
    html = first.content.decode()
    assert f'href="?theme={theme.pk}&amp;page=2"' in html
    assert "junk" not in html
    last = client.get(reverse("public:list"), {"theme": theme.pk, "page": "3"})
    assert _titles(last) == [f"Report {day:02d}" for day in range(20, 25)]
    assert client.get(reverse("public:list"), {"page": "99"}).status_code == 200


def test_a_report_page_shows_its_summary_and_for_a_full_report_its_text_with_contents(client):
    publication = _published(
        "Child Q",
        themes=[ThemeFactory(name="Neglect")],
        form=PublicationVersion.Form.FULL,
        summary_html="<p>What the review found.</p>",
        body_html="<h2>Findings</h2><p>Agencies did not share.</p>"
        "<h2>Learning &amp; <em>recommendations</em></h2><p>Share.</p>",
    )
    response = client.get(reverse("public:detail", args=[publication.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert publication.review.reference in html
    assert "<p>What the review found.</p>" in html
    assert '<h2 id="section-1">Findings</h2>' in html
    assert '<h2 id="section-2">Learning &amp; <em>recommendations</em></h2>' in html
    assert '<a class="govuk-link" href="#section-2">Learning &amp; recommendations</a>' in html
    assert '<a class="govuk-link" href="#executive-summary">' in html
    assert "Neglect" in html


def test_a_summary_only_report_has_no_contents_and_no_report_text(client):
    publication = _published("Child Q", body_html="<h2>Hidden</h2><p>Not published.</p>")
    html = client.get(reverse("public:detail", args=[publication.pk])).content.decode()
    assert "Not published." not in html
    assert "Contents" not in html


def test_report_with_contents_only_adds_ids_to_the_section_headings():
    html, sections = report_with_contents("<h2>One</h2><h3>Sub</h3><p>x</p><h2>Two</h2>")
    assert html == '<h2 id="section-1">One</h2><h3>Sub</h3><p>x</p><h2 id="section-2">Two</h2>'
    assert [tuple(s) for s in sections] == [("section-1", "One"), ("section-2", "Two")]


def test_a_removed_report_is_gone_and_never_cached(client):
    publication = _published("Child Q", removed=True)
    response = client.get(reverse("public:detail", args=[publication.pk]))
    html = response.content.decode()
    assert response.status_code == 410
    assert "This report has been removed" in html
    assert "Child Q" not in html
    assert publication.removal_reason not in html
    assert response["Cache-Control"] == "no-store, private"


@pytest.mark.parametrize("when", ["future", "missing"])
def test_a_future_or_unknown_report_is_not_found_on_the_public_site_s_own_page(client, when):
    publication = _published("Child Q", at=timezone.now() + timedelta(hours=1))
    pk = publication.pk if when == "future" else publication.pk + 1
    response = client.get(reverse("public:detail", args=[pk]))
    html = response.content.decode()
    assert response.status_code == 404
    assert "Child Q" not in html
    assert set(_links(html)) == {"#main-content", "/publications/", "/publications/accessibility/"}


def test_escaping_titles_and_sanitised_text(client):
    publication = _published(
        '<script>alert("title")</script>',
        summary_html=sanitise(
            '<p onclick="x()">Kept</p><script>alert("summary")</script>'
            '<img src=x onerror=alert(1)><a href="javascript:alert(2)">link</a>'
        ),
    )
    html = client.get(reverse("public:detail", args=[publication.pk])).content.decode()
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in html
    assert "<p>Kept</p>link" in html
    for payload in ("<script", "onerror", "onclick", "javascript:", "<img", 'href="x'):
        assert payload not in html
    listed = client.get(reverse("public:list")).content.decode()
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in listed


def test_no_address_reaches_an_unpublished_version_or_another_review(client):
    """Every public page, with whatever ids a person might try, shows nothing of a version not
    published, nor of a review but its reference, and links to nothing of the service."""
    review = ReviewFactory(subject_reference="Canary Pseudonym", decided=True)
    shown = _published("Published text", review=review)
    PublicationVersionFactory(review=review, title="Canary Unpublished Title")
    other = PublicationVersionFactory(title="Canary Other Review", summary_html="<p>Canary</p>")
    removed = _published("Canary Removed Title", removed=True)
    future = _published("Canary Future Title", at=timezone.now() + timedelta(days=1))
    ids = {shown.pk, shown.version.pk, other.pk, other.review.pk, removed.pk, future.pk, 0, 999}
    urls = [reverse("public:list"), reverse("public:accessibility")]
    urls += [reverse("public:detail", args=[pk]) for pk in ids]
    urls += [
        f"{reverse('public:list')}?{name}={pk}"
        for name in ("version", "review", "pk", "id", "theme", "year", "page")
        for pk in ids
    ]
    for url in urls:
        html = client.get(url).content.decode()
        assert "Canary" not in html, url
        for link in _links(html):
            assert link.startswith(("/publications/", "#", "?")), (url, link)
    html = client.get(reverse("public:detail", args=[shown.pk])).content.decode()
    assert "Canary Realname" not in html


def test_public_pages_for_anyone_signed_in_or_midway_through_signing_in(client, settings):
    publication = _published("Child Q")
    settings.SCR_MFA_REQUIRED_ROLES = ["Board manager"]
    manager = UserFactory(role=Role.BOARD_MANAGER)
    client.post(reverse("login"), {"username": manager.email, "password": TEST_PASSWORD})
    # Signed in with a password alone: the service waits for the second factor...
    assert client.get(reverse("reviews:list")).status_code == 302
    # ...and the public site does not.
    for url in (reverse("public:list"), reverse("public:detail", args=[publication.pk])):
        response = client.get(url)
        assert response.status_code == 200
        assert "Sign out" not in response.content.decode()
        links = _links(response.content.decode())
        assert all(link.startswith(("/publications/", "#")) for link in links)


def test_public_pages_may_be_cached_briefly_unless_they_set_a_cookie(client, settings):
    publication = _published("Child Q")
    for url in (reverse("public:list"), reverse("public:detail", args=[publication.pk])):
        response = client.get(url)
        assert response["Cache-Control"] == f"public, max-age={settings.SCR_PUBLIC_CACHE_SECONDS}"
        assert not response.cookies
    # A response that sets a cookie (a signed-in person's session noted) is never kept.
    request = RequestFactory().get(reverse("public:list"))

    def public_page_with_a_cookie(request):
        response = HttpResponse("page")
        response["Cache-Control"] = "public, max-age=300"
        response.set_cookie("sessionid", "secret")
        return response

    response = NoStoreMiddleware(public_page_with_a_cookie)(request)
    assert response["Cache-Control"] == "no-store, private"


def test_public_pages_carry_the_security_headers_and_may_be_indexed(client):
    response = client.get(reverse("public:list"))
    csp = response["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    html = response.content.decode()
    assert '<meta name="robots" content="index, follow">' in html
    assert "<script" not in html


def test_robots_txt_lets_search_engines_index_the_public_site_only(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain"
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Allow: /publications/",
        "Allow: /static/",
        "Disallow: /",
    ]
    login = client.get(reverse("login")).content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in login


def test_an_unknown_address_under_the_public_site_gets_its_own_not_found_page(client):
    html = client.get("/publications/no-such-page/").content.decode()
    assert "Page not found" in html
    assert 'href="/"' not in html
    assert "/publications/" in _links(html)


@pytest.mark.parametrize("count", [5, 200])
def test_query_counts_stay_flat(client, django_assert_max_num_queries, count):
    themes = [ThemeFactory(), ThemeFactory()]
    review = ReviewFactory(decided=True)
    for _ in range(count):
        _published("Report", review=review, themes=themes)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("public:list"), {"theme": themes[0].pk})
    assert len(_titles(response)) == min(count, 10)
    # The publication, its themes, the board's response, the public extras' (learning asks for
    # a public brief), the session.
    with django_assert_max_num_queries(5):
        assert client.get(reverse("public:detail", args=[review.publications.first().pk]))


def test_every_role_gets_the_same_public_pages_as_anonymous_people(client):
    publication = _published("Child Q", themes=[ThemeFactory(name="Neglect")])
    urls = [reverse("public:list"), reverse("public:detail", args=[publication.pk])]
    anonymous = [client.get(url).content for url in urls]
    for role in [*Role, None]:
        client.force_login(UserFactory(role=role))
        for url, seen in zip(urls, anonymous, strict=True):
            response = client.get(url)
            assert response.status_code == 200, (role, url)
            assert response.content == seen, (role, url)
        client.logout()
