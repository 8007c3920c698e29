"""Framework profiles and review types: the rules of each kind of review, kept as data.

A review's framework is chosen at referral. Its profile gives the legislation, the threshold
criteria and the rule that combines them, the decision outcomes it allows, and the deadlines
that run before the decision. A rule is a small expression tree of criterion keys:
``("all", a, b)`` needs every part true, ``("any", a, b)`` needs one.

The decision then makes the review one of three types within its framework: the framework's
statutory review (an SCR, an LCSPR, a SAR), a partnership review or a single-agency review.
Each (framework, type) has a TypeProfile: its name, its reference prefix, and what it owes
after the decision (completion target, panel, management reports, publication).
"""

from dataclasses import dataclass, field

from django.db import models


class Framework(models.TextChoices):
    SCR = "scr", "Serious Case Review (Working Together 2015)"
    LCSPR = "lcspr", "Local Child Safeguarding Practice Review (Working Together 2018/2023)"
    SAR = "sar", "Safeguarding Adults Review (Care Act 2014, section 44)"


class Subject(models.TextChoices):
    CHILD = "child", "Child"
    ADULT = "adult", "Adult"


class Outcome(models.TextChoices):
    INITIATE = "initiate", "Initiate the review"
    PARTNERSHIP_REVIEW = "partnership_review", "Partnership review (below threshold)"
    CHILD_DEATH_REVIEW_ONLY = "child_death_review_only", "Child death review only"
    SINGLE_AGENCY_REVIEW = "single_agency_review", "Single-agency review"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


class ReviewType(models.TextChoices):
    """What the decision made of the review within its framework (STATUTORY until then)."""

    STATUTORY = "statutory", "Statutory review"
    PARTNERSHIP = "partnership", "Partnership review"
    SINGLE_AGENCY = "single_agency", "Single-agency review"


# The outcomes after which the board carries on with the review, and the type each makes it.
REVIEW_TYPE_OF_OUTCOME: dict[str, ReviewType] = {
    Outcome.INITIATE: ReviewType.STATUTORY,
    Outcome.PARTNERSHIP_REVIEW: ReviewType.PARTNERSHIP,
    Outcome.SINGLE_AGENCY_REVIEW: ReviewType.SINGLE_AGENCY,
}
OUTCOMES_THAT_CONTINUE = frozenset(REVIEW_TYPE_OF_OUTCOME)


class Jurisdiction(models.TextChoices):
    """Where the board sits; it decides the bank holidays that working days skip."""

    ENGLAND = "england", "England"
    WALES = "wales", "Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"
    JERSEY = "jersey", "Jersey"


@dataclass(frozen=True)
class Criterion:
    key: str
    text: str
    mandatory: bool = False  # true: the review must always be carried out when this holds


@dataclass(frozen=True)
class FrameworkProfile:
    """A framework's rules up to the decision; what follows it is the review type's."""

    framework: Framework
    legislation: str
    subject: Subject
    criteria: tuple[Criterion, ...]
    rule: tuple
    outcomes: tuple[Outcome, ...]
    initiate_label: str
    # Working days from the referral to the notification of the serious incident to the
    # national bodies; None: the framework has no such notification.
    notify_national_bodies_working_days: int | None
    age_groups: tuple[str, ...] = field(default=())
    # Working days from the notification to the national bodies to the rapid review's end;
    # None: the review type has no rapid review.
    rapid_review_working_days: int | None = None

    def criterion(self, key: str) -> Criterion:
        return next(c for c in self.criteria if c.key == key)

    def criteria_met(self, answers: dict[str, bool]) -> bool:
        """Whether the recorded answers meet this framework's threshold."""
        if any(answers.get(c.key) for c in self.criteria if c.mandatory):
            return True
        return _evaluate(self.rule, answers)

    def outcome_label(self, outcome: str) -> str:
        if outcome == Outcome.INITIATE:
            return self.initiate_label
        return Outcome(outcome).label


def _evaluate(rule, answers: dict[str, bool]) -> bool:
    if isinstance(rule, str):
        return bool(answers.get(rule))
    operator, *parts = rule
    results = (_evaluate(part, answers) for part in parts)
    return all(results) if operator == "all" else any(results)


