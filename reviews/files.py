"""Uploaded documents: what a file is, judged from its bytes and never from its name or the
browser's claim; what it may not carry (scripts, actions, macros, embedded objects, links that
fetch content, DTDs, zip bombs); the name shown for it; each document's quota of versions; and
how a stored one is served back.

A PDF is parsed with pikepdf (qpdf) and every object is looked at. A DOCX or ODT is a zip: every
entry is inflated in chunks with a running total (the sizes its headers declare are never
trusted), every XML part is parsed as it streams by a parser that refuses any DTD, and the
package is judged by its content types, relationships and manifest, case-insensitively, not by
the names of its parts.

The spreadsheets the service writes (CSV exports) go out through ``spreadsheet_cell``: no
cell a spreadsheet would run as a formula."""

import csv
import hashlib
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePath
from xml.etree.ElementTree import ParseError

import pikepdf
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, StreamingHttpResponse

PDF, DOCX, ODT = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
)
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", ODT: ".odt"}
NOT_A_DOCUMENT = "The selected file must be a PDF, DOCX or ODT"
TOO_LARGE_OPENED = "The file is too large once opened"
ZIP_MAX_ENTRIES = 2000
ZIP_MAX_INFLATED = 100 * 1024 * 1024
# An entry may inflate to this many times its compressed size (past the first MiB): text and
# XML rarely pass 20; zip bombs reach 1,000.
_ZIP_MAX_RATIO = 100
_ZIP_RATIO_FLOOR = 1024 * 1024
_XML_PART_MAX = 32 * 1024 * 1024
_CHUNK = 64 * 1024
_PDF_MAX_NODES = 500_000
_PDF_CONTAINERS = (pikepdf.Dictionary, pikepdf.Stream, pikepdf.Array)
_SAFE_NAME = re.compile(r"[^A-Za-z0-9 ._()-]+")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:")
_WEB = ("http:", "https:", "mailto:")
_SCRIPT_NS = "{urn:oasis:names:tc:opendocument:xmlns:script:1.0}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# Magic numbers of archives, and of OLE2 compound files (vbaProject.bin, oleObject1.bin,
# ActiveX binaries, legacy .doc/.xls): found inside a document, each is refused.
_ARCHIVES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# What each refusal says, most important first: a file with several problems names the first.
PROBLEMS = {
    "javascript": "The PDF must not contain JavaScript",
    "launch": "The PDF must not open other files or programs",
    "embedded": "The PDF must not contain attached or embedded files",
    "actions": "The PDF must not run actions when it or a page is opened",
    "xfa": "The PDF must not contain an XFA form",
    "media": "The PDF must not contain embedded media",
    "macros": "The file must not contain macros",
    "objects": "The file must not contain embedded objects or ActiveX controls",
    "ole": "The file must not contain macros or embedded objects",
    "nested": "The file must not contain other files, such as an embedded spreadsheet: "
    "paste charts and tables as pictures or text",
    "external": "The file must not use templates, pictures or other content from outside it",
}
_PDF_KEYS = {
    "/JS": "javascript",
    "/JavaScript": "javascript",
    "/AA": "actions",
    "/EmbeddedFiles": "embedded",
    "/EF": "embedded",
    "/XFA": "xfa",
    "/RichMediaContent": "media",
    "/RichMediaSettings": "media",
}
_PDF_NAMES = {
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/GoToE": "launch",
    "/GoToR": "launch",
    "/SubmitForm": "launch",
    "/ImportData": "launch",
    "/FileAttachment": "embedded",
    "/EmbeddedFile": "embedded",
    "/RichMedia": "media",
    "/Rendition": "media",
    "/Screen": "media",
    "/Movie": "media",
    "/Sound": "media",
    "/3D": "media",
}
# The last segment of an OOXML relationship type, and words in a content type, lower-cased.
_MACRO_RELATIONSHIPS = {
    "vbaproject",
    "wordvbadata",
    "keymapcustomizations",
    "attachedtoolbars",
    "vbaprojectsignature",
    "vbaprojectsignatureagile",
    "vbaprojectsignaturev3",
}
_OBJECT_RELATIONSHIPS = {"oleobject", "control", "activexcontrol", "activexcontrolbinary"}
_NESTED_RELATIONSHIPS = {"package", "afchunk", "subdocument"}
_MACRO_TYPES = ("macroenabled", "vbaproject", "vbadata", "keymapcustomizations", "toolbars")
_OBJECT_TYPES = ("oleobject", "activex")
_ODF_MACRO_FOLDERS = ("basic/", "scripts/", "dialogs/")
_ODF_MACRO_TYPES = ("basic", "script", "macro")
_ODF_MACRO_LINKS = ("vnd.sun.star.script:", "vnd.sun.star.basic:", "macro:")
_DOCX_MAIN = DOCX + ".main+xml"


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def display_name_of(name: str) -> str:
    """The uploaded file's name made safe to show: no path, no control or odd characters."""
    name = unicodedata.normalize("NFKC", PurePath(name.replace("\\", "/")).name)
    name = _SAFE_NAME.sub("_", name).strip(" .")
    return name[-120:] or "report"


