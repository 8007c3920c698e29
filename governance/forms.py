"""The audit trail's filter and the retention decisions."""

from django import forms

from governance.selectors import kind_choices
from scr.forms import ConfirmForm, GovukDateField, OnceForm, long_text, search_text


class TrailFilterForm(forms.Form):
    # Words of a name or email, not a list of people: a national board has thousands, and
    # rendering them all as a select was most of the page's time.
    who = search_text("Who", max_length=200, help_text="Part of a name or email address")
    kinds = forms.MultipleChoiceField(
        label="Kind of record", widget=forms.CheckboxSelectMultiple, required=False
    )
    since = GovukDateField(name="Date from", label="From", required=False)
    until = GovukDateField(name="Date to", label="To", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = kind_choices()

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "Date to must be the same as or after date from")
        return cleaned


class RetentionKeepForm(OnceForm):
    keep_until = GovukDateField(
        name="Date to keep the review until",
        label="Keep the review until",
        help_text="For example, 1 3 2031. It is listed for decision again after this day.",
    )
    reason = long_text(
        "Why the board keeps it longer", required="Enter why the board keeps the review longer"
    )


class RetentionPurgeForm(ConfirmForm):
    reason = long_text(
        "Why the board destroys its records",
        required="Enter why the board destroys the review's records",
    )
    confirm_reference = forms.CharField(
        label="Type the review's reference to confirm",
        max_length=32,
        error_messages={"required": "Type the review's reference to confirm"},
    )