class AgeGroup(models.TextChoices):
    UNDER_1 = "under_1", "Under 1 year"
    AGED_1_4 = "1_4", "1 to 4 years"
    AGED_5_9 = "5_9", "5 to 9 years"
    AGED_10_15 = "10_15", "10 to 15 years"
    AGED_16_17 = "16_17", "16 or 17 years"
    AGED_18_64 = "18_64", "18 to 64 years"
    AGED_65_PLUS = "65_plus", "65 years or over"


class Ethnicity(models.TextChoices):
    """The Office for National Statistics' ethnic groups of the 2021 census (England and
    Wales), each under its high-level group, and "Not known"."""

    BANGLADESHI = "asian_bangladeshi", "Asian, Asian British or Asian Welsh: Bangladeshi"
    CHINESE = "asian_chinese", "Asian, Asian British or Asian Welsh: Chinese"
    INDIAN = "asian_indian", "Asian, Asian British or Asian Welsh: Indian"
    PAKISTANI = "asian_pakistani", "Asian, Asian British or Asian Welsh: Pakistani"
    OTHER_ASIAN = "asian_other", "Asian, Asian British or Asian Welsh: Any other Asian background"
    AFRICAN = "black_african", "Black, Black British, Black Welsh, Caribbean or African: African"
    CARIBBEAN = (
        "black_caribbean",
        "Black, Black British, Black Welsh, Caribbean or African: Caribbean",
    )
    OTHER_BLACK = (
        "black_other",
        "Black, Black British, Black Welsh, Caribbean or African: Any other Black, Black British "
        "or Caribbean background",
    )
    WHITE_ASIAN = "mixed_white_asian", "Mixed or Multiple ethnic groups: White and Asian"
    WHITE_BLACK_AFRICAN = (
        "mixed_white_black_african",
        "Mixed or Multiple ethnic groups: White and Black African",
    )
    WHITE_BLACK_CARIBBEAN = (
        "mixed_white_black_caribbean",
        "Mixed or Multiple ethnic groups: White and Black Caribbean",
    )
    OTHER_MIXED = (
        "mixed_other",
        "Mixed or Multiple ethnic groups: Any other Mixed or multiple ethnic background",
    )
    BRITISH = "white_british", "White: English, Welsh, Scottish, Northern Irish or British"
    IRISH = "white_irish", "White: Irish"
    GYPSY_TRAVELLER = "white_gypsy_traveller", "White: Gypsy or Irish Traveller"
    ROMA = "white_roma", "White: Roma"
    OTHER_WHITE = "white_other", "White: Any other White background"
    ARAB = "other_arab", "Other ethnic group: Arab"
    OTHER = "other", "Other ethnic group: Any other ethnic group"
    NOT_KNOWN = "not_known", "Not known"

    @classmethod
    def grouped_choices(cls) -> list:
        """The choices under their high-level groups, for a dropdown's option groups."""
        groups: dict[str, list[tuple[str, str]]] = {}
        for value, label in cls.choices:
            group, _, name = str(label).rpartition(": ")
            groups.setdefault(group, []).append((value, name))
        return [(group, options) if group else options[0] for group, options in groups.items()]


CHILD_AGE_GROUPS = (
    AgeGroup.UNDER_1,
    AgeGroup.AGED_1_4,
    AgeGroup.AGED_5_9,
    AgeGroup.AGED_10_15,
    AgeGroup.AGED_16_17,
)
ADULT_AGE_GROUPS = (AgeGroup.AGED_18_64, AgeGroup.AGED_65_PLUS)

_CHILD_CUSTODY_CRITERIA = (
    Criterion(
        "died_in_custody",
        "The child died in custody, in police custody, on remand or following sentencing",
        mandatory=True,
    ),
    Criterion(
        "died_in_secure_setting",
        "The child died in a secure children's home, secure training centre or young "
        "offender institution",
        mandatory=True,
    ),
    Criterion("suspected_suicide", "The child died by suspected suicide", mandatory=True),
)

