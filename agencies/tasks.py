import logging

from celery import shared_task

from agencies.emails import invitation_send
from agencies.models import User

logger = logging.getLogger(__name__)


# Invitations now go through the outbox (agencies.services.person_invite). This task stays one
# release for messages a broker still holds from before; remove it after that.
@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def invitation_send_task(person_id: int) -> bool:
    """Send the invitation email of one person, by primary key."""
    person = User.objects.filter(pk=person_id).first()
    if person is None:
        return False
    sent = invitation_send(person=person)
    logger.info("invitation for person %s %s", person_id, "sent" if sent else "not needed")
    return sent
