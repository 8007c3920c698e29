"""Demo: what the board learned from Child J (lessons tagged by theme, a learning brief on the
public site beside the report, where it was shared, a quality marker answered)."""

from datetime import timedelta

from agencies.models import Agency
from learning.models import Dissemination, LearningBrief
from learning.services import (
    brief_approve,
    brief_draft,
    brief_edit,
    dissemination_record,
    lesson_add,
    recommendation_tag,
)
from publication.models import Publication, Theme
from quality.models import Status as QualityStatus
from quality.services import quality_answer_save
from reviews.builders import Cast

# The brief is public text: written with the report's pseudonyms, never the family's names.
BRIEF = {
    "background": "Child J was two years old when she was admitted to hospital with a broken "
    "arm and bruises of different ages. She lived with her mother and her mother's partner.",
    "what_happened": "Four agencies knew the family. Each saw a part of what was happening. "
    "Nobody put the parts together, and nobody asked about the new partner.",
    "why_it_matters": "Most serious case reviews of injured babies and toddlers find a man in "
    "the household whom no agency knew.",
    "what_we_learned": "Ask who lives in the home, and ask again when things change.\n\n"
    "Share a worry early, even when it seems small on its own.",
    "what_to_do": "Record the name of every adult in the household at each visit.\n\n"
    "When you make a referral, check that it arrived and what was done.",
    "questions": "Who lives in the homes of the children you work with?\n\n"
    "When did you last check that a referral you made was received?",
    "further_reading": "The board's published report on Child J, on its public site.",
}


def child_j_learning(publication: Publication, cast: Cast, *, agencies: list[Agency]) -> None:
    """Child J's lessons, its public learning brief, where it was shared, and one quality
    marker answered."""
    police, _school, health = agencies
    review, manager = publication.review, cast.manager
    themes = {theme.name: theme for theme in Theme.objects.all()}
    lesson_add(
        review=review,
        actor=manager,
        title="Ask who lives in the home",
        text="No agency asked about the mother's new partner, who had moved in weeks before.",
        themes=[themes["Men in the household"], themes["Professional curiosity"]],
        agencies=[health, police],
    )
    for recommendation in review.recommendations.filter(removed_at__isnull=True):
        recommendation_tag(
            recommendation=recommendation,
            actor=manager,
            themes=[themes["Information sharing"]],
            agencies=[health],
        )
    brief = brief_draft(review=review, actor=manager)
    brief = brief_edit(
        brief=brief,
        actor=manager,
        title="Child J: seven-minute briefing",
        audience=LearningBrief.Audience.PUBLIC,
        **BRIEF,
    )
    brief_approve(brief=brief, actor=manager)
    dissemination_record(
        review=review,
        actor=manager,
        what=Dissemination.What.BOTH,
        event="Multi-agency learning event",
        shared_on=publication.published_at.date() + timedelta(days=14),
        practitioners_reached=64,
        evidence="Health visitors' records audited three months later: the household's adults "
        "were named at 9 of 10 visits.",
    )
    quality_answer_save(
        review=review,
        marker="board_members",
        status=QualityStatus.MET,
        note="The chair reported the decision and its reasons to the board meeting in the "
        "month of the referral.",
        actor=manager,
    )
