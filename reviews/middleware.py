"""Old links to a review that changed its reference lead to it."""

from django.http import HttpResponseRedirect

from reviews.doors import ReviewMoved


class ReviewMovedMiddleware:
    """Answer a door's ReviewMoved with a redirect to the same page (and query) under the
    review's new reference: links in emails, notifications and bookmarks made before the
    decision keep working for those who may see the review."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ReviewMoved):
            return None
        path = request.get_full_path().replace(f"/{exception.old}/", f"/{exception.new}/", 1)
        return HttpResponseRedirect(path)
