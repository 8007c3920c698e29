from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from outbox.kinds import kind_label
from outbox.models import Email
from outbox.permissions import can_manage_outbox
from outbox.selectors import email_list_recent, email_list_unsent
from outbox.services import email_resend


def _rows(emails):
    return [(email, kind_label(email.kind)) for email in emails]


@login_required
@require_GET
def email_list_view(request):
    if not can_manage_outbox(request.user):
        raise PermissionDenied
    context = {"unsent": _rows(email_list_unsent()), "recent": _rows(email_list_recent())}
    return render(request, "outbox/email_list.html", context)


@login_required
@require_POST
def email_resend_view(request, pk):
    if not can_manage_outbox(request.user):
        raise PermissionDenied
    email = get_object_or_404(Email, pk=pk)
    try:
        email_resend(email=email, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"The email to {email.recipient} will be sent again")
    return redirect("outbox:list")
