"""Forms of stages 1 and 2: the referral, the notification, the rapid review, the decision."""

from datetime import date
from typing import NamedTuple

from django import forms
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.formats import date_format

from agencies.selectors import agency_list_active
from reviews.frameworks import AgeGroup, Ethnicity, Framework, profile_for
from reviews.models import (
    RapidReview,
    ReferralDraft,
    ReferralFamilyMember,
    Review,
    ThresholdDecision,
)
from reviews.selectors.referral import decision_chair_candidates
from scr.forms import YES_NO, GovukDateField, OnceForm, long_text, yes_no


def _line(label: str, *, max_length: int = 200, required: str = "", **kw) -> forms.CharField:
    name = label.removesuffix(" (optional)")
    kw.setdefault("widget", forms.TextInput(attrs={"class": "govuk-!-width-two-thirds"}))
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


def _choice(label: str, choices, message: str, *, inline: bool = False, **kw):
    """Radios; ``message`` when none is chosen (or a choice not offered is sent)."""
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect(attrs={"inline": True} if inline else {}),
        error_messages={"required": message, "invalid_choice": message},
        **kw,
    )


class ReferrerForm(forms.Form):
    """Part 1 of a referral: the type of review, and who refers and when."""

    framework = forms.ChoiceField(
        label="Type of review",
        choices=Framework.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of review"},
    )
    referring_agency = forms.ModelChoiceField(
        label="Referring agency",
        queryset=agency_list_active(),
        empty_label="Choose an agency",
        error_messages={
            "required": "Select the referring agency",
            "invalid_choice": "Select the referring agency from the list",
        },
    )
    referrer_name = _line(
        "Name of the person referring", required="Enter the name of the person referring"
    )
    referrer_role = _line(
        "Their role",
        required="Enter the role of the person referring",
        help_text="For example, designated safeguarding lead or detective inspector.",
    )
    referrer_contact = _line("Their email address or telephone number (optional)")
    referred_on = GovukDateField(
        name="Date referred", label="Date referred", help_text="For example, 2 4 2026"
    )
    lead_consulted = yes_no(
        "Did they consult their agency's designated safeguarding lead?",
        "Select whether they consulted their designated safeguarding lead",
    )
    lead_consulted_name = _line(
        "Name of the designated safeguarding lead they consulted",
        help_text="Only if they consulted one.",
    )

    def not_applicable(self) -> set[str]:
        """Follow-up questions the answers make moot (left off "Check your answers")."""
        return set() if self.cleaned_data.get("lead_consulted") else {"lead_consulted_name"}

    def clean(self):
        data = super().clean()
        if data.get("lead_consulted") and not data.get("lead_consulted_name", "").strip():
            self.add_error(
                "lead_consulted_name", "Enter the name of the designated safeguarding lead"
            )
        return data


