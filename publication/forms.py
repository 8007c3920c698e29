from django import forms

from publication.models import PseudonymEntry, PublicationPlan, SubmissionPack
from scr.forms import GovukDateField, OnceForm, VersionedForm, long_text


class PublicationPlanForm(VersionedForm):
    form = forms.ChoiceField(
        label="What will be published?",
        choices=PublicationPlan.Form.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what will be published"},
    )
    planned_on = GovukDateField(
        name="Planned publication date",
        label="Planned publication date",
        help_text="Not needed if the report will not be published.",
        required=False,
    )
    rationale = long_text(
        "Rationale (needed unless the full report is published)",
        help_text="For example: publishing in full would identify the child's siblings.",
    )


class NoticeForm(forms.Form):
    sent_on = GovukDateField(
        name="Date the report was sent",
        label="When was the report sent to the national bodies?",
    )


def _line(label: str, *, max_length: int, required: str, **kw) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        error_messages={
            "required": required,
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
        **kw,
    )


class PseudonymFields(forms.Form):
    real_value = _line(
        "Real value",
        max_length=300,
        required="Enter the real name, place, organisation or date",
        help_text="As it is written, for example: Mill Lane Primary School.",
    )
    replacement = _line(
        "Replacement",
        max_length=100,
        required="Enter what the report calls it instead",
        help_text="What the published report says instead, for example: the child's school.",
    )
    kind = forms.ChoiceField(
        label="What is it?",
        choices=PseudonymEntry.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the real value is"},
    )


class PseudonymAddForm(OnceForm, PseudonymFields):
    pass


class PseudonymChangeForm(VersionedForm, PseudonymFields):
    pass


CHECK_MAX_LENGTH = 500_000


class IdentifierCheckForm(forms.Form):
    text = long_text(
        "Text to check",
        required="Enter the text to check",
        max_length=CHECK_MAX_LENGTH,
        rows=15,
        help_text="Paste the text of a report or summary, up to 500,000 characters.",
    )


class SubmissionPackForm(OnceForm):
    bodies = forms.MultipleChoiceField(
        label="Which national bodies was the pack sent to?",
        choices=SubmissionPack.Body.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the national bodies the pack was sent to"},
    )
    sent_on = GovukDateField(name="Date the pack was sent", label="When was it sent?")
