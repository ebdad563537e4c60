"""An alert: one per rule and subject, seen again as the rule keeps finding it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pora.alerts import rules
from pora.core import clock
from pora.core.models import Office


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("Being handled")
    CLOSED = "closed", _("Closed")


class Alert(models.Model):
    """A finding of a detection rule, once per (rule, subject), in the officer's queue.

    The foreigner is the registry's; the lodging and stay columns are lodging's (named by
    string, so this app imports neither area): the inbox of the next areas widens them to
    any subject.
    """

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    # A code registered in :mod:`pora.alerts.rules` by the area that owns the rule.
    rule = models.CharField(_("rule"), max_length=20)
    # What makes two findings the same alert, e.g. "late_report:stay:123".
    key = models.CharField(max_length=120, unique=True)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="lodging_alerts",
                               verbose_name=_("foreigner"))
    lodging = models.ForeignKey("lodging.Lodging", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="alerts", verbose_name=_("lodging"))
    stay = models.ForeignKey("lodging.Stay", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="alerts")
    # The rule's explanation is rendered from these values in the reader's language.
    facts = models.JSONField(default=dict)
    status = models.CharField(_("status"), max_length=12, choices=AlertStatus.choices,
                              default=AlertStatus.OPEN)
    # The office's calendar, not the wall clock: the demo's day in the demo.
    first_seen = models.DateTimeField(_("first seen"), default=clock.now)
    last_seen = models.DateTimeField(_("last seen"), default=clock.now)
    times_seen = models.PositiveIntegerField(_("times seen"), default=1)
    note = models.TextField(_("note"), blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    class Meta:
        # The table lodging created when alerts were lodging's alone.
        db_table = "lodging_alert"
        ordering = ["-last_seen", "-id"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        indexes = [models.Index(fields=["office", "status", "-last_seen"],
                                name="lodging_ale_office__a69b30_idx")]

    def __str__(self) -> str:
        return f"{self.get_rule_display()} #{self.pk}"

    def get_rule_display(self) -> str:
        return rules.label(self.rule)

    @property
    def severity(self) -> int:
        return rules.severity(self.rule)

    @property
    def explanation(self) -> str:
        return rules.explain(self.rule, self.facts)
