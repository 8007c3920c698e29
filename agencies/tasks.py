import logging

from celery import shared_task

from agencies.models import ReportRequest, User
from agencies.services import invitation_send, report_request_email

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def invitation_send_task(person_id: int) -> bool:
    """Send the invitation email of one person, by primary key."""
    person = User.objects.filter(pk=person_id).first()
    if person is None:
        return False
    sent = invitation_send(person=person)
    logger.info("invitation for person %s %s", person_id, "sent" if sent else "not needed")
    return sent


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def report_request_email_task(report_id: int) -> int:
    """Email an agency's leads that its management report is requested, by primary key."""
    report = ReportRequest.objects.select_related("review", "agency").filter(pk=report_id).first()
    sent = report_request_email(report=report) if report else 0
    logger.info("report request %s emailed to %s people", report_id, sent)
    return sent
