from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LodgingConfig(AppConfig):
    name = "pora.lodging"
    label = "lodging"
    verbose_name = _("Lodging reports")
