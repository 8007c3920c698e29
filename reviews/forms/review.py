"""The review list's filter."""

from django import forms

from reviews.frameworks import Framework
from reviews.models import Review


class ReviewFilterForm(forms.Form):
    stage = forms.ChoiceField(
        label="Stage", choices=[("", "All stages"), *Review.Stage.choices], required=False
    )
    framework = forms.ChoiceField(
        label="Type of review",
        choices=[("", "All types"), *[(f.value, f.name) for f in Framework]],
        required=False,
    )
