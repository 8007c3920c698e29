"""Stage 4: requesting management reports, and each agency's report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reviews.doors import panel_door, report_door
from reviews.files import attachment_response
from reviews.forms.reports import (
    RecordsSecuredForm,
    ReportCommentsForm,
    ReportsRequestForm,
    ReportUploadForm,
)
from reviews.permissions.reports import (
    can_decide_report,
    can_decide_reports_in,
    can_edit_report,
    can_excuse_report,
    can_excuse_reports_in,
    can_request_reports,
)
from reviews.selectors.reports import (
    report_ids_unreachable,
    report_version_get,
    report_versions_visible,
)
from reviews.services.reports import (
    report_accept,
    report_due_default,
    report_excuse,
    report_records_secure,
    report_return,
    report_submit,
    report_upload,
    reports_request,
)
from scr.forms import form_page, form_submit

# Who may take each decision at all; whether this report can still take it is the service's
# to say, so that a decision someone else took first is explained, not refused as "no access".
_DECISIONS = {
    "accept": (can_decide_reports_in, report_accept),
    "return": (can_decide_reports_in, report_return),
    "excuse": (can_excuse_reports_in, report_excuse),
}


def _unknown_decision(user, report) -> bool:
    """No one may take a decision the workflow does not have."""
    return False


def _report_page(request, door, status=200, **forms):
    report = door.report
    context = {
        "review": door.review,
        "report": report,
        "versions": report_versions_visible(report=report, own_agency=door.own),
        "can_work": can_edit_report(request.user, report),
        "can_decide": can_decide_report(request.user, report),
        "can_excuse": can_excuse_report(request.user, report),
        "records_form": forms.get("records_form") or RecordsSecuredForm(),
        "upload_form": forms.get("upload_form") or ReportUploadForm(),
        "comments_form": forms.get("comments_form") or ReportCommentsForm(),
        "submit_errors": forms.get("submit_errors", []),
        "unreachable": bool(report_ids_unreachable(reports=[report])),
    }
    return render(request, "reviews/reports/report_detail.html", context, status=status)


def _uploaded_message(version) -> str:
    return f"Version {version.number} uploaded"


def _back_to_report(door):
    return redirect("reviews:report", door.review.reference, door.report.pk)


@login_required
@require_http_methods(["GET", "POST"])
def reports_request_view(request, reference):
    review = panel_door(request, reference, may=can_request_reports)
    initial = {"due_on": report_due_default(review=review)}
    return form_page(
        request,
        ReportsRequestForm(request.POST or None, initial=initial),
        reports_request,
        message="Management reports requested",
        success_url=reverse("reviews:panel", args=[review.reference]),
        template="reviews/panel/panel_form.html",
        context={
            "review": review,
            "heading": "Request management reports",
            "submit": "Request reports",
        },
        review=review,
    )


@login_required
@require_GET
def report_detail_view(request, reference, pk):
    return _report_page(request, report_door(request, reference, pk))


@login_required
@require_POST
def report_records_view(request, reference, pk):
    door = report_door(request, reference, pk, may=can_edit_report)
    form = RecordsSecuredForm(request.POST)
    message = "Records confirmed as secured"
    if form_submit(request, form, report_records_secure, message, report=door.report):
        return _back_to_report(door)
    return _report_page(request, door, records_form=form)


@login_required
@require_POST
def report_upload_view(request, reference, pk):
    door = report_door(request, reference, pk, may=can_edit_report)
    form = ReportUploadForm(request.POST, request.FILES)
    if form_submit(request, form, report_upload, _uploaded_message, report=door.report):
        return _back_to_report(door)
    return _report_page(request, door, upload_form=form)


@login_required
@require_POST
def report_submit_view(request, reference, pk):
    door = report_door(request, reference, pk, may=can_edit_report)
    try:
        report_submit(report=door.report, actor=request.user)
    except ValidationError as error:
        return _report_page(request, door, submit_errors=error.messages)
    messages.success(request, "Report submitted to the panel")
    return _back_to_report(door)


@login_required
@require_POST
def report_decide_view(request, reference, pk, decision):
    may, service = _DECISIONS.get(decision, (_unknown_decision, None))
    door = report_door(request, reference, pk, may=may)
    form = ReportCommentsForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            report = service(report=door.report, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("comments", error.messages[0])
            status = 409 if getattr(error, "code", None) == "stale" else 200
        else:
            messages.success(request, f"Report {report.get_status_display().lower()}")
            return _back_to_report(door)
    return _report_page(request, door, status, comments_form=form)


@login_required
@require_GET
def report_download_view(request, reference, pk, number):
    door = report_door(request, reference, pk, action="download")
    version = report_version_get(report=door.report, number=number, own_agency=door.own)
    if version is None:
        raise Http404("No such version")
    return attachment_response(version.file, version.display_name, version.content_type)
