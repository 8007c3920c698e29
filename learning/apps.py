from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"

    def ready(self) -> None:
        from learning.public import public_brief_links
        from publication.extras import public_extra_register

        public_extra_register(public_brief_links)
