"""Stages 1 and 2: recording a referral, the notification, the rapid review and the decision."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from reviews.doors import referral_draft_door, review_door
from reviews.forms.referral import (
    FAMILY,
    FAMILY_TITLE,
    FIELD_PART,
    PART_OF,
    PARTS,
    DecisionForm,
    FamilyPersonForm,
    NotificationForm,
    RapidReviewForm,
    ReferralFlow,
)
from reviews.permissions.referral import (
    can_record_decision,
    can_record_notification,
    can_record_rapid_review,
    can_record_referral,
    records_decision_for_chair,
)
from reviews.selectors.referral import referral_draft_list, referral_of_draft
from reviews.services.referral import (
    decision_record,
    notification_record,
    rapid_review_record,
    referral_draft_person_add,
    referral_draft_person_remove,
    referral_draft_save,
    referral_draft_submit,
)
from scr.forms import form_page, form_submit


def _part_url(draft, key: str | None) -> str:
    if key is None:
        return reverse("reviews:referral_check", args=[draft.pk])
    if key == FAMILY:
        return reverse("reviews:referral_family", args=[draft.pk])
    return reverse("reviews:referral_part", args=[draft.pk, key])


def _back_url(draft, key: str) -> str:
    """The page before ``key``'s: the previous part needed, or the review list."""
    keys = [part.key for part in PARTS]
    before = keys[: keys.index(key)] if key in keys else keys
    flow = ReferralFlow(draft)
    earlier = [k for k in before if flow.needed(k)]
    if draft is None or not earlier:
        return reverse("reviews:list")
    return _part_url(draft, earlier[-1])


def _answers(request, form) -> dict:
    """What the page was sent for the form's questions, as the draft keeps it: each field's
    list of values (a date's three boxes each under their own name)."""
    names = tuple(form.fields)
    return {
        key: values
        for key, values in request.POST.lists()
        if key in names or key.rpartition("_")[0] in names
    }


def _new_draft_id(request) -> uuid.UUID:
    """The id the first page gave the draft it starts (sent twice, it starts one draft)."""
    try:
        return uuid.UUID(request.POST.get("draft", ""))
    except ValueError:
        return uuid.uuid4()


