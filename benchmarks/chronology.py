"""Benchmark an agency's chronology at 5,000 entries: parsing and importing a 5,000-row
spreadsheet, and the chronology page (first and last page).

Prints median times and query counts; the page's query count must not grow with entries.
Runs on a throwaway SQLite file unless DATABASE_URL names another database.

    make bench
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_DEBUG", "true")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scr.settings")
os.environ.setdefault("DJANGO_MEDIA_ROOT", tempfile.mkdtemp())

import django

django.setup()

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.utils import timezone

from agencies.models import Agency, Role, User
from agencies.services import person_roles_set
from reviews.frameworks import AgeGroup, Framework, Outcome
from reviews.models import Review
from reviews.services.chronology import (
    chronology_file_parse,
    chronology_import_confirm,
    chronology_import_preview,
)
from reviews.services.panel import terms_save
from reviews.services.referral import decision_record, referral_create
from reviews.services.reports import reports_request

ROWS = 5000
RUNS = 10


def _timed(function):
    start = time.perf_counter()
    result = function()
    return result, (time.perf_counter() - start) * 1000


def main() -> None:
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    manager = User.objects.create_user("bench-manager@example.org", "bench-password-1")
    manager.groups.add(Group.objects.get(name=Role.BOARD_MANAGER))
    chair = User.objects.create_user("bench-chair@example.org", "bench-password-1")
    chair.groups.add(Group.objects.get(name=Role.CHAIR))
    agency = Agency.objects.create(name="Bench agency", sector="police")
    lead = User.objects.create_user("bench-lead@example.org", "bench-password-1", agency=agency)
    person_roles_set(person=lead, roles=[Role.AGENCY_LEAD], agency=agency)
    today = timezone.localdate()
    review = referral_create(
        actor=manager,
        framework=Framework.SCR,
        subject_reference="Child B",
        full_name="Bench Subject",
        date_of_birth=None,
        address="",
        age_group=AgeGroup.AGED_1_4,
        harm=Review.Harm.DEATH,
        abuse_categories=[Review.AbuseCategory.NEGLECT],
        referring_agency=agency,
        referrer_name="Bench",
        referrer_contact="",
        incident_date=today - timedelta(days=10),
        referred_on=today - timedelta(days=9),
        agencies_involved=[agency],
        circumstances="Invented for a benchmark.",
    )
    answers = {c.key: c.key in {"abuse_or_neglect", "died"} for c in review.profile.criteria}
    decision_record(
        review=review,
        actor=chair,
        answers=answers,
        outcome=Outcome.INITIATE,
        decided_on=today,
        rationale="",
        national_bodies_told_on=None,
    )
    terms_save(
        review=review,
        actor=manager,
        period_start=date(2020, 1, 1),
        period_end=today,
        lines_of_enquiry=["Benchmark"],
        agencies_in_scope=[agency],
        family_involvement_plan="Benchmark",
        scoping_meeting_on=None,
    )
    (report,) = reports_request(review=review, actor=manager, due_on=today + timedelta(days=40))
    lines = ["Date,What happened,Practitioner role,Source reference"]
    start = date(2020, 1, 1)
    lines += [
        f"{start + timedelta(days=n % 2000):%d/%m/%Y},Contact number {n},Worker {n % 9},R{n}"
        for n in range(ROWS)
    ]
    data = "\n".join(lines).encode()

    parsed, parse_ms = _timed(lambda: chronology_file_parse(SimpleUploadedFile("c.csv", data)))
    assert not parsed.errors, parsed.errors[:3]
    batch, _ = chronology_import_preview(
        report=report, actor=lead, file=SimpleUploadedFile("c.csv", data)
    )
    count, import_ms = _timed(lambda: chronology_import_confirm(batch=batch, actor=lead))

    client = Client()
    client.force_login(lead)
    print(f"database: {connection.vendor}; {ROWS:,} rows")
    print(
        f"parse {ROWS:,}-row CSV: {parse_ms:.0f} ms; import (preview to saved): {import_ms:.0f} ms"
    )
    url = f"/reviews/{review.reference}/reports/{report.pk}/chronology/"
    for label, query in (("first page", ""), ("last page", "?page=last")):
        timings = []
        connection.queries_log.clear()
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                response, ms = _timed(lambda q=query: client.get(url + q))
            assert response.status_code == 200
            timings.append(ms)
        print(f"chronology {label}: {statistics.median(timings):.1f} ms, {len(queries)} queries")
    assert count == ROWS


if __name__ == "__main__":
    main()
