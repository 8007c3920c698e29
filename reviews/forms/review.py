"""The review list's filter and the review timeline's."""

from django import forms

from reviews.frameworks import Framework
from reviews.models import Review, StageTransition


class ReviewFilterForm(forms.Form):
    stage = forms.ChoiceField(
        label="Stage", choices=[("", "All stages"), *Review.Stage.choices], required=False
    )
    framework = forms.ChoiceField(
        label="Type of review",
        choices=[("", "All types"), *[(f.value, f.name) for f in Framework]],
        required=False,
    )


class TimelineFilterForm(forms.Form):
    kind = forms.MultipleChoiceField(
        label="Show only",
        choices=StageTransition.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
