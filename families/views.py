"""The family's records of a review: who they are and how to reach them. Every look is
access-logged: the review door logs the look at the family's part of the review, and a page of
one person logs the look at that person's record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from families.forms import DeclineForm, DeclineWithdrawForm, FamilyMemberForm
from families.models import FamilyMember
from families.permissions import can_manage_family, can_view_family
from families.selectors import family_member_get, family_member_list
from families.services import (
    family_member_decline,
    family_member_decline_withdraw,
    family_member_save,
    family_members_seed,
)
from reviews.doors import review_door
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
    can_manage = can_manage_family(request.user, review)
    context = {
        "review": review,
        "members": family_member_list(review=review),
        "can_manage": can_manage,
        "from_referral": can_manage and referral_family_not_added(review=review).exists(),
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
