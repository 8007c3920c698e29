"""Reads of a review's family records."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse

from agencies.models import User
from agencies.permissions import permitted
from families.models import Contact, FamilyMember, Meeting
from families.permissions import can_view_family
from reviews.identifiers import Identifier, one_line
from reviews.models import Deadline, ParallelProcess, Review
from reviews.selectors.handoffs import chairs, review_author, review_panel_members
from reviews.selectors.parallel import Hold, parallel_hold
from reviews.selectors.progress import ProgressStep
from reviews.selectors.progress import Status as ProgressStatus


def family_member_list(*, review: Review) -> QuerySet[FamilyMember]:
    """The review's family members and significant others, by name."""
    return FamilyMember.objects.filter(review=review).order_by("name", "id")


def family_member_get(*, review: Review, pk: int) -> FamilyMember | None:
    """One family member of the review; None if there is none with that id in it."""
    return FamilyMember.objects.filter(review=review, pk=pk).first()


def family_meeting_get(*, member: FamilyMember, pk: int) -> Meeting | None:
    """One meeting with the family member; None if there is none with that id for them."""
    return Meeting.objects.filter(member=member, pk=pk).first()


def family_pause_in_force(*, review: Review) -> Hold | None:
    """What pauses contact with the review's family now: the running parallel processes that
    pause it (recorded on the review's parallel processes page), since when; None if none."""
    return parallel_hold(review=review, effect="pauses_family_contact")


def family_pause_list(*, review: Review) -> QuerySet[ParallelProcess]:
    """Every parallel process of the review that pauses (or paused) contact with the family,
    running or ended, oldest first."""
    return ParallelProcess.objects.filter(review=review, pauses_family_contact=True).order_by(
        "started_on", "id"
    )


@dataclass(frozen=True)
class LogEntry:
    """One line of a family member's involvement log: what happened and on which day."""

    on: date | None
    title: str
    contact: Contact | None = None
    meeting: Meeting | None = None
    step: str = ""  # of a meeting: offered, held, notes_sent, notes_answered


def _meeting_entries(meeting: Meeting) -> list[LogEntry]:
    entries = [LogEntry(meeting.offered_on, "Meeting offered", meeting=meeting, step="offered")]
    if meeting.held_on:
        entries.append(LogEntry(meeting.held_on, "Meeting held", meeting=meeting, step="held"))
    if meeting.notes_sent_on:
        entries.append(
            LogEntry(
                meeting.notes_sent_on,
                "Notes of the meeting sent to agree",
                meeting=meeting,
                step="notes_sent",
            )
        )
    if meeting.notes_outcome:
        title = f"Notes of the meeting {meeting.get_notes_outcome_display().lower()}"
        entries.append(
            LogEntry(meeting.notes_answered_on, title, meeting=meeting, step="notes_answered")
        )
    return entries


def family_member_log(*, member: FamilyMember) -> list[LogEntry]:
    """The family member's involvement, newest first: contacts and each meeting's steps, in
    two queries whatever their number."""
    meetings = Meeting.objects.filter(member=member).prefetch_related(
        Prefetch("attendees", queryset=User.objects.order_by("first_name", "last_name", "id"))
    )
    entries = [entry for meeting in meetings for entry in _meeting_entries(meeting)]
    entries += [
        LogEntry(contact.on, contact.get_kind_display(), contact=contact)
        for contact in Contact.objects.filter(member=member)
    ]
    return sorted(entries, key=lambda entry: entry.on or date.min, reverse=True)


def family_meetings_open(*, member: FamilyMember) -> QuerySet[Meeting]:
    """The family member's meetings whose next step is still to be recorded (held, notes
    sent, notes answered)."""
    return Meeting.objects.filter(member=member).filter(
        Q(held_on__isnull=True) | Q(notes_sent_on__isnull=True) | Q(notes_outcome="")
    )


def review_people(*, review: Review) -> QuerySet[User]:
    """Who may be recorded as attending a family meeting from the review: its author, the
    chairs and its panel members."""
    people = (
        Q(pk__in=review_author(review=review).values("pk"))
        | Q(pk__in=chairs().values("pk"))
        | Q(pk__in=review_panel_members(review=review).values("pk"))
    )
    return (
        User.objects.filter(people)
        .select_related("agency")
        .order_by("first_name", "last_name", "id")
    )


