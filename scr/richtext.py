"""Report text: the HTML the service keeps for a report's sections, and the plain writing form
authors and board managers type it in.

Every piece of report HTML is kept only after ``sanitise``: nh3 keeps the tags a report needs
(paragraphs, headings, lists, emphasis, quotations, tables) and drops everything else, attributes
included, so no script, style, image or link can reach a page or a PDF. What is kept may be
rendered as it is.

The writing form is plain text: a blank line between paragraphs, ``## `` before a heading, ``- ``
before each item of a list and ``1. `` before each item of a numbered list. ``text_to_html`` turns
it into report HTML; ``html_to_text`` turns report HTML back into it to be edited, and
``loses_on_edit`` says whether that would lose something the writing form cannot hold (a table).
"""

import re
from html import escape
from html.parser import HTMLParser

import nh3

TAGS = {
    "p",
    "br",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "blockquote",
    "table",
    "caption",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ATTRIBUTES = {"th": {"scope", "colspan", "rowspan"}, "td": {"colspan", "rowspan"}}

HEADING = "## "
BULLET = re.compile(r"^[-*] +")
NUMBERED = re.compile(r"^\d+[.)] +")


def sanitise(html: str) -> str:
    """Report HTML reduced to ``TAGS`` and ``ATTRIBUTES``; script and style content dropped."""
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        clean_content_tags={"script", "style"},
        link_rel=None,
        strip_comments=True,
    ).strip()


def _list(lines: list[str], tag: str, marker: re.Pattern) -> str:
    items = "".join(f"<li>{escape(marker.sub('', line, count=1))}</li>" for line in lines)
    return f"<{tag}>{items}</{tag}>"


def _block(block: str) -> str:
    lines = [line.strip() for line in block.splitlines() if line.strip()]
    if lines[0].startswith(HEADING) and len(lines) == 1:
        return f"<h3>{escape(lines[0][len(HEADING) :].strip())}</h3>"
    if all(BULLET.match(line) for line in lines):
        return _list(lines, "ul", BULLET)
    if all(NUMBERED.match(line) for line in lines):
        return _list(lines, "ol", NUMBERED)
    return "<p>" + "<br>".join(escape(line) for line in lines) + "</p>"


def text_to_html(text: str) -> str:
    """Report HTML from the writing form; every character of the text is escaped."""
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    return sanitise("".join(_block(block) for block in blocks if block.strip()))


class _TextWriter(HTMLParser):
    """Walks report HTML and writes the writing form: one block per paragraph, heading or list."""

    BLOCKS = {"p", "h3", "h4", "ul", "ol", "blockquote", "table"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.lists: list[list] = []
        self.lost = False

    def _end_block(self) -> None:
        text = "".join(self.current).strip()
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS and not self.lists:
            self._end_block()
        if tag in ("h3", "h4"):
            self.current.append(HEADING)
        elif tag in ("ul", "ol"):
            self.lists.append([tag, 0])
        elif tag == "li" and self.lists:
            kind = self.lists[-1]
            kind[1] += 1
            prefix = f"{kind[1]}. " if kind[0] == "ol" else "- "
            self.current.append(("\n" if self.current else "") + prefix)
        elif tag == "br":
            self.current.append("\n")
        elif tag == "table":
            self.lost = True
        elif tag in ("td", "th") and self.current:
            self.current.append(" ")

    def handle_endtag(self, tag):
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag in self.BLOCKS and not self.lists:
            self._end_block()
        elif tag == "tr":
            self.current.append("\n")

    def handle_data(self, data):
        self.current.append(re.sub(r"\s+", " ", data) if not self.current else data)


def _written(html: str) -> _TextWriter:
    writer = _TextWriter()
    writer.feed(html)
    writer.close()
    writer._end_block()
    return writer


def html_to_text(html: str) -> str:
    """The writing form of report HTML, to be edited; tables become lines of their cells."""
    return "\n\n".join(_written(html).blocks)


def loses_on_edit(html: str) -> bool:
    """Whether editing this HTML in the writing form would lose its structure (a table)."""
    return _written(html).lost


def plain_text(html: str) -> str:
    """The words of report HTML alone, paragraphs apart: for scores and identifier checks."""
    return html_to_text(html).replace(HEADING, "")
