"""Django forms rendered the GOV.UK way: label, hint, error message and input classes.

``GovukFormRenderer`` is the project's FORM_RENDERER, so every form and field renders through
templates/includes/forms/. ``GovukDateField`` is the GOV.UK date input (day, month, year)
with the Design System's error messages.
"""

import uuid
from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import BLANK_CHOICE_DASH
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.shortcuts import redirect, render

_INPUT_CLASSES = {
    "clearablefile": "govuk-file-upload",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "selectmultiple": "govuk-select",
}
_FIELDSET_WIDGETS = {"radioselect", "checkboxselectmultiple", "govukdate"}


def _choose_label(label: str) -> str:
    """The first option of a dropdown, in words: "Choose an agency" for the label "Agency"."""
    noun = label.removesuffix(" (optional)")
    noun = noun[:1].lower() + noun[1:]
    return f"Choose {'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


class GovukBoundField(BoundField):
    """A bound field that knows its GOV.UK classes and which element its errors point at.

    A dropdown's empty first option reads "Choose a …" (from the field's label) rather than
    Django's "---------", unless the field says what it should read (``empty_label``).
    """

    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        if getattr(field, "empty_label", None) == BLANK_CHOICE_DASH[0][1]:
            field.empty_label = _choose_label(str(self.label))
        elif (
            isinstance(field, forms.ChoiceField)
            and not isinstance(field, forms.ModelChoiceField)
            and BLANK_CHOICE_DASH[0] in field.choices
        ):
            field.choices = [
                ("", _choose_label(str(self.label))) if choice == BLANK_CHOICE_DASH[0] else choice
                for choice in field.choices
            ]

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.character_count:
            # The browser would drop text past maxlength without a word; the GOV.UK character
            # count says how much is left instead, and the form refuses too much.
            attrs.pop("maxlength", None)
            (widget or self.field.widget).attrs.pop("maxlength", None)
            attrs["class"] = f"govuk-js-character-count {attrs.get('class', '')}".strip()
            described = [attrs.get("aria-describedby", ""), f"{self.auto_id}-info"]
            attrs["aria-describedby"] = " ".join(d for d in described if d)
        if self.widget_type not in _FIELDSET_WIDGETS:
            base = _INPUT_CLASSES.get(self.widget_type, "govuk-input")
            # The attrs made here replace the widget's own, so its classes (a width) join in.
            own = (widget or self.field.widget).attrs.get("class", "")
            classes = [base, own, attrs.get("class", "")]
            if self.errors:
                classes.append(f"{base}--error")
            attrs["class"] = " ".join(c for c in classes if c)
        return attrs

    @property
    def is_fieldset(self) -> bool:
        return self.widget_type in _FIELDSET_WIDGETS

    @property
    def character_count(self) -> int | None:
        """The most characters a text area takes, shown with GOV.UK's character count."""
        if self.widget_type == "textarea":
            return getattr(self.field, "max_length", None)
        return None

    @property
    def error_target(self) -> str:
        """The id the error summary links to: the first input of a group, or the input."""
        return f"{self.auto_id}_0" if self.is_fieldset else self.auto_id


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "includes/forms/form.html"
    field_template_name = "includes/forms/field.html"
    bound_field_class = GovukBoundField


class GovukDateWidget(forms.MultiWidget):
    template_name = "includes/forms/date_widget.html"

    def __init__(self, attrs=None):
        part = {"inputmode": "numeric", "class": "govuk-input govuk-date-input__input"}
        super().__init__(
            [
                forms.TextInput({**part, "class": part["class"] + " govuk-input--width-2"}),
                forms.TextInput({**part, "class": part["class"] + " govuk-input--width-2"}),
                forms.TextInput({**part, "class": part["class"] + " govuk-input--width-4"}),
            ],
            attrs,
        )

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A date entered as day, month and year, with GOV.UK's wording for each mistake.

    ``name`` is how errors refer to the date, e.g. "Date of the incident".
    """

    widget = GovukDateWidget

    def __init__(self, *, name: str, **kwargs):
        self.name = name
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("required", f"Enter the {name[0].lower()}{name[1:]}")
        parts = tuple(forms.CharField(required=False) for _ in range(3))
        super().__init__(parts, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list:
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        parts = zip(("day", "month", "year"), (day, month, year), strict=True)
        missing = [unit for unit, text in parts if not text]
        if len(missing) == 3:
            return None
        if missing:
            raise forms.ValidationError(
                f"{self.name} must include a {' and '.join(missing)}", code="incomplete"
            )
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise forms.ValidationError(f"{self.name} must be a real date", code="invalid")
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(
                f"{self.name} must be a real date", code="invalid"
            ) from None


YES_NO = [("yes", "Yes"), ("no", "No")]


def search_text(label: str, *, max_length: int, **kw):
    """An optional line of text to search or filter by, with GOV.UK's message when too long."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        error_messages={"max_length": f"{label} must be {max_length:,} characters or fewer"},
        **kw,
    )


