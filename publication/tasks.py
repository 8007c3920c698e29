import logging

from celery import shared_task

from publication.documents import document_render, documents_render_due

logger = logging.getLogger(__name__)


@shared_task
def document_render_task(document_id: int) -> bool:
    """Render one PDF by primary key; a redelivered task renders nothing twice (the row is
    claimed), and a failed try is retried by the sweep."""
    document = document_render(document_id=document_id)
    ready = bool(document and document.is_ready)
    logger.info("document %s %s", document_id, "rendered" if ready else "not rendered")
    return ready


@shared_task
def documents_sweep_task() -> int:
    """Render every PDF whose task was lost, whose try failed or whose worker died."""
    rendered = documents_render_due()
    logger.info("documents sweep rendered %s", rendered)
    return rendered
