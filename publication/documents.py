"""The store of a review's rendered PDFs: rendering one in a task, the sweep that renders
what a lost task left, and reading what is stored. Asking for one is
publication/document_services.py.

The task claims the row for a lease (RENDERING), renders it with no transaction open (a long
report takes seconds) and stores the file in private storage (MEDIA_ROOT, which no URL
serves). With no broker (the embedded default, CELERY_TASK_ALWAYS_EAGER) the task runs in the
request once it commits.
"""

import io
import logging
import time
from datetime import timedelta

import pikepdf
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from publication.models import RenderedDocument
from publication.rendering import SourceChanged, source_of
from reviews.models import Review
from scr.pdf import render_pdf

logger = logging.getLogger(__name__)
Status = RenderedDocument.Status
_ERROR_MAX = 2000


def document_get(*, review: Review, kind: str, source_key: str) -> RenderedDocument | None:
    """The stored document of this source, if it was ever asked for."""
    return RenderedDocument.objects.filter(review=review, kind=kind, source_key=source_key).first()


def document_ready_get(*, review: Review, kind: str, pk: int) -> RenderedDocument | None:
    """One ready document of the review, of this kind (what a download serves)."""
    return RenderedDocument.objects.filter(
        review=review, kind=kind, pk=pk, status=Status.READY
    ).first()


def _due(now) -> Q:
    # A RENDERING row whose lease has run out belongs to a worker that died mid-render.
    return Q(status=Status.PENDING) | Q(status=Status.RENDERING, lease_until__lte=now)


def _save(document: RenderedDocument, reason: str) -> None:
    document._history_user, document._change_reason = None, reason
    document.save()


@transaction.atomic
def _claim(document_id: int) -> RenderedDocument | None:
    """Take the document for this worker for one lease, if it is due and nobody holds it."""
    now = timezone.now()
    document = (
        RenderedDocument.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(_due(now), pk=document_id)
        .select_related("review")
        .first()
    )
    if document is None:
        return None
    if document.attempts >= settings.DOCUMENT_MAX_ATTEMPTS:
        document.status, document.lease_until = Status.FAILED, None
        document.error = "Rendering stopped before it finished, on every try."
        _save(document, "failed")
        return None
    document.status, document.attempts = Status.RENDERING, document.attempts + 1
    document.lease_until = now + timedelta(seconds=settings.DOCUMENT_LEASE_SECONDS)
    _save(document, "rendering")
    return document


def _page_count(data: bytes) -> int:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def _store(document: RenderedDocument, data: bytes, seconds: float) -> None:
    document.file.save("document.pdf", ContentFile(data), save=False)
    document.status, document.lease_until = Status.READY, None
    document.pages, document.bytes = _page_count(data), len(data)
    document.render_seconds, document.rendered_at = round(seconds, 3), timezone.now()
    document.error = ""
    _save(document, "rendered")


def _fail(document: RenderedDocument, error: Exception) -> None:
    final = isinstance(error, SourceChanged) or (
        document.attempts >= settings.DOCUMENT_MAX_ATTEMPTS
    )
    document.status = Status.FAILED if final else Status.PENDING
    document.lease_until = None
    document.error = f"{type(error).__name__}: {error}"[:_ERROR_MAX]
    _save(document, "failed" if final else "try failed")


def document_render(*, document_id: int) -> RenderedDocument | None:
    """Render one document if it is due and no other worker holds it; store the file, or
    record why it failed (a failed try is tried again by the sweep, up to
    DOCUMENT_MAX_ATTEMPTS). Returns the document, or None if there was nothing to do."""
    document = _claim(document_id)
    if document is None:
        return None
    started = time.perf_counter()
    try:
        source = source_of(document)
        data = render_pdf(source.template, source.layout(document.review))
    except Exception as error:  # any failure is the document's, recorded on it
        logger.warning("document %s failed to render", document_id, exc_info=True)
        _fail(document, error)
        return document
    _store(document, data, time.perf_counter() - started)
    logger.info("document %s rendered: %s pages", document_id, document.pages)
    return document


def documents_due(*, limit: int = 100) -> list[int]:
    """The documents the sweep renders: asked for a while ago and still waiting (their task
    was lost, or a try failed), or held by a worker whose lease ran out."""
    now = timezone.now()
    waited = now - timedelta(seconds=settings.DOCUMENT_SWEEP_AFTER_SECONDS)
    due = Q(status=Status.PENDING, requested_at__lte=waited) | Q(
        status=Status.RENDERING, lease_until__lte=now
    )
    ids = RenderedDocument.objects.filter(due).order_by("requested_at", "pk")
    return list(ids.values_list("pk", flat=True)[:limit])


def documents_render_due() -> int:
    """Render every document that is due (see ``documents_due``); returns how many rendered."""
    rendered = 0
    for document_id in documents_due():
        document = document_render(document_id=document_id)
        rendered += bool(document and document.is_ready)
    return rendered


def document_filename(document: RenderedDocument) -> str:
    """A file name with no one's name in it: the review's reference, the kind, and the
    report's version ("v3") or the document's number."""
    kind = document.kind.replace("_", "-")
    number = document.source_key if document.source_key.startswith("v") else document.pk
    return f"{document.review.reference}-{kind}-{number}.pdf"
