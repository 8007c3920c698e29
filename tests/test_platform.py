"""Sign-in, sessions, CSRF, security headers, health check, deployment checks and demo data."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, User
from families.models import Contact
from families.selectors import family_pause_in_force
from publication.models import Publication
from reviews.gates import PUBLICATION_APPROVAL, gate_unmet
from reviews.models import (
    AccessLog,
    ChronologyEntry,
    Deadline,
    ReferralFamilyMember,
    Review,
)
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def _sign_in(client, email, password=TEST_PASSWORD):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_healthz_answers_when_the_database_does(client):
    response = client.get(reverse("healthz"))
    assert (response.status_code, response.content) == (200, b"ok\n")


def test_healthz_says_503_when_the_database_does_not(client, monkeypatch):
    def down(*args, **kwargs):
        raise DatabaseError("gone")

    monkeypatch.setattr("scr.views.connection.cursor", down)
    assert client.get(reverse("healthz")).status_code == 503


def test_sign_in_takes_the_email_in_any_case_and_rotates_the_session(client, manager):
    client.get(reverse("login"))
    before = client.session.session_key
    response = _sign_in(client, manager.email.upper())
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(manager.pk)
    assert client.session.session_key != before


def test_five_failures_lock_the_account_with_the_same_page_for_unknown_emails(client, manager):
    for _ in range(4):
        response = _sign_in(client, manager.email, "wrong-password")
        assert "Enter the email address and password of an active account" in (
            response.content.decode()
        )
    fifth = _sign_in(client, manager.email, "wrong-password")
    assert "Sign-in is locked for now" in fifth.content.decode()
    locked = _sign_in(client, manager.email)
    assert "Sign-in is locked for now" in locked.content.decode()
    assert SESSION_KEY not in client.session

    other = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(5):
        _sign_in(other, "nobody@example.org", "wrong-password")
    unknown = _sign_in(other, "nobody@example.org", "wrong-password")
    assert unknown.status_code == locked.status_code
    assert "Sign-in is locked for now" in unknown.content.decode()


def test_sign_out_is_a_post_and_ends_the_session(client, manager):
    client.force_login(manager)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get(reverse("reviews:list")).status_code == 302


def test_posts_without_a_csrf_token_are_refused_and_change_nothing(manager):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    response = client.post(reverse("agencies:create"), {"name": "X", "sector": "health"})
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()
    assert not Agency.objects.filter(name="X").exists()


def test_pages_carry_the_security_headers(client, manager):
    client.force_login(manager)
    response = client.get(reverse("reviews:list"))
    csp = response["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "'nonce-" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cache-Control"] == "no-store, private"
    assert response["X-Request-ID"]


def test_error_pages_show_a_reference_and_no_detail(client, manager):
    client.force_login(manager)
    response = client.get("/reviews/NO-SUCH-1/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html
    assert f"Reference: {response['X-Request-ID']}" in html
    assert "Traceback" not in html


def test_deploy_checks_pass_under_production_settings():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "scr.example.org",
        "DJANGO_SECURE_SSL_REDIRECT": "true",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_app_refuses_to_start_without_a_secret_key_when_debug_is_off():
    env = {**os.environ, "DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_demo_data_refuses_to_run_with_debug_off():
    assert not django_settings.DEBUG
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_data")
    assert not User.objects.filter(email__endswith="@northshire.example").exists()


def test_demo_data_has_one_login_per_role_and_loads_once(settings):
    settings.DEBUG = True
    call_command("demo_data")
    call_command("demo_data")
    logins = User.objects.filter(email__endswith="@northshire.example").exclude(
        password__startswith="!"
    )
    roles = {group.name for person in logins for group in person.groups.all()}
    assert {"Board manager", "Chair", "Independent author", "Panel member", "Agency lead"} <= roles
    # Every stage has a review to show, and a closed review was signed off.
    assert Review.objects.filter(closed_how=Review.Closure.SIGNED_OFF).count() == 1
    # One report is on the public site, published months ago and still listed.
    published = Publication.objects.get(removed_at__isnull=True)
    assert published.review.subject_reference == "Child J"
    assert published.listed_until > timezone.localdate()
    assert set(Review.objects.values_list("stage", flat=True)) == {
        "referral",
        "panel",
        "agency_reports",
        "overview",
        "publication",
        "closed",
    }
    child_a = Review.objects.get(subject_reference="Child A")
    assert child_a.panel.filter(status="seated").count() == 2
    agency_lead = User.objects.get(email="agency@northshire.example")
    assert agency_lead.has_perm("reviews.view_review", child_a)
    # A family for each review past panel convening, recorded by the board manager.
    past_panel = {"agency_reports", "overview", "action_plan", "publication"}
    families = {
        review.subject_reference: list(review.family_members.all())
        for review in Review.objects.filter(family_members__isnull=False).distinct()
    }
    assert set(families) == set(
        Review.objects.filter(stage__in=past_panel).values_list("subject_reference", flat=True)
    )
    assert all(2 <= len(members) <= 4 for members in families.values())
    members = [member for people in families.values() for member in people]
    assert any(member.declined for member in families["Child A"])
    assert any(member.supporter_name and not member.declined for member in members)
    assert any(member.interpreter_needed and member.language for member in members)
    manager = User.objects.get(email="manager@northshire.example")
    assert {row.history_user for m in members for row in m.history.all()} == {manager}
    # Those the referral named are added from it, none twice; every family has been told.
    assert not ReferralFamilyMember.objects.filter(
        review__subject_reference__in=families, added_to_family_at__isnull=True
    ).exists()
    assert all(
        Contact.objects.filter(member=m, kind=Contact.Kind.TOLD_OF_REVIEW).exists()
        for m in members
        if not m.declined
    )
    # Child A's family: met, then contact paused while criminal proceedings run. Child C's:
    # shown the report or why not, so the chair may approve its plan. Adult D's: notes awaiting
    # agreement.
    child_c = Review.objects.get(subject_reference="Child C")
    assert gate_unmet(PUBLICATION_APPROVAL, review=child_c) == []
    assert family_pause_in_force(review=child_a) is not None
    # Adult D's combined chronology merges two agencies' accepted chronologies.
    merged = ChronologyEntry.objects.filter(
        request__review__subject_reference="Adult D", request__status="accepted"
    )
    assert merged.values("request__agency").distinct().count() == 2
    open_notes = Deadline.objects.filter(kind=Deadline.Kind.FAMILY_NOTES, state="open")
    assert list(open_notes.values_list("review__subject_reference", flat=True)) == ["Adult D"]


def test_the_access_log_never_stores_a_request_id_the_client_chose(client, manager, review):
    client.force_login(manager)
    response = client.get(review.get_absolute_url(), HTTP_X_REQUEST_ID="chosen-by-the-client-0001")
    assert response["X-Request-ID"] != "chosen-by-the-client-0001"
    row = AccessLog.objects.filter(object_ref=review.reference).latest("id")
    assert row.request_id == response["X-Request-ID"]


def test_every_response_carries_a_permissions_policy(client, manager):
    anonymous = client.get(reverse("login"))
    missing = client.get("/no-such-page/")
    client.force_login(manager)
    signed_in = client.get(reverse("reviews:list"))
    for response in (anonymous, missing, signed_in):
        policy = response["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
            assert feature in policy


def test_sign_out_deletes_the_server_session_and_clears_the_browser(client, manager):
    client.force_login(manager)
    key = client.session.session_key
    response = client.post(reverse("logout"))
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert not Session.objects.filter(session_key=key).exists()


def test_a_forged_host_gets_400(client, settings):
    settings.DEBUG = False
    response = client.get(reverse("login"), HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Traceback" not in response.content.decode()


def test_the_access_log_records_the_client_behind_a_trusted_proxy(
    client, manager, review, settings
):
    settings.SCR_TRUSTED_PROXIES = 1
    client.force_login(manager)
    client.get(
        review.get_absolute_url(),
        REMOTE_ADDR="10.0.0.2",  # the proxy
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    row = AccessLog.objects.filter(object_ref=review.reference).latest("id")
    assert row.ip_address == "203.0.113.7"
