from django.conf import settings
from django.urls import reverse

from agencies.permissions import can_manage_agencies, can_manage_people
from governance.permissions import can_decide_retention
from learning.permissions import can_view_dissemination_log, can_view_statistics
from publication.permissions import can_view_publications
from quality.permissions import can_view_quality_markers
from reviews.permissions.closing import can_see_whole_action_log
from reviews.permissions.dashboard import can_view_dashboard
from reviews.permissions.referral import can_record_referral
from reviews.selectors.clock import UNREAD_COUNTED, notification_unread_count

_PEOPLE_PAGES = {
    "agencies:people",
    "agencies:invite",
    "agencies:person_update",
    "agencies:deactivate",
    "agencies:authenticator_reset",
}
_AGENCY_PAGES = {"agencies:list", "agencies:create", "agencies:update"}
# The board's pages the dashboard lists, and under which "Dashboard" stays the current item.
_BOARD_PAGES = (
    ("learning:statistics", "The board's statistics", can_view_statistics),
    ("quality:board", "Quality markers across the board's reviews", can_view_quality_markers),
    ("learning:dissemination", "Where learning was shared", can_view_dissemination_log),
    ("governance:retention", "Reviews past the retention period", can_decide_retention),
)


def _board_pages(user) -> list[dict]:
    return [
        {"text": text, "href": reverse(name), "name": name}
        for name, text, may in _BOARD_PAGES
        if may(user)
    ]


def service(request):
    """The service's and board's names, and the navigation the signed-in person may use."""
    # A request refused before authentication ran (a forged Host: 400) has no user.
    user = getattr(request, "user", None)
    navigation, board_pages = [], []
    if user is not None and user.is_authenticated:
        current = request.resolver_match.view_name if request.resolver_match else ""
        if can_view_dashboard(user):
            board_pages = _board_pages(user)
            navigation.append(
                {
                    "text": "Dashboard",
                    "href": reverse("reviews:dashboard"),
                    "current": current == "reviews:dashboard"
                    or current in {page["name"] for page in board_pages},
                }
            )
        navigation.append(
            {
                "text": "Reviews",
                "href": reverse("reviews:list"),
                "current": current == "reviews:list",
            }
        )
        navigation.append(
            {
                "text": "My tasks",
                "href": reverse("reviews:tasks"),
                "current": current == "reviews:tasks",
            }
        )
        navigation.append(
            {
                "text": "Lessons",
                "href": reverse("learning:library"),
                "current": current == "learning:library",
            }
        )
        if can_see_whole_action_log(user):
            navigation.append(
                {
                    "text": "Action log",
                    "href": reverse("reviews:action_log"),
                    "current": current == "reviews:action_log",
                }
            )
        unread = notification_unread_count(user=user)
        shown = f"{UNREAD_COUNTED}+" if unread > UNREAD_COUNTED else unread
        navigation.append(
            {
                "text": f"Notifications ({shown})" if unread else "Notifications",
                "href": reverse("reviews:notifications"),
                "current": current == "reviews:notifications",
            }
        )
        if can_record_referral(user):
            navigation.append(
                {
                    "text": "Record a referral",
                    "href": reverse("reviews:create"),
                    "current": current == "reviews:create"
                    or current.startswith("reviews:referral_"),
                }
            )
        if can_view_publications(user):
            navigation.append(
                {
                    "text": "Publications",
                    "href": reverse("publications:list"),
                    "current": current.startswith("publications:"),
                }
            )
        if can_manage_people(user):
            navigation.append(
                {
                    "text": "People",
                    "href": reverse("agencies:people"),
                    "current": current in _PEOPLE_PAGES,
                }
            )
        if can_manage_agencies(user):
            navigation.append(
                {
                    "text": "Agencies",
                    "href": reverse("agencies:list"),
                    "current": current in _AGENCY_PAGES,
                }
            )
    return {
        "service_name": "SCR manager",
        "board_name": settings.SCR_BOARD_NAME,
        "navigation": navigation,
        "board_pages": board_pages,
        # For the timeout warning dialog (set by agencies.middleware.IdleTimeoutMiddleware).
        "session_expires_in": getattr(request, "session_expires_in", None),
        "idle_warning_seconds": settings.SCR_IDLE_WARNING_SECONDS,
        "idle_minutes": settings.SCR_IDLE_SECONDS // 60,
    }
