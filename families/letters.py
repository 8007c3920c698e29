"""Letters from the board manager to a family member, as PDF (scr.pdf): an invitation to take
part in the review, and a notice before the report is published. Plain English, from the
templates in templates/families/pdf/.

A letter is one or two A4 pages and renders in about a quarter of a second (measured here: 0.2 to
0.5 s, the first after start-up the slowest), so the page renders it while the person waits,
rather than in a task.

What a letter calls the subject of the review: a relative or carer knows the child by name, and
a letter about "Child A" would be unkind and unclear to a bereaved parent, so a letter to one of
them names the subject as the board recorded them (their real name, which only the board
manager and the chair may see, and only the board manager writes letters). A letter to anyone
else (a significant other, "Other") uses the review's pseudonymous reference, since the board
cannot be sure what they know or how they stand with the family. No letter names the subject
where the board has not recorded their identity.

The notice's details (the planned date and what will be published) are the board manager's to
enter on the letter's page: families cannot read the publication plan (publication and families
are independent apps), and a letter that says what the board manager confirms as they send it
is also the honest one when the plan is still being agreed.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from agencies.models import User
from families.models import FamilyMember
from reviews.permissions.review import can_view_subject_identity
from scr.pdf import render_pdf

_RELATIVES = {
    FamilyMember.Relationship.MOTHER,
    FamilyMember.Relationship.FATHER,
    FamilyMember.Relationship.STEP_PARENT,
    FamilyMember.Relationship.SIBLING,
    FamilyMember.Relationship.GRANDPARENT,
    FamilyMember.Relationship.CARER,
    FamilyMember.Relationship.OTHER_RELATIVE,
}


class Letter(models.TextChoices):
    INVITATION = "invitation", "Invitation to take part in the review"
    NOTICE = "notice", "Notice before the report is published"


class PublishedAs(models.TextChoices):
    FULL = "full", "The full report"
    SUMMARY = "summary", "A summary of the report"


def _subject(member: FamilyMember, sender: User) -> tuple[str, bool]:
    """How the letter calls the subject, and whether that is their real name (see above)."""
    review = member.review
    identity = getattr(review, "subject_identity", None)
    if (
        member.relationship in _RELATIVES
        and identity is not None
        and can_view_subject_identity(sender, review)
    ):
        return identity.full_name, True
    return review.subject_reference, False


def _context(member: FamilyMember, sender: User, title: str) -> dict:
    subject, named = _subject(member, sender)
    return {
        "title": title,
        "member": member,
        "review": member.review,
        "review_kind": member.review.type_profile.label.lower(),
        "subject": subject,
        "subject_named": named,
        "sender": sender,
        "today": timezone.localdate(),
    }


def check_may_write(member: FamilyMember) -> None:
    """Raise ValidationError if the person said they do not wish to take part: that choice is
    respected, and nobody writes to them about the review (not even before publication)."""
    if member.declined:
        raise ValidationError("They do not wish to take part: do not write to them.")


def invitation_letter_pdf(*, member: FamilyMember, sender: User) -> bytes:
    """The letter inviting the person to take part in the review; raises ValidationError if
    they do not wish to take part (``check_may_write``)."""
    check_may_write(member)
    context = _context(member, sender, Letter.INVITATION.label)
    return render_pdf("families/pdf/letter_invitation.html", context)


def notice_letter_pdf(
    *, member: FamilyMember, sender: User, planned_on: date, published_as: str
) -> bytes:
    """The letter telling the person that the report will be published, when and in what
    form, and that they may see it first; raises ValidationError if the date has passed or
    they do not wish to take part (``check_may_write``)."""
    check_may_write(member)
    if planned_on < timezone.localdate():
        message = "The planned date of publication must be today or later"
        raise ValidationError({"planned_on": message})
    context = {
        **_context(member, sender, Letter.NOTICE.label),
        "planned_on": planned_on,
        "full_report": published_as == PublishedAs.FULL,
    }
    return render_pdf("families/pdf/letter_notice.html", context)


def letter_filename(letter: Letter, member: FamilyMember) -> str:
    """A file name with no one's name in it (it shows in download folders and email
    attachments): the review's reference, the letter and the record's number."""
    return f"{member.review.reference}-{letter.value}-letter-{member.pk}.pdf"
