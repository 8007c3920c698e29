"""British English dates as GOV.UK writes them: "3 June 2026", and "3 Jun 2026" where space is
short (Django's own en_GB has "3 Jun 2026" and "03/06/2026"). No time format is set here: a
format string cannot write "pm", "midday" or "midnight", so times are shown with the
``govuk_time`` and ``govuk_datetime`` filters (scr/formats/__init__.py)."""

from scr.formats import DATE as DATE_FORMAT
from scr.formats import SHORT_DATE as SHORT_DATE_FORMAT

__all__ = ["DATE_FORMAT", "SHORT_DATE_FORMAT"]
