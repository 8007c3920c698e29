"""The shapes of input of the lessons library, the learning brief and the dissemination log."""

from django import forms

from agencies.models import Agency
from learning.models import Dissemination, LearningBrief
from publication.models import Theme
from reviews.frameworks import Framework
from scr.forms import GovukDateField, OnceForm, VersionedForm, long_text


def _themes() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label="Themes (optional)",
        queryset=Theme.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The lessons library finds it under each theme chosen.",
        error_messages={"invalid_choice": "Select themes from the list"},
    )


def _agencies() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label="Agencies it concerns (optional)",
        queryset=Agency.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select agencies from the list"},
    )


class _LessonFields(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": "Enter the lesson's title",
            "max_length": "Title must be 200 characters or fewer",
        },
    )
    text = long_text("The lesson", required="Enter the lesson", max_length=5000, rows=5)
    themes = _themes()
    agencies = _agencies()


class LessonAddForm(OnceForm, _LessonFields):
    pass


class LessonChangeForm(VersionedForm, _LessonFields):
    pass


class RecommendationTagForm(VersionedForm):
    themes = _themes()
    agencies = _agencies()


class BriefDraftForm(VersionedForm):
    """Draft (again) from the lessons: the version of the brief the page showed, if any."""


class BriefApproveForm(VersionedForm):
    """Approve the brief the page showed."""


class BriefEditForm(VersionedForm):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": "Enter the brief's title",
            "max_length": "Title must be 200 characters or fewer",
        },
    )
    audience = forms.ChoiceField(
        label="Who is it for?",
        choices=LearningBrief.Audience.choices,
        widget=forms.RadioSelect,
        help_text="A brief for the public site is published with the report, and must name nobody.",
        error_messages={"required": "Select who the brief is for"},
    )
    background = long_text("Background (optional)", max_length=3000)
    what_happened = long_text("What happened (optional)", max_length=3000)
    why_it_matters = long_text("Why it matters (optional)", max_length=3000)
    what_we_learned = long_text("What we learned (optional)", max_length=3000)
    what_to_do = long_text("What to do differently (optional)", max_length=3000)
    questions = long_text("Questions for practice (optional)", max_length=3000)
    further_reading = long_text("Further reading (optional)", max_length=3000)


class DisseminationForm(OnceForm):
    what = forms.ChoiceField(
        label="What was shared?",
        choices=Dissemination.What.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what was shared"},
    )
    agency = forms.ModelChoiceField(
        label="Agency (optional)",
        queryset=Agency.objects.order_by("name"),
        required=False,
        help_text="Leave it unchosen for a multi-agency event.",
        error_messages={"invalid_choice": "Select an agency from the list"},
    )
    event = forms.CharField(
        label="Event or channel",
        max_length=200,
        help_text="For example, a team meeting, a multi-agency learning event or a newsletter.",
        error_messages={
            "required": "Enter the event or channel",
            "max_length": "Event must be 200 characters or fewer",
        },
    )
    shared_on = GovukDateField(name="Date it was shared", help_text="For example, 27 3 2026")
    practitioners_reached = forms.IntegerField(
        label="Practitioners reached",
        min_value=0,
        max_value=100000,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
        error_messages={
            "required": "Enter how many practitioners it reached",
            "invalid": "Practitioners reached must be a whole number",
            "min_value": "Practitioners reached must be 0 or more",
            "max_value": "Practitioners reached must be 100,000 or fewer",
        },
    )
    evidence = long_text(
        "Evidence that the learning landed (optional)",
        max_length=5000,
        help_text="For example, audit findings, feedback, or a change in practice seen since.",
    )


class LibrarySearchForm(forms.Form):
    """The library's search, sent in the address (GET)."""

    q = forms.CharField(label="Search lessons", max_length=200, required=False)
    theme = forms.ModelChoiceField(
        label="Theme",
        queryset=Theme.objects.order_by("name"),
        required=False,
        error_messages={"invalid_choice": "Select a theme from the list"},
    )
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.order_by("name"),
        required=False,
        error_messages={"invalid_choice": "Select an agency from the list"},
    )
    framework = forms.ChoiceField(
        label="Type of review",
        choices=[("", "Any type of review"), *Framework.choices],
        required=False,
        error_messages={"invalid_choice": "Select a type of review from the list"},
    )
    year = forms.TypedChoiceField(
        label="Year recorded",
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Select a year from the list"},
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "Any year"), *((y, str(y)) for y in years)]  # type: ignore[attr-defined]
        self.fields["theme"].empty_label = "Any theme"  # type: ignore[attr-defined]
        self.fields["agency"].empty_label = "Any agency"  # type: ignore[attr-defined]
