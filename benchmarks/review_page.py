"""Benchmark the review's page for every role beside the Django admin's change view of the
same review, for a small and a large review, with 5 and then 50 reviews on the board.

Prints each page's median time and query count, and the ratio to the admin's: the queries
must be the same for every role and stay flat as the review and the board grow. Runs on a
throwaway SQLite file unless DATABASE_URL names another database (never a shared one: it
writes).

    make bench          # or: DJANGO_DEBUG=true .venv/bin/python benchmarks/review_page.py
"""

import _setup

_setup.django_setup()

from django.db import connection
from django.test import Client

SIZES = (5, 50)
RUNS = 9


def signed_in(person) -> Client:
    """A client signed in as the person, second factor given (the benchmark measures pages)."""
    from agencies.signin import SECOND_FACTOR_GIVEN

    client = Client()
    client.force_login(person)
    session = client.session
    session[SECOND_FACTOR_GIVEN] = True
    session.save()
    return client


def seed(count: int, cast, agencies) -> None:
    """Add reviews at referral until there are ``count``."""
    from reviews.builders import review_at
    from reviews.models import Review

    for _ in range(Review.objects.count(), count):
        review_at("referral", cast=cast, agencies_in_scope=agencies[:2])


def main() -> None:
    _setup.schema_create()
    from agencies.models import Agency, User
    from reviews.builders import cast_create, review_at

    agencies = [Agency.objects.create(name=f"Bench agency {n}", sector="health") for n in range(8)]
    cast = cast_create(agencies=agencies, domain="bench.example")
    small = review_at("agency_reports", cast=cast, agencies_in_scope=agencies[:2]).review
    large = review_at(
        "agency_reports",
        cast=cast,
        agencies_in_scope=agencies,
        reports={agency.pk: "submitted" for agency in agencies},
    ).review
    admin = User.objects.create_superuser("admin@bench.example", "bench-admin-password")
    people = {
        "board manager": cast.manager,
        "chair": cast.chair,
        "panel member": cast.panel[0],
        "author": cast.author,
        "agency lead": cast.lead_of(agencies[1]),
    }
    clients = {role: signed_in(person) for role, person in people.items()}
    admin_client = signed_in(admin)
    print(f"database: {connection.vendor}; median of {RUNS} requests")
    print(
        f"{'reviews':>7} {'review':>6} {'role':<14} {'page ms':>8} {'q':>3} "
        f"{'admin ms':>8} {'q':>3} {'ratio':>5}"
    )
    for size in SIZES:
        seed(size, cast, agencies)
        for name, review in (("small", small), ("large", large)):
            admin_ms, admin_q = _setup.median_ms(
                admin_client, f"/admin/reviews/review/{review.pk}/change/", RUNS
            )
            for role, client in clients.items():
                page_ms, page_q = _setup.median_ms(client, f"/reviews/{review.reference}/", RUNS)
                print(
                    f"{size:>7} {name:>6} {role:<14} {page_ms:>8.1f} {page_q:>3} "
                    f"{admin_ms:>8.1f} {admin_q:>3} {page_ms / admin_ms:>5.2f}"
                )


if __name__ == "__main__":
    main()
