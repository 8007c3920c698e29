import logging
from smtplib import SMTPException

from celery import shared_task

from reviews.emails import report_request_email
from reviews.models import ReportRequest
from reviews.services.clock import (
    REMINDER_BATCH,
    reminders_fail,
    reminders_send,
    reminders_sweep,
)
from reviews.services.handoffs import digests_queue
from reviews.services.referral import referral_drafts_expire

logger = logging.getLogger(__name__)


@shared_task
def reminders_sweep_task() -> int:
    """Write today's reminders and queue the unsent ones in batches; returns how many were
    queued."""
    ids = reminders_sweep()
    for start in range(0, len(ids), REMINDER_BATCH):
        reminders_send_task.delay(ids[start : start + REMINDER_BATCH])
    logger.info("reminder sweep queued %s reminders", len(ids))
    return len(ids)


@shared_task
def digests_task() -> int:
    """Queue today's digests (once a day, from SCR_DIGEST_HOUR); the outbox sends them."""
    return digests_queue()


@shared_task
def referral_drafts_expire_task() -> int:
    """Delete draft referrals left untouched for a month; returns how many."""
    deleted = referral_drafts_expire()
    logger.info("%s untouched draft referrals deleted", deleted)
    return deleted


@shared_task(bind=True, max_retries=5)
def reminders_send_task(self, reminder_ids: list[int]) -> int:
    """Send a batch of reminders by primary key; what a failing mail server left unsent is
    retried with back-off, then marked failed. Returns how many went on this try."""
    try:
        return reminders_send(ids=reminder_ids)
    except (OSError, SMTPException) as error:
        if self.request.retries >= self.max_retries:
            reminders_fail(ids=reminder_ids, error=str(error))
            return 0
        raise self.retry(exc=error, countdown=60 * 2**self.request.retries) from error


@shared_task(bind=True, max_retries=5)
def reminder_send_task(self, reminder_id: int) -> bool:
    """Send one reminder by primary key, as sweeps before batches queued them (a broker may
    still hold some); retries with back-off, then marks it failed."""
    try:
        return reminders_send(ids=[reminder_id]) == 1
    except (OSError, SMTPException) as error:
        if self.request.retries >= self.max_retries:
            reminders_fail(ids=[reminder_id], error=str(error))
            return False
        raise self.retry(exc=error, countdown=60 * 2**self.request.retries) from error


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def report_request_email_task(report_id: int) -> int:
    """Email an agency's leads that its management report is requested, by primary key."""
    report = ReportRequest.objects.select_related("review", "agency").filter(pk=report_id).first()
    sent = report_request_email(report=report) if report else 0
    logger.info("report request %s emailed to %s people", report_id, sent)
    return sent
