"""Forms of stage 5: drafts, comments and recommendations."""

from django import forms

from scr.forms import GovukDateField, OnceForm, long_text


class DraftUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a draft of the overview report",
        help_text="A PDF, DOCX or ODT file. Each upload is kept as a new version.",
        error_messages={
            "required": "Select the draft to upload",
            "empty": "The selected file is empty",
        },
    )
    note = long_text("What changed in this draft (optional)", max_length=2000, rows=2)


class CommentsRequestForm(forms.Form):
    due_on = GovukDateField(
        name="Date for comments",
        label="When are comments due?",
        help_text="Each agency in scope is asked for its comments on fairness and accuracy by "
        "this date.",
    )


class CommentForm(OnceForm):
    text = long_text(
        "Your comments on fairness and accuracy", required="Enter your comments", rows=6
    )


class RecommendationForm(OnceForm):
    text = long_text("Recommendation", required="Enter the recommendation", rows=3)
