"""The audit actions of watchlist screening."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from pora.core.actions import Action, register


def register_actions() -> None:
    register(
        Action("watchlist.created", _("Watchlist created"),
               _("%(actor)s created watchlist %(object)s")),
        Action("watchlist.changed", _("Watchlist changed"),
               _("%(actor)s changed watchlist %(object)s")),
        Action("entry.added", _("Watchlist entry added"),
               _("%(actor)s added %(object)s to a watchlist")),
        Action("entry.changed", _("Watchlist entry changed"),
               _("%(actor)s changed watchlist entry %(object)s")),
        Action("entry.extended", _("Watchlist entry extended"),
               _("%(actor)s extended watchlist entry %(object)s")),
        Action("entry.withdrawn", _("Watchlist entry withdrawn"),
               _("%(actor)s withdrew watchlist entry %(object)s")),
        Action("entry.imported", _("Watchlist entry imported"),
               _("%(actor)s imported watchlist entry %(object)s")),
        Action("watchlist_import.started", _("Watchlist import started"),
               _("%(actor)s started %(object)s")),
        Action("watchlist_import.finished", _("Watchlist import finished"),
               _("%(object)s by %(actor)s finished")),
        Action("hit.found", _("Watchlist hit found"),
               _("Screening found a possible match of %(person)s on a watchlist (%(object)s)")),
        Action("hit.reopened", _("Watchlist hit reopened"),
               _("The watchlist hit %(object)s came back for review after a change")),
        Action("hit.rescored", _("Watchlist hit rescored"),
               _("The score of watchlist hit %(object)s changed")),
        Action("hit.confirmed", _("Watchlist hit confirmed"),
               _("%(actor)s confirmed that %(person)s is the listed person (%(object)s)")),
        Action("hit.dismissed", _("Watchlist hit dismissed"),
               _("%(actor)s marked the watchlist hit %(object)s as a false positive")),
        Action("hit.unsure", _("Watchlist hit marked unsure"),
               _("%(actor)s marked the watchlist hit %(object)s as unsure")),
        Action("hit.noted", _("Note added to a watchlist hit"),
               _("%(actor)s added a note to the watchlist hit %(object)s")),
        Action("rescreen.started", _("Rescreen started"), _("%(actor)s started %(object)s")),
    )