def _part_page(request, draft, key: str):
    flow = ReferralFlow(draft)
    if request.method == "POST":
        form = flow.form(key, request.POST)
        if form.is_valid():
            draft = referral_draft_save(
                actor=request.user,
                draft=draft,
                part=key,
                answers=_answers(request, form),
                new_id=_new_draft_id(request),
            )
            return redirect(_part_url(draft, ReferralFlow(draft).next_part()))
    else:
        form = flow.form(key)
    context = {
        "form": form,
        "heading": PART_OF[key].title,
        "number": [part.key for part in PARTS].index(key) + 1,
        "parts": len(PARTS) + 1,
        "back": _back_url(draft, key),
        "drafts": [] if draft else referral_draft_list(user=request.user),
        "new_draft": "" if draft else uuid.uuid4(),
    }
    return render(request, "reviews/referral/referral_part.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def referral_create_view(request):
    """The first part of a new referral; its answers start the draft."""
    if not can_record_referral(request.user):
        raise PermissionDenied
    return _part_page(request, None, PARTS[0].key)


@login_required
@require_http_methods(["GET", "POST"])
def referral_part_view(request, draft, part):
    draft = referral_draft_door(request, draft)
    if part not in PART_OF:
        raise Http404("No such part of a referral")
    return _part_page(request, draft, part)


@login_required
@require_http_methods(["GET", "POST"])
def referral_family_view(request, draft):
    """The household so far, with "Add a person" and Remove; Continue goes on."""
    draft = referral_draft_door(request, draft)
    if request.method == "POST":
        draft = referral_draft_save(actor=request.user, draft=draft, part=FAMILY, answers={})
        return redirect(_part_url(draft, ReferralFlow(draft).next_part()))
    context = {
        "draft": draft,
        "people": ReferralFlow(draft).people(),
        "back": _back_url(draft, FAMILY),
        "heading": FAMILY_TITLE,
        "number": len(PARTS) + 1,
        "parts": len(PARTS) + 1,
    }
    return render(request, "reviews/referral/referral_family.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def referral_person_add_view(request, draft):
    draft = referral_draft_door(request, draft)
    form = FamilyPersonForm(request.POST or None)
    if form.is_valid():
        referral_draft_person_add(
            actor=request.user,
            draft=draft,
            row_id=form.cleaned_data["submission"] or uuid.uuid4(),
            answers=_answers(request, form),
        )
        messages.success(request, f"{form.cleaned_data['name']} added")
        return redirect("reviews:referral_family", draft.pk)
    back = reverse("reviews:referral_family", args=[draft.pk])
    context = {"form": form, "heading": "Add a person", "back": back, "cancel": back}
    return render(request, "reviews/referral/referral_person_form.html", context)


@login_required
@require_POST
def referral_person_remove_view(request, draft, person):
    draft = referral_draft_door(request, draft)
    if referral_draft_person_remove(actor=request.user, draft=draft, row_id=person):
        messages.success(request, "Person removed")
    return redirect("reviews:referral_family", draft.pk)


@login_required
@require_http_methods(["GET", "POST"])
def referral_check_view(request, draft):
    """Check your answers, then record the referral (once: a draft sent twice gives the review
    its first sending made)."""
    if can_record_referral(request.user) and (
        done := referral_of_draft(user=request.user, pk=draft)
    ):
        return redirect(done)
    draft = referral_draft_door(request, draft)
    flow = ReferralFlow(draft)
    problems = [
        (f"Answer the questions in {title.lower()}", _part_url(draft, key))
        for key, title in [(p.key, p.title) for p in PARTS] + [(FAMILY, FAMILY_TITLE)]
        if not flow.complete(key)
    ]
    if request.method == "POST" and not problems:
        try:
            review = referral_draft_submit(actor=request.user, draft=draft, **flow.service_data())
        except ValidationError as error:
            problems = _service_problems(draft, error)
        else:
            messages.success(request, f"Referral recorded as {review.reference}")
            return redirect(review)
    context = {
        "draft": draft,
        "sections": flow.sections(),
        "people": flow.people(),
        "problems": problems,
        "back": _part_url(draft, FAMILY),
    }
    return render(request, "reviews/referral/referral_check.html", context)


def _service_problems(draft, error: ValidationError) -> list[tuple[str, str]]:
    """The service's refusals, each linked to the part where it is put right."""
    if not hasattr(error, "error_dict"):
        return [(message, "#") for message in error.messages]
    return [
        (message, _part_url(draft, FIELD_PART.get(field, PARTS[0].key)))
        for field, messages_ in error.message_dict.items()
        for message in messages_
    ]


@login_required
@require_http_methods(["GET", "POST"])
def decision_record_view(request, reference):
    review = review_door(request, reference, may=can_record_decision)
    for_chair = records_decision_for_chair(request.user, review)
    form = DecisionForm(request.POST or None, review=review, for_chair=for_chair)
    decision = form_submit(request, form, decision_record, _decision_message, review=review)
    if decision:
        return redirect(decision.review)
    context = {
        "review": review,
        "form": form,
        "criteria_met": form.criteria_met(),
        "for_chair": for_chair,
    }
    return render(request, "reviews/referral/decision_form.html", context)


def _decision_message(decision) -> str:
    review = decision.review
    if review.former_reference:
        return (
            f"Threshold decision recorded: {review.former_reference} is now "
            f"{review.type_profile.label.lower()} {review.reference}"
        )
    return "Threshold decision recorded"


def _review_form_page(request, review, form, service, *, heading, submit, message):
    """A one-form page about the review: on success, back to the review's page."""
    return form_page(
        request,
        form,
        service,
        message=message,
        success_url=review.get_absolute_url(),
        template="reviews/review/review_part_form.html",
        context={"review": review, "heading": heading, "submit": submit},
        review=review,
    )


@login_required
@require_http_methods(["GET", "POST"])
def notification_record_view(request, reference):
    review = review_door(request, reference, may=can_record_notification)
    return _review_form_page(
        request,
        review,
        NotificationForm(request.POST or None),
        notification_record,
        heading="Record the notification to the national bodies",
        submit="Record notification",
        message="Notification to the national bodies recorded",
    )


@login_required
@require_http_methods(["GET", "POST"])
def rapid_review_record_view(request, reference):
    review = review_door(request, reference, may=can_record_rapid_review)
    return _review_form_page(
        request,
        review,
        RapidReviewForm(request.POST or None),
        rapid_review_record,
        heading="Record the rapid review",
        submit="Record rapid review",
        message="Rapid review recorded",
    )
