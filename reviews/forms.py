from datetime import datetime

from django import forms

from agencies.models import Agency, User
from reviews.frameworks import AgeGroup, Framework
from reviews.models import Action, Interview, PanelMember, RapidReview, Recommendation, Review
from reviews.selectors import author_candidates, meeting_attendee_candidates, panel_candidates
from scr.forms import GovukDateField

_YES_NO = [("yes", "Yes"), ("no", "No")]


def _agencies():
    return Agency.objects.filter(is_active=True).order_by("name")


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
        queryset=_agencies(),
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
        queryset=_agencies(),
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


def long_text(label: str, *, required: str = "", max_length: int = 10000, rows: int = 4, **kw):
    """A text area with GOV.UK's messages: ``required`` is the message when left empty (none:
    optional)."""
    name = label.removesuffix(" (optional)")
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=bool(required),
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": required,
            "max_length": f"{name} must be {max_length:,} characters or fewer",
        },
        **kw,
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


class DecisionForm(forms.Form):
    """The threshold checklist of the review's framework, then the outcome and its reasons."""

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

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        profile = self.profile = review.profile
        criteria = {
            criterion.key: forms.TypedChoiceField(
                label=criterion.text,
                choices=_YES_NO,
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

    @property
    def criteria_fields(self):
        return [self[key] for key in self.criteria_keys]

    @property
    def other_fields(self):
        return [self[name] for name in self.fields if name not in self.criteria_keys]

    def answers(self) -> dict[str, bool]:
        return {key: self.cleaned_data[key] for key in self.criteria_keys}

    def criteria_met(self) -> bool | None:
        """Whether the answers given so far meet the threshold; None until all are answered."""
        data = getattr(self, "cleaned_data", {})
        if not all(key in data for key in self.criteria_keys):
            return None
        return self.profile.criteria_met(self.answers())


class ReviewFilterForm(forms.Form):
    stage = forms.ChoiceField(
        label="Stage", choices=[("", "All stages"), *Review.Stage.choices], required=False
    )
    framework = forms.ChoiceField(
        label="Type of review",
        choices=[("", "All types"), *[(f.value, f.name) for f in Framework]],
        required=False,
    )


def _yes_no(label: str, required_message: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=_YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect(attrs={"inline": True}),
        error_messages={"required": required_message},
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.email} ({obj.agency or 'no agency'})"


class DeclarationForm(forms.Form):
    """The independence declaration a panel member or the author makes."""

    not_involved_in_case = _yes_no(
        "Was this person uninvolved in the case?",
        "Select whether the person was involved in the case",
    )
    no_management_responsibility = _yes_no(
        "Is this person free of direct management responsibility for anyone involved?",
        "Select whether the person has direct management responsibility",
    )
    declared_on = GovukDateField(name="Date of the declaration", label="Date of the declaration")


class PanelMemberForm(DeclarationForm):
    person = PersonChoiceField(
        label="Person",
        queryset=User.objects.none(),
        empty_label="Choose a person",
        help_text="People of the agencies involved come first. Anyone else can sit only as a "
        "co-opted member.",
        error_messages={
            "required": "Select the person to put forward",
            "invalid_choice": "Select a person from the list",
        },
    )
    panel_role = forms.ChoiceField(
        label="Role on the panel",
        choices=PanelMember.PanelRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the person's role on the panel"},
    )
    field_order = ["person", "panel_role"]

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = panel_candidates(review=review)


class AuthorForm(DeclarationForm):
    person = PersonChoiceField(
        label="Independent author",
        queryset=User.objects.none(),
        empty_label="Choose an author",
        error_messages={
            "required": "Select the independent author",
            "invalid_choice": "Select an author from the list",
        },
    )
    field_order = ["person"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = author_candidates()


class RemovalForm(forms.Form):
    reason = forms.CharField(
        label="Why is this person leaving the panel?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the person is leaving the panel"},
    )


class TermsForm(forms.Form):
    period_start = GovukDateField(
        name="Start of the period", label="Start of the period under review"
    )
    period_end = GovukDateField(name="End of the period", label="End of the period under review")
    lines_of_enquiry = forms.CharField(
        label="Key lines of enquiry",
        max_length=10000,
        help_text="One on each line.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter at least one key line of enquiry"},
    )
    agencies_in_scope = forms.ModelMultipleChoiceField(
        label="Agencies in scope",
        queryset=_agencies(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Each will be asked for a management report.",
        error_messages={
            "required": "Select at least one agency in scope",
            "invalid_choice": "Select agencies from the list",
        },
    )
    family_involvement_plan = forms.CharField(
        label="How the family will be involved",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter how the family will be involved"},
    )
    scoping_meeting_on = GovukDateField(
        name="Date of the scoping meeting",
        label="Date of the scoping meeting (optional)",
        required=False,
    )
    reason = forms.CharField(
        label="Reason for the amendment",
        max_length=2000,
        help_text="The terms were agreed before agency reports were requested, so a change is "
        "recorded as an amendment.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for amending the terms of reference"},
    )

    def __init__(self, *args, amending: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not amending:
            del self.fields["reason"]

    def clean_lines_of_enquiry(self):
        lines = [line.strip() for line in self.cleaned_data["lines_of_enquiry"].splitlines()]
        return [line for line in lines if line]


class MeetingForm(forms.Form):
    held_on = GovukDateField(name="Date of the meeting", label="Date of the meeting")
    attendees = forms.ModelMultipleChoiceField(
        label="Who attended",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select who attended",
            "invalid_choice": "Select attendees from the list",
        },
    )
    minutes = forms.CharField(
        label="Minutes",
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": "Enter the minutes of the meeting"},
    )
    actions_agreed = forms.CharField(
        label="Actions agreed (optional)",
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = meeting_attendee_candidates(review=review)


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


class CommentForm(forms.Form):
    text = long_text(
        "Your comments on fairness and accuracy", required="Enter your comments", rows=6
    )


class RecommendationForm(forms.Form):
    text = long_text("Recommendation", required="Enter the recommendation", rows=3)


class RecommendationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Recommendation) -> str:
        return f"{obj.number}. {obj.text[:150]}"


class ActionForm(forms.Form):
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
        self.fields["recommendation"].queryset = review.recommendations.all()
        self.fields["agency"].queryset = _agencies()


class ActionProgressForm(forms.Form):
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


class ActionTargetForm(forms.Form):
    target_on = GovukDateField(name="New target date", label="New target date")
    reason = long_text("Why is the target moving?", required="Enter why the target is moving")


class ChronologyEntryForm(forms.Form):
    occurred_on = GovukDateField(name="Date", label="Date of the contact")
    occurred_time = forms.CharField(
        label="Time (optional)",
        max_length=5,
        required=False,
        help_text="Use the 24-hour clock, for example 14:30.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
    )
    approximate = forms.TypedChoiceField(
        label="Is the date approximate?",
        choices=_YES_NO,
        coerce=lambda value: value == "yes",
        initial="no",
        widget=forms.RadioSelect(attrs={"inline": True}),
        error_messages={"required": "Select whether the date is approximate"},
    )
    what_happened = forms.CharField(
        label="What happened",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter what happened"},
    )
    practitioner_role = forms.CharField(
        label="Practitioner's role",
        max_length=200,
        help_text="Their role, not their name: for example, Health Visitor 1.",
        error_messages={"required": "Enter the practitioner's role"},
    )
    source_reference = forms.CharField(
        label="Source record reference (optional)", max_length=200, required=False
    )
    analysis = forms.CharField(
        label="Analysis (optional)",
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_occurred_time(self):
        text = self.cleaned_data["occurred_time"].strip()
        if not text:
            return None
        try:
            return datetime.strptime(text, "%H:%M").time()
        except ValueError:
            raise forms.ValidationError("Enter the time like 14:30") from None


class ChronologyImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a spreadsheet",
        help_text="A CSV or XLSX file whose first row names the columns: Date, Time, "
        "Approximate, What happened, Practitioner role, Source reference, Analysis. Date, What "
        "happened and Practitioner role are required.",
        error_messages={
            "required": "Select the spreadsheet to upload",
            "empty": "The selected file is empty",
        },
    )


class InterviewForm(forms.Form):
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
    supporter_attended = _yes_no(
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


class TasksFilterForm(forms.Form):
    reference = forms.CharField(label="Review reference", max_length=32, required=False)
    agency = forms.ModelChoiceField(
        label="Agency", queryset=_agencies(), required=False, empty_label="All agencies"
    )
    show = forms.ChoiceField(
        label="Show",
        choices=[("", "All open deadlines"), ("overdue", "Overdue only")],
        required=False,
    )


class DeadlineChangeForm(forms.Form):
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
