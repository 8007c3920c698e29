"""The board's side of the public site: what is published, since when, until when and what
was removed (board manager and chair); a publication's themes, its removal, and the board's
list of themes (board manager)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from publication.forms import (
    PublicationRemoveForm,
    PublicationThemesForm,
    ThemeAddForm,
    ThemeRenameForm,
)
from publication.models import Theme
from publication.permissions import (
    can_manage_publications,
    can_manage_themes,
    can_view_publications,
)
from publication.removal import publication_remove, removal_is_early
from publication.selectors import publication_list, publication_of_review_get, theme_list
from publication.themes import publication_themes_set, theme_add, theme_rename
from reviews.doors import part_door, review_door
from scr.forms import form_page
from scr.versions import version_of


def _sees(user, review) -> bool:
    return can_view_publications(user)


def _manages(user, review) -> bool:
    return can_manage_publications(user)


def _door(request, reference, pk, *, may=_sees):
    """A publication of the review, logged as a look at it: 404 outside the review or for an
    id not of it, 403 for anyone but the board manager and the chair, or unless ``may``."""
    review = review_door(request, reference, may=may, kind="publication")
    found = publication_of_review_get(review=review, pk=pk)
    return part_door(request, found, kind="published", ref=f"{reference}/published/{pk}")


@login_required
@require_GET
def publication_list_view(request):
    if not can_view_publications(request.user):
        raise PermissionDenied
    context = {
        "page": Paginator(publication_list(), settings.REVIEWS_PER_PAGE).get_page(
            request.GET.get("page")
        ),
        "now": timezone.now(),
        "can_manage_themes": can_manage_themes(request.user),
    }
    return render(request, "publication/publication_list.html", context)


@login_required
@require_GET
def published_detail_view(request, reference, pk):
    publication = _door(request, reference, pk)
    history = publication.history.select_related("history_user").order_by("-history_id")
    context = {
        "publication": publication,
        "history": history,
        "now": timezone.now(),
        "can_manage": can_manage_publications(request.user),
    }
    return render(request, "publication/published_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def published_themes_view(request, reference, pk):
    publication = _door(request, reference, pk, may=_manages)
    initial = {"version": version_of(publication), "themes": list(publication.themes.all())}
    return form_page(
        request,
        PublicationThemesForm(request.POST or None, initial=initial),
        publication_themes_set,
        message="Themes saved",
        success_url=reverse("publication:published", args=[reference, pk]),
        template="publication/published_form.html",
        context={"publication": publication, "heading": "Themes", "submit": "Save themes"},
        publication=publication,
    )


@login_required
@require_http_methods(["GET", "POST"])
def published_remove_view(request, reference, pk):
    publication = _door(request, reference, pk, may=_manages)
    early = removal_is_early(publication)
    return form_page(
        request,
        PublicationRemoveForm(request.POST or None, early=early),
        publication_remove,
        message="Publication removed from the public site",
        success_url=reverse("publication:published", args=[reference, pk]),
        template="publication/published_remove.html",
        context={"publication": publication, "early": early},
        publication=publication,
    )


def _themes_door(request) -> None:
    if not can_manage_themes(request.user):
        raise PermissionDenied


@login_required
@require_GET
def theme_list_view(request):
    _themes_door(request)
    return render(request, "publication/theme_list.html", {"themes": theme_list()})


@login_required
@require_http_methods(["GET", "POST"])
def theme_add_view(request):
    _themes_door(request)
    return form_page(
        request,
        ThemeAddForm(request.POST or None),
        theme_add,
        message=lambda theme: f"Theme added: {theme.name}",
        success_url=reverse("publications:themes"),
        template="publication/theme_form.html",
        context={"heading": "Add a theme", "submit": "Add theme"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def theme_rename_view(request, pk):
    _themes_door(request)
    theme = get_object_or_404(Theme, pk=pk)
    initial = {"version": version_of(theme), "name": theme.name}
    return form_page(
        request,
        ThemeRenameForm(request.POST or None, initial=initial),
        theme_rename,
        message=lambda renamed: f"Theme renamed: {renamed.name}",
        success_url=reverse("publications:themes"),
        template="publication/theme_form.html",
        context={"heading": f"Rename the theme {theme.name}", "submit": "Rename"},
        theme=theme,
    )
