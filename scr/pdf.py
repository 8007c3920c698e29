"""PDFs from Django templates, through WeasyPrint, for every app (letters to the family, the
published report): part of scr's kit, so it imports no app.

WeasyPrint fetches what a document links to (stylesheets, images, fonts, attachments) through
its URL fetcher. Ours reads only the app's own static files from disk and refuses everything
else: ``file://`` paths, http(s) addresses (no request ever leaves the machine, so there is no
server-side request forgery through a PDF and no redirect to follow) and ``data:`` URLs (our
templates need none, and refusing them keeps the rule "static files only" with no exception).
A refused fetch is logged by WeasyPrint and left out; the document still renders.
"""

import logging
import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils._os import safe_join
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# Where a PDF's relative links and ``{% static %}`` paths resolve: a name that cannot exist on
# any network (RFC 2606), so that no link could reach a real host even if it were fetched.
BASE_URL = "https://scr.invalid/"


class FetchRefused(ValueError):
    """A PDF asked for something other than one of the app's own static files."""


def _static_name(url: str) -> str | None:
    """The static file's name (``css/print.css``) that ``url`` names, or None if it names
    anything else (another scheme or host, a path outside STATIC_URL, a query, ``..``)."""
    prefix = urljoin(BASE_URL, settings.STATIC_URL)
    parts = urlsplit(url)
    if parts.query or parts.fragment or not url.startswith(prefix):
        return None
    name = unquote(url.removeprefix(prefix))
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return None
    if ".." in name.split("/") or posixpath.normpath(name) != name:
        return None
    return name


def _static_file(name: str) -> Path | None:
    """The file on disk of a static file's name: from the staticfiles finders (the source
    folders), else from STATIC_ROOT (where collectstatic put it, hashed names included)."""
    found = finders.find(name)
    if found:
        return Path(found)
    try:
        collected = Path(safe_join(str(settings.STATIC_ROOT), name))
    except SuspiciousFileOperation:
        return None
    return collected if collected.is_file() else None


class StaticOnlyFetcher(URLFetcher):
    """WeasyPrint's URL fetcher, allowed only the app's own static files, read from disk."""

    def fetch(self, url, headers=None):
        name = _static_name(url)
        path = _static_file(name) if name else None
        if path is None:
            logger.warning("A PDF asked for %r: refused (only static files)", url[:200])
            raise FetchRefused(f"Refused to fetch {url[:200]}: only static files")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def render_pdf(template_name: str, context: dict) -> bytes:
    """The template rendered to a tagged PDF (for screen readers), fetching only static files.
    The context gets ``board_name``, which templates/pdf/base.html puts at the top."""
    html = render_to_string(template_name, {"board_name": settings.SCR_BOARD_NAME, **context})
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher())
    return document.write_pdf(pdf_tags=True)
