"""The family's records of a review: who they are and how to reach them, and the board
manager's letters to them (families/letters.py). Every look is access-logged: the review door
logs the look at the family's part of the review, a page of one person logs the look at that
person's record, and a letter logs its download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from families.forms import (
    DeclineForm,
    DeclineWithdrawForm,
    FamilyMemberForm,
    MeetingHeldForm,
    MeetingOfferForm,
    NotesAnswerForm,
    NotesSentForm,
    NoticeLetterForm,
    NotShownForm,
    OutcomeToldForm,
    ShownForm,
    ToldForm,
    ViewsForm,
)
from families.letters import (
    Letter,
    check_may_write,
    invitation_letter_pdf,
    letter_filename,
    notice_letter_pdf,
)
from families.models import Contact, FamilyMember, Meeting
from families.permissions import can_manage_family, can_view_family
from families.selectors import (
    family_meeting_get,
    family_meetings_open,
    family_member_get,
    family_member_list,
    family_member_log,
    family_pause_in_force,
    family_pause_list,
    review_people,
)
from families.services.involvement import (
    family_contact_record,
    family_meeting_hold,
    family_meeting_offer,
    family_notes_answer,
    family_notes_send,
    family_views_save,
)
from families.services.members import (
    family_member_decline,
    family_member_decline_withdraw,
    family_member_save,
    family_members_seed,
)
from reviews.doors import part_door, review_door
from reviews.permissions.parallel import can_view_parallel
from reviews.selectors.referral import referral_family_not_added
from reviews.services.review import access_log_record
from scr.forms import form_page
from scr.versions import version_of

_FIELDS = [name for name in FamilyMemberForm.base_fields if name not in ("submission", "version")]


def _door(request, reference, may=can_view_family):
    """The review's family records: 404 outside the review, 403 unless ``may`` (see them, by
    default); logged as a look at the family."""
    return review_door(request, reference, may=may, kind="family")


def _member(request, review, pk) -> FamilyMember:
    """One family member of the review, the look logged: 404 if not in this review."""
    member = family_member_get(review=review, pk=pk)
    return part_door(request, member, kind="family_member", ref=f"{review.reference}/{pk}")


def _form_page(request, review, form, service, *, heading, submit, message, back, target):
    """A one-form page of the family's records; ``service`` acts on ``target``, then back."""
    return form_page(
        request,
        form,
        service,
        message=message,
        success_url=back,
        template="families/family_form.html",
        context={"review": review, "heading": heading, "submit": submit, "back": back},
        **target,
    )


@login_required
@require_GET
def family_list_view(request, reference):
    review = _door(request, reference)
    can_manage = can_manage_family(request.user, review)
    context = {
        "review": review,
        "members": family_member_list(review=review),
        "can_manage": can_manage,
        "from_referral": can_manage and referral_family_not_added(review=review).exists(),
        "pause": family_pause_in_force(review=review),
        "pauses": family_pause_list(review=review),
        "sees_parallel": can_view_parallel(request.user, review),
    }
    return render(request, "families/family_list.html", context)


@login_required
@require_POST
def family_members_seed_view(request, reference):
    """Add the people the referral named who are not yet in the family records."""
    review = _door(request, reference, may=can_manage_family)
    added = family_members_seed(review=review, actor=request.user)
    if added:
        messages.success(
            request,
            f"{len(added)} {'person' if len(added) == 1 else 'people'} added from the referral",
        )
    return redirect("families:list", review.reference)


@login_required
@require_http_methods(["GET", "POST"])
def family_member_add_view(request, reference):
    review = _door(request, reference, may=can_manage_family)
    return _form_page(
        request,
        review,
        FamilyMemberForm(request.POST or None),
        family_member_save,
        heading="Add a family member or significant other",
        submit="Save",
        message="Family member added",
        back=reverse("families:list", args=[review.reference]),
        target={"review": review},
    )


