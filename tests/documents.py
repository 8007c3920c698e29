"""Real documents for uploads, small and made on the spot: a PDF (pikepdf), a DOCX and an ODT
(zipfile), each open to the additions a hostile file would carry. And the means to read the PDFs
the service makes (scr.pdf): their text, how much of a page is ink, what they fetched."""

import contextlib
import http.server
import io
import subprocess
import threading
import zipfile
from collections.abc import Callable, Iterator
from html import escape

import pikepdf
from PIL import Image

from scr import pdf

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ODT = "application/vnd.oasis.opendocument.text"


def pdf_bytes(change: Callable[[pikepdf.Pdf], None] | None = None, **save_options) -> bytes:
    """A one-page PDF; ``change`` may add to it before it is saved."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    if change:
        change(pdf)
    out = io.BytesIO()
    pdf.save(out, **save_options)
    return out.getvalue()


def zip_bytes(parts: dict[str, bytes | str], **options) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, **options) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes(
    *,
    main: str = DOCX_MAIN,
    overrides: dict[str, str] | None = None,
    defaults: dict[str, str] | None = None,
    relationships: list[str] | None = None,
    parts: dict[str, bytes | str] | None = None,
    document: str = "<w:p><w:r><w:t>An invented report</w:t></w:r></w:p>",
) -> bytes:
    """A Word document: ``overrides``/``defaults`` add content types, ``relationships`` adds
    <Relationship> elements to the document's relationships, ``parts`` adds or replaces parts."""
    types = {"rels": "application/vnd.openxmlformats-package.relationships+xml"}
    types.update({"xml": "application/xml"} | (defaults or {}))
    overrides = {"/word/document.xml": main} | (overrides or {})
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        + "".join(f'<Default Extension="{e}" ContentType="{t}"/>' for e, t in types.items())
        + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides.items())
        + "</Types>"
    )
    rels = '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    return zip_bytes(
        {
            "[Content_Types].xml": content_types,
            "_rels/.rels": rels
            + f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
            + "</Relationships>",
            "word/document.xml": '<w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body>{document}</w:body></w:document>',
            "word/_rels/document.xml.rels": rels
            + "".join(relationships or [])
            + "</Relationships>",
        }
        | (parts or {})
    )


def odt_bytes(
    *,
    manifest_entries: str = "",
    parts: dict[str, bytes | str] | None = None,
    body: str = "<text:p>An invented report</text:p>",
) -> bytes:
    """An OpenDocument text: ``manifest_entries`` adds <manifest:file-entry> elements."""
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" '
        'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"'
    )
    manifest = (
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODT}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        f"{manifest_entries}</manifest:manifest>"
    )
    return zip_bytes(
        {
            "mimetype": ODT,
            "META-INF/manifest.xml": manifest,
            "content.xml": f"<office:document-content {ns}><office:body><office:text>{body}"
            "</office:text></office:body></office:document-content>",
        }
        | (parts or {})
    )


# --- Word documents with headings, tables and pictures, as an overview report is written ---

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STYLES = "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"
_STYLE_NAMES = {"Heading1": "heading 1", "Heading2": "heading 2", "Title": "Title"}
_PICTURE_NS = (
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    f'xmlns:r="{REL}"'
)


def word_paragraph(text: str, style: str | None = None) -> str:
    """A paragraph of ``text`` (escaped as Word escapes it), in a style of ``_STYLE_NAMES``."""
    properties = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f'<w:p>{properties}<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def word_heading(text: str) -> str:
    return word_paragraph(text, "Heading1")


def word_table(rows: list[list[str]]) -> str:
    cells = (
        "<w:tr>" + "".join(f"<w:tc>{word_paragraph(cell)}</w:tc>" for cell in row) + "</w:tr>"
        for row in rows
    )
    return f"<w:tbl>{''.join(cells)}</w:tbl>"


def word_picture(relationship: str, *, linked: bool = False) -> str:
    """A paragraph holding a picture, embedded in the file or (``linked``) fetched from the
    relationship's target."""
    reference = "r:link" if linked else "r:embed"
    return (
        f"<w:p><w:r><w:drawing><wp:inline {_PICTURE_NS}>"
        '<wp:docPr id="1" name="Picture 1" descr="A chart"/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/'
        'picture"><pic:pic><pic:blipFill>'
        f'<a:blip {reference}="{relationship}"/>'
        "</pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )


def report_docx(body: str, *, relationships: list[str] | None = None, **options) -> bytes:
    """A Word document of ``body`` (made of the word_* pieces above) with Word's heading
    styles defined, as a real report has them."""
    styles = "".join(
        f'<w:style w:type="paragraph" w:styleId="{style}"><w:name w:val="{name}"/></w:style>'
        for style, name in _STYLE_NAMES.items()
    )
    parts = options.pop("parts", {})
    return docx_bytes(
        document=body,
        overrides={"/word/styles.xml": STYLES} | options.pop("overrides", {}),
        relationships=[
            f'<Relationship Id="rIdStyles" Type="{REL}/styles" Target="styles.xml"/>',
            *(relationships or []),
        ],
        parts={"word/styles.xml": f'<w:styles xmlns:w="{_W}">{styles}</w:styles>'} | parts,
        **options,
    )


PDF = pdf_bytes()
DOCX = docx_bytes()
ODT_FILE = odt_bytes()


def pdf_text(data: bytes) -> str:
    """The text of a PDF, as poppler's pdftotext reads it (laid out as on the page)."""
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def dark_share_of_first_page(data: bytes) -> float:
    """The share of the first page's pixels that are dark (ink), from a small rendering."""
    png = subprocess.run(
        ["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", "-singlefile", "-"],
        input=data,
        capture_output=True,
        check=True,
    ).stdout
    shades = Image.open(io.BytesIO(png)).convert("L").histogram()
    return sum(shades[:128]) / sum(shades)


def spy_on_pdf_fetcher(monkeypatch) -> list[tuple[str, bool]]:
    """Every URL scr.pdf's fetcher is asked for from now on, with whether it served it."""
    calls: list[tuple[str, bool]] = []
    real = pdf.StaticOnlyFetcher.fetch

    def spy(self, url, headers=None):
        try:
            response = real(self, url, headers)
        except pdf.FetchRefused:
            calls.append((url, False))
            raise
        calls.append((url, True))
        return response

    monkeypatch.setattr(pdf.StaticOnlyFetcher, "fetch", spy)
    return calls


class _Canary(http.server.BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self):
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        """Quiet: the test reads ``hits``."""


@contextlib.contextmanager
def canary_server() -> Iterator[tuple[int, list[str]]]:
    """A server on loopback that counts the requests it gets: (its port, the paths asked)."""
    hits: list[str] = []
    handler = type("Canary", (_Canary,), {"hits": hits})
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], hits
    finally:
        server.shutdown()
        server.server_close()
