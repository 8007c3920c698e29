import base64

import qrcode
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from qrcode.image.svg import SvgPathImage

from agencies.forms import (
    AgencyForm,
    AgencyUpdateForm,
    CodeForm,
    PasswordResetForm,
    PasswordSetForm,
    PeopleFilterForm,
    PersonDeactivateForm,
    PersonInviteForm,
    PersonUpdateForm,
    ReauthenticateForm,
    RecoveryCodeForm,
)
from agencies.models import Agency, User
from agencies.permissions import can_manage_agencies, can_manage_people
from agencies.selectors import (
    agency_list,
    changes_of,
    person_account_changes,
    person_has_second_factor,
    person_list,
    person_role_names,
)
from agencies.services import (
    OWN_AUTHENTICATOR,
    agency_create,
    agency_update,
    authenticator_confirm,
    authenticator_reset,
    authenticator_start,
    code_accept,
    password_reset_request,
    person_deactivate,
    person_invite,
    person_reactivate,
    person_update,
    sessions_end,
)
from agencies.signin import (
    authenticated_now,
    code_wait_seconds,
    has_authenticator,
    password_reset_token_generator,
    role_requires_second_factor,
    safe_next,
    second_factor_device,
    second_factor_given,
    session_seen,
)
from scr.forms import ConfirmForm, form_page, form_submit
from scr.versions import version_of


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@login_required
@require_GET
def agency_list_view(request):
    _require(can_manage_agencies(request.user))
    return render(request, "agencies/agency_list.html", {"agencies": agency_list()})


@login_required
@require_http_methods(["GET", "POST"])
def agency_create_view(request):
    _require(can_manage_agencies(request.user))
    form = AgencyForm(request.POST or None)
    if form_submit(request, form, agency_create, "Agency added"):
        return redirect("agencies:list")
    return render(request, "agencies/agency_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def agency_update_view(request, pk):
    _require(can_manage_agencies(request.user))
    agency = get_object_or_404(Agency, pk=pk)
    initial = {
        "name": agency.name,
        "sector": agency.sector,
        "contact_email": agency.contact_email,
        "is_active": "yes" if agency.is_active else "no",
        "version": version_of(agency, history=changes_of(agency)),
    }
    return form_page(
        request,
        AgencyUpdateForm(request.POST or None, initial=initial),
        agency_update,
        message="Agency changed",
        success_url=reverse("agencies:list"),
        template="agencies/agency_form.html",
        context={"agency": agency},
        agency=agency,
    )


# Thousands of people nationally: rendering every row took 317 ms for 2,001.
PEOPLE_PER_PAGE = 50


@login_required
@require_GET
def person_list_view(request):
    """Everyone with an account, a page at a time, searched by name or email, agency and role;
    a search that is not valid shows its errors and nobody."""
    _require(can_manage_people(request.user))
    form = PeopleFilterForm(request.GET)
    if form.is_valid():
        data = form.cleaned_data
        people = person_list(search=data["q"], agency=data["agency"], role=data["role"])
    else:
        people = User.objects.none()
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "people": [(person, person_role_names(person)) for person in page],
        "query": query.urlencode(),
        "searched": any(query.get(name) for name in form.fields),
    }
    return render(request, "agencies/person_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_invite_view(request):
    _require(can_manage_people(request.user))
    form = PersonInviteForm(request.POST or None)
    if form_submit(request, form, person_invite, "Invitation sent"):
        return redirect("agencies:people")
    return render(request, "agencies/person_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def person_update_view(request, pk):
    _require(can_manage_people(request.user))
    person = get_object_or_404(User, pk=pk)
    initial = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "job_title": person.job_title,
        "agency": person.agency_id,
        "roles": person_role_names(person),
        "version": version_of(person, history=changes_of(person)),
    }
    return form_page(
        request,
        PersonUpdateForm(request.POST or None, initial=initial),
        person_update,
        message="Person changed",
        success_url=reverse("agencies:people"),
        template="agencies/person_form.html",
        context=_person_page(request, person),
        person=person,
    )


def _person_page(request, person: User) -> dict:
    """What a person's page shows beside the form: their sign-in and the changes made."""
    return {
        "person": person,
        "changes": person_account_changes(person),
        "has_app": has_authenticator(person),
        "may_reset_app": person.pk != request.user.pk and person_has_second_factor(person),
    }


@login_required
@require_http_methods(["GET", "POST"])
def person_deactivate_view(request, pk):
    _require(can_manage_people(request.user))
    person = get_object_or_404(User, pk=pk)
    form = PersonDeactivateForm(request.POST or None)
    if form_submit(
        request, form, person_deactivate, f"{person} can no longer sign in", person=person
    ):
        return redirect("agencies:people")
    return render(request, "agencies/person_deactivate.html", {"form": form, "person": person})


@login_required
@require_http_methods(["GET", "POST"])
def authenticator_reset_view(request, pk):
    """Reset someone else's authenticator app: a page naming them, then the POST that does it."""
    _require(can_manage_people(request.user))
    person = get_object_or_404(User, pk=pk)
    if person.pk == request.user.pk:
        messages.error(request, OWN_AUTHENTICATOR)
        return redirect("agencies:person_update", pk=pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    message = f"{person}'s authenticator app is reset: we have emailed them"
    if form_submit(request, form, authenticator_reset, message, person=person):
        return redirect("agencies:person_update", pk=pk)
    context = {
        "form": form,
        "person": person,
        "has_second_factor": person_has_second_factor(person),
        "required": role_requires_second_factor(person),
    }
    return render(request, "agencies/authenticator_reset.html", context)


@login_required
@require_POST
def person_reactivate_view(request, pk):
    _require(can_manage_people(request.user))
    person = get_object_or_404(User, pk=pk)
    try:
        person_reactivate(actor=request.user, person=person)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"{person} can sign in again")
    return redirect("agencies:people")


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """The invitation link: set a first password. Refused for deactivated accounts."""

    template_name = "registration/password_set.html"
    form_class = PasswordSetForm
    success_url = reverse_lazy("login")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form):
        messages.success(self.request, "Your password is set. Sign in with it now.")
        return super().form_valid(form)