@login_required
@require_GET
def family_member_view(request, reference, pk):
    review = _door(request, reference)
    member = _member(request, review, pk)
    context = {
        "review": review,
        "member": member,
        "can_manage": can_manage_family(request.user, review),
        "pause": family_pause_in_force(review=review),
        "log": family_member_log(member=member),
        "open_meetings": family_meetings_open(member=member),
    }
    return render(request, "families/family_member_detail.html", context)


def _initial(member: FamilyMember) -> dict:
    initial = {name: getattr(member, name) for name in _FIELDS}
    initial["interpreter_needed"] = "yes" if member.interpreter_needed else "no"
    return {**initial, "version": version_of(member)}


@login_required
@require_http_methods(["GET", "POST"])
def family_member_change_view(request, reference, pk):
    review = _door(request, reference, may=can_manage_family)
    member = _member(request, review, pk)
    return _form_page(
        request,
        review,
        FamilyMemberForm(request.POST or None, initial=_initial(member)),
        family_member_save,
        heading=f"Change {member.name}'s details",
        submit="Save changes",
        message="Family member's details changed",
        back=reverse("families:member", args=[review.reference, member.pk]),
        target={"review": review, "member": member},
    )


@login_required
@require_http_methods(["GET", "POST"])
def family_member_declines_view(request, reference, pk):
    review = _door(request, reference, may=can_manage_family)
    member = _member(request, review, pk)
    initial = {"version": version_of(member)}
    if member.declined:
        form = DeclineWithdrawForm(request.POST or None, initial=initial)
        heading = f"{member.name} now wishes to take part"
        submit, message = "Withdraw the record", "They are no longer recorded as declining"
        service = family_member_decline_withdraw
    else:
        form = DeclineForm(request.POST or None, initial=initial)
        heading = f"{member.name} does not wish to take part"
        submit, message = "Record their choice", "Recorded: they do not wish to take part"
        service = family_member_decline
    return _form_page(
        request,
        review,
        form,
        service,
        heading=heading,
        submit=submit,
        message=message,
        back=reverse("families:member", args=[review.reference, member.pk]),
        target={"member": member},
    )


def _letter_response(request, member: FamilyMember, letter: Letter, data: bytes) -> HttpResponse:
    """The letter as a download (never shown inline, never cached, in a sandbox if it is
    opened), its download logged."""
    access_log_record(
        request=request,
        object_type="family_letter",
        object_ref=f"{member.review.reference}/{member.pk}/{letter.value}",
        allowed=True,
        action="download",
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letter_filename(letter, member)}"'
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def _declined(request, review, member) -> HttpResponse:
    """The page saying that nobody writes to a person who does not wish to take part (403)."""
    context = {"review": review, "member": member}
    return render(request, "families/letter_declined.html", context, status=403)


@login_required
@require_GET
def family_letter_invitation_view(request, reference, pk):
    review = _door(request, reference, may=can_manage_family)
    member = _member(request, review, pk)
    try:
        data = invitation_letter_pdf(member=member, sender=request.user)
    except ValidationError:
        return _declined(request, review, member)
    return _letter_response(request, member, Letter.INVITATION, data)


