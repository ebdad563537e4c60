"""Reading alerts, with who may see and who may handle them."""

from __future__ import annotations

from typing import NamedTuple

from django.db.models import QuerySet
from django.http import Http404

from pora.alerts.models import Alert
from pora.alerts.services import severity_order
from pora.core.models import User


def alerts_for_user(user: User) -> QuerySet[Alert]:
    """The alerts of the user's office; alerts name foreigners, so personal-data roles only."""
    if not user.can_see_personal_data:
        return Alert.objects.none()
    return Alert.objects.filter(office_id=user.office_id)


def alert_queue(user: User) -> QuerySet[Alert]:
    """The officer's alerts, most serious first (each rule's severity, registered by the
    area that owns the rule), then the longest waiting: two dozen late reports never bury
    a confirmed watchlist hit."""
    return (alerts_for_user(user).annotate(rule_severity=severity_order())
            .order_by("-rule_severity", "first_seen", "id"))


def may_handle(user: User, alert: Alert) -> bool:
    """Officers and heads of the alert's office take an alert on and close it; an analyst
    who may read it may not."""
    return user.can_write_registry and user.office_id == alert.office_id


class AlertAccess(NamedTuple):
    alert: Alert
    may_handle: bool


def get_alert_for_user(user: User, pk: int) -> AlertAccess:
    """One alert the user may see (404 otherwise) and whether they may handle it."""
    alert = alerts_for_user(user).select_related("person", "lodging", "stay").filter(
        pk=pk).first()
    if alert is None:
        raise Http404
    return AlertAccess(alert, may_handle(user, alert))
