"""Asking for a review's PDFs: the row is written (``RenderedDocument``, PENDING) in the
caller's transaction and the task queued once it commits; asking again for the same source
returns the row as it is, so a ready file is handed back at once and a document being prepared
is not rendered twice. With no broker (the embedded default, CELERY_TASK_ALWAYS_EAGER) the task
runs in the request once it commits."""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from agencies.models import User
from publication.documents import document_get
from publication.models import PublicationVersion, RenderedDocument
from publication.rendering import Source, publication_source, report_source
from publication.tasks import document_render_task
from reviews.models import OverviewVersion, Review

logger = logging.getLogger(__name__)
Status = RenderedDocument.Status


def _enqueue(document_id: int) -> None:
    """Hand the document to a worker; if the broker is down, the sweep renders it later."""
    try:
        document_render_task.delay(document_id)
    except Exception:  # never fail the request that already committed: the row is kept
        logger.warning("could not queue document %s; the sweep will render it", document_id)


@transaction.atomic
def document_request(
    *, review: Review, source: Source, actor: User | None, agency_id: int | None = None
) -> RenderedDocument:
    """Ask for the PDF of ``source``: the stored document if the same source was asked for
    before (a failed one is asked for again, with fresh tries), else a new PENDING one,
    rendered by a task once the caller's transaction commits."""
    document = document_get(review=review, kind=source.kind, source_key=source.key)
    if document is None:
        document = RenderedDocument(
            review=review,
            kind=source.kind,
            source_key=source.key,
            agency_id=agency_id,
            requested_by=actor,
            requested_at=timezone.now(),
        )
        document._history_user, document._change_reason = actor, "asked for"
        try:
            with transaction.atomic():
                document.save()
        except IntegrityError:  # asked for by a concurrent request at the same moment
            return RenderedDocument.objects.get(
                review=review, kind=source.kind, source_key=source.key
            )
    elif document.status == Status.FAILED:
        document.check_transition(Status.PENDING)
        document.status, document.attempts, document.error = Status.PENDING, 0, ""
        document.requested_by, document.requested_at = actor, timezone.now()
        document._history_user, document._change_reason = actor, "asked for again"
        document.save()
    else:
        return document
    transaction.on_commit(lambda: _enqueue(document.pk))
    return document


def report_pdf(*, version: OverviewVersion, kind: str, actor: User) -> RenderedDocument:
    """Ask for the PDF of a version of the overview report (``kind`` OVERVIEW_REPORT) or of its
    executive summary (EXECUTIVE_SUMMARY): the stored one if asked for before. Raises
    ValueError for another kind."""
    source = report_source(version=version, kind=kind)
    return document_request(review=version.review, source=source, actor=actor)


def publication_pdf(
    version: PublicationVersion, kind: str, *, actor: User | None = None
) -> RenderedDocument:
    """Ask for the PDF of a publication version as the public reads it (``kind``
    PUBLIC_REPORT or PUBLIC_SUMMARY), or get the one stored for the same text: what the public
    site calls, with no actor. Raises ValueError for another kind, or for the full report of
    a version that publishes a summary only."""
    source = publication_source(version=version, kind=kind)
    return document_request(review=version.review, source=source, actor=actor)


def public_pdf_kinds(version: PublicationVersion) -> list[str]:
    """The PDFs the public gets of a publication version: the summary, and the whole report
    when it is published in full."""
    kinds = [RenderedDocument.Kind.PUBLIC_SUMMARY]
    if version.form == PublicationVersion.Form.FULL:
        kinds.append(RenderedDocument.Kind.PUBLIC_REPORT)
    return kinds
