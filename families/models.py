"""The family's part in a review: the family members and significant others of its subject."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from reviews.models import RelatedPerson

if TYPE_CHECKING:
    from agencies.models import User


class FamilyMember(RelatedPerson):
    """A family member or significant other of the review's subject, as the board manager
    recorded them. Only the board manager, the chair and the review's current author see them.

    - Taking part (``declined`` false): the board keeps in touch with them about the review.
    - Does not wish to take part (``declined`` true, with the date it was recorded and a note):
      a full answer, and it is respected. Nothing prompts anyone to contact them again; the board
      manager may withdraw the record only if they say they now wish to take part, giving the
      reason, and history keeps both.
    """

    class Contact(models.TextChoices):
        PHONE = "phone", "Phone call"
        TEXT = "text", "Text message"
        EMAIL = "email", "Email"
        LETTER = "letter", "Letter"
        IN_PERSON = "in_person", "In person"
        SUPPORTER = "supporter", "Through their supporter or advocate"

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="family_members"
    )
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    preferred_contact = models.CharField(max_length=16, choices=Contact.choices, blank=True)
    language = models.CharField(max_length=100, blank=True)
    interpreter_needed = models.BooleanField(default=False)
    supporter_name = models.CharField(max_length=200, blank=True)
    supporter_organisation = models.CharField(max_length=200, blank=True)
    supporter_contact = models.CharField(max_length=200, blank=True)
    parental_responsibility = models.CharField(
        max_length=16,
        choices=RelatedPerson.ParentalResponsibility.choices,
        default=RelatedPerson.ParentalResponsibility.NOT_KNOWN,
    )
    declined = models.BooleanField(default=False)
    declined_on = models.DateField(null=True, blank=True)
    declined_note = models.TextField(blank=True)
    # The family member's views for the overview report, as the board manager recorded them;
    # each change is kept in history.
    views = models.TextField(blank=True)
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
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(declined=False) | models.Q(declined_on__isnull=False),
                name="family_member_declined_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """One contact with a family member, as the board manager recorded it: told of the review,
    told the outcome and the lessons, shown the report before publication, or the reason they
    were not shown it. Entries are added, never changed."""

    class Kind(models.TextChoices):
        TOLD_OF_REVIEW = "told_of_review", "Told of the review"
        TOLD_OUTCOME = "told_outcome", "Told the outcome and the lessons"
        SHOWN_REPORT = "shown_report", "Shown the report before publication"
        NOT_SHOWN_REPORT = "not_shown_report", "Not shown the report before publication"

    class How(models.TextChoices):
        LETTER = "letter", "Letter"
        PHONE = "phone", "Phone call"
        IN_PERSON = "in_person", "In person"
        SUPPORTER = "supporter", "Through their supporter or advocate"

    member = models.ForeignKey(FamilyMember, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    # When it happened; none for the reason they were not shown the report.
    on = models.DateField(null=True, blank=True)
    how = models.CharField(max_length=16, choices=How.choices, blank=True)
    by_whom = models.CharField(max_length=200, blank=True)
    leaflet_given = models.BooleanField(null=True, blank=True)
    response = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords()
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["on", "created_at", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Meeting(models.Model):
    """A meeting with a family member, from the offer to the notes they agreed.

    - Offered (``held_on`` empty): the board manager recorded the date it was offered.
    - Held (``held_on`` set): where, who attended from the review, and their supporter.
    - Notes sent (``notes_due_on`` set): the notes went to them to agree by a date, a deadline
      on the review's clock (``deadline_key``) with reminders to the board managers and the
      author.
    - Notes agreed or amended (``notes_outcome`` set): the deadline is met; amendments are kept
      beside the outcome, and history keeps each step.
    """

    class Place(models.TextChoices):
        HOME_VISIT = "home_visit", "Home visit"
        BOARD_OFFICE = "board_office", "The board's offices"
        OTHER = "other", "Somewhere else"

    class NotesOutcome(models.TextChoices):
        AGREED = "agreed", "Agreed as written"
        AMENDED = "amended", "Agreed with amendments"

    member = models.ForeignKey(FamilyMember, on_delete=models.CASCADE, related_name="meetings")
    offered_on = models.DateField()
    held_on = models.DateField(null=True, blank=True)
    place = models.CharField(max_length=16, choices=Place.choices, blank=True)
    place_detail = models.CharField(max_length=200, blank=True)
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    supporter_attended = models.BooleanField(default=False)
    supporter_name = models.CharField(max_length=200, blank=True)
    notes_sent_on = models.DateField(null=True, blank=True)
    notes_due_on = models.DateField(null=True, blank=True)
    notes_outcome = models.CharField(max_length=16, choices=NotesOutcome.choices, blank=True)
    notes_answered_on = models.DateField(null=True, blank=True)
    amendments = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[attendees])
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["offered_on", "id"]

    def __str__(self) -> str:
        return f"Meeting offered {self.offered_on}"

    @property
    def deadline_key(self) -> str:
        """How the review's clock knows the deadline for agreeing this meeting's notes: the
        family member and the meeting."""
        return f"{self.member_id}.{self.pk}"

    @property
    def place_label(self) -> str:
        if self.place == self.Place.OTHER and self.place_detail:
            return self.place_detail
        return self.get_place_display()
