"""Uploaded documents: what a file is, judged from its bytes and never from its name or the
browser's claim; the name shown for it; and how a stored one is served back."""

import hashlib
import re
import unicodedata
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse

PDF, DOCX, ODT = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
)
_ZIP_MAX_ENTRIES = 2000
_ZIP_MAX_UNCOMPRESSED = 200 * 1024 * 1024
_SAFE_NAME = re.compile(r"[^A-Za-z0-9 ._()-]+")


def display_name_of(name: str) -> str:
    """The uploaded file's name made safe to show: no path, no control or odd characters."""
    name = unicodedata.normalize("NFKC", PurePath(name.replace("\\", "/")).name)
    name = _SAFE_NAME.sub("_", name).strip(" .")
    return name[-120:] or "report"


def _zip_kind(upload: UploadedFile) -> str:
    """DOCX or ODT, judged from the archive's own parts; refuses macros and zip bombs."""
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > _ZIP_MAX_ENTRIES or (
                sum(entry.file_size for entry in entries) > _ZIP_MAX_UNCOMPRESSED
            ):
                raise ValidationError({"file": "The file is too large once opened"})
            names = {entry.filename for entry in entries}
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise ValidationError({"file": "The file must not contain macros"})
            if "word/document.xml" in names and "[Content_Types].xml" in names:
                content_types = archive.read("[Content_Types].xml")
                if b"macroEnabled" in content_types:
                    raise ValidationError({"file": "The file must not contain macros"})
                return DOCX
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.encode():
                return ODT
    except zipfile.BadZipFile:
        pass
    raise ValidationError({"file": "The selected file must be a PDF, DOCX or ODT"})


def _content_type(upload: UploadedFile) -> str:
    """What the file is, from its bytes: never from its name or the browser's claim."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    raise ValidationError({"file": "The selected file must be a PDF, DOCX or ODT"})


def document_inspect(file: UploadedFile) -> tuple[str, str]:
    """The content type (judged from the bytes) and SHA-256 of an uploaded document; raises
    ValidationError for an empty or oversized file, or one that is not a PDF, DOCX or ODT."""
    if file.size == 0:
        raise ValidationError({"file": "The selected file is empty"})
    if file.size > settings.SCR_REPORT_MAX_BYTES:
        limit = settings.SCR_REPORT_MAX_BYTES // (1024 * 1024)
        raise ValidationError({"file": f"The selected file must be smaller than {limit} MB"})
    content_type = _content_type(file)
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
