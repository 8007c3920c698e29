"""The statutory clock: every deadline is a row, reminders about it are rows, and so are the
notes that tell a person in the app what is due."""

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from agencies.models import User


# How an app above reviews links a deadline it keys (``Deadline.key``) to its own page: it
# registers a function of the deadline for its kind in its AppConfig.ready().
DEADLINE_LINKS: dict[str, Callable[["Deadline"], str]] = {}


class Deadline(models.Model):
    """A date by which something must happen in a review.

    - OPEN: not yet met; reminders go out before it, on the day and weekly once overdue.
    - MET: the thing happened (services close it when they record it).
    - MISSED: closed without being met (for example, no answer by the reply date).
    - WAIVED: the board manager waived it, with a reason.
    """

    class Kind(models.TextChoices):
        NOTIFY_NATIONAL_BODIES = "notify_national_bodies", "Notification to the national bodies"
        RAPID_REVIEW = "rapid_review", "Rapid review"
        AGENCY_REPORT = "agency_report", "Management report"
        ACCURACY_RESPONSE = "accuracy_response", "Worker's check of interview notes"
        DRAFT_COMMENTS = "draft_comments", "Comments on the draft overview report"
        REVIEW_COMPLETE = "review_complete", "Completion of the review"
        ACTION = "action", "Action"
        PUBLICATION_NOTICE = (
            "publication_notice",
            "Report to the national bodies before publication",
        )
        FAMILY_NOTES = "family_notes", "Family's agreement of the notes of a meeting"
        PRACTITIONER_COMMENTS = "practitioner_comments", "A practitioner's comments on the draft"

    class State(models.TextChoices):
        OPEN = "open", "Open"
        MET = "met", "Met"
        MISSED = "missed", "Missed"
        WAIVED = "waived", "Waived"

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    # What the deadline belongs to, beyond the review itself. An agency's comments on a draft
    # belong to its report request: its part in the review.
    report = models.ForeignKey(
        "reviews.ReportRequest", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    interview = models.ForeignKey(
        "reviews.Interview", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    action = models.ForeignKey(
        "reviews.Action", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # What the deadline belongs to in an app above reviews (a family meeting), as that app
    # names it: reviews neither reads it nor links to that app's tables.
    key = models.CharField(max_length=64, blank=True, default="")
    due_on = models.DateField()
    original_due_on = models.DateField()
    owner_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["state", "due_on"]),
            # "My tasks" pages the open deadlines by key (due_on, id): everyone's for a board
            # manager, one agency's for its lead.
            models.Index(
                fields=["due_on", "id"],
                condition=models.Q(state="open"),
                name="deadline_open_due",
            ),
            models.Index(
                fields=["owner_agency", "due_on", "id"],
                condition=models.Q(state="open"),
                name="deadline_open_agency_due",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "kind"],
                condition=models.Q(
                    report__isnull=True, interview__isnull=True, action__isnull=True, key=""
                ),
                name="one_review_deadline_per_kind",
            ),
            models.UniqueConstraint(
                fields=["review", "kind", "key"],
                condition=~models.Q(key=""),
                name="one_deadline_per_key",
            ),
            models.UniqueConstraint(fields=["kind", "report"], name="one_deadline_per_report"),
            models.UniqueConstraint(
                fields=["kind", "interview"], name="one_deadline_per_interview"
            ),
            models.UniqueConstraint(fields=["kind", "action"], name="one_deadline_per_action"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.due_on}"

    def get_absolute_url(self) -> str:
        if self.kind == self.Kind.PRACTITIONER_COMMENTS and self.key:
            # The key is the comment's id: its page is for its agency's leads and the author.
            return reverse(
                "reviews:practitioner_comment", args=[self.review.reference, int(self.key)]
            )
        if self.key and self.kind in DEADLINE_LINKS:
            return DEADLINE_LINKS[self.kind](self)
        if self.kind == self.Kind.DRAFT_COMMENTS:
            return reverse("reviews:overview", args=[self.review.reference])
        if self.action_id:
            return reverse("reviews:action", args=[self.review.reference, self.action_id])
        if self.report_id:
            return reverse("reviews:report", args=[self.review.reference, self.report_id])
        return self.review.get_absolute_url()

    @property
    def is_overdue(self) -> bool:
        return self.state == self.State.OPEN and self.due_on < timezone.localdate()


class ClockEvent(models.Model):
    """A change to a review's clock, with why: an extension, or a stop and restart."""

    class Kind(models.TextChoices):
        EXTENDED = "extended", "Extended"
        STOPPED = "stopped", "Stopped"
        RESTARTED = "restarted", "Restarted"

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="clock_events"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    days = models.PositiveIntegerField(default=0)
    reason = models.TextField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    # A stop made because a parallel process that stops the clock was recorded: the clock
    # restarts by itself when no running process stops it any more. A stop made by hand (no
    # process) waits for the board manager to restart it.
    parallel_process = models.ForeignKey(
        "reviews.ParallelProcess",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clock_events",
    )

    history = HistoricalRecords()
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} clock of {self.review_id}"


class Reminder(models.Model):
    """One reminder to one person about one deadline on one date: written once, sent once.
    A board manager's daily summary of every overdue deadline (kind SUMMARY) is a reminder of
    no one deadline, once a day: managers are not sent one reminder per overdue deadline.

    - PENDING: written by the sweep; a task will send it.
    - SENT: the email went; ``sent_at`` says when.
    - FAILED: every try failed; ``error`` says why.
    """

    class Kind(models.TextChoices):
        BEFORE = "before", "Coming up"
        DUE = "due", "Due today"
        OVERDUE = "overdue", "Overdue"
        SUMMARY = "summary", "Overdue deadlines summary"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    send_on = models.DateField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["send_on", "id"]
        indexes = [models.Index(fields=["status", "send_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "kind", "send_on", "recipient"], name="reminder_once"
            ),
            models.UniqueConstraint(
                fields=["kind", "send_on", "recipient"],
                condition=models.Q(deadline__isnull=True),
                name="summary_once_a_day",
            ),
            models.CheckConstraint(
                condition=models.Q(deadline__isnull=True, kind="summary")
                | models.Q(deadline__isnull=False, kind__in=["before", "due", "overdue"]),
                name="summary_has_no_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder for {self.recipient_id} on {self.send_on}"


class Notification(models.Model):
    """A note in the app for one person; the header counts the unread ones."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # The handoff it reports (reviews.handoffs.EVENTS), or "reminder".
    event = models.CharField(max_length=40, default="reminder")
    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # True until the daily digest has carried it, for a person who chose a digest for its kind.
    digest_pending = models.BooleanField(default=False)
    reminder = models.OneToOneField(
        Reminder, on_delete=models.SET_NULL, null=True, blank=True, related_name="notification"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            # The notifications page, newest first by key (scr/keyset.py).
            models.Index(
                "recipient",
                models.F("created_at").desc(),
                models.F("id").desc(),
                name="notification_newest",
            ),
            models.Index(
                fields=["recipient"],
                condition=models.Q(digest_pending=True),
                name="notification_digest_due",
            ),
        ]

    def __str__(self) -> str:
        return self.text
