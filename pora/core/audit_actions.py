"""The audit actions of accounts, offices and the working-day calendar."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pora.core.actions import Action, register


def register_actions() -> None:
    register(
        Action("user.logged_in", _("Logged in"), _("%(actor)s logged in")),
        Action("user.logged_out", _("Logged out"), _("%(actor)s logged out")),
        Action("user.login_failed", _("Login failed"), _("A login as %(object)s failed")),
        Action("user.second_factor_on", _("Second factor turned on"),
               _("%(actor)s turned on the second factor")),
        Action("user.second_factor_off", _("Second factor turned off"),
               _("%(actor)s turned off the second factor")),
        Action("user.created", _("User created"), _("%(actor)s created user %(object)s")),
        Action("user.changed", _("User changed"), _("%(actor)s changed user %(object)s")),
        Action("user.password_set", _("Password set by an administrator"),
               _("%(actor)s set the password of user %(object)s")),
        Action("user.unlocked", _("Login lockout lifted"),
               _("%(actor)s lifted the login lockout of user %(object)s")),
        Action("user.password_changed", _("Password changed"),
               _("%(actor)s changed their password")),
        Action("user.password_reset_link", _("Password reset link sent"),
               _("A password reset link was sent to user %(object)s")),
        Action("user.password_reset", _("Password reset"), _("%(actor)s reset their password")),
        Action("user_token.created", _("API token created"),
               _("%(actor)s created API token %(object)s")),
        Action("user_token.revoked", _("API token revoked"),
               _("%(actor)s revoked API token %(object)s")),
        Action("office.created", _("Office created"), _("%(actor)s created office %(object)s")),
        Action("office.changed", _("Office changed"), _("%(actor)s changed office %(object)s")),
        Action("agency.created", _("Partner agency created"),
               _("%(actor)s added partner agency %(object)s")),
        Action("agency.changed", _("Partner agency changed"),
               _("%(actor)s changed partner agency %(object)s")),
        Action("calendar.day_added", _("Working-day calendar: day added"),
               _("%(actor)s added %(object)s to the working-day calendar")),
        Action("calendar.day_changed", _("Working-day calendar: day changed"),
               _("%(actor)s changed %(object)s in the working-day calendar")),
        Action("calendar.day_removed", _("Working-day calendar: day removed"),
               _("%(actor)s removed %(object)s from the working-day calendar")),
    )
