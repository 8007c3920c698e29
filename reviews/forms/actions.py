"""Forms of stage 6: actions and their progress."""

from django import forms

from agencies.models import Agency
from agencies.selectors import agency_list_active
from reviews.models import Action, Recommendation, Review
from scr.forms import GovukDateField, OnceForm, VersionedForm, long_text


class RecommendationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Recommendation) -> str:
        return f"{obj.number}. {obj.text[:150]}"


class ActionForm(OnceForm):
    recommendation = RecommendationChoiceField(
        label="Which recommendation does it answer?",
        queryset=Recommendation.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select the recommendation",
            "invalid_choice": "Select one of the review's recommendations",
        },
    )
    agency = forms.ModelChoiceField(
        label="Owning agency",
        queryset=Agency.objects.none(),
        empty_label="Choose an agency",
        error_messages={
            "required": "Select the agency that owns the action",
            "invalid_choice": "Select an agency from the list",
        },
    )
    lead_name = forms.CharField(
        label="Lead",
        max_length=200,
        help_text="The role, and name if agreed, of the person who leads the action.",
        error_messages={
            "required": "Enter who leads the action",
            "max_length": "Lead must be 200 characters or fewer",
        },
    )
    change = long_text("What will change", required="Enter what will change")
    difference = long_text(
        "How the change will make a difference",
        required="Enter how the change will make a difference",
    )
    target_on = GovukDateField(name="Target date", label="Target date")

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendation"].queryset = review.recommendations.filter(
            removed_at__isnull=True
        )
        self.fields["agency"].queryset = agency_list_active()


class ActionProgressForm(OnceForm):
    status = forms.ChoiceField(
        label="Status now",
        choices=Action.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the action's status"},
    )
    note = long_text("What has happened", required="Enter what has happened since the last update")
    evidence = long_text(
        "Evidence (needed when complete)",
        help_text="For example: the audit that shows the new practice is followed.",
    )


class ActionTargetForm(VersionedForm):
    target_on = GovukDateField(name="New target date", label="New target date")
    reason = long_text("Why is the target moving?", required="Enter why the target is moving")
