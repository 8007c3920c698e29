"""Filters every template has without loading them (TEMPLATES' ``builtins``): times and
moments the GOV.UK way, "8:18pm" and "8:18pm on 3 June 2026" (scr/formats/)."""

from django import template

from scr import formats

register = template.Library()
register.filter("govuk_time", formats.govuk_time)
register.filter("govuk_datetime", formats.govuk_datetime)
