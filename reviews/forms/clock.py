"""Forms of the clock: filtering tasks, moving deadlines, stopping the clock."""

from django import forms

from agencies.selectors import agency_list
from scr.forms import GovukDateField, VersionedForm


class TasksFilterForm(forms.Form):
    reference = forms.CharField(label="Review reference", max_length=32, required=False)
    agency = forms.ModelChoiceField(
        label="Agency", queryset=agency_list(), required=False, empty_label="All agencies"
    )
    show = forms.ChoiceField(
        label="Show",
        choices=[("", "All open deadlines"), ("overdue", "Overdue only")],
        required=False,
    )
    what = forms.ChoiceField(
        label="What",
        choices=[
            ("", "Everything"),
            ("actions", "Actions"),
            ("deadlines", "Deadlines other than actions"),
            ("board", "The board manager's own deadlines"),
        ],
        required=False,
    )


class DeadlineChangeForm(VersionedForm):
    action = forms.ChoiceField(
        label="What do you want to do?",
        choices=[("move", "Move the due date"), ("waive", "Waive the deadline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to move or waive the deadline"},
    )
    due_on = GovukDateField(name="New due date", label="New due date (if moving)", required=False)
    reason = forms.CharField(
        label="Reason",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason"},
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == "move" and not data.get("due_on"):
            self.add_error("due_on", "Enter the new due date")
        return data


class ClockForm(forms.Form):
    action = forms.ChoiceField(
        label="What do you want to do?",
        choices=[
            ("extend", "Extend the review's completion target"),
            ("stop", "Stop the clock"),
            ("restart", "Restart the clock"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what to do with the clock"},
    )
    days = forms.IntegerField(
        label="Days to extend by (if extending)",
        min_value=1,
        max_value=730,
        required=False,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        error_messages={
            "min_value": "Days must be 1 or more",
            "max_value": "Days must be 730 or fewer",
            "invalid": "Enter days as a whole number, like 30",
        },
    )
    reason = forms.CharField(
        label="Reason",
        max_length=2000,
        help_text="For example: related criminal proceedings.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason"},
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == "extend" and not data.get("days"):
            self.add_error("days", "Enter how many days to extend by")
        return data
