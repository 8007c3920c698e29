from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from reviews.forms.panel import AuthorForm, MeetingForm, PanelMemberForm, RemovalForm, TermsForm
from reviews.forms.referral import DecisionForm, NotificationForm, RapidReviewForm, ReferralForm
from reviews.forms.review import ReviewFilterForm
from reviews.models import Deadline, PanelMember, Review
from reviews.permissions.clock import can_manage_clock
from reviews.permissions.panel import can_appoint_author, can_manage_panel, can_view_panel
from reviews.permissions.referral import (
    can_record_decision,
    can_record_notification,
    can_record_rapid_review,
    can_record_referral,
)
from reviews.permissions.reports import can_request_reports
from reviews.permissions.review import can_view_subject_identity
from reviews.selectors.panel import review_get_for_panel
from reviews.selectors.reports import report_list_for_agency_lead
from reviews.selectors.review import review_get_for_detail, review_list
from reviews.services.panel import (
    author_appoint,
    meeting_record,
    panel_member_add,
    panel_member_remove,
    terms_save,
)
from reviews.services.referral import (
    decision_record,
    notification_record,
    rapid_review_record,
    referral_create,
)
from reviews.services.review import access_log_record


def review_or_404(request, reference):
    """The review if the user may see it; otherwise log the refusal and answer 404."""
    review = review_get_for_detail(user=request.user, reference=reference)
    if review is None:
        access_log_record(
            request=request, object_type="review", object_ref=reference, allowed=False
        )
        raise Http404("No such review")
    return review


