"""The reverse proxy's own error pages (deploy/nginx.conf, deploy/errors/): nginx answers a
body over its limit (413) and an app it cannot reach or that does not answer (502, 503, 504)
with GOV.UK-styled pages of its own, each allowed exactly its inline style by the CSP."""

import base64
import hashlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
ERRORS = ROOT / "deploy" / "errors"
PROBLEM = "Sorry, there is a problem with the service"
PAGES = {
    "413": ("413.html", "The file is too big"),
    "502": ("50x.html", PROBLEM),
    "503": ("50x.html", PROBLEM),
    "504": ("50x.html", PROBLEM),
}


@dataclass
class Directive:
    name: str
    args: list[str]
    block: list["Directive"] = field(default_factory=list)

    def all(self, name: str) -> list["Directive"]:
        return [child for child in self.block if child.name == name]


_TOKEN = re.compile(
    r"""\s+|#[^\n]*|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([{};])|([^\s{};"'#]+)"""
)


def _tokens(text: str) -> list[str]:
    """nginx's words, quoted strings (unquoted) and punctuation, without comments."""
    found, position = [], 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        assert match, f"cannot read deploy/nginx.conf at {text[position : position + 40]!r}"
        position = match.end()
        word = next((group for group in match.groups() if group is not None), None)
        if word is not None:
            found.append(word)
    return found


def nginx_config(text: str) -> Directive:
    """The configuration as a tree of directives, each with its arguments and block."""
    root = Directive("", [])
    stack, words = [root], []
    for token in _tokens(text):
        if token == ";":
            stack[-1].block.append(Directive(words[0], words[1:]))
            words = []
        elif token == "{":
            directive = Directive(words[0], words[1:])
            stack[-1].block.append(directive)
            stack.append(directive)
            words = []
        elif token == "}":
            assert not words, f"unfinished directive {words}"
            stack.pop()
        else:
            words.append(token)
    assert len(stack) == 1, "unbalanced braces in deploy/nginx.conf"
    assert not words, f"unfinished directive {words}"
    return root


def server() -> Directive:
    (only,) = nginx_config(NGINX_CONF.read_text()).all("server")
    return only


def error_pages() -> dict[str, str]:
    """Each status code error_page names, with the URI nginx answers it from."""
    pages = {}
    for directive in server().all("error_page"):
        *codes, uri = directive.args
        pages.update(dict.fromkeys(codes, uri))
    return pages


def errors_location() -> Directive:
    """The internal location the error pages are served from."""
    uris = set(error_pages().values())
    prefixes = {uri.rsplit("/", 1)[0] + "/" for uri in uris}
    assert len(prefixes) == 1, f"error pages under several locations: {prefixes}"
    (prefix,) = prefixes
    (location,) = [d for d in server().all("location") if d.args == [prefix]]
    return location


def header(location: Directive, name: str) -> str:
    (value,) = [d.args[1] for d in location.all("add_header") if d.args[0] == name]
    return value


class _Page(HTMLParser):
    """What a test needs of a page: its language, title, headings, styles and references."""

    def __init__(self):
        super().__init__()
        self.lang, self.title, self.h1, self.styles, self.references = None, "", [], [], []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        if tag in ("title", "h1", "style"):
            self._in = tag
            if tag == "h1":
                self.h1.append("")
            if tag == "style":
                self.styles.append("")
        for name in ("src", "href", "action", "srcset"):
            if name in attributes:
                self.references.append((tag, name, attributes[name]))
        if "style" in attributes:
            self.references.append((tag, "style", attributes["style"]))

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "h1":
            self.h1[-1] += data
        elif self._in == "style":
            self.styles[-1] += data


def page(name: str) -> _Page:
    parsed = _Page()
    parsed.feed((ERRORS / name).read_text(encoding="utf-8"))
    return parsed


def style_hash(css: str) -> str:
    """The CSP source that allows exactly this <style> block's text."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"


def test_nginx_answers_413_and_502_503_504_with_its_own_pages():
    uris = error_pages()
    for code, (name, _) in PAGES.items():
        assert uris.get(code, "").endswith(f"/{name}"), f"no error_page for {code}"


def test_the_pages_are_served_only_through_error_page_from_the_mounted_folder():
    location = errors_location()
    assert location.all("internal") == [Directive("internal", [])]
    (alias,) = location.all("alias")
    folder = alias.args[0]
    compose = (ROOT / "docker-compose.yml").read_text()
    assert f"- ./deploy/errors:{folder.rstrip('/')}:ro" in compose
    # The proxied location is not told to intercept the app's own error pages.
    (proxied,) = [d for d in server().all("location") if d.args == ["/"]]
    assert not proxied.all("proxy_intercept_errors")


@pytest.mark.parametrize(("code", "expected"), PAGES.items())
def test_each_page_exists_with_its_title_and_heading(code, expected):
    name, heading = expected
    assert (ERRORS / name).is_file(), f"deploy/errors/{name} is missing"
    parsed = page(name)
    assert parsed.lang == "en"
    assert parsed.title == f"{heading} \N{EN DASH} SCR manager"
    assert [text.strip() for text in parsed.h1] == [heading]


def test_the_413_page_states_the_uploads_limit():
    limit = settings.SCR_REPORT_MAX_BYTES // (1024 * 1024)
    assert f"Files must be smaller than {limit} MB." in (ERRORS / "413.html").read_text()


@pytest.mark.parametrize("name", sorted({name for name, _ in PAGES.values()}))
def test_each_page_needs_nothing_from_the_app_and_its_style_is_the_one_the_csp_allows(name):
    parsed = page(name)
    # Only links to the service's own pages: no stylesheet, script, image or inline style
    # attribute, which the app (perhaps down) would serve or the CSP would refuse.
    assert all(tag == "a" and value.startswith("/") for tag, _, value in parsed.references)
    (css,) = parsed.styles
    policy = header(errors_location(), "Content-Security-Policy")
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["style-src"] == style_hash(css), (
        "deploy/errors' <style> changed: put its new hash in deploy/nginx.conf's CSP, "
        f"style-src {style_hash(css)}"
    )
    assert "script-src" not in directives


def test_the_pages_headers_are_sent_with_an_error_status():
    location = errors_location()
    for directive in location.all("add_header"):
        assert directive.args[-1] == "always", f"{directive.args[0]} needs `always`"
    assert header(location, "X-Content-Type-Options") == "nosniff"
    assert header(location, "Cache-Control") == "no-store"
