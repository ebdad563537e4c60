"""The audit actions of lodging reports (Pasal 72)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pora.core.actions import Action, register


def register_actions() -> None:
    register(
        Action("lodging.registered", _("Lodging registered"),
               _("%(actor)s registered lodging %(object)s")),
        Action("lodging.email_confirmed", _("Lodging's email confirmed"),
               _("Lodging %(object)s confirmed its email address")),
        Action("lodging.verified", _("Lodging verified"), _("%(actor)s verified lodging %(object)s")),
        Action("lodging.suspended", _("Lodging suspended"),
               _("%(actor)s suspended lodging %(object)s")),
        Action("lodging.status_changed", _("Lodging's status changed"),
               _("%(actor)s changed the status of lodging %(object)s")),
        Action("lodging.staff_added", _("Lodging staff added"),
               _("%(actor)s added staff account %(object)s")),
        Action("lodging_token.created", _("Lodging API token created"),
               _("%(actor)s created lodging API token %(object)s")),
        Action("lodging_token.revoked", _("Lodging API token revoked"),
               _("%(actor)s revoked lodging API token %(object)s")),
        Action("stay.checked_in", _("Guest checked in"),
               _("%(actor)s reported the check-in of %(person)s (%(object)s)")),
        Action("stay.changed", _("Guest report changed"),
               _("%(actor)s changed the guest report %(object)s of %(person)s")),
        Action("stay.checked_out", _("Guest checked out"),
               _("%(actor)s reported the check-out of %(person)s (%(object)s)")),
        Action("stay.relinked", _("Guest linked to another foreigner"),
               _("%(actor)s linked guest report %(object)s to %(person)s")),
        Action("stay.document_learned", _("Passport learned from a lodging report"),
               _("%(actor)s added a passport of %(person)s from a lodging report")),
        Action("guest_list.started", _("Guest list uploaded"), _("%(actor)s uploaded %(object)s")),
        Action("guest_list.finished", _("Guest list processed"),
               _("%(object)s by %(actor)s finished")),
    )
