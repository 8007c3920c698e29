import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    """The roles of DESIGN.md §2; each is a Django group holding that role's global permissions."""

    BOARD_MANAGER = "Board manager"
    CHAIR = "Chair"
    INDEPENDENT_AUTHOR = "Independent author"
    PANEL_MEMBER = "Panel member"
    AGENCY_LEAD = "Agency lead"


class Agency(models.Model):
    """An organisation that takes part in reviews: police, a health trust, a school, …"""

    class Sector(models.TextChoices):
        HEALTH = "health", "Health"
        CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's Social Care"
        ADULT_SOCIAL_CARE = "adult_social_care", "Adult Social Care"
        EDUCATION = "education", "Education"
        POLICE = "police", "Police"
        PROBATION = "probation", "Probation"
        LEGAL = "legal", "Legal"
        HOUSING = "housing", "Housing"
        VOLUNTARY = "voluntary", "Voluntary"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=32, choices=Sector.choices)
    contact_email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)
    # The agency's leads, made on first use: reviews the agency is in scope for are granted here.
    leads_group = models.OneToOneField(
        "auth.Group",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agency",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(Lower("name"), name="agency_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    """Users sign in with their email address; there is no separate username."""

    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A person who signs in: board staff, chairs, authors, panel members and agency leads."""

    username = None
    email = models.EmailField("email address", unique=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )
    job_title = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["last_login", "password"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


def report_upload_path(instance, filename: str) -> str:
    """Store uploads under a random name; the person's file name is kept only for display."""
    return f"reports/{uuid.uuid4().hex}"


class ReportRequest(models.Model):
    """One agency's management report for one review (DESIGN.md §1, stage 4).

    - REQUESTED: the board manager asked for it; the agency lead confirms the agency's records
      are secured, builds the report and uploads it.
    - SUBMITTED: the agency lead submitted the latest version; the panel and author read it.
    - RETURNED: the panel or author returned it with comments; the lead revises and resubmits.
    - ACCEPTED: the panel or author accepted it.
    - EXCUSED: the board manager excused the agency, with a reason.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned for revision"
        ACCEPTED = "accepted", "Accepted"
        EXCUSED = "excused", "Excused"

    TRANSITIONS: dict[str, set[str]] = {
        Status.REQUESTED: {Status.SUBMITTED, Status.EXCUSED},
        Status.SUBMITTED: {Status.ACCEPTED, Status.RETURNED, Status.EXCUSED},
        Status.RETURNED: {Status.SUBMITTED, Status.EXCUSED},
        Status.ACCEPTED: set(),
        Status.EXCUSED: set(),
    }

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="report_requests"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="report_requests")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REQUESTED)
    due_on = models.DateField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    records_secured_at = models.DateTimeField(null=True, blank=True)
    records_secured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    records_secured_note = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    comments = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "agency"], name="one_report_per_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} report for {self.review_id}"

    def check_transition(self, to: str) -> None:
        """Raise ValidationError unless the report may move from its status to ``to``."""
        if to not in self.TRANSITIONS[self.status]:
            raise ValidationError(
                f"A report that is {self.get_status_display().lower()} cannot become "
                f"{self.Status(to).label.lower()}.",
                code="illegal_transition",
            )

    @property
    def records_secured(self) -> bool:
        return self.records_secured_at is not None


class ReportVersion(models.Model):
    """One uploaded version of a management report; earlier versions are kept."""

    request = models.ForeignKey(ReportRequest, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=report_upload_path, max_length=200)
    display_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Set when the agency submits this version: from then on the panel and author may read it.
    submitted_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["request", "number"], name="report_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} (version {self.number})"


class ChronologyImport(models.Model):
    """A spreadsheet of chronology entries: previewed first, imported whole, undone whole.

    - PREVIEW: uploaded and checked; nothing is saved as entries yet.
    - IMPORTED: every row was valid and became an entry.
    - UNDONE: its entries were removed again, as one step.
    """

    class Status(models.TextChoices):
        PREVIEW = "preview", "Previewed"
        IMPORTED = "imported", "Imported"
        UNDONE = "undone", "Undone"

    request = models.ForeignKey(ReportRequest, on_delete=models.CASCADE, related_name="imports")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PREVIEW)
    file = models.FileField(upload_to=report_upload_path, max_length=200)
    display_name = models.CharField(max_length=200)
    rows = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_status_display().lower()})"


class ChronologyEntry(models.Model):
    """One contact between the agency and the child or family, as the agency recorded it."""

    request = models.ForeignKey(ReportRequest, on_delete=models.CASCADE, related_name="chronology")
    occurred_on = models.DateField()
    occurred_time = models.TimeField(null=True, blank=True)
    approximate = models.BooleanField(default=False)
    what_happened = models.TextField()
    practitioner_role = models.CharField(max_length=200)
    source_reference = models.CharField(max_length=200, blank=True)
    analysis = models.TextField(blank=True)
    imported_from = models.ForeignKey(
        ChronologyImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="entries"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["occurred_on", "occurred_time", "id"]
        verbose_name_plural = "chronology entries"
        indexes = [models.Index(fields=["request", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.occurred_on}: {self.what_happened[:40]}"


class Interview(models.Model):
    """An interview with a worker involved in the case, and the check of its notes.

    ``response``: PENDING until the worker answers; AGREED (the notes stand); AMENDMENTS (the
    worker asked for changes: ``agreed_notes`` holds the version both accept, beside the
    original ``notes``); NO_RESPONSE (none by the due date).
    """

    class Response(models.TextChoices):
        PENDING = "pending", "Waiting for the worker"
        AGREED = "agreed", "Agreed as accurate"
        AMENDMENTS = "amendments", "Amendments requested"
        NO_RESPONSE = "no_response", "No response by the due date"

    request = models.ForeignKey(ReportRequest, on_delete=models.CASCADE, related_name="interviews")
    worker_role = models.CharField(max_length=200)
    worker_name = models.CharField(max_length=200)  # shown to the agency's own leads only
    held_on = models.DateField()
    interviewer = models.CharField(max_length=200)
    supporter_attended = models.BooleanField()
    notes = models.TextField()
    notes_sent_on = models.DateField(null=True, blank=True)
    response_due_on = models.DateField(null=True, blank=True)
    response = models.CharField(max_length=16, choices=Response.choices, default=Response.PENDING)
    response_on = models.DateField(null=True, blank=True)
    amendments = models.TextField(blank=True)
    agreed_notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"Interview with {self.worker_role} on {self.held_on}"
