"""The family's records of a review: who they are and how to reach them, and the board
manager's letters to them (families/letters.py). Every look is access-logged: the review door
logs the look at the family's part of the review, a page of one person logs the look at that
person's record, and a letter logs its download."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from families.forms import DeclineForm, DeclineWithdrawForm, FamilyMemberForm, NoticeLetterForm
from families.letters import (
    Letter,
    check_may_write,
    invitation_letter_pdf,
    letter_filename,
    notice_letter_pdf,
)
from families.models import FamilyMember
from families.permissions import can_manage_family, can_view_family
from families.selectors import family_member_get, family_member_list
from families.services import (
    family_member_decline,
    family_member_decline_withdraw,
    family_member_save,
)
from reviews.doors import review_door
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
    access_log_record(
        request=request,
        object_type="family_member",
        object_ref=f"{review.reference}/{pk}",
        allowed=member is not None,
    )
    if member is None:
        raise Http404("No such family member")
    return member


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
    context = {
        "review": review,
        "members": family_member_list(review=review),
        "can_manage": can_manage_family(request.user, review),
    }
    return render(request, "families/family_list.html", context)


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
    context = {
        "review": review,
        "member": _member(request, review, pk),
        "can_manage": can_manage_family(request.user, review),
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
