"""Project-level pages: home, sign-in, health check, accessibility statement and error pages."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LogoutView
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from agencies.signin import open_to_anyone
from reviews.permissions.dashboard import can_view_dashboard


class SignInForm(AuthenticationForm):
    """Sign in with an email address; the message never says whether the account exists."""

    username = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    error_messages = {
        "invalid_login": "Enter the email address and password of an active account",
        "inactive": "Enter the email address and password of an active account",
    }

    def clean_username(self):
        return self.cleaned_data["username"].lower()


class SignOutView(LogoutView):
    """Sign out (POST only): the server session is deleted and the browser told to drop what it
    kept of the service (its cache, cookies and storage)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response


@require_GET
def home_view(request):
    """Board managers' and chairs' home is the dashboard; everyone else's, the review list."""
    if request.user.is_authenticated:
        return redirect("reviews:dashboard" if can_view_dashboard(request.user) else "reviews:list")
    return redirect("login")


@never_cache
@require_GET
def healthz_view(request):
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@require_GET
def accessibility_view(request):
    return render(request, "accessibility.html")


@require_GET
def favicon_view(request):
    """Browsers ask for /favicon.ico where a page names no icon (a downloaded file, say): send
    them to the static file, which WhiteNoise serves under its hashed name in production."""
    return redirect(static("img/favicon.ico"))


@open_to_anyone
@require_GET
def robots_txt_view(request):
    """Search engines may index the board's public site, and nothing else: every other page
    also says noindex."""
    lines = ["User-agent: *", f"Allow: {reverse('public:list')}", "Allow: /static/", "Disallow: /"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def page_not_found(request, exception):
    """The public site's own "not found" page under /publications/, which links to nothing
    of the service; everyone else's elsewhere."""
    public = request.path.startswith(reverse("public:list"))
    template = "public/404.html" if public else "404.html"
    return defaults.page_not_found(request, exception, template_name=template)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
