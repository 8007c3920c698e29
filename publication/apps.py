from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "publication"

    def ready(self) -> None:
        from publication.selectors import publication_work
        from reviews.selectors.handoffs import work_source

        work_source(publication_work)
