"""Forms of practitioners' comments: choosing the worker, what is sent them, and their answer."""

from django import forms
from django.template.defaultfilters import truncatechars

from reviews.models import ChronologyEntry, Interview, OverviewSection, PractitionerComment
from scr.forms import GovukDateField, OnceForm, long_text


class WorkerChoiceField(forms.ModelChoiceField):
    """A worker by role and agency: the author never sees their name."""

    def label_from_instance(self, obj: Interview) -> str:
        return f"{obj.worker_role}, {obj.request.agency} (interviewed {obj.held_on:%-d %B %Y})"


class WorkerChooseForm(forms.Form):
    interview = WorkerChoiceField(
        label="Which worker is it for?",
        queryset=Interview.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the worker", "invalid_choice": "Select the worker"},
    )

    def __init__(self, *args, interviews, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interview"].queryset = interviews


class EntryChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ChronologyEntry) -> str:
        return (
            f"{obj.occurred_on:%-d %B %Y}, {obj.practitioner_role}: "
            f"{truncatechars(obj.what_happened, 160)}"
        )


class SectionChooseForm(forms.Form):
    """Which section of the report the extract starts from (sent by GET: it changes nothing)."""

    section = forms.ChoiceField(
        label="Start the passages from a section of the report (optional)",
        choices=[("", "Choose a section"), *OverviewSection.Key.choices],
        required=False,
    )


class PractitionerCommentsSendForm(OnceForm):
    entries = EntryChoiceField(
        label="Entries of the chronology that describe their practice",
        queryset=ChronologyEntry.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply. Only their own agency's entries are shown.",
        error_messages={"invalid_choice": "Choose entries from the worker's agency's chronology"},
    )
    extract = long_text(
        "Passages of the draft report that describe their practice (optional)",
        max_length=20000,
        rows=12,
        help_text="Quote the passages as they stand in the current version. Use roles, not names.",
    )
    due_on = GovukDateField(
        name="Date for comments",
        label="When are their comments due?",
        help_text="Their agency's leads are reminded of it.",
    )

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].queryset = entries

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["entries"] = list(data["entries"])
        return data


_ANSWERS = [
    (PractitionerComment.Status.RECEIVED, "They sent comments"),
    (PractitionerComment.Status.DECLINED, "They chose not to comment"),
    (PractitionerComment.Status.NO_RESPONSE, "Nothing came by the date"),
]


class PractitionerCommentsRecordForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What did the worker say?",
        choices=_ANSWERS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the worker said"},
    )
    comments = long_text(
        "The worker's comments",
        max_length=20000,
        rows=10,
        help_text="As the worker gave them. If they chose not to comment, anything they said "
        "about it (optional).",
    )
