"""The submission pack for the national bodies (the national panel, Ofsted, the DfE and the
NSPCC's national case review repository, none of which has an API): a review's public PDFs
of its latest publication version and a metadata sheet, as one zip the board manager sends by
hand, and the record of each sending (to which bodies, on what date, by whom)."""

import csv
import io
import uuid
import zipfile
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agencies.models import User
from publication.document_services import publication_pdf
from publication.documents import document_get
from publication.models import (
    Publication,
    PublicationPlan,
    PublicationVersion,
    RenderedDocument,
    SubmissionPack,
)
from publication.rendering import publication_source
from reviews.files import spreadsheet_cell
from reviews.models import Review, StageTransition
from reviews.services.review import (
    check_not_future,
    repeated_submission,
    timeline_event_record,
)

Kind = RenderedDocument.Kind
_SHEET_HEADER = [
    "Reference",
    "Title",
    "Review type",
    "Referred on",
    "Decided on",
    "Published on",
    "Form",
    "Sent to",
    "Sent on",
]


def publication_version_latest(*, review: Review) -> PublicationVersion | None:
    """The review's latest publication version: what a pack sends."""
    return review.publication_versions.order_by("-number").first()


def pack_list(*, review: Review):
    """The review's sendings, latest first, with who sent each and what version."""
    return review.submission_packs.select_related("sent_by", "version")


def pack_get(*, review: Review, pk: int) -> SubmissionPack | None:
    return pack_list(review=review).filter(pk=pk).first()


def pack_kinds(version: PublicationVersion) -> list[str]:
    """The public PDFs of a version: the full report and its summary, or the summary only."""
    if version.form == PublicationVersion.Form.FULL:
        return [Kind.PUBLIC_REPORT, Kind.PUBLIC_SUMMARY]
    return [Kind.PUBLIC_SUMMARY]


def pack_documents(pack: SubmissionPack) -> list[RenderedDocument | None]:
    """The pack's PDFs as stored (None: never asked for), in ``pack_kinds`` order."""
    version = pack.version
    return [
        document_get(
            review=pack.review,
            kind=kind,
            source_key=publication_source(version=version, kind=kind).key,
        )
        for kind in pack_kinds(version)
    ]


def pack_documents_request(*, pack: SubmissionPack, actor: User) -> list[RenderedDocument]:
    """Ask for the pack's PDFs: those stored are returned as they are, failed ones are asked
    for again."""
    return [publication_pdf(pack.version, kind, actor=actor) for kind in pack_kinds(pack.version)]


@transaction.atomic
def pack_record(
    *,
    review: Review,
    actor: User,
    bodies: list[str],
    sent_on: date,
    submission: uuid.UUID | None = None,
) -> SubmissionPack:
    """Record the review's latest publication version sent to ``bodies`` on ``sent_on``, and
    ask for its public PDFs; raises ValidationError with no version yet, no body, an unknown
    body or a date in the future."""
    if earlier := repeated_submission(SubmissionPack, submission):
        return earlier
    version = publication_version_latest(review=review)
    if version is None:
        raise ValidationError("There is no publication version to send yet")
    if not bodies or set(bodies) - set(SubmissionPack.Body.values):
        raise ValidationError({"bodies": "Select the national bodies the pack was sent to"})
    check_not_future(sent_on, field="sent_on", label="Date the pack was sent")
    pack = SubmissionPack(
        review=review,
        version=version,
        bodies=[body for body in SubmissionPack.Body.values if body in bodies],
        sent_on=sent_on,
        sent_by=actor,
        submission=submission,
    )
    pack._history_user, pack._change_reason = actor, "sent"
    pack.save()
    pack_documents_request(pack=pack, actor=actor)
    timeline_event_record(
        review=review,
        kind=StageTransition.Kind.PUBLICATION,
        actor=actor,
        summary=f"Submission pack sent to {', '.join(pack.body_labels)}",
        occurred_on=sent_on,
    )
    return pack


def _published_on(review: Review, version: PublicationVersion) -> date | None:
    """When the version went on the public site, else the plan's date for it."""
    publication = Publication.objects.filter(version=version).first()
    if publication is not None:
        return timezone.localdate(publication.published_at)
    plan = PublicationPlan.objects.filter(review=review).first()
    return plan.planned_on if plan else None


def pack_metadata_csv(pack: SubmissionPack) -> str:
    """The pack's metadata sheet: one row, every cell safe from spreadsheet formulas."""
    review, version = pack.review, pack.version
    decision = getattr(review, "decision", None)
    published_on = _published_on(review, version)
    rows = [
        _SHEET_HEADER,
        [
            review.reference,
            version.title,
            review.type_profile.label,
            review.referred_on.isoformat(),
            decision.decided_on.isoformat() if decision else "",
            published_on.isoformat() if published_on else "",
            version.get_form_display(),
            "; ".join(pack.body_labels),
            pack.sent_on.isoformat(),
        ],
    ]
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([spreadsheet_cell(cell) for cell in row])
    return "\ufeff" + out.getvalue()


def pack_zip(pack: SubmissionPack, documents: list[RenderedDocument]) -> bytes:
    """The pack as a zip: its ready PDFs and the metadata sheet."""
    buffer = io.BytesIO()
    prefix = f"{pack.review.reference}-"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for document in documents:
            with document.file.open("rb") as pdf:
                name = f"{prefix}{document.kind.replace('_', '-')}.pdf"
                archive.writestr(name, pdf.read())
        archive.writestr(f"{prefix}metadata.csv", pack_metadata_csv(pack))
    return buffer.getvalue()
