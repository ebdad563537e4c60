from functools import partial

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
        from pora.lodging.audit_actions import register_actions

        register_actions()
        self._register_alert_rules()
        self._register_presence()
        self._register_token_kind()

    def _register_token_kind(self) -> None:
        from pora.core.api import TokenKind, register_token_kind
        from pora.lodging.models import ApiToken
        from pora.lodging.services.reporters import TOKEN_PREFIX, token_digest

        def is_active(token: str) -> bool:
            return ApiToken.objects.filter(digest=token_digest(token),
                                           revoked_at__isnull=True).exists()

        register_token_kind(TokenKind(name="lodging", prefix=TOKEN_PREFIX, is_active=is_active))

    def _register_alert_rules(self) -> None:
        from pora.alerts import rules
        from pora.alerts.rules import Severity
        from pora.lodging.detection import explain
        from pora.lodging.models import AlertRule

        # A guest without a valid permit is a violation being committed; two lodgings at
        # once or many in a short time suggest a false identity or hiding, as does a passport
        # that has expired (UU 6/2011 Pasal 8); a late report
        # or a silent lodging is the lodging's own breach of Pasal 72.
        severities = {
            AlertRule.NO_VALID_PERMIT: Severity.HIGH,
            AlertRule.OVERLAPPING: Severity.MEDIUM,
            AlertRule.EXPIRED_PASSPORT: Severity.MEDIUM,
            AlertRule.HOPPING: Severity.MEDIUM,
            AlertRule.SILENT_LODGING: Severity.LOW,
            AlertRule.LATE_REPORT: Severity.LOW,
        }
        rules.register(*(
            rules.Rule(code=rule.value, label=rule.label, severity=severities[rule],
                       area=self.label, explain=partial(explain, rule.value))
            for rule in AlertRule
        ))

    def _register_presence(self) -> None:
        from django.db.models import Exists, OuterRef

        from pora.lodging.models import Stay
        from pora.registry.selectors import PRESENCE_SOURCES

        def checked_in() -> Exists:
            # A guest checked in and not yet out is here, permit or not.
            return Exists(Stay.objects.filter(person_id=OuterRef("pk"),
                                              checked_out_at__isnull=True))

        if all(source.__qualname__ != checked_in.__qualname__ for source in PRESENCE_SOURCES):
            PRESENCE_SOURCES.append(checked_in)
