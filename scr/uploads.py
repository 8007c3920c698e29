"""A size limit on multipart requests, checked before Django reads the body: the largest file
a form takes plus the form's other fields. A larger request is refused with a 400."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler


def request_max_bytes() -> int:
    """The largest multipart request the site reads."""
    largest_file = max(settings.SCR_REPORT_MAX_BYTES, settings.SCR_CHRONOLOGY_MAX_BYTES)
    return largest_file + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class RequestSizeHandler(FileUploadHandler):
    """First of the upload handlers: refuses an oversized request from its Content-Length
    and passes every chunk on untouched."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > request_max_bytes():
            raise RequestDataTooBig("Upload larger than the largest file a form takes")

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None
