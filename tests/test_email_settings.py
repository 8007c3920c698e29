"""Production settings never print email (with its set-password links) to the log."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _check(**overrides: str) -> subprocess.CompletedProcess:
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE",)},
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "scr.example.org",
        "DJANGO_SECURE_SSL_REDIRECT": "true",
        **overrides,
    }
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("email_url", ["", "consolemail://"])
def test_production_settings_refuse_to_start_without_a_real_mail_server(email_url):
    result = _check(EMAIL_URL=email_url)
    assert result.returncode != 0
    assert "EMAIL_URL" in result.stderr


def test_production_settings_start_with_a_mail_server():
    result = _check(EMAIL_URL="smtp+tls://user:secret@mail.example.org:587")
    assert result.returncode == 0, result.stdout + result.stderr