def document_name(name: str, content_type: str) -> str:
    """The name shown for a document: the uploader's name made safe, with the extension of
    what the file was found to be (a DOCX sent as ``report.PdF`` is ``report.docx``)."""
    safe = display_name_of(name)
    stem = safe.rsplit(".", 1)[0] if "." in safe else safe
    return (stem.strip(" .")[:115] or "report") + EXTENSIONS[content_type]


def document_quota_check(*, versions: int, total_bytes: int, size: int) -> None:
    """Raises ValidationError if one more version of ``size`` bytes would pass the quota of a
    report's (or a review's overview drafts') versions, in number or in bytes."""
    most = settings.SCR_REPORT_MAX_VERSIONS
    if versions >= most:
        plural = "" if most == 1 else "s"
        raise _refuse(f"The document can have at most {most} version{plural}")
    if total_bytes + size > settings.SCR_REPORT_MAX_TOTAL_BYTES:
        limit = settings.SCR_REPORT_MAX_TOTAL_BYTES // (1024 * 1024)
        raise _refuse(f"The versions of the document must total {limit} MB or less")


# --- PDF ---


def _pdf_dictionary_problems(item: pikepdf.Object) -> set[str]:
    keys = set(item.keys())
    found = {_PDF_KEYS[key] for key in keys & _PDF_KEYS.keys()}
    for key in ("/S", "/Subtype", "/Type"):
        value = item.get(key)
        if isinstance(value, pikepdf.Name) and str(value) in _PDF_NAMES:
            found.add(_PDF_NAMES[str(value)])
    # An /OpenAction array is only a page to open at; a dictionary is an action.
    if "/OpenAction" in keys and isinstance(item.get("/OpenAction"), pikepdf.Dictionary):
        found.add("actions")
    return found


def _pdf_problems(pdf: pikepdf.Pdf) -> set[str]:
    """Every dictionary in the file, direct or indirect, reachable or not, judged by its keys
    and by the names of its action, subtype and type."""
    found: set[str] = set()
    stack = [item for item in [pdf.trailer, *pdf.objects] if isinstance(item, _PDF_CONTAINERS)]
    nodes = 0
    while stack:
        item, nodes = stack.pop(), nodes + 1
        if nodes > _PDF_MAX_NODES:
            raise _refuse("The PDF is too complex to check: save it again as a PDF")
        if isinstance(item, pikepdf.Array):
            children = list(item)
        else:
            found |= _pdf_dictionary_problems(item)
            children = list(item.values())
        # Indirect objects are on the stack already, from pdf.objects.
        stack.extend(
            child
            for child in children
            if isinstance(child, _PDF_CONTAINERS) and not child.is_indirect
        )
    return found


def _pdf_check(upload: UploadedFile) -> str:
    upload.seek(0)
    try:
        # No recovery: a file that needs its cross-references rebuilt is not taken as a PDF
        # (a "%PDF-" header in front of a web page, say).
        with pikepdf.open(upload, attempt_recovery=False) as pdf:
            found = _pdf_problems(pdf)
    except pikepdf.PasswordError:
        raise _refuse("The PDF must not be password protected") from None
    except (pikepdf.PdfError, ValueError, RuntimeError, OSError):
        raise _refuse(NOT_A_DOCUMENT) from None
    _raise_first(found)
    return PDF


def _raise_first(found: set[str]) -> None:
    for problem, message in PROBLEMS.items():
        if problem in found:
            raise _refuse(message)


