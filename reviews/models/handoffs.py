"""How each person wants to hear of each kind of handoff."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from reviews.handoffs import Delivery, Kind

if TYPE_CHECKING:
    from agencies.models import User


class DeliveryPreference(models.Model):
    """A person's choice for one kind of news; with no row, an email at once."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delivery_preferences"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    delivery = models.CharField(max_length=16, choices=Delivery.choices)

    history = HistoricalRecords()
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="one_delivery_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_delivery_display()}"