@login_required
@require_GET
def review_list_view(request):
    form = ReviewFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    reviews = review_list(user=request.user, **filters)
    page = Paginator(reviews, settings.REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reviews/review/review_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_record_referral": can_record_referral(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_create_view(request):
    if not can_record_referral(request.user):
        raise PermissionDenied
    form = ReferralForm(request.POST or None)
    if form.is_valid():
        try:
            review = referral_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Referral recorded as {review.reference}")
            return redirect(review)
    return render(request, "reviews/referral/referral_form.html", {"form": form})


@login_required
@require_GET
def review_detail_view(request, reference):
    review = review_or_404(request, reference)
    show_identity = can_view_subject_identity(request.user, review)
    my_reports = list(report_list_for_agency_lead(user=request.user, review=review))
    panel = can_view_panel(request.user, review)
    access_log_record(request=request, object_type="review", object_ref=reference, allowed=True)
    return render(
        request,
        "reviews/review/review_detail.html",
        {
            "review": review,
            "show_identity": show_identity,
            "can_record_decision": can_record_decision(request.user, review),
            "can_record_notification": can_record_notification(request.user, review),
            "can_record_rapid_review": can_record_rapid_review(request.user, review),
            "can_view_panel": panel,
            "can_view_overview": review.overview_started and (panel or my_reports),
            "can_view_publication": review.stage in ("publication", "closed") and panel,
            "can_view_actions": review.action_plan_started and (panel or my_reports),
            "my_reports": my_reports,
            "target": review.deadlines.filter(kind=Deadline.Kind.REVIEW_COMPLETE).first(),
            "can_manage_clock": can_manage_clock(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_record_view(request, reference):
    review = review_or_404(request, reference)
    if not can_record_decision(request.user, review):
        raise PermissionDenied
    form = DecisionForm(request.POST or None, review=review)
    if form.is_valid():
        data = form.cleaned_data
        try:
            decision_record(
                review=review,
                actor=request.user,
                answers=form.answers(),
                outcome=data["outcome"],
                decided_on=data["decided_on"],
                rationale=data["rationale"],
                national_bodies_told_on=data["national_bodies_told_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Threshold decision recorded")
            return redirect(review)
    context = {"review": review, "form": form, "criteria_met": form.criteria_met()}
    return render(request, "reviews/referral/decision_form.html", context)


def review_form_page(
    request, review, form, service, *, heading, submit, message, next_url=None, **kwargs
):
    """Show a form about the review; on a valid post run the service and go to ``next_url``
    (a URL name taking the review's reference), by default the review's page."""
    if form.is_valid():
        try:
            service(review=review, actor=request.user, **kwargs, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, message)
            return redirect(next_url, review.reference) if next_url else redirect(review)
    context = {"review": review, "form": form, "heading": heading, "submit": submit}
    return render(request, "reviews/review/review_part_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def notification_record_view(request, reference):
    review = review_or_404(request, reference)
    if not can_record_notification(request.user, review):
        raise PermissionDenied
    return review_form_page(
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
    review = review_or_404(request, reference)
    if not can_record_rapid_review(request.user, review):
        raise PermissionDenied
    return review_form_page(
        request,
        review,
        RapidReviewForm(request.POST or None),
        rapid_review_record,
        heading="Record the rapid review",
        submit="Record rapid review",
        message="Rapid review recorded",
    )


def panel_review_or_404(request, reference):
    """The review with its panel if the user may see the review; otherwise 404, logged."""
    review = review_get_for_panel(user=request.user, reference=reference)
    if review is None:
        access_log_record(request=request, object_type="panel", object_ref=reference, allowed=False)
        raise Http404("No such review")
    return review


def _panel_form_page(request, review, form, service, *, heading, submit, message, **kwargs):
    """Show a panel form; on a valid post run the service and go back to the panel page."""
    if form.is_valid():
        try:
            service(review=review, actor=request.user, **kwargs, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, message)
            return redirect("reviews:panel", review.reference)
    context = {"review": review, "form": form, "heading": heading, "submit": submit}
    return render(request, "reviews/panel/panel_form.html", context)


@login_required
@require_GET
def panel_detail_view(request, reference):
    review = panel_review_or_404(request, reference)
    allowed = can_view_panel(request.user, review)
    access_log_record(request=request, object_type="panel", object_ref=reference, allowed=allowed)
    if not allowed:
        raise PermissionDenied
    return render(
        request,
        "reviews/panel/panel_detail.html",
        {
            "review": review,
            "author": next(iter(review.current_authors), None),
            "terms": getattr(review, "terms", None),
            "can_manage_panel": can_manage_panel(request.user, review),
            "can_appoint_author": can_appoint_author(request.user, review),
            "can_request_reports": can_request_reports(request.user, review),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def panel_member_add_view(request, reference):
    review = panel_review_or_404(request, reference)
    if not can_manage_panel(request.user, review):
        raise PermissionDenied
    form = PanelMemberForm(request.POST or None, review=review)
    return _panel_form_page(
        request,
        review,
        form,
        panel_member_add,
        heading="Put a person forward for the panel",
        submit="Record declaration",
        message="Panel member recorded",
    )


@login_required
@require_http_methods(["GET", "POST"])
def panel_member_remove_view(request, reference, pk):
    review = panel_review_or_404(request, reference)
    if not can_manage_panel(request.user, review):
        raise PermissionDenied
    member = get_object_or_404(review.panel.all(), pk=pk, status=PanelMember.Status.SEATED)
    form = RemovalForm(request.POST or None)
    if form.is_valid():
        panel_member_remove(member=member, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, f"{member.person} removed from the panel")
        return redirect("reviews:panel", review.reference)
    context = {
        "review": review,
        "form": form,
        "heading": f"Remove {member.person} from the panel",
        "submit": "Remove from the panel",
    }
    return render(request, "reviews/panel/panel_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def author_appoint_view(request, reference):
    review = panel_review_or_404(request, reference)
    if not can_appoint_author(request.user, review):
        raise PermissionDenied
    form = AuthorForm(request.POST or None)
    return _panel_form_page(
        request,
        review,
        form,
        author_appoint,
        heading="Appoint the independent overview author",
        submit="Appoint author",
        message="Overview author appointed",
    )


@login_required
@require_http_methods(["GET", "POST"])
def terms_edit_view(request, reference):
    review = panel_review_or_404(request, reference)
    if not can_manage_panel(request.user, review):
        raise PermissionDenied
    terms = getattr(review, "terms", None)
    initial = {}
    if terms:
        initial = {
            "period_start": terms.period_start,
            "period_end": terms.period_end,
            "lines_of_enquiry": "\n".join(terms.lines_of_enquiry),
            "agencies_in_scope": list(terms.agencies_in_scope.all()),
            "family_involvement_plan": terms.family_involvement_plan,
            "scoping_meeting_on": terms.scoping_meeting_on,
        }
    form = TermsForm(
        request.POST or None, initial=initial, amending=review.stage != Review.Stage.PANEL
    )
    return _panel_form_page(
        request,
        review,
        form,
        terms_save,
        heading="Terms of reference",
        submit="Save terms of reference",
        message="Terms of reference saved",
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_record_view(request, reference):
    review = panel_review_or_404(request, reference)
    if not can_manage_panel(request.user, review):
        raise PermissionDenied
    form = MeetingForm(request.POST or None, review=review)
    return _panel_form_page(
        request,
        review,
        form,
        meeting_record,
        heading="Record a panel meeting",
        submit="Record meeting",
        message="Panel meeting recorded",
    )
