"""Forms of the agency chronology (one entry, or a spreadsheet to import) and of the combined
chronology (its filters, and the author's key practice episodes)."""

from datetime import datetime

from django import forms

from scr.forms import YES_NO, GovukDateField, OnceForm, VersionedForm, long_text


class ChronologyEntryForm(OnceForm, VersionedForm):
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
        choices=YES_NO,
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


class CombinedChronologyFilterForm(forms.Form):
    """Which part of the combined chronology to show: agencies, a date range, key episodes."""

    agency = forms.TypedMultipleChoiceField(
        label="Agency",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Select agencies from the list"},
    )
    since = GovukDateField(name="Start date", label="From", required=False)
    until = GovukDateField(name="End date", label="To", required=False)
    key_only = forms.TypedChoiceField(
        label="Show",
        choices=[("", "Every entry"), ("yes", "Key practice episodes only")],
        coerce=lambda value: value == "yes",
        empty_value=False,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select which entries to show"},
    )

    # The keys of the query string it reads: a page of marks goes back to the same filters.
    QUERY_KEYS = (
        *("agency", "key_only"),
        *("since_0", "since_1", "since_2", "until_0", "until_1", "until_2"),
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(agency.pk, agency.name) for agency in agencies]

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "End date must be the same as or after the start date")
        return data

    def filters(self) -> dict:
        """The valid form's choices as the selector's arguments."""
        data = self.cleaned_data
        return {
            "agency_ids": data["agency"],
            "since": data["since"],
            "until": data["until"],
            "key_only": data["key_only"],
        }


class KeyEpisodeForm(forms.Form):
    note = long_text(
        "Why this is a key practice episode",
        required="Enter why this is a key practice episode",
        max_length=500,
        rows=3,
    )