# --- DOCX and ODT ---


def _allowed_link(href: str, *, hyperlink: bool) -> bool:
    """A hyperlink may go to a web page or an email address; anything else must stay inside
    the file (no scheme, no path climbing out of it)."""
    href = href.strip().lower()
    if hyperlink and href.startswith(_WEB):
        return True
    return not (_SCHEME.match(href) or href.startswith(("../", "/", "\\")))


@dataclass
class ArchiveFacts:
    """What the XML of a package says: the problems found and the kind of document."""

    found: set[str] = field(default_factory=set)
    docx_main: bool = False
    odf_mimetype: bytes = b""

    def part(self, name: str) -> None:
        if name.lower().startswith(_ODF_MACRO_FOLDERS):
            self.found.add("macros")

    def element(self, part: str, tag: str, attrib: dict[str, str]) -> None:
        local = tag.rsplit("}", 1)[-1].lower()
        attrs = {key.rsplit("}", 1)[-1].lower(): value for key, value in attrib.items()}
        if tag.startswith(_SCRIPT_NS) or any(key.startswith(_SCRIPT_NS) for key in attrib):
            self.found.add("macros")
        if "contenttype" in attrs:
            self._content_type(part, attrs["contenttype"].strip().lower())
        if local == "relationship":
            self._relationship(attrs)
        if local == "file-entry":
            self._manifest_entry(attrs)
        if local == "encryption-data":
            raise _refuse("The file must not be password protected")
        if _XLINK_HREF in attrib:
            self._odf_link(local, attrib[_XLINK_HREF])

    def _content_type(self, part: str, value: str) -> None:
        if value == _DOCX_MAIN and part.lower() == "[content_types].xml":
            self.docx_main = True
        if any(word in value for word in _MACRO_TYPES):
            self.found.add("macros")
        if any(word in value for word in _OBJECT_TYPES):
            self.found.add("objects")

    def _relationship(self, attrs: dict[str, str]) -> None:
        kind = attrs.get("type", "").strip().lower().rsplit("/", 1)[-1]
        if kind in _MACRO_RELATIONSHIPS:
            self.found.add("macros")
        if kind in _OBJECT_RELATIONSHIPS:
            self.found.add("objects")
        if kind in _NESTED_RELATIONSHIPS:
            self.found.add("nested")
        external = attrs.get("targetmode", "").strip().lower() == "external"
        if external and not _allowed_link(attrs.get("target", ""), hyperlink=kind == "hyperlink"):
            self.found.add("external")

    def _manifest_entry(self, attrs: dict[str, str]) -> None:
        path, media_type = attrs.get("full-path", "").lower(), attrs.get("media-type", "").lower()
        if path.lstrip("./").startswith(_ODF_MACRO_FOLDERS) or any(
            word in media_type for word in _ODF_MACRO_TYPES
        ):
            self.found.add("macros")
        if "oleobject" in media_type:
            self.found.add("objects")

    def _odf_link(self, local: str, href: str) -> None:
        if href.strip().lower().startswith(_ODF_MACRO_LINKS):
            self.found.add("macros")
        elif not _allowed_link(href, hyperlink=local == "a"):
            self.found.add("external")


class _PartTarget:
    """Receives each element of one XML part as the parser streams it; keeps nothing else."""

    def __init__(self, facts: ArchiveFacts, part: str):
        self.facts, self.part = facts, part

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.facts.element(self.part, tag, attrib)

    def close(self) -> None:
        return None


