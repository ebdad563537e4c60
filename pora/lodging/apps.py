from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LodgingConfig(AppConfig):
    name = "pora.lodging"
    label = "lodging"
    verbose_name = _("Lodging reports")

    def ready(self) -> None:
        from pora.core.passwords import add_word_source
        from pora.lodging.selectors import password_words

        add_word_source(password_words)
