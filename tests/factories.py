"""One factory per model; workflow states are traits (``ReviewFactory(decided=True)``)."""

from datetime import timedelta

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from agencies.models import Agency, Role, User
from reviews.frameworks import AgeGroup, Framework, Outcome, profile_for
from reviews.models import Review, StageTransition, SubjectIdentity, ThresholdDecision

TEST_PASSWORD = "correct-horse-battery-staple"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n}")
    sector = Agency.Sector.HEALTH


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """``UserFactory(role=Role.CHAIR)`` puts the person in that role's group."""
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))
        if create:
            self.save()


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"SCR-2026-{n + 1:03d}")
    framework = Framework.SCR
    stage = Review.Stage.REFERRAL
    subject_reference = "Child A"
    age_group = AgeGroup.AGED_1_4
    harm = Review.Harm.SERIOUS_HARM
    abuse_categories = factory.LazyFunction(lambda: [Review.AbuseCategory.NEGLECT])
    referring_agency = factory.SubFactory(AgencyFactory)
    referrer_name = "Named Nurse"
    incident_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=14))
    referred_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    circumstances = "Invented circumstances for a test."
    created_by = factory.SubFactory(UserFactory, role=Role.BOARD_MANAGER)

    class Params:
        decided = factory.Trait(
            stage=Review.Stage.PANEL,
            decision=factory.RelatedFactory(
                "tests.factories.ThresholdDecisionFactory", factory_related_name="review"
            ),
        )
        closed = factory.Trait(stage=Review.Stage.CLOSED, closed_reason="No further action")

    identity = factory.RelatedFactory(
        "tests.factories.SubjectIdentityFactory", factory_related_name="review"
    )
    referral_event = factory.RelatedFactory(
        "tests.factories.StageTransitionFactory", factory_related_name="review"
    )


class SubjectIdentityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubjectIdentity

    review = factory.SubFactory(ReviewFactory, identity=None)
    full_name = "Canary Realname"


class StageTransitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StageTransition

    review = factory.SubFactory(ReviewFactory, referral_event=None)
    from_stage = ""
    to_stage = Review.Stage.REFERRAL
    summary = "Referral recorded"
    actor = factory.LazyAttribute(lambda o: o.review.created_by)
    at = factory.LazyFunction(timezone.now)


class ThresholdDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThresholdDecision

    review = factory.SubFactory(ReviewFactory, stage=Review.Stage.PANEL)
    answers = factory.LazyAttribute(
        lambda o: {c.key: not c.mandatory for c in profile_for(o.review.framework).criteria}
    )
    criteria_met = True
    outcome = Outcome.INITIATE
    decided_on = factory.LazyAttribute(lambda o: o.review.referred_on + timedelta(days=2))
    rationale = ""
    decided_by = factory.SubFactory(UserFactory, role=Role.CHAIR)
