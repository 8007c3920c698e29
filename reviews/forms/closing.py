"""Forms of closing a review, and the filter of the board's action log."""

from django import forms

from agencies.selectors import agency_list
from reviews.models import Action
from reviews.selectors.closing import OVERDUE
from scr.forms import long_text

_REASON_LENGTH = 5000


class HandOverForm(forms.Form):
    reason = long_text(
        "Why is the review closing with actions still open?",
        required="Enter why the review closes with actions still open",
        max_length=_REASON_LENGTH,
        help_text="For example, the board will follow the remaining actions through its own "
        "action log.",
    )


class WithdrawForm(forms.Form):
    reason = long_text(
        "Why is the review withdrawn?",
        required="Enter why the review is withdrawn",
        max_length=_REASON_LENGTH,
    )


class ActionLogFilterForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="Agency", queryset=agency_list(), required=False, empty_label="All agencies"
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "All statuses"), *Action.Status.choices, (OVERDUE, "Overdue")],
        required=False,
    )
