"""Stage 7: the publication version of the report (made, corrected, its identifier check and
plain English) and publishing it. Only the board manager and the chair see any of it, as they
see the pseudonym map; every look is in the access log. A worker's name is never sent to the
browser: the check says whose it is, and the text shows "[worker's name]"."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from publication.anonymise import mask_html, mask_text
from publication.checks import proposed_title, readability, version_check, worker_names
from publication.forms import HitResolveForm, PublishForm, VersionCorrectForm, VersionMakeForm
from publication.models import PublicationVersion
from publication.permissions import can_view_publication_version, can_write_publication_version
from publication.publishing import publication_publish, publish_problems
from publication.selectors import (
    publication_of,
    publication_plan_get,
    publication_version_latest,
    publication_version_list,
)
from publication.versions import (
    hit_resolve,
    publication_version_correct,
    publication_version_make,
    version_writing_form,
)
from reviews.doors import part_door, review_door
from scr.forms import form_page
from scr.richtext import loses_on_edit


def _door(request, reference, may=can_view_publication_version):
    """The review's publication version, logged as a look at it: 404 outside the review, 403
    for anyone but the board manager and the chair, or unless ``may``."""
    return review_door(request, reference, may=may, kind="publication_version")


def _latest(request, review):
    """The latest version, or a logged 404 when none has been made."""
    found = publication_version_latest(review=review)
    return part_door(request, found, kind="publication_version", ref=f"{review.reference}/version")


def _version_url(review) -> str:
    return reverse("publication:version", args=[review.reference])


def _form(request, review, form, service, *, heading, submit, message, **extra):
    return form_page(
        request,
        form,
        service,
        message=message,
        success_url=_version_url(review),
        template="publication/version_form.html",
        context={"review": review, "heading": heading, "submit": submit, **extra},
        review=review,
    )


@login_required
@require_GET
def version_detail_view(request, reference):
    review = _door(request, reference)
    version = publication_version_latest(review=review)
    context = {
        "review": review,
        "plan": publication_plan_get(review=review),
        "version": version,
        "publication": publication_of(review=review),
        "can_write": can_write_publication_version(request.user, review),
    }
    if version is not None:
        workers = worker_names(review=review)
        check = version_check(version)
        context.update(
            check=check,
            readability=readability(version),
            summary_html=mask_html(version.summary_html, workers),
            body_html=mask_html(version.body_html, workers),
            title=mask_text(version.title, workers),
            versions=publication_version_list(review=review),
        )
    return render(request, "publication/version_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def version_make_view(request, reference):
    review = _door(request, reference, may=can_write_publication_version)
    form = VersionMakeForm(request.POST or None, initial={"title": proposed_title(review)})
    return _form(
        request,
        review,
        form,
        publication_version_make,
        heading="Make the publication version",
        submit="Make the publication version",
        message=lambda made: f"Publication version {made.number} made",
        making=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def version_edit_view(request, reference):
    review = _door(request, reference, may=can_write_publication_version)
    latest = _latest(request, review)
    initial = {"version": latest.number, **version_writing_form(latest, review)}
    full = latest.form == PublicationVersion.Form.FULL
    return _form(
        request,
        review,
        VersionCorrectForm(request.POST or None, initial=initial, full=full),
        publication_version_correct,
        heading=f"Correct publication version {latest.number}",
        submit="Save as a new version",
        message=lambda made: f"Publication version {made.number} saved",
        loses=loses_on_edit(latest.summary_html + latest.body_html),
    )


@login_required
@require_http_methods(["GET", "POST"])
def hit_resolve_view(request, reference, number, key):
    review = _door(request, reference, may=can_write_publication_version)
    latest = _latest(request, review)
    check = version_check(latest)
    ref = f"{reference}/version/{number}/hits/{key}"
    found = check.hit(key) if latest.number == number else None
    hit, resolution = part_door(request, found, kind="identifier_hit", ref=ref)
    return form_page(
        request,
        HitResolveForm(request.POST or None),
        hit_resolve,
        message="Marked not identifying",
        success_url=_version_url(review),
        template="publication/hit_resolve.html",
        context={"review": review, "version": latest, "hit": hit, "resolution": resolution},
        review=review,
        number=number,
        key=key,
    )


@login_required
@require_http_methods(["GET", "POST"])
def publish_view(request, reference):
    review = _door(request, reference, may=can_write_publication_version)
    plan = publication_plan_get(review=review)
    return form_page(
        request,
        PublishForm(request.POST if request.method == "POST" else None),
        publication_publish,
        message="The report is published",
        success_url=reverse("publication:plan", args=[review.reference]),
        template="publication/publish.html",
        context={
            "review": review,
            "plan": plan,
            "problems": publish_problems(review, plan, timezone.localdate()),
            "publication": publication_of(review=review),
        },
        review=review,
    )
