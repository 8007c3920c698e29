from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "publication"

    def ready(self) -> None:
        """Show the publication steps in people's work and the pseudonym map on the review's
        task list (reviews cannot import publication: these registries are how it asks)."""
        from publication.selectors import pseudonym_steps, publication_work
        from reviews.selectors.handoffs import work_source
        from reviews.selectors.progress import progress_step_source

        work_source(publication_work)
        progress_step_source(pseudonym_steps)