PROFILES: dict[str, FrameworkProfile] = {
    Framework.SCR: FrameworkProfile(
        framework=Framework.SCR,
        legislation="Working Together to Safeguard Children 2015, chapter 4",
        subject=Subject.CHILD,
        criteria=(
            Criterion("abuse_or_neglect", "Abuse or neglect of the child is known or suspected"),
            Criterion("died", "The child has died"),
            Criterion("seriously_harmed", "The child has been seriously harmed"),
            Criterion(
                "agency_concern",
                "There is cause for concern about the way the authority, the board's partners "
                "or other relevant people have worked together to safeguard the child",
            ),
            *_CHILD_CUSTODY_CRITERIA,
        ),
        rule=(
            "all",
            "abuse_or_neglect",
            ("any", "died", ("all", "seriously_harmed", "agency_concern")),
        ),
        outcomes=tuple(Outcome),
        initiate_label="Initiate a Serious Case Review",
        notify_national_bodies_working_days=5,
        age_groups=CHILD_AGE_GROUPS,
    ),
    Framework.LCSPR: FrameworkProfile(
        framework=Framework.LCSPR,
        legislation="Working Together to Safeguard Children 2018 and 2023, chapter 5",
        subject=Subject.CHILD,
        criteria=(
            Criterion("abuse_or_neglect", "Abuse or neglect of the child is known or suspected"),
            Criterion("died", "The child has died"),
            Criterion("seriously_harmed", "The child has been seriously harmed"),
            *_CHILD_CUSTODY_CRITERIA,
        ),
        rule=("all", "abuse_or_neglect", ("any", "died", "seriously_harmed")),
        outcomes=tuple(Outcome),
        initiate_label="Initiate a Local Child Safeguarding Practice Review",
        notify_national_bodies_working_days=5,
        age_groups=CHILD_AGE_GROUPS,
        rapid_review_working_days=15,
    ),
    Framework.SAR: FrameworkProfile(
        framework=Framework.SAR,
        legislation="Care Act 2014, section 44",
        subject=Subject.ADULT,
        criteria=(
            Criterion(
                "care_and_support_needs",
                "The adult has needs for care and support (whether or not the local authority "
                "has been meeting any of those needs)",
            ),
            Criterion(
                "agency_concern",
                "There is reasonable cause for concern about how the board, its members or "
                "others worked together to safeguard the adult",
            ),
            Criterion(
                "died_of_abuse_or_neglect",
                "The adult has died and the board knows or suspects that the death resulted "
                "from abuse or neglect",
            ),
            Criterion(
                "serious_abuse_or_neglect",
                "The adult is still alive and the board knows or suspects that they have "
                "experienced serious abuse or neglect",
            ),
        ),
        rule=(
            "all",
            "care_and_support_needs",
            "agency_concern",
            ("any", "died_of_abuse_or_neglect", "serious_abuse_or_neglect"),
        ),
        outcomes=(
            Outcome.INITIATE,
            Outcome.PARTNERSHIP_REVIEW,
            Outcome.SINGLE_AGENCY_REVIEW,
            Outcome.NO_FURTHER_ACTION,
        ),
        initiate_label="Initiate a Safeguarding Adults Review",
        notify_national_bodies_working_days=None,
        age_groups=ADULT_AGE_GROUPS,
    ),
}


def profile_for(framework: str) -> FrameworkProfile:
    """The profile of a framework code; raises KeyError for an unknown one."""
    return PROFILES[framework]


@dataclass(frozen=True)
class TypeProfile:
    """What a review of one type within one framework is called and owes after the decision."""

    framework: Framework
    review_type: ReviewType
    label: str  # its name: "Serious Case Review", "Partnership review"
    caption: str  # its name with the framework it runs under, above the review's heading
    short_name: str  # its name in the list of reviews
    reference_prefix: str
    # Calendar months from the decision to the completion target; None: no target.
    completion_months: int | None
    has_panel: bool
    # Weeks an agency is given for its management report, unless the request says otherwise.
    report_due_weeks: int
    # How long before the planned publication date the national bodies must have the report:
    # (number, "working_days" or "days"); None: they are not sent it.
    publication_notice: tuple[int, str] | None
    publication: str  # what is expected of publication, in a sentence

    @property
    def national_bodies_sent_report(self) -> bool:
        return self.publication_notice is not None


