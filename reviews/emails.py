"""What the review emails, and to whom: the outbox's renderers for its kinds, registered in
ReviewsConfig.ready(). They run when the email is sent, never inside a request."""

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from agencies.models import Role, User
from outbox.kinds import subject_line
from reviews.models import Notification, ReportRequest
from reviews.permissions.review import can_view_review

REPORT_REQUESTED = "reviews.report_requested"
HANDOFF = "reviews.handoff"
DIGEST = "reviews.digest"


def _report_request_message(report: ReportRequest, lead: User) -> EmailMultiAlternatives:
    context = {
        "report": report,
        "person": lead,
        "link": settings.SCR_SITE_URL.rstrip("/")
        + reverse("reviews:report", args=[report.review.reference, report.pk]),
        "board_name": settings.SCR_BOARD_NAME,
    }
    message = EmailMultiAlternatives(
        subject=subject_line(
            f"{report.review.reference}: management report requested from {report.agency}"
        ),
        body=render_to_string("emails/report_requested.txt", context),
        to=[lead.email],
    )
    message.attach_alternative(
        render_to_string("emails/report_requested.html", context), "text/html"
    )
    return message


def report_request_message(lead: User, context: dict[str, Any]) -> EmailMultiAlternatives | None:
    """Tell an agency lead that their agency's management report is requested, with a link and
    no case detail; None once the report is no longer waiting, or the person is no longer an
    active lead of that agency."""
    report = (
        ReportRequest.objects.select_related("review", "agency")
        .filter(pk=context["report"], status=ReportRequest.Status.REQUESTED)
        .first()
    )
    if report is None or not lead.is_active or lead.agency_id != report.agency_id:
        return None
    if not lead.groups.filter(name=Role.AGENCY_LEAD).exists():
        return None
    return _report_request_message(report, lead)


def report_request_email(*, report: ReportRequest) -> int:
    """Email the agency's active leads now; returns how many were emailed. Only for tasks
    queued before the outbox (reviews.tasks.report_request_email_task)."""
    leads = User.objects.filter(
        is_active=True, groups__name=Role.AGENCY_LEAD, agency=report.agency
    ).distinct()
    for lead in leads:
        _report_request_message(report, lead).send()
    return len(leads)


def _still_concerns(notification: Notification, person: User) -> bool:
    """Whether the news may still go to the person when its email is sent: not once they have
    left, nor once they have lost access to the review (a panel member removed since)."""
    if not person.is_active:
        return False
    return notification.review is None or can_view_review(person, notification.review)


def _site_link(url: str) -> str:
    return settings.SCR_SITE_URL.rstrip("/") + url


def handoff_message(person: User, context: dict[str, Any]) -> EmailMultiAlternatives | None:
    """Tell a person what is now theirs to do, with a link and no case detail beyond the
    review's reference; None if they have left."""
    notification = (
        Notification.objects.select_related("review")
        .filter(pk=context["notification"], recipient=person)
        .first()
    )
    if notification is None or not _still_concerns(notification, person):
        return None
    context = {
        "person": person,
        "notification": notification,
        "link": _site_link(notification.url),
        "tasks": _site_link(reverse("reviews:tasks")),
        "board_name": settings.SCR_BOARD_NAME,
    }
    message = EmailMultiAlternatives(
        subject=subject_line(notification.text),
        body=render_to_string("emails/handoff.txt", context),
        to=[person.email],
    )
    message.attach_alternative(render_to_string("emails/handoff.html", context), "text/html")
    return message


def digest_message(person: User, context: dict[str, Any]) -> EmailMultiAlternatives | None:
    """The day's news for a person who chose a digest, oldest first; None if they have left."""
    notifications = [
        notification
        for notification in Notification.objects.select_related("review")
        .filter(pk__in=context["notifications"], recipient=person)
        .order_by("created_at", "pk")
        if _still_concerns(notification, person)
    ]
    if not notifications:
        return None
    context = {
        "person": person,
        "items": [(n, _site_link(n.url)) for n in notifications],
        "tasks": _site_link(reverse("reviews:tasks")),
        "board_name": settings.SCR_BOARD_NAME,
    }
    count = len(notifications)
    message = EmailMultiAlternatives(
        subject=subject_line(f"SCR manager: {count} update{'s' if count != 1 else ''} for you"),
        body=render_to_string("emails/digest.txt", context),
        to=[person.email],
    )
    message.attach_alternative(render_to_string("emails/digest.html", context), "text/html")
    return message
