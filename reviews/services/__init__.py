"""Every write to a review goes through these functions, so audit and rules are never skipped."""

from reviews.services.chronology import (
    chronology_csv,
    chronology_entry_delete,
    chronology_entry_save,
    chronology_file_parse,
    chronology_import_confirm,
    chronology_import_parsed,
    chronology_import_preview,
    chronology_import_undo,
)
from reviews.services.interviews import (
    interview_notes_send,
    interview_record,
    interview_response_record,
)
from reviews.services.panel import (
    author_appoint,
    meeting_record,
    panel_member_add,
    panel_member_remove,
    terms_save,
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
from reviews.services.review import (
    access_log_record,
    decision_record,
    notification_record,
    rapid_review_record,
    referral_create,
)

__all__ = [
    "access_log_record",
    "author_appoint",
    "chronology_csv",
    "chronology_entry_delete",
    "chronology_entry_save",
    "chronology_file_parse",
    "chronology_import_confirm",
    "chronology_import_parsed",
    "chronology_import_preview",
    "chronology_import_undo",
    "decision_record",
    "interview_notes_send",
    "interview_record",
    "interview_response_record",
    "meeting_record",
    "notification_record",
    "panel_member_add",
    "panel_member_remove",
    "rapid_review_record",
    "referral_create",
    "report_accept",
    "report_due_default",
    "report_excuse",
    "report_records_secure",
    "report_return",
    "report_submit",
    "report_upload",
    "reports_request",
    "terms_save",
]
