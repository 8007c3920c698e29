from django import forms

from publication.models import PublicationPlan
from scr.forms import GovukDateField, VersionedForm, long_text


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
