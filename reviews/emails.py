"""What the review emails, and to whom; called by its tasks, never inside a request."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from agencies.models import Role, User
from reviews.models import ReportRequest


def report_request_email(*, report: ReportRequest) -> int:
    """Tell the agency's active leads that a management report is requested, with a link and
    no case detail; returns how many were emailed."""
    leads = User.objects.filter(
        is_active=True, groups__name=Role.AGENCY_LEAD, agency=report.agency
    ).distinct()
    context = {
        "report": report,
        "link": settings.SCR_SITE_URL.rstrip("/")
        + reverse("reviews:report", args=[report.review.reference, report.pk]),
        "board_name": settings.SCR_BOARD_NAME,
    }
    subject = f"{report.review.reference}: management report requested from {report.agency}"
    for lead in leads:
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("emails/report_requested.txt", {**context, "person": lead}),
            to=[lead.email],
        )
        message.attach_alternative(
            render_to_string("emails/report_requested.html", {**context, "person": lead}),
            "text/html",
        )
        message.send()
    return len(leads)
