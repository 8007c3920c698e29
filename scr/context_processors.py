from django.conf import settings
from django.urls import reverse

from reviews.permissions import can_record_referral


def service(request):
    """The service's and board's names, and the navigation the signed-in person may use."""
    user = request.user
    navigation = []
    if user.is_authenticated:
        current = request.resolver_match.view_name if request.resolver_match else ""
        navigation.append(
            {
                "text": "Reviews",
                "href": reverse("reviews:list"),
                "current": current == "reviews:list",
            }
        )
        if can_record_referral(user):
            navigation.append(
                {
                    "text": "Record a referral",
                    "href": reverse("reviews:create"),
                    "current": current == "reviews:create",
                }
            )
    return {
        "service_name": "SCR manager",
        "board_name": settings.SCR_BOARD_NAME,
        "navigation": navigation,
    }
