from django import forms

from quality.models import Status
from scr.forms import OnceForm, long_text


class AnswerForm(OnceForm):
    """The board manager's answer to one marker: how well it is met, and why."""

    status = forms.ChoiceField(
        label="How well does the review meet this marker?",
        choices=Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how well the review meets the marker"},
    )
    note = long_text(
        "Note",
        required="Enter a note saying why",
        help_text="Say what you saw that shows it, for the board and for later readers.",
    )
