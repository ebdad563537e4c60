from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "pora.alerts"
    label = "alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        from pora.alerts.audit_actions import register_actions

        register_actions()
