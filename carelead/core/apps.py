from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "carelead.core"
    label = "core"
    verbose_name = "carelead core"

    def ready(self) -> None:
        # Each app's evidence.py registers its practice records as evidence sources.
        from carelead.core import evidence

        evidence.discover()
