"""Dates and times written the GOV.UK way: "3 June 2026", "8:18pm", "9am", "midday",
"midnight", "8:18pm on 3 June 2026".

Django reads the date formats from ``en_GB/formats.py`` (FORMAT_MODULE_PATH), so a date shown
with no filter reads "3 June 2026". A format string cannot say "pm", "midday" or "midnight"
(Django writes "p.m." and "noon"), so times go through the functions here: the templates'
``govuk_time`` and ``govuk_datetime`` filters (scr/templatetags/govuk.py), and any Python
that puts a time into a sentence.
"""

from datetime import date, datetime, time

from django.utils import timezone
from django.utils.dateformat import format as date_format

DATE = "j F Y"
SHORT_DATE = "j M Y"  # where space is short, as in a table


def govuk_time(value: time | datetime | None) -> str:
    """The time as GOV.UK writes it: "8:18pm", "9am", "midday", "midnight"; a datetime in the
    service's time zone; "" for nothing."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    if (value.hour, value.minute) == (0, 0):
        return "midnight"
    if (value.hour, value.minute) == (12, 0):
        return "midday"
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"


def govuk_date(value: date | datetime | None) -> str:
    """The date as GOV.UK writes it: "3 June 2026"; a datetime in the service's time zone;
    "" for nothing."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, DATE)


def govuk_datetime(value: datetime | None) -> str:
    """A moment as GOV.UK writes it: "8:18pm on 3 June 2026"; "" for nothing."""
    if value is None or value == "":
        return ""
    return f"{govuk_time(value)} on {govuk_date(value)}"
