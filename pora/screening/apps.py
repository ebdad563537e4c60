from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "pora.screening"
    label = "screening"
    verbose_name = _("Watchlist screening")

    def ready(self) -> None:
        from pora.alerts import rules
        from pora.registry import events
        from pora.screening.hooks import ScreeningListener, explain_watchlist_alert
        from pora.screening.models import AlertRule

        events.listen(ScreeningListener())
        from pora.screening.audit_actions import register_actions

        register_actions()
        # A confirmed hit on a wanted person or a ban is the most urgent thing in the queue.
        rules.register(rules.Rule(
            code=AlertRule.WATCHLIST.value, label=AlertRule.WATCHLIST.label,
            severity=rules.Severity.CRITICAL, area=self.label,
            explain=explain_watchlist_alert))