def _looks_like_xml(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<" or head[:2] in (b"\xff\xfe", b"\xfe\xff")


def _first_chunk(entry: zipfile.ZipInfo, head: bytes, facts: ArchiveFacts):
    """Judge an entry by its first bytes; returns a streaming XML parser if it is XML."""
    if head.startswith(_ARCHIVES):
        facts.found.add("nested")
    if head.startswith(_OLE):
        facts.found.add("ole")
    if entry.filename == "mimetype":
        facts.odf_mimetype = head[:100].strip()
    if _looks_like_xml(head):
        target = _PartTarget(facts, entry.filename)
        return DefusedXMLParser(target=target, forbid_dtd=True, forbid_entities=True)
    return None


@dataclass
class _Budget:
    """Bytes left to inflate across the whole archive."""

    left: int


def _scan_entry(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, facts, budget) -> None:
    """Inflate one entry chunk by chunk, never holding more than a chunk, stopping at the
    archive's budget or the entry's ratio; feed XML to a parser that refuses any DTD."""
    if entry.flag_bits & 0x1:
        raise _refuse("The file must not be password protected")
    most = max(_ZIP_MAX_RATIO * entry.compress_size, _ZIP_RATIO_FLOOR)
    size, parser = 0, None
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(_CHUNK):
                parser = parser or (_first_chunk(entry, chunk, facts) if size == 0 else None)
                size += len(chunk)
                budget.left -= len(chunk)
                if budget.left < 0 or size > most or (parser and size > _XML_PART_MAX):
                    raise _refuse(TOO_LARGE_OPENED)
                if parser:
                    parser.feed(chunk)
            if parser:
                parser.close()
    except DefusedXmlException:
        raise _refuse("The file must not contain a DTD or XML entities") from None


def archive_scan(
    upload: UploadedFile, *, max_inflated: int = ZIP_MAX_INFLATED, wrong_type: str = NOT_A_DOCUMENT
) -> tuple[ArchiveFacts, list[str]]:
    """Inflate and parse every entry of a zip upload, within limits; returns what its XML says
    and its entry names. Raises ValidationError for a bomb, a DTD, a password, too many or
    duplicate entries, or a damaged archive."""
    upload.seek(0)
    facts = ArchiveFacts()
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > ZIP_MAX_ENTRIES:
                raise _refuse(f"The file has too many parts (more than {ZIP_MAX_ENTRIES:,})")
            names = [entry.filename for entry in entries]
            if len({name.lower() for name in names}) != len(names):
                raise _refuse(wrong_type)
            budget = _Budget(max_inflated)
            for entry in entries:
                facts.part(entry.filename)
                _scan_entry(archive, entry, facts, budget)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        raise _refuse(wrong_type) from None
    except ParseError:  # malformed XML in a part
        raise _refuse(wrong_type) from None
    finally:
        upload.seek(0)
    return facts, names


def _zip_kind(upload: UploadedFile) -> str:
    """DOCX or ODT, judged from the package's content types or mimetype; refuses macros,
    embedded objects and archives, external content, DTDs and zip bombs."""
    facts, _ = archive_scan(upload)
    _raise_first(facts.found)
    if facts.docx_main:
        return DOCX
    if facts.odf_mimetype == ODT.encode():
        return ODT
    raise _refuse(NOT_A_DOCUMENT)


def _content_type(upload: UploadedFile) -> str:
    """What the file is, from its bytes: never from its name or the browser's claim."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return _pdf_check(upload)
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    raise _refuse(NOT_A_DOCUMENT)


def document_inspect(file: UploadedFile) -> tuple[str, str]:
    """The content type (judged from the bytes) and SHA-256 of an uploaded document; raises
    ValidationError for an empty or oversized file, one that is not a PDF, DOCX or ODT, or one
    that carries scripts, actions, macros, embedded objects or external content."""
    if file.size == 0:
        raise _refuse("The selected file is empty")
    if (file.size or 0) > settings.SCR_REPORT_MAX_BYTES:
        limit = settings.SCR_REPORT_MAX_BYTES // (1024 * 1024)
        raise _refuse(f"The selected file must be smaller than {limit} MB")
    content_type = _content_type(file)
    file.seek(0)
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return content_type, digest.hexdigest()


def attachment_response(file, name: str, content_type: str) -> FileResponse:
    """A stored document as a download, never shown inline, in a sandbox if it is opened."""
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


# A cell starting with one of these is run as a formula by spreadsheets (OWASP, CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value):
    """A cell a spreadsheet shows as it is: text that would start a formula gets a leading
    apostrophe (so it stays text); numbers the service wrote itself pass as numbers."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


class _Line:
    """What csv.writer writes to: hands each line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def csv_download(rows, filename: str) -> StreamingHttpResponse:
    """Rows (the first the header) streamed as a CSV download, every cell through
    ``spreadsheet_cell``, with a byte-order mark so that spreadsheets read it as UTF-8."""
    writer = csv.writer(_Line())

    def lines():
        yield "\ufeff"
        for row in rows:
            yield writer.writerow([spreadsheet_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
