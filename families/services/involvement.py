"""Writes of the family's involvement: contact with each family member, meetings and the notes
agreed, and their views; nothing that contacts them while a parallel process pauses contact
(reviews/services/parallel.py). Each runs in a transaction, with history saying who made it and
why."""

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from agencies.models import User
from families.models import Contact, FamilyMember, Meeting
from families.selectors import family_pause_in_force, review_people
from families.services.members import member_locked, printable_check
from reviews.models import Deadline
from reviews.selectors.handoffs import review_author
from reviews.services.clock import deadline_close, deadline_open
from reviews.services.handoffs import handoff_notify
from reviews.services.review import (
    check_not_before,
    check_not_future,
    repeated_submission,
    review_lock,
)
from scr.versions import check_unchanged


def _save(record, actor: User, reason: str):
    record._history_user, record._change_reason = actor, reason
    record.save()
    return record


def _check_may_record(member: FamilyMember, *, contact: bool = True) -> None:
    """Refuse anything more about a person who does not wish to take part, and, while a
    running parallel process pauses contact with the family, anything that contacts them."""
    if member.declined:
        raise ValidationError(
            f"{member.name} does not wish to take part: do not contact them, and nothing more "
            "is recorded about contact with them."
        )
    pause = family_pause_in_force(review=member.review) if contact else None
    if pause is not None:
        raise ValidationError(
            f"Contact with the family is paused while {pause}: nothing that contacts them "
            "can be recorded until it ends, or no longer pauses contact."
        )


# What each kind of contact needs beyond its date: (field, message when missing).
_CONTACT_NEEDS = {
    Contact.Kind.TOLD_OF_REVIEW: [
        ("how", "Select how they were told"),
        ("by_whom", "Enter who told them"),
    ],
    Contact.Kind.TOLD_OUTCOME: [("how", "Select how they were told")],
    Contact.Kind.SHOWN_REPORT: [("by_whom", "Enter who showed them the report")],
    Contact.Kind.NOT_SHOWN_REPORT: [("reason", "Enter why they were not shown the report")],
}


_HOW_KINDS = (Contact.Kind.TOLD_OF_REVIEW, Contact.Kind.TOLD_OUTCOME)


def _check_contact(kind: str, on: date | None, fields: dict) -> None:
    if kind not in _CONTACT_NEEDS:
        raise ValidationError("Choose what to record")
    errors = {
        field: message
        for field, message in _CONTACT_NEEDS[Contact.Kind(kind)]
        if not str(fields.get(field) or "").strip()
    }
    if kind == Contact.Kind.TOLD_OF_REVIEW and fields.get("leaflet_given") is None:
        errors["leaflet_given"] = "Select whether they were given the board's leaflet"
    if kind != Contact.Kind.NOT_SHOWN_REPORT and on is None:
        errors["on"] = "Enter the date"
    if errors:
        raise ValidationError(errors)
    check_not_future(on, field="on", label="The date")
    printable_check(fields, {"by_whom": "Who told or showed them"})


@transaction.atomic
def family_contact_record(
    *,
    member: FamilyMember,
    actor: User,
    kind: str,
    on: date | None = None,
    submission: uuid.UUID | None = None,
    **fields,
) -> Contact:
    """Record a contact with the family member (once per submission): told of the review, told
    the outcome, shown the report, or why they were not shown it. Raises ValidationError: for
    someone who declined, while contact is paused (except the reason they were not shown the
    report), for a date in the future or a detail missing."""
    review_lock(member.review)
    if earlier := repeated_submission(Contact, submission):
        return earlier
    member = member_locked(member)
    _check_may_record(member, contact=kind != Contact.Kind.NOT_SHOWN_REPORT)
    _check_contact(kind, on, fields)
    contact = Contact(
        member=member,
        kind=kind,
        on=None if kind == Contact.Kind.NOT_SHOWN_REPORT else on,
        created_by=actor,
        submission=submission,
    )
    contact.how = (fields.get("how") or "") if kind in _HOW_KINDS else ""
    contact.by_whom = (fields.get("by_whom") or "").strip()
    contact.response = (fields.get("response") or "").strip()
    contact.reason = (fields.get("reason") or "").strip()
    if kind == Contact.Kind.TOLD_OF_REVIEW:
        contact.leaflet_given = fields["leaflet_given"]
    return _save(contact, actor, contact.get_kind_display().lower())


@transaction.atomic
def family_meeting_offer(
    *,
    member: FamilyMember,
    actor: User,
    offered_on: date,
    submission: uuid.UUID | None = None,
) -> Meeting:
    """Record that a meeting was offered to the family member (once per submission). Raises
    ValidationError for someone who declined, while contact is paused, or a future date."""
    review_lock(member.review)
    if earlier := repeated_submission(Meeting, submission):
        return earlier
    member = member_locked(member)
    _check_may_record(member)
    check_not_future(offered_on, field="offered_on", label="Date offered")
    meeting = Meeting(member=member, offered_on=offered_on, created_by=actor, submission=submission)
    return _save(meeting, actor, "meeting offered")


def _meeting_locked(meeting: Meeting, version: int | None) -> Meeting:
    review_lock(meeting.member.review)
    meeting = Meeting.objects.select_for_update().select_related("member").get(pk=meeting.pk)
    check_unchanged(meeting, version, what="This meeting's record")
    return meeting