def _shown() -> Exists:
    kinds = [Contact.Kind.SHOWN_REPORT, Contact.Kind.NOT_SHOWN_REPORT]
    return Exists(Contact.objects.filter(member=OuterRef("pk"), kind__in=kinds))


def family_not_shown_report(*, review: Review) -> list[str]:
    """The names of the family members taking part who have not been shown the report before
    publication, with no reason recorded why not (those who declined are not waited on)."""
    members = family_member_list(review=review).filter(declined=False)
    return list(members.exclude(_shown()).values_list("name", flat=True))


@dataclass(frozen=True)
class FamilySummary:
    people: int
    declined: int
    meetings_held: int
    notes_waiting: int
    views: int
    shown: int


def family_summary(*, review: Review, allowed: bool = True) -> FamilySummary:
    """How far the family's involvement has gone, in two queries whatever its size: people
    (and of them declined), meetings held, notes waiting for agreement and views recorded
    (people taking part only), and those shown the report or with a reason why not (all
    nought unless ``allowed``: see agencies.permissions.permitted)."""
    taking_part = Q(declined=False)
    members = (
        permitted(FamilyMember.objects.filter(review=review), allowed=allowed)
        .annotate(is_shown=_shown())
        .aggregate(
            n_people=Count("id"),
            n_declined=Count("id", filter=Q(declined=True)),
            n_views=Count("id", filter=taking_part & ~Q(views="")),
            n_shown=Count("id", filter=taking_part & Q(is_shown=True)),
        )
    )
    meetings = permitted(
        Meeting.objects.filter(member__review=review, member__declined=False), allowed=allowed
    ).aggregate(
        held=Count("id", filter=Q(held_on__isnull=False)),
        waiting=Count("id", filter=Q(notes_sent_on__isnull=False, notes_outcome="")),
    )
    return FamilySummary(
        people=members["n_people"],
        declined=members["n_declined"],
        meetings_held=meetings["held"],
        notes_waiting=meetings["waiting"],
        views=members["n_views"],
        shown=members["n_shown"],
    )


# --- What the family's records tell the rest of the review (registered in apps.py) ---


def not_shown_report(review: Review) -> list[str]:
    """The publication plan's check: each family member taking part has been shown the report,
    or the reason they were not is recorded."""
    names = family_not_shown_report(review=review)
    if not names:
        return []
    return [
        f"Record that {', '.join(names)} {'was' if len(names) == 1 else 'were'} shown the "
        "report before publication, or why not (on the family's records)."
    ]


def _summary_hint(summary: FamilySummary) -> str:
    parts = [f"{summary.people} {'person' if summary.people == 1 else 'people'}"]
    if summary.declined:
        parts.append(f"{summary.declined} not taking part")
    held = summary.meetings_held
    parts.append(f"{held} meeting{'' if held == 1 else 's'} held")
    if summary.notes_waiting:
        parts.append(f"{summary.notes_waiting} waiting to agree notes")
    parts.append("views recorded" if summary.views else "no views recorded yet")
    return ", ".join(parts)


def family_steps(review: Review, user: User) -> list[ProgressStep]:
    """The family's line on the review's task list, for those who may see its records: how
    far their involvement has gone, in two queries."""
    allowed = can_view_family(user, review)
    summary = family_summary(review=review, allowed=allowed)
    if not allowed:
        return []
    taking_part = summary.people - summary.declined
    if not summary.people:
        status = ProgressStatus.NOT_STARTED
    elif summary.shown == taking_part:
        status = ProgressStatus.COMPLETED
    else:
        status = ProgressStatus.IN_PROGRESS
    hint = _summary_hint(summary) if summary.people else "No family members recorded yet"
    url = reverse("families:list", args=[review.reference])
    return [ProgressStep("family", "The family's involvement", status, hint, url)]


def notes_deadline_link(deadline: Deadline) -> str:
    """The page of the family member whose meeting notes the deadline waits on."""
    member_pk = deadline.key.split(".")[0]
    return reverse("families:member", args=[deadline.review.reference, member_pk])


def family_identifiers(review: Review) -> list[Identifier]:
    """The family's names and addresses, for the review's pseudonym map (a source registered
    with reviews.identifiers): each named by their relationship, their address as their home."""
    found = []
    for member in family_member_list(review=review):
        label = member.relationship_label
        found.append(Identifier(member.name, label, "person", "family"))
        if member.address.strip():
            found.append(Identifier(one_line(member.address), f"{label}'s home", "place", "family"))
    return found
