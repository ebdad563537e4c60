from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "pora.core"
    label = "core"
    verbose_name = _("Organisation and access")

    def ready(self) -> None:
        from pora.core import signals  # noqa: F401
        from pora.core.audit_actions import register_actions

        register_actions()
