"""Walking the referral's question pages in Django's test client, as a board manager would."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from reviews.forms.referral import FIELD_PART, PART_OF
from reviews.models import ReferralDraft
from scr.forms import GovukDateField


def date_data(prefix: str, day: date | None) -> dict:
    """A GOV.UK date input's three boxes, filled with ``day`` (left empty for None)."""
    if day is None:
        return {f"{prefix}_0": "", f"{prefix}_1": "", f"{prefix}_2": ""}
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def referral_parts(agency, **overrides) -> dict[str, dict]:
    """Answers to each question page (part key: data); ``overrides`` replace answers by field
    name (a date as a date, or None for empty boxes); a name no page asks is sent with
    every page."""
    today = timezone.localdate()
    parts = {
        "referrer": {
            "framework": "scr",
            "referring_agency": agency.pk,
            "referrer_name": "Duty officer",
            "referrer_role": "Designated safeguarding lead",
            **date_data("referred_on", today),
            "lead_consulted": "no",
        },
        "subject": {
            "subject_reference": "Child Y",
            "full_name": "Canary Realname",
            "age_group": "1_4",
            "sex": "female",
            "ethnicity": "not_known",
            "harm": "serious_harm",
            **date_data("date_of_death", None),
        },
        "circumstances": {
            **date_data("incident_date", today - timedelta(days=5)),
            "abuse_categories": ["neglect"],
            "incident_setting": "At home with her mother's partner.",
            "circumstances": "Invented.",
            "protection_plan": "never",
            "social_care": "not_known",
        },
        "agencies": {"agency_concerns": "Invented: referrals were closed without a visit."},
    }
    for name, value in overrides.items():
        if name not in FIELD_PART:  # not a question: sent with every page, to be ignored
            for values in parts.values():
                values[name] = value
            continue
        values = parts.setdefault(FIELD_PART[name], {})
        if isinstance(PART_OF[FIELD_PART[name]].form.base_fields.get(name), GovukDateField):
            values.update(date_data(name, value))
        else:
            values[name] = value
    return parts


def referral_start(client, agency, **overrides) -> ReferralDraft:
    """Answer the question pages up to the family; returns the draft."""
    parts = referral_parts(agency, **overrides)
    response = client.post(reverse("reviews:create"), parts.pop("referrer"))
    assert response.status_code == 302, response.content.decode()
    draft = ReferralDraft.objects.latest("created_at")
    for key, data in parts.items():
        response = client.post(reverse("reviews:referral_part", args=[draft.pk, key]), data)
        assert response.status_code == 302, response.content.decode()
    if response["Location"].endswith("/contacts/"):
        draft.refresh_from_db()
        agencies = draft.answers["agencies"]["agencies_involved"]
        contacts = {f"still_{pk}": "yes" for pk in agencies}
        client.post(reverse("reviews:referral_part", args=[draft.pk, "contacts"]), contacts)
    return draft


def referral_walk(client, agency, **overrides):
    """Every page of a referral, then "Record referral"; returns the last response."""
    draft = referral_start(client, agency, **overrides)
    client.post(reverse("reviews:referral_family", args=[draft.pk]))
    return client.post(reverse("reviews:referral_check", args=[draft.pk]))
