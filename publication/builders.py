"""Build stage 7 on a review that ``reviews.builders`` brought to publication: the publication
plan and its publication version through the real services, approved by the chair if asked."""

from datetime import timedelta

from django.utils import timezone

from publication.checks import proposed_title
from publication.models import PublicationPlan
from publication.selectors import publication_agreed_overview
from publication.services import publication_approve, publication_plan_save
from publication.versions import publication_version_make
from reviews.builders import Built
from reviews.models import OverviewSection, OverviewVersion

SECTION_TEXT = {
    OverviewSection.Key.EXECUTIVE_SUMMARY: (
        "<p>The agencies knew the family for two years. They did not share what they knew. "
        "Each saw a part of the picture, and nobody saw all of it.</p>"
    ),
    OverviewSection.Key.LESSONS: "<p>Agencies should share what they know within a week.</p>",
}


def _agreed_text(built: Built) -> OverviewVersion:
    """The overview report's agreed text: the agreement's version, or (the overview services
    do not keep the text yet) an invented one written for the latest agreement."""
    review = built.review
    agreed = publication_agreed_overview(review=review)
    if agreed is not None:
        return agreed
    number = (
        review.report_versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    version = OverviewVersion(
        review=review,
        number=number,
        source=OverviewVersion.Source.WRITTEN,
        created_by=built.writer,
    )
    version._history_user, version._change_reason = built.writer, "written"
    version.save()
    for key, html in SECTION_TEXT.items():
        OverviewSection.objects.create(version=version, key=key, html=html)
    agreement = review.overview_agreements.order_by("-agreed_at", "-id").first()
    if agreement is not None:
        agreement.version = version
        agreement._history_user, agreement._change_reason = built.cast.manager, "text agreed"
        agreement.save()
    return version


def publication_plan_build(
    built: Built, *, approved: bool = False, **plan_fields
) -> PublicationPlan:
    """Save the review's publication plan (full report in four weeks unless told otherwise)
    as the board manager, make its publication version (unless the plan is not to publish)
    and approve both as the chair when ``approved``."""
    review, cast = built.review, built.cast
    fields = {
        "form": PublicationPlan.Form.FULL,
        "planned_on": timezone.localdate() + timedelta(weeks=4),
        "rationale": "",
        **plan_fields,
    }
    plan = publication_plan_save(review=review, actor=cast.manager, **fields)
    if plan.form != PublicationPlan.Form.NONE:
        _agreed_text(built)
        publication_version_make(review=review, actor=cast.manager, title=proposed_title(review))
    if approved:
        plan = publication_approve(review=review, actor=cast.chair)
    review.refresh_from_db()
    return plan
