from django.conf import settings
from django.core.checks import Error, register

from reviews.frameworks import Jurisdiction


@register()
def jurisdiction_check(app_configs, **kwargs):
    """SCR_JURISDICTION must name a jurisdiction whose bank holidays are known."""
    if settings.SCR_JURISDICTION in Jurisdiction.values:
        return []
    return [
        Error(
            f"SCR_JURISDICTION is {settings.SCR_JURISDICTION!r}.",
            hint=f"Use one of: {', '.join(Jurisdiction.values)}.",
            id="reviews.E001",
        )
    ]
