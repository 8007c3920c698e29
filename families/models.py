"""The family's part in a review: the family members and significant others of its subject."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from agencies.models import User


class FamilyMember(models.Model):
    """A family member or significant other of the review's subject, as the board manager
    recorded them. Only the board manager, the chair and the review's current author see them.

    - Taking part (``declined`` false): the board keeps in touch with them about the review.
    - Does not wish to take part (``declined`` true, with the date it was recorded and a note):
      a full answer, and it is respected. Nothing prompts anyone to contact them again; the board
      manager may withdraw the record only if they say they now wish to take part, giving the
      reason, and history keeps both.
    """

    class Relationship(models.TextChoices):
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        STEP_PARENT = "step_parent", "Step-parent"
        SIBLING = "sibling", "Sibling"
        GRANDPARENT = "grandparent", "Grandparent"
        CARER = "carer", "Carer"
        OTHER_RELATIVE = "other_relative", "Other relative"
        SIGNIFICANT_OTHER = "significant_other", "Significant other"
        OTHER = "other", "Other"

    class Contact(models.TextChoices):
        PHONE = "phone", "Phone call"
        TEXT = "text", "Text message"
        EMAIL = "email", "Email"
        LETTER = "letter", "Letter"
        IN_PERSON = "in_person", "In person"
        SUPPORTER = "supporter", "Through their supporter or advocate"

    class ParentalResponsibility(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        NOT_KNOWN = "not_known", "Not known"

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="family_members"
    )
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=32, choices=Relationship.choices)
    relationship_other = models.CharField(max_length=200, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
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
        choices=ParentalResponsibility.choices,
        default=ParentalResponsibility.NOT_KNOWN,
    )
    declined = models.BooleanField(default=False)
    declined_on = models.DateField(null=True, blank=True)
    declined_note = models.TextField(blank=True)
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

    @property
    def relationship_label(self) -> str:
        """The relationship as shown: the description given for "Other"."""
        if self.relationship == self.Relationship.OTHER and self.relationship_other:
            return self.relationship_other
        return self.get_relationship_display()
