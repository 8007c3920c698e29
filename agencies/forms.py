from django import forms
from django.contrib.auth.forms import SetPasswordForm

from agencies.models import Agency, Role
from agencies.selectors import agency_list
from scr.forms import VersionedForm, search_text


class AgencyForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=200,
        error_messages={"required": "Enter the agency's name"},
        widget=forms.TextInput(attrs={"class": "govuk-!-width-two-thirds"}),
    )
    sector = forms.ChoiceField(
        label="Sector",
        choices=Agency.Sector.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the agency's sector"},
    )
    contact_email = forms.EmailField(
        label="Contact email address (optional)",
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.org"
        },
        widget=forms.EmailInput(attrs={"class": "govuk-!-width-two-thirds", "spellcheck": "false"}),
    )


class AgencyUpdateForm(VersionedForm, AgencyForm):
    is_active = forms.TypedChoiceField(
        label="Is the agency still taking part in reviews?",
        choices=[("yes", "Yes"), ("no", "No, it has closed or merged")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the agency is still taking part"},
    )


class PersonForm(forms.Form):
    first_name = forms.CharField(
        label="First name",
        max_length=150,
        error_messages={"required": "Enter the person's first name"},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=150,
        error_messages={"required": "Enter the person's last name"},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    job_title = forms.CharField(label="Job title (optional)", max_length=200, required=False)
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label="Not part of an agency",
        help_text="Independent chairs and authors usually belong to no agency.",
        error_messages={"invalid_choice": "Select an agency from the list"},
    )
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Select at least one role"},
    )


class PersonUpdateForm(VersionedForm, PersonForm):
    """A person's details and roles, carrying the version of them that was read."""


class PersonInviteForm(PersonForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We will send the invitation to this address.",
        error_messages={
            "required": "Enter the person's email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    field_order = ["email", "first_name", "last_name", "job_title", "agency", "roles"]


class PersonDeactivateForm(forms.Form):
    reason = forms.CharField(
        label="Why are you deactivating this account?",
        max_length=500,
        error_messages={"required": "Enter why you are deactivating this account"},
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PasswordSetForm(SetPasswordForm):
    """Choose a password; the GOV.UK error wording replaces Django's."""

    error_messages = {"password_mismatch": "The passwords do not match"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm the new password"
        self.fields["new_password2"].error_messages["required"] = "Confirm the new password"
        self.fields["new_password1"].help_text = (
            "Use at least 12 characters, not one repeated pattern. Three or four random words "
            "are easy to remember and hard to guess."
        )
        self.fields["new_password1"].widget.attrs["autocomplete"] = "new-password"
        self.fields["new_password2"].widget.attrs["autocomplete"] = "new-password"


class PasswordResetForm(forms.Form):
    """Ask for a reset link by email address."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


# A code an authenticator app shows: phones offer the digits keypad, and the code itself.
_APP_CODE_ATTRS = {
    "autocomplete": "one-time-code",
    "inputmode": "numeric",
    "spellcheck": "false",
    "class": "govuk-input--width-10",
}


def _code_text(value: str) -> str:
    """A code as typed, without its spaces, in lower case (recovery codes are lower case)."""
    return "".join(value.split()).lower()


class CodeForm(forms.Form):
    """A code from an authenticator app."""

    code = forms.CharField(
        label="Code",
        max_length=32,
        error_messages={"required": "Enter the code"},
        widget=forms.TextInput(attrs=_APP_CODE_ATTRS),
    )

    def clean_code(self) -> str:
        return _code_text(self.cleaned_data["code"])


class RecoveryCodeForm(forms.Form):
    """One of the recovery codes shown when the app was set up: letters and digits, so the
    field is a plain text one (a digits keypad could not type it)."""

    code = forms.CharField(
        label="Recovery code",
        max_length=32,
        error_messages={"required": "Enter a recovery code"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "none",
                "class": "govuk-input--width-10",
            }
        ),
    )

    def clean_code(self) -> str:
        return _code_text(self.cleaned_data["code"])


class ReauthenticateForm(forms.Form):
    """The password again, or a code from the authenticator app."""

    password = forms.CharField(
        label="Password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label="Or a code from your authenticator app",
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs=_APP_CODE_ATTRS),
    )

    def clean(self):
        data = super().clean()
        data["code"] = _code_text(data.get("code", ""))
        if not data.get("password") and not data["code"]:
            self.add_error("password", "Enter your password")
        return data


class PeopleFilterForm(forms.Form):
    """The people page's search: a name or email, an agency and a role, each optional."""

    q = search_text("Name or email", max_length=200)
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=agency_list(),
        required=False,
        empty_label="All agencies",
        error_messages={"invalid_choice": "Select an agency from the list"},
    )
    role = forms.ChoiceField(
        label="Role",
        choices=[("", "All roles"), *Role.choices],
        required=False,
        error_messages={"invalid_choice": "Select a role from the list"},
    )
