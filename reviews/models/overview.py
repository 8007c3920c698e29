"""Stage 5, the overview report: the author's drafts, their circulation to the agencies for
comments on fairness and accuracy, and the recommendations that become the action plan."""

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from agencies.models import User


def draft_upload_path(instance, filename: str) -> str:
    """Store drafts under a random name; the author's file name is kept only for display."""
    return f"overview/{uuid.uuid4().hex}"


class OverviewDraft(models.Model):
    """One version of the overview report, as the author uploaded it. Never changed."""

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="overview_drafts"
    )
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=draft_upload_path, max_length=200)
    display_name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    note = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="one_draft_per_number"),
        ]

    def __str__(self) -> str:
        return f"Draft {self.number} of {self.review_id}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:overview_download", args=[self.review.reference, self.number])


class CommentRound(models.Model):
    """A draft sent to the agencies in scope for comments by a date.

    - OPEN (``closed_at`` empty): the agencies' leads and the panel may comment; each agency
      that has not yet commented has a deadline.
    - CLOSED: the author or board manager closed it; later comments wait for the next round.
    """

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="comment_rounds"
    )
    draft = models.ForeignKey(OverviewDraft, on_delete=models.PROTECT, related_name="rounds")
    due_on = models.DateField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review"],
                condition=models.Q(closed_at__isnull=True),
                name="one_open_comment_round_per_review",
            ),
        ]

    def __str__(self) -> str:
        return f"Comments on draft {self.draft.number} of {self.review_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class DraftComment(models.Model):
    """A comment on a circulated draft, by an agency's lead (for the agency) or by a panel
    member, the chair or the board manager (``agency`` empty)."""

    round = models.ForeignKey(CommentRound, on_delete=models.CASCADE, related_name="comments")
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # The form submission that made it: a repeat of that submission makes nothing new.
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords()
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Comment by {self.author_id} on round {self.round_id}"


class Recommendation(models.Model):
    """A numbered recommendation of the overview report; the action plan answers each one.

    - KEPT (``removed_at`` empty): part of the report; its text may be corrected until the
      report is agreed.
    - REMOVED: taken out of the report before it was agreed, with a reason. The row stays, so
      its number is never given to another recommendation (comments that cite "recommendation
      3" stay true); the panel sees it as removed, agency leads do not see it, and it never
      becomes an action.
    """

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="recommendations"
    )
    number = models.PositiveIntegerField()
    text = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    removed_reason = models.TextField(blank=True)

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
                fields=["review", "number"], name="one_recommendation_per_number"
            ),
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.number}"

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


class OverviewVersion(models.Model):
    """One version of the overview report's text, section by section, as the author wrote it in
    the service or imported it from a Word document (then ``draft`` is the uploaded draft it
    came from). A version is never changed: a correction is a new version, so any two can be
    compared and the agreed one stays as it was agreed."""

    class Source(models.TextChoices):
        WRITTEN = "written", "Written in the service"
        IMPORTED = "imported", "Imported from a Word document"

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="report_versions"
    )
    number = models.PositiveIntegerField()
    source = models.CharField(max_length=16, choices=Source.choices)
    draft = models.ForeignKey(
        OverviewDraft, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
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
                fields=["review", "number"], name="one_overview_version_number"
            ),
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"


class OverviewSection(models.Model):
    """One section of a report version, as HTML already sanitised (nh3) to the tags a report
    needs, so it may be rendered as it is on a page or in a PDF. ``Key`` is the report's order,
    as Working Together and the boards' leaflets describe an overview report."""

    class Key(models.TextChoices):
        EXECUTIVE_SUMMARY = "executive_summary", "Executive summary"
        HOW_RUN = "how_run", "How the review was run"
        CASE_SUMMARY = "case_summary", "The case in summary"
        AGENCY_ANALYSIS = "agency_analysis", "Analysis of each agency's involvement"
        FAMILY_VIEWS = "family_views", "The family's views"
        GOOD_PRACTICE = "good_practice", "Good practice"
        LESSONS = "lessons", "Lessons"
        RECOMMENDATIONS = "recommendations", "Recommendations"

    version = models.ForeignKey(OverviewVersion, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=32, choices=Key.choices)
    html = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="one_overview_section_per_key"),
        ]

    def __str__(self) -> str:
        return self.get_key_display()


class OverviewAgreement(models.Model):
    """The panel's agreement of the overview report: which draft, at which panel meeting, and
    (for a draft never sent to the agencies for comments) why it was agreed unseen by them.
    Made once when the report is agreed and never changed; a report reopened and agreed again
    gets a new one (the latest is the one that holds)."""

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="overview_agreements"
    )
    draft = models.ForeignKey(OverviewDraft, on_delete=models.PROTECT, related_name="+")
    # The report's text as agreed: what the publication version is made from.
    version = models.ForeignKey(
        OverviewVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    meeting_on = models.DateField()
    # The panel's recorded meeting of that date, if the board manager has recorded it.
    meeting = models.ForeignKey(
        "reviews.PanelMeeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    meeting_note = models.TextField(blank=True)
    uncirculated_reason = models.TextField(blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agreed_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["-agreed_at", "-id"]

    def __str__(self) -> str:
        return f"Agreement of draft {self.draft.number} of {self.review_id}"
