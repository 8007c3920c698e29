"""Every handoff in the lifecycle, as data: what happened, who must act next and is told, and
what kind of news it is (each person chooses, per kind, an email at once or a daily digest).

The README's "Who is told what" table lists the same events; tests/reviews/test_handoffs.py
fails on an event missing from either, and fires each event through its service.
"""

from dataclasses import dataclass

from django.db import models


class Kind(models.TextChoices):
    """The kinds of news a person chooses how to receive."""

    DECISIONS = "decisions", "Decisions and approvals"
    PANEL = "panel", "Panels and appointments"
    REPORTS = "reports", "Management reports"
    OVERVIEW = "overview", "The overview report and comments on it"
    ACTIONS = "actions", "Actions"
    REMINDERS = "reminders", "Deadline reminders"


class Delivery(models.TextChoices):
    AT_ONCE = "at_once", "An email at once"
    DIGEST = "digest", "One email a day with everything new"


@dataclass(frozen=True)
class Event:
    key: str
    kind: Kind
    told: str  # who is told, in the README's words


EVENTS: dict[str, Event] = {
    event.key: event
    for event in (
        Event("decision_awaited", Kind.DECISIONS, "Chairs"),
        Event("rapid_review_due", Kind.DECISIONS, "Board managers"),
        Event("decision_recorded_for_chair", Kind.DECISIONS, "The chair it was recorded for"),
        Event("panel_to_convene", Kind.PANEL, "Board managers"),
        Event("author_to_appoint", Kind.PANEL, "Chairs"),
        Event("review_closed_at_decision", Kind.DECISIONS, "Board managers"),
        Event("panel_seat", Kind.PANEL, "The person seated"),
        Event("author_appointed", Kind.PANEL, "The author appointed"),
        Event("report_requested", Kind.REPORTS, "The agency's leads"),
        Event("report_submitted", Kind.REPORTS, "The review's panel members and author"),
        Event("report_returned", Kind.REPORTS, "The agency's leads"),
        Event("report_accepted", Kind.REPORTS, "The agency's leads"),
        Event("overview_can_start", Kind.OVERVIEW, "The author and board managers"),
        Event("interview_notes_sent", Kind.REPORTS, "The agency's other leads"),
        Event("draft_out_for_comment", Kind.OVERVIEW, "Panel members and leads in scope"),
        Event("comment_received", Kind.OVERVIEW, "The author"),
        Event("practitioner_comments_sent", Kind.OVERVIEW, "The worker's agency's leads"),
        Event("practitioner_comments_recorded", Kind.OVERVIEW, "The review's author"),
        Event("agreement_awaited", Kind.DECISIONS, "Board managers and the author"),
        Event("overview_agreed", Kind.OVERVIEW, "The author, panel members, leads in scope"),
        Event("action_assigned", Kind.ACTIONS, "The owning agency's leads"),
        Event("action_updated", Kind.ACTIONS, "Board managers"),
        Event("action_plan_agreed", Kind.ACTIONS, "Chairs and the leads of agencies with actions"),
        Event("plan_awaits_approval", Kind.DECISIONS, "Chairs"),
        Event("publication_approved", Kind.DECISIONS, "Board managers"),
        Event("report_published", Kind.DECISIONS, "Chairs and the review's author"),
        Event("family_views_recorded", Kind.OVERVIEW, "The review's author"),
        Event(
            "review_closed",
            Kind.DECISIONS,
            "Chairs, the review's author and the leads of agencies in scope",
        ),
    )
}
