"""Forms of stage 5: drafts, comments, recommendations and agreeing the report."""

from django import forms

from reviews.models import OverviewDraft, OverviewVersion, Review
from reviews.selectors.overview import overview_drafts_for_agreement
from scr.forms import AgreementForm, GovukDateField, OnceForm, VersionedForm, long_text


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


class RecommendationCorrectForm(VersionedForm):
    text = long_text("Recommendation", required="Enter the recommendation", rows=4)
    reason = long_text(
        "Why it is corrected (optional)",
        max_length=2000,
        rows=2,
        help_text="Kept in the recommendation's history.",
    )


class RecommendationRemoveForm(VersionedForm):
    reason = long_text(
        "Why is the recommendation removed?",
        required="Enter why the recommendation is removed",
        max_length=2000,
        rows=3,
        help_text="The panel sees the recommendation as removed, with this reason. Its number "
        "is not given to another recommendation.",
    )


class DraftChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OverviewDraft) -> str:
        sent = "sent" if getattr(obj, "circulated", False) else "never sent"
        return f"Draft {obj.number}: {obj.display_name} ({sent} to the agencies for comments)"


class TextVersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OverviewVersion) -> str:
        how = f"imported from draft {obj.draft.number}" if obj.draft else "written"
        return f"Version {obj.number}: {how} by {obj.created_by} on {obj.created_at:%-d %B %Y}"


class OverviewAgreementForm(AgreementForm):
    draft = DraftChoiceField(
        label="Which draft did the panel agree?",
        queryset=OverviewDraft.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select the draft the panel agreed",
            "invalid_choice": "Select one of the report's drafts",
        },
    )
    text_version = TextVersionChoiceField(
        label="Which version of the report's text did the panel agree?",
        queryset=OverviewVersion.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="The publication is made from this text.",
        error_messages={
            "required": "Select the version of the report's text the panel agreed",
            "invalid_choice": "Select one of the versions of the report's text",
        },
    )
    meeting_on = GovukDateField(
        name="Date of the panel meeting",
        label="When did the panel meeting agree it?",
        help_text="For example, 27 3 2026. If the meeting is recorded on the panel page, the "
        "agreement is linked to it.",
    )
    meeting_note = long_text("About the meeting (optional)", max_length=2000, rows=2)
    uncirculated_reason = long_text(
        "Why is a draft never sent for comments agreed? (only if it was not sent)",
        max_length=2000,
        rows=3,
        help_text="The agencies have not seen a draft that was never sent for comments.",
    )

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        drafts = overview_drafts_for_agreement(review=review)
        self.fields["draft"].queryset = drafts
        self.fields["draft"].initial = drafts.first()
        versions = review.overview_versions.select_related("draft", "created_by").order_by(
            "-number"
        )
        if versions:
            self.fields["text_version"].queryset = versions
            self.fields["text_version"].initial = versions[0]
        else:
            del self.fields["text_version"]
