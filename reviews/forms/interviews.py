"""Forms of interviews with workers and the check of their notes."""

from django import forms

from reviews.models import Interview
from scr.forms import GovukDateField, OnceForm, yes_no


class InterviewForm(OnceForm):
    worker_role = forms.CharField(
        label="Worker's role",
        max_length=200,
        help_text="For example, Health Visitor 1. Reports use the role, not the name.",
        error_messages={"required": "Enter the worker's role"},
    )
    worker_name = forms.CharField(
        label="Worker's name",
        max_length=200,
        help_text="Only your agency's leads see the name.",
        error_messages={"required": "Enter the worker's name"},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    held_on = GovukDateField(name="Date of the interview", label="Date of the interview")
    interviewer = forms.CharField(
        label="Interviewer",
        max_length=200,
        error_messages={"required": "Enter who interviewed the worker"},
    )
    supporter_attended = yes_no(
        "Did a supporter attend with the worker?", "Select whether a supporter attended"
    )
    notes = forms.CharField(
        label="Notes of the interview",
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": "Enter the notes of the interview"},
    )


class InterviewSendForm(forms.Form):
    sent_on = GovukDateField(name="Date the notes were sent", label="Date the notes were sent")
    response_due_on = GovukDateField(name="Reply date", label="Reply needed by")


class InterviewResponseForm(forms.Form):
    response = forms.ChoiceField(
        label="The worker's answer",
        choices=[
            (value, label)
            for value, label in Interview.Response.choices
            if value != Interview.Response.PENDING
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the worker's answer"},
    )
    response_on = GovukDateField(name="Date of the answer", label="Date of the answer")
    amendments = forms.CharField(
        label="Amendments asked for (if any)",
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    agreed_notes = forms.CharField(
        label="Notes as amended (if amended)",
        max_length=50000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
