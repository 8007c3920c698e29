"""Forms of stage 4: requesting, securing, uploading and deciding management reports."""

from django import forms

from scr.forms import GovukDateField


class ReportsRequestForm(forms.Form):
    due_on = GovukDateField(
        name="Due date",
        label="When are the reports due?",
        help_text="The review type suggests this date; change it if the panel agreed another.",
    )


class RecordsSecuredForm(forms.Form):
    note = forms.CharField(
        label="Which systems and records are secured?",
        max_length=2000,
        help_text="For example: case management system, health visiting notes, call logs.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter which systems and records are secured"},
    )


class ReportUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload the management report",
        help_text="A PDF, DOCX or ODT file. Each upload is kept as a new version.",
        error_messages={
            "required": "Select the report to upload",
            "empty": "The selected file is empty",
        },
    )


class ReportCommentsForm(forms.Form):
    comments = forms.CharField(
        label="Comments",
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
