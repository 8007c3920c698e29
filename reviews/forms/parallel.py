"""Forms of the processes running beside a review."""

from django import forms

from reviews.models import ParallelProcess
from reviews.selectors.parallel import EFFECTS
from scr.forms import GovukDateField, OnceForm, VersionedForm, long_text


def _line(label: str, *, max_length: int, required: str = "", **kw) -> forms.CharField:
    name = label.removesuffix(" (optional)")
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=bool(required),
        error_messages={
            "required": required,
            "max_length": f"{name} must be {max_length} characters or fewer",
        },
        **kw,
    )


class ParallelProcessForm(VersionedForm):
    kind = forms.ChoiceField(
        label="What kind of process is it?",
        choices=ParallelProcess.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of process it is"},
    )
    description = long_text(
        "What is it about? (optional)",
        max_length=2000,
        help_text="For example: the police are investigating the death; the family are witnesses.",
    )
    contact_organisation = _line(
        "Organisation that runs it",
        max_length=200,
        required="Enter the organisation that runs it",
        help_text="For example: Northshire Constabulary, the coroner's office, the employer.",
    )
    contact_name = _line(
        "Who the board deals with about it",
        max_length=200,
        required="Enter who the board deals with about it",
        help_text="Their name and role, such as the senior investigating officer.",
    )
    contact_details = _line("How to reach them (optional)", max_length=300)
    started_on = GovukDateField(
        name="Date it began", label="Date it began", help_text="For example, 27 3 2026"
    )
    expected_end_on = GovukDateField(
        name="Date it is expected to end",
        label="Date it is expected to end (optional)",
        required=False,
    )
    effects = forms.MultipleChoiceField(
        label="What does it hold back while it runs? (optional)",
        choices=[(field, words.capitalize()) for field, words in EFFECTS.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply. Each is lifted when the process ends.",
    )

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "effects"}
        chosen = self.cleaned_data["effects"]
        return {**data, **{field: field in chosen for field in EFFECTS}}


class ParallelProcessRecordForm(OnceForm, ParallelProcessForm):
    """Recording a new process: submitted twice, it records one."""

    def service_data(self) -> dict:
        data = super().service_data()
        data.pop("version", None)
        return data


class ParallelProcessEndForm(VersionedForm):
    ended_on = GovukDateField(name="Date it ended", label="Date it ended")
    outcome = long_text(
        "How did it end?",
        required="Enter how it ended",
        max_length=2000,
        help_text="For example: the trial ended with a conviction; the inquest's conclusion.",
    )