@transaction.atomic
def family_meeting_hold(
    *,
    meeting: Meeting,
    actor: User,
    held_on: date,
    place: str,
    place_detail: str = "",
    attendees: list[User] | None = None,
    supporter_attended: bool = False,
    supporter_name: str = "",
    version: int | None = None,
) -> Meeting:
    """Record that an offered meeting was held: when, where, who attended from the review
    (its author, chairs and panel members only) and whether their supporter came. Raises
    ValidationError."""
    meeting = _meeting_locked(meeting, version)
    _check_may_record(meeting.member)
    if meeting.held_on:
        raise ValidationError("This meeting is already recorded as held")
    check_not_future(held_on, field="held_on", label="Date of the meeting")
    check_not_before(
        held_on,
        meeting.offered_on,
        field="held_on",
        message="Date of the meeting must be on or after the date it was offered",
    )
    if place == Meeting.Place.OTHER and not place_detail.strip():
        raise ValidationError({"place_detail": "Enter where the meeting was held"})
    if supporter_attended and not supporter_name.strip():
        raise ValidationError({"supporter_name": "Enter the name of the supporter who attended"})
    printable_check(
        {"supporter_name": supporter_name, "place_detail": place_detail},
        {"supporter_name": "Supporter's name", "place_detail": "Place"},
    )
    allowed = set(review_people(review=meeting.member.review).values_list("pk", flat=True))
    if any(person.pk not in allowed for person in attendees or []):
        raise ValidationError({"attendees": "Choose people of the review"})
    meeting.held_on, meeting.place = held_on, place
    meeting.place_detail = place_detail.strip() if place == Meeting.Place.OTHER else ""
    meeting.supporter_attended = supporter_attended
    meeting.supporter_name = supporter_name.strip() if supporter_attended else ""
    _save(meeting, actor, "meeting held")
    meeting.attendees.set(attendees or [])
    return meeting


@transaction.atomic
def family_notes_send(
    *,
    meeting: Meeting,
    actor: User,
    sent_on: date,
    due_on: date,
    version: int | None = None,
) -> Meeting:
    """Record that the notes of a held meeting went to the family member to agree by
    ``due_on``: a deadline on the review's clock (nothing is sent to the family by the
    service). Raises ValidationError."""
    meeting = _meeting_locked(meeting, version)
    _check_may_record(meeting.member)
    if meeting.held_on is None:
        raise ValidationError("Record that the meeting was held first")
    if meeting.notes_sent_on:
        raise ValidationError("The notes of this meeting are already recorded as sent")
    check_not_future(sent_on, field="sent_on", label="Date the notes were sent")
    check_not_before(
        sent_on,
        meeting.held_on,
        field="sent_on",
        message="Date the notes were sent must be on or after the meeting",
    )
    check_not_before(
        due_on, sent_on, field="due_on", message="Date to agree by must be after the date sent"
    )
    meeting.notes_sent_on, meeting.notes_due_on = sent_on, due_on
    _save(meeting, actor, "notes sent to agree")
    deadline_open(
        review=meeting.member.review,
        kind=Deadline.Kind.FAMILY_NOTES,
        due_on=due_on,
        actor=actor,
        key=meeting.deadline_key,
    )
    return meeting


@transaction.atomic
def family_notes_answer(
    *,
    meeting: Meeting,
    actor: User,
    outcome: str,
    answered_on: date,
    amendments: str = "",
    version: int | None = None,
) -> Meeting:
    """Record that the family member agreed the notes, or agreed them with amendments (what
    was amended is kept); closes the deadline as met. Raises ValidationError."""
    meeting = _meeting_locked(meeting, version)
    _check_may_record(meeting.member, contact=False)
    if meeting.notes_sent_on is None:
        raise ValidationError("Record that the notes were sent first")
    if meeting.notes_outcome:
        raise ValidationError("Their answer on the notes is already recorded")
    if outcome not in Meeting.NotesOutcome.values:
        raise ValidationError({"outcome": "Select whether they agreed the notes"})
    if outcome == Meeting.NotesOutcome.AMENDED and not amendments.strip():
        raise ValidationError({"amendments": "Enter what was amended"})
    check_not_future(answered_on, field="answered_on", label="Date of their answer")
    check_not_before(
        answered_on,
        meeting.notes_sent_on,
        field="answered_on",
        message="Date of their answer must be on or after the notes were sent",
    )
    meeting.notes_outcome, meeting.notes_answered_on = outcome, answered_on
    meeting.amendments = amendments.strip() if outcome == Meeting.NotesOutcome.AMENDED else ""
    _save(meeting, actor, f"notes {meeting.get_notes_outcome_display().lower()}")
    deadline_close(
        review=meeting.member.review,
        kind=Deadline.Kind.FAMILY_NOTES,
        actor=actor,
        key=meeting.deadline_key,
    )
    return meeting


@transaction.atomic
def family_views_save(
    *, member: FamilyMember, actor: User, views: str, version: int | None = None
) -> FamilyMember:
    """Record (or change) the family member's views for the report; history keeps each
    version, and the review's author is told. Raises ValidationError."""
    review = review_lock(member.review)
    member = member_locked(member)
    check_unchanged(member, version, what="This family member's record")
    _check_may_record(member, contact=False)
    if not views.strip():
        raise ValidationError({"views": "Enter their views"})
    member.views = views.strip()
    _save(member, actor, "views recorded")
    handoff_notify(
        "family_views_recorded",
        review=review,
        actor=actor,
        people=review_author(review=review),
        text="the family's views for the report were recorded",
        url=reverse("families:member", args=[review.reference, member.pk]),
    )
    return member
