"""Stage 5: the overview report's text, section by section: its versions, one read or two
compared, a version written in the service, and a Word draft imported after a check."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reviews.doors import overview_text_door, overview_versions_door
from reviews.forms.overview_text import (
    CompareForm,
    ImportChoiceForm,
    ImportConfirmForm,
    ImportUploadForm,
    ReportTextForm,
)
from reviews.permissions.overview import can_draft_overview
from reviews.selectors.overview_text import (
    overview_compare,
    overview_docx_draft_get,
    overview_docx_drafts,
    overview_draft_read,
    overview_version_latest,
    overview_version_list,
    overview_version_number_latest,
    overview_version_sections,
    sections_html,
)
from reviews.services.overview_text import (
    overview_import_upload,
    overview_version_import,
    overview_version_write,
)
from scr.forms import form_submit, is_conflict
from scr.richtext import html_to_text, loses_on_edit

TEMPLATES = "reviews/overview/"


def _posted(request):
    return request.POST if request.method == "POST" else None


def _saved(version):
    return f"Version {version.number} of the report text saved"


def _latest_two(numbers: list[int]) -> dict[str, int]:
    """The two latest of the version numbers (ascending), to compare by default."""
    return {"before": numbers[-2], "after": numbers[-1]} if len(numbers) > 1 else {}


@login_required
@require_GET
def overview_versions_view(request, reference):
    review = overview_text_door(request, reference)
    versions = overview_version_list(review=review)
    numbers = sorted(version.number for version in versions)
    context = {
        "review": review,
        "versions": versions,
        "can_write": can_draft_overview(request.user, review),
        "compare_form": CompareForm(initial=_latest_two(numbers), numbers=numbers),
    }
    return render(request, TEMPLATES + "text_versions.html", context)


@login_required
@require_GET
def overview_version_view(request, reference, number):
    review, (version,) = overview_versions_door(request, reference, [number])
    context = {
        "review": review,
        "version": version,
        "sections": overview_version_sections(version),
    }
    return render(request, TEMPLATES + "text_version_detail.html", context)


@login_required
@require_GET
def overview_compare_view(request, reference):
    review = overview_text_door(request, reference)
    numbers = sorted(version.number for version in overview_version_list(review=review))
    form = CompareForm(request.GET or _latest_two(numbers) or None, numbers=numbers)
    context = {"review": review, "form": form, "numbers": numbers}
    if form.is_bound and form.is_valid():
        picked = [form.cleaned_data["before"], form.cleaned_data["after"]]
        _, (before, after) = overview_versions_door(request, reference, picked, review=review)
        context |= {"before": before, "after": after, "sections": overview_compare(before, after)}
    return render(request, TEMPLATES + "text_compare.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def overview_write_view(request, reference):
    review = overview_text_door(request, reference, may=can_draft_overview)
    latest = overview_version_latest(review=review)
    html = sections_html(latest)
    number = latest.number if latest else 0
    form = ReportTextForm(
        _posted(request),
        initial={"version": number, **{key: html_to_text(text) for key, text in html.items()}},
        tables=frozenset(key for key, text in html.items() if loses_on_edit(text)),
    )
    version = form_submit(request, form, overview_version_write, _saved, review=review)
    if version:
        return redirect("reviews:overview_version", review.reference, version.number)
    conflict = is_conflict(form)
    context = {"review": review, "form": form, "latest": latest, "conflict": conflict}
    if conflict and form.cleaned_data.get("version"):
        context["compare_url"] = _compare_url(review, form.cleaned_data["version"], number)
    return render(request, TEMPLATES + "text_form.html", context, status=409 if conflict else 200)


def _compare_url(review, before: int, after: int) -> str:
    url = reverse("reviews:overview_compare", args=[review.reference])
    return f"{url}?before={before}&after={after}"


def _import_page(request, review, **forms):
    drafts = overview_docx_drafts(review=review)
    context = {
        "review": review,
        "drafts": drafts,
        "choice_form": forms.get("choice_form") or ImportChoiceForm(drafts=drafts),
        "upload_form": forms.get("upload_form") or ImportUploadForm(),
        "errors": forms.get("errors", []),
    }
    return render(request, TEMPLATES + "text_import.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def overview_import_view(request, reference):
    review = overview_text_door(request, reference, may=can_draft_overview)
    drafts = overview_docx_drafts(review=review)
    form = ImportChoiceForm(_posted(request), drafts=drafts)
    if form.is_bound and form.is_valid():
        draft = form.cleaned_data["draft"]
        return redirect("reviews:overview_import_check", review.reference, draft.number)
    return _import_page(request, review, choice_form=form)


@login_required
@require_POST
def overview_import_upload_view(request, reference):
    review = overview_text_door(request, reference, may=can_draft_overview)
    form = ImportUploadForm(request.POST, request.FILES)
    message = "Word document kept as draft {0.number}: check how its text was read"
    draft = form_submit(request, form, overview_import_upload, message.format, review=review)
    if draft:
        return redirect("reviews:overview_import_check", review.reference, draft.number)
    return _import_page(request, review, upload_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def overview_import_check_view(request, reference, number):
    review = overview_text_door(request, reference, may=can_draft_overview)
    draft = overview_docx_draft_get(review=review, number=number)
    if draft is None:
        raise Http404("No such Word draft")
    based_on = overview_version_number_latest(review=review)
    form = ImportConfirmForm(_posted(request), initial={"version": based_on})
    version = form_submit(
        request, form, overview_version_import, _saved, review=review, draft=draft
    )
    if version:
        return redirect("reviews:overview_version", review.reference, version.number)
    context = {"review": review, "draft": draft, "form": form, "based_on": based_on}
    try:
        context["read"] = overview_draft_read(draft=draft)
    except ValidationError as error:
        return _import_page(request, review, errors=error.messages)
    status = 409 if is_conflict(form) else 200
    return render(request, TEMPLATES + "text_import_check.html", context, status=status)
