"""Forms of stages 1 and 2: the referral, the notification, the rapid review, the decision."""

from django import forms

from agencies.selectors import agency_list_active
from reviews.frameworks import AgeGroup, Framework
from reviews.models import RapidReview, Review, ThresholdDecision
from reviews.selectors.referral import decision_chair_candidates
from scr.forms import YES_NO, GovukDateField, long_text


class ReferralForm(forms.Form):
    framework = forms.ChoiceField(
        label="Type of review",
        choices=Framework.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of review"},
    )
    subject_reference = forms.CharField(
        label="Pseudonymous reference",
        max_length=60,
        help_text='How the review will name the subject, for example "Child A".',
        error_messages={"required": "Enter a pseudonymous reference"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )
    full_name = forms.CharField(
        label="Subject's full name",
        max_length=200,
        help_text="Kept apart from the review and shown only to the board manager and chair.",
        error_messages={"required": "Enter the subject's full name"},
        widget=forms.TextInput(attrs={"class": "govuk-!-width-two-thirds", "autocomplete": "off"}),
    )
    date_of_birth = GovukDateField(
        name="Date of birth", label="Subject's date of birth (optional)", required=False
    )
    address = forms.CharField(
        label="Subject's address (optional)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
    )
    age_group = forms.ChoiceField(
        label="Age group",
        choices=AgeGroup.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the subject's age group"},
    )
    harm = forms.ChoiceField(
        label="Harm",
        choices=Review.Harm.choices,
        widget=forms.RadioSelect(attrs={"inline": True}),
        error_messages={"required": "Select whether the subject died or was seriously harmed"},
    )
    abuse_categories = forms.MultipleChoiceField(
        label="Abuse or neglect known or suspected",
        choices=Review.AbuseCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Select at least one category of abuse or neglect"},
    )
    referring_agency = forms.ModelChoiceField(
        label="Referring agency",
        queryset=agency_list_active(),
        empty_label="Choose an agency",
        error_messages={
            "required": "Select the referring agency",
            "invalid_choice": "Select the referring agency from the list",
        },
    )
    referrer_name = forms.CharField(
        label="Name of the person referring",
        max_length=200,
        error_messages={"required": "Enter the name of the person referring"},
        widget=forms.TextInput(attrs={"class": "govuk-!-width-two-thirds"}),
    )
    referrer_contact = forms.CharField(
        label="Their email address or telephone number (optional)",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-!-width-two-thirds"}),
    )
    incident_date = GovukDateField(
        name="Date of the incident",
        label="Date of the incident",
        help_text="For example, 27 3 2026",
    )
    referred_on = GovukDateField(
        name="Date referred", label="Date referred", help_text="For example, 2 4 2026"
    )
    agencies_involved = forms.ModelMultipleChoiceField(
        label="Agencies known to be involved (optional)",
        queryset=agency_list_active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select agencies from the list"},
    )
    circumstances = forms.CharField(
        label="Summary of the circumstances",
        max_length=10000,
        help_text="What happened and why the case is referred. Use the pseudonymous reference, "
        "not names.",
        error_messages={
            "required": "Enter a summary of the circumstances",
            "max_length": "Summary of the circumstances must be 10,000 characters or fewer",
        },
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class NotificationForm(forms.Form):
    notified_on = GovukDateField(
        name="Date of the notification",
        label="When were the national bodies told of the serious incident?",
    )


class RapidReviewForm(forms.Form):
    held_on = GovukDateField(name="Date of the rapid review", label="Date of the rapid review")
    attendees = long_text(
        "Who took part", required="Enter who took part", help_text="Agencies and roles, not names."
    )
    facts = long_text("What happened", required="Enter what happened", rows=6)
    immediate_action = long_text(
        "Immediate safeguarding action",
        required="Enter the immediate safeguarding action taken",
        help_text="What was done to keep the child and any other children safe.",
    )
    learning = long_text("Learning identified so far", required="Enter the learning identified")
    recommendation = forms.ChoiceField(
        label="Recommendation to the chair",
        choices=RapidReview.Recommendation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the rapid review's recommendation"},
    )
    sent_to_national_panel_on = GovukDateField(
        name="Date it was sent to the national panel",
        label="Date it was sent to the national panel (optional)",
        required=False,
    )


class ChairChoiceField(forms.ModelChoiceField):
    """Choose a chair by name (chairs are independent: their agency says nothing)."""

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class DecisionForm(forms.Form):
    """The threshold checklist of the review's framework, then the outcome and its reasons;
    ``for_chair``: a board manager records a chair's decision, saying which chair and how."""

    outcome = forms.ChoiceField(
        label="Outcome",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome of the decision"},
    )
    decided_on = GovukDateField(name="Date of the decision", label="Date of the decision")
    rationale = forms.CharField(
        label="Rationale",
        max_length=10000,
        required=False,
        help_text="Required when the outcome departs from the criteria.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"max_length": "Rationale must be 10,000 characters or fewer"},
    )
    national_bodies_told_on = GovukDateField(
        name="Date the national bodies were told",
        label="Date the national bodies were told of the decision (optional)",
        required=False,
    )

    def __init__(self, *args, review: Review, for_chair: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if for_chair:
            self._ask_which_chair()
        profile = self.profile = review.profile
        criteria = {
            criterion.key: forms.TypedChoiceField(
                label=criterion.text,
                choices=YES_NO,
                coerce=lambda value: value == "yes",
                widget=forms.RadioSelect(attrs={"inline": True}),
                help_text="Must always lead to a review." if criterion.mandatory else "",
                error_messages={"required": "Select yes or no"},
            )
            for criterion in profile.criteria
        }
        self.fields = {**criteria, **self.fields}
        self.criteria_keys = list(criteria)
        self.fields["outcome"].choices = [
            (outcome.value, profile.outcome_label(outcome)) for outcome in profile.outcomes
        ]

    def _ask_which_chair(self) -> None:
        """A board manager records a chair's decision: which chair, and how they made it known."""
        self.fields = {
            "decided_by": ChairChoiceField(
                label="Which chair made the decision?",
                queryset=decision_chair_candidates(),
                empty_label=None,
                widget=forms.RadioSelect,
                help_text="You are recording the chair's decision on their behalf.",
                error_messages={
                    "required": "Select the chair who made the decision",
                    "invalid_choice": "Select the chair who made the decision",
                },
            ),
            **self.fields,
        }
        self.fields["decided_on"].label = "Date the chair made the decision"
        self.fields["decided_on"].help_text = "Not the date you record it, if that is later."
        self.fields["communicated_via"] = forms.ChoiceField(
            label="How did the chair make the decision known to you?",
            choices=ThresholdDecision.Communication.choices,
            widget=forms.RadioSelect,
            error_messages={
                "required": "Select how the chair made the decision known to you",
                "invalid_choice": "Select how the chair made the decision known to you",
            },
        )
        order = ["decided_by", "outcome", "decided_on", "communicated_via"]
        self.fields = {
            **{name: self.fields[name] for name in order},
            **{name: field for name, field in self.fields.items() if name not in order},
        }

    @property
    def criteria_fields(self):
        return [self[key] for key in self.criteria_keys]

    @property
    def other_fields(self):
        return [self[name] for name in self.fields if name not in self.criteria_keys]

    def answers(self) -> dict[str, bool]:
        return {key: self.cleaned_data[key] for key in self.criteria_keys}

    def service_data(self) -> dict:
        """The decision as ``decision_record`` takes it: the criteria's answers as one dict."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.criteria_keys}
        return {**data, "answers": self.answers()}

    def criteria_met(self) -> bool | None:
        """Whether the answers given so far meet the threshold; None until all are answered."""
        data = getattr(self, "cleaned_data", {})
        if not all(key in data for key in self.criteria_keys):
            return None
        return self.profile.criteria_met(self.answers())
