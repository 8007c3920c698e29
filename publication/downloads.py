"""A rendered document as a download: what the review's document pages, the submission pack and
the public site each hand over once a PDF is ready."""

from django.http import FileResponse

from publication.documents import document_filename
from publication.models import RenderedDocument


def document_response(document: RenderedDocument) -> FileResponse:
    """A ready document as a download: never shown inline, never cached, in a sandbox if it
    is opened. The public site serves a published version's PDF through this too."""
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document_filename(document),
        content_type="application/pdf",
    )
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
