"""Who may see the outbox and send an email again: board managers, by global permission."""

from typing import Any


def can_manage_outbox(user: Any) -> bool:
    """Board managers see emails that are waiting or failed, and send failed ones again."""
    return bool(user.is_authenticated and user.is_active and user.has_perm("outbox.change_email"))
