from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "quality"

    def ready(self) -> None:
        """Show the quality markers on the review's task list (reviews cannot import quality:
        the registry is how it asks)."""
        from quality.selectors import quality_steps
        from reviews.selectors.progress import progress_step_source

        progress_step_source(quality_steps)