class SubjectForm(forms.Form):
    """Part 2 of a referral: who the review is about. Names and dates go into the subject's
    identity, which only the board manager and the chair see; sex, ethnicity and age group are
    counted in the board's statistics."""

    subject_reference = forms.CharField(
        label="Pseudonymous reference",
        max_length=60,
        help_text='How the review will name the subject, for example "Child A".',
        error_messages={"required": "Enter a pseudonymous reference"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )
    full_name = forms.CharField(
        label="Subject's full name",
        max_length=200,
        help_text="Kept apart from the review and shown only to the board manager and chair.",
        error_messages={"required": "Enter the subject's full name"},
        widget=forms.TextInput(attrs={"class": "govuk-!-width-two-thirds", "autocomplete": "off"}),
    )
    other_names = _line(
        "Other names they are known by (optional)",
        max_length=500,
        help_text="Earlier names, nicknames or other spellings.",
    )
    date_of_birth = GovukDateField(
        name="Date of birth", label="Subject's date of birth (optional)", required=False
    )
    address = forms.CharField(
        label="Subject's address (optional)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
    )
    age_group = _choice("Age group", AgeGroup.choices, "Select the subject's age group")
    sex = _choice("Sex", Review.Sex.choices, "Select the subject's sex", inline=True)
    ethnicity = forms.ChoiceField(
        label="Ethnic group",
        choices=[("", "Choose an ethnic group"), *Ethnicity.grouped_choices()],
        help_text="The groups of the 2021 census.",
        error_messages={
            "required": "Select the subject's ethnic group, or Not known",
            "invalid_choice": "Select the subject's ethnic group from the list",
        },
    )
    first_language = _line("First language (optional)", max_length=100)
    religion = _line("Religion (optional)", max_length=100)
    harm = _choice(
        "Harm",
        Review.Harm.choices,
        "Select whether the subject died or was seriously harmed",
        inline=True,
    )
    date_of_death = GovukDateField(
        name="Date of death",
        label="Date of death (if the subject died)",
        required=False,
        help_text="For example, 27 3 2026",
    )

    def __init__(self, *args, framework: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if framework in Framework.values:
            groups = profile_for(framework).age_groups
            self.fields["age_group"].choices = [
                (value, label) for value, label in AgeGroup.choices if value in groups
            ]

    def not_applicable(self) -> set[str]:
        """Follow-up questions the answers make moot (left off "Check your answers")."""
        died = self.cleaned_data.get("harm") == Review.Harm.DEATH
        return set() if died else {"date_of_death"}

    def clean(self):
        data = super().clean()
        died = data.get("harm") == Review.Harm.DEATH
        if died and not data.get("date_of_death") and "date_of_death" not in self.errors:
            self.add_error("date_of_death", "Enter the date of death")
        if data.get("date_of_death") and data.get("harm") == Review.Harm.SERIOUS_HARM:
            self.add_error("date_of_death", "Leave the date of death empty unless the subject died")
        return data


class CircumstancesForm(forms.Form):
    """Part 3 of a referral: what happened, and what children's social care knew."""

    incident_date = GovukDateField(
        name="Date of the incident",
        label="Date of the incident",
        help_text="For example, 27 3 2026",
    )
    abuse_categories = forms.MultipleChoiceField(
        label="Abuse or neglect known or suspected",
        choices=Review.AbuseCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Select at least one category of abuse or neglect"},
    )
    incident_setting = long_text(
        "Where and with whom was the subject at the time?",
        required="Enter where and with whom the subject was at the time",
        max_length=2000,
        rows=3,
        help_text="For example, at home with their mother's partner. Use roles, not names.",
    )
    circumstances = long_text(
        "Summary of the circumstances",
        required="Enter a summary of the circumstances",
        rows=8,
        help_text="What happened and why the case is referred. Use the pseudonymous reference, "
        "not names.",
    )
    protection_plan = _choice(
        "Is or was the subject on a child protection plan?",
        Review.ProtectionPlan.choices,
        "Select whether the subject is or was on a child protection plan",
    )
    protection_plan_category = _choice(
        "Category of the plan (optional)",
        Review.PlanCategory.choices,
        "Select the category of the child protection plan",
        required=False,
        help_text="Required if they are or were on a plan.",
    )
    protection_plan_started_on = GovukDateField(
        name="Date the plan started", label="Date the plan started (optional)", required=False
    )
    protection_plan_ended_on = GovukDateField(
        name="Date the plan ended",
        label="Date the plan ended (optional)",
        required=False,
        help_text="Only for a plan that has ended.",
    )
    social_care = _choice(
        "Is or was the subject known to children's social care?",
        Review.SocialCare.choices,
        "Select whether the subject is or was known to children's social care",
    )
    key_dates = long_text(
        "Key dates (optional)",
        max_length=5000,
        help_text="One a line, for example: 3 January 2026, seen at the emergency department.",
    )

    def not_applicable(self) -> set[str]:
        """Follow-up questions the answers make moot (left off "Check your answers")."""
        plan = self.cleaned_data.get("protection_plan")
        if plan == Review.ProtectionPlan.PAST:
            return set()
        details = {"protection_plan_category", "protection_plan_started_on"}
        moot = set() if plan == Review.ProtectionPlan.CURRENT else details
        return moot | {"protection_plan_ended_on"}

    def clean(self):
        data = super().clean()
        on_plan = data.get("protection_plan") in (
            Review.ProtectionPlan.CURRENT,
            Review.ProtectionPlan.PAST,
        )
        if on_plan and not data.get("protection_plan_category"):
            self.add_error(
                "protection_plan_category", "Select the category of the child protection plan"
            )
        return data


RECORDS_SECURED = [("yes", "Records secured and the agencies asked to secure theirs")]


class AgenciesForm(forms.Form):
    """Part 4 of a referral: the agencies involved, how they worked together, and the prompt
    to secure the records."""

    agencies_involved = forms.ModelMultipleChoiceField(
        label="Agencies known to be involved (optional)",
        queryset=agency_list_active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select agencies from the list"},
    )
    other_agencies = long_text(
        "Other agencies involved (optional)",
        max_length=5000,
        help_text="Agencies not in the list: for each, a contact and whether they are still "
        "involved.",
    )
    agency_concerns = long_text(
        "What are the concerns about how agencies worked together?",
        required="Enter the concerns about how agencies worked together",
        rows=5,
    )
    records_secured = forms.MultipleChoiceField(
        label="Securing the records (optional)",
        choices=RECORDS_SECURED,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Ask each agency involved to secure its records now, so that nothing is lost "
        "or changed before the review.",
    )
    records_secured_on = GovukDateField(
        name="Date records secured",
        label="Date the records were secured",
        required=False,
        help_text="Only if they are secured. For example, 27 3 2026",
    )

    def not_applicable(self) -> set[str]:
        """Follow-up questions the answers make moot (left off "Check your answers")."""
        return set() if self.cleaned_data.get("records_secured") else {"records_secured_on"}

    def clean(self):
        data = super().clean()
        secured = bool(data.get("records_secured"))
        if (
            secured
            and not data.get("records_secured_on")
            and not self.has_error("records_secured_on")
        ):
            self.add_error("records_secured_on", "Enter the date the records were secured")
        if not secured and data.get("records_secured_on"):
            self.add_error(
                "records_secured", "Select this if the records are secured, or remove the date"
            )
        return data


class AgencyContactsForm(forms.Form):
    """Part 5 of a referral: for each agency involved, whom to contact and whether it is still
    involved (one pair of questions per agency chosen in part 4)."""

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.agencies = list(agencies)
        for agency in self.agencies:
            self.fields[f"contact_{agency.pk}"] = _line(
                f"Contact at {agency.name} (optional)",
                max_length=300,
                help_text="Name, role, and email address or telephone number.",
            )
            self.fields[f"still_{agency.pk}"] = yes_no(
                f"Is {agency.name} still involved?",
                f"Select whether {agency.name} is still involved",
            )

    def contacts(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "agency": agency,
                "contact": data[f"contact_{agency.pk}"],
                "still_involved": data[f"still_{agency.pk}"],
            }
            for agency in self.agencies
        ]


class FamilyPersonForm(OnceForm):
    """A member of the subject's household or a significant other, added to a draft referral
    (``submission``: the row's id, so that sending the page twice adds them once)."""

    name = _line("Full name", required="Enter the person's name")
    relationship = _choice(
        "Relationship to the subject",
        ReferralFamilyMember.Relationship.choices,
        "Select their relationship to the subject",
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
    lives_with_subject = yes_no(
        "Do they live with the subject?", "Select whether they live with the subject"
    )
    parental_responsibility = _choice(
        "Do they have parental responsibility for the subject?",
        ReferralFamilyMember.ParentalResponsibility.choices,
        "Select whether they have parental responsibility",
        inline=True,
    )

    def clean(self):
        data = super().clean()
        other = data.get("relationship") == ReferralFamilyMember.Relationship.OTHER
        if other and not data.get("relationship_other", "").strip():
            self.add_error("relationship_other", "Describe their relationship to the subject")
        if data.get("date_of_birth") and data["date_of_birth"] > timezone.localdate():
            self.add_error("date_of_birth", "Date of birth must be today or in the past")
        return data

    @property
    def rows(self) -> list[tuple[str, str]]:
        """The person's answers in words, for the pages that list them."""
        return [(shown_label(self, n), shown(self, n)) for n in self.fields if n != "submission"]

    def person(self) -> dict:
        """The person as ``referral_create`` takes them."""
        return {k: v for k, v in self.cleaned_data.items() if k != "submission"}


class NotificationForm(forms.Form):
    notified_on = GovukDateField(
        name="Date of the notification",
        label="When were the national bodies told of the serious incident?",
    )


class RapidReviewForm(forms.Form):
    held_on = GovukDateField(name="Date of the rapid review", label="Date of the rapid review")
    attendees = long_text(
        "Who took part", required="Enter who took part", help_text="Agencies and roles, not names."
    )
    facts = long_text("What happened", required="Enter what happened", rows=6)
    immediate_action = long_text(
        "Immediate safeguarding action",
        required="Enter the immediate safeguarding action taken",
        help_text="What was done to keep the child and any other children safe.",
    )
    learning = long_text("Learning identified so far", required="Enter the learning identified")
    recommendation = forms.ChoiceField(
        label="Recommendation to the chair",
        choices=RapidReview.Recommendation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the rapid review's recommendation"},
    )
    sent_to_national_panel_on = GovukDateField(
        name="Date it was sent to the national panel",
        label="Date it was sent to the national panel (optional)",
        required=False,
    )


class ChairChoiceField(forms.ModelChoiceField):
    """Choose a chair by name (chairs are independent: their agency says nothing)."""

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class DecisionForm(forms.Form):
    """The threshold checklist of the review's framework, then the outcome and its reasons;
    ``for_chair``: a board manager records a chair's decision, saying which chair and how."""

    outcome = forms.ChoiceField(
        label="Outcome",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome of the decision"},
    )
    decided_on = GovukDateField(name="Date of the decision", label="Date of the decision")
    rationale = forms.CharField(
        label="Rationale",
        max_length=10000,
        required=False,
        help_text="Required when the outcome departs from the criteria.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"max_length": "Rationale must be 10,000 characters or fewer"},
    )
    national_bodies_told_on = GovukDateField(
        name="Date the national bodies were told",
        label="Date the national bodies were told of the decision (optional)",
        required=False,
    )

    def __init__(self, *args, review: Review, for_chair: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if for_chair:
            self._ask_which_chair()
        profile = self.profile = review.profile
        criteria = {
            criterion.key: forms.TypedChoiceField(
                label=criterion.text,
                choices=YES_NO,
                coerce=lambda value: value == "yes",
                widget=forms.RadioSelect(attrs={"inline": True}),
                help_text="Must always lead to a review." if criterion.mandatory else "",
                error_messages={"required": "Select yes or no"},
            )
            for criterion in profile.criteria
        }
        self.fields = {**criteria, **self.fields}
        self.criteria_keys = list(criteria)
        self.fields["outcome"].choices = [
            (outcome.value, profile.outcome_label(outcome)) for outcome in profile.outcomes
        ]

    def _ask_which_chair(self) -> None:
        """A board manager records a chair's decision: which chair, and how they made it known."""
        self.fields = {
            "decided_by": ChairChoiceField(
                label="Which chair made the decision?",
                queryset=decision_chair_candidates(),
                empty_label=None,
                widget=forms.RadioSelect,
                help_text="You are recording the chair's decision on their behalf.",
                error_messages={
                    "required": "Select the chair who made the decision",
                    "invalid_choice": "Select the chair who made the decision",
                },
            ),
            **self.fields,
        }
        self.fields["decided_on"].label = "Date the chair made the decision"
        self.fields["decided_on"].help_text = "Not the date you record it, if that is later."
        self.fields["communicated_via"] = forms.ChoiceField(
            label="How did the chair make the decision known to you?",
            choices=ThresholdDecision.Communication.choices,
            widget=forms.RadioSelect,
            error_messages={
                "required": "Select how the chair made the decision known to you",
                "invalid_choice": "Select how the chair made the decision known to you",
            },
        )
        order = ["decided_by", "outcome", "decided_on", "communicated_via"]
        self.fields = {
            **{name: self.fields[name] for name in order},
            **{name: field for name, field in self.fields.items() if name not in order},
        }

    @property
    def criteria_fields(self):
        return [self[key] for key in self.criteria_keys]

    @property
    def other_fields(self):
        return [self[name] for name in self.fields if name not in self.criteria_keys]

    def answers(self) -> dict[str, bool]:
        return {key: self.cleaned_data[key] for key in self.criteria_keys}

    def service_data(self) -> dict:
        """The decision as ``decision_record`` takes it: the criteria's answers as one dict."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.criteria_keys}
        return {**data, "answers": self.answers()}

    def criteria_met(self) -> bool | None:
        """Whether the answers given so far meet the threshold; None until all are answered."""
        data = getattr(self, "cleaned_data", {})
        if not all(key in data for key in self.criteria_keys):
            return None
        return self.profile.criteria_met(self.answers())


class Part(NamedTuple):
    key: str
    title: str
    form: type[forms.Form]


# The question pages of a referral, in order; the household (FAMILY) follows them.
PARTS = (
    Part("referrer", "The referrer", ReferrerForm),
    Part("subject", "The subject", SubjectForm),
    Part("circumstances", "What happened", CircumstancesForm),
    Part("agencies", "Agencies involved", AgenciesForm),
    Part("contacts", "Contacts at the agencies", AgencyContactsForm),
)
PART_OF = {part.key: part for part in PARTS}
FAMILY = "family"
FAMILY_TITLE = "The family and household"
# Where an error the service raises about a field is put right.
FIELD_PART = {
    **{name: part.key for part in PARTS for name in part.form.base_fields},
    "family": FAMILY,
    "agency_contacts": "contacts",
}


def _choice_label(field: forms.ChoiceField, value) -> str:
    for option, label in field.choices:
        if isinstance(label, list | tuple):
            found = dict(label).get(value)
            if found is not None:
                return f"{option}: {found}"
        elif option == value:
            return str(label)
    return str(value)


def shown(form: forms.Form, name: str) -> str:
    """A valid form's answer to ``name`` in words, for "Check your answers"."""
    field, value = form.fields[name], form.cleaned_data.get(name)
    if isinstance(value, bool):
        text = "Yes" if value else "No"
    elif isinstance(value, date):
        text = date_format(value, "j F Y")
    elif isinstance(field, forms.ModelMultipleChoiceField):
        text = ", ".join(str(item) for item in value)
    elif isinstance(field, forms.MultipleChoiceField):
        text = ", ".join(_choice_label(field, item) for item in value)
    elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        text = _choice_label(field, value) if value else ""
    else:
        text = "" if value is None else str(value)
    return text or "Not given"


def shown_label(form: forms.Form, name: str) -> str:
    return str(form.fields[name].label).removesuffix(" (optional)")


class ReferralFlow:
    """The forms of a draft referral, bound to the answers it keeps: which parts are answered,
    where to go next, the answers in words, and the referral as ``referral_create`` takes it."""

    def __init__(self, draft: ReferralDraft | None):
        self.draft = draft
        self.answers = draft.answers if draft else {}
        self._forms: dict[str, forms.Form] = {}

    def _kwargs(self, key: str) -> dict:
        if key == "subject":
            framework = self.answers.get("referrer", {}).get("framework", [None])
            return {"framework": framework[0] if framework else None}
        if key == "contacts":
            return {"agencies": self.agencies()}
        return {}

    def form(self, key: str, data=None) -> forms.Form:
        """The part's form bound to ``data`` (a post), else to the answers kept, else empty."""
        form_class = PART_OF[key].form
        if data is not None:
            return form_class(data, **self._kwargs(key))
        if key not in self._forms:
            kept = self.answers.get(key)
            bound = MultiValueDict(kept) if kept is not None else None
            self._forms[key] = form_class(bound, **self._kwargs(key))
        return self._forms[key]

    def agencies(self) -> list:
        form = self.form("agencies")
        return list(form.cleaned_data["agencies_involved"]) if form.is_valid() else []

    def needed(self, key: str) -> bool:
        return key != "contacts" or bool(self.agencies())

    def complete(self, key: str) -> bool:
        if key == FAMILY:
            return FAMILY in self.answers and all(person.is_valid() for _, person in self.people())
        return not self.needed(key) or (key in self.answers and self.form(key).is_valid())

    def next_part(self) -> str | None:
        """The first part not yet answered (or whose answers no longer stand), or None."""
        for key in [*(part.key for part in PARTS), FAMILY]:
            if not self.complete(key):
                return key
        return None

    def people(self) -> list[tuple[str, FamilyPersonForm]]:
        """The household added so far: each row's id and its form, checked."""
        rows = self.draft.family if self.draft else []
        people = [(row["id"], FamilyPersonForm(MultiValueDict(row["answers"]))) for row in rows]
        for _, person in people:
            person.is_valid()
        return people

    def sections(self) -> list[dict]:
        """Each part with its answers in words (or that it needs answering), for "Check your
        answers"."""
        sections = []
        for part in PARTS:
            if not self.needed(part.key):
                continue
            form = self.form(part.key)
            rows = []
            if form.is_bound and form.is_valid():
                moot = form.not_applicable() if hasattr(form, "not_applicable") else set()
                rows = [
                    (shown_label(form, name), shown(form, name))
                    for name in form.fields
                    if name not in moot
                ]
            sections.append({"key": part.key, "title": part.title, "rows": rows})
        return sections

    def service_data(self) -> dict:
        """The referral as ``referral_create`` takes it; call only when every part is
        complete."""
        data: dict = {}
        for key in ("referrer", "subject", "circumstances", "agencies"):
            data.update(self.form(key).cleaned_data)
        if not data.pop("records_secured"):
            data["records_secured_on"] = None
        contacts = self.form("contacts")
        data["agency_contacts"] = contacts.contacts() if self.needed("contacts") else []
        data["family"] = [person.person() for _, person in self.people()]
        return data
