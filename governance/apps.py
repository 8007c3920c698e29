from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"

    def ready(self) -> None:
        """Show the audit trail on the review's task list, to those who may read it (reviews
        cannot import governance: this registry is how it asks)."""
        from governance.selectors import audit_steps
        from reviews.selectors.progress import progress_step_source

        progress_step_source(audit_steps)
