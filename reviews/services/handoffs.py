"""Telling the people who must act next: a notification in the app for each, and an email
through the outbox, at once or in their daily digest as they chose. Call inside the
transaction of the change, so the news goes if and only if the change is kept."""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agencies.models import User
from outbox.services import email_queue
from reviews.emails import DIGEST, HANDOFF
from reviews.handoffs import EVENTS, Delivery, Kind
from reviews.models import DeliveryPreference, Notification, Review
from reviews.selectors.handoffs import digest_choosers


def handoff_notify(
    event: str,
    *,
    review: Review,
    actor: User | None,
    people: Iterable[User],
    text: str,
    url: str,
    email: bool = True,
) -> list[Notification]:
    """Tell ``people`` (but not the actor, who knows) that ``text`` happened in ``review``;
    ``url`` is a page that stays open to them once the step is done (the review, the report,
    not the one-time decision form: "My tasks" links there while it waits). ``email=False``
    when the event has its own email (a report request). Raises KeyError for an event not in
    reviews.handoffs.EVENTS."""
    kind = EVENTS[event].kind
    recipients = {
        person.pk: person
        for person in people
        if person.is_active and (actor is None or person.pk != actor.pk)
    }
    digest = digest_choosers(kind=kind, people=list(recipients))
    notifications = []
    for person in recipients.values():
        notification = Notification.objects.create(
            recipient=person,
            event=event,
            review=review,
            text=f"{review.reference}: {text}"[:300],
            url=url,
            digest_pending=email and person.pk in digest,
        )
        if email and person.pk not in digest:
            email_queue(
                kind=HANDOFF,
                recipient=person,
                context={"notification": notification.pk},
                key=f"notification:{notification.pk}",
            )
        notifications.append(notification)
    return notifications


@transaction.atomic
def digests_queue(*, now: datetime | None = None) -> int:
    """From ``SCR_DIGEST_HOUR`` each day, queue one email to each person with news waiting for
    their digest, and mark that news carried; returns how many digests were queued. Run it
    hourly: a person's digest for a day is queued once, and later news waits for the next."""
    now = timezone.localtime(now)
    if now.hour < settings.SCR_DIGEST_HOUR:
        return 0
    today = now.date()
    waiting: dict[int, list[int]] = {}
    for pk, person in (
        Notification.objects.select_for_update()
        .filter(digest_pending=True)
        .order_by("created_at", "pk")
        .values_list("pk", "recipient_id")
    ):
        waiting.setdefault(person, []).append(pk)
    people = User.objects.in_bulk(list(waiting))
    queued = 0
    for person_id, notifications in waiting.items():
        sent = email_queue(
            kind=DIGEST,
            recipient=people[person_id],
            context={"notifications": notifications},
            key=f"digest:{today.isoformat()}",
        )
        if sent is not None:
            Notification.objects.filter(pk__in=notifications).update(digest_pending=False)
            queued += 1
    return queued


@transaction.atomic
def delivery_preferences_set(*, actor: User, choices: dict[str, str]) -> int:
    """Record how the person wants to hear of each kind of news; returns how many changed.
    Raises ValidationError for an unknown kind or delivery."""
    unknown = set(choices) - set(Kind.values)
    if unknown or not set(choices.values()) <= set(Delivery.values):
        raise ValidationError("Choose an email at once or a daily digest for each kind")
    current = {p.kind: p for p in DeliveryPreference.objects.filter(person=actor)}
    changed = 0
    for kind, delivery in choices.items():
        preference = current.get(kind) or DeliveryPreference(person=actor, kind=kind)
        if preference.pk is None and delivery == Delivery.AT_ONCE:
            continue  # no row means an email at once
        if preference.delivery == delivery:
            continue
        preference.delivery = delivery
        preference._history_user, preference._change_reason = actor, "chosen"
        preference.save()
        changed += 1
    return changed
