"""The learning brief as a one-page PDF, through the project's PDF kit and layout: a brief for
internal use carries the protective marking; one published with the report carries none."""

from django.http import HttpResponse

from learning.models import LearningBrief
from scr.pdf import render_pdf

MARKING = "OFFICIAL-SENSITIVE"


def brief_pdf(brief: LearningBrief, *, internal: bool) -> bytes:
    """The brief rendered to PDF; ``internal`` adds the marking at the top of the page."""
    context = {
        "brief": brief,
        "title": brief.title,
        "reference": brief.review.reference,
        "review_kind": "Learning brief",
        "marking": MARKING if internal else "",
        "dated": brief.approved_at or brief.updated_at,
        "compact": True,
    }
    return render_pdf("learning/brief_pdf.html", context)


def brief_pdf_response(brief: LearningBrief, *, internal: bool) -> HttpResponse:
    """The brief's PDF as a download."""
    response = HttpResponse(brief_pdf(brief, internal=internal), content_type="application/pdf")
    name = f"{brief.review.reference}-learning-brief.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
