"""Forms of the overview report's text: writing its sections, importing a Word draft, and
choosing two versions to compare."""

from django import forms
from django.core.validators import MaxLengthValidator

from reviews.models import OverviewDraft, OverviewSection
from scr.forms import OnceForm, VersionedForm, long_text

SECTION_MOST = 60_000
WRITING_FORM = (
    "Leave a blank line between paragraphs. Start a heading with ## , each bullet point with - "
    "and each numbered point with 1. (then 2. and so on)."
)
TABLE_WARNING = (
    "This section has a table from the Word document; saving a change here turns it into lines "
    "of text."
)


def _section_field(label: str) -> forms.CharField:
    # No max_length: the GOV.UK character count would count down from 60,000 under every box.
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "true"}),
        validators=[
            MaxLengthValidator(
                SECTION_MOST, message=f"{label} must be {SECTION_MOST:,} characters or fewer"
            )
        ],
        help_text=WRITING_FORM,
    )


class ReportTextForm(OnceForm, VersionedForm):
    """Every section of the report in the writing form, the version it was read at
    (``version``: its number, 0 before the first) and a note."""

    note = long_text(
        "What changed in this version (optional)",
        max_length=2000,
        rows=2,
        help_text="Shown in the list of versions.",
    )

    def __init__(self, *args, tables: frozenset[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in reversed(OverviewSection.Key.choices):
            field = _section_field(str(label))
            if key in tables:
                field.help_text = f"{TABLE_WARNING} {WRITING_FORM}"
            self.fields = {key: field, **self.fields}

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "texts": {key: data[key] for key in OverviewSection.Key.values},
            "note": data["note"],
            "version": data["version"],
            "submission": data["submission"],
        }


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload the Word document",
        help_text="A DOCX file. It is kept as the report's next draft, then its text is read "
        "into the report's sections for you to check before anything else is saved.",
        error_messages={
            "required": "Select the Word document to upload",
            "empty": "The selected file is empty",
        },
    )
    note = long_text("What changed in this draft (optional)", max_length=2000, rows=2)


class WordDraftField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OverviewDraft) -> str:
        return (
            f"Draft {obj.number}: {obj.display_name}, uploaded by {obj.uploaded_by} on "
            f"{obj.uploaded_at:%-d %B %Y}"
        )


class ImportChoiceForm(forms.Form):
    draft = WordDraftField(
        label="Which draft do you want to import?",
        queryset=OverviewDraft.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select the draft to import",
            "invalid_choice": "Select one of the report's Word drafts",
        },
    )

    def __init__(self, *args, drafts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["draft"].queryset = drafts


class ImportConfirmForm(OnceForm, VersionedForm):
    note = long_text(
        "About this version (optional)",
        max_length=2000,
        rows=2,
        help_text="Shown in the list of versions.",
    )


class CompareForm(forms.Form):
    before = forms.TypedChoiceField(
        label="Compare version", coerce=int, error_messages={"required": "Select a version"}
    )
    after = forms.TypedChoiceField(
        label="with version", coerce=int, error_messages={"required": "Select a version"}
    )

    def __init__(self, *args, numbers: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(number, f"Version {number}") for number in numbers]
        for name in ("before", "after"):
            self.fields[name].choices = choices
            self.fields[name].error_messages["invalid_choice"] = "Select one of the versions"

    def clean(self):
        data = super().clean()
        if data.get("before") is not None and data.get("before") == data.get("after"):
            self.add_error("after", "Select two different versions")
        return data
