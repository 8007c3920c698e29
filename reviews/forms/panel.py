"""Forms of stage 3: seats on the panel, the author, terms of reference, meetings."""

from django import forms

from agencies.models import User
from agencies.selectors import agency_list_active
from reviews.models import PanelMember, Review
from reviews.selectors.panel import author_candidates, meeting_attendee_candidates, panel_candidates
from scr.forms import GovukDateField, OnceForm, PersonChoiceField, VersionedForm, yes_no


class DeclarationForm(forms.Form):
    """The independence declaration a panel member or the author makes."""

    not_involved_in_case = yes_no(
        "Was this person uninvolved in the case?",
        "Select whether the person was involved in the case",
    )
    no_management_responsibility = yes_no(
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


class TermsForm(VersionedForm):
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
        queryset=agency_list_active(),
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


class MeetingForm(OnceForm):
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
