from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "pora.screening"
    label = "screening"
    verbose_name = _("Watchlist screening")

    def ready(self) -> None:
        from pora.registry import events
        from pora.screening.hooks import ScreeningListener

        events.listen(ScreeningListener())
