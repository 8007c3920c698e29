"""Stage 4 pages: requesting management reports, and each agency's report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reviews.forms.reports import (
    RecordsSecuredForm,
    ReportCommentsForm,
    ReportsRequestForm,
    ReportUploadForm,
)
from reviews.permissions.panel import can_view_panel
from reviews.permissions.reports import (
    can_decide_report,
    can_excuse_report,
    can_request_reports,
    can_work_on_report,
)
from reviews.selectors.reports import report_get, report_versions_visible
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
from reviews.services.review import access_log_record
from reviews.views.review import panel_review_or_404, review_or_404


def report_or_404(request, reference, pk):
    """The review and one of its reports, if the user may see that report: 404 outside the
    review, 403 for another agency's report (logged either way)."""
    review = review_or_404(request, reference)
    report = report_get(review=review, pk=pk)
    if report is None:
        raise Http404("No such report")
    own = can_work_on_report(request.user, report)
    allowed = own or can_view_panel(request.user, review)
    access_log_record(
        request=request, object_type="report", object_ref=f"{reference}/{pk}", allowed=allowed
    )
    if not allowed:
        raise PermissionDenied
    return review, report, own


def _report_page(request, review, report, own, **forms):
    context = {
        "review": review,
        "report": report,
        "versions": report_versions_visible(report=report, own_agency=own),
        "can_work": own and report.status in ("requested", "returned"),
        "can_decide": can_decide_report(request.user, report),
        "can_excuse": can_excuse_report(request.user, report),
        "records_form": forms.get("records_form") or RecordsSecuredForm(),
        "upload_form": forms.get("upload_form") or ReportUploadForm(),
        "comments_form": forms.get("comments_form") or ReportCommentsForm(),
        "submit_errors": forms.get("submit_errors", []),
    }
    return render(request, "reviews/reports/report_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reports_request_view(request, reference):
    review = panel_review_or_404(request, reference)
    if not can_request_reports(request.user, review):
        raise PermissionDenied
    form = ReportsRequestForm(
        request.POST or None, initial={"due_on": report_due_default(review=review)}
    )
    if form.is_valid():
        try:
            reports_request(review=review, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Management reports requested")
            return redirect("reviews:panel", review.reference)
    context = {
        "review": review,
        "form": form,
        "heading": "Request management reports",
        "submit": "Request reports",
    }
    return render(request, "reviews/panel/panel_form.html", context)


@login_required
@require_GET
def report_detail_view(request, reference, pk):
    review, report, own = report_or_404(request, reference, pk)
    return _report_page(request, review, report, own)


def _own_report_or_403(request, reference, pk):
    review, report, own = report_or_404(request, reference, pk)
    if not own:
        raise PermissionDenied
    return review, report


@login_required
@require_POST
def report_records_view(request, reference, pk):
    review, report = _own_report_or_403(request, reference, pk)
    form = RecordsSecuredForm(request.POST)
    if form.is_valid():
        try:
            report_records_secure(report=report, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Records confirmed as secured")
            return redirect("reviews:report", review.reference, report.pk)
    return _report_page(request, review, report, True, records_form=form)


@login_required
@require_POST
def report_upload_view(request, reference, pk):
    review, report = _own_report_or_403(request, reference, pk)
    form = ReportUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = report_upload(report=report, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Version {version.number} uploaded")
            return redirect("reviews:report", review.reference, report.pk)
    return _report_page(request, review, report, True, upload_form=form)


@login_required
@require_POST
def report_submit_view(request, reference, pk):
    review, report = _own_report_or_403(request, reference, pk)
    try:
        report_submit(report=report, actor=request.user)
    except ValidationError as error:
        return _report_page(request, review, report, True, submit_errors=error.messages)
    messages.success(request, "Report submitted to the panel")
    return redirect("reviews:report", review.reference, report.pk)


@login_required
@require_POST
def report_decide_view(request, reference, pk, decision):
    review, report, own = report_or_404(request, reference, pk)
    allowed = {
        "accept": can_decide_report,
        "return": can_decide_report,
        "excuse": can_excuse_report,
    }
    if decision not in allowed or not allowed[decision](request.user, report):
        raise PermissionDenied
    service = {"accept": report_accept, "return": report_return, "excuse": report_excuse}
    form = ReportCommentsForm(request.POST)
    if form.is_valid():
        try:
            report = service[decision](report=report, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("comments", error.messages[0])
        else:
            messages.success(request, f"Report {report.get_status_display().lower()}")
            return redirect("reviews:report", review.reference, report.pk)
    return _report_page(request, review, report, own, comments_form=form)


@login_required
@require_GET
def report_download_view(request, reference, pk, number):
    _, report, own = report_or_404(request, reference, pk)
    versions = {v.number: v for v in report_versions_visible(report=report, own_agency=own)}
    version = versions.get(number)
    if version is None:
        raise Http404("No such version")
    return attachment_response(version.file, version.display_name, version.content_type)


def attachment_response(file, name: str, content_type: str) -> FileResponse:
    """A stored document as a download, never shown inline, in a sandbox if it is opened."""
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
