"""scr.pdf: PDFs from templates, fetching only the app's own static files. Every other address a
document names (file paths, http(s), data:) is refused, and nothing reaches a server."""

import io
import subprocess

import pikepdf
import pytest

from scr import pdf
from tests.documents import (
    canary_server,
    dark_share_of_first_page,
    pdf_text,
    spy_on_pdf_fetcher,
)

# A document written as an attacker would like: every way HTML and CSS can make WeasyPrint
# fetch something. {PORT} is a canary server on loopback that counts the requests it gets.
HOSTILE = """{% extends "pdf/base.html" %}
{% block title %}Hostile{% endblock %}
{% block content %}
<style>
  @import url("http://127.0.0.1:{PORT}/imported.css");
  body { background: url("file:///etc/passwd"); }
</style>
<link rel="stylesheet" href="http://127.0.0.1:{PORT}/linked.css">
<link rel="attachment" href="file:///etc/passwd">
<img src="file:///etc/passwd" alt="">
<img src="http://127.0.0.1:{PORT}/image.png" alt="">
<img src="/static/%2e%2e/%2e%2e/etc/passwd" alt="">
<img src="/static/css/../../../etc/passwd" alt="">
<img src="data:image/png;base64,iVBORw0KGgo=" alt="">
<p>{{ text }}</p>
{% endblock %}
"""

PLAIN = """{% extends "pdf/base.html" %}
{% block title %}A plain document{% endblock %}
{% block content %}<p>{{ text }}</p>{% endblock %}
"""

REFUSED = [
    "http://127.0.0.1:{PORT}/imported.css",
    "file:///etc/passwd",
    "http://127.0.0.1:{PORT}/linked.css",
    "http://127.0.0.1:{PORT}/image.png",
    "https://scr.invalid/static/%2e%2e/%2e%2e/etc/passwd",
    "https://scr.invalid/etc/passwd",
    "data:image/png;base64,iVBORw0KGgo=",
]


@pytest.fixture
def canary():
    with canary_server() as server:
        yield server


@pytest.fixture
def fetched(monkeypatch):
    return spy_on_pdf_fetcher(monkeypatch)


def _with_template(settings, name, source):
    """Templates from the project's folder, plus one given here."""
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "APP_DIRS": False,
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "loaders": [
                    ("django.template.loaders.locmem.Loader", {name: source}),
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]


def test_a_hostile_document_fetches_nothing_but_static_files(settings, canary, fetched):
    port, hits = canary
    _with_template(settings, "hostile.html", HOSTILE.replace("{PORT}", str(port)))

    data = pdf.render_pdf("hostile.html", {"text": "Still rendered"})

    assert data.startswith(b"%PDF")
    assert "Still rendered" in pdf_text(data)
    assert "root:" not in pdf_text(data)
    refused = {url for url, served in fetched if not served}
    assert refused == {url.replace("{PORT}", str(port)) for url in REFUSED}
    assert [url for url, served in fetched if served] == [
        "https://scr.invalid/static/css/print.css"
    ]
    assert hits == []
    with pikepdf.open(io.BytesIO(data)) as document:
        assert len(document.attachments) == 0
        assert "/Names" not in document.Root
        for active in ("/OpenAction", "/AA", "/JavaScript", "/AcroForm"):
            assert active not in document.Root


def test_text_is_escaped_and_the_print_style_applied(settings, fetched):
    _with_template(settings, "plain.html", PLAIN)
    hostile = '<img src="file:///etc/passwd"><link rel=stylesheet href="http://example.com/x.css">'

    data = pdf.render_pdf("plain.html", {"text": hostile})

    text = pdf_text(data)
    assert '<img src="file:///etc/passwd">' in text
    assert "Northshire Safeguarding Children Partnership" in text
    assert "Page 1 of 1" in text
    assert [url for url, _ in fetched] == ["https://scr.invalid/static/css/print.css"]
    fonts = subprocess.run(["pdffonts", "-"], input=data, capture_output=True).stdout.decode()
    assert "Liberation-Sans" in fonts or "Arial" in fonts
    with pikepdf.open(io.BytesIO(data)) as document:
        width, height = (float(n) for n in document.pages[0].mediabox[2:])
        assert (round(width), round(height)) == (595, 842)  # A4 in points
        assert str(document.Root.Lang) == "en-GB"
        assert "/StructTreeRoot" in document.Root  # tagged, for screen readers
        assert str(document.docinfo["/Title"]) == "A plain document"
    assert dark_share_of_first_page(data) > 0.001


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://scr.invalid/static/css/print.css",
        "https://example.com/static/css/print.css",
        "https://scr.invalid/css/print.css",
        "https://scr.invalid/static/",
        "https://scr.invalid/static/css/print.css?x=1",
        "https://scr.invalid/static/css//print.css",
        "https://scr.invalid/static/./css/print.css",
        "https://scr.invalid/static/css/%2e%2e/css/print.css",
        "https://scr.invalid/static/%2fetc/passwd",
        "https://scr.invalid/static/css%5cprint.css",
        "https://scr.invalid/static/no-such-file.css",
        "data:text/css,body{}",
    ],
)
def test_the_fetcher_refuses_anything_but_a_static_file(url):
    with pytest.raises(pdf.FetchRefused):
        pdf.StaticOnlyFetcher().fetch(url)


def test_the_fetcher_reads_a_static_file_from_the_finders_or_static_root(settings, tmp_path):
    served = pdf.StaticOnlyFetcher().fetch("https://scr.invalid/static/css/print.css")
    assert served.content_type == "text/css"
    assert b"@page" in served.read()

    settings.STATIC_ROOT = tmp_path
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "print.0123abcd.css").write_bytes(b"p { color: black }")
    hashed = pdf.StaticOnlyFetcher().fetch("https://scr.invalid/static/css/print.0123abcd.css")
    assert hashed.read() == b"p { color: black }"
