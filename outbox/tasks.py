import logging

from celery import shared_task

from outbox.emails import email_deliver, emails_deliver_due

logger = logging.getLogger(__name__)


@shared_task
def email_send_task(email_id: int) -> bool:
    """Send one outbox email by primary key; a redelivered task sends nothing twice, and a
    failed try is retried by the sweep (the back-off is kept on the row)."""
    sent = email_deliver(email_id=email_id)
    logger.info("outbox email %s %s", email_id, "sent" if sent else "not sent")
    return sent


@shared_task
def outbox_sweep_task() -> int:
    """Send every email that is due: never queued, lost by the broker, or due a retry."""
    sent = emails_deliver_due()
    logger.info("outbox sweep sent %s emails", sent)
    return sent
