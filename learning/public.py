"""What learning adds to a report's page on the public site: the links to its learning brief,
where the brief is approved for the public (registered in LearningConfig.ready())."""

from django.urls import reverse

from learning.selectors import public_brief_of
from publication.extras import PublicLink
from publication.models import Publication


def public_brief_links(publication: Publication) -> list[PublicLink]:
    """The public brief's page and PDF, for a listed publication whose review has one."""
    if public_brief_of(publication) is None:
        return []
    return [
        PublicLink("Learning brief", reverse("public_learning:brief", args=[publication.pk])),
        PublicLink(
            "Learning brief (PDF)", reverse("public_learning:brief_pdf", args=[publication.pk])
        ),
    ]
