"""A review whose report is agreed (at the action plan stage), built through the services, with
its cast: what the lessons, brief and dissemination tests build on."""

import pytest

from reviews.builders import cast_create, review_at
from tests.factories import AgencyFactory


@pytest.fixture
def health():
    return AgencyFactory(name="Northshire Health")


@pytest.fixture
def cast(health):
    return cast_create(agencies=[health])


@pytest.fixture
def built(cast, health):
    """At the action plan stage: one recommendation, the report's text agreed (its "Lessons"
    section says "Agencies should share what they know within a week.")."""
    return review_at("action_plan", cast=cast, agencies_in_scope=[health])
