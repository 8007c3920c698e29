"""Recovery codes were stored as they were shown; store a keyed digest of each instead."""

from django.db import migrations
from django.utils.crypto import salted_hmac


def recovery_codes_to_digests(apps, schema_editor):
    """What agencies.signin.recovery_code_digest did when this was written."""
    StaticToken = apps.get_model("otp_static", "StaticToken")
    for token in StaticToken.objects.all():
        digest = salted_hmac("agencies.signin.recovery_code", token.token, algorithm="sha256")
        token.token = digest.hexdigest()[:16]
        token.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0007_history_reason_text"),
        ("otp_static", "0003_add_timestamps"),
    ]

    # A digest cannot be turned back into the code: there is no way back.
    operations = [migrations.RunPython(recovery_codes_to_digests, elidable=False)]