@login_required
@require_http_methods(["GET", "POST"])
def family_letter_notice_view(request, reference, pk):
    review = _door(request, reference, may=can_manage_family)
    member = _member(request, review, pk)
    try:
        check_may_write(member)
    except ValidationError:
        return _declined(request, review, member)
    form = NoticeLetterForm(request.POST or None)
    if form.is_valid():
        try:
            data = notice_letter_pdf(member=member, sender=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _letter_response(request, member, Letter.NOTICE, data)
    back = reverse("families:member", args=[review.reference, member.pk])
    context = {"review": review, "member": member, "form": form, "back": back}
    return render(request, "families/letter_notice.html", context)


# --- Involvement ---

# What each "record ..." link of a family member's page records: its form and headings.
_CONTACTS = {
    "told": (Contact.Kind.TOLD_OF_REVIEW, ToldForm, "told of the review"),
    "outcome": (Contact.Kind.TOLD_OUTCOME, OutcomeToldForm, "told the outcome and the lessons"),
    "shown": (Contact.Kind.SHOWN_REPORT, ShownForm, "shown the report before publication"),
    "not-shown": (Contact.Kind.NOT_SHOWN_REPORT, NotShownForm, "not shown the report"),
}


def _back_to(review, member) -> str:
    return reverse("families:member", args=[review.reference, member.pk])


@login_required
@require_http_methods(["GET", "POST"])
def family_contact_add_view(request, reference, pk, kind):
    review = _door(request, reference, may=can_manage_family)
    member = _member(request, review, pk)
    if kind not in _CONTACTS:
        raise Http404("No such record")
    contact_kind, form_class, what = _CONTACTS[kind]
    return _form_page(
        request,
        review,
        form_class(request.POST or None),
        family_contact_record,
        heading=f"{member.name}: {what}",
        submit="Record",
        message=f"Recorded: {what}",
        back=_back_to(review, member),
        target={"member": member, "kind": contact_kind},
    )


@login_required
@require_http_methods(["GET", "POST"])
def family_meeting_offer_view(request, reference, pk):
    review = _door(request, reference, may=can_manage_family)
    member = _member(request, review, pk)
    return _form_page(
        request,
        review,
        MeetingOfferForm(request.POST or None),
        family_meeting_offer,
        heading=f"{member.name}: a meeting offered",
        submit="Record",
        message="Meeting offered recorded",
        back=_back_to(review, member),
        target={"member": member},
    )


def _meeting(request, review, member, meeting_pk) -> Meeting:
    """One meeting of the family member, the look logged: 404 if not theirs."""
    meeting = family_meeting_get(member=member, pk=meeting_pk)
    ref = f"{review.reference}/{member.pk}/{meeting_pk}"
    return part_door(request, meeting, kind="family_meeting", ref=ref)


# Each later step of a meeting: its form, service, heading and message.
_MEETING_STEPS = {
    "held": (MeetingHeldForm, family_meeting_hold, "the meeting held", "Meeting recorded as held"),
    "notes-sent": (
        NotesSentForm,
        family_notes_send,
        "the notes sent to agree",
        "Notes recorded as sent to agree",
    ),
    "notes-answer": (
        NotesAnswerForm,
        family_notes_answer,
        "their answer on the notes",
        "Their answer on the notes recorded",
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def family_meeting_update_view(request, reference, pk, meeting_pk, step):
    review = _door(request, reference, may=can_manage_family)
    member = _member(request, review, pk)
    meeting = _meeting(request, review, member, meeting_pk)
    if step not in _MEETING_STEPS:
        raise Http404("No such step")
    form_class, service, what, message = _MEETING_STEPS[step]
    extra = {"people": review_people(review=review)} if form_class is MeetingHeldForm else {}
    form = form_class(request.POST or None, initial={"version": version_of(meeting)}, **extra)
    offered = f"{meeting.offered_on:%-d %B %Y}"
    return _form_page(
        request,
        review,
        form,
        service,
        heading=f"{member.name}: {what} (meeting offered {offered})",
        submit="Record",
        message=message,
        back=_back_to(review, member),
        target={"meeting": meeting},
    )


@login_required
@require_http_methods(["GET", "POST"])
def family_views_view(request, reference, pk):
    review = _door(request, reference, may=can_manage_family)
    member = _member(request, review, pk)
    initial = {"views": member.views, "version": version_of(member)}
    return _form_page(
        request,
        review,
        ViewsForm(request.POST or None, initial=initial),
        family_views_save,
        heading=f"{member.name}'s views for the report",
        submit="Save their views",
        message="Their views are recorded: the review's author is told",
        back=_back_to(review, member),
        target={"member": member},
    )
