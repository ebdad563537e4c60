"""The audit actions of the alert queue."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pora.core.actions import Action, register


def register_actions() -> None:
    register(
        Action("alert.raised", _("Alert raised"), _("%(actor)s raised alert %(object)s")),
        Action("alert.handled", _("Alert handled"), _("%(actor)s handled alert %(object)s")),
    )
