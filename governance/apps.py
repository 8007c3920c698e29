from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"

    def ready(self) -> None:
        """Show the audit trail on the review's task list, to those who may read it, and make
        the tombstone insert-only for the app's database role (reviews cannot import
        governance: these registries are how it asks)."""
        from governance.models import Tombstone
        from governance.selectors import audit_steps
        from reviews.audit_tables import tombstone_register
        from reviews.selectors.progress import progress_step_source

        progress_step_source(audit_steps)
        tombstone_register(Tombstone)
