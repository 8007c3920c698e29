"""What a rendered page shows, read the way a person reads it: the text outside scripts and
styles, the attribute values, the links; and the slips of Django's defaults that no page may
show (tests/test_govuk_style.py walks the demo's pages, tests/test_url_matrix.py every URL)."""

import re
from html.parser import HTMLParser

# Python's None, Django's empty choice, Django's a.m. and p.m., and the title case Django gives
# a choice with no label of its own.
PYTHON_NONE = re.compile(r"\bNone\b")
DJANGO_EMPTY_CHOICE = "---------"
DJANGO_TIME = re.compile(r"\b[ap]\.m\.")
TITLE_CASE_ROLE = re.compile(r"Board Manager|Independent Author|Panel Member|Agency Lead")


class Page(HTMLParser):
    """A page's links, the text it shows and its attribute values."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.text: list[str] = []
        self.attributes: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skipping += 1
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        self.attributes += [f"{tag} {name}={value!r}" for name, value in attrs if value]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping and data.strip():
            self.text.append(" ".join(data.split()))


def page_slips(html: str) -> list[str]:
    """What the page shows, or carries in an attribute, that a person must never read."""
    page = Page()
    page.feed(html)
    slips = [
        f"shows {text!r}"
        for text in page.text
        if PYTHON_NONE.search(text)
        or DJANGO_EMPTY_CHOICE in text
        or DJANGO_TIME.search(text)
        or TITLE_CASE_ROLE.search(text)
    ]
    return slips + [f"has {attr}" for attr in page.attributes if PYTHON_NONE.search(attr)]
