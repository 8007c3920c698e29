"""The review itself: the list of reviews and a review's page."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reviews.doors import review_door
from reviews.forms.review import ReviewFilterForm, TimelineFilterForm
from reviews.permissions.clock import can_manage_clock
from reviews.permissions.referral import (
    can_record_decision,
    can_record_notification,
    can_record_rapid_review,
    can_record_referral,
)
from reviews.permissions.review import can_view_subject_identity
from reviews.selectors.clock import review_target_deadline
from reviews.selectors.progress import review_standing
from reviews.selectors.review import review_list, timeline_for


@login_required
@require_GET
def review_list_view(request):
    form = ReviewFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    reviews = review_list(user=request.user, **filters)
    page = Paginator(reviews, settings.REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_record_referral": can_record_referral(request.user),
    }
    return render(request, "reviews/review/review_list.html", context)


@login_required
@require_GET
def review_detail_view(request, reference):
    review = review_door(request, reference)
    user = request.user
    timeline_filter = TimelineFilterForm(request.GET or None)
    kinds = timeline_filter.cleaned_data["kind"] if timeline_filter.is_valid() else []
    context = {
        "review": review,
        "show_identity": can_view_subject_identity(user, review),
        "can_record_decision": can_record_decision(user, review),
        "can_record_notification": can_record_notification(user, review),
        "can_record_rapid_review": can_record_rapid_review(user, review),
        "standing": review_standing(review, user),
        "timeline": timeline_for(review=review, user=user, kinds=kinds),
        "timeline_filter": timeline_filter,
        "target": review_target_deadline(review=review),
        "can_manage_clock": can_manage_clock(user),
    }
    return render(request, "reviews/review/review_detail.html", context)
