"""What the board publishes of a review, and when: the plan the chair approves, the versions
and publications; and the PDFs rendered of a review's documents."""

import hashlib
import uuid
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from agencies.models import User


class PublicationPlan(models.Model):
    """The publication decision for a review at the publication stage.

    - DRAFT (``approved_at`` empty): the board manager sets what will be published, when, and
      why; the report is due at the national bodies the review type's notice period before the
      planned date.
    - APPROVED: the chair approved the plan. Any change by the board manager withdraws the
      approval, so the chair always approves what will happen.
    """

    class Form(models.TextChoices):
        FULL = "full", "Publish the full overview report"
        SUMMARY = "summary", "Publish an executive summary only"
        NONE = "none", "Do not publish"

    review = models.OneToOneField(
        "reviews.Review", on_delete=models.CASCADE, related_name="publication_plan"
    )
    form = models.CharField(max_length=16, choices=Form.choices)
    planned_on = models.DateField(null=True, blank=True)
    rationale = models.TextField(blank=True)
    national_bodies_sent_on = models.DateField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # What the chair approved with the plan: the publication version she read, and the digest
    # of that version's text with the plan's form and date (``approval_digest_of``). Any new
    # version or change of the plan withdraws the approval, saying why.
    approved_version = models.ForeignKey(
        "publication.PublicationVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approval_digest = models.CharField(max_length=64, blank=True)
    approval_withdrawn_reason = models.CharField(max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        permissions = [
            ("plan_publication", "Can plan what is published of a review, and when"),
            ("approve_publication", "Can approve a review's publication plan"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(form="none") | models.Q(planned_on__isnull=False),
                name="publication_planned_unless_not_published",
            ),
        ]

    def __str__(self) -> str:
        return f"Publication plan of {self.review_id}"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    def approval_digest_of(self, version: "PublicationVersion | None") -> str:
        """The SHA-256 an approval is bound to: the version's digest (none for a plan not to
        publish), the plan's form and its planned date."""
        planned = self.planned_on.isoformat() if self.planned_on else ""
        parts = (version.digest if version else "", self.form, planned)
        return hashlib.sha256("|".join(parts).encode()).hexdigest()


class PseudonymEntry(models.Model):
    """One line of a review's pseudonym map: a real value that identifies someone or somewhere
    (a name, an address, a school, a date of birth) and what the published report calls it
    instead ("Child A", "Mother", "Health Visitor 1"). Only the board manager and the chair see
    the map; the board manager fills it from the review's records and completes it by hand. The
    identifier check (publication/identifiers.py) finds each real value in a text."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        PLACE = "place", "Place"
        ORGANISATION = "organisation", "Organisation"
        DATE = "date", "Date"
        OTHER = "other", "Other"

    class Source(models.TextChoices):
        REFERRAL = "referral", "Referral"
        FAMILY = "family", "Family records"
        BOARD_MANAGER = "board_manager", "Board manager"

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="pseudonym_entries"
    )
    real_value = models.CharField(max_length=300)
    replacement = models.CharField(max_length=100)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    source = models.CharField(max_length=16, choices=Source.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The form submission that made it: a repeat of that submission makes nothing new.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        verbose_name_plural = "pseudonym entries"
        ordering = ["kind", "replacement", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("real_value"), "review", name="pseudonym_real_value_once_per_review"
            ),
        ]

    def __str__(self) -> str:
        return self.replacement


class Theme(models.Model):
    """A theme of what reviews find (neglect, domestic abuse, information sharing…), from a list
    the board keeps; the public site is searched by theme. Names are unique whatever their case;
    a theme is renamed, never deleted (publications keep it)."""

    name = models.CharField(max_length=100, unique=True)

    history = HistoricalRecords()
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="theme_name_once_in_any_case"),
        ]

    def __str__(self) -> str:
        return self.name


class BoardResponse(models.Model):
    """The board's written response to the review's report: what the board accepts, what it
    will do and how it will know it worked. Published beside the report where the report is.

    - DRAFT (``agreed_on`` empty): the board manager writes and corrects it.
    - AGREED (``agreed_on`` set): the board agreed it at the meeting named, on that date; its
      text no longer changes (history keeps every draft).
    """

    review = models.OneToOneField(
        "reviews.Review", on_delete=models.CASCADE, related_name="board_response"
    )
    text = models.TextField()
    agreed_on = models.DateField(null=True, blank=True)
    meeting = models.CharField(max_length=200, blank=True)
    agreed_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    def __str__(self) -> str:
        return f"The board's response to {self.review_id}"

    @property
    def is_agreed(self) -> bool:
        return self.agreed_on is not None


class PublicationVersion(models.Model):
    """The text the public would read: the executive summary, and for a full publication the
    rest of the report, made from an agreed overview version with the pseudonym map applied and
    then corrected by the board manager. Never changed: a correction makes a new version, so the
    chair's approval, bound to ``digest``, can only be of the text as it is. ``title``,
    ``summary_html`` and ``body_html`` are sanitised HTML (nh3) and anonymised."""

    class Form(models.TextChoices):
        FULL = "full", "The full overview report"
        SUMMARY = "summary", "An executive summary only"

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="publication_versions"
    )
    number = models.PositiveIntegerField()
    form = models.CharField(max_length=16, choices=Form.choices)
    overview_version = models.ForeignKey(
        "reviews.OverviewVersion", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=200)
    summary_html = models.TextField()
    body_html = models.TextField(blank=True)
    # SHA-256 of the form, title and both texts: what an approval is bound to.
    digest = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # The form submission that made it: a repeat of that submission makes nothing new.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords()
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "number"], name="one_publication_version_number"
            ),
        ]

    def __str__(self) -> str:
        return f"Publication version {self.number}"

    @staticmethod
    def digest_of(*, form: str, title: str, summary_html: str, body_html: str) -> str:
        """The SHA-256 of what the public would read, each part length-prefixed so that no
        text moved from one part to the next gives the same digest."""
        parts = (form, title, summary_html, body_html)
        joined = "".join(f"{len(part)}:{part}" for part in parts)
        return hashlib.sha256(joined.encode()).hexdigest()


class Publication(models.Model):
    """A publication version on the board's public site.

    - LISTED (``removed_at`` empty): shown at /publications/ from ``published_at``; it must
      stay listed until ``listed_until`` (12 months on).
    - REMOVED: taken off the public site, with a reason (required before ``listed_until``).
      A version is published once: a later publication of the review is a new version.
    """

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.PROTECT, related_name="publications"
    )
    version = models.OneToOneField(
        PublicationVersion, on_delete=models.PROTECT, related_name="publication"
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="publications")
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    listed_until = models.DateField()
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    removal_reason = models.TextField(blank=True)

    # The form submission that made it: a repeat of that submission makes nothing new.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords(m2m_fields=[themes])
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["-published_at", "-id"], name="publication_newest_first")]

    def __str__(self) -> str:
        return f"Publication of {self.review_id} (version {self.version.number})"

    @property
    def is_listed(self) -> bool:
        return self.removed_at is None


class HitResolution(models.Model):
    """A hit of the identifier check on a publication version that the board manager marked
    "not identifying", with the reason (a hit corrected away needs no row: the next version
    no longer has it). ``key`` names the hit without the words found (entry or worker, a digest
    of the variant, which occurrence), ``context_digest`` the text around it, so nothing here
    holds a name. A new version starts fresh, but a hit with the same key and the same
    context is carried over (``carried_from``)."""

    version = models.ForeignKey(
        PublicationVersion, on_delete=models.CASCADE, related_name="resolutions"
    )
    key = models.CharField(max_length=100)
    context_digest = models.CharField(max_length=64)
    reason = models.TextField()
    carried_from = models.ForeignKey(
        PublicationVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField()

    history = HistoricalRecords()
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["resolved_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="one_resolution_per_hit"),
        ]

    def __str__(self) -> str:
        return f"Not identifying: {self.key}"


def document_upload_path(instance, filename: str) -> str:
    """Rendered PDFs live under a random name in private storage (no MEDIA_URL serves it): the
    only way out is the permission-checked download."""
    return f"documents/{uuid.uuid4().hex}.pdf"


class RenderedDocument(models.Model):
    """A PDF of one of a review's documents, rendered by a task off the request path and kept
    for the source it renders (``source_key``): a report's version number, a published
    version's digest, or a fingerprint of a chronology's or an action plan's data, so that a
    change makes a new document and asking again for the same source returns the stored file.

    - PENDING: asked for; a task renders it once the request commits, or the sweep does if the
      task was lost. A failed try that has tries left comes back here.
    - RENDERING: one worker holds it until ``lease_until``; if that worker dies, the sweep
      takes it again once the lease has run out.
    - READY: the file is stored, with its pages, size and render time; final.
    - FAILED: every try failed (``error`` says why), or the data changed before it was
      rendered; asking for it again makes it PENDING with fresh tries.
    """

    class Kind(models.TextChoices):
        CHRONOLOGY = "chronology", "Combined chronology"
        ACTION_PLAN = "action_plan", "Action plan"
        OVERVIEW_REPORT = "overview_report", "Overview report"
        EXECUTIVE_SUMMARY = "executive_summary", "Executive summary"
        PUBLIC_REPORT = "public_report", "Published report"
        PUBLIC_SUMMARY = "public_summary", "Published summary"

    class Status(models.TextChoices):
        PENDING = "pending", "Being prepared"
        RENDERING = "rendering", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.PENDING: {Status.RENDERING},
        Status.RENDERING: {Status.READY, Status.PENDING, Status.FAILED},
        Status.READY: set(),
        Status.FAILED: {Status.PENDING},
    }

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="rendered_documents"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    # The one agency whose part the document holds (an agency lead's action plan); empty: all.
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    source_key = models.CharField(max_length=100)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to=document_upload_path, max_length=200, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    bytes = models.PositiveBigIntegerField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    # Empty when the public site asked for a published version's PDF.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField()
    rendered_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "kind", "source_key"], name="one_document_per_source"
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="document_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.review_id} ({self.status})"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_preparing(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RENDERING)

    def check_transition(self, to: str) -> None:
        """Raise ValidationError unless the document may move to ``to``."""
        if to not in self.TRANSITIONS[self.status]:
            raise ValidationError(f"A {self.status} document cannot become {to}")


class SubmissionPack(models.Model):
    """A review's submission pack recorded as sent to national bodies (which have no API): the
    public PDFs of a publication version and a metadata sheet, sent on ``sent_on`` by
    ``sent_by`` to ``bodies``. Never changed: each sending is a new row, so the list of them is
    the review's history of sendings."""

    class Body(models.TextChoices):
        NATIONAL_PANEL = "national_panel", "Child Safeguarding Practice Review Panel"
        OFSTED = "ofsted", "Ofsted"
        DFE = "dfe", "Department for Education"
        NSPCC = "nspcc", "NSPCC national case review repository"

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="submission_packs"
    )
    version = models.ForeignKey(PublicationVersion, on_delete=models.PROTECT, related_name="+")
    bodies = models.JSONField()
    sent_on = models.DateField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    # The form submission that made it: a repeat of that submission records nothing new.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords()
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["-sent_on", "-id"]

    def __str__(self) -> str:
        return f"Submission pack of {self.review_id} sent on {self.sent_on}"

    @property
    def body_labels(self) -> list[str]:
        return [self.Body(body).label for body in self.bodies]
