"""The choice of the statistics' year, basis and view, sent in the address (GET)."""

from django import forms
from django.utils import timezone

from learning.statistics import APRIL, BASES

FIRST_YEAR = 2000
VIEWS = {
    "board": "The board's own view (every count shown)",
    "shared": "As shared outside the board (small counts suppressed)",
}


class StatisticsForm(forms.Form):
    year = forms.IntegerField(
        label="Year the reporting year starts in",
        help_text="For example, 2025 for April 2025 to March 2026",
        error_messages={
            "required": "Enter the year",
            "invalid": "Enter the year as a number, like 2025",
        },
    )
    basis = forms.ChoiceField(
        label="Reporting year",
        choices=list(BASES.items()),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select April to March or a calendar year"},
    )
    view = forms.ChoiceField(
        label="Show",
        choices=list(VIEWS.items()),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select the board's own view or the shared view"},
    )

    def __init__(self, data, *, year: int, **kwargs):
        given = {name: data[name] for name in ("year", "basis", "view") if name in data}
        super().__init__({"year": year, "basis": APRIL, "view": "board", **given}, **kwargs)
        attrs = {"inputmode": "numeric", "class": "govuk-input--width-4"}
        self.fields["year"].widget.attrs.update(attrs)

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        last = timezone.localdate().year
        if not FIRST_YEAR <= year <= last:
            raise forms.ValidationError(f"Enter a year from {FIRST_YEAR} to {last}")
        return year
