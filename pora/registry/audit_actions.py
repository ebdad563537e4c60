"""The audit actions of the foreigner registry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pora.core.actions import Action, register


def register_actions() -> None:
    register(
        Action("person.created", _("Foreigner recorded"),
               _("%(actor)s recorded foreigner %(person)s")),
        Action("person.changed", _("Foreigner's data changed"),
               _("%(actor)s changed the data of %(person)s")),
        Action("sponsor.created", _("Sponsor recorded"), _("%(actor)s recorded sponsor %(object)s")),
        Action("permit.created", _("Permit recorded"),
               _("%(actor)s recorded permit %(object)s of %(person)s")),
        Action("permit.extended", _("Permit extended"),
               _("%(actor)s extended the stay of %(person)s with permit %(object)s")),
        Action("permit.changed", _("Permit changed"),
               _("%(actor)s changed permit %(object)s of %(person)s")),
        Action("permit.cancelled", _("Permit cancelled"),
               _("%(actor)s cancelled permit %(object)s of %(person)s")),
        Action("permit.departed", _("Departure recorded"),
               _("%(actor)s recorded the departure of %(person)s (permit %(object)s)")),
        Action("permit.imported", _("Permit imported"),
               _("%(actor)s imported permit %(object)s of %(person)s")),
        Action("change.reported", _("Change reported"),
               _("%(actor)s recorded a change report: %(object)s")),
        Action("import.started", _("Import started"), _("%(actor)s started %(object)s")),
        Action("import.finished", _("Import finished"), _("%(object)s by %(actor)s finished")),
    )
