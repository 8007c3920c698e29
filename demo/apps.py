from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo board that `make run` loads: above every other app, since it shows them all."""

    name = "demo"
    verbose_name = "Demo data"
