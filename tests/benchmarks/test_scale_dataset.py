"""The national-scale data set (benchmarks/scale) holds what the services write.

Built small, on SQLite: every copy of a review built through the services must have the same
timeline, deadlines, object permissions, access changes and history as the review it copies,
open the same pages with the same answers for the people in the same roles, and an agency lead
must see exactly the reviews the services' grants give their agency.
"""

from collections import Counter

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from agencies.models import Agency, User
from benchmarks.scale.dataset import Copy, Sizes, build, owned_models
from reviews.frameworks import Framework
from reviews.models import (
    AccessChange,
    Deadline,
    Notification,
    Review,
    ReviewGroupObjectPermission,
    ReviewUserObjectPermission,
    StageTransition,
)
from reviews.selectors.review import review_list_visible_to
from scr.celery import app as celery_app

pytestmark = pytest.mark.django_db
REF = "<str:reference>"

SMALL = Sizes(
    reviews=45,  # 15 templates (one framework), each copied twice
    agencies=6,
    people=6 + 2 + 2 + 2 + 6,  # one lead an agency, one panel member an agency
    chronology=300,
    largest_agencies=2,
    largest_entries=20,
    board_managers=2,
    chairs=2,
    authors=2,
    panel_members=6,
    scope=dict.fromkeys(
        ("referral", "decided", "convened", "agency_reports", "overview", "action_plan"), 3
    )
    | {"publication": 3},
    report_variants=1,
    frameworks=(Framework.SCR,),
)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, tmp_path_factory):
    """The small data set, built once for the module (files in a throwaway folder, tasks
    in-process) and rolled back after it."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        yield build(sizes=SMALL)
        transaction.set_rollback(True)
    celery_app.conf.task_always_eager = eager


def _review_pages() -> list[str]:
    """Every URL pattern that takes a review's reference and nothing else."""
    found = []

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern) and route.count("<") == 1 and REF in route:
                found.append("/" + route)

    walk(get_resolver().url_patterns, "")
    return found


def _mapped(copy: Copy, person: int | None) -> int | None:
    return copy.people.get(person, person) if person is not None else None


def _text(value: str, *, template: Review, review: Review) -> str:
    """A template's text with its references written as the copy's."""
    value = value.replace(template.reference, review.reference)
    if template.former_reference:
        value = value.replace(template.former_reference, review.former_reference)
    return value


def test_the_small_data_set_has_what_was_asked(built):
    facts, copies = built
    assert facts["templates"] == 15
    assert Review.objects.count() == 15 * 3 + 1  # and the largest review
    assert len(copies) == 30
    assert facts["chronology"] == 300
    assert Review.objects.filter(reference=facts["largest"]).exists()
    assert len(set(Review.objects.values_list("reference", flat=True))) == Review.objects.count()


def test_each_copy_has_its_templates_timeline_deadlines_permissions_and_history(built):
    _facts, copies = built
    with_review = [
        m
        for m in owned_models(Review)
        if any(f.name == "review" and f.is_relation for f in m._meta.concrete_fields)
    ]
    for copy in copies:
        template = Review.objects.get(pk=copy.template)
        review = Review.objects.get(pk=copy.review)
        assert (review.stage, review.review_type, review.framework) == (
            template.stage,
            template.review_type,
            template.framework,
        )
        assert review.reference.split("-")[0] == template.reference.split("-")[0]

        renamed = [
            (t.kind, t.from_stage, t.to_stage, _text(t.summary, template=template, review=review))
            for t in StageTransition.objects.filter(review=template).order_by("at", "pk")
        ]
        assert renamed == [
            (t.kind, t.from_stage, t.to_stage, t.summary)
            for t in StageTransition.objects.filter(review=review).order_by("at", "pk")
        ]
        assert Counter(
            Deadline.objects.filter(review=review).values_list("kind", "state", "owner_agency")
        ) == Counter(
            (kind, state, copy.agencies.get(agency, agency))
            for kind, state, agency in Deadline.objects.filter(review=template).values_list(
                "kind", "state", "owner_agency"
            )
        )
        assert set(
            ReviewUserObjectPermission.objects.filter(content_object=review).values_list(
                "permission__codename", "user"
            )
        ) == {
            (codename, _mapped(copy, user))
            for codename, user in ReviewUserObjectPermission.objects.filter(
                content_object=template
            ).values_list("permission__codename", "user")
        }
        groups = dict(Agency.objects.values_list("leads_group", "pk"))
        group_of = {agency: group for group, agency in groups.items()}
        assert set(
            ReviewGroupObjectPermission.objects.filter(content_object=review).values_list(
                "permission__codename", "group"
            )
        ) == {
            (codename, group_of[copy.agencies[groups[group]]] if group in groups else group)
            for codename, group in ReviewGroupObjectPermission.objects.filter(
                content_object=template
            ).values_list("permission__codename", "group")
        }
        assert AccessChange.objects.filter(review=review).count() == (
            AccessChange.objects.filter(review=template).count()
        )
        for model in with_review:
            rows = model.objects.all()
            if model is Notification:  # reminders are swept after copying, on the copy's dates
                rows = rows.exclude(event="reminder")
            assert rows.filter(review=review).count() == rows.filter(review=template).count()
        history = Review.history.model
        assert history.objects.filter(id=review.pk).count() == (
            history.objects.filter(id=template.pk).count()
        )


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_every_page_of_a_copy_answers_as_its_templates_does_for_each_role(built):
    _facts, copies = built
    pages = _review_pages()
    clients: dict[int, Client] = {}

    def status(person: int, url: str) -> int:
        # Signed in afresh for each copy: exports ask for a recent sign-in.
        if person not in clients:
            clients[person] = _client(User.objects.get(pk=person))
        return clients[person].get(url).status_code

    global_roles = set(
        User.objects.filter(groups__name__in=["Board manager", "Chair"]).values_list(
            "pk", flat=True
        )
    )
    for copy in copies[: len(copies) // 2]:  # the first round: one copy of each template
        clients.clear()
        template = Review.objects.get(pk=copy.template)
        review = Review.objects.get(pk=copy.review)
        granted = set(
            ReviewUserObjectPermission.objects.filter(content_object=template).values_list(
                "user", flat=True
            )
        )
        leads = [p for p in copy.people if p not in granted | global_roles]
        people = (granted | global_roles | {leads[0], leads[-1]}) & set(copy.people)
        for template_person in people:
            for page in pages:
                expected = status(template_person, page.replace(REF, template.reference))
                answered = status(copy.people[template_person], page.replace(REF, review.reference))
                assert answered == expected, (page, template.stage, template_person)


def test_an_agency_lead_sees_exactly_the_reviews_the_grants_give_their_agency(built):
    _facts, copies = built
    copy_of = {copy.review: copy for copy in copies}
    templates = {copy.template for copy in copies}
    leads = {
        lead.agency_id: lead
        for lead in User.objects.filter(groups__name="Agency lead").order_by("pk")
    }
    template_sight = {
        agency: set(review_list_visible_to(user=lead).values_list("pk", flat=True)) & templates
        for agency, lead in leads.items()
    }
    for agency, lead in leads.items():
        seen = set(review_list_visible_to(user=lead).values_list("pk", flat=True))
        copies_seen = {pk for pk in seen if pk in copy_of}
        expected = {
            copy.review
            for copy in copies
            for source, target in copy.agencies.items()
            if target == agency and copy.template in template_sight[source]
        }
        assert copies_seen == expected
        assert seen - set(copy_of) - templates <= {
            r.pk for r in Review.objects.exclude(pk__in=templates | set(copy_of))
        }