# The framework each lighter review runs under, as its caption names it.
_BASIS = {
    Framework.SCR: "Working Together 2015",
    Framework.LCSPR: "Working Together 2018/2023",
    Framework.SAR: "Care Act 2014",
}
# Agencies' reports on an adult take longer to gather (DESIGN.md §1: 6 to 8 weeks).
_REPORT_DUE_WEEKS = {Framework.SCR: 6, Framework.LCSPR: 6, Framework.SAR: 8}


def _partnership(framework: Framework) -> TypeProfile:
    # No statutory limit: the board's own target, shorter than a statutory review's since the
    # review is lighter. The national bodies are told of the decision, not sent the report.
    return TypeProfile(
        framework=framework,
        review_type=ReviewType.PARTNERSHIP,
        label="Partnership review",
        caption=f"Partnership review ({_BASIS[framework]})",
        short_name="Partnership",
        reference_prefix="PR",
        completion_months=4,
        has_panel=True,
        report_due_weeks=_REPORT_DUE_WEEKS[framework],
        publication_notice=None,
        publication="The board decides whether to publish; the learning is shared in a "
        "learning brief. The national bodies are not sent the report.",
    )


def _single_agency(framework: Framework) -> TypeProfile:
    # One agency reviews its own practice: no panel, and the board's own, shorter target.
    return TypeProfile(
        framework=framework,
        review_type=ReviewType.SINGLE_AGENCY,
        label="Single-agency review",
        caption=f"Single-agency review ({_BASIS[framework]})",
        short_name="Single-agency",
        reference_prefix="SAGR",
        completion_months=3,
        has_panel=False,
        report_due_weeks=_REPORT_DUE_WEEKS[framework],
        publication_notice=None,
        publication="Not published: the agency reports its findings and actions to the board.",
    )


TYPES: dict[tuple[str, str], TypeProfile] = {
    (Framework.SCR, ReviewType.STATUTORY): TypeProfile(
        framework=Framework.SCR,
        review_type=ReviewType.STATUTORY,
        label="Serious Case Review",
        caption=Framework.SCR.label,
        short_name="SCR",
        reference_prefix="SCR",
        completion_months=6,
        has_panel=True,
        report_due_weeks=6,
        # "At least one week" before publication (Working Together 2015, chapter 4).
        publication_notice=(7, "days"),
        publication="The overview report is published, in full or as an executive summary; "
        "the national bodies have it at least a week before.",
    ),
    (Framework.LCSPR, ReviewType.STATUTORY): TypeProfile(
        framework=Framework.LCSPR,
        review_type=ReviewType.STATUTORY,
        label="Local Child Safeguarding Practice Review",
        caption=Framework.LCSPR.label,
        short_name="LCSPR",
        reference_prefix="LCSPR",
        completion_months=6,
        has_panel=True,
        report_due_weeks=6,
        publication_notice=(7, "working_days"),
        publication="The report is published; the national panel and the Secretary of State "
        "have it 7 working days before.",
    ),
    (Framework.SAR, ReviewType.STATUTORY): TypeProfile(
        framework=Framework.SAR,
        review_type=ReviewType.STATUTORY,
        label="Safeguarding Adults Review",
        caption=Framework.SAR.label,
        short_name="SAR",
        reference_prefix="SAR",
        # The Care Act sets no time limit; the board sets one (DESIGN.md §1).
        completion_months=6,
        has_panel=True,
        report_due_weeks=8,
        publication_notice=None,
        publication="The board reports the findings in its annual report (Care Act 2014, "
        "schedule 2); no national body is sent the report.",
    ),
    **{(f, ReviewType.PARTNERSHIP): _partnership(f) for f in Framework},
    **{(f, ReviewType.SINGLE_AGENCY): _single_agency(f) for f in Framework},
}


def type_profile_for(framework: str, review_type: str) -> TypeProfile:
    """The profile of a review type within a framework; raises KeyError for an unknown pair."""
    return TYPES[(framework, review_type)]
