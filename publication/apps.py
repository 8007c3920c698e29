from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "publication"

    def ready(self) -> None:
        """Show the publication steps in people's work and the pseudonym map on the review's
        task list, and hold the review's closing until its publication is done (reviews cannot
        import publication: these registries are how it asks)."""
        from publication.selectors import (
            board_response_steps,
            pseudonym_steps,
            publication_done,
            publication_plans_to_approve,
            publication_plans_to_write,
        )
        from reviews.gates import REVIEW_CLOSE, gate_register
        from reviews.selectors.handoffs import work_source
        from reviews.selectors.progress import progress_step_source

        work_source(publication_plans_to_write)
        work_source(publication_plans_to_approve)
        progress_step_source(pseudonym_steps)
        progress_step_source(board_response_steps)
        gate_register(REVIEW_CLOSE, publication_done)
