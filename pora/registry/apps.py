from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "pora.registry"
    label = "registry"
    verbose_name = _("Foreigner registry")

    def ready(self) -> None:
        from pora.core.actions import PersonDirectory, register_persons
        from pora.registry.audit_actions import register_actions
        from pora.registry.selectors import person_names, persons_named

        register_actions()
        # The head's log pages name the persons of their rows and find rows by a name.
        register_persons(PersonDirectory(names=person_names, search=persons_named))