@require_http_methods(["GET", "POST"])
def password_reset_view(request):
    """Ask for a reset link. Known or not, the address gets the same answer and page."""
    form = PasswordResetForm(request.POST or None)
    if form.is_valid():
        password_reset_request(email=form.cleaned_data["email"])
        return redirect("password_reset_sent")
    return render(request, "registration/password_reset_form.html", {"form": form})


@require_GET
def password_reset_sent_view(request):
    return render(request, "registration/password_reset_sent.html")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose a new password from a reset link. It signs nobody in (the second factor is still
    asked for at sign-in) and ends every session the person had."""

    template_name = "registration/password_reset_confirm.html"
    form_class = PasswordSetForm
    token_generator = password_reset_token_generator
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        sessions_end(person=form.user)
        messages.success(self.request, "Your password is changed. Sign in with it now.")
        return response


def _qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as an SVG data URI: drawn here, so nothing leaves the service."""
    svg = qrcode.make(text, image_factory=SvgPathImage, box_size=10).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


@login_required
@require_http_methods(["GET", "POST"])
def mfa_setup_view(request):
    """Set up an authenticator app (once: a second app cannot be added this way), then show the
    recovery codes, once."""
    if has_authenticator(request.user):
        return redirect("agencies:mfa_verify")
    device = authenticator_start(person=request.user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if wait := code_wait_seconds(device):
            form.add_error("code", _wait_message(wait))
        elif codes := authenticator_confirm(
            person=request.user, device=device, code=form.cleaned_data["code"]
        ):
            second_factor_given(request)
            context = {"codes": codes, "next": safe_next(request, reverse("home"))}
            return render(request, "agencies/mfa_recovery_codes.html", context)
        else:
            form.add_error("code", "The code is not right: enter the 6 digits the app shows now")
    context = {
        "form": form,
        "qr": _qr_data_uri(device.config_url),
        "secret": base64.b32encode(device.bin_key).decode(),
        "next": safe_next(request, ""),
    }
    return render(request, "agencies/mfa_setup.html", context)


def _second_factor_page(request, form, *, recovery: bool, wrong: str, template: str):
    """Check a code after the password (the app's on one page, a recovery code on the other),
    then go on to ``next``."""
    if not has_authenticator(request.user):
        return redirect("agencies:mfa_setup")
    if form.is_valid():
        device = second_factor_device(request.user, recovery=recovery)
        if device is not None and (wait := code_wait_seconds(device)):
            form.add_error("code", _wait_message(wait))
        elif device is not None and code_accept(device=device, code=form.cleaned_data["code"]):
            second_factor_given(request)
            return redirect(safe_next(request, reverse("home")))
        else:
            form.add_error("code", wrong)
    return render(request, template, {"form": form, "next": safe_next(request, "")})


def _wait_message(seconds: int) -> str:
    """Said instead of checking a code while wrong ones make the next try wait: a right code
    sent then would be refused, and must not be called wrong."""
    return f"Wait {seconds} second{pluralize(seconds)} before you try another code"


@login_required
@require_http_methods(["GET", "POST"])
def mfa_verify_view(request):
    """Give a code from the authenticator app after the password."""
    return _second_factor_page(
        request,
        CodeForm(request.POST or None),
        recovery=False,
        wrong="The code is not right: enter the code the app shows now",
        template="agencies/mfa_verify.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def mfa_recovery_view(request):
    """Give one of the recovery codes instead of the app's code, after the password."""
    return _second_factor_page(
        request,
        RecoveryCodeForm(request.POST or None),
        recovery=True,
        wrong="The recovery code is not right, or has been used",
        template="agencies/mfa_recovery.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def reauthenticate_view(request):
    """Give the password (or a code) again before a sensitive step, then go back to it."""
    form = ReauthenticateForm(request.POST or None)
    if form.is_valid():
        password, code = form.cleaned_data["password"], form.cleaned_data["code"]
        device = None if password else second_factor_device(request.user)
        if device is not None and (wait := code_wait_seconds(device)):
            form.add_error("code", _wait_message(wait))
        elif _proves_identity(request, password=password, code=code, device=device):
            authenticated_now(request)
            return redirect(safe_next(request, reverse("home")))
        elif password:
            form.add_error("password", "Your password is not right")
        else:
            form.add_error("code", "The code is not right: enter the code the app shows now")
    context = {
        "form": form,
        "next": safe_next(request, ""),
        "has_app": has_authenticator(request.user),
    }
    return render(request, "registration/reauthenticate.html", context)


def _proves_identity(request, *, password: str, code: str, device) -> bool:
    """The password, checked through axes (failures count towards the lockout), or a code
    from the person's app (``device``)."""
    if password:
        return authenticate(request, username=request.user.email, password=password) == request.user
    return device is not None and code_accept(device=device, code=code)


@login_required
@require_POST
def session_extend_view(request):
    """ "Stay signed in" from the timeout dialog: the session's idle time starts again."""
    expires_in = session_seen(request, extend=True)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"expires_in": expires_in})
    return redirect(safe_next(request, reverse("home")))
