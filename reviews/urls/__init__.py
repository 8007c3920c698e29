"""The review's URLs, one module per stage (the same names as its views).

Order matters where patterns overlap: the fixed paths (``new/``, ``tasks/``, ``dashboard/``,
``export/``, ``action-log/``) come before a review's own ``<reference>/``, and a report's
chronology and interviews before its ``<decision>/``.
"""

from reviews.urls import (
    actions,
    chronology,
    clock,
    closing,
    dashboard,
    handoffs,
    interviews,
    overview,
    overview_text,
    panel,
    parallel,
    practitioners,
    referral,
    reports,
    review,
)

app_name = "reviews"

urlpatterns = [
    *referral.urlpatterns,
    *clock.urlpatterns,
    *dashboard.urlpatterns,
    *handoffs.urlpatterns,
    *closing.urlpatterns,
    *review.urlpatterns,
    *panel.urlpatterns,
    *parallel.urlpatterns,
    *overview.urlpatterns,
    *overview_text.urlpatterns,
    *practitioners.urlpatterns,
    *actions.urlpatterns,
    *chronology.urlpatterns,
    *interviews.urlpatterns,
    *reports.urlpatterns,
]
