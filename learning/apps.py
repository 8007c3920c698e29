from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"

    def ready(self) -> None:
        from learning.public import public_brief_links
        from learning.selectors import learning_steps
        from publication.extras import public_extra_register
        from reviews.selectors.progress import progress_step_source

        public_extra_register(public_brief_links)
        progress_step_source(learning_steps)
