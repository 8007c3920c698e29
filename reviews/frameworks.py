"""Framework profiles: the statutory rules of each review type, kept as data in one place.

A review's framework is chosen at referral. Its profile gives the wording the users see, the
threshold criteria and the rule that combines them, the decision outcomes it allows, and its
deadlines. A rule is a small expression tree of criterion keys: ``("all", a, b)`` needs every
part true, ``("any", a, b)`` needs one.
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


# Outcomes after which the board carries on with the review's later stages.
OUTCOMES_THAT_CONTINUE = frozenset(
    {Outcome.INITIATE, Outcome.PARTNERSHIP_REVIEW, Outcome.SINGLE_AGENCY_REVIEW}
)

# Outcomes after which a panel is convened (a single-agency review has none).
OUTCOMES_WITH_PANEL = frozenset({Outcome.INITIATE, Outcome.PARTNERSHIP_REVIEW})


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
    framework: Framework
    short_name: str
    reference_prefix: str
    legislation: str
    subject: Subject
    criteria: tuple[Criterion, ...]
    rule: tuple
    outcomes: tuple[Outcome, ...]
    initiate_label: str
    notify_national_bodies_working_days: int | None
    completion_months: int | None
    report_due_weeks: int
    age_groups: tuple[str, ...] = field(default=())
    # Working days from the notification to the national bodies to the rapid review's end;
    # None: the review type has no rapid review.
    rapid_review_working_days: int | None = None
    # How long before the planned publication date the national bodies must have the report:
    # (number, "working_days" or "days"); None: the review type sets no such notice.
    publication_notice: tuple[int, str] | None = None

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
        short_name="SCR",
        reference_prefix="SCR",
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
        completion_months=6,
        report_due_weeks=6,
        age_groups=CHILD_AGE_GROUPS,
        # "At least one week" before publication (Working Together 2015, chapter 4).
        publication_notice=(7, "days"),
    ),
    Framework.LCSPR: FrameworkProfile(
        framework=Framework.LCSPR,
        short_name="LCSPR",
        reference_prefix="LCSPR",
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
        completion_months=6,
        report_due_weeks=6,
        age_groups=CHILD_AGE_GROUPS,
        rapid_review_working_days=15,
        publication_notice=(7, "working_days"),
    ),
    Framework.SAR: FrameworkProfile(
        framework=Framework.SAR,
        short_name="SAR",
        reference_prefix="SAR",
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
        # The Care Act sets no time limit; the board sets one (DESIGN.md §1).
        completion_months=6,
        report_due_weeks=8,
        age_groups=ADULT_AGE_GROUPS,
    ),
}


def profile_for(framework: str) -> FrameworkProfile:
    """The profile of a framework code; raises KeyError for an unknown one."""
    return PROFILES[framework]