def long_text(label: str, *, required: str = "", max_length: int = 10000, rows: int = 4, **kw):
    """A text area with GOV.UK's messages: ``required`` is the message when left empty (none:
    optional)."""
    name = label.removesuffix(" (optional)")
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=bool(required),
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": required,
            "max_length": f"{name} must be {max_length:,} characters or fewer",
        },
        **kw,
    )


def yes_no(label: str, required_message: str) -> forms.TypedChoiceField:
    """GOV.UK inline Yes/No radios that clean to True or False."""
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect(attrs={"inline": True}),
        error_messages={"required": required_message},
    )


class PersonChoiceField(forms.ModelChoiceField):
    """Choose a person, shown with their agency so that namesakes can be told apart."""

    def _set_queryset(self, queryset):
        """Each label names the person's agency: read the agencies in the same query, or a
        list of people (the panel's author list: hundreds) costs a query a person."""
        super()._set_queryset(None if queryset is None else queryset.select_related("agency"))

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.email} ({obj.agency or 'no agency'})"


def form_submit(request, form, service, message, **kwargs):
    """Run ``service`` with a valid form's data, as ``actor=request.user``, and return what it
    returns, with ``message`` (text, or a function of the result) shown on the next page.
    Returns None when the form is invalid or the service refused (its ValidationError is then
    on the form, for the page to show). A form whose fields are not the service's arguments
    one for one shapes them in a ``service_data()`` method."""
    if not form.is_valid():
        return None
    data = form.service_data() if hasattr(form, "service_data") else form.cleaned_data
    try:
        result = service(actor=request.user, **kwargs, **data)
    except ValidationError as error:
        form.add_error(None, error)
        if getattr(error, "code", None) == "conflict":
            _show_current_version(form, error.params["version"])
        return None
    messages.success(request, message(result) if callable(message) else message)
    return result


class OnceForm(forms.Form):
    """A form that creates something, carrying a one-time token (``submission``) so that going
    Back and submitting again, or clicking twice, creates it once: the service returns what the
    first submission made."""

    submission = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)


class VersionedForm(forms.Form):
    """A form that changes a record, carrying the version of it the person read (``version``):
    the service refuses a save over a change made since, saying who made it."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class ConfirmForm(forms.Form):
    """The confirm button of a page that names what an action that cannot be undone will do."""


class AgreementForm(ConfirmForm):
    """A confirmation carrying a fingerprint, made by a selector, of what the page named
    (``version``): the service refuses if it changed since, saying what changed."""

    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20000)


def _show_current_version(form, version: int | str) -> None:
    """After a refused save, the form keeps the person's text but carries the version now
    saved: saving again, having seen the other change, is deliberate and goes through."""
    form.data = form.data.copy()
    form.data[form.add_prefix("version")] = str(version)


def is_conflict(form) -> bool:
    """Whether the form was refused because the record changed since it was read (409)."""
    return form.has_error(forms.forms.NON_FIELD_ERRORS, "conflict")


def form_page(request, form, service, *, message, success_url, template, context, **kwargs):
    """A page of one form: on a valid post, ``service`` runs (see ``form_submit``) and the
    person goes to ``success_url``; otherwise ``template`` shows the form with ``context`` and
    its errors (409 when the record changed since it was read)."""
    if form_submit(request, form, service, message, **kwargs):
        return redirect(success_url)
    status = 409 if is_conflict(form) else 200
    return render(request, template, {**context, "form": form}, status=status)
