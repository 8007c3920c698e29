"""What the board learned across its reviews: lessons tagged by theme, kept for its library."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from agencies.models import User


class Lesson(models.Model):
    """A lesson of a review, or one of its recommendations, as the board keeps it for its
    lessons library: tagged by theme (the board's list, shared with the public site) and by the
    agencies it concerns. A lesson from a recommendation names it (``recommendation``); the
    library shows unpublished lessons only to those allowed to see the review."""

    class Kind(models.TextChoices):
        LESSON = "lesson", "Lesson"
        RECOMMENDATION = "recommendation", "Recommendation"

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="lessons")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.LESSON)
    recommendation = models.OneToOneField(
        "reviews.Recommendation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="lesson",
    )
    title = models.CharField(max_length=200)
    text = models.TextField()
    themes = models.ManyToManyField("publication.Theme", blank=True, related_name="lessons")
    agencies = models.ManyToManyField("agencies.Agency", blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[themes, agencies])
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["review", "id"]

    def __str__(self) -> str:
        return self.title
