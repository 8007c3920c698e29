import logging

from celery import shared_task

from quality.services import quality_count

logger = logging.getLogger(__name__)


# The count reads every review: about a minute for 20,000 reviews, longer on a busy worker, so
# it has its own limits rather than the two minutes (CELERY_TASK_SOFT_TIME_LIMIT) that suit
# sending an email.
@shared_task(soft_time_limit=20 * 60, time_limit=25 * 60)
def quality_count_task() -> int:
    """Count the board's reviews on every quality marker (nightly, and when the board manager
    asks); returns how many reviews were counted."""
    reviews = quality_count()
    logger.info("quality markers counted over %s reviews", reviews)
    return reviews
