from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "families"

    def ready(self) -> None:
        """Put the family in the way of the publication plan's approval, show its progress
        on the review's task list, link its deadlines to its pages and give its names to the
        pseudonym map (reviews and publication cannot import families: these registries are how
        they ask)."""
        from families.selectors import (
            family_identifiers,
            family_steps,
            not_shown_report,
            notes_deadline_link,
        )
        from reviews.gates import PUBLICATION_APPROVAL, gate_register
        from reviews.identifiers import identifier_source
        from reviews.models.clock import DEADLINE_LINKS, Deadline
        from reviews.selectors.progress import progress_step_source

        gate_register(PUBLICATION_APPROVAL, not_shown_report)
        progress_step_source(family_steps)
        identifier_source(family_identifiers)
        DEADLINE_LINKS[Deadline.Kind.FAMILY_NOTES] = notes_deadline_link
