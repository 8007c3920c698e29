from django import forms

from publication.models import PseudonymEntry, PublicationPlan, SubmissionPack, Theme
from publication.removal import REASON_MAX_LENGTH
from publication.themes import NAME_MAX_LENGTH
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


class PublicSearchForm(forms.Form):
    """The public list's search, sent in the address (GET): a year of publication and any of
    the themes. Only years and themes of listed publications are offered or accepted."""

    year = forms.TypedChoiceField(
        label="Year published",
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Select a year from the list"},
    )
    theme = forms.ModelMultipleChoiceField(
        label="Themes",
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_list": "Select themes from the list",
            "invalid_choice": "Select themes from the list",
            "invalid_pk_value": "Select themes from the list",
        },
    )

    def __init__(self, *args, years: list[int], themes, **kwargs):
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        assert isinstance(year, forms.TypedChoiceField)
        year.choices = [("", "Any year"), *((str(y), str(y)) for y in years)]
        theme = self.fields["theme"]
        assert isinstance(theme, forms.ModelMultipleChoiceField)
        theme.queryset = themes


def _theme_name() -> forms.CharField:
    return _line(
        "Name",
        max_length=NAME_MAX_LENGTH,
        required="Enter the theme's name",
        help_text="As the public site shows it, for example: Information sharing.",
    )


class ThemeAddForm(forms.Form):
    name = _theme_name()


class ThemeRenameForm(VersionedForm):
    name = _theme_name()


class PublicationThemesForm(VersionedForm):
    themes = forms.ModelMultipleChoiceField(
        label="Themes",
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The public site finds the report under each theme chosen.",
        error_messages={"invalid_choice": "Select themes from the list"},
    )


class PublicationRemoveForm(forms.Form):
    """Why the publication comes off the public site; before the 12 months it must stay
    listed, also a confirmation that the reason says why it must come off early."""

    reason = long_text(
        "Why is it being removed?",
        required="Enter why the publication is being removed",
        max_length=REASON_MAX_LENGTH,
        help_text="The board manager and the chair will see this. The public will not.",
    )
    early_confirmed = forms.MultipleChoiceField(
        label="Removing it early",
        choices=[("yes", "The reason says why the report must come off early")],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, early: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not early:
            del self.fields["early_confirmed"]

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {"reason": data["reason"], "early_confirmed": bool(data.get("early_confirmed"))}


class PublicationApproveForm(VersionedForm):
    """The chair's confirmation, carrying the plan's version and the publication version's
    number she read."""

    publication_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


TITLE_HELP = "What the board's site calls the report. It must not name anyone."
WRITING_HELP = (
    "A blank line between paragraphs; ## before a heading; - before each item of a list; "
    "1. before each item of a numbered list."
)


def _title() -> forms.CharField:
    return _line(
        "Title",
        max_length=200,
        required="Enter the title of the published report",
        help_text=TITLE_HELP,
    )


class VersionMakeForm(OnceForm):
    title = _title()


class VersionCorrectForm(VersionedForm):
    title = _title()
    summary = long_text(
        "Executive summary",
        required="Enter the executive summary",
        max_length=100_000,
        rows=15,
        help_text=WRITING_HELP,
    )
    body = long_text(
        "The rest of the report",
        max_length=500_000,
        rows=30,
        help_text="Each section starts with # and its heading on a line of its own. "
        + WRITING_HELP,
    )

    def __init__(self, *args, full: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not full:
            del self.fields["body"]


class HitResolveForm(forms.Form):
    reason = long_text(
        "Why does this not identify anyone?",
        required="Enter why this does not identify anyone",
        max_length=2000,
        help_text="For example: a common word that is also part of a name.",
    )


class PublishForm(OnceForm):
    themes = forms.ModelMultipleChoiceField(
        label="Themes (optional)",
        queryset=Theme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The public site can be searched by these.",
    )

    def service_data(self) -> dict:
        return {
            "themes": list(self.cleaned_data["themes"]),
            "submission": self.cleaned_data["submission"],
        }


class SubmissionPackForm(OnceForm):
    bodies = forms.MultipleChoiceField(
        label="Which national bodies was the pack sent to?",
        choices=SubmissionPack.Body.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the national bodies the pack was sent to"},
    )
    sent_on = GovukDateField(name="Date the pack was sent", label="When was it sent?")


class BoardResponseForm(VersionedForm):
    text = long_text(
        "The board's response",
        required="Enter the board's response",
        max_length=20_000,
        rows=20,
        help_text="What the board accepts, what it will do and how it will know it worked. "
        + WRITING_HELP,
    )


class BoardResponseAgreeForm(VersionedForm):
    meeting = _line(
        "Board meeting",
        max_length=200,
        required="Enter the board meeting that agreed the response",
        help_text="For example: Board meeting, 12 March 2026.",
    )
    agreed_on = GovukDateField(
        name="Date the board agreed it",
        label="When did the board agree it?",
        help_text="For example, 27 3 2026.",
    )
