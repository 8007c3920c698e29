"""Pages of a destroyed review answer 410 Gone."""

import re

from django.http import Http404

from governance.selectors import tombstone_get
from governance.views import review_gone_response
from reviews.permissions.review import can_view_all_reviews

_REVIEW_PAGE = re.compile(r"^/reviews/(?P<reference>[^/]+)/")


class ReviewGoneMiddleware:
    """A review whose records were destroyed is found by no door (404). To those who saw every
    review (the board manager and the chair), its pages say it is gone (410), with the board
    manager pointed to its tombstone; to anyone else they stay 404, confirming nothing. Only a
    404 is looked at, so no other page pays a query for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, Http404):
            return None
        match = _REVIEW_PAGE.match(request.path)
        if match is None or not can_view_all_reviews(request.user):
            return None
        tombstone = tombstone_get(reference=match["reference"])
        if tombstone is None:
            return None
        return review_gone_response(request, tombstone)
