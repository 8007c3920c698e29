"""The review list's search and filters, and the review timeline's filter."""

from urllib.parse import urlencode

from django import forms

from agencies.selectors import agency_list
from reviews.frameworks import Framework
from reviews.models import Review, StageTransition
from reviews.selectors.clock import TargetStatus
from reviews.selectors.review import AWAITING_DECISION, REVIEW_SORTS
from scr.forms import search_text

_STAGES = [
    ("", "All stages"),
    (Review.Stage.REFERRAL.value, Review.Stage.REFERRAL.label),
    (AWAITING_DECISION, "Awaiting decision"),
    *Review.Stage.choices[1:],
]
_SORTS = [(key, key) for name in REVIEW_SORTS for key in (name, f"-{name}")]


class ReviewFilterForm(forms.Form):
    """What the list shows. The search text never travels in a link: the page posts it, keeps
    it in the session and links to it by ``search``, a token (a subject's name must not reach
    addresses, browser history or server logs)."""

    q = search_text(
        "Search", max_length=100, help_text="Reference or pseudonym, for example Child A"
    )
    stage = forms.ChoiceField(label="Stage", choices=_STAGES, required=False)
    framework = forms.ChoiceField(
        label="Type of review",
        choices=[("", "All types"), *[(f.value, f.name) for f in Framework]],
        required=False,
    )
    agency = forms.ModelChoiceField(
        label="Agency", queryset=agency_list(), required=False, empty_label="All agencies"
    )
    overdue = forms.ChoiceField(
        label="Deadlines",
        choices=[("", "Any"), ("yes", "With an overdue deadline")],
        required=False,
    )
    target = forms.ChoiceField(
        label="Against target",
        choices=[("", "Any"), *TargetStatus.choices],
        required=False,
    )
    sort = forms.ChoiceField(choices=_SORTS, required=False, widget=forms.HiddenInput)
    search = forms.CharField(max_length=32, required=False, widget=forms.HiddenInput)

    # What narrows the list (the sort only orders it); ``search`` is the search text's token.
    FILTERS = ("search", "stage", "framework", "agency", "overdue", "target")

    def __init__(self, *args, by_name: bool, **kwargs):
        super().__init__(*args, **kwargs)
        # Too long a search is refused with a message, not cut short unseen by the browser.
        self.fields["q"].widget.attrs.pop("maxlength", None)
        if by_name:
            self.fields["q"].help_text = "Reference, pseudonym (for example Child A) or name"

    def as_query(self, *, search: str) -> str:
        """The list's query string for the valid form: its filters and sort, and the token of
        the search text (never the text)."""
        data = {**self.cleaned_data, "search": search}
        data["agency"] = data["agency"].pk if data["agency"] else ""
        names = (*self.FILTERS, "sort")
        return urlencode({name: data[name] for name in names if data[name]})

    def filters(self) -> dict:
        """The review_list() arguments of the valid form, the search text aside."""
        data = self.cleaned_data
        filters = {
            "stage": data["stage"],
            "framework": data["framework"],
            "agency": data["agency"],
            "overdue": data["overdue"] == "yes",
            "target": data["target"],
        }
        if data["sort"]:
            filters["sort"] = data["sort"]
        return filters


class TimelineFilterForm(forms.Form):
    kind = forms.MultipleChoiceField(
        label="Show only",
        choices=StageTransition.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
