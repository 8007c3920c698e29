"""Every model has a factory, and every factory (with each of its traits) saves a row."""

import factory
import pytest
from django.apps import apps

from tests import factories

pytestmark = pytest.mark.django_db

FACTORIES = [
    value
    for value in vars(factories).values()
    if isinstance(value, type)
    and issubclass(value, factory.django.DjangoModelFactory)
    and value is not factory.django.DjangoModelFactory
]
# guardian's per-object permission rows are written by assign_perm, never by hand.
NO_FACTORY = {"ReviewUserObjectPermission", "ReviewGroupObjectPermission"}


def _traits(factory_class) -> list[str]:
    return [
        name
        for name, declaration in factory_class._meta.parameters.items()
        if isinstance(declaration, factory.Trait)
    ]


def test_every_model_has_a_factory():
    models = {
        model.__name__
        for app in ("agencies", "reviews", "publication", "families", "governance")
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    }
    covered = {f._meta.model.__name__ for f in FACTORIES}
    assert models - NO_FACTORY - covered == set()


@pytest.mark.parametrize(
    ("factory_class", "trait"),
    [(f, None) for f in FACTORIES] + [(f, trait) for f in FACTORIES for trait in _traits(f)],
    ids=lambda value: value.__name__ if isinstance(value, type) else str(value or ""),
)
def test_the_factory_saves_a_row(factory_class, trait):
    made = factory_class(**({trait: True} if trait else {}))
    assert type(made).objects.filter(pk=made.pk).exists()
