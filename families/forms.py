"""Forms of the family's records."""

from django import forms

from agencies.models import User
from families.letters import PublishedAs
from families.models import Contact, FamilyMember, Meeting
from scr.forms import GovukDateField, OnceForm, VersionedForm, long_text, yes_no


def _line(label: str, *, max_length: int = 200, required: str = "", **kw) -> forms.CharField:
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


class FamilyMemberForm(OnceForm, VersionedForm):
    name = _line("Full name", required="Enter the person's name")
    relationship = forms.ChoiceField(
        label="Relationship to the subject of the review",
        choices=FamilyMember.Relationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select their relationship to the subject"},
    )
    relationship_other = _line(
        "If other, describe their relationship",
    )
    date_of_birth = GovukDateField(
        name="Date of birth",
        label="Date of birth (optional)",
        required=False,
        help_text="For example, 27 3 1985",
    )
    address = long_text("Address (optional)", max_length=1000, rows=3)
    phone = _line("Phone number (optional)", max_length=50)
    email = forms.EmailField(
        label="Email address (optional)",
        max_length=254,
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
    preferred_contact = forms.ChoiceField(
        label="Preferred way of contact (optional)",
        choices=FamilyMember.Contact.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    language = _line(
        "Language (optional)", max_length=100, help_text="The language they prefer to use."
    )
    interpreter_needed = yes_no(
        "Do they need an interpreter?", "Select whether they need an interpreter"
    )
    supporter_name = _line("Supporter or advocate's name (optional)")
    supporter_organisation = _line("Supporter or advocate's organisation (optional)")
    supporter_contact = _line("Supporter or advocate's contact details (optional)")
    parental_responsibility = forms.ChoiceField(
        label="Do they have parental responsibility for the subject?",
        choices=FamilyMember.ParentalResponsibility.choices,
        widget=forms.RadioSelect(attrs={"inline": True}),
        error_messages={"required": "Select whether they have parental responsibility"},
    )


# The service, not the form, requires the date and the reason: it first checks that the record
# is as the person read it, so a page left open across the other choice answers 409 and says who
# changed it, rather than asking for an answer to a question the page did not show.


class DeclineForm(VersionedForm):
    declined_on = GovukDateField(
        name="Date they said so",
        label="When did they say they do not wish to take part?",
        help_text="For example, 27 3 2026",
        required=False,
    )
    note = long_text("Note (optional)", max_length=2000)


class DeclineWithdrawForm(VersionedForm):
    reason = long_text("Why do they now wish to take part?", max_length=2000)


class NoticeLetterForm(forms.Form):
    planned_on = GovukDateField(
        name="Planned date of publication",
        label="When do you plan to publish the report?",
        help_text="For example, 27 3 2027",
    )
    published_as = forms.ChoiceField(
        label="What will be published?",
        choices=PublishedAs.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what will be published"},
    )


# --- Involvement ---

_HOW = forms.ChoiceField(
    label="How were they told?",
    choices=Contact.How.choices,
    widget=forms.RadioSelect,
    error_messages={"required": "Select how they were told"},
)


def _on(name: str, label: str) -> GovukDateField:
    return GovukDateField(name=name, label=label, help_text="For example, 27 3 2026")


class ToldForm(OnceForm):
    on = _on("Date they were told", "When were they told of the review?")
    how = _HOW
    by_whom = _line("Who told them?", required="Enter who told them")
    leaflet_given = yes_no(
        "Were they given the board's leaflet for families?",
        "Select whether they were given the board's leaflet",
    )


class OutcomeToldForm(OnceForm):
    on = _on("Date they were told", "When were they told the outcome and the lessons?")
    how = _HOW
    by_whom = _line("Who told them? (optional)")


class ShownForm(OnceForm):
    on = _on("Date they were shown the report", "When were they shown the report?")
    by_whom = _line("Who showed them the report?", required="Enter who showed them the report")
    response = long_text("Their response (optional)", max_length=5000)


class NotShownForm(OnceForm):
    reason = long_text(
        "Why were they not shown the report before publication?",
        required="Enter why they were not shown the report",
        max_length=5000,
    )


class MeetingOfferForm(OnceForm):
    offered_on = _on("Date offered", "When was the meeting offered?")


class MeetingHeldForm(VersionedForm):
    held_on = _on("Date of the meeting", "When was the meeting held?")
    place = forms.ChoiceField(
        label="Where was it held?",
        choices=Meeting.Place.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the meeting was held"},
    )
    place_detail = _line("If somewhere else, where? (optional)")
    attendees = forms.ModelMultipleChoiceField(
        label="Who attended from the review? (optional)",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Choose people of the review"},
    )
    supporter_attended = yes_no(
        "Did their supporter or advocate attend?", "Select whether their supporter attended"
    )
    supporter_name = _line("Supporter's name (optional)", help_text="Required if they attended.")

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["attendees"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = people
        field.label_from_instance = lambda person: (
            f"{person.get_full_name() or person.email} ({person.agency or 'no agency'})"
        )


class NotesSentForm(VersionedForm):
    sent_on = _on("Date the notes were sent", "When were the notes sent to them?")
    due_on = GovukDateField(
        name="Date to agree by",
        label="By when should they agree the notes?",
        help_text="For example, 27 3 2026",
    )


class NotesAnswerForm(VersionedForm):
    outcome = forms.ChoiceField(
        label="Did they agree the notes?",
        choices=Meeting.NotesOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether they agreed the notes"},
    )
    answered_on = _on("Date of their answer", "When did they answer?")
    amendments = long_text(
        "What was amended? (optional)",
        max_length=5000,
        help_text="Required if they agreed with amendments.",
    )


class ViewsForm(VersionedForm):
    views = long_text(
        "Their views for the report",
        required="Enter their views",
        max_length=20000,
        rows=8,
    )
