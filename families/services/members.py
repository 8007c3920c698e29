"""Writes of a review's family members: who they are, a choice not to take part, and the
family the referral named. Each runs in a transaction, with history saying who made it and
why."""

import unicodedata
import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from agencies.models import User
from families.models import FamilyMember
from reviews.models import Review
from reviews.selectors.referral import referral_family_not_added
from reviews.services.referral import referral_family_mark_added
from reviews.services.review import check_not_future, repeated_submission, review_lock
from scr.versions import check_unchanged

# One-line fields that go into pages, letters and emails, with the label their error names.
_ONE_LINE = {
    "name": "Name",
    "relationship_other": "Relationship",
    "phone": "Phone number",
    "language": "Language",
    "supporter_name": "Supporter's name",
    "supporter_organisation": "Supporter's organisation",
    "supporter_contact": "Supporter's contact details",
}


def printable_check(fields: dict, labels: dict[str, str] = _ONE_LINE) -> None:
    """Refuse line breaks, tabs and other control characters in one-line fields: names go into
    letters and email headers, where a line break could add a header."""
    errors = {
        field: f"{label} must not include line breaks or other control characters"
        for field, label in labels.items()
        if any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in fields.get(field, ""))
    }
    if errors:
        raise ValidationError(errors)


def _check_member(fields: dict) -> None:
    printable_check(fields)
    if not fields.get("name", "").strip():
        raise ValidationError({"name": "Enter the person's name"})
    other = fields.get("relationship") == FamilyMember.Relationship.OTHER
    if other and not fields.get("relationship_other", "").strip():
        raise ValidationError({"relationship_other": "Describe their relationship to the subject"})
    check_not_future(fields.get("date_of_birth"), field="date_of_birth", label="Date of birth")


def member_locked(member: FamilyMember) -> FamilyMember:
    """The family member's row, locked until the transaction ends, after its review's
    (``review_lock``: refused once the review is closed)."""
    review_lock(member.review_id)
    return FamilyMember.objects.select_for_update().get(pk=member.pk)


@transaction.atomic
def family_member_save(
    *,
    review: Review,
    actor: User,
    member: FamilyMember | None = None,
    submission: uuid.UUID | None = None,
    version: int | None = None,
    **fields,
) -> FamilyMember:
    """Add a family member to the review (once per submission), or change ``member`` as read at
    ``version``; raises ValidationError (code "conflict" if it changed since)."""
    review = review_lock(review)
    if member is None and (earlier := repeated_submission(FamilyMember, submission)):
        return earlier
    if member is not None:
        member = member_locked(member)
        check_unchanged(member, version, what="This family member's record")
    _check_member(fields)
    if fields.get("relationship") != FamilyMember.Relationship.OTHER:
        fields["relationship_other"] = ""
    member = member or FamilyMember(review=review, created_by=actor, submission=submission)
    for name, value in fields.items():
        setattr(member, name, value.strip() if isinstance(value, str) else value)
    member._history_user = actor
    member._change_reason = "changed" if member.pk else "added"
    member.save()
    return member


@transaction.atomic
def family_member_decline(
    *,
    member: FamilyMember,
    actor: User,
    declined_on: date | None,
    note: str = "",
    version: int | None = None,
) -> FamilyMember:
    """Record that the person does not wish to take part: a full answer, after which nothing
    prompts anyone to contact them. Raises ValidationError if it is recorded already or the
    date is in the future."""
    member = member_locked(member)
    check_unchanged(member, version, what="This family member's record")
    if member.declined:
        raise ValidationError("It is already recorded that they do not wish to take part.")
    if declined_on is None:
        raise ValidationError({"declined_on": "Enter the date they said so"})
    check_not_future(declined_on, field="declined_on", label="The date they said so")
    member.declined, member.declined_on, member.declined_note = True, declined_on, note.strip()
    member._history_user, member._change_reason = actor, "does not wish to take part"
    member.save()
    return member


@transaction.atomic
def family_member_decline_withdraw(
    *, member: FamilyMember, actor: User, reason: str, version: int | None = None
) -> FamilyMember:
    """Withdraw the record that the person does not wish to take part (they now wish to), with
    the reason; history keeps what was recorded. Raises ValidationError."""
    member = member_locked(member)
    check_unchanged(member, version, what="This family member's record")
    if not member.declined:
        raise ValidationError("It is not recorded that they do not wish to take part.")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why they now wish to take part"})
    member.declined, member.declined_on, member.declined_note = False, None, ""
    member._history_user = actor
    member._change_reason = f"wishes to take part after all: {reason.strip()}"
    member.save()
    return member


@transaction.atomic
def family_members_seed(*, review: Review, actor: User) -> list[FamilyMember]:
    """Add to the review's family records each person its referral named who is not yet in
    them, once each (sending it again adds nobody twice); returns those added."""
    review = review_lock(review)
    rows = list(referral_family_not_added(review=review))
    added = []
    for row in rows:
        member = FamilyMember(
            review=review,
            created_by=actor,
            name=row.name,
            relationship=row.relationship,
            relationship_other=row.relationship_other,
            date_of_birth=row.date_of_birth,
            parental_responsibility=row.parental_responsibility,
        )
        member._history_user, member._change_reason = actor, "added from the referral"
        member.save()
        added.append(member)
    referral_family_mark_added(rows=rows, actor=actor)
    return added
